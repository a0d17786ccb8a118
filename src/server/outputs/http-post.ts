/** One POST with a deadline from connect to the last byte of the answer. */
import type {
  ClientRequest,
  Agent as HttpAgent,
  IncomingMessage,
  OutgoingHttpHeaders,
} from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Timers } from "../../foundation/time.js";

export interface PostRequest {
  readonly url: URL;
  readonly agent: HttpAgent;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly timers: Timers;
}

export type PostOutcome =
  | { readonly status: number; readonly retryAfter: string | undefined }
  | { readonly error: Error; readonly timedOut: boolean; readonly aborted: boolean };

/** Never rejects: a request that gets no whole answer in time is an error outcome. */
export function post(req: PostRequest): Promise<PostOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    let timedOut = false;
    let client: ClientRequest | undefined;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      req.timers.clearTimeout(timer);
      req.signal.removeEventListener("abort", onAbort);
      resolve(outcome);
    };
    const fail = (error: Error) =>
      finish({ error, timedOut, aborted: req.signal.aborted && !timedOut });
    const onAbort = () => client?.destroy(new Error("the delivery was aborted"));
    const timer = req.timers.setTimeout(() => {
      timedOut = true;
      client?.destroy(new Error(`no whole answer within ${req.timeoutMs} ms`));
    }, req.timeoutMs);
    if (req.signal.aborted) {
      fail(new Error("the delivery was aborted"));
      return;
    }
    req.signal.addEventListener("abort", onAbort, { once: true });
    const send = req.url.protocol === "https:" ? httpsRequest : httpRequest;
    try {
      client = send(req.url, { method: "POST", agent: req.agent, headers: req.headers });
    } catch (error) {
      fail(error as Error);
      return;
    }
    client.on("error", fail);
    client.on("response", (res: IncomingMessage) => {
      res.on("error", fail);
      res.on("end", () => {
        const retryAfter = res.headers["retry-after"];
        finish({ status: res.statusCode ?? 0, retryAfter });
      });
      res.resume();
    });
    client.end(req.body);
  });
}
