// Signed calls between services. Only the gateway (and, for write checks, a partner subgraph
// calling network) may reach a subgraph: every request carries an HMAC-SHA256 signature over a
// timestamp, a one-time nonce, the signer, the receiving subgraph, the asserted viewer, the
// request id and a hash of the exact body. A subgraph refuses, before GraphQL runs, anything
// unsigned, signed with another key, older than 60 s, altered or replayed.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-passerelle-signature';
/** How old a signature may be when it arrives. */
export const MAX_SIGNATURE_AGE_MS = 60_000;
/** How far ahead of our clock a signer's clock may run. */
const MAX_CLOCK_AHEAD_MS = 5_000;

export interface SignedFields {
  /** Who signs: `gateway`, or the name of the subgraph making an internal call. */
  signer: string;
  /** The subgraph that will receive the request. */
  audience: string;
  /** The viewer header exactly as sent. */
  viewer: string;
  requestId: string;
  body: string | Buffer;
}

function canonical(fields: SignedFields, timestamp: number, nonce: string): string {
  const bodyHash = createHash('sha256').update(fields.body).digest('hex');
  return [
    'v1',
    timestamp,
    nonce,
    fields.signer,
    fields.audience,
    fields.viewer,
    fields.requestId,
    bodyHash,
  ].join('\n');
}

function mac(key: Uint8Array, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

/** The signature header value for one request. */
export function signRequest(key: Uint8Array, fields: SignedFields, now = Date.now()): string {
  // 122 random bits, drawn from a pool Node refills every 128 calls rather than on each one.
  const nonce = randomUUID();
  const signature = mac(key, canonical(fields, now, nonce)).toString('base64url');
  return `t=${now},n=${nonce},s=${fields.signer},v1=${signature}`;
}

/** Why a signed request was refused; the message is safe to send back. */
export class SignatureRefused extends Error {}

/**
 * Remembers the nonces seen within the signature lifetime, so that no request is played twice.
 * Nonces are kept in arrival order, which is their expiry order give or take the clock skew a
 * signer is allowed: each claim drops the expired ones at the front and stops at the first live
 * one, so a claim costs the same at 10 or 10,000 requests a second.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  /** Records `nonce`; false when it was already seen and has not expired. */
  claim(nonce: string, expiresAt: number, now = Date.now()): boolean {
    this.dropExpired(now);
    const known = this.seen.get(nonce);
    if (known !== undefined && known > now) return false;
    // Deleting first puts a reused (expired) nonce back at the end of the arrival order.
    this.seen.delete(nonce);
    this.seen.set(nonce, expiresAt);
    return true;
  }

  /** How many nonces are remembered. */
  get size(): number {
    return this.seen.size;
  }

  private dropExpired(now: number): void {
    for (const [nonce, expiresAt] of this.seen) {
      if (expiresAt > now) return;
      this.seen.delete(nonce);
    }
  }
}

export interface VerifyOptions {
  audience: string;
  /** The key a signer must use towards this subgraph; undefined refuses the signer. */
  keyFor: (signer: string) => Uint8Array | undefined;
  replay: ReplayGuard;
  now?: number;
}

/** Checks a request's signature; returns the signer or throws SignatureRefused. */
export function verifyRequest(
  header: string | undefined,
  fields: Omit<SignedFields, 'signer' | 'audience'>,
  options: VerifyOptions,
): string {
  if (!header) throw new SignatureRefused('Requests must come through the gateway');
  const parts = Object.fromEntries(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at), part.slice(at + 1)];
    }),
  ) as Record<string, string | undefined>;
  const timestamp = Number(parts['t']);
  const { n: nonce, s: signer, v1: signature } = parts;
  if (!Number.isSafeInteger(timestamp) || !nonce || !signer || !signature) {
    throw new SignatureRefused('Malformed signature');
  }
  const now = options.now ?? Date.now();
  if (now - timestamp > MAX_SIGNATURE_AGE_MS || timestamp - now > MAX_CLOCK_AHEAD_MS) {
    throw new SignatureRefused('Signature expired');
  }
  const key = options.keyFor(signer);
  if (!key) throw new SignatureRefused('Unknown signer');
  const expected = mac(
    key,
    canonical({ ...fields, signer, audience: options.audience }, timestamp, nonce),
  );
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SignatureRefused('Invalid signature');
  }
  if (!options.replay.claim(nonce, timestamp + MAX_SIGNATURE_AGE_MS + MAX_CLOCK_AHEAD_MS, now)) {
    throw new SignatureRefused('Signature already used');
  }
  return signer;
}

/**
 * The gateway's word, for network, that it forwards `viewer` in request `requestId`: sent with
 * every request to a partner subgraph, which hands it on with its calls to network. A partner
 * subgraph's key then reads from network only in the name of a viewer the gateway authenticated
 * in the last 60 s, not in anyone's name it chooses. Made with the gateway's key towards network,
 * which partner subgraphs do not hold.
 */
export const VOUCHER_HEADER = 'x-passerelle-viewer-voucher';

function voucherText(viewer: string, requestId: string, timestamp: number): string {
  return ['voucher-v1', timestamp, viewer, requestId].join('\n');
}

/** The voucher header value for `viewer` (the viewer header exactly as sent) in `requestId`. */
export function vouchForViewer(
  key: Uint8Array,
  fields: { viewer: string; requestId: string },
  now = Date.now(),
): string {
  const tag = mac(key, voucherText(fields.viewer, fields.requestId, now)).toString('base64url');
  return `t=${now},v1=${tag}`;
}

/**
 * Checks that a call a partner subgraph makes to network carries the gateway's voucher for the
 * same viewer and request, at most 60 s old; throws SignatureRefused otherwise. A voucher may be
 * shown more than once: every call to network of one request carries it.
 */
export function verifyVoucher(
  header: string | undefined,
  fields: { viewer: string; requestId: string },
  key: Uint8Array | undefined,
  now = Date.now(),
): void {
  const match = header ? /^t=(\d{1,16}),v1=([\w-]{1,100})$/.exec(header) : null;
  if (!match || !key) throw new SignatureRefused('Internal calls must carry the gateway voucher');
  const timestamp = Number(match[1]);
  if (now - timestamp > MAX_SIGNATURE_AGE_MS || timestamp - now > MAX_CLOCK_AHEAD_MS) {
    throw new SignatureRefused('Voucher expired');
  }
  const expected = mac(key, voucherText(fields.viewer, fields.requestId, timestamp));
  const given = Buffer.from(match[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SignatureRefused('Invalid voucher');
  }
}

/**
 * The development key between `signer` and `audience`, derived from one master secret so that
 * a fresh clone needs no configuration. Production gives each key in the environment instead.
 */
export function deriveKey(master: Uint8Array, signer: string, audience: string): Uint8Array {
  return new Uint8Array(mac(master, `passerelle-signing:${signer}->${audience}`));
}
