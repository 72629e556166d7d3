// The accounts the app can sign with and the one chosen, remembered across reloads.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react"
import { useChain } from "../chain/ChainContext"
import { devAccounts, walletAccounts, walletNames, type Account } from "./accounts"

interface AccountState {
  accounts: Account[]
  selected?: Account
  select: (address: string) => void
  /** Wallets seen in the page and not connected yet. */
  wallets: string[]
  connectWallet: (wallet: string) => Promise<void>
  walletError?: string
  /** A readable name for an address the app knows (a dev or wallet account), else undefined. */
  nameOf: (address: string) => string | undefined
}

const AccountContext = createContext<AccountState | undefined>(undefined)
const SELECTED_KEY = "energy-chain.account"

export function AccountProvider({ children }: { children: ReactNode }) {
  const { info } = useChain()
  const [walletAccountsList, setWalletAccounts] = useState<Account[]>([])
  const [connected, setConnected] = useState<string[]>([])
  const [walletError, setWalletError] = useState<string>()
  const [selectedAddress, setSelectedAddress] = useState(
    () => window.localStorage.getItem(SELECTED_KEY) ?? undefined,
  )
  const [wallets, setWallets] = useState<string[]>([])

  // Wallets inject themselves after the page loads: look again for a few seconds.
  useEffect(() => {
    const look = () => setWallets(walletNames())
    look()
    const timer = window.setInterval(look, 1000)
    const stop = window.setTimeout(() => window.clearInterval(timer), 5000)
    return () => {
      window.clearInterval(timer)
      window.clearTimeout(stop)
    }
  }, [])

  const dev = useMemo(
    () => (info?.isDevChain ? devAccounts(info.ss58Prefix) : []),
    [info?.isDevChain, info?.ss58Prefix],
  )
  const accounts = useMemo(() => [...walletAccountsList, ...dev], [walletAccountsList, dev])
  const selected = accounts.find((account) => account.address === selectedAddress) ?? accounts[0]

  const select = (address: string) => {
    window.localStorage.setItem(SELECTED_KEY, address)
    setSelectedAddress(address)
  }

  const connectWallet = async (wallet: string) => {
    setWalletError(undefined)
    try {
      const { accounts: found } = await walletAccounts(wallet)
      setConnected((names) => [...names, wallet])
      setWalletAccounts((list) => [...list.filter((a) => a.source !== wallet), ...found])
      if (found[0]) select(found[0].address)
      else setWalletError(`${wallet} shared no accounts with this page.`)
    } catch (error) {
      setWalletError(`${wallet}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  const names = useMemo(() => new Map(accounts.map((a) => [a.address, a.name])), [accounts])

  return (
    <AccountContext.Provider
      value={{
        accounts,
        selected,
        select,
        wallets: wallets.filter((w) => !connected.includes(w)),
        connectWallet,
        walletError,
        nameOf: (address) => names.get(address),
      }}
    >
      {children}
    </AccountContext.Provider>
  )
}

export function useAccounts(): AccountState {
  const state = useContext(AccountContext)
  if (!state) throw new Error("useAccounts outside AccountProvider")
  return state
}
