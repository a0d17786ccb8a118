/**
 * The lines `shipper-client` reads: the sources read once in order
 * (LineReader), or the files followed (`--follow`, FollowSession).
 */
import type { Shipper } from "../../client/shipper.js";
import { type Clock, systemTimers } from "../../foundation/time.js";
import type { CliIO } from "../shared/io.js";
import type { ClientConfig } from "./config.js";
import { FollowSession, shipperGate } from "./input/follow/session.js";
import { LineReader, type SourceOpener, sourceOpener } from "./input/lines.js";

export interface LineInputDeps {
  readonly now: Clock;
  readonly openSource?: SourceOpener;
}

/** Reads or follows the configured files; `status.print` writes one stderr line. */
export async function openLineInput(
  config: ClientConfig,
  io: CliIO,
  deps: LineInputDeps,
  shipper: Shipper,
  status: { print(line: string): void },
): Promise<LineReader | FollowSession> {
  const print = (line: string) => status.print(line);
  const { follow, maxLineBytes } = config;
  if (follow === undefined) {
    return new LineReader(config.files, {
      maxLineBytes,
      open: deps.openSource ?? sourceOpener(io.stdin),
      onError: (source, error) =>
        print(
          `shipper-client: cannot read ${source}: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
  }
  return FollowSession.open({
    ...follow,
    maxLineBytes,
    gate: shipperGate(shipper),
    time: { now: deps.now, ...systemTimers },
    onNotice: (message) => print(`shipper-client: ${message}`),
  });
}
