import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { oneLine } from "../../src/foundation/one-line.js";

describe("oneLine", () => {
  it("writes line breaks and other control characters as JSON escapes, keeps tabs", () => {
    expect(oneLine('"batch_size: 3\nx: 1\r\n"')).toBe('"batch_size: 3\\nx: 1\\r\\n"');
    expect(oneLine("a\u001b[31mred\u007f\tb")).toBe("a\\u001b[31mred\\u007f\tb");
  });

  it("gives back text without control characters as it is", () => {
    const text = "cannot read /var/log/app.log: ENOENT — é ☃";
    expect(oneLine(text)).toBe(text);
  });

  it("never leaves a line break, and keeps every other character in order", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const out = oneLine(text);
        expect(out).not.toMatch(/[\n\r]/);
        const printable = [...text].filter((c) => {
          const code = c.charCodeAt(0);
          return !((code < 0x20 && code !== 0x09) || code === 0x7f);
        });
        expect(out.replace(/\\(?:n|r|u00[0-9a-f]{2})/g, "")).toBe(
          printable.join("").replace(/\\(?:n|r|u00[0-9a-f]{2})/g, ""),
        );
      }),
    );
  });
});
