/** What a command touches of its process, injected so tests can drive `main` directly. */
export type Signal = "SIGINT" | "SIGTERM" | "SIGHUP";

export interface CliIO {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /**
   * The file descriptor behind `stdout`, when it is the process's own: the
   * server then writes it directly, with exact accounting of every line
   * (see server/fd-output.ts). Absent: everything goes through `stdout`.
   */
  readonly stdoutFd?: number;
  /** Subscribes to a signal; returns the unsubscribe function. */
  onSignal(signal: Signal, handler: () => void): () => void;
  /** Ends the process now (a second signal during drain); the only way out besides returning. */
  exit(code: number): never;
}

/** A SIGHUP listener kept for the process's life once a command handles SIGHUP. */
let hangupKept = false;

/**
 * Once a command handles SIGHUP, SIGHUP never ends the process: not even in
 * the moments between the command letting go of its handler, on its way
 * out, and the process's exit (where SIGHUP's default action would end it
 * by the signal instead of with the command's exit code).
 */
function keepHangup(): void {
  if (hangupKept) return;
  hangupKept = true;
  process.on("SIGHUP", () => {});
}

/**
 * The real process, for `bin/`. Its streams are Node's own getters, which
 * make each stream at first use: `--help` never makes stdin, a run without
 * `--tee` never makes stdout.
 */
export function processIO(): CliIO {
  return {
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    stdoutFd: 1,
    onSignal(signal, handler) {
      if (signal === "SIGHUP") keepHangup();
      process.on(signal, handler);
      return () => process.off(signal, handler);
    },
    exit(code) {
      process.exit(code);
    },
  };
}
