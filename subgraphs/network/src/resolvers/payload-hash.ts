// Recognising a retried creation: the app sends the same idempotency key with the same input.
import { createHash } from 'node:crypto';

/**
 * A stable digest of what a creation asks for, its idempotency key left out, so that a retry
 * with the same input is recognised and a reused key with a different input is refused.
 */
export function payloadHash(value: { idempotencyKey?: string | null }): string {
  const { idempotencyKey: _key, ...payload } = value;
  const canonical = JSON.stringify(payload, Object.keys(flatten(payload)).sort());
  return createHash('sha256').update(canonical).digest('hex');
}

/** Every key of a nested plain object, so `JSON.stringify` keeps them all in a fixed order. */
function flatten(value: unknown, keys: Record<string, true> = {}): Record<string, true> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) {
      keys[key] = true;
      flatten(inner, keys);
    }
  }
  return keys;
}
