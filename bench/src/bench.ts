// The benchmark, in one run: starts the stack on the chosen data (and Hive Gateway beside the
// Apollo gateway on the same subgraphs), drives the operation mix through both, the gateway
// against a signed direct call, single-connection latencies, then — with the stack stopped — the
// SQL statements per operation and the journey's SQL floor on the same databases.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { socketDirectoryOf, type Database } from '@passerelle/db';
import { launchHiveGateway } from '@passerelle/gateway-hive';
import { bearerHeaders, gatewaySignature } from './callers.ts';
import { cpuPerOperation, cpuSnapshot, type NamedProcess, type ProcessCpu } from './cpu.ts';
import type { Target } from './databases.ts';
import {
  demoTarget,
  openDatabases,
  peakResident,
  resetPeakMemory,
  start,
  type Running,
} from './stacks.ts';
import { isoDay, plusDays } from './dataset/random.ts';
import { partnersOf } from './dataset/world.ts';
import {
  drive,
  driveAlternating,
  percentile,
  problemOf,
  type LoadOptions,
  type LoadResult,
} from './load.ts';
import {
  journeyPeople,
  mixSteps,
  mutationSteps,
  NETWORK_ONLY,
  readSteps,
  referralChange,
  type Context,
  type DataName,
  type GraphQLCall,
  type Step,
} from './operations.ts';
import { measureSqlFloor, type FloorResult } from './sql-floor.ts';
import { countStatements, type StatementCounts } from './statements.ts';
import * as demo from '@passerelle/demo-data';

export interface BenchOptions {
  data: DataName;
  /** Seconds of each loaded phase. */
  duration: number;
  connections: number;
  /** Processes of each gateway (GATEWAY_WORKERS), the same for both engines. */
  gatewayWorkers: number;
  /** Where the data lives: PostgreSQL server or PGlite directories. */
  target: Target;
  /** Also run the operations through Hive Gateway (when the package is there). */
  hive: boolean;
  log: (line: string) => void;
  /** Measure a stack that is already running (the end-to-end suite's) instead of starting one. */
  attach?: AttachedStack;
  /**
   * The databases the statements are counted on and the SQL floor read, opened once the stack
   * has stopped; the data's own databases when omitted.
   */
  countingDatabases?: () => Promise<Map<string, Database<Record<string, unknown>>>>;
  /** Write a V8 CPU profile of every process of the stack into this directory (`--cpu-prof`). */
  cpuProfileDir?: string;
}

/** A running stack to measure: its URLs and the secrets it was started with. */
export interface AttachedStack {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  jwtSecret: string;
  secretsDir: string;
}

export interface ProcessMemory {
  name: string;
  peakBytes: number;
}

export interface BenchResult {
  data: DataName;
  driver: 'pglite' | 'postgres';
  /** PostgreSQL: how the subgraphs reach the server (a `?host=/dir` URL names a socket). */
  transport: 'socket' | 'tcp' | null;
  duration: number;
  connections: number;
  gatewayWorkers: number;
  startMs: number;
  apollo: LoadResult;
  hive: LoadResult | null;
  gateway: LoadResult;
  direct: LoadResult;
  journeyAlone: LoadResult;
  /** The journey alone through Hive Gateway, on one connection too. */
  hiveJourneyAlone: LoadResult | null;
  /** CPU per journey of each process over the journey-alone phases, through each gateway. */
  cpuPerJourney: { apollo: ProcessCpu[]; hive: ProcessCpu[] | null };
  /** The funnel asked again and again at one version of the referrals: kept answers. */
  funnelAlone: LoadResult;
  /**
   * The funnel right after a referral changed: the totals, pairs and months kept brought up to
   * date, the reasons and backlog computed afresh (ADR 0009).
   */
  funnelFresh: Timed;
  /** The funnel of a period asked for the first time: every figure computed afresh. */
  funnelFirst: Timed;
  /** The same three on the demo data in the same run (Brussels runs only). */
  funnelDemo: LoadResult | null;
  funnelDemoFresh: Timed | null;
  funnelDemoFirst: Timed | null;
  floor: FloorResult;
  statements: StatementCounts;
  /** Peak resident memory while measured, from the moment the stack was ready. */
  memory: ProcessMemory[];
  /** Peak resident memory while starting: migrations, opening the databases, the demo seed. */
  startupMemory: ProcessMemory[];
}

type HeadersFor = (call: GraphQLCall, body: string) => Record<string, string>;

