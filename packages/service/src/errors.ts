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
  /** The request did not finish within the gateway's overall deadline. */
  GatewayTimeout: 'GATEWAY_TIMEOUT',
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes of operations refused for their size (see limits.ts); each comes with HTTP 400. */
export const LimitCode = {
  TooManyTokens: 'TOO_MANY_TOKENS',
  TooDeep: 'OPERATION_TOO_DEEP',
  TooBroad: 'OPERATION_TOO_BROAD',
  TooManyAliases: 'TOO_MANY_ALIASES',
  TooManyDirectives: 'TOO_MANY_DIRECTIVES',
  TooComplex: 'OPERATION_TOO_COMPLEX',
  TooManyEntities: 'TOO_MANY_ENTITIES',
  VariablesTooDeep: 'VARIABLES_TOO_DEEP',
} as const;
export type LimitCode = (typeof LimitCode)[keyof typeof LimitCode];

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
const OPERATION_CODES = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  ...Object.values(LimitCode),
]);

const PUBLIC_CODES = new Set<string>([...Object.values(ErrorCode), ...OPERATION_CODES]);

/**
 * The extensions a public error may carry; anything else (a subgraph's URL, a response body)
 * stays. `service` names the subgraph that could not answer.
 */
const PUBLIC_EXTENSIONS = ['code', 'field', 'reason', 'facet', 'service'] as const;

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

/** What a production gateway says for an error a subgraph raised: its code, and no more. */
const SAFE_MESSAGES: Record<string, string> = {
  BAD_USER_INPUT: 'A value in the request is not valid',
  NOT_FOUND: 'Not found',
  FORBIDDEN: 'Not allowed',
  UNAUTHENTICATED: 'Not authenticated',
  CONFLICT: 'The request conflicts with the current state of the data; read it again and retry',
  SERVICE_UNAVAILABLE: 'A service is unavailable; retry later',
  GATEWAY_TIMEOUT: 'The request took too long',
  GRAPHQL_VALIDATION_FAILED: 'The operation is not valid',
  GRAPHQL_PARSE_FAILED: 'The operation could not be parsed',
};
const safeMessage = (code: string) => SAFE_MESSAGES[code] ?? 'The request could not be completed';

/** A PostgreSQL error, as both drivers raise it: a five-character SQLSTATE and a severity. */
interface DatabaseError {
  code: string;
  severity?: string;
  routine?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  while (current && typeof current === 'object' && chain.length < 8) {
    chain.push(current);
    const next =
      (current as { originalError?: unknown }).originalError ??
      (current as { cause?: unknown }).cause;
    if (next === current) break;
    current = next;
  }
  return chain;
}

/** The PostgreSQL error behind `error`, if a query failed. */
export function databaseErrorOf(error: unknown): DatabaseError | undefined {
  return causes(error).find(
    (cause): cause is DatabaseError =>
      typeof (cause as DatabaseError).code === 'string' &&
      /^[0-9A-Z]{5}$/.test((cause as DatabaseError).code) &&
      typeof (cause as DatabaseError).severity === 'string',
  );
}

/**
 * The public error for a database refusal a client can cause or retry, by SQLSTATE: text
 * PostgreSQL cannot store (a NUL character), a number or date out of range, a statement that
 * ran out of time. Null for anything else, which stays an internal error.
 */
export function publicDatabaseError(sqlState: string): { code: ErrorCode; message: string } | null {
  if (sqlState.startsWith('22')) {
    return {
      code: ErrorCode.BadUserInput,
      message:
        'A value in the request cannot be stored or compared: it is out of range or contains characters that are not allowed',
    };
  }
  if (sqlState === '23505' || sqlState === '40001' || sqlState === '40P01') {
    return {
      code: ErrorCode.Conflict,
      message: 'The request conflicted with a concurrent change; read the data again and retry',
    };
  }
  if (sqlState === '57014') {
    return {
      code: ErrorCode.ServiceUnavailable,
      message: 'The request took too long to answer; ask for less or retry later',
    };
  }
  if (sqlState.startsWith('08') || sqlState.startsWith('53') || sqlState.startsWith('57P')) {
    return {
      code: ErrorCode.ServiceUnavailable,
      message: 'The database is unavailable; retry later',
    };
  }
  return null;
}

/**
 * What the logs keep of an unexpected error: its kind, message and stack, and for a database
 * error its SQLSTATE and the names involved, never the values (query parameters, the server's
 * message and detail may hold personal data).
 */
export function loggableError(error: unknown): Record<string, unknown> {
  const chain = causes(error);
  const database = databaseErrorOf(error);
  // Drizzle's message repeats the query's parameters, the server's may quote a value, and the
  // errors wrapping them repeat their message: none of these messages is kept.
  const hidden = new Set(
    chain
      .filter(
        (cause) => cause === database || typeof (cause as { query?: unknown }).query === 'string',
      )
      .map((cause) => (cause as Error).message),
  );
  const described = chain.map((cause) => {
    if (database && cause === database) {
      return {
        type: 'DatabaseError',
        sqlState: database.code,
        routine: database.routine,
        constraint: database.constraint,
        table: database.table,
        column: database.column,
      };
    }
    const { name, message, stack } = cause as Error;
    const query = (cause as { query?: unknown }).query;
    if (typeof query === 'string') return { type: name, query };
    if (hidden.has(message)) return { type: name };
    return {
      type: name,
      message: typeof message === 'string' ? message.slice(0, 500) : undefined,
      stack,
    };
  });
  return { type: described[0]?.['type'], causes: described };
}

const SUGGESTION = /\s*Did you mean .*$/s;

export interface ErrorFormatterOptions {
  /**
   * Production: "Did you mean …" suggestions are dropped, and an error a subgraph raised keeps
   * its code and public extensions with a fixed message for that code.
   */
  production?: boolean;
}

/**
 * Apollo's `formatError`: known errors go out as they are (without stack traces); database
 * refusals a client caused become BAD_USER_INPUT (or CONFLICT, SERVICE_UNAVAILABLE) with a
 * message that shows no SQL; anything else is logged and replaced by a generic internal error,
 * so SQL text, stack traces and other partners' data never reach a client.
 */
export function createErrorFormatter(log: Logger, options: ErrorFormatterOptions = {}) {
  const production = options.production ?? false;
  const position = (formatted: GraphQLFormattedError) => ({
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  });
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const extensions = publicExtensions(formatted.extensions);
    if (extensions) {
      const code = extensions['code'] as string;
      const fromSubgraph = formatted.extensions?.['serviceName'] !== undefined;
      const message = !production
        ? formatted.message
        : fromSubgraph
          ? safeMessage(code)
          : formatted.message.replace(SUGGESTION, '');
      return { message, ...position(formatted), extensions };
    }
    const database = databaseErrorOf(error);
    const refusal = database ? publicDatabaseError(database.code) : null;
    if (database && refusal) {
      log.warn(
        { sqlState: database.code, path: formatted.path, code: refusal.code },
        'database refused a request',
      );
      return {
        message: refusal.message,
        ...position(formatted),
        extensions: { code: refusal.code },
      };
    }
    log.error({ err: loggableError(error), path: formatted.path }, 'unexpected resolver error');
    return {
      message: 'Internal server error',
      ...position(formatted),
      extensions: { code: ErrorCode.Internal },
    };
  };
}
