// Entity fetches to one subgraph that start together, for one client request, sent as one
// request: each fetch's `_entities` field under an alias of its own, its variables and fragments
// renamed so that they cannot meet. The subgraph resolves the fields in one execution, so its
// DataLoaders batch the rows of every fetch into the same statements, and pays for one signature
// check, one GraphQL pipeline and one round trip instead of several. query-plans.ts lines the
// fetches up so that they start together.
import DataLoader from 'dataloader';
import {
  Kind,
  OperationTypeNode,
  parse,
  print,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
} from 'graphql';

/** What a fetch sends, and what the subgraph answers (the shapes Apollo's data sources use). */
export interface EntityRequest {
  query?: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}
export interface SubgraphAnswer {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/** What a text gives, worked out once, for as many distinct texts as plans can produce. */
class Remembered<T> {
  private readonly values = new Map<string, T>();
  constructor(private readonly limit: number) {}

  get(key: string, make: () => T): T {
    let value = this.values.get(key);
    if (value === undefined) {
      if (this.values.size >= this.limit) this.values.clear();
      value = make();
      this.values.set(key, value);
    }
    return value;
  }
}

/**
 * The operation of an entity fetch: a query whose only field is an unaliased `_entities`, as
 * Apollo's planner writes them, without directives. Anything else (a root fetch, a mutation) is
 * never merged.
 */
function entityOperation(document: DocumentNode): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );
  const [operation] = operations;
  if (operations.length !== 1 || !operation) return undefined;
  // Directives on the operation (the planner copies the client's) would not survive the merge.
  if (operation.operation !== OperationTypeNode.QUERY || operation.directives?.length) {
    return undefined;
  }
  const [field, ...others] = operation.selectionSet.selections;
  if (others.length || field?.kind !== Kind.FIELD) return undefined;
  return field.name.value === '_entities' && !field.alias ? operation : undefined;
}

const entityFetchTexts = new Remembered<boolean>(2_000);

/** Whether a request is an entity fetch that may be sent with others. */
export function isEntityFetch(request: EntityRequest): boolean {
  const query = request.query;
  if (!query || !Array.isArray(request.variables?.['representations'])) return false;
  return entityFetchTexts.get(query, () => {
    try {
      return entityOperation(parse(query, { noLocation: true })) !== undefined;
    } catch {
      return false;
    }
  });
}

const partName = (index: number) => `f${index}`;

/** One part's definitions with its variables and fragments prefixed and `_entities` aliased. */
function renamed(document: DocumentNode, index: number): readonly DefinitionNode[] {
  const prefix = `${partName(index)}_`;
  return visit(document, {
    Variable: (node) => ({ ...node, name: { ...node.name, value: prefix + node.name.value } }),
    FragmentSpread: (node) => ({
      ...node,
      name: { ...node.name, value: prefix + node.name.value },
    }),
    FragmentDefinition: (node) => ({
      ...node,
      name: { ...node.name, value: prefix + node.name.value },
    }),
    Field: (node: FieldNode) =>
      node.name.value === '_entities' && !node.alias
        ? { ...node, alias: { kind: Kind.NAME, value: partName(index) } }
        : undefined,
  }).definitions;
}

const mergedTexts = new Remembered<string>(2_000);

/** One request asking for every part's entities, each under the alias `f<index>`. */
export function mergeEntityRequests(parts: readonly EntityRequest[]): EntityRequest {
  const queries = parts.map((part) => part.query ?? '');
  const name = parts[0]?.operationName;
  const query = mergedTexts.get(`${name ?? ''}\n${queries.join('\n\n')}`, () => {
    const operations: OperationDefinitionNode[] = [];
    const fragments: DefinitionNode[] = [];
    queries.forEach((text, index) => {
      for (const definition of renamed(parse(text, { noLocation: true }), index)) {
        if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
        else fragments.push(definition);
      }
    });
    const merged: OperationDefinitionNode = {
      kind: Kind.OPERATION_DEFINITION,
      operation: OperationTypeNode.QUERY,
      ...(name ? { name: { kind: Kind.NAME, value: name } } : {}),
      variableDefinitions: operations.flatMap((operation) => operation.variableDefinitions ?? []),
      selectionSet: {
        kind: Kind.SELECTION_SET,
        selections: operations.flatMap((operation) => operation.selectionSet.selections),
      },
    };
    return print({ kind: Kind.DOCUMENT, definitions: [merged, ...fragments] });
  });
  const variables: Record<string, unknown> = {};
  parts.forEach((part, index) => {
    for (const [key, value] of Object.entries(part.variables ?? {})) {
      variables[`${partName(index)}_${key}`] = value;
    }
  });
  return { query, variables, ...(name ? { operationName: name } : {}) };
}

