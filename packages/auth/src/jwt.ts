// Who is calling, from the bearer token. The gateway verifies it (algorithm pinned, issuer,
// audience and expiry checked) and turns its claims into the viewer it asserts to subgraphs.
import type { webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { roles, viewerSchema, type Role, type Viewer } from '@passerelle/service';

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

export async function verifyToken(token: string, settings: TokenSettings): Promise<Viewer> {
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
  return viewer.data;
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
