// Hostile input through the real processes: malformed requests, oversized operations, text a
// database refuses, injection attempts. Each gets a clear 4xx (or, for a mutation's input, its
// typed error), a small answer, writes nothing, and the stack goes on serving everyone else.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beneficiaries, partners } from '@passerelle/demo-data';
import {
  createLogger,
  deriveKey,
  encodeViewer,
  loadSecret,
  MAX_BATCH_SIZE,
  repositoryRoot,
  signRequest,
  type RunningServer,
} from '@passerelle/service';
import { tokenFor, tokenSettings } from '@passerelle/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startGateway } from '../gateway/src/gateway.ts';
import { as, gatewayUrl, subgraphUrls, viewers } from './client.ts';

const housing = as(viewers.housingStaff);
const token = () => tokenFor(tokenSettings(inject('jwtSecret')), viewers.housingStaff);

interface Answer {
  status: number;
  size: number;
  text: string;
  json: {
    data?: Record<string, any> | null;
    errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
  };
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: Answer['json'] = {};
  try {
    json = JSON.parse(text) as Answer['json'];
  } catch {
    // The assertions say what was expected.
  }
  return { status: response.status, size: Buffer.byteLength(text), text, json };
}

/** POSTs `body` as is to the gateway, as the housing agency's staff. */
async function raw(
  body: string | Uint8Array,
  headers: Record<string, string> = {},
  url = gatewayUrl(),
): Promise<Answer> {
  return answer(
    await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await token()}`,
        ...headers,
      },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    }),
  );
}

const post = (query: string, variables?: Record<string, unknown>, url?: string) =>
  raw(JSON.stringify({ query, ...(variables ? { variables } : {}) }), {}, url);

const codes = (result: Answer) => result.json.errors?.map((error) => error.extensions?.['code']);

/** What the attempts below must not change: the people the agency knows, and Amina's loans. */
const SNAPSHOT = `query Snapshot($amina: ID!) {
  partners { id }
  beneficiaries(first: 1) { totalCount }
  beneficiary(id: $amina) { housing { currentLoans { lentOn equipment { label } } } }
}`;

async function snapshot() {
  const result = await housing(SNAPSHOT, { amina: beneficiaries.amina.id });
  expect(result.errors).toBeUndefined();
  return JSON.stringify(result.data);
}

let before: string;

/** The stack still answers a normal query, and nothing was written. */
async function expectUnharmed() {
  const result = await housing('{ partners { id name } }');
  expect(result.status).toBe(200);
  expect(result.data?.partners.length).toBeGreaterThan(0);
  expect(await snapshot()).toBe(before);
}

beforeAll(async () => {
  before = await snapshot();
});

const REGISTER = `mutation Register($input: RegisterBeneficiaryInput!) {
  registerBeneficiary(input: $input) { beneficiary { id } errors { field code } }
}`;

describe('requests that are not GraphQL over HTTP', () => {
  const mutation = JSON.stringify({
    query: REGISTER,
    variables: { input: { givenName: 'Forged', familyName: 'Form', birthYear: 1980 } },
  });
  it.each([
    ['malformed JSON', '{"query": "{ partners { id } }"', {}, 400, 'BAD_REQUEST'],
    ['a JSON string', '"{ partners { id } }"', {}, 400, 'BAD_REQUEST'],
    ['a JSON number', '42', {}, 400, 'BAD_REQUEST'],
    ['JSON null', 'null', {}, 400, 'BAD_REQUEST'],
    ['no query', '{}', {}, 400, 'BAD_REQUEST'],
    ['a query that is not text', '{"query": 42}', {}, 400, 'BAD_REQUEST'],
    [
      'variables that are not an object',
      '{"query": "{ partners { id } }", "variables": "x"}',
      {},
      400,
      'BAD_REQUEST',
    ],
    ['an empty body', '', {}, 400, 'BAD_REQUEST'],
    ['a batch', `[${mutation},${mutation}]`, {}, 400, 'BATCHING_NOT_SUPPORTED'],
    [
      'a mutation as text/plain',
      mutation,
      { 'content-type': 'text/plain' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a mutation as a form',
      `query=${encodeURIComponent(REGISTER)}`,
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a mutation as multipart',
      `--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${mutation}\r\n--b--`,
      { 'content-type': 'multipart/form-data; boundary=b' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['no content type', mutation, { 'content-type': '' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'JSON in another charset',
      mutation,
      { 'content-type': 'application/json; charset=utf-16' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
  ] as const)('refuses %s', async (_, body, headers, status, code) => {
    const result = await raw(body, headers);
    expect(result.status).toBe(status);
    expect(codes(result)?.[0]).toBe(code);
    expect(result.size).toBeLessThan(500);
    await expectUnharmed();
  });

  it('refuses a mutation sent with GET, with or without a preflight header', async () => {
    const url = `${gatewayUrl()}?query=${encodeURIComponent(REGISTER)}&variables=${encodeURIComponent(
      JSON.stringify({ input: { givenName: 'Forged', familyName: 'Get', birthYear: 1980 } }),
    )}`;
    const authorization = `Bearer ${await token()}`;
    const plain = await answer(await fetch(url, { headers: { authorization } }));
    expect(plain.status).toBe(400);
    const preflighted = await answer(
      await fetch(url, { headers: { authorization, 'apollo-require-preflight': 'true' } }),
    );
    expect(preflighted.status).toBe(405);
    expect(preflighted.size).toBeLessThan(500);
    await expectUnharmed();
  });
});

describe('oversized and deeply nested requests', () => {
  it('refuses a body over the limit before reading it all', async () => {
    const result = await raw(
      JSON.stringify({ query: `{ partners { id } } #${'x'.repeat(1_100_000)}` }),
    );
    expect(result.status).toBe(413);
    expect(codes(result)).toEqual(['PAYLOAD_TOO_LARGE']);
    expect(result.size).toBeLessThan(300);
    await expectUnharmed();
  });

  it('refuses deeply nested variables, and JSON nested deeper than any request', async () => {
    const deep = `${'['.repeat(5000)}"x"${']'.repeat(5000)}`;
    const variables = await raw(
      `{"query":${JSON.stringify(REGISTER)},"variables":{"input":{"givenName":${deep},"familyName":"Deep"}}}`,
    );
    expect(variables.status).toBe(400);
    expect(codes(variables)).toEqual(['VARIABLES_TOO_DEEP']);
    expect(variables.size).toBeLessThan(300);
    const nested = await raw(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    expect(nested.status).toBe(400);
    expect(nested.size).toBeLessThan(300);
    await expectUnharmed();
  });
});

