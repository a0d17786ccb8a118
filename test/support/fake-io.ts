/**
 * A CliIO for running option parsing and `main` in-process: stdin is a stream
 * the test writes to, stdout and stderr keep what is written, signals are
 * raised by hand, and `exit` throws instead of ending the test run.
 */
import { PassThrough, Writable } from "node:stream";
import type { CliIO, Signal } from "../../src/commands/shared/io.js";

/** What `FakeIO.exit` throws: the code the command asked to exit with. */
export class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** A stdout or stderr that keeps everything written to it. */
export class Output extends Writable {
  text = "";
  #waiters: { check: () => boolean; resolve: () => void }[] = [];

  constructor(readonly isTTY = false) {
    super({ decodeStrings: false });
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    for (const waiter of this.#waiters.filter((w) => w.check())) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    done();
  }

  /** The lines written so far, empty ones included, and a last one not yet ended by "\n". */
  get lines(): string[] {
    const lines = this.text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    return lines;
  }

  /** Resolves once `predicate` holds for the lines written so far. */
  until(predicate: (lines: string[]) => boolean): Promise<void> {
    const check = () => predicate(this.lines);
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ check, resolve }));
  }
}

export interface FakeIOOptions {
  readonly stdinTTY?: boolean;
  readonly stdoutTTY?: boolean;
  readonly stderrTTY?: boolean;
}

export class FakeIO implements CliIO {
  readonly stdin: PassThrough & { isTTY: boolean };
  readonly stdout: Output;
  readonly stderr: Output;
  /** The handlers of each signal that are subscribed and not yet unsubscribed. */
  readonly handlers = new Map<Signal, Set<() => void>>();

  constructor(options: FakeIOOptions = {}) {
    this.stdin = Object.assign(new PassThrough(), { isTTY: options.stdinTTY ?? false });
    this.stdout = new Output(options.stdoutTTY ?? false);
    this.stderr = new Output(options.stderrTTY ?? false);
  }

  onSignal(signal: Signal, handler: () => void): () => void {
    const set = this.handlers.get(signal) ?? new Set();
    set.add(handler);
    this.handlers.set(signal, set);
    return () => set.delete(handler);
  }

  exit(code: number): never {
    throw new ExitCalled(code);
  }

  /** Calls every handler subscribed to `signal` when it is raised, as the process would. */
  readonly raise = (signal: Signal): void => {
    for (const handler of [...(this.handlers.get(signal) ?? [])]) handler();
  };
}
