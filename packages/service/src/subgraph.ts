// Boots a subgraph: its schema, Apollo Server with safe defaults, operation limits, the
// viewer-carrying context, readiness on its database, and a clean stop.
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { Kind, parse, type DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import { createErrorFormatter } from './errors.ts';
import { HttpRefusal, serveGraphQL, type RequestInfo, type RunningServer } from './http.ts';
import { SUBGRAPH_LIMITS, type OperationLimits } from './limits.ts';
import {
  ReplayGuard,
  SIGNATURE_HEADER,
  SignatureRefused,
  verifyRequest,
  verifyVoucher,
  VOUCHER_HEADER,
} from './signing.ts';
import { decodeViewer, REQUEST_ID_HEADER, VIEWER_HEADER, type Viewer } from './viewer.ts';

/** What every subgraph's resolver context carries. */
export interface RequestContext {
  viewer: Viewer;
  requestId: string;
  log: Logger;
  /**
   * The gateway's voucher for this viewer and request (`VOUCHER_HEADER`), which a partner
   * subgraph hands on with its calls to network; absent on calls that did not come from it.
   */
  voucher?: string;
}

export interface SubgraphOptions<TContext extends RequestContext> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: unknown;
  log: Logger;
  host: string;
  port: number;
  /** Adds the subgraph's own per-request state (repositories, loaders) to the base context. */
  context: (base: RequestContext) => TContext;
  ready: () => Promise<void>;
  onClose: () => Promise<void>;
  /**
   * Production: introspection, field suggestions and the landing page off, limits refused
   * without saying what they are. Outside production introspection is on unless `introspection`
   * says otherwise.
   */
  production?: boolean;
  introspection?: boolean;
  /** What one request may ask (SUBGRAPH_LIMITS when omitted). */
  limits?: OperationLimits;
  /** Overall deadline of one request, in milliseconds; none when omitted. */
  requestTimeoutMs?: number;
  /** How long a stop waits for in-flight requests. */
  shutdownGraceMs?: number;
  /** The keys of the signers this subgraph accepts (the gateway; for network, its partners). */
  signing: { keyFor: (signer: string) => Uint8Array | undefined };
}

/**
 * Refuses, before GraphQL runs, any request not signed by a known signer within the last 60 s,
 * or altered, or replayed. Only POST is accepted: the signature covers the body.
 */
export function verifySignature(
  request: RequestInfo,
  audience: string,
  keyFor: (signer: string) => Uint8Array | undefined,
  replay: ReplayGuard,
): string {
  if (request.method !== 'POST') {
    throw new HttpRefusal(405, 'METHOD_NOT_ALLOWED', 'Subgraphs accept POST requests only');
  }
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  try {
    return verifyRequest(
      header(SIGNATURE_HEADER),
      {
        viewer: header(VIEWER_HEADER) ?? '',
        requestId: header(REQUEST_ID_HEADER) ?? '',
        body: request.rawBody,
      },
      { audience, keyFor, replay },
    );
  } catch (error) {
    if (error instanceof SignatureRefused)
      throw new HttpRefusal(401, 'UNAUTHENTICATED', error.message);
    throw error;
  }
}

/** The root fields a partner subgraph's own signature may ask network for. */
const INTERNAL_ROOT_FIELDS: ReadonlySet<string> = new Set(['_entities', '__typename']);

/**
 * Refuses a request signed by a partner subgraph (not the gateway) unless it only reads entities
 * (`_entities` in a query), as the network client does for its write checks. Every partner's
 * host holds such a key: it must not record consents or referrals, nor read the directory's
 * lists, in any viewer's name.
 */
export function assertInternalRead(request: RequestInfo): void {
  const refuse = () =>
    new HttpRefusal(403, 'FORBIDDEN', 'A partner subgraph may only read entities from network');
  let document: DocumentNode;
  try {
    const { query } = JSON.parse(request.rawBody.toString('utf8')) as { query?: unknown };
    if (typeof query !== 'string') throw refuse();
    document = parse(query, { noLocation: true });
  } catch {
    throw refuse();
  }
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) continue;
    if (definition.kind !== Kind.OPERATION_DEFINITION || definition.operation !== 'query') {
      throw refuse();
    }
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD || !INTERNAL_ROOT_FIELDS.has(selection.name.value)) {
        throw refuse();
      }
    }
  }
}

/**
 * Refuses a call signed by a partner subgraph unless it carries the gateway's voucher for the
 * viewer and request it asserts: a partner's key reads in the name of the viewers the gateway
 * sent requests for in the last 60 s, and no one else's.
 */
export function assertVouched(request: RequestInfo, gatewayKey: Uint8Array | undefined): void {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  try {
    verifyVoucher(
      header(VOUCHER_HEADER),
      { viewer: header(VIEWER_HEADER) ?? '', requestId: header(REQUEST_ID_HEADER) ?? '' },
      gatewayKey,
    );
  } catch (error) {
    if (error instanceof SignatureRefused) {
      throw new HttpRefusal(401, 'UNAUTHENTICATED', error.message);
    }
    throw error;
  }
}

export function viewerFrom(request: RequestInfo): Viewer {
  const header = request.headers[VIEWER_HEADER];
  const viewer = decodeViewer(typeof header === 'string' ? header : undefined);
  if (!viewer) throw new HttpRefusal(401, 'UNAUTHENTICATED', 'Missing or invalid viewer');
  return viewer;
}

export async function startSubgraph<TContext extends RequestContext>(
  options: SubgraphOptions<TContext>,
): Promise<RunningServer> {
  const schema = buildSubgraphSchema([
    { typeDefs: options.typeDefs, resolvers: options.resolvers as GraphQLResolverMap<TContext> },
  ]);
  const production = options.production ?? false;
  const limits = options.limits ?? SUBGRAPH_LIMITS;
  const apollo = new ApolloServer<TContext>({
    schema,
    nodeEnv: production ? 'production' : 'development',
    introspection: !production && (options.introspection ?? true),
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    // The process stops on signals itself, after in-flight requests (http.ts).
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter(options.log, { production }),
    plugins: [
      // No response is cached over HTTP (every answer depends on the viewer), and the cache
      // control plugin would hook every field of every answer: 1,500 partner pairs of figures
      // spent more time there than in their resolvers.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
    // Only the gateway calls a subgraph, and it sends whole queries.
    persistedQueries: false,
  });
  const replay = new ReplayGuard();
  return serveGraphQL({
    apollo,
    log: options.log,
    host: options.host,
    port: options.port,
    limits,
    production,
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.shutdownGraceMs ? { shutdownGraceMs: options.shutdownGraceMs } : {}),
    describe: (context) => ({ partner: context.viewer.partner, role: context.viewer.role }),
    readiness: [{ name: 'database', check: options.ready }],
    context: (request) => {
      const signer = verifySignature(request, options.name, options.signing.keyFor, replay);
      if (signer !== 'gateway') {
        assertInternalRead(request);
        assertVouched(request, options.signing.keyFor('gateway'));
      }
      const viewer = viewerFrom(request);
      const log = options.log.child({ requestId: request.requestId });
      const voucher = signer === 'gateway' ? request.headers[VOUCHER_HEADER] : undefined;
      return Promise.resolve(
        options.context({
          viewer,
          requestId: request.requestId,
          log,
          ...(typeof voucher === 'string' ? { voucher } : {}),
        }),
      );
    },
    onClose: options.onClose,
  });
}
