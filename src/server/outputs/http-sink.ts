/**
 * The HTTP output: one POST per batch, over a keep-alive connection, in the
 * format the options name (http-body.ts). See docs/outputs-http.md.
 */
import { createHash } from "node:crypto";
import { Agent as HttpAgent, type OutgoingHttpHeaders } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import {
  systemTimers,
  systemWallClock,
  type Timers,
  type WallClock,
} from "../../foundation/time.js";
import { encodeHttpBody } from "./http-body.js";
import { post } from "./http-post.js";
import { resultOfError, resultOfStatus } from "./http-result.js";
import { redactUrl } from "./names.js";
import type { HttpSinkOptions } from "./sink-options.js";
import type { DeliveryResult, OutputBatch, Sink } from "./types.js";

/** The header holding the batch id: the same on every retry of the same batch. */
export const BATCH_ID_HEADER = "X-Shipper-Batch-Id";
/** Connections kept open to the endpoint at most. */
const MAX_SOCKETS = 8;

export interface HttpSinkDeps {
  readonly timers?: Timers;
  /** For Retry-After dates and the OTLP observed time. */
  readonly wallClock?: WallClock;
}

/**
 * A stable id of the batch: the first 32 hex digits of SHA-256 over its
 * message ids, one a line. A receiver that keeps the ids it has seen can
 * drop a batch sent again after a lost answer or a spool replay.
 */
export function batchId(batch: OutputBatch): string {
  const hash = createHash("sha256");
  for (const message of batch.messages) hash.update(`${message.id}\n`);
  return hash.digest("hex").slice(0, 32);
}

/** The URL's user:password as a Basic authorization header value, if it has one. */
export function basicAuthorization(url: URL): string | undefined {
  if (url.username === "" && url.password === "") return undefined;
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  return `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
}

export function createHttpSink(options: HttpSinkOptions, deps: HttpSinkDeps = {}): Sink {
  return new HttpSink(options, deps);
}

class HttpSink implements Sink {
  readonly name: string;
  readonly #options: HttpSinkOptions;
  readonly #url: URL;
  readonly #agent: HttpAgent;
  readonly #fixedHeaders: OutgoingHttpHeaders;
  readonly #timers: Timers;
  readonly #wallClock: WallClock;

  constructor(options: HttpSinkOptions, deps: HttpSinkDeps) {
    const url = new URL(options.url);
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new TypeError(`an HTTP output needs an http:// or https:// URL: ${redactUrl(url)}`);
    }
    this.#options = options;
    this.name = redactUrl(url);
    this.#timers = deps.timers ?? systemTimers;
    this.#wallClock = deps.wallClock ?? systemWallClock;
    this.#fixedHeaders = fixedHeaders(url, options);
    url.username = "";
    url.password = "";
    this.#url = url;
    const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS };
    this.#agent =
      url.protocol === "https:"
        ? new HttpsAgent({
            ...agentOptions,
            ...(options.ca === undefined ? {} : { ca: options.ca }),
          })
        : new HttpAgent(agentOptions);
  }

  async deliver(batch: OutputBatch, signal: AbortSignal): Promise<DeliveryResult> {
    let encoded: ReturnType<typeof encodeHttpBody>;
    try {
      encoded = encodeHttpBody(this.#options.format, batch, this.#wallClock());
    } catch (error) {
      return { ok: false, retry: false, reason: "encode", error: error as Error };
    }
    const headers: OutgoingHttpHeaders = {
      "Content-Type": encoded.contentType,
      "Content-Length": encoded.body.length,
      [BATCH_ID_HEADER]: batchId(batch),
      ...this.#fixedHeaders,
    };
    const outcome = await post({
      url: this.#url,
      agent: this.#agent,
      headers,
      body: encoded.body,
      timeoutMs: this.#options.timeoutMs,
      signal,
      timers: this.#timers,
    });
    if ("error" in outcome) return resultOfError(outcome.error, outcome.timedOut, outcome.aborted);
    return resultOfStatus(outcome.status, outcome.retryAfter, this.#wallClock());
  }

  async close(): Promise<void> {
    this.#agent.destroy();
  }
}

/** Basic auth from the URL, then the options' headers (a later name, in any case, wins). */
function fixedHeaders(url: URL, options: HttpSinkOptions): OutgoingHttpHeaders {
  const byName = new Map<string, [string, string]>();
  const authorization = basicAuthorization(url);
  if (authorization !== undefined) byName.set("authorization", ["Authorization", authorization]);
  for (const [name, value] of options.headers) byName.set(name.toLowerCase(), [name, value]);
  return Object.fromEntries(byName.values());
}
