import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BATCH_ID_HEADER, batchId, createHttpSink } from "../../../src/server/outputs/http-sink.js";
import type { HttpSinkOptions } from "../../../src/server/outputs/sink-options.js";
import type { OutputBatch } from "../../../src/server/outputs/types.js";
import { HttpReceiver } from "./http-receiver.js";

const ENTRY_A =
  '{"timestamp":"2026-12-07T03:00:00.123Z","level":"INFO","message":"a","service":"api","host":"h1","metadata":{"user":{"id":42}}}';
const ENTRY_B =
  '{"timestamp":"2026-12-07T03:00:01Z","level":"ERROR","message":"b","service":"api","host":"h1"}';
const ENTRY_C = '{"level":"WARNING","message":"c","service":"db"}';

const BATCH: OutputBatch = {
  messages: [
    { id: "00112233445566aa-7", entries: [ENTRY_A, ENTRY_B] },
    { id: "00112233445566aa-8", entries: [ENTRY_C] },
  ],
  entries: 3,
  bytes: ENTRY_A.length + ENTRY_B.length + ENTRY_C.length,
};

const never = new AbortController().signal;

function options(url: string, more: Partial<HttpSinkOptions> = {}): HttpSinkOptions {
  return { url, format: "json-array", headers: [], timeoutMs: 2_000, ...more };
}

describe("the HTTP sink against a real node:http server", () => {
  let receiver: HttpReceiver;
  beforeEach(async () => {
    receiver = await HttpReceiver.start();
  });
  afterEach(async () => {
    await receiver.stop();
  });
  const url = () => `http://127.0.0.1:${receiver.port}/ingest`;

  it("POSTs a JSON array with the headers, Basic auth and a stable batch id", async () => {
    const sink = createHttpSink(
      options(`http://al%40ice:s3cret@127.0.0.1:${receiver.port}/ingest?key=k`, {
        headers: [["X-Api-Key", "abc"]],
      }),
    );
    expect(sink.name).toBe(`http://127.0.0.1:${receiver.port}/ingest`);
    expect(await sink.deliver(BATCH, never)).toEqual({ ok: true });
    expect(await sink.deliver(BATCH, never)).toEqual({ ok: true });
    await sink.close();
    const [first, second] = receiver.received;
    expect(JSON.parse(first?.body ?? "")).toEqual(
      [ENTRY_A, ENTRY_B, ENTRY_C].map((e) => JSON.parse(e)),
    );
    expect(first?.headers["content-type"]).toBe("application/json");
    expect(first?.headers["x-api-key"]).toBe("abc");
    expect(first?.headers.authorization).toBe(
      `Basic ${Buffer.from("al@ice:s3cret").toString("base64")}`,
    );
    expect(first?.headers[BATCH_ID_HEADER.toLowerCase()]).toBe(batchId(BATCH));
    expect(second?.headers[BATCH_ID_HEADER.toLowerCase()]).toBe(batchId(BATCH));
  });

  it("POSTs NDJSON, one entry a line", async () => {
    const sink = createHttpSink(options(url(), { format: "ndjson" }));
    expect(await sink.deliver(BATCH, never)).toEqual({ ok: true });
    await sink.close();
    expect(receiver.received[0]?.body).toBe(`${ENTRY_A}\n${ENTRY_B}\n${ENTRY_C}\n`);
    expect(receiver.received[0]?.headers["content-type"]).toBe("application/x-ndjson");
  });

  it("POSTs OTLP JSON logs grouped by service and host", async () => {
    const sink = createHttpSink(options(url(), { format: "otlp" }), { wallClock: () => 1_000 });
    expect(await sink.deliver(BATCH, never)).toEqual({ ok: true });
    await sink.close();
    const body = JSON.parse(receiver.received[0]?.body ?? "");
    expect(body.resourceLogs).toHaveLength(2);
    const [api, db] = body.resourceLogs;
    expect(api.resource.attributes).toEqual([
      { key: "service.name", value: { stringValue: "api" } },
      { key: "host.name", value: { stringValue: "h1" } },
    ]);
    expect(db.resource.attributes).toEqual([{ key: "service.name", value: { stringValue: "db" } }]);
    const [a, b] = api.scopeLogs[0].logRecords;
    expect(a).toEqual({
      observedTimeUnixNano: "1000000000",
      timeUnixNano: "1796612400123000000",
      severityNumber: 9,
      severityText: "INFO",
      body: { stringValue: "a" },
      attributes: [
        { key: "log.record.uid", value: { stringValue: "00112233445566aa-7-0" } },
        { key: "user.id", value: { intValue: "42" } },
      ],
    });
    expect(b.severityNumber).toBe(17);
    expect(b.attributes[0].value.stringValue).toBe("00112233445566aa-7-1");
    const c = db.scopeLogs[0].logRecords[0];
    expect(c.severityNumber).toBe(13);
    expect(c.timeUnixNano).toBeUndefined();
    expect(c.attributes[0].value.stringValue).toBe("00112233445566aa-8-0");
  });

  it("retries a 503 until the endpoint answers 200", async () => {
    receiver.handler = (_req, res, i) => {
      res.statusCode = i < 2 ? 503 : 200;
      res.end();
    };
    const sink = createHttpSink(options(url()));
    expect(await sink.deliver(BATCH, never)).toMatchObject({
      ok: false,
      retry: true,
      reason: "http-503",
    });
    expect(await sink.deliver(BATCH, never)).toMatchObject({
      ok: false,
      retry: true,
      reason: "http-503",
    });
    expect(await sink.deliver(BATCH, never)).toEqual({ ok: true });
    await sink.close();
    expect(receiver.received).toHaveLength(3);
  });

  it("refuses a 400 for good, and passes 408 and 429 on for another try", async () => {
    const statuses = [400, 408, 429, 404];
    receiver.handler = (_req, res, i) => {
      res.statusCode = statuses[i] ?? 200;
      res.end();
    };
    const sink = createHttpSink(options(url()));
    const results = [];
    for (const _ of statuses) results.push(await sink.deliver(BATCH, never));
    await sink.close();
    expect(results).toEqual([
      { ok: false, retry: false, reason: "http-400" },
      { ok: false, retry: true, reason: "http-408" },
      { ok: false, retry: true, reason: "http-429" },
      { ok: false, retry: false, reason: "http-404" },
    ]);
  });

  it("reads Retry-After in seconds and as an HTTP date", async () => {
    const now = Date.parse("2026-12-07T03:00:00Z");
    const answers = ["7", new Date(now + 30_000).toUTCString()];
    receiver.handler = (_req, res, i) => {
      res.statusCode = i === 0 ? 429 : 503;
      res.setHeader("Retry-After", answers[i] ?? "0");
      res.end();
    };
    const sink = createHttpSink(options(url()), { wallClock: () => now });
    expect(await sink.deliver(BATCH, never)).toEqual({
      ok: false,
      retry: true,
      reason: "http-429",
      retryAfterMs: 7_000,
    });
    expect(await sink.deliver(BATCH, never)).toEqual({
      ok: false,
      retry: true,
      reason: "http-503",
      retryAfterMs: 30_000,
    });
    await sink.close();
  });

  it("gives up on an endpoint slower than the timeout, as a retryable timeout", async () => {
    receiver.handler = (_req, res) => {
      res.writeHead(200);
      res.write("[");
      // The rest of the answer never comes.
    };
    const sink = createHttpSink(options(url(), { timeoutMs: 200 }));
    const result = await sink.deliver(BATCH, never);
    await sink.close();
    expect(result).toMatchObject({ ok: false, retry: true, reason: "timeout" });
  });

  it("answers an aborted delivery as retryable", async () => {
    receiver.handler = () => {};
    const sink = createHttpSink(options(url(), { timeoutMs: 10_000 }));
    const abort = new AbortController();
    const pending = sink.deliver(BATCH, abort.signal);
    setTimeout(() => abort.abort(), 50);
    expect(await pending).toMatchObject({ ok: false, retry: true, reason: "aborted" });
    await sink.close();
  });
});

