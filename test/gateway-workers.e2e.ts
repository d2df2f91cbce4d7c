// A gateway may serve from several processes on one port (GATEWAY_WORKERS). Either engine,
// started here beside the e2e stack's gateway on the same subgraphs, answers from each of its
// workers and stops them all on SIGTERM; the gateway stops altogether when one of them dies.
// And Hive Gateway's process starts at every log level the services accept.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { beneficiaries } from '@passerelle/demo-data';
import { childPids } from '@passerelle/stack';
import { postGraphQL, tokenFor, tokenSettings } from '@passerelle/testkit';
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  APOLLO_ENTRY,
  HIVE_ENTRY,
  launchGateway,
  type LaunchedGateway,
} from '../gateway-hive/src/launch.ts';
import { subgraphUrls, viewers } from './client.ts';

const launched: LaunchedGateway[] = [];
afterEach(async () => {
  for (const gateway of launched.splice(0)) await gateway.stop();
});

async function until(condition: () => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Starts a gateway and waits for its `gateway ready` line: every worker listens by then. */
async function start(entry: string, workers: number) {
  const lines: string[] = [];
  const gateway = await launchGateway(entry, {
    subgraphUrls: subgraphUrls(),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      JWT_SECRET: inject('jwtSecret'),
      SECRETS_DIR: inject('secretsDir'),
      GATEWAY_WORKERS: String(workers),
    },
    output: (line) => {
      lines.push(line);
      if (process.env['E2E_LOGS']) process.stdout.write(`${line}\n`);
    },
  });
  launched.push(gateway);
  await until(() => lines.some((line) => line.includes('"msg":"gateway ready"')), 'ready');
  return gateway;
}

/** Neither running nor a zombie left for its parent to reap. */
function isRunning(pid: number) {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

async function gone(pids: number[]) {
  await until(() => !pids.some(isRunning), 'the workers to exit').catch(() => {});
  return pids.filter(isRunning);
}

/** CPU time a process has used, in clock ticks. */
function cpuTicks(pid: number) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const QUERY = `query ($id: ID!) { beneficiary(id: $id) { givenName housing { currentTenancy { dwelling { street } } } } }`;

/** The same query `times` times at once, over as many connections, which the workers share. */
async function askTimes(url: string, times: number) {
  const token = await tokenFor(tokenSettings(inject('jwtSecret')), viewers.housingStaff);
  return Promise.all(
    Array.from({ length: times }, () =>
      postGraphQL(url, { query: QUERY, variables: { id: beneficiaries.amina.id } }, { token }),
    ),
  );
}

describe.each([
  ['Apollo Gateway', APOLLO_ENTRY],
  ['Hive Gateway', HIVE_ENTRY],
])('%s with two workers', (_, entry) => {
  it('answers from each worker and stops them all on SIGTERM', async () => {
    const gateway = await start(entry, 2);
    const workers = childPids(gateway.pid);
    expect(workers).toHaveLength(2);

    const before = workers.map(cpuTicks);
    const answers = await askTimes(gateway.url, 40);
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.['beneficiary']).toMatchObject({
        givenName: 'Amina',
        housing: { currentTenancy: { dwelling: { street: expect.any(String) } } },
      });
    }
    // Each worker took its share of the connections.
    workers.forEach((pid, index) => expect(cpuTicks(pid)).toBeGreaterThan(before[index]!));

    await gateway.stop();
    expect(await gateway.exited).toBe(0);
    expect(await gone(workers)).toEqual([]);
  });
});

// The supervision is the same code for both engines (serveInWorkers): one engine is enough here.
it('stops altogether, with an error, when a worker dies', async () => {
  const gateway = await start(APOLLO_ENTRY, 2);
  const [victim, survivor] = childPids(gateway.pid);
  process.kill(victim!, 'SIGKILL');
  expect(await gateway.exited).toBe(1);
  expect(await gone([survivor!])).toEqual([]);
});

it('serves in one process when GATEWAY_WORKERS is 1', async () => {
  const gateway = await start(APOLLO_ENTRY, 1);
  expect(childPids(gateway.pid)).toEqual([]);
  const [answer] = await askTimes(gateway.url, 1);
  expect(answer?.data?.['beneficiary']).toMatchObject({ givenName: 'Amina' });
  await gateway.stop();
  expect(await gateway.exited).toBe(0);
});

// Hive's own logger reads LOG_LEVEL as well, and knows neither of these two of ours: the gateway
// starts, answers, and its workers stay as quiet as asked.
it.each(['silent', 'fatal'])('Hive Gateway starts and answers at LOG_LEVEL=%s', async (level) => {
  const lines: string[] = [];
  const gateway = await launchGateway(HIVE_ENTRY, {
    output: (line) => lines.push(line),
    subgraphUrls: subgraphUrls(),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: level,
      JWT_SECRET: inject('jwtSecret'),
      SECRETS_DIR: inject('secretsDir'),
      GATEWAY_WORKERS: '2',
    },
  });
  launched.push(gateway);
  const [answer] = await askTimes(gateway.url, 1);
  expect(answer?.data?.['beneficiary']).toMatchObject({ givenName: 'Amina' });
  await gateway.stop();
  expect(lines).toEqual([]);
});
