// When the page first showed each block's market data (`Date.now()`), for the browser test that
// measures the time from a block's import to the page showing it.
declare global {
  interface Window {
    __energyShown?: Record<number, number>
  }
}

export function recordShown(block: number) {
  const shown = (window.__energyShown ??= {})
  shown[block] ??= Date.now()
}
