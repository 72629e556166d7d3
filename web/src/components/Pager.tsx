// Paging through a listing that the chain serves a page at a time after a cursor (the last key
// of the page before): the cursors walked so far, and the Previous/Next bar.
import { useState } from "react"
import { PAGE } from "../chain/queries"

/** The cursors of the pages before this one; the last is this page's `start_after`. */
export function useCursors<C>() {
  const [cursors, setCursors] = useState<(C | undefined)[]>([undefined])
  return {
    startAfter: cursors[cursors.length - 1],
    page: cursors.length,
    next: (cursor: C) => setCursors((list) => [...list, cursor]),
    previous: () => setCursors((list) => list.slice(0, -1)),
    reset: () => setCursors([undefined]),
  }
}

export function Pager<C, T>({
  label,
  cursors,
  items,
  cursorOf,
  previousText,
  nextText,
}: {
  label: string
  cursors: ReturnType<typeof useCursors<C>>
  /** This page's items, when read; a full page means there may be another. */
  items?: T[]
  cursorOf: (item: T) => C
  previousText: string
  nextText: string
}) {
  const last = items?.[items.length - 1]
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" disabled={cursors.page === 1} onClick={cursors.previous}>
        {previousText}
      </button>
      <span>Page {cursors.page}</span>
      <button
        type="button"
        disabled={!items || items.length < PAGE || last === undefined}
        onClick={() => last !== undefined && cursors.next(cursorOf(last))}
      >
        {nextText}
      </button>
    </nav>
  )
}
