/**
 * The HTTP endpoint of a command's metrics: `GET /metrics` answers the
 * registry in Prometheus text format, `GET /healthz` answers 200 `ok` while
 * the command is healthy (503 otherwise), anything else 404 (or 405 for a
 * method other than GET and HEAD on those two paths).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface MetricsServerOptions {
  /** Address to bind, e.g. "127.0.0.1", "::", "0.0.0.0". */
  readonly host: string;
  /** TCP port; 0 takes any free port (see address()). */
  readonly port: number;
  readonly registry: Registry;
  /** /healthz answers 200 while this returns true, 503 otherwise. Default: always true. */
  readonly healthy?: () => boolean;
  /** Errors of the HTTP server after it is bound (rare); default: ignored. */
  readonly onError?: (error: Error) => void;
}

export interface MetricsServer {
  /** The bound address and port. */
  address(): { readonly address: string; readonly port: number };
  /** `http://HOST:PORT/metrics`, an IPv6 host in brackets. */
  readonly url: string;
  /** Stops listening and ends open connections (keep-alive ones too). Idempotent. */
  close(): Promise<void>;
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: string,
  contentType = "text/plain; charset=utf-8",
): void {
  response.writeHead(status, {
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
  });
  response.end(request.method === "HEAD" ? undefined : body);
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: MetricsServerOptions,
): Promise<void> {
  const path = (request.url ?? "/").split("?", 1)[0];
  if (path !== "/metrics" && path !== "/healthz") {
    send(request, response, 404, "not found\n");
    return;
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.setHeader("Allow", "GET, HEAD");
    send(request, response, 405, "method not allowed\n");
    return;
  }
  if (path === "/healthz") {
    const healthy = options.healthy?.() ?? true;
    send(request, response, healthy ? 200 : 503, healthy ? "ok\n" : "unavailable\n");
    return;
  }
  try {
    const text = await options.registry.metrics();
    send(request, response, 200, text, options.registry.contentType);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    send(request, response, 500, `error: ${message}\n`);
  }
}

function urlOf(address: AddressInfo): string {
  const host = address.address.includes(":") ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}/metrics`;
}

/** Binds and serves; rejects with the bind error (its `code`: EADDRINUSE, EACCES...). */
export function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((request, response) => void handle(request, response, options));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off("error", reject);
      server.on("error", (error) => options.onError?.(error));
      const address = server.address() as AddressInfo;
      let closing: Promise<void> | undefined;
      resolve({
        address: () => ({ address: address.address, port: address.port }),
        url: urlOf(address),
        close() {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
          return closing;
        },
      });
    });
  });
}
