// Deterministic randomness for the generated datasets: one seeded generator (never Math.random)
// and ids derived from names, so the same seed writes the same rows on every machine.
import { createHash } from 'node:crypto';
import { brusselsInstant } from '@passerelle/service';

/** A small, fast 32-bit generator (mulberry32); good enough to draw a dataset, not for secrets. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One item drawn with the given weights (same order as `items`). */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let draw = this.next() * total;
    for (let index = 0; index < items.length; index += 1) {
      draw -= weights[index]!;
      if (draw < 0) return items[index]!;
    }
    return items[items.length - 1]!;
  }

  /** `count` distinct items of `items` (all of them when there are fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    if (count >= items.length) return [...items];
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(Math.floor(this.next() * items.length));
    return [...chosen].map((index) => items[index]!);
  }
}

/** A stable UUID (version-4 layout) for a name, as the demo data derives its ids. */
export function nameId(name: string): string {
  const hex = createHash('sha256').update(`passerelle-brussels:${name}`).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of an instant (UTC). */
export const isoDay = (at: Date): string => at.toISOString().slice(0, 10);

export const plusDays = (at: Date, days: number): Date => new Date(at.getTime() + days * DAY_MS);

export const plusMinutes = (at: Date, minutes: number): Date =>
  new Date(at.getTime() + minutes * 60_000);

const instants = new Map<string, Date>();

/** `brusselsInstant`, remembered: the dataset asks for the same few thousand days many times. */
export function brusselsAt(day: string, time: string): Date {
  const key = `${day}T${time}`;
  let found = instants.get(key);
  if (!found) instants.set(key, (found = brusselsInstant(day, time)));
  return new Date(found.getTime());
}
