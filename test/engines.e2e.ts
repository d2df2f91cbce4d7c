// The gateway tier can be swapped: Hive Gateway, started here on the e2e stack's subgraphs with
// the same secrets, must answer exactly as the Apollo gateway does. Every query the
// documentation shows, a matrix of viewers × people × facets and the front door's refusals are
// asked of both engines with the same token; status, data and errors must be the same. Errors
// are compared as a set (message, path, locations, extensions): the order in which two query
// planners report independent failures is not part of the contract. Two differences are
// inherent to the engines (see expectSameAnswer).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beneficiaries, partners } from '@passerelle/demo-data';
import { encodeViewer, repositoryRoot, type Role } from '@passerelle/service';
import { tokenFor, tokenSettings, type TestViewer } from '@passerelle/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchHiveGateway, type LaunchedGateway } from '../gateway-hive/src/launch.ts';
import { gatewayUrl, subgraphUrls } from './client.ts';

let hive: LaunchedGateway;

beforeAll(async () => {
  hive = await launchHiveGateway({
    subgraphUrls: subgraphUrls(),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      JWT_SECRET: inject('jwtSecret'),
      SECRETS_DIR: inject('secretsDir'),
    },
    output: process.env['E2E_LOGS'] ? 'inherit' : 'ignore',
  });
});
afterAll(async () => {
  await hive?.stop();
});

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Record<string, unknown>[] } | string;
}

const errorKey = (error: Record<string, unknown>) => JSON.stringify(error);

async function answer(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: Answer['body'];
  try {
    body = JSON.parse(text) as Exclude<Answer['body'], string>;
  } catch {
    return { status: response.status, body: text };
  }
  if (body.errors)
    body.errors = [...body.errors].sort((a, b) => (errorKey(a) < errorKey(b) ? -1 : 1));
  return { status: response.status, body };
}

/** The same request to both engines, at the same time; resolves with both answers. */
async function askBoth(init: RequestInit, pathAndQuery = '') {
  const [apollo, hiveAnswer] = await Promise.all([
    answer(gatewayUrl() + pathAndQuery, init),
    answer(hive.url + pathAndQuery, init),
  ]);
  return { apollo, hive: hiveAnswer };
}

/** An answer with its errors' paths stripped of list indices, and sorted again. */
function withoutListIndices(answer: Answer): Answer {
  if (typeof answer.body === 'string' || !answer.body.errors) return answer;
  const errors = answer.body.errors
    .map((error) =>
      Array.isArray(error['path'])
        ? { ...error, path: error['path'].filter((key) => typeof key === 'string') }
        : error,
    )
    .sort((a, b) => (errorKey(a) < errorKey(b) ? -1 : 1));
  return { ...answer, body: { ...answer.body, errors } };
}

/**
 * The two answers are the same, but for two differences inherent to Hive Gateway's execution
 * (graphql-tools delegation), each tolerated here as narrowly as it shows:
 * - an error raised inside an entity fetch for the items of a list carries the list field's path
 *   without the item's index (`sites.helpdesk.visitCounts` where Apollo says
 *   `sites.1.helpdesk.visitCounts`): paths are compared without list indices;
 * - when several non-null root fields fail together, `data` is null in both, but Hive reports
 *   only the failure that nulled it first, as graphql-js does, where the Apollo gateway reports
 *   every failure: Hive's errors must then be some of Apollo's, never others.
 */
function expectSameAnswer(both: { apollo: Answer; hive: Answer }, label: string) {
  const apollo = withoutListIndices(both.apollo);
  const hive = withoutListIndices(both.hive);
  if (
    typeof apollo.body === 'object' &&
    typeof hive.body === 'object' &&
    apollo.body.data === null &&
    hive.body.data === null &&
    (hive.body.errors?.length ?? 0) < (apollo.body.errors?.length ?? 0)
  ) {
    expect(hive.status, label).toBe(apollo.status);
    expect(hive.body.errors?.length, label).toBeGreaterThan(0);
    for (const error of hive.body.errors ?? []) {
      expect(apollo.body.errors, label).toContainEqual(error);
    }
    return;
  }
  expect(hive, label).toEqual(apollo);
}

