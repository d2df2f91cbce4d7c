// How the Hive engine's answers are made to read as the Apollo gateway's: the errors it raises
// about a subgraph fetch, and the last pass over every answer before it is written.
import type { GatewayPlugin } from '@graphql-hive/gateway';
import { createErrorFormatter, ErrorCode, LimitCode, type Logger } from '@passerelle/service';
import { GraphQLError } from 'graphql';

/**
 * Marks the errors this gateway raises itself about a fetch (unavailable, refused) with the
 * fetch they are about. Like the Apollo gateway's, they do not count as errors a subgraph raised
 * (which production reduces to their code), and each is reported once for its fetch. The mark
 * never leaves: publicExtensions drops it.
 */
const FAILED_FETCH = 'failedFetch';
let fetches = 0;

/** A subgraph that could not answer: its fields are null and the error names it. */
export function unavailable(name: string, why: string) {
  return new GraphQLError(`The ${name} service ${why}; the data it holds is missing`, {
    extensions: { code: ErrorCode.ServiceUnavailable, service: name, [FAILED_FETCH]: ++fetches },
  });
}

export function internalError() {
  return new GraphQLError('Internal server error', {
    extensions: { code: ErrorCode.Internal, [FAILED_FETCH]: ++fetches },
  });
}

/** Errors that say the request itself was wrong, whatever subgraph noticed it. */
const CLIENT_ERROR_CODES = new Set<string>([ErrorCode.BadUserInput, ...Object.values(LimitCode)]);

/** How Yoga meant to answer a request error (parse, validation, variables, method), if any. */
function requestErrorHttp(
  error: GraphQLError,
): { status: number; headers?: Record<string, string> } | undefined {
  const http = error.extensions['http'] as
    { status?: unknown; headers?: Record<string, string> } | undefined;
  if (typeof http?.status !== 'number' || http.status < 400 || http.status >= 500) return undefined;
  return { status: http.status, ...(http.headers ? { headers: http.headers } : {}) };
}

/**
 * The answer as the Apollo gateway would write it, just before it is written. Each error goes
 * through the same formatter (createErrorFormatter): public errors keep their message and public
 * extensions, anything else is logged and becomes an internal error. Yoga's request errors get
 * Apollo's codes and statuses: a 4xx whatever the client accepts, BAD_USER_INPUT for a variable
 * of the wrong type, BAD_REQUEST for a request Yoga refused without a code. A failed fetch is
 * reported once, without a path, as the Apollo gateway reports it (Hive reports it on each field
 * the fetch left empty). And when nothing was answered because the request was wrong, the
 * status is 400, as the Apollo gateway answers.
 */
export function apolloShapedAnswers(log: Logger, production: boolean): GatewayPlugin {
  const format = createErrorFormatter(log, { production });
  const reshape = (error: GraphQLError) => {
    const http = requestErrorHttp(error);
    const {
      [FAILED_FETCH]: failedFetch,
      serviceName,
      ...extensions
    } = error.extensions as Record<string, unknown>;
    const raisedHere = failedFetch !== undefined;
    extensions['code'] ??= http
      ? error.locations?.length
        ? ErrorCode.BadUserInput
        : 'BAD_REQUEST'
      : undefined;
    // Errors a subgraph raised carry its name, as the Apollo gateway's do; those the gateway
    // raised about a fetch do not.
    if (serviceName !== undefined && !raisedHere) extensions['serviceName'] = serviceName;
    const formatted = format(
      {
        message: error.message,
        ...(error.locations && !raisedHere ? { locations: error.locations } : {}),
        ...(error.path && !raisedHere ? { path: error.path } : {}),
        extensions,
      },
      error.originalError ?? error,
    );
    return { error, formatted, http, raisedHere, failedFetch };
  };
  return {
    onResultProcess({ result, setResult }) {
      // One result per request: batches are refused at the front and nothing streams.
      if (Array.isArray(result) || Symbol.asyncIterator in result || !result.errors) return;
      const seen = new Set<unknown>();
      const shaped = result.errors
        .map((error) =>
          reshape(error instanceof GraphQLError ? error : new GraphQLError(String(error))),
        )
        .filter(({ failedFetch }) => {
          if (failedFetch === undefined) return true;
          if (seen.has(failedFetch)) return false;
          seen.add(failedFetch);
          return true;
        });
      const answeredNothing =
        !result.data || Object.values(result.data).every((value) => value === null);
      const clientErrorsOnly = shaped.every(({ formatted }) =>
        CLIENT_ERROR_CODES.has(String(formatted.extensions?.['code'])),
      );
      const refused = answeredNothing && clientErrorsOnly ? { status: 400 } : undefined;
      setResult({
        ...result,
        errors: shaped.map(({ error, formatted, http, raisedHere }) => {
          const status = refused ?? http;
          return new GraphQLError(formatted.message, {
            ...(raisedHere
              ? {}
              : { nodes: error.nodes, source: error.source, positions: error.positions }),
            path: formatted.path ?? null,
            // Yoga reads `http` for the status and headers, and keeps it off the wire.
            extensions: { ...formatted.extensions, ...(status ? { http: status } : {}) },
          });
        }),
      });
    },
  };
}
