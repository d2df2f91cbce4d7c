// A gateway may serve from several processes on one port (GATEWAY_WORKERS). Either engine,
// started here beside the e2e stack's gateway on the same subgraphs, answers with its workers,
// stops them all on SIGTERM, and stops altogether when one of them dies.
import { setTimeout as sleep } from 'node:timers/promises';
import { beneficiaries } from '@passerelle/demo-data';
import { postGraphQL, tokenFor, tokenSettings } from '@passerelle/testkit';
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  APOLLO_ENTRY,
  childPids,
  HIVE_ENTRY,
  launchGateway,
  type LaunchedGateway,
} from '../gateway-hive/src/launch.ts';
import { subgraphUrls, viewers } from './client.ts';

const launched: LaunchedGateway[] = [];
afterEach(async () => {
  for (const gateway of launched.splice(0)) await gateway.stop();
});

async function start(entry: string, workers: number) {
  const gateway = await launchGateway(entry, {
    subgraphUrls: subgraphUrls(),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      JWT_SECRET: inject('jwtSecret'),
      SECRETS_DIR: inject('secretsDir'),
      GATEWAY_WORKERS: String(workers),
    },
    output: process.env['E2E_LOGS'] ? 'inherit' : 'ignore',
  });
  launched.push(gateway);
  return gateway;
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(pids: number[]) {
  for (let attempt = 0; attempt < 50 && pids.some(isRunning); attempt += 1) await sleep(100);
  return pids.filter(isRunning);
}

const QUERY = `query ($id: ID!) { beneficiary(id: $id) { givenName housing { currentTenancy { dwelling { street } } } } }`;

/** The same query several times at once: over several connections, which the workers share. */
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
  it('answers from its workers and stops them all on SIGTERM', async () => {
    const gateway = await start(entry, 2);
    const workers = childPids(gateway.pid);
    expect(workers).toHaveLength(2);

    const answers = await askTimes(gateway.url, 8);
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.['beneficiary']).toMatchObject({
        givenName: 'Amina',
        housing: { currentTenancy: { dwelling: { street: expect.any(String) } } },
      });
    }

    await gateway.stop();
    expect(await gateway.exited).toBe(0);
    expect(await gone(workers)).toEqual([]);
  });

  it('stops altogether, with an error, when a worker dies', async () => {
    const gateway = await start(entry, 2);
    const [victim, survivor] = childPids(gateway.pid);
    process.kill(victim!, 'SIGKILL');
    expect(await gateway.exited).toBe(1);
    expect(await gone([survivor!])).toEqual([]);
  });
});

it('serves in one process when GATEWAY_WORKERS is 1', async () => {
  const gateway = await start(APOLLO_ENTRY, 1);
  expect(childPids(gateway.pid)).toEqual([]);
  const [answer] = await askTimes(gateway.url, 1);
  expect(answer?.data?.['beneficiary']).toMatchObject({ givenName: 'Amina' });
  await gateway.stop();
  expect(await gateway.exited).toBe(0);
});
