// Operation limits: how operations are measured, which limit refuses them with which code, and
// what the HTTP front answers for oversized, malformed or slow requests and during a stop.
import { ApolloServer } from '@apollo/server';
import { databaseUrl, dropPostgresDatabase, openDatabase } from '@passerelle/db';
import { buildSchema, GraphQLError, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../src/env.ts';
import { createErrorFormatter, databaseErrorOf, loggableError } from '../src/errors.ts';
import { serveGraphQL, type RunningServer } from '../src/http.ts';
import {
  GATEWAY_LIMITS,
  LimitExceeded,
  limitsEnvShape,
  limitsFrom,
  SUBGRAPH_LIMITS,
  type OperationLimits,
} from '../src/limits.ts';
import { MAX_BATCH_SIZE } from '../src/loaders.ts';
import { DEFAULT_PAGE_SIZE } from '../src/pagination.ts';
import { subgraphEnv } from '../src/run-subgraph.ts';
import {
  countTokens,
  measureOperation,
  nestingDepth,
  operationCost,
} from '../src/operation-size.ts';

const schema = buildSchema(`
  type Query {
    item(id: ID!): Item
    items(first: Int): [Item!]!
    tags: [String!]!
    search(text: String!): [Item!]
    slow: String
    _entities(representations: [String!]!): [Item]!
  }
  type Mutation { rename(name: String!): String }
  type Item {
    id: ID!
    name: String
    related(first: Int = 5): [Item!]!
  }
`);

function operationOf(source: string) {
  const document = parse(source);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  return { document, operation };
}

const shape = (source: string) => {
  const { document, operation } = operationOf(source);
  return measureOperation(document, operation);
};
const cost = (source: string, variables: Record<string, unknown> = {}) => {
  const { document, operation } = operationOf(source);
  return operationCost(schema, document, operation, variables);
};

/** Fragments that each spread the next one twice: tiny to write, 2^levels fields expanded. */
function fragmentBomb(levels: number, leaf: string) {
  const fragments = Array.from({ length: levels }, (_, i) =>
    i === levels - 1
      ? `fragment F${i} on Query { ${leaf} }`
      : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
  );
  return `query { ...F0 }\n${fragments.join('\n')}`;
}

describe('measuring an operation', () => {
  it('counts depth through fields, inline fragments and fragment spreads', () => {
    expect(shape('{ tags }').depth).toBe(1);
    expect(shape('{ item(id: 1) { related { related { id } } } }').depth).toBe(4);
    expect(
      shape(`{ item(id: 1) { ...More } }
        fragment More on Item { ... on Item { related { related { id } } } }`).depth,
    ).toBe(4);
  });

  it('counts every field of a selection as breadth, __typename and repeats included', () => {
    const repeated = `{ ${'__typename '.repeat(40)} }`;
    expect(shape(repeated).breadth).toBe(40);
    expect(shape(`{ item(id: 1) { ${'__typename '.repeat(12)} } tags }`).breadth).toBe(12);
  });

  it('counts aliases and directives as often as their fragment is spread', () => {
    const source = `query { ...A ...A item(id: 1) @include(if: true) { id } }
      fragment A on Query { a: __typename b: tags @skip(if: false) }`;
    expect(shape(source)).toMatchObject({ aliases: 4, directives: 3 });
  });

  it('measures a fragment once, however often it is spread', () => {
    const bomb = shape(fragmentBomb(40, 'x: __typename'));
    expect(bomb.aliases).toBe(2 ** 39);
    expect(bomb.breadth).toBe(2 ** 39);
  });

  it('survives unknown and cyclic fragments (validation reports them)', () => {
    expect(shape('{ ...Missing tags }').breadth).toBe(1);
    expect(
      shape('query { ...A } fragment A on Query { tags ...B } fragment B on Query { ...A }').depth,
    ).toBe(1);
  });

  it('multiplies the cost under a list by the `first` asked for', () => {
    expect(cost('{ tags }').cost).toBe(1);
    expect(cost('{ items(first: 10) { id name } }').cost).toBe(1 + 10 * 2);
    expect(cost('query($n: Int) { items(first: $n) { id } }', { n: 50 }).cost).toBe(1 + 50);
    // Omitted: the default page size, or the argument's own default.
    expect(cost('{ items { id } }').cost).toBe(1 + DEFAULT_PAGE_SIZE);
    expect(cost('{ item(id: 1) { related { id } } }').cost).toBe(1 + (1 + 5));
    expect(cost('{ items(first: 100) { related(first: 100) { id } } }').cost).toBe(
      1 + 100 * (1 + 100),
    );
  });

  it('counts `_entities` by its representations', () => {
    const source = 'query($r: [String!]!) { _entities(representations: $r) { id } }';
    expect(cost(source, { r: ['a', 'b', 'c'] })).toEqual({ cost: 1 + 3, entities: 3 });
    expect(cost('{ _entities(representations: ["a", "b"]) { id } }').entities).toBe(2);
  });

  it('counts tokens without comments and stops past the limit', () => {
    expect(countTokens('{ a b }', 100)).toBe(4);
    expect(countTokens('# a comment\n{ a }', 100)).toBe(3);
    expect(countTokens(`{ ${'a '.repeat(10_000)} }`, 50)).toBe(51);
    expect(countTokens('{ "unterminated', 100)).toBeLessThan(100);
  });

  it('measures how deeply variables nest, without recursion', () => {
    expect(nestingDepth({ a: 1 }, 10)).toBe(1);
    expect(nestingDepth({ a: [{ b: [1] }] }, 10)).toBe(4);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(nestingDepth({ deep }, 20)).toBe(21);
  });
});

describe('configuring limits', () => {
  it('reads overrides from the environment and keeps the rest', () => {
    const env = parseEnv(limitsEnvShape, { LIMIT_DEPTH: '7', LIMIT_COST: '500' });
    expect(limitsFrom(env, GATEWAY_LIMITS)).toEqual({ ...GATEWAY_LIMITS, depth: 7, cost: 500 });
    expect(() => parseEnv(limitsEnvShape, { LIMIT_DEPTH: 'deep' })).toThrow(/LIMIT_DEPTH/);
  });

  it("reads a subgraph's overrides in its environment module", () => {
    const env = subgraphEnv('housing', 4002, {
      LIMIT_ENTITIES: '500',
      SIGNING_SECRET: 'x'.repeat(32),
      NETWORK_SIGNING_SECRET: 'y'.repeat(32),
    });
    expect(env.limits).toEqual({ ...SUBGRAPH_LIMITS, entities: 500 });
    expect(env.production).toBe(false);
    expect(() => subgraphEnv('housing', 4002, { LIMIT_COST: '-1' })).toThrow(/LIMIT_COST/);
  });

  it("refuses, in production, a network whose partners' secret is the gateway's", () => {
    const production = { NODE_ENV: 'production', SIGNING_SECRET: 'x'.repeat(32) };
    expect(() =>
      subgraphEnv('network', 4001, { ...production, INTERNAL_SIGNING_SECRET: 'x'.repeat(32) }),
    ).toThrow(/INTERNAL_SIGNING_SECRET: must differ/);
    expect(
      subgraphEnv('network', 4001, { ...production, INTERNAL_SIGNING_SECRET: 'y'.repeat(32) })
        .production,
    ).toBe(true);
  });

  it('lets subgraphs take what the gateway plans: larger limits, full entity batches', () => {
    for (const key of Object.keys(GATEWAY_LIMITS) as (keyof OperationLimits)[]) {
      expect(SUBGRAPH_LIMITS[key], key).toBeGreaterThanOrEqual(GATEWAY_LIMITS[key]);
    }
    expect(SUBGRAPH_LIMITS.entities).toBe(MAX_BATCH_SIZE);
    // Clients cannot send `_entities` to the gateway at all.
    expect(GATEWAY_LIMITS.entities).toBe(0);
  });

  it('says how far over the limit an operation is, except in production', () => {
    const development = new LimitExceeded('OPERATION_TOO_DEEP', 20, 12, false);
    expect(development.message).toMatch(/20 levels deep; at most 12/);
    const production = new LimitExceeded('OPERATION_TOO_DEEP', 20, 12, true);
    expect(production.message).not.toMatch(/\d/);
    expect(production.extensions).toMatchObject({ code: 'OPERATION_TOO_DEEP' });
  });
});

// ---------------------------------------------------------------------------------------------
// Through HTTP: a small service with the limits plugin, the error formatter and serveGraphQL.

const LIMITS: OperationLimits = {
  bodyBytes: 20_000,
  tokens: 400,
  depth: 5,
  breadth: 20,
  aliases: 5,
  directives: 4,
  cost: 1000,
  entities: 10,
  variablesDepth: 6,
};

let release: (() => void) | undefined;
let slowStarted: (() => void) | undefined;
let written: string[] = [];

/** A PostgreSQL refusal as the drivers raise it, wrapped like drizzle wraps it. */
function databaseRefusal(code: string) {
  const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
    code,
    severity: 'ERROR',
  });
  return Object.assign(
    new Error('Failed query: select * from items where name = $1\nparams: secret'),
    {
      query: 'select * from items where name = $1',
      params: ['secret'],
      cause,
    },
  );
}

