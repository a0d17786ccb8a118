/** The server's own counts of one run, read from its Prometheus endpoint. */
import { request } from "node:http";

export interface OutputTotals {
  /** Entries the server accepted (`shipper_server_entries_total`). */
  readonly accepted: number;
  /** Entries every output's destination accepted, summed. */
  readonly delivered: number;
  /** Entries every output dropped, every reason, summed. */
  readonly dropped: number;
}

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Sums the samples of `name` (any labels) in a text exposition. */
function sum(text: string, name: string): number {
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const next = line.charAt(name.length);
    if (next !== "{" && next !== " ") continue;
    total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

export async function outputTotals(metricsUrl: string): Promise<OutputTotals> {
  const text = await get(metricsUrl);
  return {
    accepted: sum(text, "shipper_server_entries_total"),
    delivered: sum(text, "shipper_server_output_entries_total"),
    dropped: sum(text, "shipper_server_output_dropped_total"),
  };
}
