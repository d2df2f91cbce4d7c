// The values around a median, kept to follow it as values come and go (ADR 0009): the sorted
// values at consecutive ranks of a multiset, and how many lie on each side. Enough to give the
// median exactly while it stays inside, without the rest of the values.

export interface MedianWindow {
  /** How many values rank before the window. */
  below: number;
  /** The values at ranks `below`, `below + 1`, …, in ascending order. */
  values: number[];
  /** How many values rank after the window. */
  above: number;
}

/** How many values on each side of the median a window starts with. */
export const MEDIAN_MARGIN = 100;

/** The rank of the first value a window holds, for `count` values (0 for none). */
export const windowStart = (count: number) =>
  count === 0 ? 0 : Math.max(Math.floor((count - 1) / 2) - MEDIAN_MARGIN, 0);

/** Where `value` goes among sorted `values`: after the values lower or equal. */
function insertionPoint(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The window after `added` values joined the multiset and `removed` values left it, or null when
 * it can no longer say where the values are (emptied while values lie on both sides). The
 * additions are applied first, so that a value added and removed since comes and goes in order.
 */
export function moveWindow(
  window: MedianWindow,
  added: readonly number[],
  removed: readonly number[],
): MedianWindow | null {
  const values = [...window.values];
  let { below, above } = window;
  for (const value of added) {
    if (values.length === 0) {
      if (below > 0 || above > 0) return null;
      values.push(value);
    } else if (value < values[0]!) below += 1;
    else if (value > values.at(-1)!) above += 1;
    else values.splice(insertionPoint(values, value), 0, value);
  }
  for (const value of removed) {
    if (values.length === 0) return null;
    if (value < values[0]!) below -= 1;
    else if (value > values.at(-1)!) above -= 1;
    else {
      // Between the first and the last, every copy of the value is inside the window.
      const at = insertionPoint(values, value) - 1;
      if (values[at] !== value) return null;
      values.splice(at, 1);
    }
  }
  if (below < 0 || above < 0) return null;
  return { below, values, above };
}

/**
 * The median of the multiset, as PostgreSQL's `percentile_cont(0.5)` computes it (the two middle
 * values interpolated the same way, to the same double); null for no value, undefined when a
 * middle value lies outside the window.
 */
export function medianOf(window: MedianWindow): number | null | undefined {
  const count = window.below + window.values.length + window.above;
  if (count === 0) return null;
  const first = window.values[Math.floor((count - 1) / 2) - window.below];
  const second = window.values[Math.ceil((count - 1) / 2) - window.below];
  if (first === undefined || second === undefined) return undefined;
  return first === second ? first : first + 0.5 * (second - first);
}
