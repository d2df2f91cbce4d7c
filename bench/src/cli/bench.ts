// `pnpm bench [--data brussels|demo] [--duration 20] [--connections 16] [--workers 1]
// [--write all|json|none] [--no-hive] [--data-dir <dir>] [--cpu-prof <dir>]`: runs the benchmark
// (PostgreSQL when PASSERELLE_DATABASE_URL is set, PGlite otherwise), prints its table, writes
// bench/results/<date>-<data>-<driver>.json and refreshes the table in docs/performance.md. The
// Brussels data comes from `pnpm seed --scale brussels`; the demo data is seeded afresh in
// scratch databases. `--workers` is GATEWAY_WORKERS of both gateways.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repositoryRoot } from '@passerelle/service';
import { runBench } from '../bench.ts';
import { defaultTarget } from '../databases.ts';
import { environment, refreshDocs, renderTable, writeResult } from '../report.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'brussels' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '16' },
    workers: { type: 'string', default: '1' },
    write: { type: 'string', default: 'all' },
    'no-hive': { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
const data = values.data;
const duration = Number(values.duration);
const connections = Number(values.connections);
const workers = Number(values.workers);
const problems = [
  data === 'demo' || data === 'brussels' ? null : '--data must be demo or brussels',
  Number.isFinite(duration) && duration >= 1 && duration <= 600
    ? null
    : '--duration: 1 to 600 seconds',
  Number.isInteger(connections) && connections >= 1 && connections <= 256
    ? null
    : '--connections: 1 to 256',
  Number.isInteger(workers) && workers >= 1 && workers <= 64 ? null : '--workers: 1 to 64',
  ['all', 'json', 'none'].includes(values.write) ? null : '--write must be all, json or none',
  // The demo data is seeded afresh in scratch databases, and PostgreSQL names its own.
  values['data-dir'] && (data === 'demo' || process.env['PASSERELLE_DATABASE_URL'])
    ? '--data-dir: only for the Brussels data in the embedded databases (PASSERELLE_DATABASE_URL unset)'
    : null,
].filter((problem): problem is string => problem !== null);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(2);
}

const target = defaultTarget();
if (values['data-dir']) target.dataRoot = path.resolve(values['data-dir']);
if (
  data === 'brussels' &&
  !target.serverUrl &&
  !existsSync(path.join(target.dataRoot, 'network'))
) {
  console.error(`No data under ${target.dataRoot}: run \`pnpm seed --scale brussels\` first.`);
  process.exit(1);
}
const hive =
  !values['no-hive'] && existsSync(path.join(repositoryRoot, 'gateway-hive', 'src', 'index.ts'));

try {
  const result = await runBench({
    data: data as 'demo' | 'brussels',
    duration,
    connections,
    gatewayWorkers: workers,
    target,
    hive,
    log: (line) => console.log(line),
    ...(values['cpu-prof'] ? { cpuProfileDir: path.resolve(values['cpu-prof']) } : {}),
  });
  const env = environment();
  const table = renderTable(result, env);
  console.log(`\n${table}\n`);
  if (values.write !== 'none')
    console.log(`Results: ${path.relative(repositoryRoot, writeResult(result, env, table))}`);
  if (values.write === 'all') {
    refreshDocs(result, table);
    console.log('Table refreshed in docs/performance.md');
  }
} catch (error) {
  console.error(String((error as Error).stack ?? error).slice(0, 3000));
  process.exit(1);
}