describe('operations over the limits', () => {
  const deep = `{ partners { ${'sites { partner { '.repeat(8)}id${' } }'.repeat(8)} } }`;
  const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
  const broad = `{ partners { ${'__typename '.repeat(101)} } }`;
  const directives = `{ partners { ${'... @include(if: true) { id } '.repeat(31)} } }`;
  const tokens = `{ partners { id ${'name '.repeat(2000)} } }`;
  const bomb = `query { ...F0 }\n${Array.from({ length: 30 }, (_, i) =>
    i === 29
      ? 'fragment F29 on Query { x: __typename }'
      : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
  ).join('\n')}`;
  const costly =
    '{ beneficiaries(first: 100) { nodes { knownBy { partner { sites { id name } } } } } }';
  const huge = 'query($n: Int) { beneficiaries(first: $n) { nodes { id } } }';

  it.each([
    ['OPERATION_TOO_DEEP', deep],
    ['TOO_MANY_ALIASES', aliases],
    ['OPERATION_TOO_BROAD', broad],
    ['TOO_MANY_DIRECTIVES', directives],
    ['TOO_MANY_TOKENS', tokens],
    ['TOO_MANY_ALIASES', bomb],
    ['OPERATION_TOO_COMPLEX', huge, { n: 2_000_000_000 }],
  ] as const)(
    'refuses %s with HTTP 400',
    async (code, query, variables?: Record<string, unknown>) => {
      const result = await post(query, variables);
      expect(result.status).toBe(400);
      expect(codes(result)).toEqual([code]);
      expect(result.size).toBeLessThan(400);
      await expectUnharmed();
    },
  );

  it('answers the same operation when it asks for less', async () => {
    expect((await post(costly)).status).toBe(200);
    const result = await post(huge, { n: 5 });
    expect(result.status).toBe(200);
    expect(result.json.data?.['beneficiaries'].nodes.length).toBeGreaterThan(0);
  });
});

