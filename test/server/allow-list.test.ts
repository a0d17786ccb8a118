import { describe, expect, it } from "vitest";
import { AllowList, canonicalAddress, parseNetwork } from "../../src/server/allow-list.js";

describe("parseNetwork", () => {
  it.each([
    ["10.0.0.0/8", { address: "10.0.0.0", prefix: 8, family: "ipv4" }],
    ["192.0.2.7", { address: "192.0.2.7", prefix: 32, family: "ipv4" }],
    [" 0.0.0.0/0 ", { address: "0.0.0.0", prefix: 0, family: "ipv4" }],
    ["::1", { address: "::1", prefix: 128, family: "ipv6" }],
    ["fd00::/8", { address: "fd00::", prefix: 8, family: "ipv6" }],
    ["::ffff:10.0.0.0/104", { address: "::ffff:10.0.0.0", prefix: 104, family: "ipv6" }],
  ])("reads %s", (text, network) => {
    expect(parseNetwork(text)).toEqual(network);
  });

  it.each([
    "",
    "10.0.0",
    "10.0.0.0/33",
    "::/129",
    "10.0.0.0/",
    "10.0.0.0/-1",
    "10.0.0.0/8/8",
    "example.com",
    "fe80::1%eth0",
    "10.0.0.0/1e1",
  ])("refuses %j with a TypeError saying what is accepted", (text) => {
    expect(() => parseNetwork(text)).toThrow(TypeError);
    expect(() => parseNetwork(text)).toThrow(/expected|e\.g\./);
  });
});

describe("canonicalAddress", () => {
  it.each([
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["::FFFF:10.1.2.3", "10.1.2.3"],
    ["10.1.2.3", "10.1.2.3"],
    ["fe80::1%eth0", "fe80::1"],
    ["::1", "::1"],
    ["::ffff:a01:203", "::ffff:a01:203"],
  ])("%s is known as %s", (address, canonical) => {
    expect(canonicalAddress(address)).toBe(canonical);
  });
});

describe("AllowList", () => {
  const list = new AllowList(["10.0.0.0/8", "192.0.2.7", "fd00::/8", "::1"]);

  it.each([
    ["10.0.0.0", true],
    ["10.255.255.255", true],
    ["11.0.0.0", false],
    ["9.255.255.255", false],
    ["192.0.2.7", true],
    ["192.0.2.8", false],
    ["::ffff:10.1.2.3", true],
    ["::ffff:192.0.2.7", true],
    ["::ffff:11.1.2.3", false],
    ["fd12:3456::1", true],
    ["fe80::1", false],
    ["fe80::1%eth0", false],
    ["::1", true],
    ["::2", false],
    ["127.0.0.1", false],
    ["not an address", false],
    ["", false],
  ])("%s -> %s", (address, allowed) => {
    expect(list.allows(address)).toBe(allowed);
  });

  it("matches an IPv4 source against a ::ffff: rule", () => {
    const mapped = new AllowList(["::ffff:10.0.0.0/104"]);
    expect(mapped.allows("10.9.8.7")).toBe(true);
    expect(mapped.allows("::ffff:10.9.8.7")).toBe(true);
    expect(mapped.allows("11.9.8.7")).toBe(false);
  });

  it("ignores the bits past the prefix, and /0 allows every source of its family", () => {
    expect(new AllowList(["10.1.2.3/8"]).allows("10.200.0.1")).toBe(true);
    const any4 = new AllowList(["0.0.0.0/0"]);
    expect(any4.allows("203.0.113.9")).toBe(true);
    expect(any4.allows("::ffff:203.0.113.9")).toBe(true);
    expect(any4.allows("2001:db8::1")).toBe(false);
  });

  it("throws naming the bad entry", () => {
    expect(() => new AllowList(["10.0.0.0/8", "10.0.0.0/99"])).toThrow(/10\.0\.0\.0\/99/);
  });
});
