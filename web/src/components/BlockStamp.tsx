// Which block a panel shows, and a warning when that is not the chain's latest.
import type { BlockInfo } from "polkadot-api"

export function BlockStamp({ block, stale }: { block?: BlockInfo; stale: boolean }) {
  if (!block) return <p className="stamp">Loading…</p>
  return (
    <p className={stale ? "stamp stale" : "stamp"} data-block={block.number}>
      {stale ? `Not current: as of block #${block.number}` : `As of block #${block.number}`}
    </p>
  )
}
