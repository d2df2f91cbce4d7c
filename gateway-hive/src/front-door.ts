// The Node HTTP front of the Hive engine, held to the rules of the Apollo gateway's front
// (serveGraphQL in packages/service/src/http.ts): health and readiness, a request id, bounded
// JSON bodies in UTF-8, batches refused, the raw limits (tokens, variables) checked, the bearer
// token verified and CSRF refused before GraphQL runs, a deadline per request, one log line per
// request, and a stop that lets in-flight requests finish within a bound. Only then does the
// request reach Hive Gateway, with the caller it vouches for in the server context.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VerifiedTokens, type TokenSettings } from '@passerelle/auth';
import {
  checkRequest,
  ErrorCode,
  HttpRefusal,
  LimitExceeded,
  REQUEST_ID_HEADER,
  type Logger,
  type OperationLimits,
  type ReadinessCheck,
  type RunningServer,
  type Viewer,
} from '@passerelle/service';
import {
  engineRequest,
  hasIllFormedText,
  parseBody,
  preventCsrf,
  readBody,
  requestParameters,
} from './request.ts';

/** What the front vouches for: it travels in Hive's server context down to each subgraph fetch. */
export interface CallerContext {
  viewer: Viewer;
  requestId: string;
  /** Aborted when the client goes away, the request's deadline passes or the service stops. */
  signal: AbortSignal;
  /** What the request's log line says once GraphQL ran; the engine fills it in. */
  record: { operationName?: string };
}

/** The part of Hive Gateway's runtime the front calls: a WHATWG fetch handler. */
export interface FetchHandler {
  fetch(request: Request, caller: CallerContext): Response | Promise<Response>;
  dispose(): Promise<void>;
}

export interface FrontDoorOptions {
  handler: FetchHandler;
  jwt: TokenSettings;
  log: Logger;
  host: string;
  port: number;
  limits: OperationLimits;
  production: boolean;
  /** Overall deadline of one request: past it the client gets 504 and the work is aborted. */
  requestTimeoutMs: number;
  /** How long a stop waits for in-flight requests before aborting them. */
  shutdownGraceMs: number;
  readiness: ReadinessCheck[];
}

export const GRAPHQL_PATH = '/graphql';
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

const refusalBody = (code: string, message: string) => ({
  errors: [{ message, extensions: { code } }],
});

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

export async function serveFrontDoor(options: FrontDoorOptions): Promise<RunningServer> {
  const { handler, log, limits, production } = options;
  // Bearer tokens are checked as the Apollo gateway checks them: once, then trusted for a minute.
  const tokens = VerifiedTokens.checking(options.jwt);

  let stopping = false;
  const inFlight = new Set<AbortController>();
  let drained: (() => void) | undefined;

  const readiness = async (res: ServerResponse) => {
    if (stopping) {
      sendJson(res, 503, { status: 'stopping', missing: [] });
      return;
    }
    const results = await Promise.all(
      options.readiness.map(async (probe) => {
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
      url = new URL(req.url ?? '/', `http://${options.host}`);
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
    const deadline = setTimeout(
      () => controller.abort(new Aborted('timeout')),
      options.requestTimeoutMs,
    );

    const record: CallerContext['record'] = {};
    let codes: string[] | undefined;
    let described: Record<string, unknown> = {};
    let abortedWhy: Aborted['why'] | undefined;
    try {
      const raw = await readBody(req, limits.bodyBytes);
      const body = parseBody(req, raw);
      if (Array.isArray(body)) {
        throw new HttpRefusal(400, 'BATCHING_NOT_SUPPORTED', 'Batched requests are not supported');
      }
      const params = requestParameters(body, url);
      if (typeof params.operationName === 'string') {
        record.operationName = params.operationName.slice(0, 100);
      }
      checkRequest(params.query, params.variables, limits, production);
      if (hasIllFormedText([params.query, params.variables, params.operationName])) {
        throw new HttpRefusal(
          400,
          'BAD_REQUEST',
          'The request holds text that is not valid Unicode',
        );
      }
      const viewer = await tokens.viewerOf(req.headers.authorization);
      described = { partner: viewer.partner, role: viewer.role };
      preventCsrf(req);
      const response = await untilAborted(
        Promise.resolve(
          handler.fetch(engineRequest(req, url, raw, controller.signal), {
            viewer,
            requestId,
            signal: controller.signal,
            record,
          }),
        ),
        controller.signal,
      );
      const text = await untilAborted(response.text(), controller.signal);
      if (text.length < 65_536) codes = errorCodesOf(text);
      response.headers.forEach((value, key) => {
        if (key !== 'content-length' && key !== 'transfer-encoding') res.setHeader(key, value);
      });
      if (stopping) res.setHeader('connection', 'close');
      res.statusCode = response.status;
      res.setHeader('content-length', Buffer.byteLength(text));
      res.end(text);
    } catch (error) {
      if (error instanceof HttpRefusal) {
        codes = [error.code];
        sendJson(res, error.status, refusalBody(error.code, error.message));
      } else if (error instanceof LimitExceeded) {
        codes = [error.limitCode];
        sendJson(res, 400, refusalBody(error.limitCode, error.message));
      } else if (error instanceof Aborted) {
        abortedWhy = error.why;
        if (error.why === 'timeout' && !res.headersSent) {
          codes = [ErrorCode.GatewayTimeout];
          sendJson(
            res,
            504,
            refusalBody(ErrorCode.GatewayTimeout, 'The request took too long and was stopped'),
          );
        } else if (error.why === 'shutdown' && !res.headersSent) {
          codes = ['SHUTTING_DOWN'];
          sendJson(res, 503, refusalBody('SHUTTING_DOWN', 'The service is stopping; retry'), {
            connection: 'close',
          });
        } else {
          res.destroy();
        }
      } else {
        log.error({ err: error, requestId }, 'request failed');
        if (!res.headersSent) {
          codes = [ErrorCode.Internal];
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
          outcome: outcomeOf(res.statusCode, codes, abortedWhy),
          ...(codes?.length ? { errorCodes: [...new Set(codes)] } : {}),
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        },
        'request',
      );
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error({ err: error }, 'unhandled request error');
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
          (resolve) => (timer = setTimeout(resolve, options.shutdownGraceMs, 'late')),
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
      await handler.dispose();
      log.info('stopped');
    })();
    return closing;
  };
  return { url: `http://${options.host}:${port}${GRAPHQL_PATH}`, port, close };
}
