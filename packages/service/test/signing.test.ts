import { describe, expect, it } from 'vitest';
import {
  deriveKey,
  ReplayGuard,
  signRequest,
  SignatureRefused,
  verifyRequest,
  verifyVoucher,
  vouchForViewer,
} from '../src/signing.ts';

const master = new TextEncoder().encode('m'.repeat(32));
const key = deriveKey(master, 'gateway', 'housing');
const fields = {
  viewer: 'dmlld2Vy',
  requestId: 'req-12345678',
  body: '{"query":"{ _service { sdl } }"}',
};

function verify(
  header: string | undefined,
  overrides: Partial<typeof fields> = {},
  now?: number,
  replay = new ReplayGuard(),
) {
  return verifyRequest(
    header,
    { ...fields, ...overrides },
    {
      audience: 'housing',
      keyFor: (signer) => (signer === 'gateway' ? key : undefined),
      replay,
      ...(now === undefined ? {} : { now }),
    },
  );
}

describe('request signatures', () => {
  it('accepts a fresh signature from a known signer', () => {
    expect(verify(signRequest(key, { ...fields, signer: 'gateway', audience: 'housing' }))).toBe(
      'gateway',
    );
  });

  it('refuses missing, malformed, foreign, stale, altered and replayed signatures', () => {
    const sign = (at = Date.now()) =>
      signRequest(key, { ...fields, signer: 'gateway', audience: 'housing' }, at);
    expect(() => verify(undefined)).toThrow(SignatureRefused);
    expect(() => verify('t=1,v1=x')).toThrow('Malformed');
    const otherKey = deriveKey(master, 'gateway', 'network');
    expect(() =>
      verify(signRequest(otherKey, { ...fields, signer: 'gateway', audience: 'housing' })),
    ).toThrow('Invalid');
    expect(() =>
      verify(signRequest(key, { ...fields, signer: 'training', audience: 'housing' })),
    ).toThrow('Unknown signer');
    expect(() => verify(sign(Date.now() - 61_000))).toThrow('expired');
    expect(() => verify(sign(Date.now() + 60_000))).toThrow('expired');
    expect(() => verify(sign(), { body: '{"query":"{ x }"}' })).toThrow('Invalid');
    expect(() => verify(sign(), { viewer: 'Zm9yZ2Vk' })).toThrow('Invalid');
    expect(() => verify(sign(), { requestId: 'other' })).toThrow('Invalid');
    const replay = new ReplayGuard();
    const once = sign();
    expect(verify(once, {}, undefined, replay)).toBe('gateway');
    expect(() => verify(once, {}, undefined, replay)).toThrow('already used');
  });

  it('forgets nonces once expired and refuses them only while they live', () => {
    const replay = new ReplayGuard();
    const start = 1_000_000;
    for (let i = 0; i < 1_000; i += 1)
      expect(replay.claim(`n${i}`, start + i + 60_000, start + i)).toBe(true);
    expect(replay.size).toBe(1_000);
    expect(replay.claim('n999', start + 61_000, start + 1_000)).toBe(false);
    // Half a second past the first 500 expiries, only the later 500 remain.
    expect(replay.claim('fresh', start + 120_500, start + 60_500)).toBe(true);
    expect(replay.size).toBe(500);
    expect(replay.claim('n10', start + 120_500, start + 60_500)).toBe(true);
    expect(replay.claim('n10', start + 120_500, start + 60_600)).toBe(false);
  });

  it('derives a different key for every signer and audience', () => {
    const keys = [
      deriveKey(master, 'gateway', 'housing'),
      deriveKey(master, 'gateway', 'network'),
      deriveKey(master, 'housing', 'network'),
    ].map((k) => Buffer.from(k).toString('hex'));
    expect(new Set(keys).size).toBe(3);
  });
});

describe("the gateway's voucher for a viewer", () => {
  const toNetwork = deriveKey(master, 'gateway', 'network');
  const who = { viewer: fields.viewer, requestId: fields.requestId };
  const at = 1_800_000_000_000;
  const check = (header: string | undefined, overrides: Partial<typeof who> = {}, now = at) => {
    try {
      verifyVoucher(header, { ...who, ...overrides }, toNetwork, now);
      return 'accepted';
    } catch (error) {
      if (!(error instanceof SignatureRefused)) throw error;
      return error.message;
    }
  };

  it('is accepted for its viewer and request, as often as a request calls network', () => {
    const voucher = vouchForViewer(toNetwork, who, at);
    expect(check(voucher)).toBe('accepted');
    expect(check(voucher, {}, at + 59_000)).toBe('accepted');
  });

  it('is refused for another viewer or request, when stale, missing or made with another key', () => {
    const voucher = vouchForViewer(toNetwork, who, at);
    expect(check(voucher, { viewer: 'b3RoZXI' })).toBe('Invalid voucher');
    expect(check(voucher, { requestId: 'req-other-1' })).toBe('Invalid voucher');
    expect(check(voucher, {}, at + 61_000)).toBe('Voucher expired');
    expect(check(undefined)).toMatch(/must carry/);
    expect(check(vouchForViewer(deriveKey(master, 'housing', 'network'), who, at))).toBe(
      'Invalid voucher',
    );
    expect(check(voucher.replace(/v1=./, 'v1=_'))).toBe('Invalid voucher');
  });
});
