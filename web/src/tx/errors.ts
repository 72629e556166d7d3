// Failed calls in words: the pallet error's name and its documentation from the chain's own
// metadata, never a raw code.
import { decAnyMetadata, unifyMetadata, type UnifiedMetadata } from "@polkadot-api/substrate-bindings"
import type { PolkadotClient } from "polkadot-api"

export interface ChainError {
  /** `EnergyBus::NotEnoughEnergy`, `Token::FundsUnavailable`, `BadOrigin`. */
  name: string
  /** The error's documentation, from the metadata. */
  docs: string
  /** The error's own fields, when it has any (`BatchItemFailed { index, reason }`). */
  value?: unknown
}

let metadata: Promise<UnifiedMetadata> | undefined
let metadataOf: PolkadotClient | undefined

/** The chain's metadata, fetched once per connection and only when an error needs its docs. */
function chainMetadata(client: PolkadotClient, at: string): Promise<UnifiedMetadata> {
  if (!metadata || metadataOf !== client) {
    metadataOf = client
    metadata = client.getMetadata(at).then((bytes) => unifyMetadata(decAnyMetadata(bytes)))
  }
  return metadata
}

interface Variant {
  name: string
  docs: string[]
}

function variantsOf(meta: UnifiedMetadata, typeId: number | undefined): Variant[] {
  if (typeId === undefined) return []
  const def = meta.lookup[typeId]?.def
  return def?.tag === "variant" ? def.value : []
}

/**
 * A doc comment as the user reads it: its lines joined into sentences, without markdown's code
 * marks (`MaxOwners` shows as MaxOwners).
 */
export function plainDocs(lines: string[]): string {
  return lines.join(" ").replace(/`/g, "").replace(/\s+/g, " ").trim()
}

/** The docs of `pallet`'s error `name` in `meta` ("" when there are none). */
export function palletErrorDocs(meta: UnifiedMetadata, pallet: string, name: string): string {
  const errors = meta.pallets.find((p) => p.name === pallet)?.errors
  return plainDocs(variantsOf(meta, errors?.type).find((v) => v.name === name)?.docs ?? [])
}

/** The docs of `pallet`'s error `name`, or of a `DispatchError` variant such as `BadOrigin`. */
export async function errorDocs(
  client: PolkadotClient,
  at: string,
  pallet: string | undefined,
  name: string,
): Promise<string> {
  try {
    return pallet ? palletErrorDocs(await chainMetadata(client, at), pallet, name) : ""
  } catch {
    return ""
  }
}

const GENERAL: Record<string, string> = {
  BadOrigin: "This account may not make this call.",
  CannotLookup: "An account could not be found.",
  Other: "The call failed.",
  ConsumerRemaining: "The account is still in use and cannot be removed.",
  NoProviders: "The account does not exist.",
  TooManyConsumers: "The account is used by too many things.",
  Exhausted: "The chain ran out of resources for this call.",
  Corruption: "The chain's state is inconsistent.",
  Unavailable: "A resource the call needs is unavailable.",
  RootNotAllowed: "Root may not make this call.",
}
const TOKEN: Record<string, string> = {
  FundsUnavailable: "The account does not have enough free ECT.",
  OnlyProvider: "Paying would remove the account, which something still needs.",
  BelowMinimum: "The amount is below the minimum an account may hold (0.001 ECT).",
  CannotCreate: "The receiving account cannot be created.",
  UnknownAsset: "Unknown asset.",
  Frozen: "The funds are frozen.",
  Unsupported: "This operation is not supported.",
  CannotCreateHold: "No more holds can be placed on this account.",
  NotExpendable: "Paying would remove the account.",
  Blocked: "The account is blocked.",
}

type Tagged = { type: string; value?: unknown }

/** A dispatch error as the app shows it. */
export async function describeDispatchError(
  client: PolkadotClient,
  at: string,
  error: Tagged,
): Promise<ChainError> {
  if (error.type === "Module") {
    const inner = error.value as Tagged & { value: Tagged }
    const pallet = inner.type
    const name = inner.value.type
    return {
      name: `${pallet}::${name}`,
      docs: await errorDocs(client, at, pallet, name),
      value: inner.value.value,
    }
  }
  if (error.type === "Token" || error.type === "Arithmetic" || error.type === "Transactional") {
    const name = (error.value as Tagged).type
    const docs =
      error.type === "Token"
        ? TOKEN[name]
        : error.type === "Arithmetic"
          ? "An amount overflowed or underflowed."
          : ""
    return { name: `${error.type}::${name}`, docs: docs ?? "" }
  }
  return { name: error.type, docs: GENERAL[error.type] ?? "" }
}

/** Why the node refused a transaction before any block held it. */
export function describeInvalid(error: unknown): ChainError {
  const tagged = (error as { error?: Tagged })?.error ?? (error as Tagged)
  if (tagged && typeof tagged === "object" && "type" in tagged) {
    const inner = (tagged.value as Tagged | undefined)?.type
    const reasons: Record<string, string> = {
      Payment: "The account cannot pay the transaction fee.",
      Stale:
        "The account's transaction nonce was already used: another transaction of this account went first.",
      Future: "The account's transaction nonce is ahead of the chain.",
      BadProof: "The signature is not valid for this chain.",
      ExhaustsResources: "The transaction does not fit in a block.",
      AncientBirthBlock: "The transaction was made for a block the chain no longer knows.",
      Call: "The chain refuses this call.",
    }
    const name = inner ? `${tagged.type}::${inner}` : tagged.type
    return { name, docs: (inner && reasons[inner]) ?? "The node refused the transaction." }
  }
  return { name: "Error", docs: error instanceof Error ? error.message : String(error) }
}

/** The docs of `variant` of the chain type named `typeName` (such as `PurchaseFailure`). */
export async function variantDocs(
  client: PolkadotClient,
  at: string,
  typeName: string,
  variant: string,
): Promise<string> {
  try {
    const meta = await chainMetadata(client, at)
    const entry = meta.lookup.find((t) => t.path[t.path.length - 1] === typeName && t.def.tag === "variant")
    return entry ? plainDocs(variantsOf(meta, entry.id).find((v) => v.name === variant)?.docs ?? []) : ""
  } catch {
    return ""
  }
}
