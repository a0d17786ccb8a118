import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planPublishes } from "../../../src/server/outputs/nats-publishes.js";
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

  it("in batch mode: one NDJSON per message and subject, never two messages under one id", () => {
    expect(view(planPublishes(messages, subjects, "batch", 1 << 20))).toEqual([
      ["logs.a", "00000000000000aa-1", `${a1}\n${a2}\n`],
      ["logs.a", "00000000000000aa-2@logs.a", `${a1}\n${a2}\n`],
      ["logs.b", "00000000000000aa-2@logs.b", `${b1}\n`],
    ]);
  });

  it("cuts a message past max_payload between entries, and refuses an entry that cannot fit", () => {
    const big = `{"service":"a","message":"${"x".repeat(600)}"}`;
    const plan = planPublishes(
      [{ id: "m", entries: [big, big, big] }],
      subjects,
      "batch",
      1024 + 1300,
    );
    expect(plan.map((p) => [p.id, p.payload.length])).toEqual([
      ["m#0", 2 * (big.length + 1)],
      ["m#1", big.length + 1],
    ]);
    expect(() =>
      planPublishes([{ id: "m", entries: [big] }], subjects, "entry", 1024 + 100),
    ).toThrow(/more than the 100/);
  });
});
