// Relay-style connections: repositories return a Page, one generic resolver set turns it into
// `nodes`, `edges`, `pageInfo` and a lazily counted `totalCount`.
import { badInput } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
  cursorOf: (node: T) => string;
  /** Counted only when the client asks for `totalCount`. */
  count: () => Promise<number>;
}

/** Validates a client's `first` argument against the cap. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  }
  return first;
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says another page exists. */
export function toPage<T>(
  rows: T[],
  limit: number,
  cursorOf: (node: T) => string,
  count: () => Promise<number>,
): Page<T> {
  let counted: Promise<number> | undefined;
  return {
    nodes: rows.slice(0, limit),
    hasNextPage: rows.length > limit,
    cursorOf,
    count: () => (counted ??= count()),
  };
}

/** Resolvers shared by every `…Connection` type. */
export const connectionResolvers = {
  nodes: <T>(page: Page<T>) => page.nodes,
  edges: <T>(page: Page<T>) => page.nodes.map((node) => ({ cursor: page.cursorOf(node), node })),
  pageInfo: <T>(page: Page<T>) => {
    const last = page.nodes.at(-1);
    return {
      hasNextPage: page.hasNextPage,
      endCursor: last === undefined ? null : page.cursorOf(last),
    };
  },
  totalCount: <T>(page: Page<T>) => page.count(),
};
