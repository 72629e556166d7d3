// Who signs: the well-known development accounts (only on a development or local chain) and the
// accounts of browser wallets (polkadot.js extension, Talisman, SubWallet) found in
// `window.injectedWeb3`.
import { sr25519CreateDerive } from "@polkadot-labs/hdkd"
import { DEV_PHRASE, entropyToMiniSecret, mnemonicToEntropy } from "@polkadot-labs/hdkd-helpers"
import { AccountId, type PolkadotSigner, type SS58String } from "polkadot-api"
import {
  connectInjectedExtension,
  getInjectedExtensions,
  type InjectedExtension,
} from "polkadot-api/pjs-signer"
import { getPolkadotSigner } from "polkadot-api/signer"

export interface Account {
  address: SS58String
  name: string
  /** `dev` for a development key, else the wallet's name. */
  source: string
  signer: PolkadotSigner
}

export const DEV_NAMES = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"] as const

/** The dev accounts `//Alice` … `//Ferdie` of the well-known development phrase. */
export function devAccounts(ss58Prefix: number): Account[] {
  const derive = sr25519CreateDerive(entropyToMiniSecret(mnemonicToEntropy(DEV_PHRASE)))
  const codec = AccountId(ss58Prefix)
  return DEV_NAMES.map((name) => {
    const pair = derive(`//${name}`)
    return {
      address: codec.dec(pair.publicKey),
      name,
      source: "dev",
      signer: getPolkadotSigner(pair.publicKey, "Sr25519", pair.sign),
    }
  })
}

/** The names of the browser wallets the page can see. */
export function walletNames(): string[] {
  return getInjectedExtensions()
}

/** Asks a wallet for its accounts (the wallet shows its own permission prompt). */
export async function walletAccounts(
  wallet: string,
): Promise<{ extension: InjectedExtension; accounts: Account[] }> {
  const extension = await connectInjectedExtension(wallet, "Energy Chain")
  const accounts = extension.getAccounts().map((account) => ({
    address: account.address,
    name: account.name ?? account.address.slice(0, 8),
    source: wallet,
    signer: account.polkadotSigner,
  }))
  return { extension, accounts }
}

/** `5GrwvaEF…utQY`: an address short enough for a table cell. */
export function shortAddress(address: string): string {
  return address.length > 14 ? `${address.slice(0, 8)}…${address.slice(-4)}` : address
}
