// The committed supergraph behind Hive Gateway, with the guarantees of the Apollo gateway
// (gateway/src/gateway.ts): the caller is known before GraphQL runs (front-door.ts); each
// subgraph fetch carries the viewer, the request id and a signature over the exact bytes sent,
// and nothing a client sent; the operation limits hold; a subgraph that cannot answer is named,
// not leaked; and errors are masked by the same formatter before they reach the client.
import {
  createGatewayRuntime,
  Logger as HiveLogger,
  type GatewayPlugin,
  type LogLevel,
} from '@graphql-hive/gateway';
import type { TokenSettings } from '@passerelle/auth';
import {
  checkCost,
  checkShape,
  encodeViewer,
  GATEWAY_LIMITS,
  publicExtensions,
  REQUEST_ID_HEADER,
  SIGNATURE_HEADER,
  signRequest,
  subgraphReadiness,
  VIEWER_HEADER,
  VOUCHER_HEADER,
  vouchForViewer,
  type Logger,
  type OperationLimits,
  type RunningServer,
} from '@passerelle/service';
import { getOperationAST, Kind, parse, type DocumentNode } from 'graphql';
import { apolloShapedAnswers, internalError, unavailable } from './answers.ts';
import { serveFrontDoor, type CallerContext } from './front-door.ts';

/** The same options as the Apollo gateway's startGateway. */
export interface HiveGatewayOptions {
  supergraphSdl: string;
  /** Replaces the URL the supergraph records for a subgraph, by subgraph name. */
  subgraphUrls?: Record<string, string>;
  jwt: TokenSettings;
  /** The key to sign requests to subgraph `name` with. */
  signingKeyFor: (name: string) => Uint8Array | undefined;
  log: Logger;
  host: string;
  port: number;
  /**
   * Production: introspection and field suggestions off, subgraph errors reduced to their code
   * and a fixed message, limits refused without saying what they are.
   */
  production?: boolean;
  /** Outside production, introspection is on unless this says otherwise. */
  introspection?: boolean;
  /** What one client request may ask (GATEWAY_LIMITS when omitted). */
  limits?: OperationLimits;
  /** Milliseconds a subgraph may take to answer one fetch (10 s when omitted). */
  subgraphTimeoutMs?: number;
  /** Milliseconds a whole request may take (15 s when omitted); then 504 GATEWAY_TIMEOUT. */
  requestTimeoutMs?: number;
  /** How long a stop waits for in-flight requests (10 s when omitted). */
  shutdownGraceMs?: number;
}

/** The subgraphs a supergraph names, with the URL it records for each. */
export function supergraphSubgraphs(supergraphSdl: string): Map<string, string> {
  const subgraphs = new Map<string, string>();
  for (const definition of parse(supergraphSdl, { noLocation: true }).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') {
      continue;
    }
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((d) => d.name.value === 'join__graph');
      const argument = (name: string) => {
        const found = graph?.arguments?.find((a) => a.name.value === name)?.value;
        return found?.kind === Kind.STRING ? found.value : undefined;
      };
      const name = argument('name');
      if (name) subgraphs.set(name, argument('url') ?? '');
    }
  }
  return subgraphs;
}

/** Hive's own log lines, written through our logger so both engines log alike. */
function hiveLogger(log: Logger): HiveLogger {
  const levels: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];
  const level = levels.find((candidate) => candidate === log.level);
  return new HiveLogger({
    level: level ?? (log.level === 'silent' ? false : 'error'),
    writers: [
      {
        write(at, attrs, msg) {
          log[at]({ engine: 'hive', ...attrs }, msg ?? '');
        },
      },
    ],
  });
}

/**
 * Signs every subgraph fetch as the Apollo gateway's data source does: the viewer and request id
 * the front vouched for, and an HMAC over the exact body with the key for that subgraph. The
 * headers are rebuilt, so nothing a client sent can travel. The fetch is bounded and aborted
 * with the client's request; its failures are mapped as the Apollo gateway maps them.
 */
