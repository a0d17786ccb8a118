/** The bench's own agents (sender, sink): forked with tsx, driven over their IPC channel. */
import { type ChildProcess, fork } from "node:child_process";
import { ROOT } from "../../test/support/process.js";

/** Forks one of the bench agents (TypeScript, run by tsx) with an IPC channel. */
export function forkAgent(path: string, args: readonly string[] = []): ChildProcess {
  return fork(path, [...args], {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

/** Sends a request to an agent and resolves with its next message of type `reply`. */
export function ask<T>(child: ChildProcess, request: object, reply: string, timeoutMs = 60_000) {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: { type?: string }) => {
      if (message.type !== reply) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(message as T);
    };
    const timer = setTimeout(() => {
      child.off("message", onMessage);
      reject(new Error(`agent gave no ${reply} within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on("message", onMessage);
    if (Object.keys(request).length > 0) child.send(request);
  });
}
