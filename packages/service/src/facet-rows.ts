// A person's facet read as the operation needs it: the rows of the tables it asks for, and the
// others only to tell an empty facet from none. A partner's tables about a person that nobody
// asked for are neither read nor disclosed.
import type { GraphQLResolveInfo } from 'graphql';
import { selectedFields } from './selection.ts';

type RowSets = Record<string, readonly unknown[]>;

/**
 * For every field of a facet type (as generated from the schema), the row set it shows, or null
 * when it shows none of them. Every field must be named: a field added to the schema fails the
 * type check until it says what it reads.
 */
export type FacetFields<Facet, Sets extends string> = {
  readonly [Field in Exclude<keyof Facet, '__typename'>]: Sets | null;
};

/**
 * The row sets of a facet, or null when every set is empty: a facet is null for a person the
 * partner holds nothing about. `read` reads each set (the rows the viewer may see only, since
 * emptiness decides). The sets shown by the fields the operation asks for (`fields`) are read
 * first, together; the others only when every asked set came back empty, together too, so a
 * batch of people still costs one statement per table. A set left unread is empty in the answer:
 * no field the operation asks for shows it.
 */
export async function facetRows<T extends RowSets>(
  info: GraphQLResolveInfo,
  fields: Readonly<Record<string, keyof T | null>>,
  read: { readonly [K in keyof T]: () => Promise<T[K]> },
): Promise<T | null> {
  const asked = new Set<keyof T>();
  for (const field of selectedFields(info)) {
    const set = fields[field];
    if (set) asked.add(set);
  }
  const names = Object.keys(read) as (keyof T)[];
  const rows = {} as T;
  const readSets = async (sets: (keyof T)[]): Promise<boolean> => {
    const found = await Promise.all(sets.map((name) => read[name]()));
    sets.forEach((name, index) => {
      rows[name] = found[index]!;
    });
    return found.some((set) => set.length > 0);
  };
  const unasked = names.filter((name) => !asked.has(name));
  for (const name of unasked) rows[name] = [] as unknown as T[keyof T];
  if (await readSets(names.filter((name) => asked.has(name)))) return rows;
  return (await readSets(unasked)) ? rows : null;
}
