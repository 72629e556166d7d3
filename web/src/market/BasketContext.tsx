// The basket: parts of several offers, across buses, bought together in one atomic
// `batch_purchase_energy`: all of them or none.
import { createContext, useContext, useState, type ReactNode } from "react"
import type { Offer } from "../chain/queries"

export interface BasketItem {
  offer: Offer
  energyWh: bigint
  maxPricePerKwh: bigint
}

interface BasketState {
  items: BasketItem[]
  /** Adds an item, or replaces the one for the same offer. */
  put: (item: BasketItem) => void
  remove: (offerId: bigint) => void
  clear: () => void
}

const BasketContext = createContext<BasketState | undefined>(undefined)

export function BasketProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<BasketItem[]>([])
  const put = (item: BasketItem) =>
    setItems((list) => {
      const at = list.findIndex((i) => i.offer.id === item.offer.id)
      return at < 0 ? [...list, item] : list.map((i, n) => (n === at ? item : i))
    })
  const remove = (offerId: bigint) => setItems((list) => list.filter((i) => i.offer.id !== offerId))
  return (
    <BasketContext.Provider value={{ items, put, remove, clear: () => setItems([]) }}>
      {children}
    </BasketContext.Provider>
  )
}

export function useBasket(): BasketState {
  const state = useContext(BasketContext)
  if (!state) throw new Error("useBasket outside BasketProvider")
  return state
}
