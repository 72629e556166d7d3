// Reading account addresses typed by a user.
import { getSs58AddressInfo, type SS58String } from "polkadot-api"
import { DEV_NAMES, type Account } from "./accounts"

/**
 * An SS58 address, or a dev account's name (`Bob`) on a chain that offers them; the error
 * says what is wrong with anything else.
 */
export function parseAddress(input: string, known: Account[]): { address?: SS58String; error?: string } {
  const text = input.trim()
  if (text === "") return { error: "Enter an address." }
  const dev = known.find((a) => a.source === "dev" && a.name.toLowerCase() === text.toLowerCase())
  if (dev) return { address: dev.address }
  const info = getSs58AddressInfo(text)
  if (!info.isValid) {
    const hint = (DEV_NAMES as readonly string[]).some((n) => n.toLowerCase() === text.toLowerCase())
      ? " (dev names work only on a development chain)"
      : ""
    return { error: `"${text}" is not an address: use an SS58 address such as 5GrwvaEF…${hint}.` }
  }
  return { address: text as SS58String }
}
