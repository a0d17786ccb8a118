import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { natsHeaderBytes, planPublishes } from "../../../src/server/outputs/nats-publishes.js";
import {
  compileSubject,
  MAX_TOKEN_CHARS,
  token,
} from "../../../src/server/outputs/nats-subject.js";

describe("the NATS subject template", () => {
  it("renders fields, nested fields and literal parts", () => {
    const t = compileSubject("logs.{service}.x-{metadata.region}");
    expect(t.streamSubject).toBe("logs.*.*");
    expect(t.render({ service: "api", metadata: { region: "eu-1" } })).toBe("logs.api.x-eu-1");
    expect(t.render({ service: "a.b *>c\td\u0000" })).toBe("logs.a_b___c_d_.x-unknown");
    expect(t.render({ service: "", metadata: "flat" })).toBe("logs.unknown.x-unknown");
    expect(t.render({ service: 42, metadata: { region: { deep: 1 } } })).toBe("logs.42.x-unknown");
  });

  it("keeps a template without fields as one fixed subject", () => {
    const t = compileSubject("all.logs");
    expect(t.fixed).toBe(true);
    expect(t.streamSubject).toBe("all.logs");
    expect(t.render({ service: "x" })).toBe("all.logs");
  });

  it.each([
    "logs..{service}",
    "logs.*",
    "logs.>",
    "logs.{}",
    "logs.{a b}",
    "logs.{service",
    "",
    "logs. x",
  ])("refuses %j, naming the option", (template) => {
    expect(() => compileSubject(template)).toThrow(/^--nats-subject: /);
  });

  it("makes any value one safe, bounded token", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.integer(), fc.constant(null)),
        (value) => {
          const t = token(value);
          expect(t.length).toBeGreaterThan(0);
          expect(Array.from(t).length).toBeLessThanOrEqual(MAX_TOKEN_CHARS);
          expect(t).not.toMatch(/[.*>\s\p{C}]/u);
        },
      ),
    );
  });
});

describe("the publishes of a batch", () => {
  const subjects = compileSubject("logs.{service}");
  const a1 = '{"service":"a","message":"1"}';
  const a2 = '{"service":"a","message":"2"}';
  const b1 = '{"service":"b","message":"3"}';
  const messages = [
    { id: "00000000000000aa-1", entries: [a1, a2] },
    { id: "00000000000000aa-2", entries: [a1, b1, a2] },
  ];
  const view = (p: ReturnType<typeof planPublishes>) =>
    p.map((x) => [x.subject, x.id, Buffer.from(x.payload).toString()]);

  it("in entry mode: one per entry, id <message id>-<i>", () => {
    expect(view(planPublishes(messages, subjects, "entry", 1 << 20))).toEqual([
      ["logs.a", "00000000000000aa-1-0", a1],
      ["logs.a", "00000000000000aa-1-1", a2],
      ["logs.a", "00000000000000aa-2-0", a1],
      ["logs.b", "00000000000000aa-2-1", b1],
      ["logs.a", "00000000000000aa-2-2", a2],
    ]);
  });

  it("in batch mode: one NDJSON per message; one of several subjects stored one by one", () => {
    expect(view(planPublishes(messages, subjects, "batch", 1 << 20))).toEqual([
      ["logs.a", "00000000000000aa-1", `${a1}\n${a2}\n`],
      ["logs.a", "00000000000000aa-2-0", a1],
      ["logs.b", "00000000000000aa-2-1", b1],
      ["logs.a", "00000000000000aa-2-2", a2],
    ]);
  });

  it("counts the id's header in what one NATS message holds, to the byte", () => {
    // NATS/1.0 CRLF, Nats-Msg-Id: <id> CRLF, CRLF: 27 bytes and the id.
    expect(natsHeaderBytes("00000000000000aa-1")).toBe(27 + 18);
    const whole = `${a1}\n${a2}\n`.length;
    const fits = whole + natsHeaderBytes("00000000000000aa-1");
    const one = [messages[0] as (typeof messages)[0]];
    expect(view(planPublishes(one, subjects, "batch", fits))).toEqual([
      ["logs.a", "00000000000000aa-1", `${a1}\n${a2}\n`],
    ]);
    // A byte less: the message is stored one by one, under the ids of section 7.
    expect(view(planPublishes(one, subjects, "batch", fits - 1)).map((p) => p[1])).toEqual([
      "00000000000000aa-1-0",
      "00000000000000aa-1-1",
    ]);
  });

  it("stores a message past max_payload one by one, and refuses an entry that cannot fit", () => {
    const big = `{"service":"a","message":"${"x".repeat(600)}"}`;
    const plan = planPublishes([{ id: "m", entries: [big, big, big] }], subjects, "batch", 1300);
    expect(plan.map((p) => [p.id, p.payload.length])).toEqual([
      ["m-0", big.length],
      ["m-1", big.length],
      ["m-2", big.length],
    ]);
    const exact = big.length + natsHeaderBytes("m-0");
    expect(planPublishes([{ id: "m", entries: [big] }], subjects, "entry", exact)).toHaveLength(1);
    expect(() =>
      planPublishes([{ id: "m", entries: [big] }], subjects, "entry", exact - 1),
    ).toThrow(new RegExp(`more than the ${big.length - 1} a NATS message holds`));
  });
});
