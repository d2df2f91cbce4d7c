// The window network keeps around a median to follow it as referrals change (ADR 0009), checked
// against the whole multiset sorted, over random additions and removals.
import { describe, expect, it } from 'vitest';
import {
  MEDIAN_MARGIN,
  medianOf,
  moveWindow,
  windowStart,
  type MedianWindow,
} from '../subgraphs/network/src/repositories/median-window.ts';

/** A window as network computes it: the values at the ranks around the median. */
function windowOf(values: readonly number[]): MedianWindow {
  const sorted = [...values].sort((a, b) => a - b);
  const below = windowStart(sorted.length);
  const inside = sorted.slice(below, below + 2 * MEDIAN_MARGIN + 2);
  return { below, values: inside, above: sorted.length - below - inside.length };
}

/** PostgreSQL's `percentile_cont(0.5)` over `values`. */
function percentileCont(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const row = 0.5 * (sorted.length - 1);
  const first = sorted[Math.floor(row)]!;
  const second = sorted[Math.ceil(row)]!;
  return Math.floor(row) === Math.ceil(row)
    ? first
    : first + (row - Math.floor(row)) * (second - first);
}

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('the window around a median', () => {
  it('gives the median of every multiset it follows, or says it no longer can', async () => {
    let followed = 0;
    let lost = 0;
    for (let seed = 1; seed <= 40; seed += 1) {
      const next = random(seed);
      // Durations in whole seconds, with ties, as the funnels' medians sort.
      const draw = () => Math.floor(next() * 500) * 60;
      let values = Array.from({ length: Math.floor(next() * 600) }, draw);
      let window: MedianWindow | null = windowOf(values);
      for (let round = 0; round < 60 && window; round += 1) {
        const added = Array.from({ length: Math.floor(next() * 4) }, draw);
        const removed: number[] = [];
        const pool = [...values, ...added];
        for (let n = Math.floor(next() * 4); n > 0 && pool.length; n -= 1) {
          removed.push(pool.splice(Math.floor(next() * pool.length), 1)[0]!);
        }
        values = pool;
        window = moveWindow(window, added, removed);
        if (!window) {
          lost += 1;
          break;
        }
        const sorted = [...values].sort((a, b) => a - b);
        expect(window.below + window.values.length + window.above).toBe(values.length);
        expect(window.values).toEqual(
          sorted.slice(window.below, window.below + window.values.length),
        );
        const median = medianOf(window);
        if (median !== undefined) {
          expect(median).toBe(percentileCont(values));
          followed += 1;
        }
      }
    }
    // Most rounds are answered from the window; a window is lost only when drained.
    expect(followed).toBeGreaterThan(1_500);
    expect(lost).toBeLessThan(5);
  });

  it('says so when the median moves out of the window', () => {
    const window = windowOf(Array.from({ length: 1_000 }, (_, i) => i));
    const higher = Array.from({ length: 2 * MEDIAN_MARGIN + 4 }, (_, i) => 10_000 + i);
    const moved = moveWindow(window, higher, []);
    expect(moved).not.toBeNull();
    expect(medianOf(moved!)).toBeUndefined();
    expect(medianOf({ below: 0, values: [], above: 0 })).toBeNull();
    // Emptied with values on both sides, the window cannot place a new one.
    expect(moveWindow({ below: 1, values: [5], above: 1 }, [], [5])).toEqual({
      below: 1,
      values: [],
      above: 1,
    });
    expect(moveWindow({ below: 1, values: [], above: 1 }, [3], [])).toBeNull();
    // A value removed that the window should hold but does not: the window is not trusted.
    expect(moveWindow({ below: 0, values: [1, 3], above: 0 }, [], [2])).toBeNull();
  });
});
