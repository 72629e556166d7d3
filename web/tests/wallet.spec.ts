// Scenario 7, the wallet path: the page sees a browser wallet through `window.injectedWeb3`
// (here a stand-in with the polkadot.js extension's interface, whose key lives in the test
// process), connects it, and a purchase is signed through it.
import { sr25519CreateDerive } from "@polkadot-labs/hdkd"
import { DEV_PHRASE, entropyToMiniSecret, mnemonicToEntropy } from "@polkadot-labs/hdkd-helpers"
import { AccountId, Blake2256, compact, u32 } from "@polkadot-api/substrate-bindings"
import { Enum } from "polkadot-api"
import { fromHex, toHex } from "polkadot-api/utils"
import { ECT, dev, enc, expect, kwh, test } from "./fixtures"

const pair = sr25519CreateDerive(entropyToMiniSecret(mnemonicToEntropy(DEV_PHRASE)))("//Wallet")
const address = AccountId(42).dec(pair.publicKey)

interface PjsPayload {
  method: string
  era: string
  nonce: string
  tip: string
  specVersion: string
  transactionVersion: string
  genesisHash: string
  blockHash: string
  signedExtensions: string[]
}

/** What a polkadot.js-style wallet signs for this chain's transaction extensions. */
function signPayload(payload: PjsPayload): string {
  const known = [
    "CheckNonZeroSender",
    "CheckSpecVersion",
    "CheckTxVersion",
    "CheckGenesis",
    "CheckMortality",
    "CheckNonce",
    "CheckWeight",
    "ChargeTransactionPayment",
  ]
  const unknown = payload.signedExtensions.filter((id) => !known.includes(id))
  if (unknown.length) throw new Error(`the stand-in wallet does not know ${unknown.join(", ")}`)
  const parts = [
    fromHex(payload.method),
    fromHex(payload.era),
    compact.enc(BigInt(payload.nonce)),
    compact.enc(BigInt(payload.tip)),
    u32.enc(Number(BigInt(payload.specVersion))),
    u32.enc(Number(BigInt(payload.transactionVersion))),
    fromHex(payload.genesisHash),
    fromHex(payload.blockHash),
  ]
  let bytes: Uint8Array = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    bytes.set(part, at)
    at += part.length
  }
  if (bytes.length > 256) bytes = Blake2256(bytes)
  // A MultiSignature: 0x01 marks sr25519.
  return toHex(new Uint8Array([1, ...pair.sign(bytes)]))
}

test("a purchase signed through a browser wallet", async ({ browser, chain }) => {
  const { api } = chain
  // The wallet's account gets 100 ECT and a factory of its own (registered through sudo).
  const alice = dev("Alice")
  expect(
    (
      await api.tx.Balances.transfer_keep_alive({
        dest: Enum("Id", address),
        value: 100n * ECT,
      }).signAndSubmit(alice.signer)
    ).ok,
  ).toBe(true)
  const register = api.tx.Sudo.sudo({
    call: api.tx.EnergyTrading.register_factory({
      id: enc("Factory21"),
      name: enc("Wallet Works"),
      energy_type: Enum("Solar"),
      owner: address,
      meter: undefined,
      rated_power_w: 10_000,
      initial_energy_wh: 0n,
    }).decodedCall,
  })
  expect((await register.signAndSubmit(alice.signer)).ok).toBe(true)

  const context = await browser.newContext()
  const page = await context.newPage()
  let signed = 0
  await page.exposeFunction("__standInWalletSign", (payload: PjsPayload) => {
    signed += 1
    return signPayload(payload)
  })
  await page.addInitScript((account) => {
    const accounts = [{ address: account, name: "Wallet account", type: "sr25519" }]
    ;(window as unknown as { injectedWeb3: unknown }).injectedWeb3 = {
      "stand-in-wallet": {
        version: "1.0.0",
        enable: async () => ({
          accounts: {
            get: async () => accounts,
            subscribe: (cb: (a: unknown) => void) => (cb(accounts), () => undefined),
          },
          signer: {
            signPayload: async (payload: unknown) => ({
              id: 1,
              signature: await (
                window as unknown as { __standInWalletSign: (p: unknown) => Promise<string> }
              ).__standInWalletSign(payload),
            }),
            signRaw: async () => {
              throw new Error("signRaw is not used")
            },
          },
        }),
      },
    }
  }, address)
  await page.goto(`/?rpc=${encodeURIComponent(chain.ws)}#/market/0`)
  await page.getByRole("button", { name: "Connect stand-in-wallet" }).click()
  await expect(page.getByRole("combobox", { name: "Account" })).toHaveValue(address)
  await expect(page.getByText("Development key: anyone can sign with it")).toHaveCount(0)
  await expect(page.getByTestId("account-balance")).toHaveText("100 ECT")

  await page.getByRole("button", { name: "Buy or lock offer #0" }).click()
  await page.getByLabel("Amount", { exact: true }).fill("10")
  await expect(page.getByLabel("Into factory")).toHaveValue("Factory21")
  await page.getByRole("button", { name: "Buy", exact: true }).click()
  await expect(page.getByRole("status").filter({ hasText: "Bought 10 kWh into Factory21" })).toBeVisible()
  expect(signed).toBe(1)
  await chain.settled()
  expect(await api.view.EnergyTrading.energy_balance(enc("Factory21"))).toBe(kwh(10))
  expect(await api.view.EnergyBus.market_nonce(address)).toBe(1n)
})
