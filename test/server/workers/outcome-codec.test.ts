import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { packOutcomes, unpackOutcomes } from "../../../src/server/workers/outcome-codec.js";
import { DATAGRAM_KINDS } from "../../../src/wire/kinds.js";
import { outcome } from "../../../src/wire/outcome.js";
import { REJECT_REASONS } from "../../../src/wire/reasons.js";
import type { DecodeOutcome } from "../../../src/wire/types.js";

const entry = fc.dictionary(fc.string(), fc.string()).map((o) => JSON.stringify(o));
const stream = fc
  .uint8Array({ minLength: 8, maxLength: 8 })
  .map((bytes) => Buffer.from(bytes).toString("hex"));
const seq = fc.nat({ max: 2 ** 32 - 1 });

const anOutcome: fc.Arbitrary<DecodeOutcome> = fc
  .record({
    kind: fc.constantFrom(...DATAGRAM_KINDS),
    entries: fc.array(entry, { maxLength: 5 }),
    rejected: fc.option(fc.constantFrom(...REJECT_REASONS), { nil: undefined }),
    invalidEntries: fc.nat({ max: 1000 }),
    duplicate: fc.boolean(),
    pending: fc.boolean(),
    sequence: fc.option(fc.record({ stream, seq }), { nil: undefined }),
    ack: fc.boolean(),
  })
  .map(({ sequence, ack, ...fields }) => ({
    ...fields,
    ...(sequence ?? {}),
    ...(sequence !== undefined && ack ? { ackRequested: { ...sequence } } : {}),
  }));

describe("packOutcomes and unpackOutcomes", () => {
  it("give the same outcomes back", () => {
    fc.assert(
      fc.property(fc.array(anOutcome, { maxLength: 20 }), (outcomes) => {
        expect(unpackOutcomes(packOutcomes(outcomes))).toEqual(outcomes);
      }),
    );
  });

  it("keep an acknowledgement asked by a fragment that has no stream of its own yet", () => {
    const pending = {
      ...outcome("framed", { pending: true }),
      ackRequested: { stream: "00ff00ff00ff00ff", seq: 9 },
    };
    expect(unpackOutcomes(packOutcomes([pending]))).toEqual([pending]);
  });

  it("carry entries of several outcomes in order, empty ones between", () => {
    const outcomes = [
      outcome("json", { entries: ['{"a":1}', '{"b":"x\\ny"}'] }),
      outcome("syslog", { rejected: "invalid-syslog" }),
      outcome("framed", { entries: ['{"c":3}'], stream: "0123456789abcdef", seq: 4 }),
    ];
    const packed = packOutcomes(outcomes);
    expect(packed.entries).toBe('{"a":1}\n{"b":"x\\ny"}\n{"c":3}');
    expect(unpackOutcomes(packed)).toEqual(outcomes);
  });
});