function signedSubgraphFetches(
  signingKeyFor: (name: string) => Uint8Array | undefined,
  timeoutMs: number,
  log: Logger,
): GatewayPlugin<CallerContext> {
  return {
    onFetch({ executionRequest, context, options, setOptions, fetchFn, setFetchFn }) {
      const name = executionRequest?.subgraphName;
      const key = name ? signingKeyFor(name) : undefined;
      const caller = 'viewer' in context ? (context as CallerContext) : undefined;
      if (!name || !key || !caller || typeof options.body !== 'string') {
        // Only a subgraph fetch for a known caller leaves this gateway.
        throw new Error(`Refusing an unsigned fetch (subgraph ${name ?? 'unknown'})`);
      }
      const viewer = encodeViewer(caller.viewer);
      const voucherKey = name === 'network' ? undefined : signingKeyFor('network');
      const timeout = AbortSignal.timeout(timeoutMs);
      setOptions({
        ...options,
        headers: {
          accept: options.headers?.['accept'] ?? 'application/json',
          'content-type': 'application/json',
          [VIEWER_HEADER]: viewer,
          [REQUEST_ID_HEADER]: caller.requestId,
          [SIGNATURE_HEADER]: signRequest(key, {
            signer: 'gateway',
            audience: name,
            viewer,
            requestId: caller.requestId,
            body: options.body,
          }),
          // A partner subgraph hands the voucher on to network with its write checks.
          ...(voucherKey
            ? {
                [VOUCHER_HEADER]: vouchForViewer(voucherKey, {
                  viewer,
                  requestId: caller.requestId,
                }),
              }
            : {}),
        },
        signal: AbortSignal.any(
          options.signal ? [options.signal, caller.signal, timeout] : [caller.signal, timeout],
        ),
      });
      // A fetch that failed (refused connection, reset, deadline) makes the subgraph unavailable.
      setFetchFn((url, init, ...rest) =>
        Promise.resolve(fetchFn(url, init, ...rest)).catch((error: unknown) => {
          const failure = error as Error & { cause?: { code?: unknown } };
          log.warn(
            { subgraph: name, error: failure.name, cause: failure.cause?.code },
            'subgraph fetch failed',
          );
          throw unavailable(
            name,
            timeout.aborted ? 'did not answer in time' : 'could not be reached',
          );
        }),
      );
      /**
       * A subgraph that refuses a request with a public error (400) is passed on; one that is
       * stopping or overloaded is unavailable; anything else that is not a success (a refused
       * signature, a crash) is logged and becomes an internal error, without the subgraph's
       * address or answer.
       */
      return async ({ response, setResponse }) => {
        if (response.ok) return;
        const text = await response.text().catch(() => '');
        let body: { errors?: { message?: unknown; extensions?: Record<string, unknown> }[] } | null;
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          body = null;
        }
        const first = body?.errors?.[0];
        const extensions = response.status === 400 ? publicExtensions(first?.extensions) : null;
        if (first && typeof first.message === 'string' && extensions) {
          setResponse(Response.json({ errors: [{ message: first.message, extensions }] }));
          return;
        }
        if ([502, 503, 504].includes(response.status)) {
          log.warn({ subgraph: name, status: response.status }, 'subgraph unavailable');
          throw unavailable(name, 'is unavailable');
        }
        log.error(
          { subgraph: name, status: response.status, body: body ?? text.slice(0, 500) },
          'subgraph refused a request',
        );
        throw internalError();
      };
    },
  };
}

/**
 * The operation limits beyond what the front checks on the raw request: the shape of each
 * document (once) and the cost of each request, once the operation is parsed and validated and
 * before anything runs — where the Apollo gateway's operationLimitsPlugin checks them. The
 * operation's name goes to the request's log line.
 */
function operationLimits(limits: OperationLimits, production: boolean): GatewayPlugin {
  const withinShape = new WeakSet<DocumentNode>();
  return {
    onExecute({ args }) {
      if (!withinShape.has(args.document)) {
        checkShape(args.document, limits, production);
        withinShape.add(args.document);
      }
      const operation = getOperationAST(args.document, args.operationName);
      const record = (args.contextValue as Partial<CallerContext>).record;
      if (record && operation?.name) record.operationName = operation.name.value.slice(0, 100);
      if (operation) {
        checkCost(
          args.schema,
          args.document,
          operation,
          args.variableValues ?? {},
          limits,
          production,
        );
      }
    },
  };
}

export async function startHiveGateway(options: HiveGatewayOptions): Promise<RunningServer> {
  const production = options.production ?? false;
  const limits = options.limits ?? GATEWAY_LIMITS;
  const recorded = supergraphSubgraphs(options.supergraphSdl);
  const unsigned = [...recorded.keys()].filter((name) => !options.signingKeyFor(name));
  if (unsigned.length) throw new Error(`No signing key for subgraph ${unsigned.join(', ')}`);
  const subgraphs = new Map(
    [...recorded].map(([name, url]) => [name, options.subgraphUrls?.[name] ?? url]),
  );

  const runtime = createGatewayRuntime<CallerContext>({
    supergraph: options.supergraphSdl,
    // Hive Gateway shares one subgraph answer between identical requests in flight by default.
    // Every request here is a disclosure to log on its own, and the comparison with Apollo
    // Gateway must do the same work: each request makes its own calls.
    transportEntries: Object.fromEntries(
      [...subgraphs].map(([name, location]) => [
        name,
        { location, options: { deduplicateInflightRequests: false } },
      ]),
    ),
    logging: hiveLogger(options.log),
    graphqlEndpoint: '/graphql',
    graphiql: false,
    landingPage: false,
    // The front refuses batches and assigns request ids; errors are masked by
    // apolloShapedAnswers, which needs them as they are.
    batching: false,
    requestId: false,
    maskedErrors: false,
    ...(production || options.introspection === false ? { disableIntrospection: {} } : {}),
    plugins: () => [
      operationLimits(limits, production),
      apolloShapedAnswers(options.log, production),
      signedSubgraphFetches(
        options.signingKeyFor,
        options.subgraphTimeoutMs ?? 10_000,
        options.log,
      ),
    ],
  });

  // Load and plan the supergraph now, not on the first request.
  if (!(await runtime.getSchema())) throw new Error('The supergraph could not be loaded');
  return serveFrontDoor({
    handler: {
      fetch: (request, caller) => runtime.fetch(request, caller),
      dispose: async () => {
        await runtime.dispose();
      },
    },
    jwt: options.jwt,
    log: options.log,
    host: options.host,
    port: options.port,
    limits,
    production,
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    shutdownGraceMs: options.shutdownGraceMs ?? 10_000,
    readiness: subgraphReadiness(subgraphs),
  });
}
