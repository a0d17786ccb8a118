/**
 * One server against two on the same machine (docs/scaling.md, step 3):
 * at each offered rate of datagrams of 100 entries, one server takes it all
 * from one paced sender, then two servers take half each from their own
 * senders at the same time. Prints, per rate, the median share lost of each
 * (over --runs trials) and each trial's share. Each server writes NDJSON to
 * a file (bench/cases/server.ts's serverTrial).
 *
 *   tsx bench/servers.ts [--rates 2000,3000,4000,5000,6000,8000] [--runs 3] [--seconds 3]
 */
import { parseArgs } from "node:util";
import { type ServerTrial, serverTrial } from "./cases/server.js";
import { fixed, table } from "./lib/format.js";
import { ENTRIES_PER_DATAGRAM, Sender } from "./lib/sender.js";

const { values } = parseArgs({
  options: {
    rates: { type: "string", default: "2000,3000,4000,5000,6000,8000" },
    runs: { type: "string", default: "3" },
    seconds: { type: "string", default: "3" },
  },
});
const rates = values.rates.split(",").map(Number);
const runs = Number(values.runs);
const timing = { warmupMs: 500, trialMs: Number(values.seconds) * 1000 };

/** The share of the entries sent that no server wrote, over trials run at the same time. */
function loss(trials: readonly ServerTrial[]): number {
  const sent = trials.reduce((sum, t) => sum + t.sentDatagrams * ENTRIES_PER_DATAGRAM, 0);
  const written = trials.reduce((sum, t) => sum + t.entriesWritten, 0);
  return sent > 0 ? 1 - written / sent : 1;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
const shares = (xs: readonly number[]) => xs.map((x) => fixed(x * 100, 1)).join(" ");

const senders = [await Sender.start(), await Sender.start()] as const;
const rows: string[][] = [];
try {
  for (const rate of rates) {
    const one: number[] = [];
    const two: number[] = [];
    for (let i = 0; i < runs; i++) {
      one.push(loss([await serverTrial(senders[0], rate, timing)]));
      const halves = senders.map((sender) => serverTrial(sender, rate / 2, timing));
      two.push(loss(await Promise.all(halves)));
    }
    rows.push([
      String(rate * ENTRIES_PER_DATAGRAM),
      `${fixed(median(one) * 100, 1)} % (${shares(one)})`,
      `${fixed(median(two) * 100, 1)} % (${shares(two)})`,
    ]);
    process.stderr.write(`servers: ${rate} datagrams/s done\n`);
  }
} finally {
  for (const sender of senders) sender.stop();
}
console.log(table(["entries/s offered", "1 server: lost", "2 servers: lost"], rows));
