import type { ActionMessage } from "../tx/useAction"

/** A form's outcome: a status for success, an alert for failure. */
export function ActionResult({ message }: { message?: ActionMessage }) {
  if (!message) return null
  return (
    <p className={`result ${message.kind}`} role={message.kind === "error" ? "alert" : "status"}>
      {message.text}
    </p>
  )
}