const tokens = new Map<string, Promise<string>>();
function tokenOf(viewer: TestViewer): Promise<string> {
  const key = JSON.stringify(viewer);
  let token = tokens.get(key);
  if (!token) {
    token = tokenFor(tokenSettings(inject('jwtSecret')), viewer);
    tokens.set(key, token);
  }
  return token;
}

async function queryBoth(viewer: TestViewer, query: string, variables?: Record<string, unknown>) {
  return askBoth({
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await tokenOf(viewer)}`,
    },
    body: JSON.stringify({ query, variables }),
  });
}

const asStaff = (partner: string, role: Role = 'staff'): TestViewer => ({
  partner,
  role,
  sub: `${role}:engines@${partner}`,
});
const coordinator: TestViewer = { partner: null, role: 'coordinator', sub: 'coordinator:engines' };

// ---------------------------------------------------------------------------------------------
// The documented queries

interface DocumentedOperation {
  source: string;
  name: string;
  query: string;
  variables: string[];
}

/** Values for the variables documented operations declare, by variable name. */
const variableValues: Record<string, unknown> = {
  id: beneficiaries.amina.id,
};

function documentedQueries(): DocumentedOperation[] {
  const docs = path.join(repositoryRoot, 'docs');
  const files = [
    path.join(repositoryRoot, 'README.md'),
    ...readdirSync(docs, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.md'))
      .sort()
      .map((file) => path.join(docs, file)),
  ];
  const operations: DocumentedOperation[] = [];
  for (const file of files) {
    const source = path.relative(repositoryRoot, file);
    const blocks = [...readFileSync(file, 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)];
    blocks.forEach(([, block = ''], index) => {
      // Top-level definitions start a line (the docs are formatted by Prettier).
      const kinds = [...block.matchAll(/^(query|mutation|subscription|\{)/gm)].map((m) => m[1]);
      // Mutations would write into the stack the other suites read: only queries run here.
      if (kinds.length !== 1 || (kinds[0] !== 'query' && kinds[0] !== '{')) return;
      operations.push({
        source,
        name: /^query\s+(\w+)/m.exec(block)?.[1] ?? `block ${index + 1}`,
        query: block,
        variables: [...new Set([...block.matchAll(/\$(\w+)\s*:/g)].map((m) => m[1]!))],
      });
    });
  }
  return operations;
}

const documented = documentedQueries();

/** Who asks the documented queries: each sees a different part of the network. */
const documentationReaders: TestViewer[] = [
  asStaff(partners.aisQuartiers.id),
  asStaff(partners.clic.id),
  asStaff(partners.femmes.id, 'partner_admin'),
  asStaff(partners.tournesols.id, 'volunteer'),
  coordinator,
];

describe('the documented queries', () => {
  it('are found in README.md and docs/', () => {
    expect(documented.map((operation) => operation.source)).toContain('README.md');
    expect(documented.length).toBeGreaterThanOrEqual(5);
  });

  it.each(documented)(
    '$source: $name gets the same answer from both engines',
    async (operation) => {
      const unknown = operation.variables.filter((name) => !(name in variableValues));
      expect(unknown, `give these variables a value in variableValues`).toEqual([]);
      const variables = Object.fromEntries(
        operation.variables.map((name) => [name, variableValues[name]]),
      );
      let answered = 0;
      for (const viewer of documentationReaders) {
        const both = await queryBoth(viewer, operation.query, variables);
        expectSameAnswer(both, `${viewer.role}@${viewer.partner}`);
        const body = both.apollo.body;
        if (both.apollo.status === 200 && typeof body === 'object' && body.data) answered += 1;
      }
      // The example must mean something to someone: not only refusals, compared.
      expect(answered).toBeGreaterThan(0);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// The authorization matrix: every kind of viewer × people with facets at several partners × each
// partner facet (in detail for the first four partners, present or not for every partner)

const people = {
  amina: beneficiaries.amina.id,
  yassin: beneficiaries.yassin.id,
  lina: beneficiaries.lina.id,
  tigist: beneficiaries.tigist.id,
};

const matrixViewers: TestViewer[] = [
  ...[partners.aisQuartiers, partners.aisIris, partners.clic, partners.tournesols, partners.femmes]
    .map((partner) => partner.id)
    .flatMap((partner) =>
      (['staff', 'partner_admin', 'volunteer'] as const).map((role) => asStaff(partner, role)),
    ),
  coordinator,
  { partner: null, role: 'beneficiary', sub: 'beneficiary:engines' },
  { partner: null, role: 'service', sub: 'service:engines' },
];

const FACETS = `query Facets($id: ID!) {
  beneficiary(id: $id) {
    id
    givenName
    familyName
    knownBy { partner { id } }
    housing {
      currentTenancy { dwelling { street unitLabel } role household { role beneficiary { id } } }
      contactChannels { kind value preferred }
      currentLoans { equipment { label } lentOn dueOn overdue }
    }
    training { enrollments { status course { title } } attendanceRate assessments { competenceName level } }
    homework { pupilRecords { grade schoolYear guardianRelation memberships { club { title } presenceRate } } tutorRecords { displayName } }
    women { participations { status workshop { title } childrenCount } safeContact { channel noVoicemail } }
  }
}`;

const DISCLOSURES = `query Disclosures($id: ID!) {
  beneficiary(id: $id) {
    housingDisclosures { facet purpose consentId viewerSub }
    trainingDisclosures { facet purpose consentId viewerSub }
    homeworkDisclosures { facet purpose consentId viewerSub }
    womenDisclosures { facet purpose consentId viewerSub }
  }
}`;

describe('the authorization matrix', () => {
  /** Every partner's facet of a person, new partners' included, found in the schema. */
  let everyFacet = '';
  beforeAll(async () => {
    const { apollo } = await queryBoth(
      coordinator,
      '{ __type(name: "Beneficiary") { fields { name type { name } } } }',
    );
    const fields = (
      apollo.body as { data: { __type: { fields: { name: string; type: { name: string } }[] } } }
    ).data.__type.fields.filter((field) => field.type.name?.endsWith('BeneficiaryFacet'));
    expect(fields.length).toBeGreaterThanOrEqual(4);
    everyFacet = `query EveryFacet($id: ID!) { beneficiary(id: $id) { id ${fields
      .map((field) => `${field.name} { __typename }`)
      .join(' ')} } }`;
  });

  it.each(matrixViewers.map((viewer) => ({ viewer, label: `${viewer.role}@${viewer.partner}` })))(
    '$label sees the same facets through both engines',
    async ({ viewer }) => {
      for (const [name, id] of Object.entries(people)) {
        const facets = await queryBoth(viewer, FACETS, { id });
        expectSameAnswer(facets, `${name}'s facets`);
        expect(facets.apollo.status).toBe(200);
        expectSameAnswer(await queryBoth(viewer, everyFacet, { id }), `${name}'s every facet`);
      }
      for (const [name, id] of Object.entries(people)) {
        const log = await queryBoth(viewer, DISCLOSURES, { id });
        expectSameAnswer(log, `${name}'s disclosure logs`);
      }
    },
  );

  it('covers disclosed, withheld and hidden cells', async () => {
    // The matrix is only worth its cells: check that it crosses each kind at least once.
    const seen = await queryBoth(asStaff(partners.aisQuartiers.id), FACETS, { id: people.amina });
    const body = seen.hive.body as {
      data: { beneficiary: Record<string, unknown> };
      errors?: { extensions: { code: string } }[];
    };
    expect(body.data.beneficiary['housing']).not.toBeNull(); // own partner's facet
    expect(body.data.beneficiary['training']).not.toBeNull(); // disclosed under a consent
    expect(body.errors?.map((e) => e.extensions.code)).toContain('FORBIDDEN'); // withheld
    const hidden = await queryBoth({ partner: null, role: 'beneficiary' }, FACETS, {
      id: people.amina,
    });
    expect((hidden.hive.body as { data: unknown }).data).toEqual({ beneficiary: null });
  });
});

