// A small Node HTTP front for Apollo Server: health endpoints, bounded JSON bodies, a request id
// on every request, one log line per request, and a clean stop that lets in-flight work finish.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Logger } from 'pino';
import { REQUEST_ID_HEADER } from './viewer.ts';

export interface RequestInfo {
  requestId: string;
  method: string;
  headers: IncomingMessage['headers'];
  /** The raw request body, exactly as received (signatures are computed over it). */
  rawBody: Buffer;
}

/** A refusal before GraphQL runs: status, stable code and a short message. */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface ServeOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  log: Logger;
  host: string;
  port: number;
  /** Builds the GraphQL context; throw HttpRefusal to refuse the request before GraphQL runs. */
  context: (request: RequestInfo) => Promise<TContext>;
  readiness?: ReadinessCheck[];
  maxBodyBytes?: number;
  /** Called once the HTTP server has stopped and in-flight requests are done. */
  onClose?: () => Promise<void>;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function refusalBody(code: string, message: string) {
  return { errors: [{ message, extensions: { code } }] };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new HttpRefusal(413, 'PAYLOAD_TOO_LARGE', 'Request body is too large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseBody(req: IncomingMessage, raw: Buffer): unknown {
  if (req.method !== 'POST' || raw.length === 0) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new HttpRefusal(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Send GraphQL requests as application/json',
    );
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new HttpRefusal(400, 'BAD_REQUEST', 'Request body is not valid JSON');
  }
}

export async function serveGraphQL<TContext extends BaseContext>(
  options: ServeOptions<TContext>,
): Promise<RunningServer> {
  const { apollo, log } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  await apollo.start();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://service');
    if (url.pathname === '/health/live' || url.pathname === '/health') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (url.pathname === '/health/ready') {
      const missing: string[] = [];
      for (const probe of options.readiness ?? []) {
        try {
          await probe.check();
        } catch {
          missing.push(probe.name);
        }
      }
      sendJson(res, missing.length ? 503 : 200, {
        status: missing.length ? 'unavailable' : 'ok',
        missing,
      });
      return;
    }
    if (url.pathname !== GRAPHQL_PATH) {
      sendJson(res, 404, refusalBody('NOT_FOUND', 'Not found: GraphQL is served at /graphql'));
      return;
    }

    const started = performance.now();
    const incomingId = req.headers[REQUEST_ID_HEADER];
    const requestId =
      typeof incomingId === 'string' && /^[\w-]{8,64}$/.test(incomingId)
        ? incomingId
        : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    let operationName: string | undefined;

    try {
      const rawBody = await readBody(req, maxBodyBytes);
      const body = parseBody(req, rawBody);
      if (Array.isArray(body)) {
        throw new HttpRefusal(400, 'BATCHING_NOT_SUPPORTED', 'Batched requests are not supported');
      }
      if (body && typeof body === 'object' && 'operationName' in body) {
        const name = (body as { operationName?: unknown }).operationName;
        if (typeof name === 'string') operationName = name.slice(0, 100);
      }
      const context = await options.context({
        requestId,
        method: req.method ?? 'GET',
        headers: req.headers,
        rawBody,
      });
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: () => Promise.resolve(context),
      });
      for (const [key, value] of result.headers) res.setHeader(key, value);
      res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') {
        res.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      if (error instanceof HttpRefusal) {
        sendJson(res, error.status, refusalBody(error.code, error.message));
      } else {
        log.error({ err: error, requestId }, 'request failed');
        if (!res.headersSent) {
          sendJson(res, 500, refusalBody('INTERNAL_SERVER_ERROR', 'Internal server error'));
        } else {
          res.destroy();
        }
      }
    } finally {
      log.info(
        {
          requestId,
          operationName,
          status: res.statusCode,
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
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
      await options.onClose?.();
    })();
    return closing;
  };

  return { url, port, close };
}

/** Stops `running` on SIGINT/SIGTERM, then exits; a second signal exits at once. */
export function stopOnSignals(running: { close(): Promise<void> }, log: Logger, graceMs = 10_000) {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'stopping');
    const timer = setTimeout(() => {
      log.warn('in-flight requests did not finish in time');
      process.exit(1);
    }, graceMs);
    timer.unref();
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
