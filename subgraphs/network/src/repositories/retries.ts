// Creations an app may retry: it sends an idempotency key, the same for every retry of one
// creation, and the digest of its input, so that a key reused for something else is refused.

/** A creation's idempotency key and the SHA-256 of its input. */
export interface Retry {
  key: string;
  hash: string;
}

/** What a creation that may be a retry comes to. */
export type Registered<Row> =
  { kind: 'created'; row: Row } | { kind: 'existing'; row: Row } | { kind: 'mismatch' };

/**
 * A creation whose key was taken: the first row when the input matches it, `mismatch` when the
 * key was first used with another input.
 */
export function sameRetry<Row extends { payloadHash: string | null }>(
  first: Row | undefined,
  retry: Retry,
): Registered<Row> {
  if (!first) throw new Error('idempotency conflict without a row');
  return first.payloadHash === retry.hash ? { kind: 'existing', row: first } : { kind: 'mismatch' };
}