describe('identical requests in flight', () => {
  it('each make their own subgraph calls and log their own disclosure through Hive', async () => {
    // Hive Gateway would share one subgraph answer between identical requests in flight: one
    // disclosure logged for several. Six at once must leave six entries in the training log.
    const readLog = async () => {
      const token = await tokenOf(asStaff(partners.clic.id));
      const response = await fetch(gatewayUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: `query($id: ID!) { beneficiary(id: $id) { trainingDisclosures { viewerSub } } }`,
          variables: { id: people.amina },
        }),
      });
      const body = (await response.json()) as {
        data: { beneficiary: { trainingDisclosures: { viewerSub: string }[] } };
      };
      // The log answers its latest 100 entries: count this test's own, the most recent ones.
      return body.data.beneficiary.trainingDisclosures.filter(
        (entry) => entry.viewerSub === inFlight.sub,
      ).length;
    };
    const inFlight: TestViewer = {
      partner: partners.aisQuartiers.id,
      role: 'staff',
      sub: 'staff:in-flight@ais-quartiers',
    };
    const before = await readLog();
    const token = await tokenOf(inFlight);
    const request = {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `query($id: ID!) { beneficiary(id: $id) { training { attendanceRate } } }`,
        variables: { id: people.amina },
      }),
    };
    const answers = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const response = await fetch(hive.url, request);
        return (await response.json()) as { data: { beneficiary: { training: unknown } } };
      }),
    );
    for (const answer of answers) expect(answer.data.beneficiary.training).not.toBeNull();
    expect(await readLog()).toBe(before + 6);
  });
});

