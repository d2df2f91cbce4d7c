// The gateway: verifies the caller's token, plans each operation over the static supergraph and
// calls the subgraphs with the viewer it vouches for. Client headers are never forwarded.
import { AsyncLocalStorage } from 'node:async_hooks';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { GraphQLError } from 'graphql';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { VerifiedTokens, type TokenSettings } from '@passerelle/auth';
import { EntityBatches, isEntityFetch, type EntityRequest } from './entity-batches.ts';
import { aligningPlanStore } from './query-plans.ts';
import { postToSubgraph } from './subgraph-fetch.ts';
import {
  createErrorFormatter,
  encodeViewer,
  ErrorCode,
  GATEWAY_LIMITS,
  LimitCode,
  publicExtensions,
  REQUEST_ID_HEADER,
  serveGraphQL,
  SIGNATURE_HEADER,
  signRequest,
  SUBGRAPH_LIMITS,
  subgraphReadiness,
  VIEWER_HEADER,
  VOUCHER_HEADER,
  vouchForViewer,
  type Logger,
  type OperationLimits,
  type RequestInfo,
  type RunningServer,
  type Viewer,
} from '@passerelle/service';

export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
  /** Aborted when the client goes away or the request's deadline passes. */
  signal?: AbortSignal;
}

export interface GatewayOptions {
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
   * Production: introspection, field suggestions and the landing page off, subgraph errors
   * reduced to their code and a fixed message, limits refused without saying what they are.
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
  /** How long a stop waits for in-flight requests. */
  shutdownGraceMs?: number;
  /**
   * Sibling entity fetches to one subgraph sent as one request (ADR 0006): on unless false, which
   * runs Apollo's plans exactly as planned.
   */
  mergeSiblingFetches?: boolean;
}

/** The abort signal of the client request a subgraph fetch is made for. */
const requestSignal = new AsyncLocalStorage<AbortSignal | undefined>();

/** A subgraph that could not answer: its fields are null and the error names it. */
function unavailable(name: string, why: string) {
  return new GraphQLError(`The ${name} service ${why}; the data it holds is missing`, {
    extensions: { code: ErrorCode.ServiceUnavailable, service: name },
  });
}

type ProcessOptions = Parameters<RemoteGraphQLDataSource<GatewayContext>['process']>[0];
type IncomingOptions = Extract<ProcessOptions, { incomingRequestContext: unknown }>;

class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /**
   * Entity fetches of one client request that start together leave as one request; none when
   * merging is off.
   */
  private readonly batches: EntityBatches<IncomingOptions> | undefined;

  constructor(
    private readonly name: string,
    url: string,
    key: Uint8Array,
    /** The gateway's key towards network, to vouch for the viewer to a partner subgraph. */
    voucherKey: Uint8Array | undefined,
    timeoutMs: number,
    private readonly log: Logger,
    merging: boolean,
  ) {
    super({
      url,
      // Signs the exact bytes sent, then posts them with a bound: a subgraph that hangs costs one
      // error, not a stuck request; a client that leaves or runs out of time aborts the call.
      fetcher: ((input: string, init: RequestInit = {}) => {
        const headers = new Headers(init.headers);
        const body = typeof init.body === 'string' ? init.body : '';
        const viewer = headers.get(VIEWER_HEADER) ?? '';
        const requestId = headers.get(REQUEST_ID_HEADER) ?? '';
        headers.set(
          SIGNATURE_HEADER,
          signRequest(key, { signer: 'gateway', audience: name, viewer, requestId, body }),
        );
        if (voucherKey)
          headers.set(VOUCHER_HEADER, vouchForViewer(voucherKey, { viewer, requestId }));
        return postToSubgraph(input, {
          headers,
          body,
          signal: requestSignal.getStore(),
          timeoutMs,
        });
      }) as unknown as Fetcher,
    });
    this.batches = merging
      ? new EntityBatches<IncomingOptions>(
          (options, merged?: EntityRequest) =>
            this.send(merged ? { ...options, request: merged, document: undefined } : options),
          SUBGRAPH_LIMITS.entities,
          // Refused or failed by the subgraph itself: its parts may pass alone. Unreachable: they
          // would only wait for the same deadline again.
          (error) =>
            !(
              error instanceof GraphQLError &&
              error.extensions['code'] === ErrorCode.ServiceUnavailable
            ),
        )
      : undefined;
  }

  override process(options: ProcessOptions) {
    if (this.batches && 'incomingRequestContext' in options && isEntityFetch(options.request)) {
      return this.batches.fetch(options);
    }
    return this.send(options);
  }

  private send(options: ProcessOptions) {
    return requestSignal.run(options.context.signal, () => super.process(options));
  }

  /**
   * A subgraph that refuses a request answers with GraphQL errors of its own, already public
   * (a variable that is not a real day, say): those reach the client as they are. A subgraph
   * that is stopping or overloaded is unavailable. Anything else (a refused signature, a crash)
   * is the gateway's problem, not the client's: it is logged and the client gets an internal
   * error without the subgraph's address or answer.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const body = (await this.parseBody(response).catch(() => null)) as {
      errors?: { message?: unknown; extensions?: Record<string, unknown> }[];
    } | null;
    const first = body?.errors?.[0];
    const extensions = response.status === 400 ? publicExtensions(first?.extensions) : null;
    if (first && typeof first.message === 'string' && extensions) {
      return new GraphQLError(first.message, {
        extensions: { ...extensions, serviceName: this.name },
      });
    }
    if ([502, 503, 504].includes(response.status)) {
      this.log.warn({ subgraph: this.name, status: response.status }, 'subgraph unavailable');
      return unavailable(this.name, 'is unavailable');
    }
    this.log.error(
      {
        subgraph: this.name,
        status: response.status,
        codes: body?.errors?.map((error) => error.extensions?.['code']),
      },
      'subgraph refused a request',
    );
    return new GraphQLError('Internal server error', {
      extensions: { code: ErrorCode.Internal },
    });
  }

  /** A fetch that failed (refused connection, reset, deadline) makes the subgraph unavailable. */
  override didEncounterError(error: Error): void {
    if (error instanceof GraphQLError) throw error;
    const timedOut = error.name === 'TimeoutError';
    this.log.warn(
      {
        subgraph: this.name,
        error: error.name,
        cause: (error.cause as { code?: unknown } | undefined)?.code,
      },
      'subgraph fetch failed',
    );
    throw unavailable(this.name, timedOut ? 'did not answer in time' : 'could not be reached');
  }

  override willSendRequest({
    request,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]) {
    const headers = request.http?.headers;
    if (!headers || !context.viewer) return;
    headers.set(VIEWER_HEADER, encodeViewer(context.viewer));
    headers.set(REQUEST_ID_HEADER, context.requestId);
  }
}

