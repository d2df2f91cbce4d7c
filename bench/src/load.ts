// Drives steps at a fixed concurrency for a fixed time with autocannon, and measures each
// operation apart: its own latency percentiles, throughput and errors. An answer counts as an
// error when it is not a 200, or carries a GraphQL error other than a facet withheld for want of
// consent (FORBIDDEN, part of normal answers), or a mutation payload lists input errors.
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

/** What is wrong with one answer, or null when it is a normal one. */
export function problemOf(status: number, body: string): string | null {
  if (status !== 200) return `HTTP ${status}: ${body.slice(0, 200)}`;
  let json: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  try {
    json = JSON.parse(body) as typeof json;
  } catch {
    return `not JSON: ${body.slice(0, 200)}`;
  }
  const unexpected = (json.errors ?? []).filter((error) => error.extensions?.code !== 'FORBIDDEN');
  if (unexpected.length) return `${unexpected[0]!.extensions?.code}: ${unexpected[0]!.message}`;
  if (!json.data) return 'no data';
  for (const [field, value] of Object.entries(json.data)) {
    const errors = (value as { errors?: unknown[] } | null)?.errors;
    if (Array.isArray(errors) && errors.length) return `${field}: ${JSON.stringify(errors)}`;
  }
  return null;
}

type NamedRequest = Request & { operation: string };

export async function drive(options: LoadOptions): Promise<LoadResult> {
  const latencies = new Map<string, number[]>();
  const errors = new Map<string, number>();
  const samples: string[] = [];
  const path = new URL(options.url).pathname;
  const turns = new Map<Step, number>();

  const requests: NamedRequest[] = options.steps.map((step) => ({
    operation: step.operation,
    method: 'POST',
    path,
    setupRequest: (request: Request, context: object) => {
      const turn = turns.get(step) ?? 0;
      turns.set(step, turn + 1);
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
      const problem = problemOf(status, body);
      if (problem) {
        errors.set(step.operation, (errors.get(step.operation) ?? 0) + 1);
        if (samples.length < 5) samples.push(`${step.operation}: ${problem}`);
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
        let list = latencies.get(current.operation);
        if (!list) latencies.set(current.operation, (list = []));
        list.push(duration);
      });
    },
  });
  const seconds = (performance.now() - started) / 1000;

  const operations: Record<string, OperationStats> = {};
  for (const [operation, list] of latencies) {
    list.sort((a, b) => a - b);
    operations[operation] = {
      requests: list.length,
      errors: errors.get(operation) ?? 0,
      rps: list.length / seconds,
      p50: percentile(list, 50),
      p95: percentile(list, 95),
      p99: percentile(list, 99),
    };
  }
  const transportErrors = result.errors + result.timeouts;
  if (transportErrors && samples.length < 5)
    samples.push(`${transportErrors} connection errors or timeouts`);
  const total = [...latencies.values()].reduce((sum, list) => sum + list.length, 0);
  const failed = [...errors.values()].reduce((sum, n) => sum + n, 0) + transportErrors;
  return { seconds, requests: total, errors: failed, rps: total / seconds, operations, samples };
}
