// The account the app signs with: chosen from the dev accounts (development chains only) and any
// connected browser wallet, with its ECT balance, market nonce and factories.
import { useLive } from "../chain/ChainContext"
import { accountSummary, text } from "../chain/queries"
import { Ect } from "../components/Amounts"
import { href } from "../route"
import { useAccounts } from "./AccountContext"
import { shortAddress } from "./accounts"

export function AccountSwitcher() {
  const { accounts, selected, select, wallets, connectWallet, walletError } = useAccounts()
  const who = selected?.address
  const summary = useLive(`account:${who}`, who ? (api, at) => accountSummary(api, at, who) : undefined)

  return (
    <section className="account" aria-label="Your account">
      <label>
        Account{" "}
        <select
          value={who ?? ""}
          onChange={(event) => select(event.target.value)}
          disabled={accounts.length === 0}
        >
          {accounts.length === 0 && <option value="">No accounts: connect a wallet</option>}
          {accounts.map((account) => (
            <option key={`${account.source}:${account.address}`} value={account.address}>
              {account.name} ({shortAddress(account.address)})
              {account.source === "dev" ? " · development key" : ` · ${account.source}`}
            </option>
          ))}
        </select>
      </label>
      {wallets.map((wallet) => (
        <button key={wallet} type="button" onClick={() => void connectWallet(wallet)}>
          Connect {wallet}
        </button>
      ))}
      {walletError && (
        <p role="alert" className="field-error">
          {walletError}
        </p>
      )}
      {selected?.source === "dev" && (
        <p className="dev-note">Development key: anyone can sign with it. Never use it on a live chain.</p>
      )}
      {summary.value && (
        <dl className="account-facts">
          <div>
            <dt>Balance</dt>
            <dd data-testid="account-balance">
              <Ect planck={summary.value.free} />
            </dd>
          </div>
          <div>
            <dt>Market nonce</dt>
            <dd data-testid="market-nonce">{summary.value.marketNonce.toString()}</dd>
          </div>
          <div>
            <dt>Factories</dt>
            <dd>
              {summary.value.factories.length === 0
                ? "none"
                : summary.value.factories.map((factory, i) => (
                    <span key={text(factory.id)}>
                      {i > 0 && ", "}
                      <a href={href({ page: "factories", factoryId: text(factory.id) })}>
                        {text(factory.id)}
                      </a>
                    </span>
                  ))}
            </dd>
          </div>
        </dl>
      )}
    </section>
  )
}