async function authenticate(request: RequestInfo, tokens: VerifiedTokens): Promise<GatewayContext> {
  return {
    viewer: await tokens.viewerOf(request.headers.authorization),
    requestId: request.requestId,
    signal: request.signal,
  };
}

/** Errors that say the request itself was wrong, whatever subgraph noticed it. */
const CLIENT_ERROR_CODES = new Set<string>([ErrorCode.BadUserInput, ...Object.values(LimitCode)]);

/**
 * When nothing could be answered because the request was wrong (every error is a client error
 * and no root field has a value), the status is 400, as for a request refused before execution.
 */
const clientErrorStatus: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        if (!errors?.length) return;
        if (!errors.every((error) => CLIENT_ERROR_CODES.has(String(error.extensions?.['code'])))) {
          return;
        }
        if (data && Object.values(data).some((value) => value !== null)) return;
        response.http.status = 400;
      },
    };
  },
};

export async function startGateway(options: GatewayOptions): Promise<RunningServer> {
  const timeoutMs = options.subgraphTimeoutMs ?? 10_000;
  const production = options.production ?? false;
  const limits = options.limits ?? GATEWAY_LIMITS;
  const subgraphs = new Map<string, string>();
  const tokens = VerifiedTokens.checking(options.jwt);
  const merging = options.mergeSiblingFetches ?? true;
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    // Sibling fetches to one subgraph lined up, so that the data sources send them together.
    ...(merging ? { queryPlannerConfig: { cache: aligningPlanStore() } } : {}),
    buildService: ({ name, url }) => {
      const key = options.signingKeyFor(name);
      if (!key) throw new Error(`No signing key for subgraph ${name}`);
      const target = options.subgraphUrls?.[name] ?? url ?? '';
      subgraphs.set(name, target);
      // A partner subgraph hands the voucher on to network with its write checks.
      const voucherKey = name === 'network' ? undefined : options.signingKeyFor('network');
      return new SubgraphDataSource(name, target, key, voucherKey, timeoutMs, options.log, merging);
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    nodeEnv: production ? 'production' : 'development',
    introspection: !production && (options.introspection ?? true),
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // The process stops on signals itself, after in-flight requests (serveGraphQL).
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter(options.log, { production }),
    plugins: [
      ApolloServerPluginUsageReportingDisabled(),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
      clientErrorStatus,
    ],
  });
  return serveGraphQL({
    apollo,
    log: options.log,
    host: options.host,
    port: options.port,
    limits,
    production,
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    ...(options.shutdownGraceMs ? { shutdownGraceMs: options.shutdownGraceMs } : {}),
    context: (request) => authenticate(request, tokens),
    describe: (context) => ({ partner: context.viewer.partner, role: context.viewer.role }),
    readiness: () => subgraphReadiness(subgraphs),
  });
}
