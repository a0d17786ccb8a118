/**
 * Publishes a list of messages to JetStream, acknowledgements awaited in
 * parallel with at most `maxInFlight` outstanding. Done when every publish
 * is acknowledged; an acknowledgement flagged duplicate (the stream held the
 * id already) counts as done too.
 */
import type { JetStreamClient } from "@nats-io/jetstream";
import type { Publish } from "./nats-publishes.js";
import type { DeliveryResult } from "./types.js";

/** Publishes awaiting their acknowledgement at once, by default. */
export const DEFAULT_MAX_IN_FLIGHT = 256;

export async function publishAll(
  js: JetStreamClient,
  publishes: readonly Publish[],
  timeoutMs: number,
  maxInFlight: number,
  signal: AbortSignal,
): Promise<DeliveryResult> {
  let next = 0;
  let failure: Error | undefined;
  const worker = async () => {
    while (failure === undefined && !signal.aborted && next < publishes.length) {
      const p = publishes[next++] as Publish;
      try {
        await js.publish(p.subject, p.payload, { msgID: p.id, timeout: timeoutMs });
      } catch (error) {
        failure ??= error as Error;
      }
    }
  };
  const workers = Array.from({ length: Math.min(maxInFlight, publishes.length) }, worker);
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    if (signal.aborted) resolve();
    signal.addEventListener("abort", onAbort, { once: true });
  });
  await Promise.race([Promise.all(workers), aborted]);
  signal.removeEventListener("abort", onAbort);
  if (signal.aborted) return { ok: false, retry: true, reason: "aborted" };
  if (failure !== undefined)
    return { ok: false, retry: true, reason: natsReason(failure), error: failure };
  return { ok: true };
}

/** A short, stable reason for a failed publish or request. */
export function natsReason(error: Error): string {
  switch (error.name) {
    case "JetStreamNotEnabled":
    case "NoResponders":
      return "nats-no-responders";
    case "TimeoutError":
      return "nats-timeout";
    case "ClosedConnectionError":
    case "DrainingConnectionError":
      return "nats-closed";
    case "AuthorizationError":
    case "PermissionViolationError":
      return "nats-permission";
    case "JetStreamApiError":
    case "StreamNotFoundError":
      return `nats-api-${(error as Error & { code?: number }).code ?? "error"}`;
    default:
      return "nats-publish";
  }
}
