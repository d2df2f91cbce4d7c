// Boots a subgraph: its schema, Apollo Server with safe defaults, the viewer-carrying context,
// readiness on its database, and a clean stop.
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import { createErrorFormatter } from './errors.ts';
import { HttpRefusal, serveGraphQL, type RequestInfo, type RunningServer } from './http.ts';
import { decodeViewer, VIEWER_HEADER, type Viewer } from './viewer.ts';

/** What every subgraph's resolver context carries. */
export interface RequestContext {
  viewer: Viewer;
  requestId: string;
  log: Logger;
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
  introspection: boolean;
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
  const apollo = new ApolloServer<TContext>({
    schema,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(options.log),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  return serveGraphQL({
    apollo,
    log: options.log,
    host: options.host,
    port: options.port,
    readiness: [{ name: 'database', check: options.ready }],
    context: (request) => {
      const viewer = viewerFrom(request);
      const log = options.log.child({ requestId: request.requestId });
      return Promise.resolve(options.context({ viewer, requestId: request.requestId, log }));
    },
    onClose: options.onClose,
  });
}
