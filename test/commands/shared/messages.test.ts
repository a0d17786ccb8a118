import { describe, expect, it } from "vitest";
import { bindErrorText } from "../../../src/commands/shared/messages.js";

describe("bindErrorText", () => {
  it("names the address, what went wrong and the errno code", () => {
    const error = Object.assign(new Error("bind EADDRINUSE 0.0.0.0:9999"), { code: "EADDRINUSE" });
    expect(bindErrorText({ address: "0.0.0.0", port: 9999 }, error)).toBe(
      "cannot listen on udp://0.0.0.0:9999: address already in use (EADDRINUSE)",
    );
  });

  it("falls back to the error message for other errors", () => {
    expect(bindErrorText({ address: "::1", port: 1 }, new Error("odd"))).toBe(
      "cannot listen on udp://[::1]:1: odd",
    );
  });
});
