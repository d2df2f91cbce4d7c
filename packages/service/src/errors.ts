// The small set of public error codes and the one place that decides what a client may see.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';

export const ErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  NotFound: 'NOT_FOUND',
  Forbidden: 'FORBIDDEN',
  Unauthenticated: 'UNAUTHENTICATED',
  Conflict: 'CONFLICT',
  /** A service this one depends on could not be reached; retrying later may work. */
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An expected failure with a stable code; its message is safe to show to the caller. */
export class PublicError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const badInput = (message: string, field?: string) =>
  new PublicError(ErrorCode.BadUserInput, message, field ? { field } : {});
export const notFound = (what: string) => new PublicError(ErrorCode.NotFound, `${what} not found`);
export const conflict = (message: string) => new PublicError(ErrorCode.Conflict, message);

/** Codes GraphQL and Apollo themselves raise for malformed operations; safe to pass through. */
const OPERATION_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const PUBLIC_CODES = new Set<string>([...Object.values(ErrorCode), ...OPERATION_CODES]);

/** The extensions a public error may carry; anything else (a subgraph's URL, a response body) stays. */
const PUBLIC_EXTENSIONS = ['code', 'field', 'reason', 'facet'] as const;

/**
 * The public part of an error's extensions, or null when the error is not a public one: no
 * stable code, or an internal error whatever its origin.
 */
export function publicExtensions(
  extensions: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> | null {
  const code = extensions?.['code'];
  if (typeof code !== 'string' || !PUBLIC_CODES.has(code) || code === ErrorCode.Internal) {
    return null;
  }
  return Object.fromEntries(
    PUBLIC_EXTENSIONS.filter((key) => extensions?.[key] !== undefined).map((key) => [
      key,
      extensions?.[key],
    ]),
  );
}

/**
 * Apollo's `formatError`: known errors go out as they are (without stack traces); anything else
 * is logged with its detail and replaced by a generic internal error, so SQL text, stack traces
 * and other partners' data never reach a client.
 */
export function createErrorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const extensions = publicExtensions(formatted.extensions);
    if (extensions) return { ...formatted, extensions };
    log.error({ err: error, path: formatted.path }, 'unexpected resolver error');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: ErrorCode.Internal },
    };
  };
}
