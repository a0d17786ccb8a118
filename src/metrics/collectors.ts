/**
 * Metrics whose values are read at scrape time from counters that already
 * exist (the server's stats, the client's summary), so nothing is counted
 * twice on the hot path: each scrape sets the metric from a fresh snapshot.
 */
import { Counter, Gauge, type Registry } from "prom-client";

/** Label value -> count. */
export type LabelledValues = Iterable<readonly [string, number]>;

/**
 * Memoizes `read` for one scrape: the metrics of one scrape are collected in
 * one synchronous pass, so they all see the same snapshot, taken once.
 */
export function perScrape<T>(read: () => T): () => T {
  let cached: { readonly value: T } | undefined;
  return () => {
    if (cached === undefined) {
      cached = { value: read() };
      queueMicrotask(() => {
        cached = undefined;
      });
    }
    return cached.value;
  };
}

/** A counter set at every scrape to `value()`. */
export function counterFrom(
  registry: Registry,
  name: string,
  help: string,
  value: () => number,
): Counter {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(value());
    },
  });
}

/** A counter with one label, set at every scrape to `values()` (every label value given, zeros too). */
export function labelledCounterFrom(
  registry: Registry,
  name: string,
  help: string,
  label: string,
  values: () => LabelledValues,
): Counter<string> {
  return new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      this.reset();
      for (const [labelValue, count] of values()) this.inc({ [label]: labelValue }, count);
    },
  });
}

/** A gauge set at every scrape to `value()`. */
export function gaugeFrom(
  registry: Registry,
  name: string,
  help: string,
  value: () => number,
): Gauge {
  return new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(value());
    },
  });
}

/** `known` label values first (zeros included, in that order), then any others `counts` holds. */
export function withZeros(
  known: readonly string[],
  counts: Readonly<Record<string, number>>,
): [string, number][] {
  const values: [string, number][] = known.map((key) => [key, counts[key] ?? 0]);
  for (const [key, count] of Object.entries(counts)) {
    if (!known.includes(key)) values.push([key, count]);
  }
  return values;
}
