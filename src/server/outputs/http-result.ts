/** What an HTTP answer or a request error means for the batch. */
import type { DeliveryResult } from "./types.js";

/** Statuses worth another try besides every 5xx. */
const RETRYABLE_STATUSES = new Set([408, 429]);

/** Error codes of a connection that was never made. */
const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
]);

/** Longest wait a Retry-After can ask for; a later one is cut to this. */
export const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;

/**
 * 2xx: delivered; 5xx, 408, 429: retry (after Retry-After when given);
 * anything else: refused for good as `http-<status>`.
 */
export function resultOfStatus(
  status: number,
  retryAfter: string | undefined,
  nowMs: number,
): DeliveryResult {
  if (status >= 200 && status < 300) return { ok: true };
  const reason = `http-${status}`;
  if (status < 500 && !RETRYABLE_STATUSES.has(status)) return { ok: false, retry: false, reason };
  const retryAfterMs = parseRetryAfter(retryAfter, nowMs);
  return retryAfterMs === undefined
    ? { ok: false, retry: true, reason }
    : { ok: false, retry: true, reason, retryAfterMs };
}

/**
 * Retry-After as milliseconds from now: delay-seconds or an HTTP date,
 * capped at MAX_RETRY_AFTER_MS, 0 for a date past; undefined when absent
 * or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (!Number.isFinite(date)) return undefined;
  return Math.min(Math.max(0, date - nowMs), MAX_RETRY_AFTER_MS);
}

/** Node's refusals of a request it could never send (a header name or value it cannot carry). */
const INVALID_REQUEST_CODES = new Set([
  "ERR_INVALID_CHAR",
  "ERR_INVALID_HTTP_TOKEN",
  "ERR_HTTP_INVALID_HEADER_VALUE",
]);

/**
 * A request that got no answer: worth another try, but for one Node
 * refused to send (`http-request`), which no retry can mend.
 */
export function resultOfError(error: Error, timedOut: boolean, aborted: boolean): DeliveryResult {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && INVALID_REQUEST_CODES.has(code)) {
    return { ok: false, retry: false, reason: "http-request", error };
  }
  let reason = "network";
  if (aborted) reason = "aborted";
  else if (timedOut) reason = "timeout";
  else if (code !== undefined && CONNECT_CODES.has(code)) reason = "connect";
  else if (code !== undefined && /CERT|SSL|TLS|SELF_SIGNED/.test(code)) reason = "tls";
  return { ok: false, retry: true, reason, error };
}
