// Secrets for development: generated once into the git-ignored `.data/` directory so that a
// fresh clone runs without configuration. Production sets them in the environment instead.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MIN_BYTES = 32;

/**
 * The secret named `name`: from `fromEnv` when given, else from `<dataDir>/<name>`, created on
 * first use. Refuses short secrets.
 */
export function loadSecret(name: string, fromEnv: string | undefined, dataDir: string): Uint8Array {
  if (fromEnv) {
    const bytes = Buffer.from(fromEnv, 'utf8');
    if (bytes.length < MIN_BYTES) throw new Error(`${name} must be at least ${MIN_BYTES} bytes`);
    return new Uint8Array(bytes);
  }
  const file = path.join(dataDir, name);
  try {
    return new Uint8Array(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url'));
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(MIN_BYTES);
    try {
      writeFileSync(file, secret.toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch {
      // Another process created it first: use theirs.
      return new Uint8Array(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url'));
    }
    return new Uint8Array(secret);
  }
}
