// Drives steps at a fixed concurrency for a fixed time with autocannon, and measures each
// operation apart: its own latency percentiles, throughput and errors. An answer counts as an
// error when it is not a 200, carries a GraphQL error other than a facet withheld for want of
// consent (part of normal answers), a mutation payload lists input errors, or the step finds
// something missing that its data must hold (the journey cohort's facets).
import autocannon, { type Client, type Request } from 'autocannon';
import type { Context, GraphQLCall, Step } from './operations.ts';

export interface OperationStats {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface LoadResult {
  seconds: number;
  requests: number;
  errors: number;
  rps: number;
  operations: Record<string, OperationStats>;
  /** A few of the errors seen, to say what went wrong. */
  samples: string[];
}

export interface LoadOptions {
  url: string;
  steps: Step[];
  connections: number;
  seconds: number;
  /** The headers of one request: a bearer token through a gateway, a signature straight to a subgraph. */
  headersFor: (call: GraphQLCall, body: string) => Record<string, string>;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A facet withheld for want of consent: an answer a partner app must expect, not an error. */
const withheld = (error: { extensions?: { code?: string; reason?: string } }) =>
  error.extensions?.code === 'FORBIDDEN' && error.extensions.reason === 'NO_CONSENT';

/** What is wrong with one answer, or null when it is a normal one (for `step`, when given). */
export function problemOf(status: number, body: string, step?: Step): string | null {
  if (status !== 200) return `HTTP ${status}: ${body.slice(0, 200)}`;
  let json: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
  };
  try {
    json = JSON.parse(body) as typeof json;
  } catch {
    return `not JSON: ${body.slice(0, 200)}`;
  }
  const unexpected = (json.errors ?? []).filter((error) => !withheld(error));
  if (unexpected.length) return `${unexpected[0]!.extensions?.code}: ${unexpected[0]!.message}`;
  if (!json.data) return 'no data';
  for (const [field, value] of Object.entries(json.data)) {
    const errors = (value as { errors?: unknown[] } | null)?.errors;
    if (Array.isArray(errors) && errors.length) return `${field}: ${JSON.stringify(errors)}`;
  }
  return step?.missing?.(json.data) ?? null;
}

type NamedRequest = Request & { operation: string };

/**
 * What the load sent to one target has gathered so far, over one run of autocannon or several:
 * latencies and errors per operation, and each step's turn, so that a later run goes on with the
 * names and idempotency keys where the last one stopped.
 */
class Tally {
  readonly latencies = new Map<string, number[]>();
  readonly errors = new Map<string, number>();
  readonly samples: string[] = [];
  readonly turns = new Map<Step, number>();
  seconds = 0;
  transportErrors = 0;

  result(): LoadResult {
    const operations: Record<string, OperationStats> = {};
    for (const [operation, list] of this.latencies) {
      list.sort((a, b) => a - b);
      operations[operation] = {
        requests: list.length,
        errors: this.errors.get(operation) ?? 0,
        rps: list.length / this.seconds,
        p50: percentile(list, 50),
        p95: percentile(list, 95),
        p99: percentile(list, 99),
      };
    }
    const samples = [...this.samples];
    if (this.transportErrors && samples.length < 5)
      samples.push(`${this.transportErrors} connection errors or timeouts`);
    const total = [...this.latencies.values()].reduce((sum, list) => sum + list.length, 0);
    const failed = [...this.errors.values()].reduce((sum, n) => sum + n, 0) + this.transportErrors;
    return {
      seconds: this.seconds,
      requests: total,
      errors: failed,
      rps: total / this.seconds,
      operations,
      samples,
    };
  }
}

/** One run of autocannon against `options.url`, counted into `tally`. */
async function run(options: LoadOptions, tally: Tally): Promise<void> {
  const path = new URL(options.url).pathname;
  const requests: NamedRequest[] = options.steps.map((step) => ({
    operation: step.operation,
    method: 'POST',
    path,
    setupRequest: (request: Request, context: object) => {
      const turn = tally.turns.get(step) ?? 0;
      tally.turns.set(step, turn + 1);
      const call = step.call(context as Context, turn);
      const body = JSON.stringify({ query: call.query, variables: call.variables ?? {} });
      return {
        ...request,
        method: 'POST',
        path,
        body,
        headers: { 'content-type': 'application/json', ...options.headersFor(call, body) },
      };
    },
    onResponse: (status: number, body: string, context: object) => {
      const problem = problemOf(status, body, step);
      if (problem) {
        tally.errors.set(step.operation, (tally.errors.get(step.operation) ?? 0) + 1);
        if (tally.samples.length < 5) tally.samples.push(`${step.operation}: ${problem}`);
        return;
      }
      if (step.remember)
        step.remember(
          (JSON.parse(body) as { data: Record<string, unknown> }).data,
          context as Context,
        );
    },
  }));

  const started = performance.now();
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests,
    setupClient: (client: Client) => {
      client.on('response', (_status: number, _bytes: number, duration: number) => {
        const current = (client as unknown as { requestIterator: { currentRequest: NamedRequest } })
          .requestIterator.currentRequest;
        let list = tally.latencies.get(current.operation);
        if (!list) tally.latencies.set(current.operation, (list = []));
        list.push(duration);
      });
    },
  });
  tally.seconds += (performance.now() - started) / 1000;
  // autocannon counts a timeout among its errors too.
  tally.transportErrors += result.errors;
}

export async function drive(options: LoadOptions): Promise<LoadResult> {
  const tally = new Tally();
  await run(options, tally);
  return tally.result();
}

/**
 * The order in which two targets take their slices: A B B A, A B B A… With an even number of
 * slices each, each target runs first as often as second, so that a machine getting slower or
 * faster during the phase (caches warming, other work starting) weighs on both alike.
 */
export function alternation(slices: number): (0 | 1)[] {
  const pattern = [0, 1, 1, 0] as const;
  return Array.from({ length: 2 * slices }, (_, index) => pattern[index % 4]!);
}

/** The pause between two slices: requests a slice left in flight finish before the next one. */
const DRAIN_MS = 1000;

/**
 * The same load against two targets, each for `seconds` in all, in `slices` turns each taken in
 * the order of `alternation`, with a pause between turns that is not counted. Each target's
 * figures are counted as if in one run.
 */
export async function driveAlternating(
  targets: readonly [LoadOptions, LoadOptions],
  slices: number,
): Promise<[LoadResult, LoadResult]> {
  const tallies = [new Tally(), new Tally()] as const;
  for (const [index, which] of alternation(slices).entries()) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
    const target = targets[which];
    await run({ ...target, seconds: target.seconds / slices }, tallies[which]);
  }
  return [tallies[0].result(), tallies[1].result()];
}