describe('text and numbers a database would refuse', () => {
  it('refuses a NUL character in a search as BAD_USER_INPUT, revealing no SQL', async () => {
    for (const filter of ['name', 'municipality', 'language']) {
      const result = await post(
        `query($v: String) { beneficiaries(first: 5, filter: { ${filter}: $v }) { nodes { id } } }`,
        { v: 'Am\u0000ina' },
      );
      expect(result.status).toBe(400);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.text).not.toMatch(/select|where|0x00|UTF8|22021|postgres/i);
      expect(result.size).toBeLessThan(500);
    }
    await expectUnharmed();
  });

  it('refuses control characters in a mutation with a typed error, writing nothing', async () => {
    for (const input of [
      { givenName: 'Ami\u0000na', familyName: 'Nul' },
      { givenName: 'Amina', familyName: 'Bell\u0007' },
      { givenName: 'Amina', familyName: 'Nul', municipality: 'Ixelles\u001b[2J' },
      { givenName: 'Amina', familyName: 'Nul', preferredLanguages: ['f\u0000'] },
    ]) {
      const result = await post(REGISTER, { input });
      expect(result.status).toBe(200);
      const payload = result.json.data?.['registerBeneficiary'];
      expect(payload.beneficiary).toBeNull();
      expect(payload.errors.map((error: { code: string }) => error.code)).toEqual(['INVALID']);
    }
    await expectUnharmed();
  });

  it('refuses bytes that are not UTF-8 and text that is not valid Unicode', async () => {
    const prefix = Buffer.from(
      `{"query":${JSON.stringify(REGISTER)},"variables":{"input":{"givenName":"`,
    );
    const suffix = Buffer.from('","familyName":"Bytes"}}}');
    const invalid = await raw(Buffer.concat([prefix, Buffer.from([0xc3, 0x28, 0xff]), suffix]));
    expect(invalid.status).toBe(400);
    expect(codes(invalid)).toEqual(['BAD_REQUEST']);
    const surrogate = await raw(
      `{"query":${JSON.stringify(REGISTER)},"variables":{"input":{"givenName":"\\ud800","familyName":"Half"}}}`,
    );
    expect(surrogate.status).toBe(400);
    expect(codes(surrogate)).toEqual(['BAD_REQUEST']);
    expect(surrogate.size).toBeLessThan(300);
    await expectUnharmed();
  });

  it('refuses numbers out of range, whatever the layer that notices', async () => {
    const literal = await post('{ beneficiaries(first: 99999999999) { nodes { id } } }');
    expect(literal.status).toBe(400);
    expect(codes(literal)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const variable = await post(REGISTER, {
      input: { givenName: 'Big', familyName: 'Number', birthYear: 1e12 },
    });
    expect(variable.status).toBe(400);
    expect(codes(variable)).toEqual(['BAD_USER_INPUT']);
    const page = await post('{ beneficiaries(first: -1) { nodes { id } } }');
    expect(page.status).toBe(400);
    expect(page.json.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
    const year = await post(REGISTER, {
      input: { givenName: 'Far', familyName: 'Future', birthYear: 3000 },
    });
    expect(year.json.data?.['registerBeneficiary'].beneficiary).toBeNull();
    expect(
      year.json.data?.['registerBeneficiary'].errors.map((error: { field: string }) => error.field),
    ).toEqual(['input.birthYear']);
    const day = await post(
      'query($from: Date) { courses(first: 5, filter: { from: $from }) { nodes { id } } }',
      { from: '2026-13-45' },
    );
    expect(day.status).toBe(400);
    expect(codes(day)).toEqual(['BAD_USER_INPUT']);
    for (const result of [literal, variable, page, year, day])
      expect(result.size).toBeLessThan(600);
    await expectUnharmed();
  });
});

describe('injection attempts in string arguments', () => {
  const attempts = [
    "' OR '1'='1",
    "'; DROP TABLE beneficiaries; --",
    '%',
    '_',
    '\\',
    '") { id } partners { id } #',
    '$1::text',
    "Amina' UNION SELECT given_name FROM beneficiaries --",
  ];

  it('finds nothing with them and changes nothing', async () => {
    for (const value of attempts) {
      for (const filter of ['name', 'municipality', 'language']) {
        const result = await post(
          `query($v: String) { beneficiaries(first: 100, filter: { ${filter}: $v }) { nodes { id } } }`,
          { v: value },
        );
        expect([200, 400]).toContain(result.status);
        if (result.status === 200) {
          // Only a literal match could be found; none of these is a name or a place.
          expect(result.json.data?.['beneficiaries'].nodes.length).toBeLessThan(2);
        } else {
          expect(codes(result)).toEqual(['BAD_USER_INPUT']);
        }
        expect(result.text).not.toMatch(/syntax error|select |relation/i);
      }
      const byId = await post('query($id: ID!) { beneficiary(id: $id) { id } }', { id: value });
      expect(byId.status).toBe(200);
      expect(byId.json.data).toEqual({ beneficiary: null });
      const site = await post('query($v: String) { sites(filter: { municipality: $v }) { id } }', {
        v: value,
      });
      expect(site.json.data?.['sites']).toEqual([]);
    }
    await expectUnharmed();
  });
});

describe('a subgraph called directly with an oversized batch (signed as the gateway)', () => {
  const network = () => subgraphUrls()['network']!;
  const key = () =>
    deriveKey(
      loadSecret('dev-signing-secret', undefined, inject('secretsDir')),
      'gateway',
      'network',
    );
  const viewer = encodeViewer({
    sub: 'staff:test',
    partner: partners.aisQuartiers.id,
    role: 'staff',
  });

  async function signedEntities(count: number, extra = '') {
    const body = JSON.stringify({
      query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Partner { id } } }${extra}`,
      variables: {
        r: Array.from({ length: count }, (_, i) => ({ __typename: 'Partner', id: `p${i}` })),
      },
    });
    const requestId = `hostile-${count}-${Date.now()}`;
    return answer(
      await fetch(network(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-passerelle-viewer': viewer,
          'x-request-id': requestId,
          'x-passerelle-signature': signRequest(key(), {
            signer: 'gateway',
            audience: 'network',
            viewer,
            requestId,
            body,
          }),
        },
        body,
      }),
    );
  }

  it('refuses more representations than one batch, and answers a full batch', async () => {
    const over = await signedEntities(MAX_BATCH_SIZE + 1);
    expect(over.status).toBe(400);
    expect(codes(over)).toEqual(['TOO_MANY_ENTITIES']);
    expect(over.size).toBeLessThan(300);
    const full = await signedEntities(MAX_BATCH_SIZE, ' ');
    expect(full.status).toBe(200);
    expect(full.json.data?.['_entities']).toHaveLength(MAX_BATCH_SIZE);
    const huge = await signedEntities(150_000);
    expect(huge.status).toBe(413);
    await expectUnharmed();
  });
});

describe('a production gateway', () => {
  let gateway: RunningServer;
  beforeAll(async () => {
    gateway = await startGateway({
      supergraphSdl: readFileSync(
        path.join(repositoryRoot, 'schema', 'supergraph.graphql'),
        'utf8',
      ),
      subgraphUrls: subgraphUrls(),
      jwt: tokenSettings(inject('jwtSecret')),
      signingKeyFor: (name) =>
        deriveKey(
          loadSecret('dev-signing-secret', undefined, inject('secretsDir')),
          'gateway',
          name,
        ),
      log: createLogger('gateway', 'silent'),
      host: '127.0.0.1',
      port: 0,
      production: true,
    });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('refuses introspection and suggests no field names', async () => {
    const introspection = await post('{ __schema { types { name } } }', undefined, gateway.url);
    expect(introspection.status).toBe(400);
    expect(codes(introspection)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const typo = await post('{ partners { nmae } }', undefined, gateway.url);
    expect(codes(typo)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(typo.text).not.toMatch(/did you mean/i);
    const enumTypo = await post(
      '{ referrals(first: 5, filter: { status: SENTT }) { nodes { id } } }',
      undefined,
      gateway.url,
    );
    expect(enumTypo.status).toBe(400);
    expect(enumTypo.text).not.toMatch(/did you mean/i);
  });

  it('does not tell a refused operation what the limits are', async () => {
    const result = await post(
      '{ beneficiaries(first: 1000000) { nodes { id } } }',
      undefined,
      gateway.url,
    );
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['OPERATION_TOO_COMPLEX']);
    expect(result.text).not.toMatch(/\d/);
  });

  it("gives a subgraph's error its code and a fixed message, never a stack trace", async () => {
    const result = await post(
      '{ beneficiaries(first: 101) { nodes { id } } }',
      undefined,
      gateway.url,
    );
    expect(result.status).toBe(400);
    expect(result.json.errors).toEqual([
      {
        message: 'A value in the request is not valid',
        path: ['beneficiaries'],
        extensions: { code: 'BAD_USER_INPUT', field: 'first' },
      },
    ]);
    const nul = await post(
      'query($v: String) { beneficiaries(first: 5, filter: { name: $v }) { nodes { id } } }',
      { v: '\u0000' },
      gateway.url,
    );
    expect(codes(nul)).toEqual(['BAD_USER_INPUT']);
    expect(nul.text).not.toMatch(/stack|select|postgres/i);
  });

  it('refuses mutations sent as a form or with GET', async () => {
    const form = await raw(
      `query=${encodeURIComponent(REGISTER)}`,
      { 'content-type': 'application/x-www-form-urlencoded' },
      gateway.url,
    );
    expect(form.status).toBe(415);
    const get = await fetch(
      `${gateway.url}?query=${encodeURIComponent('mutation { __typename }')}`,
      {
        headers: { authorization: `Bearer ${await token()}`, 'apollo-require-preflight': 'true' },
      },
    );
    expect(get.status).toBe(405);
    await expectUnharmed();
  });

  it('answers normal queries', async () => {
    const result = await post('{ partners { id name } }', undefined, gateway.url);
    expect(result.status).toBe(200);
    expect(result.json.errors).toBeUndefined();
  });
});
