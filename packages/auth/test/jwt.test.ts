import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { HttpRefusal } from '@passerelle/service';
import {
  issueToken,
  TokenRefused,
  VerifiedTokens,
  verifyToken,
  verifyTokenExpiry,
  type DevTokenSettings,
  type VerifiedToken,
} from '../src/index.ts';

const settings: DevTokenSettings = {
  secret: new TextEncoder().encode('a-test-secret-of-at-least-32-bytes!!'),
  issuer: 'passerelle-test',
  audience: 'passerelle',
};

describe('verifyToken', () => {
  it('turns valid claims into a viewer', async () => {
    const token = await issueToken(
      { sub: 'staff:sofia', partner: 'ais-quartiers', role: 'staff', secrecy: true },
      settings,
    );
    await expect(verifyToken(token, settings)).resolves.toEqual({
      sub: 'staff:sofia',
      partner: 'ais-quartiers',
      role: 'staff',
      secrecy: true,
    });
  });

  it('refuses another issuer, another audience, an expired token and a bad signature', async () => {
    const base = { sub: 's', partner: 'ais-quartiers', role: 'staff' as const };
    const other = await issueToken(base, { ...settings, issuer: 'elsewhere' });
    await expect(verifyToken(other, settings)).rejects.toBeInstanceOf(TokenRefused);
    const audience = await issueToken(base, { ...settings, audience: 'other-api' });
    await expect(verifyToken(audience, settings)).rejects.toBeInstanceOf(TokenRefused);
    const expired = await issueToken({ ...base, expiresIn: '-1m' }, settings);
    await expect(verifyToken(expired, settings)).rejects.toThrow('expired');
    const forged = await issueToken(base, {
      ...settings,
      secret: new TextEncoder().encode('x'.repeat(40)),
    });
    await expect(verifyToken(forged, settings)).rejects.toBeInstanceOf(TokenRefused);
  });

  it('pins the algorithm and refuses unsigned tokens', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({
        sub: 's',
        role: 'coordinator',
        iss: settings.issuer,
        aud: settings.audience,
        exp: 9999999999,
      }),
    ).toString('base64url');
    await expect(verifyToken(`${header}.${payload}.`, settings)).rejects.toBeInstanceOf(
      TokenRefused,
    );
  });

  it('refuses unknown roles and staff without a partner', async () => {
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('s')
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setExpirationTime('1h')
        .sign(settings.secret);
    await expect(verifyToken(await sign({ role: 'root' }), settings)).rejects.toThrow('claims');
    await expect(verifyToken(await sign({ role: 'staff' }), settings)).rejects.toThrow('partner');
    await expect(verifyToken(await sign({ role: 'coordinator' }), settings)).resolves.toMatchObject(
      { partner: null },
    );
  });
});

describe('verifyToken in production (JWKS)', () => {
  it('accepts RS256 tokens of the provider and refuses development and confused tokens', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
    const production = {
      secret: createLocalJWKSet({ keys: [jwk] }),
      issuer: 'https://id.example',
      audience: 'passerelle',
    };
    const sign = (
      alg: string,
      key: Parameters<SignJWT['sign']>[0],
      claims = { role: 'staff', partner: 'ais-iris' },
    ) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg, kid: 'k1' })
        .setSubject('staff:koen')
        .setIssuer(production.issuer)
        .setAudience(production.audience)
        .setExpirationTime('1h')
        .sign(key);
    await expect(verifyToken(await sign('RS256', privateKey), production)).resolves.toMatchObject({
      partner: 'ais-iris',
    });
    // A development token (HS256 with the development secret) never passes in production.
    const dev = await issueToken(
      { sub: 's', partner: 'ais-iris', role: 'staff' },
      { ...settings, issuer: production.issuer },
    );
    await expect(verifyToken(dev, production)).rejects.toBeInstanceOf(TokenRefused);
    // HS/RS confusion: an HS256 token keyed with the public key's bytes is refused.
    const publicBytes = new TextEncoder().encode(JSON.stringify(jwk));
    await expect(verifyToken(await sign('HS256', publicBytes), production)).rejects.toBeInstanceOf(
      TokenRefused,
    );
  });
});

