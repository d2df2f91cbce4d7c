// The benchmark's one table (Markdown, printed and written into docs/performance.md between
// markers), the targets of issue #6 checked against it, and the JSON record of the run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repositoryRoot } from '@passerelle/service';
import type { BenchResult } from './bench.ts';
import type { ProcessCpu } from './cpu.ts';
import type { LoadResult } from './load.ts';
import { HOUSING_TABLES_ASKED } from './operations.ts';

const OPERATIONS = [
  'journey',
  'course directory',
  'referral inbox',
  'coordinator funnel',
  'mutation mix',
];

const ms = (value: number | undefined) =>
  value === undefined ? 'n/a' : value < 10 ? value.toFixed(1) : value.toFixed(0);
const rate = (value: number | undefined) => (value === undefined ? 'n/a' : value.toFixed(1));
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || !b ? undefined : a / b;
const times = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(2)}×`);
const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;

export interface Environment {
  date: string;
  machine: string;
  versions: Record<string, string>;
}

function versionOf(packageDirectory: string): string {
  try {
    return (
      JSON.parse(
        readFileSync(path.join(repositoryRoot, packageDirectory, 'package.json'), 'utf8'),
      ) as { version: string }
    ).version;
  } catch {
    return 'absent';
  }
}

export function environment(): Environment {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    machine: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`,
    versions: {
      node: process.versions.node,
      '@apollo/gateway': versionOf('gateway/node_modules/@apollo/gateway'),
      '@graphql-hive/gateway': versionOf('gateway-hive/node_modules/@graphql-hive/gateway'),
      '@electric-sql/pglite': versionOf('packages/db/node_modules/@electric-sql/pglite'),
      postgres: versionOf('packages/db/node_modules/postgres'),
      autocannon: versionOf('bench/node_modules/autocannon'),
    },
  };
}

interface Target {
  name: string;
  measured: string;
  goal: string;
  met: boolean | null;
}

type Batch = BenchResult['statements']['entityBatches'][number] | undefined;

/**
 * Whether one facet batch costs one statement per table asked whatever its length: null when
 * the data holds too few people for the two lists to differ (the demo data).
 */
function batchCheck(
  small: Batch,
  large: Batch,
  problem: string | undefined | null,
): boolean | null {
  if (problem) return false;
  if (!small || !large || large.people <= small.people) return null;
  return (
    small.housingStatements === large.housingStatements &&
    large.housingStatements === HOUSING_TABLES_ASKED
  );
}

/** How many processes each gateway ran as. */
const processes = (workers: number) => (workers === 1 ? 'one process' : `${workers} workers`);

