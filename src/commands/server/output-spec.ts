/**
 * `--output SPEC`: `stdout`, `file:PATH`, `http://...` or `https://...`,
 * `nats://host:port[,host:port...]`. A spec that is none of these is a usage
 * error naming what is accepted.
 */
import { MAX_PORT } from "../../foundation/limits.js";
import { natsName, redactUrl } from "../../server/outputs/names.js";
import { OptionValueError, type Parser } from "../shared/options.js";

export type OutputSpec =
  | { readonly kind: "stdout"; readonly spec: string }
  | { readonly kind: "file"; readonly spec: string; readonly path: string }
  | { readonly kind: "http"; readonly spec: string; readonly url: string }
  | { readonly kind: "nats"; readonly spec: string; readonly servers: readonly string[] };

/**
 * The name the output of `spec` goes by (names.ts): two outputs of one
 * name could not be told apart, so they are refused like a spec given twice.
 */
export function outputName(spec: OutputSpec): string {
  switch (spec.kind) {
    case "stdout":
      return "stdout";
    case "file":
      return spec.spec;
    case "http":
      return redactUrl(new URL(spec.url));
    case "nats":
      return natsName(spec.servers);
  }
}

const ACCEPTS =
  "stdout, file:PATH, http://HOST[:PORT]/PATH, https://... or nats://HOST:PORT[,HOST:PORT...]";

function fail(spec: string, why = ""): never {
  throw new OptionValueError(`expects ${ACCEPTS}${why}; got ${JSON.stringify(spec)}`);
}

function natsServers(spec: string): string[] {
  const list = spec.slice("nats://".length);
  const servers = list.split(",").map((part) => part.trim());
  for (const server of servers) {
    const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(server);
    const port = Number(match?.[2]);
    if (match === null || !(port >= 1 && port <= MAX_PORT)) {
      fail(spec, `: ${JSON.stringify(server)} is not HOST:PORT`);
    }
  }
  return servers.map((server) => `nats://${server}`);
}

function httpUrl(spec: string): string {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    return fail(spec, ": not a URL");
  }
  if (url.hostname === "") fail(spec, ": no host");
  return spec;
}

export const outputSpec: Parser<OutputSpec> = (raw) => {
  const spec = raw.trim();
  if (spec === "stdout" || spec === "-") return { kind: "stdout", spec: "stdout" };
  if (spec.startsWith("file:")) {
    const path = spec.slice("file:".length);
    if (path === "") fail(spec, ": no path");
    return { kind: "file", spec: `file:${path}`, path };
  }
  if (/^https?:\/\//i.test(spec)) return { kind: "http", spec, url: httpUrl(spec) };
  if (/^nats:\/\//i.test(spec)) return { kind: "nats", spec, servers: natsServers(spec) };
  return fail(spec);
};
