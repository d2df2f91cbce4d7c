// The gateway's front door, through the real processes: who may call, what a bad request gets,
// health, and that subgraphs refuse calls that do not come through the gateway.
import { beneficiaries, partners } from '@passerelle/demo-data';
import { encodeViewer } from '@passerelle/service';
import { tokenFor, tokenSettings } from '@passerelle/testkit';
import { describe, expect, inject, it } from 'vitest';
import { as, gatewayUrl, subgraphUrls, viewers } from './client.ts';

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('gateway', () => {
  it('refuses a request without a token, with a stable code', async () => {
    const response = await post(gatewayUrl(), { query: '{ partners { id } }' });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a forged token', async () => {
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6InN0YWZmIn0.c2lnbmF0dXJl';
    const response = await post(
      gatewayUrl(),
      { query: '{ partners { id } }' },
      { authorization: `Bearer ${forged}` },
    );
    expect(response.status).toBe(401);
  });

  it('answers health probes without a token', async () => {
    const live = await fetch(new URL('/health', gatewayUrl()));
    expect(live.status).toBe(200);
    for (const url of Object.values(subgraphUrls())) {
      const ready = await fetch(new URL('/health/ready', url));
      expect(await ready.json()).toEqual({ status: 'ok', missing: [] });
    }
  });

  it('gives validation errors a code and no stack trace', async () => {
    const result = await as(viewers.housingStaff)('{ partners { nope } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(result)).not.toContain('stacktrace');
  });

  it('refuses malformed JSON and batched requests before GraphQL runs', async () => {
    const malformed = await fetch(gatewayUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });
    expect(malformed.status).toBe(400);
    const batched = await post(gatewayUrl(), [{ query: '{ partners { id } }' }]);
    expect([400, 401]).toContain(batched.status);
  });

  it('carries one request id across the gateway and its answer', async () => {
    const response = await post(
      gatewayUrl(),
      { query: '{ partners { id } }' },
      { 'x-request-id': 'e2e-request-0001' },
    );
    expect(response.headers.get('x-request-id')).toBe('e2e-request-0001');
  });

  it('drops internal headers a client sends: the token alone says who calls', async () => {
    const token = await tokenFor(tokenSettings(inject('jwtSecret')), viewers.trainer);
    const forgedViewer = encodeViewer({
      sub: 'x',
      partner: partners.aisQuartiers.id,
      role: 'staff',
    });
    const response = await post(
      gatewayUrl(),
      { query: `{ beneficiary(id: "${beneficiaries.amina.id}") { housingDisclosures { at } } }` },
      {
        authorization: `Bearer ${token}`,
        'x-passerelle-viewer': forgedViewer,
        'x-passerelle-signature': 'forged',
      },
    );
    const body = (await response.json()) as { errors?: { extensions: { code: string } }[] };
    // Only the housing agency's own staff read its disclosure log: the trainer is refused even
    // though the forged header claims to be the agency.
    expect(body.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });
});
