/** Parts of the periodic stats line (stats.ts): kernel drops, top sources, rates. */

import type { OutputsSummary } from "./outputs/output-stats.js";
import type { TopSources } from "./sources.js";
import type { ServerStats } from "./stats.js";

export function kernelDropsText(
  stats: Pick<ServerStats, "kernel_drops" | "kernel_drops_source">,
): string {
  if (stats.kernel_drops === null) return "kernel_drops=unavailable";
  const scope = stats.kernel_drops_source === "system" ? " (system-wide)" : "";
  return `kernel_drops=${stats.kernel_drops}${scope}`;
}

/** `top_sources=10.0.0.5(1200),2001:db8::1(30) top_rejected=...`, each part only when non-empty. */
export function topSourcesText(top: TopSources): string[] {
  const parts: string[] = [];
  const list = (items: readonly { source: string; count: number }[]) =>
    items.map(({ source, count }) => `${source}(${count})`).join(",");
  if (top.by_datagrams.length > 0) {
    parts.push(`top_sources=${list(top.by_datagrams.map((s) => ({ ...s, count: s.datagrams })))}`);
  }
  if (top.by_rejections.length > 0) {
    parts.push(
      `top_rejected=${list(top.by_rejections.map((s) => ({ ...s, count: s.rejections })))}`,
    );
  }
  return parts;
}

export function rate(now: number, before: number, elapsedMs: number): string {
  if (elapsedMs <= 0) return "0";
  return Math.round(((now - before) * 1000) / elapsedMs).toString();
}

/**
 * `output[file:/var/log/a]=delivered:1200,queued:0,dropped:0,spool_bytes:0`,
 * one part per output; none when stdout is the only output.
 */
export function outputsText(outputs: OutputsSummary): string[] {
  const names = Object.keys(outputs);
  if (names.length === 0 || (names.length === 1 && names[0] === "stdout")) return [];
  return Object.entries(outputs).map(([name, o]) => {
    let dropped = 0;
    for (const count of Object.values(o.dropped)) dropped += count;
    return `output[${name}]=delivered:${o.entries},queued:${o.queued},dropped:${dropped},spool_bytes:${o.spool_bytes}`;
  });
}
