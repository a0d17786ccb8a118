/** A real node:http(s) server for the HTTP sink's tests: records each request, answers by a handler. */
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type Handler = (req: Received, res: ServerResponse, index: number) => void;

export class HttpReceiver {
  readonly received: Received[] = [];
  handler: Handler = (_req, res) => res.end();
  readonly #server: ReturnType<typeof createServer>;

  private constructor(server: ReturnType<typeof createServer>) {
    this.#server = server;
    server.on("request", (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const received = { headers: req.headers, body: Buffer.concat(chunks).toString() };
        this.received.push(received);
        this.handler(received, res, this.received.length - 1);
      });
    });
  }

  static async start(tls?: { key: string; cert: string }): Promise<HttpReceiver> {
    const server = tls === undefined ? createServer() : createHttpsServer(tls);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return new HttpReceiver(server as ReturnType<typeof createServer>);
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, "close");
  }
}