/**
 * Each part's answer out of the merged one: its entities under `_entities`, the errors whose
 * path starts at its alias (the path restored), and the errors that name no path, which concern
 * the whole request and so every part. An answer with no data at all (a request refused as a
 * whole) leaves every part without data.
 */
export function splitMergedAnswer(answer: SubgraphAnswer, count: number): SubgraphAnswer[] {
  return Array.from({ length: count }, (_, index) => {
    const alias = partName(index);
    const errors = (answer.errors ?? []).flatMap((error) => {
      if (!error.path?.length) return [error];
      if (error.path[0] !== alias) return [];
      // Locations would point into the merged text, not the part's.
      const { locations: _, ...rest } = error;
      return [{ ...rest, path: ['_entities', ...error.path.slice(1)] }];
    });
    const data = answer.data ? { _entities: answer.data[alias] ?? null } : answer.data;
    return { ...(data === undefined ? {} : { data }), ...(errors.length ? { errors } : {}) };
  });
}

const representationsOf = (request: EntityRequest) =>
  (request.variables?.['representations'] as unknown[] | undefined)?.length ?? 0;

/**
 * Gathers the entity fetches one client request makes to one subgraph in the same tick (the
 * fetches of one level of an aligned plan) and sends them together, in groups of at most
 * `maxRepresentations` representations, what a subgraph accepts in one request.
 *
 * A merged request must never answer worse than its parts alone: when the subgraph refuses it
 * (a limit its parts each stay within) or answers it without any data (one part's failure nulled
 * the others'), each part is sent again alone. A subgraph that could not be reached is not asked
 * again: each part fails as it would have failed alone.
 */
export class EntityBatches<Options extends { request: EntityRequest; context: object }> {
  private readonly loaders = new WeakMap<object, DataLoader<Options, SubgraphAnswer>>();

  constructor(
    /** Sends one fetch, or with `request`, the merged request of a group starting with it. */
    private readonly send: (options: Options, request?: EntityRequest) => Promise<SubgraphAnswer>,
    private readonly maxRepresentations: number,
    /** Whether a merged request that failed so should be sent again as its parts. */
    private readonly worthSendingAlone: (error: unknown) => boolean,
  ) {}

  fetch(options: Options): Promise<SubgraphAnswer> {
    let loader = this.loaders.get(options.context);
    if (!loader) {
      loader = new DataLoader((batch) => this.sendTogether(batch), { cache: false });
      this.loaders.set(options.context, loader);
    }
    return loader.load(options);
  }

  private async sendTogether(batch: readonly Options[]): Promise<(SubgraphAnswer | Error)[]> {
    const groups: Options[][] = [];
    let size = Infinity;
    for (const options of batch) {
      const count = representationsOf(options.request);
      if (size + count > this.maxRepresentations) {
        groups.push([]);
        size = 0;
      }
      groups.at(-1)!.push(options);
      size += count;
    }
    const answers = await Promise.all(groups.map((group) => this.sendGroup(group)));
    return answers.flat();
  }

  private async sendGroup(group: Options[]): Promise<(SubgraphAnswer | Error)[]> {
    const [first] = group;
    if (group.length === 1 && first) return [await this.send(first).catch(asError)];
    const alone = () => Promise.all(group.map((options) => this.send(options).catch(asError)));
    let answer: SubgraphAnswer;
    try {
      answer = await this.send(
        first!,
        mergeEntityRequests(group.map((options) => options.request)),
      );
    } catch (error) {
      return this.worthSendingAlone(error) ? alone() : group.map(() => asError(error));
    }
    return answer.data ? splitMergedAnswer(answer, group.length) : alone();
  }
}

const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));
