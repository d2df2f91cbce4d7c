// A very short `pnpm bench` on the demo data, so that the benchmark cannot rot: the operation mix
// through the Apollo gateway and Hive Gateway, the direct signed call, the statement counts and
// the SQL floor all run and answer without a single error. Times are printed, never asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '@passerelle/db';
import { listSubgraphs, loadSubgraph } from '@passerelle/schema';
import { createTestDatabase } from '@passerelle/testkit';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runBench } from '../bench/src/bench.ts';
import { environment, renderTable } from '../bench/src/report.ts';
import { gatewayUrl, subgraphUrls } from './client.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'passerelle-bench-smoke-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Fresh demo databases in memory, for the phases that read the databases themselves. */
async function demoDatabases(): Promise<Map<string, Database<Record<string, unknown>>>> {
  const databases = new Map<string, Database<Record<string, unknown>>>();
  for (const entry of listSubgraphs()) {
    const module = await loadSubgraph(entry);
    const database = await createTestDatabase(module);
    await module.seed(database.db);
    databases.set(module.name, database);
  }
  return databases;
}

describe('the benchmark', () => {
  it('runs every phase on the demo data with no error and prints its table', async () => {
    const result = await runBench({
      data: 'demo',
      duration: 2,
      connections: 2,
      gatewayWorkers: 1,
      target: { dataRoot: scratch },
      hive: true,
      log: () => {},
      attach: {
        gatewayUrl: gatewayUrl(),
        subgraphUrls: subgraphUrls(),
        jwtSecret: inject('jwtSecret'),
        secretsDir: inject('secretsDir'),
      },
      countingDatabases: demoDatabases,
    });
    const table = renderTable(result, environment());
    // The figures are worth reading in the CI log; nothing below depends on them.
    console.warn(table);

    const phases = [
      result.apollo,
      result.hive!,
      result.gateway,
      result.direct,
      result.journeyAlone,
      result.hiveJourneyAlone!,
    ];
    for (const phase of phases) {
      expect(phase.samples).toEqual([]);
      expect(phase.errors).toBe(0);
      expect(phase.requests).toBeGreaterThan(0);
    }
    const operations = [
      'journey',
      'course directory',
      'referral inbox',
      'coordinator funnel',
      'mutation mix',
    ];
    expect(Object.keys(result.apollo.operations).sort()).toEqual([...operations].sort());
    expect(Object.keys(result.hive!.operations).sort()).toEqual([...operations].sort());
    for (const operation of operations) {
      expect(table).toContain(`| ${operation} |`);
      expect(Object.keys(result.statements.perOperation[operation] ?? {})).not.toEqual([]);
    }
    // The housing facet over a short and a long list of people costs the same statements.
    const [small, large] = result.statements.entityBatches;
    expect([small!.problem, large!.problem]).toEqual([null, null]);
    expect(small!.housingStatements).toBe(large!.housingStatements);
    expect(result.funnelFresh.samples).toBeGreaterThan(0);
    expect(result.funnelFirst.samples).toBeGreaterThan(0);
    expect(result.floor.journeys).toBeGreaterThan(0);
  }, 180_000);
});
