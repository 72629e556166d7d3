// Countdowns in time between blocks: a component that shows one re-renders every second.
import { useEffect, useState } from "react"

/** Re-renders every second while mounted. */
export function useSecondTick() {
  const [, setTick] = useState(0)
  useEffect(() => {
    const timer = window.setInterval(() => setTick((t) => t + 1), 1000)
    return () => window.clearInterval(timer)
  }, [])
}
