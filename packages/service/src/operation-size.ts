// Measures an operation the way the limits count it: tokens, nesting of variables, the shape of
// its selections with fragments flattened, and a cost that grows with the list sizes asked for.
import {
  Kind,
  Lexer,
  Source,
  TokenKind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from './pagination.ts';

/** Counts the tokens of `source`, stopping one past `max`; a syntax error is left to the parser. */
export function countTokens(source: string, max: number): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      if (++count > max) break;
    }
  } catch {
    // Not a valid document: the parser reports where.
  }
  return count;
}

/** How deeply arrays and objects nest in `value`, walked without recursion. */
export function nestingDepth(value: unknown, max: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > max) return deepest;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === 'object') stack.push([child, level]);
    }
  }
  return deepest;
}

/** The shape of a selection set: what the structural limits measure. */
export interface OperationShape {
  /** Fields selected at this level (fragments merged). */
  fields: number;
  depth: number;
  breadth: number;
  aliases: number;
  directives: number;
}

const EMPTY_SHAPE: OperationShape = { fields: 0, depth: 0, breadth: 0, aliases: 0, directives: 0 };

/** Introspection subtrees are bounded by the schema itself and refused in production. */
const isIntrospection = (field: FieldNode) =>
  field.name.value === '__schema' || field.name.value === '__type';

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  return fragments;
}

/**
 * Measures `operation` with its fragments flattened. Each fragment is measured once and its
 * counts multiplied by how often it is spread, so a document of fragments spreading fragments
 * costs time in proportion to its length, not to its expansion.
 */
export function measureOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): OperationShape {
  const fragments = fragmentsOf(document);
  const measured = new Map<string, OperationShape>();
  const measuring = new Set<string>();

  const fragmentShape = (name: string): OperationShape => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // An unknown or cyclic fragment is a validation error reported elsewhere.
    if (!fragment || measuring.has(name)) return EMPTY_SHAPE;
    measuring.add(name);
    const shape = measureSet(fragment.selectionSet);
    measuring.delete(name);
    measured.set(name, shape);
    return shape;
  };

  const measureSet = (set: SelectionSetNode): OperationShape => {
    const shape = { ...EMPTY_SHAPE };
    const merge = (inner: OperationShape) => {
      shape.fields += inner.fields;
      shape.depth = Math.max(shape.depth, inner.depth);
      shape.breadth = Math.max(shape.breadth, inner.breadth);
      shape.aliases += inner.aliases;
      shape.directives += inner.directives;
    };
    for (const selection of set.selections) {
      shape.directives += selection.directives?.length ?? 0;
      switch (selection.kind) {
        case Kind.FIELD: {
          shape.fields += 1;
          if (selection.alias) shape.aliases += 1;
          const child =
            selection.selectionSet && !isIntrospection(selection)
              ? measureSet(selection.selectionSet)
              : EMPTY_SHAPE;
          shape.depth = Math.max(shape.depth, 1 + child.depth);
          shape.breadth = Math.max(shape.breadth, child.breadth);
          shape.aliases += child.aliases;
          shape.directives += child.directives;
          break;
        }
        case Kind.INLINE_FRAGMENT:
          merge(measureSet(selection.selectionSet));
          break;
        case Kind.FRAGMENT_SPREAD:
          merge(fragmentShape(selection.name.value));
          break;
      }
    }
    shape.breadth = Math.max(shape.breadth, shape.fields);
    return shape;
  };

  const shape = measureSet(operation.selectionSet);
  shape.directives += operation.directives?.length ?? 0;
  return shape;
}

// The schema may come from another copy of graphql-js (the Apollo gateway loads the CommonJS
// build), so types are told apart by their shape, not with graphql-js's `instanceof` checks.
function fieldsOf(type: GraphQLNamedType | null | undefined) {
  return type && 'getFields' in type && typeof type.getFields === 'function'
    ? (type.getFields() as Record<string, GraphQLField<unknown, unknown> | undefined>)
    : undefined;
}