describe('VerifiedTokens', () => {
  const staff = { sub: 'staff:sofia', partner: 'ais-quartiers', role: 'staff' as const };

  /** A verifier that counts its calls, with tokens `ok:<expiresAt>` and anything else refused. */
  function counting() {
    const check = async (token: string): Promise<VerifiedToken> => {
      check.calls += 1;
      const [kind, expiresAt] = token.split(':');
      if (kind !== 'ok') throw new TokenRefused('The token is not valid');
      return { viewer: staff, expiresAt: Number(expiresAt) };
    };
    check.calls = 0;
    return check;
  }

  it('checks a token once, then trusts it until it expires or for a minute at most', async () => {
    let now = 1_000_000;
    const check = counting();
    const tokens = new VerifiedTokens(check, { now: () => now });

    await expect(tokens.verify('ok:1030000')).resolves.toEqual(staff);
    await expect(tokens.verify('ok:1030000')).resolves.toEqual(staff);
    expect(check.calls).toBe(1);
    now = 1_030_000; // the token's own expiry
    await tokens.verify('ok:1030000');
    expect(check.calls).toBe(2);

    const long = `ok:${now + 3_600_000}`;
    await tokens.verify(long);
    now += 59_999;
    await tokens.verify(long);
    expect(check.calls).toBe(3);
    now += 1; // a minute after it was checked
    await tokens.verify(long);
    expect(check.calls).toBe(4);
  });

  it('never remembers a refusal, and forgets the oldest tokens past its size', async () => {
    const check = counting();
    const tokens = new VerifiedTokens(check, { now: () => 0, maxEntries: 2 });

    await expect(tokens.verify('forged')).rejects.toBeInstanceOf(TokenRefused);
    await expect(tokens.verify('forged')).rejects.toBeInstanceOf(TokenRefused);
    expect(check.calls).toBe(2);
    expect(tokens.size).toBe(0);

    await tokens.verify('ok:10');
    await tokens.verify('ok:20');
    await tokens.verify('ok:30');
    expect(tokens.size).toBe(2);
    expect(check.calls).toBe(5);
    await tokens.verify('ok:20');
    await tokens.verify('ok:30');
    expect(check.calls).toBe(5);
    await tokens.verify('ok:10');
    expect(check.calls).toBe(6);
  });

  it('trusts real tokens until their expiry claim, and refuses expired ones', async () => {
    const token = await issueToken({ ...staff, expiresIn: '2h' }, settings);
    const verified = await verifyTokenExpiry(token, settings);
    expect(verified.viewer).toEqual(staff);
    expect(verified.expiresAt).toBeGreaterThan(Date.now() + 7_100_000);
    expect(verified.expiresAt).toBeLessThanOrEqual(Date.now() + 7_200_000);
    expect(Object.isFrozen(verified.viewer)).toBe(true);

    const tokens = new VerifiedTokens((text) => verifyTokenExpiry(text, settings));
    const expired = await issueToken({ ...staff, expiresIn: '-1m' }, settings);
    await expect(tokens.verify(expired)).rejects.toThrow('expired');
    await expect(tokens.verify(token)).resolves.toEqual(staff);
  });
});

describe('VerifiedTokens.viewerOf', () => {
  it('reads the viewer of a bearer header, and answers 401 for anything else', async () => {
    const tokens = VerifiedTokens.checking(settings);
    const token = await issueToken({ sub: 's', partner: 'ais-iris', role: 'staff' }, settings);
    await expect(tokens.viewerOf(`Bearer ${token}`)).resolves.toMatchObject({
      partner: 'ais-iris',
    });

    const expired = await issueToken(
      { sub: 's', partner: 'ais-iris', role: 'staff', expiresIn: '-1m' },
      settings,
    );
    for (const header of [undefined, ['Bearer a.b.c'], `Basic ${token}`, 'Bearer not-a-jwt']) {
      await expect(tokens.viewerOf(header)).rejects.toMatchObject({
        status: 401,
        code: 'UNAUTHENTICATED',
        message: 'Send a bearer token: Authorization: Bearer <JWT>',
      });
    }
    const refused = tokens.viewerOf(`Bearer ${expired}`);
    await expect(refused).rejects.toBeInstanceOf(HttpRefusal);
    await expect(refused).rejects.toMatchObject({ status: 401, message: 'The token has expired' });
  });
});
