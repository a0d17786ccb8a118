import { describe, expect, it } from "vitest";
import { Connection } from "../../src/client/connection.js";
import { FakeTime } from "../support/fake-time.js";
import { socketFactory } from "./fakes.js";

describe("Connection re-resolving the target", () => {
  it("keeps the last good address and warns once per failing spell", async () => {
    const clock = new FakeTime();
    const factory = socketFactory();
    let answer: string | Error = "10.0.0.1";
    const warnings: [string, string][] = [];
    const connection = new Connection({
      host: "logs.invalid",
      port: 9999,
      resolveIntervalMs: 1000,
      clock,
      createSocket: factory.create,
      lookup: async () => {
        if (answer instanceof Error) throw answer;
        return { address: answer, family: 4 };
      },
      onResolveFailed: (error, kept) => warnings.push([(error as { code: string }).code, kept]),
    });
    await connection.send(new Uint8Array([1]));
    answer = Object.assign(new Error("getaddrinfo ENOTFOUND logs.invalid"), { code: "ENOTFOUND" });
    await clock.advance(1000);
    await clock.advance(1000);
    await clock.advance(1000);
    expect(warnings).toEqual([["ENOTFOUND", "10.0.0.1"]]);
    expect(connection.address).toBe("10.0.0.1");
    await connection.send(new Uint8Array([2]));
    expect(factory.sockets).toHaveLength(1);
    answer = "10.0.0.1";
    await clock.advance(1000);
    answer = Object.assign(new Error("try again"), { code: "EAI_AGAIN" });
    await clock.advance(1000);
    expect(warnings).toEqual([
      ["ENOTFOUND", "10.0.0.1"],
      ["EAI_AGAIN", "10.0.0.1"],
    ]);
    connection.close();
  });
});