// ---------------------------------------------------------------------------------------------
// The API itself and the front door

describe('the same API and the same front door', () => {
  it('exposes the same schema', async () => {
    const both = await queryBoth(
      asStaff(partners.aisQuartiers.id),
      `{ __schema { queryType { name } mutationType { name } subscriptionType { name }
          types { kind name fields { name args { name type { name kind ofType { name kind } } } type { name kind ofType { name kind ofType { name kind } } } } inputFields { name } enumValues { name } } } }`,
    );
    // Two engines may list types and fields in another order; the schema is the same.
    const sorted = <T extends { name: string }>(items: T[] | null) =>
      items && [...items].sort((a, b) => (a.name < b.name ? -1 : 1));
    const byName = (answer: Answer) => {
      type Type = { name: string; fields: { name: string }[] | null };
      const schema = (answer.body as { data: { __schema: { types: Type[] } } }).data.__schema;
      return {
        ...schema,
        types: sorted(schema.types.map((type) => ({ ...type, fields: sorted(type.fields) }))),
      };
    };
    expect(byName(both.hive)).toEqual(byName(both.apollo));
  });

  it('refuses the same requests with the same status and code', async () => {
    const token = await tokenOf(asStaff(partners.aisQuartiers.id));
    const bearer = { authorization: `Bearer ${token}` };
    const post = (body: string, headers: Record<string, string> = {}): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer, ...headers },
      body,
    });
    const ask = (query: string, variables?: unknown) => post(JSON.stringify({ query, variables }));
    const get = (query: string, headers: Record<string, string> = {}) =>
      [
        { method: 'GET', headers: { ...bearer, ...headers } },
        `?query=${encodeURIComponent(query)}`,
      ] as const;
    const preflight = { 'apollo-require-preflight': 'true' };
    const aliases = Array.from({ length: 200 }, (_, i) => `a${i}: __typename`).join(' ');
    const nested = JSON.parse(`${'['.repeat(40)}1${']'.repeat(40)}`) as unknown;
    const refusals: [string, RequestInit, string?][] = [
      [
        'no token',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ partners { id } }"}',
        },
      ],
      [
        'an empty authorization header',
        post('{"query":"{ partners { id } }"}', { authorization: '' }),
      ],
      [
        'a forged token',
        post('{"query":"{ partners { id } }"}', {
          authorization:
            'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6InN0YWZmIn0.c2lnbmF0dXJl',
        }),
      ],
      ['malformed JSON', post('{"query":')],
      ['an empty body', post('')],
      [
        'a body in another charset',
        post('{"query":"{ partners { id } }"}', {
          'content-type': 'application/json; charset=latin1',
        }),
      ],
      [
        'text that is not valid Unicode',
        post('{"query":"{ partners { id } }","variables":{"x":"\\ud800"}}'),
      ],
      [
        'a body over the size limit',
        post(JSON.stringify({ query: `{ __typename }${' '.repeat(2_000_000)}` })),
      ],
      ['a batch', post('[{"query":"{ partners { id } }"}]')],
      ['a form post', post('{"query":"{ partners { id } }"}', { 'content-type': 'text/plain' })],
      ['a PUT', { ...post('{"query":"{ partners { id } }"}'), method: 'PUT' }],
      ['a GET without a preflight header', ...get('{ __typename }')],
      ['a GET without a query', { method: 'GET', headers: { ...bearer, ...preflight } }],
      [
        'a mutation over GET',
        ...get(
          'mutation { withdrawConsent(input: { consentId: "x" }) { errors { code } } }',
          preflight,
        ),
      ],
      ['a parse error', ask('{ partners {')],
      ['a validation error', ask('{ partners { nope } }')],
      [
        'a variable of the wrong type',
        ask('query($id: ID!) { beneficiary(id: $id) { id } }', { id: { not: 'an id' } }),
      ],
      ['too many aliases', ask(`{ ${aliases} }`)],
      ['too many tokens', ask(`{ partners { ${'id '.repeat(5_000)}} }`)],
      ['variables nested too deeply', ask('query($x: ID) { __typename }', { x: nested })],
      ['a page size out of range', ask('{ courses(first: 1000) { totalCount } }')],
    ];
    const codes = (a: Answer) =>
      typeof a.body === 'string'
        ? a.body
        : a.body.errors?.map((e) => (e['extensions'] as { code?: string } | undefined)?.code);
    for (const [label, init, search] of refusals) {
      const both = await askBoth(init, search);
      expect(both.apollo.status, label).toBeGreaterThanOrEqual(400);
      expect(both.hive.status, label).toBe(both.apollo.status);
      expect(codes(both.hive), label).toEqual(codes(both.apollo));
    }
  });

  it('serves a GET query with a preflight header, as Apollo does', async () => {
    const token = await tokenOf(asStaff(partners.clic.id));
    const both = await askBoth(
      {
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
      },
      `?query=${encodeURIComponent('{ partners { id name } }')}`,
    );
    expect(both.apollo.status).toBe(200);
    expect(both.hive).toEqual(both.apollo);
  });

  it('ignores internal headers a client sends: the token alone says who calls', async () => {
    const token = await tokenOf(asStaff(partners.clic.id));
    const forged = encodeViewer({ sub: 'x', partner: partners.aisQuartiers.id, role: 'staff' });
    const both = await askBoth({
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-passerelle-viewer': forged,
        'x-passerelle-signature': 'forged',
      },
      body: JSON.stringify({
        query: `{ beneficiary(id: "${people.amina}") { housingDisclosures { consentId } } }`,
      }),
    });
    expect(both.hive).toEqual(both.apollo);
    const body = both.hive.body as { errors?: { extensions: { code: string } }[] };
    expect(body.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });

  it('keeps a well-formed request id and makes one up otherwise', async () => {
    const token = await tokenOf(asStaff(partners.clic.id));
    for (const [sent, kept] of [
      ['engines-request-0001', true],
      ['not a request id!', false],
    ] as const) {
      const response = await fetch(hive.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-request-id': sent,
        },
        body: JSON.stringify({ query: '{ partners { id } }' }),
      });
      expect(response.status).toBe(200);
      const id = response.headers.get('x-request-id');
      if (kept) expect(id).toBe(sent);
      else expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('answers health probes without a token', async () => {
    for (const probe of ['/health', '/health/live', '/health/ready']) {
      const response = await fetch(new URL(probe, hive.url));
      expect(response.status, probe).toBe(200);
    }
    const elsewhere = await fetch(new URL('/', hive.url));
    expect(elsewhere.status).toBe(404);
  });
});
