// The page's place in the app, in the address's hash: `#/market/2`, `#/factories/Factory01`.
import { useEffect, useState } from "react"

export type Route = { page: "market"; busId?: number } | { page: "factories"; factoryId?: string }

export function parseRoute(hash: string): Route {
  const [page, param] = hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent)
  if (page === "factories") return { page, factoryId: param || undefined }
  const busId = param !== undefined && /^\d+$/.test(param) ? Number(param) : undefined
  return { page: "market", busId }
}

export function href(route: Route): string {
  if (route.page === "factories") {
    return route.factoryId ? `#/factories/${encodeURIComponent(route.factoryId)}` : "#/factories"
  }
  return route.busId === undefined ? "#/market" : `#/market/${route.busId}`
}

export function navigate(route: Route) {
  window.location.hash = href(route)
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash))
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash))
    window.addEventListener("hashchange", onChange)
    return () => window.removeEventListener("hashchange", onChange)
  }, [])
  return route
}