function namedType(type: GraphQLOutputType): GraphQLNamedType {
  let current: GraphQLOutputType = type;
  while ('ofType' in current && current.ofType) current = current.ofType as GraphQLOutputType;
  return current as GraphQLNamedType;
}

export interface OperationCost {
  cost: number;
  /** `_entities` representations asked for. */
  entities: number;
}

function argumentValue(
  field: FieldNode,
  name: string,
  variables: Readonly<Record<string, unknown>>,
): unknown {
  const argument = field.arguments?.find((arg) => arg.name.value === name);
  if (!argument) return undefined;
  return literal(argument.value, variables);
}

function literal(value: ValueNode, variables: Readonly<Record<string, unknown>>): unknown {
  switch (value.kind) {
    case Kind.VARIABLE:
      return variables[value.name.value];
    case Kind.INT:
    case Kind.FLOAT:
      return Number(value.value);
    case Kind.LIST:
      return value.values;
    case Kind.NULL:
      return null;
    default:
      return value;
  }
}

/** How many times a field's selection is repeated: its page size, or its batch of entities. */
function multiplier(
  field: FieldNode,
  definition: GraphQLField<unknown, unknown> | undefined,
  variables: Readonly<Record<string, unknown>>,
): { times: number; entities: number } {
  if (field.name.value === '_entities') {
    const representations = argumentValue(field, 'representations', variables);
    const count = Array.isArray(representations) ? representations.length : 1;
    return { times: Math.max(count, 1), entities: count };
  }
  const first = definition?.args.find((arg) => arg.name === 'first');
  if (!first) return { times: 1, entities: 0 };
  let size = argumentValue(field, 'first', variables);
  if (size === undefined || size === null) size = first.defaultValue ?? DEFAULT_PAGE_SIZE;
  const times = typeof size === 'number' && Number.isFinite(size) ? size : DEFAULT_PAGE_SIZE;
  return { times: Math.max(Math.floor(times), 1), entities: 0 };
}

/**
 * Estimates what `operation` costs to answer with these variables: one per field, the selection
 * under a list field multiplied by the size asked for (`first`, or the number of `_entities`
 * representations). Plain lists without `first` count once: they are bounded by the data.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): OperationCost {
  const fragments = fragmentsOf(document);
  const measured = new Map<string, OperationCost>();
  const measuring = new Set<string>();

  const fragmentCost = (name: string): OperationCost => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || measuring.has(name)) return { cost: 0, entities: 0 };
    measuring.add(name);
    const cost = costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
    measuring.delete(name);
    measured.set(name, cost);
    return cost;
  };

  const costOf = (
    set: SelectionSetNode,
    parent: GraphQLNamedType | null | undefined,
  ): OperationCost => {
    const total = { cost: 0, entities: 0 };
    const add = (inner: OperationCost) => {
      total.cost += inner.cost;
      total.entities += inner.entities;
    };
    for (const selection of set.selections) {
      switch (selection.kind) {
        case Kind.FIELD: {
          if (isIntrospection(selection)) {
            total.cost += 1;
            break;
          }
          const definition = fieldsOf(parent)?.[selection.name.value];
          const { times, entities } = multiplier(selection, definition, variables);
          total.entities += entities;
          total.cost += 1;
          if (selection.selectionSet) {
            const child = costOf(
              selection.selectionSet,
              definition ? namedType(definition.type) : undefined,
            );
            total.cost += times * child.cost;
            total.entities += times * child.entities;
          }
          break;
        }
        case Kind.INLINE_FRAGMENT:
          add(
            costOf(
              selection.selectionSet,
              selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent,
            ),
          );
          break;
        case Kind.FRAGMENT_SPREAD:
          add(fragmentCost(selection.name.value));
          break;
      }
    }
    return total;
  };

  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  return costOf(operation.selectionSet, root);
}
