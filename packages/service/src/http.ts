// A small Node HTTP front for Apollo Server: health endpoints, bounded JSON bodies, a request id
// on every request, a deadline, one log line per request, and a clean stop that lets in-flight
// work finish within a bound.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Logger } from 'pino';
import { ErrorCode, loggableError } from './errors.ts';
import {
  checkRequest,
  LimitExceeded,
  operationLimitsPlugin,
  type OperationLimits,
} from './limits.ts';
import {
  hasIllFormedText,
  HttpRefusal,
  parseBody,
  readBody,
  requestParameters,
} from './http-request.ts';
import { REQUEST_ID_HEADER } from './viewer.ts';

export { HttpRefusal } from './http-request.ts';

export interface RequestInfo {
  requestId: string;
  method: string;
  headers: IncomingMessage['headers'];
  /** The raw request body, exactly as received (signatures are computed over it). */
  rawBody: Buffer;
  /** Aborted when the client goes away, the request's deadline passes or the service stops. */
  signal: AbortSignal;
}

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
  /**
   * Whether the service is unready without this dependency (the default). A gateway stays ready
   * without one subgraph: it answers what the others can and names the missing one.
   */
  critical?: boolean;
}

/**
 * A gateway's readiness checks, one per subgraph (by name, with its URL): each subgraph's own
 * `/health/ready`. One that is missing leaves the gateway ready but degraded.
 */
export function subgraphReadiness(subgraphs: ReadonlyMap<string, string>): ReadinessCheck[] {
  return [...subgraphs].map(([name, url]) => ({
    name,
    critical: false,
    check: async () => {
      const response = await fetch(new URL('/health/ready', url), {
        signal: AbortSignal.timeout(1500),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`${name} answered ${response.status}`);
    },
  }));
}

export interface ServeOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  log: Logger;
  host: string;
  port: number;
  /** Builds the GraphQL context; throw HttpRefusal to refuse the request before GraphQL runs. */
  context: (request: RequestInfo) => Promise<TContext>;
  /** The dependencies `/health/ready` checks (a function when they are known only once started). */
  readiness?: ReadinessCheck[] | (() => ReadinessCheck[]);
  /**
   * What one request may ask: the body size and tokens and variables are checked here, the
   * shape and cost by a plugin this adds to `apollo`. Without limits, only bodies over 1 MB are
   * refused.
   */
  limits?: OperationLimits;
  /** Production: a refused request is not told the limits. */
  production?: boolean;
  /** Overall deadline of one request: past it the client gets 504 and the work is aborted. */
  requestTimeoutMs?: number;
  /** How long a stop waits for in-flight requests before aborting them (10 s when omitted). */
  shutdownGraceMs?: number;
  /** What the request's log line says about who asked (partner, role), from its context. */
  describe?: (context: TContext) => Record<string, unknown>;
  /** Called once the HTTP server has stopped and in-flight requests are done. */
  onClose?: () => Promise<void>;
}

