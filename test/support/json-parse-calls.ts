import { vi } from "vitest";

/** What `run` returns, and how many times it called JSON.parse. */
export function withJsonParseCalls<T>(run: () => T): { result: T; calls: number } {
  const parse = vi.spyOn(JSON, "parse");
  try {
    const result = run();
    return { result, calls: parse.mock.calls.length };
  } finally {
    parse.mockRestore();
  }
}
