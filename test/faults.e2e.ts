// Faults, on a stack of our own (the shared one is left alone): a subgraph killed and restarted
// during a steady stream of requests, one that accepts connections and never answers, a client
// that leaves, a deadline that passes, and services stopped with SIGTERM while they work.
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beneficiaries, partners, staff } from '@passerelle/demo-data';
import { listSubgraphs } from '@passerelle/schema';
import { repositoryRoot, subgraphVariable } from '@passerelle/service';
import { freePort, startStack, type RunningStack } from '@passerelle/stack';
import { tokenFor, tokenSettings } from '@passerelle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const housingStaff = {
  partner: partners.aisQuartiers.id,
  role: 'staff',
  sub: staff.aisQuartiers,
} as const;

/** Touches network (the person), housing (loans) and training (enrollments). */
const ACROSS = `query Across($id: ID!) {
  beneficiary(id: $id) {
    givenName
    housing { currentLoans { lentOn equipment { label } } }
    training { enrollments { status } }
  }
}`;

let dataRoot: string;
let jwtSecret: string;
let stack: RunningStack;
const children: ChildProcess[] = [];

interface Answer {
  status: number;
  size: number;
  json: {
    data?: Record<string, any> | null;
    errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
  };
}

async function query(
  url: string,
  source: string,
  variables: Record<string, unknown> = {},
  signal?: AbortSignal,
): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await tokenFor(tokenSettings(jwtSecret), housingStaff)}`,
    },
    body: JSON.stringify({ query: source, variables }),
    ...(signal ? { signal } : {}),
  });
  const text = await response.text();
  return { status: response.status, size: Buffer.byteLength(text), json: JSON.parse(text) };
}

const across = (url: string, signal?: AbortSignal) =>
  query(url, ACROSS, { id: beneficiaries.amina.id }, signal);

const errorsOf = (answer: Answer) =>
  (answer.json.errors ?? []).map((error) => ({
    code: error.extensions?.['code'],
    service: error.extensions?.['service'],
  }));

/** Waits, by polling, until `condition` holds; fails after `attempts` tries. */
async function until(condition: () => boolean | Promise<boolean>, what: string, attempts = 600) {
  for (let i = 0; i < attempts; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting until ${what}`);
}

async function answersNormally(url: string) {
  const result = await query(url, '{ partners { id name } }');
  expect(result.status).toBe(200);
  expect(result.json.errors).toBeUndefined();
  expect(result.json.data?.['partners'].length).toBeGreaterThan(0);
}

/** A process of ours with its JSON log lines kept. */
interface Launched {
  child: ChildProcess;
  url: string;
  port: number;
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
}

function launch(entry: string, port: number, env: NodeJS.ProcessEnv): Launched {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      JWT_SECRET: jwtSecret,
      SECRETS_DIR: dataRoot,
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const logs: Record<string, unknown>[] = [];
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ raw: line });
      }
    }
  });
  child.stderr!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, url: `http://127.0.0.1:${port}/graphql`, port, logs, exited };
}

async function waitLive(service: Launched) {
  await until(async () => {
    try {
      return (await fetch(new URL('/health/live', service.url))).ok;
    } catch {
      return false;
    }
  }, 'the service listens');
}

/** A gateway of ours over the stack's subgraphs, with `env` on top. */
async function launchGateway(env: NodeJS.ProcessEnv): Promise<Launched> {
  const urls = Object.fromEntries(
    stack.services
      .filter((service) => service.name !== 'gateway')
      .map((service) => [subgraphVariable(service.name, 'URL'), service.url]),
  );
  const gateway = launch(
    path.join(repositoryRoot, 'gateway', 'src', 'index.ts'),
    await freePort(),
    {
      NODE_ENV: 'development',
      ...urls,
      ...env,
    },
  );
  await waitLive(gateway);
  return gateway;
}

