// The gateway: verifies the caller's token, plans each operation over the static supergraph and
// calls the subgraphs with the viewer it vouches for. Client headers are never forwarded.
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { TokenRefused, verifyToken, type TokenSettings } from '@passerelle/auth';
import {
  createErrorFormatter,
  encodeViewer,
  ErrorCode,
  HttpRefusal,
  publicExtensions,
  REQUEST_ID_HEADER,
  serveGraphQL,
  SIGNATURE_HEADER,
  signRequest,
  VIEWER_HEADER,
  type Logger,
  type RequestInfo,
  type RunningServer,
  type Viewer,
} from '@passerelle/service';

export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
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
  introspection: boolean;
  subgraphTimeoutMs?: number;
}

class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly name: string,
    url: string,
    key: Uint8Array,
    timeoutMs: number,
    private readonly log: Logger,
  ) {
    super({
      url,
      // Signs the exact bytes sent, then fetches with a bound: a subgraph that hangs costs one
      // error, not a stuck request.
      fetcher: ((input: string, init: RequestInit = {}) => {
        const headers = new Headers(init.headers);
        const body = typeof init.body === 'string' ? init.body : '';
        headers.set(
          SIGNATURE_HEADER,
          signRequest(key, {
            signer: 'gateway',
            audience: name,
            viewer: headers.get(VIEWER_HEADER) ?? '',
            requestId: headers.get(REQUEST_ID_HEADER) ?? '',
            body,
          }),
        );
        return fetch(input, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
      }) as unknown as Fetcher,
    });
  }

  /**
   * A subgraph that refuses a request answers with GraphQL errors of its own, already public
   * (a variable that is not a real day, say): those reach the client as they are. Anything else
   * (a refused signature, a crash) is the gateway's problem, not the client's: it is logged
   * and the client gets an internal error without the subgraph's address or answer.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const body = (await this.parseBody(response).catch(() => null)) as {
      errors?: { message?: unknown; extensions?: Record<string, unknown> }[];
    } | null;
    const first = body?.errors?.[0];
    const extensions = response.status === 400 ? publicExtensions(first?.extensions) : null;
    if (first && typeof first.message === 'string' && extensions) {
      return new GraphQLError(first.message, { extensions });
    }
    this.log.error(
      { subgraph: this.name, status: response.status, body },
      'subgraph refused a request',
    );
    return new GraphQLError('Internal server error', {
      extensions: { code: ErrorCode.Internal },
    });
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

async function authenticate(request: RequestInfo, jwt: TokenSettings): Promise<GatewayContext> {
  const header = request.headers.authorization;
  const match =
    typeof header === 'string' ? /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header) : null;
  if (!match?.[1]) {
    throw new HttpRefusal(
      401,
      'UNAUTHENTICATED',
      'Send a bearer token: Authorization: Bearer <JWT>',
    );
  }
  try {
    return { viewer: await verifyToken(match[1], jwt), requestId: request.requestId };
  } catch (error) {
    if (error instanceof TokenRefused) throw new HttpRefusal(401, 'UNAUTHENTICATED', error.message);
    throw error;
  }
}

export async function startGateway(options: GatewayOptions): Promise<RunningServer> {
  const timeoutMs = options.subgraphTimeoutMs ?? 10_000;
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const key = options.signingKeyFor(name);
      if (!key) throw new Error(`No signing key for subgraph ${name}`);
      return new SubgraphDataSource(
        name,
        options.subgraphUrls?.[name] ?? url ?? '',
        key,
        timeoutMs,
        options.log,
      );
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(options.log),
  });
  return serveGraphQL({
    apollo,
    log: options.log,
    host: options.host,
    port: options.port,
    context: (request) => authenticate(request, options.jwt),
  });
}