export function targets(result: BenchResult): Target[] {
  const hiveRatio = result.hive ? ratio(result.apollo.rps, result.hive.rps) : undefined;
  const gatewayRatio = ratio(result.gateway.rps, result.direct.rps);
  const floorRatio = ratio(result.journeyAlone.operations['journey']?.p50, result.floor.p50);
  const funnelRatio = result.funnelDemoFresh
    ? ratio(result.funnelFresh.p50, result.funnelDemoFresh.p50)
    : undefined;
  const firstRatio = result.funnelDemoFirst
    ? ratio(result.funnelFirst.p50, result.funnelDemoFirst.p50)
    : undefined;
  const keptBrussels = result.funnelAlone.operations['coordinator funnel']?.p50;
  const keptDemo = result.funnelDemo?.operations['coordinator funnel']?.p50;
  const keptRatio = ratio(keptBrussels, keptDemo);
  const [small, large] = result.statements.entityBatches;
  const batchProblem = small?.problem ?? large?.problem;
  const phases = [
    result.apollo,
    result.hive,
    result.gateway,
    result.direct,
    result.journeyAlone,
    result.hiveJourneyAlone,
    result.funnelAlone,
    result.funnelDemo,
  ].filter((phase): phase is LoadResult => phase !== null);
  const errors = phases.reduce((sum, phase) => sum + phase.errors, 0);
  const requests = phases.reduce((sum, phase) => sum + phase.requests, 0);
  return [
    {
      name: `throughput, Apollo Gateway / Hive Gateway (${processes(result.gatewayWorkers)} each)`,
      measured: result.hive ? times(hiveRatio) : 'n/a (no Hive Gateway)',
      goal: '≥ 1.0×',
      met: hiveRatio === undefined ? null : hiveRatio >= 1,
    },
    {
      name: 'single-subgraph query, gateway / direct signed call (req/s)',
      measured: times(gatewayRatio),
      goal: '≥ 0.5×',
      met: gatewayRatio === undefined ? null : gatewayRatio >= 0.5,
    },
    {
      name: `journey p50 / SQL floor p50 (one connection: ${ms(result.journeyAlone.operations['journey']?.p50)} / ${ms(result.floor.p50)} ms)`,
      measured: times(floorRatio),
      goal: '≤ 2.5×',
      met: floorRatio === undefined ? null : floorRatio <= 2.5,
    },
    {
      name: `housing statements for one facet batch of ${small?.people ?? 0} / ${large?.people ?? 0} people, its ${HOUSING_TABLES_ASKED} tables asked`,
      measured: batchProblem
        ? `failed: ${batchProblem.slice(0, 120)}`
        : `${small?.housingStatements ?? 'n/a'} / ${large?.housingStatements ?? 'n/a'}`,
      goal: `the same at any size, 1 per table (${HOUSING_TABLES_ASKED})`,
      met: batchCheck(small, large, batchProblem),
    },
    {
      name: result.funnelDemoFresh
        ? `coordinator funnel right after a referral changed (ADR 0009), p50 Brussels / demo (${ms(result.funnelFresh.p50)} / ${ms(result.funnelDemoFresh.p50)} ms)`
        : 'coordinator funnel right after a referral changed (ADR 0009), p50 Brussels / demo',
      measured: result.funnelDemoFresh ? times(funnelRatio) : 'n/a (demo run)',
      goal: '≤ 2×',
      met: funnelRatio === undefined ? null : funnelRatio <= 2,
    },
    {
      name: result.funnelDemoFirst
        ? `coordinator funnel of a period asked for the first time, computed afresh, p50 Brussels / demo (${ms(result.funnelFirst.p50)} / ${ms(result.funnelDemoFirst.p50)} ms)`
        : 'coordinator funnel of a period asked for the first time, computed afresh, p50 Brussels / demo',
      measured: result.funnelDemoFirst ? times(firstRatio) : 'n/a (demo run)',
      goal: '≤ 2×',
      met: firstRatio === undefined ? null : firstRatio <= 2,
    },
    {
      name: result.funnelDemo
        ? `coordinator funnel asked again, answer kept (ADR 0005), p50 Brussels / demo (${ms(keptBrussels)} / ${ms(keptDemo)} ms)`
        : 'coordinator funnel asked again, answer kept (ADR 0005), p50 Brussels / demo',
      measured: result.funnelDemo ? times(keptRatio) : 'n/a (demo run)',
      goal: '≤ 2×',
      met: keptRatio === undefined ? null : keptRatio <= 2,
    },
    {
      name: 'errors in the loaded phases',
      measured: `${errors} of ${requests}`,
      goal: '0',
      met: errors === 0,
    },
  ];
}

function operationRows(result: BenchResult): string[] {
  const row = (
    name: string,
    apollo: LoadResult,
    hive: LoadResult | null,
    statements?: Record<string, number>,
  ) => {
    const a = apollo.operations[name];
    const h = hive?.operations[name];
    const sql = statements
      ? Object.entries(statements)
          .map(([subgraph, n]) => `${subgraph} ${n}`)
          .join(', ') || '0'
      : '';
    return `| ${name} | ${rate(a?.rps)} | ${ms(a?.p50)} | ${ms(a?.p95)} | ${ms(a?.p99)} | ${a?.errors ?? 0} | ${hive ? rate(h?.rps) : 'n/a'} | ${hive ? ms(h?.p50) : 'n/a'} | ${hive ? times(ratio(a?.rps, h?.rps)) : 'n/a'} | ${sql} |`;
  };
  return [
    '| operation | Apollo req/s | p50 ms | p95 ms | p99 ms | errors | Hive req/s | Hive p50 ms | Apollo / Hive | SQL statements per request |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...OPERATIONS.map((name) =>
      row(name, result.apollo, result.hive, result.statements.perOperation[name]),
    ),
    `| **all** | ${rate(result.apollo.rps)} | | | | ${result.apollo.errors} | ${result.hive ? rate(result.hive.rps) : 'n/a'} | | ${result.hive ? times(ratio(result.apollo.rps, result.hive.rps)) : 'n/a'} | |`,
    row('single-subgraph query', result.gateway, null).replace(
      '| single-subgraph query |',
      '| single-subgraph query, gateway |',
    ),
    row('single-subgraph query', result.direct, null).replace(
      '| single-subgraph query |',
      '| single-subgraph query, direct |',
    ),
  ];
}

/** Whether the floor read the rows the journey answered through the gateway. */
const sameRows = (same: BenchResult['floor']['sameRows']) =>
  !same
    ? 'its rows not compared with the journey (other databases)'
    : `the same rows as the journey through the gateway for ${same.same} of ${same.compared} people${same.firstDifference ? ` (first difference: ${same.firstDifference})` : ''}`;

const memoryLine = (memory: BenchResult['memory']) =>
  memory.length === 0
    ? 'n/a'
    : `${memory.map((m) => `${m.name} ${mb(m.peakBytes)}`).join(', ')}; total ${mb(memory.reduce((sum, m) => sum + m.peakBytes, 0))}`;

