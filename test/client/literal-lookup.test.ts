import { describe, expect, it } from "vitest";
import { literalLookup } from "../../src/client/link.js";

function lookUp(address: string, family: number): Promise<[string, number]> {
  return new Promise((resolve, reject) =>
    literalLookup(address, family as never, (error, found, foundFamily) =>
      error ? reject(error) : resolve([found as string, foundFamily as number]),
    ),
  );
}

describe("literalLookup", () => {
  it("answers an IP literal with itself and its family", async () => {
    expect(await lookUp("127.0.0.1", 4)).toEqual(["127.0.0.1", 4]);
    expect(await lookUp("0.0.0.0", 4)).toEqual(["0.0.0.0", 4]);
    expect(await lookUp("::1", 6)).toEqual(["::1", 6]);
  });

  it("resolves a name with dns.lookup", async () => {
    const [address, family] = await lookUp("localhost", 4);
    expect(family).toBe(4);
    expect(address).toMatch(/^127\./);
  });

  it("passes dns.lookup's error on for a name that does not resolve", async () => {
    await expect(lookUp("no-such-host.invalid", 4)).rejects.toThrow(/ENOTFOUND|EAI_AGAIN/);
  });
});
