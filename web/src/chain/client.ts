// The one connection to the node: which endpoint, the typed API generated from the chain's
// metadata (client/metadata/energy.scale), and the connection's state.
import { energy } from "@polkadot-api/descriptors"
import { createClient, type PolkadotClient, type TypedApi } from "polkadot-api"
import { getWsProvider, WsEvent, type StatusChange } from "polkadot-api/ws"

export type EnergyApi = TypedApi<typeof energy>

export const DEFAULT_RPC = "ws://127.0.0.1:9944"
const RPC_KEY = "energy-chain.rpc"

/** The endpoint to use: `?rpc=` in the page's address, else the last one chosen, else the local node. */
export function initialRpcUrl(): string {
  const fromQuery = new URLSearchParams(window.location.search).get("rpc")
  if (fromQuery) return fromQuery
  return window.localStorage.getItem(RPC_KEY) ?? DEFAULT_RPC
}

/** A usable endpoint, or the reason it is not one. */
export function checkRpcUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") {
      return "The node's address starts with ws:// or wss://, such as ws://127.0.0.1:9944."
    }
    return undefined
  } catch {
    return "That is not an address: use one such as ws://127.0.0.1:9944."
  }
}

/** Remembers the endpoint and puts it in the page's address, so a reload keeps it. */
export function rememberRpcUrl(url: string) {
  window.localStorage.setItem(RPC_KEY, url)
  const address = new URL(window.location.href)
  if (url === DEFAULT_RPC) address.searchParams.delete("rpc")
  else address.searchParams.set("rpc", url)
  window.history.replaceState(null, "", address)
}

export type ConnectionState = "connecting" | "connected" | "disconnected"

export interface Connection {
  url: string
  client: PolkadotClient
  api: EnergyApi
  destroy: () => void
}

/** Connects to `url`; the provider reconnects by itself and reports each change of state. */
export function connect(url: string, onState: (state: ConnectionState) => void): Connection {
  const provider = getWsProvider(url, {
    onStatusChanged: (status: StatusChange) => {
      if (status.type === WsEvent.CONNECTED) onState("connected")
      else if (status.type === WsEvent.CONNECTING) onState("connecting")
      else onState("disconnected")
    },
  })
  const client = createClient(provider)
  return { url, client, api: client.getTypedApi(energy), destroy: () => client.destroy() }
}
