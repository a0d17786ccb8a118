/** Plain-text tables and number formats for the bench's output. */

export function count(value: number): string {
  if (!Number.isFinite(value)) return "-";
  return Math.round(value).toLocaleString("en-US");
}

export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "-";
}

export function mib(bytes: number): string {
  return Number.isFinite(bytes) && bytes > 0 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : "-";
}

export function percent(share: number, digits = 1): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(digits)} %` : "-";
}

let markdown = false;

/** Render every table from here on as Markdown (bench/markdown.ts), not aligned text. */
export function useMarkdownTables(): void {
  markdown = true;
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const rule = header.map((_, i) => (i === 0 ? "---" : "--:"));
  return [line(header), line(rule), ...rows.map(line)].join("\n");
}

/** Rows of cells as an aligned table: text left, numbers right, a rule under the header. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  if (markdown) return markdownTable(header, rows);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const numeric = (cell: string) => /^[-+]?[\d,.]+( %| MiB| ms| s)?$|^-$/.test(cell);
  const render = (row: readonly string[]) =>
    row
      .map((cell, i) =>
        numeric(cell) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [render(header), rule, ...rows.map(render)].join("\n");
}
