// The connection as React state: the endpoint, whether it is up, the best and finalized blocks,
// and what kind of chain it is. Screens read chain data with `useLive`, which asks again at
// every new best block, so each page follows the chain block by block.
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react"
import type { BlockInfo, PolkadotClient } from "polkadot-api"
import {
  connect,
  initialRpcUrl,
  rememberRpcUrl,
  type Connection,
  type ConnectionState,
  type EnergyApi,
} from "./client"

export interface ChainInfo {
  /** The chain's name from its spec, such as `Development`. */
  name: string
  /** The node's chain type: `Development`, `Local`, `Live` or a custom one. */
  chainType: string
  /** Development and local chains get the well-known dev accounts; live chains never do. */
  isDevChain: boolean
  /** The address format. */
  ss58Prefix: number
  /** How long a block takes, in milliseconds (Aura's slot duration). */
  blockMs: number
}

export interface ChainState {
  url: string
  setUrl: (url: string) => void
  connection?: Connection
  state: ConnectionState
  best?: BlockInfo
  /** When the best block arrived (`Date.now()`), to count down in time between blocks. */
  bestAt: number
  finalized?: BlockInfo
  info?: ChainInfo
  /** Why the chain's facts (name, type, address format, block time) could not be read. */
  infoError?: string
}

const ChainContext = createContext<ChainState | undefined>(undefined)

export function ChainProvider({ children }: { children: ReactNode }) {
  const [url, setUrlState] = useState(initialRpcUrl)
  const [connection, setConnection] = useState<Connection>()
  const [state, setState] = useState<ConnectionState>("connecting")
  const [best, setBest] = useState<BlockInfo>()
  const [bestAt, setBestAt] = useState(() => Date.now())
  const [finalized, setFinalized] = useState<BlockInfo>()
  const [info, setInfo] = useState<ChainInfo>()
  const [infoError, setInfoError] = useState<string>()

  useEffect(() => {
    setState("connecting")
    setBest(undefined)
    setFinalized(undefined)
    setInfo(undefined)
    setInfoError(undefined)
    const conn = connect(url, setState)
    setConnection(conn)
    const bestSub = conn.client.bestBlocks$.subscribe({
      next: (blocks) => {
        if (!blocks[0]) return
        setBest(blocks[0])
        setBestAt(Date.now())
      },
      error: () => setState("disconnected"),
    })
    const finalizedSub = conn.client.finalizedBlock$.subscribe({
      next: setFinalized,
      error: () => setState("disconnected"),
    })
    let cancelled = false
    loadChainInfo(conn)
      .then((loaded) => !cancelled && setInfo(loaded))
      .catch((error: unknown) => {
        if (cancelled) return
        setInfoError(error instanceof Error ? error.message : String(error))
      })
    return () => {
      cancelled = true
      bestSub.unsubscribe()
      finalizedSub.unsubscribe()
      conn.destroy()
    }
  }, [url])

  const setUrl = (next: string) => {
    rememberRpcUrl(next)
    setUrlState(next)
  }

  return (
    <ChainContext.Provider
      value={{ url, setUrl, connection, state, best, bestAt, finalized, info, infoError }}
    >
      {children}
    </ChainContext.Provider>
  )
}

async function loadChainInfo({ client, api }: Connection): Promise<ChainInfo> {
  const [spec, chainType, slotMs, ss58Prefix] = await Promise.all([
    client.getChainSpecData(),
    client._request<string | Record<string, unknown>>("system_chainType", []),
    api.apis.AuraApi.slot_duration(),
    api.constants.System.SS58Prefix(),
  ])
  const type = typeof chainType === "string" ? chainType : Object.keys(chainType)[0]
  return {
    name: spec.name,
    chainType: type,
    isDevChain: type === "Development" || type === "Local",
    ss58Prefix,
    blockMs: Number(slotMs),
  }
}

export function useChain(): ChainState {
  const chain = useContext(ChainContext)
  if (!chain) throw new Error("useChain outside ChainProvider")
  return chain
}

export interface Live<T> {
  /** The latest answer, if any. */
  value?: T
  /** The block the answer was read at. */
  block?: BlockInfo
  /** Why the latest read failed, if it did. */
  error?: unknown
  /** True when the node is unreachable or the answer lags the best block by more than one. */
  stale: boolean
}

/**
 * Reads `read` at every new best block (and when `key` changes); the answer carries the block it
 * was read at. `read` undefined means nothing to read yet.
 */
export function useLive<T>(
  key: string,
  read: ((api: EnergyApi, at: string, client: PolkadotClient) => Promise<T>) | undefined,
): Live<T> {
  const { connection, best, state } = useChain()
  const [answer, setAnswer] = useState<{ key: string; value: T; block: BlockInfo }>()
  const [error, setError] = useState<unknown>()
  const readRef = useRef(read)
  readRef.current = read
  const latest = useRef(0)

  useEffect(() => {
    const current = readRef.current
    if (!connection || !best || !current) return
    const ticket = ++latest.current
    const block = best
    current(connection.api, block.hash, connection.client).then(
      (value) => {
        if (ticket !== latest.current) return
        setAnswer({ key, value, block })
        setError(undefined)
      },
      (failure: unknown) => {
        if (ticket !== latest.current) return
        // A block pruned while it was read: the next block reads again.
        if (failure instanceof Error && failure.name === "BlockNotPinnedError") return
        setError(failure)
      },
    )
  }, [connection, best, key, read === undefined])

  const current = answer?.key === key ? answer : undefined
  return {
    value: current?.value,
    block: current?.block,
    error,
    stale: state !== "connected" || !current || !best || best.number - current.block.number > 1,
  }
}
