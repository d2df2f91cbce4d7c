// How much one request may ask of a service: the size of its body, the shape of its operation and
// a cost that grows with the list sizes it asks for. The defaults live here, one set for the
// gateway and one for subgraphs; each service's environment module may override them.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { z } from './env.ts';
import { LimitCode } from './errors.ts';
import { MAX_BATCH_SIZE } from './loaders.ts';
import { countTokens, measureOperation, nestingDepth, operationCost } from './operation-size.ts';

export interface OperationLimits {
  /** Largest request body, in bytes. */
  bodyBytes: number;
  /** Most lexical tokens in the operation document (names, punctuation, values). */
  tokens: number;
  /** Deepest nesting of fields, fragments flattened: `{ a { b } }` is 2 deep. */
  depth: number;
  /** Most fields in one selection set, fragments merged, repeats and `__typename` included. */
  breadth: number;
  /** Most aliased fields in the operation, each fragment counted as often as it is spread. */
  aliases: number;
  /** Most directives in the operation, each fragment counted as often as it is spread. */
  directives: number;
  /**
   * Highest estimated cost: each field costs 1, and a field taking `first` multiplies the cost of
   * what is selected under it by `first` (its default, or the default page size, when omitted);
   * `_entities` multiplies by the number of representations.
   */
  cost: number;
  /** Most `_entities` representations in one request (what one gateway fetch may batch). */
  entities: number;
  /** Deepest nesting of arrays and objects in `variables`. */
  variablesDepth: number;
}

/** What a client may ask of the gateway. */
export const GATEWAY_LIMITS: OperationLimits = {
  bodyBytes: 1_000_000,
  tokens: 2_000,
  depth: 15,
  breadth: 100,
  aliases: 30,
  directives: 30,
  cost: 20_000,
  // `_entities` is not part of the gateway's schema: a client cannot ask for it at all.
  entities: 0,
  variablesDepth: 12,
};

/**
 * What the gateway (or a partner subgraph calling network) may ask of a subgraph. Generous: the
 * gateway already bounded the client's operation, and its query plans add `_entities` batches,
 * `__typename`s, keys and required fields to what the client wrote.
 */
export const SUBGRAPH_LIMITS: OperationLimits = {
  bodyBytes: 4_000_000,
  tokens: 30_000,
  depth: 32,
  breadth: 500,
  aliases: 500,
  directives: 300,
  cost: 5_000_000,
  entities: MAX_BATCH_SIZE,
  variablesDepth: 24,
};

/** The environment variable that overrides each limit. */
export const LIMIT_VARIABLES = {
  bodyBytes: 'LIMIT_BODY_BYTES',
  tokens: 'LIMIT_TOKENS',
  depth: 'LIMIT_DEPTH',
  breadth: 'LIMIT_BREADTH',
  aliases: 'LIMIT_ALIASES',
  directives: 'LIMIT_DIRECTIVES',
  cost: 'LIMIT_COST',
  entities: 'LIMIT_ENTITIES',
  variablesDepth: 'LIMIT_VARIABLES_DEPTH',
} as const satisfies Record<keyof OperationLimits, string>;

const limitValue = z.coerce.number().int().nonnegative().optional();

/** The zod shape an environment module spreads into its own to read the limit overrides. */
export const limitsEnvShape = {
  LIMIT_BODY_BYTES: limitValue,
  LIMIT_TOKENS: limitValue,
  LIMIT_DEPTH: limitValue,
  LIMIT_BREADTH: limitValue,
  LIMIT_ALIASES: limitValue,
  LIMIT_DIRECTIVES: limitValue,
  LIMIT_COST: limitValue,
  LIMIT_ENTITIES: limitValue,
  LIMIT_VARIABLES_DEPTH: limitValue,
};

