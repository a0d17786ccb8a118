/**
 * The lines `shipper-client` reads: the sources read once in order
 * (LineReader, copied to stdout with --tee), or the files followed
 * (`--follow`, FollowSession); either way joined by the multiline rule when
 * one is set.
 */
import type { Shipper } from "../../client/shipper.js";
import type { Clock, Timers } from "../../foundation/time.js";
import type { CliIO } from "../shared/io.js";
import type { ClientConfig } from "./config.js";
import { FollowSession, shipperGate } from "./input/follow/session.js";
import { type InputStats, inputChunks, type Joined } from "./input/line-input.js";
import { type ChunkLines, LineReader, type SourceOpener, sourceOpener } from "./input/lines.js";
import { Tee } from "./input/tee.js";

export interface LineInputDeps {
  readonly now: Clock;
  readonly timers: Timers;
  readonly openSource?: SourceOpener;
}

/** What pumpLines reads from. */
export interface LineInput {
  /** Closed by a stop signal; the follow session also records its state at the end. */
  readonly reader: LineReader | FollowSession;
  readonly chunks: AsyncIterable<ChunkLines>;
  readonly stats: InputStats;
}

/** Reads or follows the configured files; `status.print` writes one stderr line. */
export async function openLineInput(
  config: ClientConfig,
  io: CliIO,
  deps: LineInputDeps,
  shipper: Shipper,
  status: { print(line: string): void },
  leftover: (entry: Joined) => void,
): Promise<LineInput> {
  const print = (line: string) => status.print(line);
  const reader =
    config.follow === undefined
      ? readOnce(config, io, deps, print)
      : await FollowSession.open({
          ...config.follow,
          maxLineBytes: config.maxLineBytes,
          gate: shipperGate(shipper),
          time: { now: deps.now, ...deps.timers },
          onNotice: (message) => print(`shipper-client: ${message}`),
        });
  const stats: InputStats = reader.stats;
  const chunks = inputChunks(reader.chunks(), stats, config.lineInput, {
    maxBytes: config.maxLineBytes,
    timers: deps.timers,
    sequential: config.follow === undefined,
    leftover,
  });
  return { reader, chunks, stats };
}

function readOnce(
  config: ClientConfig,
  io: CliIO,
  deps: LineInputDeps,
  print: (line: string) => void,
): LineReader {
  const opener = deps.openSource ?? sourceOpener(io.stdin);
  const tee = config.lineInput.tee ? new Tee(io.stdout, print) : undefined;
  return new LineReader(config.files, {
    maxLineBytes: config.maxLineBytes,
    open: tee ? tee.opener(opener) : opener,
    onError: (source, error) =>
      print(
        `shipper-client: cannot read ${source}: ${error instanceof Error ? error.message : String(error)}`,
      ),
  });
}