/** Sends one step and fails with what went wrong; how long it took and its data. */
async function send(
  url: string,
  step: Step,
  context: Context,
  turn: number,
  headersFor: HeadersFor,
): Promise<{ ms: number; data: Record<string, unknown>; call: GraphQLCall }> {
  const started = performance.now();
  const call = step.call(context, turn);
  const body = JSON.stringify({ query: call.query, variables: call.variables ?? {} });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headersFor(call, body) },
    body,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  const problem = problemOf(response.status, text, step);
  if (problem) throw new Error(`${step.operation} failed before the run: ${problem}`);
  const { data } = JSON.parse(text) as { data: Record<string, unknown> };
  step.remember?.(data, context);
  return { ms, data, call };
}

/** Sends every step once, in order, and fails with what went wrong, before any measurement. */
async function check(url: string, steps: Step[], headersFor: HeadersFor): Promise<void> {
  const context = {};
  for (const step of steps) await send(url, step, context, 0, headersFor);
}

/**
 * Sends the journey once for each person it rotates through, a few at a time: on the Brussels
 * data each answer must hold every facet, or the data is older than the benchmark's rules. The
 * answers, by person, for the SQL floor to be compared with.
 */
async function checkJourneys(
  url: string,
  journey: Step,
  people: number,
  headersFor: HeadersFor,
): Promise<Map<string, Record<string, unknown>>> {
  const answers = new Map<string, Record<string, unknown>>();
  let next = 0;
  let failed = false;
  const worker = async () => {
    for (let turn = next++; turn < people && !failed; turn = next++) {
      try {
        const { data, call } = await send(url, journey, {}, turn, headersFor);
        answers.set(String(call.variables?.['id']), data);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return answers;
}

/** Latencies of answers each timed alone. */
export interface Timed {
  samples: number;
  p50: number;
  p95: number;
}

/**
 * The coordinators' funnel, each time right after a referral was sent: the version of the
 * referrals has moved, so nothing kept is served as it is (ADR 0005, ADR 0009). Only the funnel
 * is timed.
 */
async function funnelsAfterChange(
  url: string,
  funnel: Step,
  run: string,
  samples: number,
  headersFor: HeadersFor,
): Promise<Timed> {
  const latencies: number[] = [];
  for (let sample = 0; sample < samples; sample += 1) {
    await send(url, referralChange(`${run}-${sample}`), {}, 0, headersFor);
    latencies.push((await send(url, funnel, {}, 0, headersFor)).ms);
  }
  return timed(latencies);
}

/**
 * The coordinators' funnel for periods no one asked before: the first day moves on by a day each
 * time, so every figure is computed afresh over nearly the same referrals.
 */
async function funnelsFirstAsked(
  url: string,
  funnel: Step,
  samples: number,
  headersFor: HeadersFor,
): Promise<Timed> {
  const latencies: number[] = [];
  for (let sample = 0; sample < samples; sample += 1) {
    latencies.push((await send(url, periodMovedOn(funnel, sample + 1), {}, 0, headersFor)).ms);
  }
  return timed(latencies);
}

/** `funnel` with the first day of its period `days` later. */
function periodMovedOn(funnel: Step, days: number): Step {
  return {
    ...funnel,
    call: (context, turn) => {
      const call = funnel.call(context, turn);
      const filter = call.variables?.['filter'] as { from: string };
      const from = isoDay(plusDays(new Date(`${filter.from}T00:00:00Z`), days));
      return { ...call, variables: { ...call.variables, filter: { ...filter, from } } };
    },
  };
}

function timed(latencies: number[]): Timed {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { samples: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

/** How many funnels each dataset is timed on, per kind: a smoke run sends a few. */
const freshSamples = (duration: number) => (duration < 5 ? 3 : 20);

interface Measured {
  apollo: LoadResult;
  hive: LoadResult | null;
  gateway: LoadResult;
  direct: LoadResult;
  journeyAlone: LoadResult;
  hiveJourneyAlone: LoadResult | null;
  cpuPerJourney: { apollo: ProcessCpu[]; hive: ProcessCpu[] | null };
  funnelAlone: LoadResult;
  funnelFresh: Timed;
  funnelFirst: Timed;
  memory: ProcessMemory[];
  startupMemory: ProcessMemory[];
  /** The journey's answer for each person, read before the load, for the SQL floor's rows. */
  journeyAnswers: Map<string, Record<string, unknown>>;
}

/** What the benchmark can read of the stack's processes (nothing of a stack it attached to). */
interface StackProcesses {
  memory(): ProcessMemory[];
  /** Starts counting the peaks afresh. */
  resetPeaks(): void;
  processes(): NamedProcess[];
  databases: ReadonlySet<string>;
}

type Phase = (
  label: string,
  url: string,
  steps: Step[],
  seconds: number,
  headersFor?: HeadersFor,
  conns?: number,
) => Promise<LoadResult>;

/**
 * The journey alone on one connection through each gateway, and the CPU each process spent per
 * journey meanwhile: the gateway's, the subgraphs' and PostgreSQL's, when it runs here. None of a
 * stack the benchmark attached to: it does not know its processes.
 */
async function journeysAlone(
  phase: Phase,
  apolloUrl: string,
  hiveUrl: string | undefined,
  journey: Step,
  seconds: number,
  stack: StackProcesses | null,
  hivePid: number | undefined,
): Promise<Pick<Measured, 'journeyAlone' | 'hiveJourneyAlone' | 'cpuPerJourney'>> {
  const alone = async (label: string, url: string, processes: NamedProcess[]) => {
    const snapshot = () => stack && cpuSnapshot(processes, stack.databases);
    const before = snapshot();
    const load = await phase(label, url, [journey], seconds, undefined, 1);
    const after = snapshot();
    return { load, cpu: before && after ? cpuPerOperation(before, after, load.requests) : [] };
  };
  const stackProcesses = stack?.processes() ?? [];
  const apollo = await alone('journey alone', apolloUrl, stackProcesses);
  const hive = hiveUrl
    ? await alone('journey alone through Hive Gateway', hiveUrl, [
        { name: 'gateway-hive', pid: hivePid },
        ...stackProcesses.filter((process) => process.name !== 'gateway'),
      ])
    : null;
  return {
    journeyAlone: apollo.load,
    hiveJourneyAlone: hive?.load ?? null,
    cpuPerJourney: { apollo: apollo.cpu, hive: hive?.cpu ?? null },
  };
}

/** The loaded phases, against a running stack (and Hive Gateway on its subgraphs). */
async function measure(
  stack: AttachedStack,
  options: BenchOptions,
  run: string,
  processes: StackProcesses | null,
): Promise<Measured> {
  const { log, duration, connections } = options;
  const short = Math.max(1, duration / 4);
  const startupMemory = processes?.memory() ?? [];
  processes?.resetPeaks();
  const hive = options.hive
    ? await launchHiveGateway({
        subgraphUrls: stack.subgraphUrls,
        env: {
          NODE_ENV: 'test',
          LOG_LEVEL: 'warn',
          JWT_SECRET: stack.jwtSecret,
          SECRETS_DIR: stack.secretsDir,
          GATEWAY_WORKERS: String(options.gatewayWorkers),
        },
      })
    : null;
  if (hive) {
    startupMemory.push({ name: 'gateway-hive', peakBytes: peakResident(hive.pid) });
    resetPeakMemory(hive.pid);
  }
  try {
    // Each phase writes with its own idempotency keys and names: a retried key would answer the
    // first referral again, which the next step could not acknowledge twice.
    const mix = (phase: string) => mixSteps(options.data, `${run}${phase}`);
    const reads = readSteps(options.data);
    const networkOnly: Step = {
      operation: 'single-subgraph query',
      call: (_, turn) => ({
        viewer: { partner: demo.partners.aisIris.id, role: 'staff', sub: demo.staff.aisIris },
        query: NETWORK_ONLY,
        variables: { filter: turn % 2 ? { kind: 'DIGITAL_INITIATION' } : { language: 'fr' } },
      }),
    };
    const bearer = await bearerHeaders(stack.jwtSecret, [
      ...mix('t'),
      ...Object.values(reads),
      networkOnly,
    ]);
    const signed = gatewaySignature(stack.secretsDir, 'network');
    const networkUrl = stack.subgraphUrls['network'];
    if (!networkUrl) throw new Error('no network subgraph to call directly');
    await check(stack.gatewayUrl, mix('c'), bearer);
    if (hive) await check(hive.url, mix('d'), bearer);
    await check(networkUrl, [networkOnly], signed);
    log('  every person of the journey, once each');
    const journeyAnswers = await checkJourneys(
      stack.gatewayUrl,
      reads.journey,
      journeyPeople(options.data).length,
      bearer,
    );

    const phase: Phase = (label, url, steps, seconds, headersFor = bearer, conns = connections) => {
      log(`  ${label}: ${conns} connection(s), ${seconds} s`);
      return drive({ url, steps, connections: conns, seconds, headersFor });
    };
    /** Two loads in turns of about 5 s each (A B B A…), an even number of turns each. */
    const inTurns = (label: string, loads: [LoadOptions, LoadOptions]) => {
      const seconds = loads[0].seconds;
      const slices = 2 * Math.max(1, Math.round(seconds / 10));
      log(
        `  ${label} in turns: ${connections} connection(s), ${seconds} s each in ${slices} slice(s)`,
      );
      return driveAlternating(loads, slices);
    };
    const load = (
      url: string,
      steps: Step[],
      seconds: number,
      headersFor: HeadersFor = bearer,
    ): LoadOptions => ({
      url,
      steps,
      connections,
      seconds,
      headersFor,
    });
    // Warm-up, not counted: the first loaded phase would otherwise pay for cold database caches
    // and unoptimized code that the phases after it find ready, which favoured whichever gateway
    // ran second.
    await phase('warm-up through Apollo Gateway', stack.gatewayUrl, mix('wa'), short);
    if (hive) await phase('warm-up through Hive Gateway', hive.url, mix('wh'), short);
    // The two engines take turns rather than one whole phase after the other: what the machine
    // does meanwhile then weighs on both alike. So do the gateway and the direct call.
    const [apolloMix, hiveMix] = hive
      ? await inTurns('operation mix through Apollo Gateway and Hive Gateway', [
          load(stack.gatewayUrl, mix('a'), duration),
          load(hive.url, mix('h'), duration),
        ])
      : [await phase('operation mix through Apollo Gateway', stack.gatewayUrl, mix('a'), duration)];
    const [gateway, direct] = await inTurns(
      'single-subgraph query through the gateway and straight to network, signed',
      [
        load(stack.gatewayUrl, [networkOnly], duration / 2),
        load(networkUrl, [networkOnly], duration / 2, signed),
      ],
    );
    const result: Measured = {
      apollo: apolloMix,
      hive: hiveMix ?? null,
      gateway,
      direct,
      ...(await journeysAlone(
        phase,
        stack.gatewayUrl,
        hive?.url,
        reads.journey,
        short,
        processes,
        hive?.pid,
      )),
      funnelFresh: await funnelsAfterChange(
        stack.gatewayUrl,
        reads.funnel,
        `${run}f`,
        freshSamples(duration),
        bearer,
      ),
      funnelFirst: await funnelsFirstAsked(
        stack.gatewayUrl,
        reads.funnel,
        freshSamples(duration),
        bearer,
      ),
      funnelAlone: await phase(
        'coordinator funnel alone, asked again at one version of the referrals',
        stack.gatewayUrl,
        [reads.funnel],
        short,
        bearer,
        1,
      ),
      memory: [],
      startupMemory,
      journeyAnswers,
    };
    result.memory = [
      ...(processes?.memory() ?? []),
      ...(hive ? [{ name: 'gateway-hive', peakBytes: peakResident(hive.pid) }] : []),
    ];
    return result;
  } finally {
    await hive?.stop();
  }
}

/** With the stack stopped: statements per operation, and the journey's SQL floor. */
async function countAndFloor(
  databases: Map<string, Database<Record<string, unknown>>>,
  options: BenchOptions,
  run: string,
  journeyAnswers: Map<string, Record<string, unknown>> | null,
): Promise<{ statements: StatementCounts; floor: FloorResult }> {
  const reads = readSteps(options.data);
  const secretsDir = mkdtempSync(path.join(tmpdir(), 'passerelle-bench-secrets-'));
  try {
    const statements = await countStatements(
      databases,
      secretsDir,
      {
        journey: { steps: [reads.journey] },
        'course directory': { steps: [reads.directory] },
        'referral inbox': { steps: [reads.inbox] },
        // Computed afresh, as in the mix where nearly every funnel follows a write.
        'coordinator funnel': {
          steps: [reads.funnel],
          before: (turn) => [referralChange(`${run}c${turn}`)],
        },
        'mutation mix': { steps: mutationSteps(`${run}s`) },
      },
      { partner: demo.partners.aisQuartiers.id, role: 'staff', sub: demo.staff.aisQuartiers },
      // A short run (the CI smoke) counts each operation once; a real one averages three.
      options.duration < 5 ? 1 : 3,
    );
    const agencies = new Set(partnersOf('HOUSING_AGENCY').map((p) => p.id));
    const floor = await measureSqlFloor(
      databases,
      journeyPeople(options.data).map((person) => ({
        id: person.id,
        agency: agencies.has(person.viewer.partner ?? '')
          ? person.viewer.partner!
          : demo.partners.aisQuartiers.id,
      })),
      Math.max(1, options.duration / 4),
      journeyAnswers,
    );
    return { statements, floor };
  } finally {
    rmSync(secretsDir, { recursive: true, force: true });
  }
}

/**
 * The coordinator funnel on freshly seeded demo data, to compare with the Brussels time: right
 * after a change (after a warm-up), for periods asked for the first time, then asked again at one
 * version of the referrals.
 */
async function funnelOnDemo(
  options: BenchOptions,
  run: string,
): Promise<{ load: LoadResult; fresh: Timed; first: Timed }> {
  const scratch = demoTarget(options.target);
  try {
    const running = await start(scratch.target, true, options.gatewayWorkers);
    try {
      const funnel = readSteps('demo').funnel;
      const headersFor = await bearerHeaders(running.jwtSecret, [funnel, referralChange(run)]);
      // Unmeasured: the Brussels stack is warm from the phases before its funnel.
      await funnelsAfterChange(running.gatewayUrl, funnel, `${run}dw`, 3, headersFor);
      const fresh = await funnelsAfterChange(
        running.gatewayUrl,
        funnel,
        `${run}d`,
        freshSamples(options.duration),
        headersFor,
      );
      const first = await funnelsFirstAsked(
        running.gatewayUrl,
        funnel,
        freshSamples(options.duration),
        headersFor,
      );
      const load = await drive({
        url: running.gatewayUrl,
        steps: [funnel],
        connections: 1,
        seconds: Math.max(1, options.duration / 4),
        headersFor,
      });
      return { load, fresh, first };
    } finally {
      await running.stop();
    }
  } finally {
    await scratch.dispose();
  }
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const { log } = options;
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const scratch = options.data === 'demo' && !options.attach ? demoTarget(options.target) : null;
  const target = scratch?.target ?? options.target;
  let running: Running | null = null;
  try {
    let measured: Measured;
    let startMs = 0;
    if (options.attach) {
      log(`Measuring the running stack at ${options.attach.gatewayUrl}…`);
      measured = await measure(options.attach, options, run, null);
    } else {
      log(
        `Starting the stack on the ${options.data} data (${target.serverUrl ? 'PostgreSQL' : 'PGlite'})…`,
      );
      running = await start(
        target,
        options.data === 'demo',
        options.gatewayWorkers,
        options.cpuProfileDir,
      );
      startMs = running.startMs;
      log(`  ready in ${(startMs / 1000).toFixed(1)} s`);
      measured = await measure(running, options, run, running);
      await running.stop();
      running = null;
    }

    const { journeyAnswers, ...figures } = measured;
    log('Counting SQL statements per operation, then the SQL floor of the journey…');
    const databases = await (options.countingDatabases ?? (() => openDatabases(target)))();
    let counted: { statements: StatementCounts; floor: FloorResult };
    try {
      // Databases given apart are not the ones the journeys were answered from.
      counted = await countAndFloor(
        databases,
        options,
        run,
        options.countingDatabases ? null : journeyAnswers,
      );
    } finally {
      for (const database of databases.values()) await database.close();
    }

    let demoFunnel: { load: LoadResult; fresh: Timed; first: Timed } | null = null;
    if (options.data === 'brussels' && !options.attach) {
      log('The coordinator funnel on the demo data, for comparison…');
      demoFunnel = await funnelOnDemo(options, run);
    }
    return {
      data: options.data,
      driver: target.serverUrl ? 'postgres' : 'pglite',
      transport: target.serverUrl ? (socketDirectoryOf(target.serverUrl) ? 'socket' : 'tcp') : null,
      duration: options.duration,
      connections: options.connections,
      gatewayWorkers: options.gatewayWorkers,
      startMs,
      ...figures,
      funnelDemo: demoFunnel?.load ?? null,
      funnelDemoFresh: demoFunnel?.fresh ?? null,
      funnelDemoFirst: demoFunnel?.first ?? null,
      ...counted,
    };
  } finally {
    await running?.stop();
    await scratch?.dispose();
  }
}