/** `defaults`, with the limits the parsed environment overrides. */
export function limitsFrom(
  env: Partial<Record<(typeof LIMIT_VARIABLES)[keyof OperationLimits], number | undefined>>,
  defaults: OperationLimits,
): OperationLimits {
  const limits = { ...defaults };
  for (const [key, variable] of Object.entries(LIMIT_VARIABLES) as [
    keyof OperationLimits,
    (typeof LIMIT_VARIABLES)[keyof OperationLimits],
  ][]) {
    const value = env[variable];
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}

const MESSAGES: Record<LimitCode, { text: string; measure: string }> = {
  TOO_MANY_TOKENS: { text: 'The operation is too long', measure: 'tokens' },
  OPERATION_TOO_DEEP: { text: 'The operation nests fields too deeply', measure: 'levels deep' },
  OPERATION_TOO_BROAD: {
    text: 'A selection in the operation asks for too many fields',
    measure: 'fields in one selection',
  },
  TOO_MANY_ALIASES: { text: 'The operation uses too many aliases', measure: 'aliases' },
  TOO_MANY_DIRECTIVES: { text: 'The operation uses too many directives', measure: 'directives' },
  OPERATION_TOO_COMPLEX: {
    text: 'The operation asks for too much at once: ask for fewer items (`first`) or fewer fields',
    measure: 'estimated cost',
  },
  TOO_MANY_ENTITIES: {
    text: 'The request resolves too many entities at once',
    measure: 'representations',
  },
  VARIABLES_TOO_DEEP: { text: 'The variables are nested too deeply', measure: 'levels deep' },
};

/**
 * An operation refused for its size: HTTP 400 with a stable code. Outside production the message
 * says how far over the limit it is; in production it does not reveal the configured limits.
 */
export class LimitExceeded extends GraphQLError {
  constructor(
    readonly limitCode: LimitCode,
    found: number,
    limit: number,
    production: boolean,
  ) {
    const { text, measure } = MESSAGES[limitCode];
    super(production ? text : `${text} (${found} ${measure}; at most ${limit} allowed)`, {
      extensions: { code: limitCode, http: { status: 400 } },
    });
  }
}

/**
 * The limits on the raw request, checked before the operation is even parsed: its tokens and
 * how deeply its variables nest. Throws LimitExceeded.
 */
export function checkRequest(
  query: unknown,
  variables: unknown,
  limits: OperationLimits,
  production: boolean,
): void {
  if (typeof query === 'string') {
    const tokens = countTokens(query, limits.tokens);
    if (tokens > limits.tokens) {
      throw new LimitExceeded(LimitCode.TooManyTokens, tokens, limits.tokens, production);
    }
  }
  const depth = nestingDepth(variables, limits.variablesDepth);
  if (depth > limits.variablesDepth) {
    throw new LimitExceeded(LimitCode.VariablesTooDeep, depth, limits.variablesDepth, production);
  }
}

/** The structural limits: depth, breadth, aliases and directives of every operation. */
export function checkShape(
  document: DocumentNode,
  limits: OperationLimits,
  production: boolean,
): void {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const shape = measureOperation(document, definition);
    const checks: [LimitCode, number, number][] = [
      [LimitCode.TooDeep, shape.depth, limits.depth],
      [LimitCode.TooManyAliases, shape.aliases, limits.aliases],
      [LimitCode.TooManyDirectives, shape.directives, limits.directives],
      [LimitCode.TooBroad, shape.breadth, limits.breadth],
    ];
    for (const [code, found, limit] of checks) {
      if (found > limit) throw new LimitExceeded(code, found, limit, production);
    }
  }
}

/** The cost limits, which depend on the variables: checked on every request. */
export function checkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  limits: OperationLimits,
  production: boolean,
): void {
  const { cost, entities } = operationCost(schema, document, operation, variables);
  if (entities > limits.entities) {
    throw new LimitExceeded(LimitCode.TooManyEntities, entities, limits.entities, production);
  }
  if (cost > limits.cost) {
    throw new LimitExceeded(LimitCode.TooComplex, cost, limits.cost, production);
  }
}

/**
 * Apollo Server plugin enforcing the shape and cost limits once the operation is parsed,
 * validated and chosen, before anything runs. The shape is checked once per document (Apollo
 * reuses the documents it has validated); the cost, which depends on the variables, on every
 * request. The tokens and variables are checked earlier, on the raw request (serveGraphQL).
 */
export function operationLimitsPlugin(
  limits: OperationLimits,
  options: { production: boolean },
): ApolloServerPlugin<BaseContext> {
  const { production } = options;
  const withinShape = new WeakSet<DocumentNode>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!withinShape.has(document)) {
            checkShape(document, limits, production);
            withinShape.add(document);
          }
          if (operation) {
            checkCost(schema, document, operation, request.variables ?? {}, limits, production);
          }
        },
      };
    },
  };
}