const resolvers = {
  Query: {
    item: (_: unknown, { id }: { id: string }) => ({ id }),
    items: (_: unknown, { first }: { first?: number }) =>
      Array.from({ length: Math.min(first ?? 3, 3) }, (_, i) => ({ id: String(i) })),
    tags: () => ['a'],
    search: (_: unknown, { text }: { text: string }) => {
      if (text.includes('\u0000')) throw databaseRefusal('22021');
      if (text === 'slow') throw databaseRefusal('57014');
      if (text === 'bug') throw databaseRefusal('42P01');
      return [];
    },
    slow: () =>
      new Promise<string>((resolve) => {
        release = () => resolve('done');
        slowStarted?.();
      }),
  },
  Mutation: {
    rename: (_: unknown, { name }: { name: string }) => {
      written.push(name);
      return name;
    },
  },
  Item: { related: () => [] },
};

const silent = pino({ level: 'silent' });

async function startService(production: boolean, extra: { requestTimeoutMs?: number } = {}) {
  const apollo = new ApolloServer({
    typeDefs: parse(`
      type Query {
        item(id: ID!): Item
        items(first: Int): [Item!]!
        tags: [String!]!
        search(text: String!): [Item!]
        slow: String
      }
      type Mutation { rename(name: String!): String }
      type Item { id: ID! name: String related(first: Int = 5): [Item!]! }
    `),
    resolvers,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter(silent, { production }),
  });
  return serveGraphQL({
    apollo,
    log: silent,
    host: '127.0.0.1',
    port: 0,
    limits: LIMITS,
    production,
    shutdownGraceMs: 2000,
    ...extra,
    context: () => Promise.resolve({}),
  });
}

