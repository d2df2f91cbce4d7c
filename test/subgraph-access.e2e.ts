// Only the gateway reaches a subgraph: direct calls are refused before GraphQL runs, whatever
// they forge, while the same operation through the gateway works.
import {
  deriveKey,
  encodeViewer,
  loadSecret,
  signRequest,
  VOUCHER_HEADER,
  vouchForViewer,
} from '@passerelle/service';
import { describe, expect, inject, it } from 'vitest';
import { as, subgraphUrls, viewers } from './client.ts';

const body = JSON.stringify({ query: '{ _service { sdl } }' });
const viewer = encodeViewer({ sub: 'staff:forger', partner: 'ais-quartiers', role: 'staff' });
const requestId = 'direct-call-0001';

function gatewayKey(name: string) {
  return deriveKey(
    loadSecret('dev-signing-secret', undefined, inject('secretsDir')),
    'gateway',
    name,
  );
}

function call(url: string, headers: Record<string, string>, sentBody = body) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-passerelle-viewer': viewer,
      'x-request-id': requestId,
      ...headers,
    },
    body: sentBody,
  });
}

describe.each(Object.entries(subgraphUrls()))('direct calls to %s', (name, url) => {
  const signed = (overrides: { at?: number; key?: Uint8Array; signer?: string } = {}) =>
    signRequest(
      overrides.key ?? gatewayKey(name),
      { signer: overrides.signer ?? 'gateway', audience: name, viewer, requestId, body },
      overrides.at,
    );

  it('refuses unsigned, wrongly keyed, stale, tampered and forged-signer requests with 401', async () => {
    const attempts = [
      await call(url, {}),
      await call(url, { 'x-passerelle-signature': signed({ key: new Uint8Array(32) }) }),
      await call(url, { 'x-passerelle-signature': signed({ at: Date.now() - 61_000 }) }),
      await call(
        url,
        { 'x-passerelle-signature': signed() },
        JSON.stringify({ query: '{ __typename }' }),
      ),
      await call(url, {
        'x-passerelle-signature': signed(),
        'x-passerelle-viewer': encodeViewer({ sub: 'x', partner: null, role: 'coordinator' }),
      }),
      await call(url, { 'x-passerelle-signature': signed({ signer: 'housing' }) }),
    ];
    for (const response of attempts) {
      expect(response.status).toBe(401);
      const json = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(json.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('accepts a valid signature once and refuses its replay', async () => {
    const signature = signed();
    expect((await call(url, { 'x-passerelle-signature': signature })).status).toBe(200);
    expect((await call(url, { 'x-passerelle-signature': signature })).status).toBe(401);
  });

  it('never sends resolver timing traces, even to a signed caller asking for them', async () => {
    const response = await call(url, {
      'x-passerelle-signature': signed(),
      'apollo-federation-include-trace': 'ftv1',
    });
    expect(response.status).toBe(200);
    const json = (await response.json()) as { extensions?: Record<string, unknown> };
    expect(json.extensions?.['ftv1']).toBeUndefined();
  });

  it('refuses GET, which a signature over the body cannot cover', async () => {
    const response = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(405);
  });
});

describe('calls signed by a partner subgraph', () => {
  // Each partner's host holds the key its subgraph signs its write checks with: network answers
  // it entity reads only, never a mutation nor a list, and only in the name of a viewer the
  // gateway vouched for in a request in flight.
  const url = subgraphUrls()['network']!;
  const voucher = (overrides: { viewer?: string; requestId?: string; at?: number } = {}) =>
    vouchForViewer(
      gatewayKey('network'),
      { viewer: overrides.viewer ?? viewer, requestId: overrides.requestId ?? requestId },
      overrides.at,
    );
  const asHousing = (
    query: string,
    variables: Record<string, unknown> = {},
    vouched: string | null = voucher(),
  ) => {
    const sent = JSON.stringify({ query, variables });
    const key = deriveKey(
      loadSecret('dev-signing-secret', undefined, inject('secretsDir')),
      'housing',
      'network',
    );
    return call(
      url,
      {
        'x-passerelle-signature': signRequest(key, {
          signer: 'housing',
          audience: 'network',
          viewer,
          requestId,
          body: sent,
        }),
        ...(vouched ? { [VOUCHER_HEADER]: vouched } : {}),
      },
      sent,
    );
  };
  const read = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Partner { id } } }`;
  const partner = { representations: [{ __typename: 'Partner', id: 'ais-quartiers' }] };

  it('read entities from network', async () => {
    const response = await asHousing(read, partner);
    expect(response.status).toBe(200);
    const json = (await response.json()) as { data?: { _entities: unknown[] } };
    expect(json.data?._entities).toEqual([{ id: 'ais-quartiers' }]);
  });

  it("are refused with 401 without the gateway's voucher for that viewer and request", async () => {
    const coordinator = encodeViewer({
      sub: 'coordinator:minted',
      partner: null,
      role: 'coordinator',
    });
    const housingKey = deriveKey(
      loadSecret('dev-signing-secret', undefined, inject('secretsDir')),
      'housing',
      'network',
    );
    for (const [why, vouched] of [
      ['no voucher', null],
      ['a voucher for another viewer', voucher({ viewer: coordinator })],
      ['a voucher for another request', voucher({ requestId: 'another-request-0001' })],
      ['a voucher over a minute old', voucher({ at: Date.now() - 61_000 })],
      ['a voucher made with the partner key', vouchForViewer(housingKey, { viewer, requestId })],
      ['a malformed voucher', 't=1,v1=***'],
    ] as const) {
      const response = await asHousing(read, partner, vouched);
      expect(response.status, why).toBe(401);
      const json = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(json.errors[0]?.extensions.code, why).toBe('UNAUTHENTICATED');
    }
  });

  it('are refused anything else with 403, before GraphQL runs', async () => {
    for (const query of [
      `mutation { withdrawConsent(input: { consentId: "00000000-0000-4000-8000-000000000000" }) { errors { code } } }`,
      '{ partners { id } }',
      '{ _service { sdl } }',
      '{ _entities(representations: []) { __typename } partners { id } }',
      'not graphql',
    ]) {
      const response = await asHousing(query);
      expect(response.status, query).toBe(403);
      const json = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(json.errors[0]?.extensions.code).toBe('FORBIDDEN');
    }
  });
});

describe('the same call through the gateway', () => {
  it('works', async () => {
    const result = await as(viewers.housingStaff)('{ partners { id } }');
    expect(result.errors).toBeUndefined();
    expect(result.data?.partners.length).toBeGreaterThan(0);
  });
});