/** A TCP server that accepts connections, reads requests and never answers: a hung subgraph. */
class StallServer {
  /** Each connection a request arrived on, in order, and whether it has closed since. */
  readonly requests: { socket: Socket; closed: boolean }[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server = createServer((socket) => {
    // Clients may connect ahead of their next request: a request counts once bytes arrive.
    const connection = { socket, closed: false };
    this.sockets.add(socket);
    socket.on('error', () => {});
    socket.once('data', () => this.requests.push(connection));
    socket.resume();
    socket.once('close', () => {
      connection.closed = true;
      this.sockets.delete(socket);
    });
  });

  async start() {
    const port = await freePort();
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${port}/graphql`;
  }

  /** Whether requests arrived after the first `mark`, and the connections of all have closed. */
  closedSince(mark: number) {
    const since = this.requests.slice(mark);
    return since.length > 0 && since.every((connection) => connection.closed);
  }

  async stop() {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const stall = new StallServer();
let stallUrl: string;
/** Training stalls; each fetch to it gives up after one second. */
let patient: Launched;
/** Training stalls; fetches would wait a minute, but a request has two seconds in all. */
let hurried: Launched;

beforeAll(async () => {
  dataRoot = mkdtempSync(path.join(tmpdir(), 'passerelle-faults-'));
  jwtSecret = randomBytes(32).toString('base64url');
  stack = await startStack({
    gatewayPort: 0,
    subgraphPorts: Object.fromEntries(listSubgraphs().map((entry) => [entry.name, 0])),
    output: process.env['E2E_LOGS'] ? 'inherit' : 'ignore',
    env: { NODE_ENV: 'test', LOG_LEVEL: 'warn', JWT_SECRET: jwtSecret, SECRETS_DIR: dataRoot },
    envFor: (name) => (name === 'gateway' ? {} : { DATA_DIR: path.join(dataRoot, name) }),
  });
  stallUrl = await stall.start();
  [patient, hurried] = await Promise.all([
    launchGateway({ TRAINING_URL: stallUrl, SUBGRAPH_TIMEOUT_MS: '1000' }),
    launchGateway({
      TRAINING_URL: stallUrl,
      SUBGRAPH_TIMEOUT_MS: '60000',
      REQUEST_TIMEOUT_MS: '2000',
    }),
  ]);
});

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await stack?.stop();
  await stall.stop();
  rmSync(dataRoot, { recursive: true, force: true });
});

describe('a subgraph that accepts and never answers', () => {
  it('costs only its own facet: the rest is answered and the error names it', async () => {
    const result = await across(patient.url);
    expect(result.status).toBe(200);
    const amina = result.json.data?.['beneficiary'];
    expect(amina.givenName).toBe('Amina');
    expect(amina.housing.currentLoans.length).toBeGreaterThan(0);
    expect(amina.training).toBeNull();
    expect(errorsOf(result)).toEqual([{ code: 'SERVICE_UNAVAILABLE', service: 'training' }]);
    expect(JSON.stringify(result.json)).not.toMatch(/127\.0\.0\.1|ECONN|Timeout|stack/);
    expect(result.size).toBeLessThan(1000);
    await answersNormally(patient.url);
  });

  it('shows in the readiness of the gateway, which stays ready', async () => {
    const ready = await fetch(new URL('/health/ready', patient.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'degraded', missing: ['training'] });
    const live = await fetch(new URL('/health/live', patient.url));
    expect(await live.json()).toEqual({ status: 'ok' });
  });

  it('answers 504 past the request deadline and lets go of the subgraph', async () => {
    const mark = stall.requests.length;
    const result = await across(hurried.url);
    expect(result.status).toBe(504);
    expect(errorsOf(result)).toEqual([{ code: 'GATEWAY_TIMEOUT', service: undefined }]);
    expect(result.size).toBeLessThan(300);
    // The fetch would have waited a minute: its connection closes because it was aborted.
    await until(() => stall.closedSince(mark), 'the stalled fetch is aborted');
    await answersNormally(hurried.url);
  });

  it('stops the work of a client that leaves', async () => {
    const mark = stall.requests.length;
    const client = new AbortController();
    const leaving = across(hurried.url, client.signal).catch((error: unknown) => error);
    await until(() => stall.requests.length > mark, 'the gateway asks the stalled subgraph');
    client.abort();
    expect(await leaving).toBeInstanceOf(Error);
    await until(() => stall.closedSince(mark), 'the gateway gives up the fetch');
    await until(
      () => hurried.logs.some((line) => line['msg'] === 'request' && line['outcome'] === 'aborted'),
      'the request is logged as aborted',
    );
    await answersNormally(hurried.url);
  });
});

describe('a subgraph killed and restarted during a steady stream of requests', () => {
  it('costs its facets while it is away, refuses its writes, and is used again once back', async () => {
    const gateway = stack.gatewayUrl;
    const before = await across(gateway);
    expect(before.json.errors).toBeUndefined();
    const housing = stack.services.find((service) => service.name === 'housing')!;
    const entry = listSubgraphs().find((subgraph) => subgraph.name === 'housing')!.entryPath;
    const network = stack.services.find((service) => service.name === 'network')!;

    const results: Answer[] = [];
    let streaming = true;
    const stream = async () => {
      for (let i = 0; i < 3000 && streaming; i += 1) {
        results.push(await across(gateway));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const streams = Promise.all([stream(), stream()]);
    const missingHousing = (answer: Answer) =>
      errorsOf(answer).some((error) => error.service === 'housing');

    let restarted: Launched | undefined;
    try {
      await until(() => results.length >= 5, 'the stream is flowing');
      housing.child.kill('SIGKILL');
      await until(() => results.some(missingHousing), 'the stream notices housing is gone');

      const ready = await fetch(new URL('/health/ready', gateway));
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { missing: string[] }).missing).toContain('housing');

      const lend = await query(
        gateway,
        'mutation($input: HousingLendPcInput!) { lendPc(input: $input) { loan { id } errors { code } } }',
        { input: { beneficiaryId: beneficiaries.amina.id } },
      );
      expect(errorsOf(lend)).toEqual([{ code: 'SERVICE_UNAVAILABLE', service: 'housing' }]);

      restarted = launch(entry, housing.port, {
        NODE_ENV: 'test',
        DATA_DIR: path.join(dataRoot, 'housing'),
        NETWORK_URL: network.url,
      });
      await until(async () => {
        try {
          return (await fetch(new URL('/health/ready', restarted!.url))).ok;
        } catch {
          return false;
        }
      }, 'housing is back');
      const seen = results.length;
      await until(
        () => results.slice(seen).some((answer) => !answer.json.errors),
        'the stream is fully answered again',
      );
    } finally {
      streaming = false;
      await streams;
    }

    // Never a failure of the gateway: each answer is whole, or whole but for housing's facet.
    for (const answer of results) {
      expect(answer.status).toBe(200);
      expect(answer.json.data?.['beneficiary'].givenName).toBe('Amina');
      for (const error of errorsOf(answer)) {
        expect(error).toEqual({ code: 'SERVICE_UNAVAILABLE', service: 'housing' });
      }
    }
    // The refused loan was not written.
    const after = await across(gateway);
    expect(after.json).toEqual(before.json);

    // Stopped with SIGTERM, the restarted subgraph closes its database and exits cleanly.
    restarted!.child.kill('SIGTERM');
    expect(await restarted!.exited).toBe(0);
    const messages = restarted!.logs.map((line) => line['msg']);
    expect(messages).toEqual(expect.arrayContaining(['stopping', 'database closed', 'stopped']));
  }, 180_000);
});

describe('a gateway stopped with SIGTERM', () => {
  it('finishes the request in flight, then exits cleanly', async () => {
    const mark = stall.requests.length;
    const inFlight = across(patient.url);
    await until(() => stall.requests.length > mark, 'the request is in flight');
    patient.child.kill('SIGTERM');
    const result = await inFlight;
    expect(result.status).toBe(200);
    expect(result.json.data?.['beneficiary'].givenName).toBe('Amina');
    expect(await patient.exited).toBe(0);
    await expect(fetch(new URL('/health/live', patient.url))).rejects.toThrow();
    await answersNormally(stack.gatewayUrl);
  });

  it('logged one line per request, naming who asked and how it went, and no secret', async () => {
    const requests = patient.logs.filter((line) => line['msg'] === 'request');
    expect(requests.length).toBeGreaterThan(0);
    const acrossLine = requests.find((line) => line['operationName'] === 'Across');
    expect(acrossLine).toMatchObject({
      service: 'gateway',
      partner: partners.aisQuartiers.id,
      role: 'staff',
      status: 200,
      outcome: 'errors',
      errorCodes: ['SERVICE_UNAVAILABLE'],
    });
    expect(acrossLine?.['requestId']).toEqual(expect.any(String));
    expect(acrossLine?.['durationMs']).toEqual(expect.any(Number));
    const everything = JSON.stringify(patient.logs);
    // No token (a JWT starts with "eyJ"), no variables, no identity of the person who asked.
    expect(everything).not.toMatch(/eyJ|bearer/i);
    expect(everything).not.toContain(beneficiaries.amina.id);
    expect(everything).not.toContain(staff.aisQuartiers);
    expect(patient.logs.map((line) => line['msg'])).toEqual(
      expect.arrayContaining(['stopping', 'stopped']),
    );
  });
});
