/** Test helpers: GET over HTTP, and the samples of a Prometheus text exposition. */
import { request } from "node:http";

export interface Response {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** One request on a fresh connection (no keep-alive, so nothing outlives the test). */
export function get(url: string, method = "GET"): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Samples by `name{label="value",...}` (labels sorted by name), as the text shows them. */
export type Samples = ReadonlyMap<string, number>;

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function sampleKey(name: string, labels: Readonly<Record<string, string>> = {}): string {
  const pairs = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}="${value}"`);
  return pairs.length === 0 ? name : `${name}{${pairs.join(",")}}`;
}

/** Parses every sample line; throws on a line that is neither a comment nor a sample. */
export function parseSamples(text: string): Samples {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(LABEL)) {
      if (key !== undefined && value !== undefined) labels[key] = value;
    }
    const raw = match[3] ?? "";
    const value = raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : Number(raw);
    samples.set(sampleKey(match[1] ?? "", labels), value);
  }
  return samples;
}

/** `# TYPE name type` lines: metric name -> type. */
export function parseTypes(text: string): ReadonlyMap<string, string> {
  const types = new Map<string, string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (match[1] !== undefined && match[2] !== undefined) types.set(match[1], match[2]);
  }
  return types;
}

/** GETs `url` and parses its samples; fails the test on a status other than 200. */
export async function scrape(url: string): Promise<Samples> {
  const response = await get(url);
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
  return parseSamples(response.body);
}

/** Samples of one metric name, by their label value for `label`. */
export function byLabel(samples: Samples, name: string, label: string): Record<string, number> {
  const values: Record<string, number> = {};
  const prefix = `${name}{${label}="`;
  for (const [key, value] of samples) {
    if (key.startsWith(prefix) && key.endsWith('"}')) {
      values[key.slice(prefix.length, -2)] = value;
    }
  }
  return values;
}
