import { AccountProvider } from "./accounts/AccountContext"
import { AccountSwitcher } from "./accounts/AccountSwitcher"
import { ChainProvider } from "./chain/ChainContext"
import { ConnectionBanner, ConnectionBar } from "./components/ConnectionBar"
import { FactoriesPage } from "./ledger/FactoriesPage"
import { Basket } from "./market/Basket"
import { BasketProvider } from "./market/BasketContext"
import { MarketPage } from "./market/MarketPage"
import { href, useRoute } from "./route"
import { TxList } from "./tx/TxList"
import { TxProvider } from "./tx/TxContext"

export function App() {
  const route = useRoute()
  return (
    <ChainProvider>
      <AccountProvider>
        <TxProvider>
          <BasketProvider>
            <a className="skip" href="#main">
              Skip to content
            </a>
            <header className="top">
              <div className="brand">
                <span aria-hidden="true">⚡</span> Energy Chain
              </div>
              <nav aria-label="Main">
                <a
                  href={href({ page: "market" })}
                  aria-current={route.page === "market" ? "page" : undefined}
                >
                  Market
                </a>
                <a
                  href={href({ page: "factories" })}
                  aria-current={route.page === "factories" ? "page" : undefined}
                >
                  Factories
                </a>
              </nav>
              <ConnectionBar />
            </header>
            <ConnectionBanner />
            <div className="layout">
              <main id="main">
                {route.page === "market" ? (
                  <MarketPage busId={route.busId} />
                ) : (
                  <FactoriesPage factoryId={route.factoryId} />
                )}
              </main>
              <aside>
                <AccountSwitcher />
                <Basket />
                <TxList />
              </aside>
            </div>
          </BasketProvider>
        </TxProvider>
      </AccountProvider>
    </ChainProvider>
  )
}