describe("the HTTP sink without a server", () => {
  it("refuses for good a header Node cannot send, without throwing", async () => {
    const sink = createHttpSink(options("http://127.0.0.1:9/", { headers: [["X-Bad", "a\nb"]] }));
    expect(await sink.deliver(BATCH, never)).toMatchObject({
      ok: false,
      retry: false,
      reason: "http-request",
    });
    await sink.close();
  });

  it("answers a closed port as a retryable connect failure", async () => {
    const receiver = await HttpReceiver.start();
    const port = receiver.port;
    await receiver.stop();
    const sink = createHttpSink(options(`http://127.0.0.1:${port}/`));
    expect(await sink.deliver(BATCH, never)).toMatchObject({
      ok: false,
      retry: true,
      reason: "connect",
    });
    await sink.close();
  });
});

function selfSigned(): { key: string; cert: string; dir: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), "shipper-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    return {
      key: readFileSync(join(dir, "key.pem"), "utf8"),
      cert: readFileSync(join(dir, "cert.pem"), "utf8"),
      dir,
    };
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

const tls = selfSigned();
if (tls === undefined) console.log("https tests skipped: openssl is not on PATH");

describe.skipIf(tls === undefined)(
  "the HTTP sink over https with a self-signed certificate",
  () => {
    it("delivers when the certificate is trusted, and fails as tls when it is not", async () => {
      if (tls === undefined) return;
      const receiver = await HttpReceiver.start(tls);
      try {
        const url = `https://127.0.0.1:${receiver.port}/`;
        const trusting = createHttpSink(options(url, { ca: tls.cert, format: "ndjson" }));
        expect(await trusting.deliver(BATCH, never)).toEqual({ ok: true });
        await trusting.close();
        const strict = createHttpSink(options(url));
        expect(await strict.deliver(BATCH, never)).toMatchObject({
          ok: false,
          retry: true,
          reason: "tls",
        });
        await strict.close();
        expect(receiver.received).toHaveLength(1);
      } finally {
        await receiver.stop();
        rmSync(tls.dir, { recursive: true, force: true });
      }
    });
  },
);
