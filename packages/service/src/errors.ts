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

/**
 * Apollo's `formatError`: known errors go out as they are (without stack traces); anything else
 * is logged with its detail and replaced by a generic internal error, so SQL text, stack traces
 * and other partners' data never reach a client.
 */
export function createErrorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    log.error({ err: error, path: formatted.path }, 'unexpected resolver error');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: ErrorCode.Internal },
    };
  };
}