/** CPU time per journey of each process, through each gateway (none on an attached stack). */
function cpuLines(result: BenchResult): string[] {
  const line = (label: string, cpu: ProcessCpu[], load: LoadResult | null) =>
    cpu.length === 0
      ? []
      : [
          `CPU per journey alone through ${label} (p50 ${ms(load?.operations['journey']?.p50)} ms): ${cpu
            .filter((one) => one.ms >= 0.05)
            .map((one) => `${one.name} ${one.ms.toFixed(1)}`)
            .join(', ')}; total ${cpu.reduce((sum, one) => sum + one.ms, 0).toFixed(1)} ms.`,
        ];
  return [
    ...line('Apollo Gateway', result.cpuPerJourney.apollo, result.journeyAlone),
    ...line('Hive Gateway', result.cpuPerJourney.hive ?? [], result.hiveJourneyAlone),
  ];
}

/** The whole table, in Markdown. */
export function renderTable(result: BenchResult, env: Environment): string {
  const when = env.date.slice(0, 10);
  const versions = Object.entries(env.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  return [
    `**${result.data} data on ${result.driver === 'pglite' ? 'PGlite' : 'PostgreSQL'}**${result.transport === 'socket' ? ' through its Unix-domain socket' : result.transport === 'tcp' ? ' over TCP' : ''}, ${result.connections} connections, ${result.duration} s per loaded phase, gateways of ${processes(result.gatewayWorkers)} — ${when}; ${env.machine}; ${versions}. Stack ready in ${(result.startMs / 1000).toFixed(1)} s.`,
    '',
    ...operationRows(result),
    '',
    '| target (issue #6) | measured | goal | met |',
    '|---|---:|---:|:---:|',
    ...targets(result).map(
      (t) =>
        `| ${t.name} | ${t.measured} | ${t.goal} | ${t.met === null ? 'n/a' : t.met ? 'yes' : 'no'} |`,
    ),
    '',
    `Peak resident memory from the moment the stack was ready: ${memoryLine(result.memory)}. While starting (migrations, opening the databases${result.data === 'demo' ? ', seeding the demo data' : ''}): ${memoryLine(result.startupMemory)}.`,
    `Coordinator funnel: right after a referral was sent (${result.funnelFresh.samples} times), p50 ${ms(result.funnelFresh.p50)} ms, p95 ${ms(result.funnelFresh.p95)} ms${result.funnelDemoFresh ? ` (demo ${ms(result.funnelDemoFresh.p50)} / ${ms(result.funnelDemoFresh.p95)} ms)` : ''}; for a period asked for the first time (${result.funnelFirst.samples} periods, each a day shorter), p50 ${ms(result.funnelFirst.p50)} ms, p95 ${ms(result.funnelFirst.p95)} ms${result.funnelDemoFirst ? ` (demo ${ms(result.funnelDemoFirst.p50)} / ${ms(result.funnelDemoFirst.p95)} ms)` : ''}; asked again at the same version of the referrals (answers kept, ADR 0005), p50 ${ms(result.funnelAlone.operations['coordinator funnel']?.p50)} ms${result.funnelDemo ? ` (demo ${ms(result.funnelDemo.operations['coordinator funnel']?.p50)} ms)` : ''}.`,
    `SQL floor: ${result.floor.journeys} journeys, ${result.floor.statements.toFixed(1)} statements each, p50 ${ms(result.floor.p50)} ms, p95 ${ms(result.floor.p95)} ms; ${sameRows(result.floor.sameRows)}.`,
    ...cpuLines(result),
  ].join('\n');
}

/** Writes the run's JSON under bench/results/ and returns its path. */
export function writeResult(result: BenchResult, env: Environment, table: string): string {
  const directory = path.join(repositoryRoot, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const file = path.join(
    directory,
    `${env.date.replaceAll(':', '-').slice(0, 19)}-${result.data}-${result.driver}.json`,
  );
  writeFileSync(
    file,
    `${JSON.stringify({ ...env, targets: targets(result), result, table }, null, 2)}\n`,
  );
  return file;
}

/** Replaces the table of this data and driver in docs/performance.md, between its markers. */
export function refreshDocs(
  result: BenchResult,
  table: string,
  file = path.join(repositoryRoot, 'docs', 'performance.md'),
): void {
  const key = `${result.data}-${result.driver}`;
  const start = `<!-- bench:${key}:start -->`;
  const end = `<!-- bench:${key}:end -->`;
  let text = readFileSync(file, 'utf8');
  // Prettier leaves the generated table as written, so a refresh never fails `format:check`.
  const block = `${start}\n<!-- prettier-ignore-start -->\n${table}\n<!-- prettier-ignore-end -->\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  text =
    from >= 0 && to > from
      ? text.slice(0, from) + block + text.slice(to + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
}
