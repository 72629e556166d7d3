// The factory ledger: every factory, page by page, with its type, owner and energy balance.
import { useLive } from "../chain/ChainContext"
import { factoriesPage, text } from "../chain/queries"
import { Address, Energy } from "../components/Amounts"
import { BlockStamp } from "../components/BlockStamp"
import { Pager, useCursors } from "../components/Pager"
import { href } from "../route"
import { FactoryPage } from "./FactoryPage"
import { RegisterFactory } from "./RegisterFactory"

export function FactoriesPage({ factoryId }: { factoryId?: string }) {
  if (factoryId !== undefined) return <FactoryPage id={factoryId} />
  return <FactoryList />
}

function FactoryList() {
  const cursors = useCursors<string>()
  const { startAfter } = cursors
  const page = useLive(`factories:${startAfter}`, (api, at) => factoriesPage(api, at, startAfter))
  const factories = page.value

  return (
    <section aria-labelledby="factories-title">
      <header className="bus-header">
        <h1 id="factories-title">Factories</h1>
        <BlockStamp block={page.block} stale={page.stale} />
      </header>
      {!factories ? (
        <p>Loading factories…</p>
      ) : factories.length === 0 ? (
        <p>No factories are registered.</p>
      ) : (
        <table className="factories">
          <caption className="visually-hidden">Factories</caption>
          <thead>
            <tr>
              <th scope="col">Factory</th>
              <th scope="col">Name</th>
              <th scope="col">Energy type</th>
              <th scope="col">Owner</th>
              <th scope="col">Balance</th>
            </tr>
          </thead>
          <tbody>
            {factories.map((factory) => {
              const id = text(factory.id)
              return (
                <tr key={id}>
                  <th scope="row">
                    <a href={href({ page: "factories", factoryId: id })}>{id}</a>
                  </th>
                  <td>{text(factory.name)}</td>
                  <td>{factory.energy_type.type}</td>
                  <td>
                    <Address address={factory.owner} />
                  </td>
                  <td data-label="Balance">
                    <Energy wh={factory.energy_wh} />
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      <Pager
        label="Factory pages"
        cursors={cursors}
        items={factories}
        cursorOf={(factory) => text(factory.id)}
        previousText="Previous factories"
        nextText="Next factories"
      />
      <RegisterFactory />
    </section>
  )
}
