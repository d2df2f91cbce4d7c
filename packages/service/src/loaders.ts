// DataLoader factories: one SQL statement per entity type per request, results put back in the
// order of the keys asked for; and values a subgraph keeps across requests for a while.
import DataLoader from 'dataloader';
import type { Clock } from './clock.ts';

/** PostgreSQL binds one parameter per key; keep batches well under its 65,535 limit. */
export const MAX_BATCH_SIZE = 1000;

/** Loads one row per key (null when there is none). */
export function rowLoader<K, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(
    async (keys) => {
      const byKey = new Map<K, V>();
      for (const row of await fetch(keys)) byKey.set(keyOf(row), row);
      return keys.map((key) => byKey.get(key) ?? null);
    },
    { maxBatchSize: MAX_BATCH_SIZE },
  );
}

/** Loads every row that belongs to each key (an empty list when there is none). */
export function groupLoader<K, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(
    async (keys) => {
      const byKey = new Map<K, V[]>();
      for (const row of await fetch(keys)) {
        const key = keyOf(row);
        const group = byKey.get(key);
        if (group) group.push(row);
        else byKey.set(key, [row]);
      }
      return keys.map((key) => byKey.get(key) ?? []);
    },
    { maxBatchSize: MAX_BATCH_SIZE },
  );
}

/**
 * How long a subgraph keeps the partners it serves before reading them again. They change only
 * when a partner joins (seed, onboarding), never through the API, so reading them on every
 * request was one statement per request for nothing; a partner that joins is served within a
 * minute.
 */
export const SERVED_PARTNERS_MAX_AGE_MS = 60_000;

/**
 * A value kept by the process and read again once it is `maxAgeMs` old (by `clock`): the first
 * call loads it, calls within the age share that load, the first call after it loads anew. A
 * failed load is not kept, so the next call tries again.
 */
export function refreshingValue<T>(
  load: () => Promise<T>,
  { clock, maxAgeMs = SERVED_PARTNERS_MAX_AGE_MS }: { clock: Clock; maxAgeMs?: number },
): () => Promise<T> {
  let current: { value: Promise<T>; expiresAt: number } | undefined;
  return () => {
    const now = clock.now().getTime();
    if (current && now < current.expiresAt) return current.value;
    const value = load();
    const entry = { value, expiresAt: now + maxAgeMs };
    current = entry;
    value.catch(() => {
      if (current === entry) current = undefined;
    });
    return value;
  };
}