export interface RunningServer {
  url: string;
  port: number;
  /** How long `close()` waits for in-flight requests before aborting them. */
  shutdownGraceMs?: number;
  close(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';
const READINESS_TIMEOUT_MS = 2000;

/** Why a request's work was aborted. */
class Aborted extends Error {
  constructor(readonly why: 'timeout' | 'aborted' | 'shutdown') {
    super(`request ${why}`);
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function refusalBody(code: string, message: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/** Resolves or rejects with `work`, or rejects with the signal's reason if it aborts first. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      work.catch(() => {});
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/** What the log line says of a request once GraphQL ran: its operation and error codes. */
interface RequestRecord {
  operationName?: string | undefined;
  codes?: string[] | undefined;
}

function errorCodesOf(body: string): string[] | undefined {
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] };
    return parsed.errors?.map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
  } catch {
    return undefined;
  }
}

function outcomeOf(status: number, codes: string[] | undefined, aborted?: Aborted['why']) {
  if (aborted === 'aborted') return 'aborted';
  if (aborted === 'timeout') return 'timeout';
  if (status >= 500) return 'failed';
  if (status >= 400) return 'refused';
  return codes?.length ? 'errors' : 'ok';
}

export async function serveGraphQL<TContext extends BaseContext>(
  options: ServeOptions<TContext>,
): Promise<RunningServer> {
  const { apollo, log } = options;
  const { limits } = options;
  const production = options.production ?? false;
  const maxBodyBytes = limits?.bodyBytes ?? 1_000_000;
  const graceMs = options.shutdownGraceMs ?? 10_000;
  if (limits) apollo.addPlugin(operationLimitsPlugin(limits, { production }));

  // Keyed by the HTTP request handed to Apollo: Apollo copies the context, not the request.
  const records = new WeakMap<object, RequestRecord>();
  apollo.addPlugin({
    async requestDidStart({ request }) {
      const record = request.http ? records.get(request.http) : undefined;
      if (!record) return;
      return {
        async didResolveOperation({ operationName }) {
          if (operationName) record.operationName = operationName.slice(0, 100);
        },
        async willSendResponse({ response }) {
          if (response.body.kind === 'single') {
            record.codes = response.body.singleResult.errors?.map((error) =>
              String(error.extensions?.['code'] ?? 'UNKNOWN'),
            );
          }
        },
      };
    },
  });
  await apollo.start();

  let stopping = false;
  const inFlight = new Set<AbortController>();
  let drained: (() => void) | undefined;

  const readiness = async (res: ServerResponse) => {
    if (stopping) {
      sendJson(res, 503, { status: 'stopping', missing: [] });
      return;
    }
    const probes =
      typeof options.readiness === 'function' ? options.readiness() : (options.readiness ?? []);
    const results = await Promise.all(
      probes.map(async (probe) => {
        try {
          await untilAborted(probe.check(), AbortSignal.timeout(READINESS_TIMEOUT_MS));
          return null;
        } catch {
          return probe;
        }
      }),
    );
    const missing = results.filter((probe) => probe !== null);
    const unready = missing.some((probe) => probe.critical !== false);
    sendJson(res, unready ? 503 : 200, {
      status: unready ? 'unavailable' : missing.length ? 'degraded' : 'ok',
      missing: missing.map((probe) => probe.name),
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('x-content-type-options', 'nosniff');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://service');
    } catch {
      sendJson(res, 400, refusalBody('BAD_REQUEST', 'Malformed request target'));
      return;
    }
    if (url.pathname === '/health/live' || url.pathname === '/health') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (url.pathname === '/health/ready') {
      await readiness(res);
      return;
    }
    if (url.pathname !== GRAPHQL_PATH) {
      sendJson(res, 404, refusalBody('NOT_FOUND', 'Not found: GraphQL is served at /graphql'));
      return;
    }
    if (stopping) {
      sendJson(res, 503, refusalBody('SHUTTING_DOWN', 'The service is stopping; retry'), {
        connection: 'close',
        'retry-after': '1',
      });
      return;
    }

    const started = performance.now();
    const incomingId = req.headers[REQUEST_ID_HEADER];
    const requestId =
      typeof incomingId === 'string' && /^[\w-]{8,64}$/.test(incomingId)
        ? incomingId
        : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);

    const controller = new AbortController();
    inFlight.add(controller);
    res.once('close', () => {
      if (!res.writableFinished) controller.abort(new Aborted('aborted'));
    });
    const deadline = options.requestTimeoutMs
      ? setTimeout(() => controller.abort(new Aborted('timeout')), options.requestTimeoutMs)
      : undefined;

    const record: RequestRecord = {};
    let described: Record<string, unknown> = {};
    let abortedWhy: Aborted['why'] | undefined;
    try {
      const rawBody = await readBody(req, maxBodyBytes);
      const body = parseBody(req, rawBody);
      if (Array.isArray(body)) {
        throw new HttpRefusal(400, 'BATCHING_NOT_SUPPORTED', 'Batched requests are not supported');
      }
      const params = requestParameters(body, url);
      if (typeof params.operationName === 'string') {
        record.operationName = params.operationName.slice(0, 100);
      }
      // Who asks is settled first: a caller that may not call learns nothing of the limits.
      const context = await options.context({
        requestId,
        method: req.method ?? 'GET',
        headers: req.headers,
        rawBody,
        signal: controller.signal,
      });
      described = options.describe?.(context) ?? {};
      if (limits) checkRequest(params.query, params.variables, limits, production);
      if (hasIllFormedText([params.query, params.variables, params.operationName])) {
        throw new HttpRefusal(
          400,
          'BAD_REQUEST',
          'The request holds text that is not valid Unicode',
        );
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const httpGraphQLRequest = { method: req.method ?? 'GET', headers, search: url.search, body };
      records.set(httpGraphQLRequest, record);
      const result = await untilAborted(
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest,
          context: () => Promise.resolve(context),
        }),
        controller.signal,
      );
      for (const [key, value] of result.headers) res.setHeader(key, value);
      if (stopping) res.setHeader('connection', 'close');
      res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') {
        if (res.statusCode >= 400 && !record.codes && result.body.string.length < 65_536) {
          record.codes = errorCodesOf(result.body.string);
        }
        res.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      if (error instanceof HttpRefusal) {
        record.codes = [error.code];
        sendJson(res, error.status, refusalBody(error.code, error.message));
      } else if (error instanceof LimitExceeded) {
        record.codes = [error.limitCode];
        sendJson(res, 400, refusalBody(error.limitCode, error.message));
      } else if (error instanceof Aborted) {
        abortedWhy = error.why;
        if (error.why === 'timeout' && !res.headersSent) {
          record.codes = [ErrorCode.GatewayTimeout];
          sendJson(
            res,
            504,
            refusalBody(ErrorCode.GatewayTimeout, 'The request took too long and was stopped'),
          );
        } else if (error.why === 'shutdown' && !res.headersSent) {
          record.codes = ['SHUTTING_DOWN'];
          sendJson(res, 503, refusalBody('SHUTTING_DOWN', 'The service is stopping; retry'), {
            connection: 'close',
          });
        } else {
          res.destroy();
        }
      } else {
        log.error({ err: loggableError(error), requestId }, 'request failed');
        if (!res.headersSent) {
          record.codes = [ErrorCode.Internal];
          sendJson(res, 500, refusalBody(ErrorCode.Internal, 'Internal server error'));
        } else {
          res.destroy();
        }
      }
    } finally {
      clearTimeout(deadline);
      inFlight.delete(controller);
      if (stopping && inFlight.size === 0) drained?.();
      log.info(
        {
          requestId,
          operationName: record.operationName,
          ...described,
          status: res.statusCode,
          outcome: outcomeOf(res.statusCode, record.codes, abortedWhy),
          ...(record.codes?.length ? { errorCodes: [...new Set(record.codes)] } : {}),
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        },
        'request',
      );
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error({ err: loggableError(error) }, 'unhandled request error');
      res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  // A client that trickles its headers or body does not hold a connection for long.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host}:${port}${GRAPHQL_PATH}`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight.size > 0) {
        const finished = new Promise<void>((resolve) => (drained = resolve));
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>(
          (resolve) => (timer = setTimeout(resolve, graceMs, 'late')),
        );
        if ((await Promise.race([finished, late])) === 'late') {
          log.warn({ inFlight: inFlight.size }, 'in-flight requests did not finish in time');
          for (const controller of inFlight) controller.abort(new Aborted('shutdown'));
          // Lets the aborted requests send their 503 before the connections close.
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await closed;
      await apollo.stop();
      await options.onClose?.();
      log.info('stopped');
    })();
    return closing;
  };

  return { url, port, shutdownGraceMs: graceMs, close };
}

/** Closes `running`, then exits: 0 once closed, 1 if that failed or took longer than `graceMs`. */
export function closeThenExit(running: { close(): Promise<void> }, log: Logger, graceMs: number) {
  const timer = setTimeout(() => {
    log.warn('the service did not stop in time');
    process.exit(1);
  }, graceMs);
  timer.unref();
  running.close().then(
    () => process.exit(0),
    (error: unknown) => {
      log.error({ err: loggableError(error) }, 'error while stopping');
      process.exit(1);
    },
  );
}

/**
 * Stops `running` on SIGINT/SIGTERM, then exits: 0 once in-flight requests finished and the
 * databases closed, 1 if that took longer than `graceMs` (10 s more than the server's own grace
 * period when omitted). A second signal exits at once.
 */
export function stopOnSignals(
  running: { close(): Promise<void>; shutdownGraceMs?: number | undefined },
  log: Logger,
  graceMs = (running.shutdownGraceMs ?? 10_000) + 10_000,
) {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'stopping');
    closeThenExit(running, log, graceMs);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
