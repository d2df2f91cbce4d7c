// Who is calling, from the bearer token. The gateway verifies it (algorithm pinned, issuer,
// audience and expiry checked) and turns its claims into the viewer it asserts to subgraphs.
import type { webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { HttpRefusal, roles, viewerSchema, type Role, type Viewer } from '@passerelle/service';

export const DEFAULT_ISSUER = 'passerelle-dev';
export const DEFAULT_AUDIENCE = 'passerelle';

export interface TokenSettings {
  /**
   * Development: the HS256 secret (at least 32 bytes). Production: the identity provider's
   * public keys (JWKS), verified with RS256 or ES256 only — so a development token, or an
   * HS256 token made with a public key, never passes.
   */
  secret: Uint8Array | JWTVerifyGetKey;
  issuer: string;
  audience: string;
}

/** Settings that can sign: development, with a shared secret. */
export type DevTokenSettings = TokenSettings & { secret: Uint8Array };

const algorithmsFor = (settings: TokenSettings) =>
  settings.secret instanceof Uint8Array ? ['HS256'] : ['RS256', 'ES256'];

/** Why a token was refused; the message is safe to show to the caller. */
export class TokenRefused extends Error {}

/**
 * The development secret as a verifying key, imported once per secret: given the raw bytes, jose
 * imports a WebCrypto key on every call, which was close to half the cost of a verification.
 */
const hmacKeys = new WeakMap<Uint8Array, Promise<webcrypto.CryptoKey>>();
function hmacKey(secret: Uint8Array): Promise<webcrypto.CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      new Uint8Array(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    hmacKeys.set(secret, key);
  }
  return key;
}

/** A verified token: who it speaks for, and until when (milliseconds since the epoch). */
export interface VerifiedToken {
  viewer: Viewer;
  expiresAt: number;
}

/** Verifies a token and says until when it holds; throws TokenRefused. */
export async function verifyTokenExpiry(
  token: string,
  settings: TokenSettings,
): Promise<VerifiedToken> {
  let payload: JWTPayload;
  try {
    const options = {
      algorithms: algorithmsFor(settings),
      issuer: settings.issuer,
      audience: settings.audience,
      requiredClaims: ['sub', 'exp', 'role'],
    };
    ({ payload } =
      settings.secret instanceof Uint8Array
        ? await jwtVerify(token, await hmacKey(settings.secret), options)
        : await jwtVerify(token, settings.secret, options));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenRefused('The token has expired');
    throw new TokenRefused('The token is not valid');
  }
  const viewer = viewerSchema.safeParse({
    sub: payload.sub,
    partner: payload['partner'] ?? null,
    role: payload['role'],
    secrecy: payload['secrecy'] === true ? true : undefined,
  });
  if (!viewer.success) throw new TokenRefused('The token claims are not valid');
  if (
    viewer.data.partner === null &&
    !['coordinator', 'beneficiary', 'service'].includes(viewer.data.role)
  ) {
    throw new TokenRefused(`The role ${viewer.data.role} needs a partner claim`);
  }
  // `exp` is required above and jose checked it is a number.
  return { viewer: Object.freeze(viewer.data), expiresAt: (payload.exp ?? 0) * 1000 };
}

export async function verifyToken(token: string, settings: TokenSettings): Promise<Viewer> {
  return (await verifyTokenExpiry(token, settings)).viewer;
}

export interface VerifiedTokensOptions {
  /** How long a verification is trusted, at most; a token's own expiry comes first. */
  maxAgeMs?: number;
  /** How many tokens are remembered; the oldest are forgotten first. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * The tokens a gateway verified lately. A partner app sends the same token with every request for
 * hours; checking its signature each time was a tenth of the gateway's work on a simple query.
 * A token is trusted again until it expires, and for a minute at most: once the gateway's key set
 * no longer holds a withdrawn key, tokens signed with it stop counting within a minute. Refused
 * tokens are not remembered: each try is checked afresh.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, VerifiedToken>();
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly check: (token: string) => Promise<VerifiedToken>,
    options: VerifiedTokensOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Tokens checked against `settings`, as both gateways check them. */
  static checking(settings: TokenSettings, options?: VerifiedTokensOptions): VerifiedTokens {
    return new VerifiedTokens((token) => verifyTokenExpiry(token, settings), options);
  }

  /**
   * The viewer an `Authorization: Bearer <JWT>` header speaks for. A missing, malformed or refused
   * token is an HTTP 401 UNAUTHENTICATED, with a message safe to send back.
   */
  async viewerOf(authorization: string | string[] | undefined): Promise<Viewer> {
    const match =
      typeof authorization === 'string'
        ? /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization)
        : null;
    if (!match?.[1]) {
      throw new HttpRefusal(
        401,
        'UNAUTHENTICATED',
        'Send a bearer token: Authorization: Bearer <JWT>',
      );
    }
    try {
      return await this.verify(match[1]);
    } catch (error) {
      if (error instanceof TokenRefused) {
        throw new HttpRefusal(401, 'UNAUTHENTICATED', error.message);
      }
      throw error;
    }
  }

  async verify(token: string): Promise<Viewer> {
    const now = this.now();
    const known = this.entries.get(token);
    if (known && known.expiresAt > now) return known.viewer;
    if (known) this.entries.delete(token);
    const verified = await this.check(token);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, {
      viewer: verified.viewer,
      expiresAt: Math.min(verified.expiresAt, now + this.maxAgeMs),
    });
    return verified.viewer;
  }

  /** How many tokens are remembered. */
  get size(): number {
    return this.entries.size;
  }
}

export interface IssueOptions {
  sub: string;
  partner: string | null;
  role: Role;
  secrecy?: boolean;
  /** Lifetime, in jose's notation, for example `8h`. */
  expiresIn?: string;
}

/** Signs a development token (HS256); production tokens come from the identity provider. */
export async function issueToken(
  options: IssueOptions,
  settings: DevTokenSettings,
): Promise<string> {
  if (!roles.includes(options.role)) throw new Error(`Unknown role ${options.role}`);
  const claims: JWTPayload = { role: options.role };
  if (options.partner) claims['partner'] = options.partner;
  if (options.secrecy) claims['secrecy'] = true;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '8h')
    .sign(settings.secret);
}