async function post(server: RunningServer, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    size: text.length,
    text,
    json: JSON.parse(text) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    },
  };
}

const codeOf = (result: Awaited<ReturnType<typeof post>>) =>
  result.json.errors?.[0]?.extensions?.code;

describe.each([false, true])('an operation over the limits (production: %s)', (production) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startService(production);
  });
  afterAll(async () => {
    await server.close();
  });

  const refused: [string, string, Record<string, unknown>?][] = [
    ['TOO_MANY_TOKENS', `{ tags ${'tags '.repeat(500)} }`],
    [
      'OPERATION_TOO_DEEP',
      '{ item(id: 1) { related { related { related { related { id } } } } } }',
    ],
    ['OPERATION_TOO_BROAD', `{ item(id: 1) { ${'__typename '.repeat(21)} } }`],
    [
      'TOO_MANY_ALIASES',
      `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
    ],
    ['TOO_MANY_DIRECTIVES', `{ ${'... @include(if: true) { tags } '.repeat(5)} }`],
    ['OPERATION_TOO_COMPLEX', '{ items(first: 100) { related(first: 100) { id } } }'],
    ['OPERATION_TOO_COMPLEX', 'query($n: Int) { items(first: $n) { id } }', { n: 1_000_000_000 }],
    ['TOO_MANY_ALIASES', fragmentBomb(30, 'x: __typename')],
    [
      'VARIABLES_TOO_DEEP',
      'query($t: String!) { search(text: $t) { id } }',
      { t: [[[[[[['x']]]]]]] },
    ],
  ];

  it.each(refused)('refuses %s with HTTP 400 and its code', async (code, query, variables) => {
    const result = await post(server, { query, ...(variables ? { variables } : {}) });
    expect(result.status).toBe(400);
    expect(codeOf(result)).toBe(code);
    expect(result.json.errors).toHaveLength(1);
    expect(result.size).toBeLessThan(400);
    if (production) expect(result.json.errors?.[0]?.message).not.toMatch(/\d/);
    else expect(result.json.errors?.[0]?.message).toMatch(/at most \d+ allowed/);
  });

  it('runs a mutation refused for its size not at all', async () => {
    written = [];
    const result = await post(server, {
      query: `mutation { ${'... @include(if: true) { rename(name: "x") } '.repeat(5)} }`,
    });
    expect(codeOf(result)).toBe('TOO_MANY_DIRECTIVES');
    expect(written).toEqual([]);
  });

  it('answers operations within the limits', async () => {
    const result = await post(server, { query: '{ items(first: 3) { id related { id } } tags }' });
    expect(result.status).toBe(200);
    expect(result.json.errors).toBeUndefined();
  });
});

describe('what the HTTP front refuses before GraphQL runs', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startService(true);
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    ['malformed JSON', '{"query":', {}, 400, 'BAD_REQUEST'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), {}, 400, 'BAD_REQUEST'],
    ['an empty body', '', {}, 400, 'BAD_REQUEST'],
    [
      'a form',
      'query=%7Btags%7D',
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'plain text',
      '{"query":"{ tags }"}',
      { 'content-type': 'text/plain' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'multipart',
      '--x\r\n\r\n--x--',
      { 'content-type': 'multipart/form-data; boundary=x' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'another charset',
      '{"query":"{ tags }"}',
      { 'content-type': 'application/json; charset=latin1' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['a batch', '[{"query":"{ tags }"},{"query":"{ tags }"}]', {}, 400, 'BATCHING_NOT_SUPPORTED'],
    [
      'an oversized body',
      JSON.stringify({ query: `{ tags } # ${'x'.repeat(30_000)}` }),
      {},
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ] as const)('%s', async (_, body, headers, status, code) => {
    const result = await post(server, body, headers);
    expect(result.status).toBe(status);
    expect(codeOf(result)).toBe(code);
    expect(result.size).toBeLessThan(300);
  });

  it('refuses a mutation sent with GET', async () => {
    written = [];
    const query = encodeURIComponent('mutation { rename(name: "get") }');
    const response = await fetch(`${server.url}?query=${query}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(405);
    expect(written).toEqual([]);
  });

  it('refuses a GET without a preflight header (CSRF)', async () => {
    const response = await fetch(`${server.url}?query=${encodeURIComponent('{ tags }')}`);
    expect(response.status).toBe(400);
  });
});

describe('database refusals', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startService(true);
  });
  afterAll(async () => {
    await server.close();
  });

  it('turns text PostgreSQL refuses into BAD_USER_INPUT without SQL', async () => {
    const result = await post(server, {
      query: 'query($t: String!) { search(text: $t) { id } }',
      variables: { t: 'a\u0000b' },
    });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.text).not.toMatch(/select|0x00|secret|UTF8/i);
  });

  it('logs a failed query by its statement and SQLSTATE, never its values', () => {
    const refusal = databaseRefusal('23503');
    const logged = JSON.stringify(
      loggableError(new GraphQLError(refusal.message, { originalError: refusal })),
    );
    expect(logged).toContain('23503');
    expect(logged).toContain('select * from items where name = $1');
    expect(logged).not.toMatch(/secret|0x00/);
  });

  it('turns a cancelled statement into SERVICE_UNAVAILABLE, and hides other failures', async () => {
    const slow = await post(server, { query: '{ search(text: "slow") { id } }' });
    expect(codeOf(slow)).toBe('SERVICE_UNAVAILABLE');
    const bug = await post(server, { query: '{ search(text: "bug") { id } }' });
    expect(codeOf(bug)).toBe('INTERNAL_SERVER_ERROR');
    expect(bug.text).not.toMatch(/select|secret/i);
  });
});

describe('time and shutdown', () => {
  afterEach(() => {
    release?.();
    release = undefined;
    slowStarted = undefined;
  });

  it('answers 504 GATEWAY_TIMEOUT past the request deadline', async () => {
    const server = await startService(true, { requestTimeoutMs: 300 });
    try {
      const result = await post(server, { query: '{ slow }' });
      expect(result.status).toBe(504);
      expect(codeOf(result)).toBe('GATEWAY_TIMEOUT');
      const after = await post(server, { query: '{ tags }' });
      expect(after.status).toBe(200);
    } finally {
      release?.();
      await server.close();
    }
  });

  it('finishes an in-flight request on stop, refuses new work, then closes', async () => {
    const server = await startService(true);
    const started = new Promise<void>((resolve) => (slowStarted = resolve));
    const inFlight = post(server, { query: '{ slow }' });
    await started;
    const closing = server.close();
    const ready = await fetch(new URL('/health/ready', server.url)).catch(() => null);
    // Either already closed to new connections, or answering "stopping".
    if (ready) expect(ready.status).toBe(503);
    release?.();
    const result = await inFlight;
    expect(result.status).toBe(200);
    expect(result.json.data).toEqual({ slow: 'done' });
    await closing;
    await expect(fetch(server.url, { method: 'POST' })).rejects.toThrow();
  });

  it('aborts what is still running when the grace period ends', async () => {
    const server = await startService(true);
    const started = new Promise<void>((resolve) => (slowStarted = resolve));
    const inFlight = post(server, { query: '{ slow }' });
    await started;
    await server.close();
    const result = await inFlight;
    expect(result.status).toBe(503);
    expect(codeOf(result)).toBe('SHUTTING_DOWN');
  });
});

// With PASSERELLE_TEST_DATABASE_URL (`pnpm test:pg`), on a real server: PostgreSQL cancels a
// statement past the subgraph's statement timeout, and the client is told to retry.
const server = process.env['PASSERELLE_TEST_DATABASE_URL'];
describe.skipIf(!server)('the statement timeout on PostgreSQL', () => {
  it('cancels a long statement, which clients see as SERVICE_UNAVAILABLE', async () => {
    const url = databaseUrl(server!, `passerelle_timeout_${process.pid}`);
    const database = await openDatabase({
      location: { kind: 'postgres', url, maxConnections: 1 },
      schema: {},
      migrationsFolder: '',
      statementTimeoutMs: 200,
    });
    try {
      const failure = await database.db
        .execute('select pg_sleep(5)')
        .catch((error: unknown) => error);
      const refusal = databaseErrorOf(failure);
      expect(refusal?.code).toBe('57014');
      const formatted = createErrorFormatter(silent)(
        { message: 'canceling statement due to statement timeout' },
        new GraphQLError('canceling statement due to statement timeout', {
          originalError: failure as Error,
        }),
      );
      expect(formatted.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
      expect(formatted.message).not.toMatch(/statement|pg_sleep/);
    } finally {
      await database.close();
      await dropPostgresDatabase(url);
    }
  });
});
