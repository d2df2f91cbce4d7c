// A person's facet read as the operation needs it: the rows of the tables it asks for, and the
// others only to tell an empty facet from none. A partner's tables about a person that nobody
// asked for are not read when the answer does not depend on them.
import DataLoader from 'dataloader';
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

type Readers = Readonly<Record<string, () => Promise<readonly unknown[]>>>;

/** One person's facet, as one request's resolver asks for it. */
interface Wanted {
  asked: ReadonlySet<string>;
  read: Readers;
}

/** The facets asked together in one request: read as one batch (`readBatch`). */
const batches = new WeakMap<object, DataLoader<Wanted, RowSets | null>>();

/**
 * The row sets of a facet, or null when every set is empty: a facet is null for a person the
 * partner holds nothing about. `read` reads each set, through the request's per-table
 * DataLoaders, the rows the viewer may see only (emptiness decides). `fields` says which set each
 * field of the facet shows, and the operation's selection which of them are asked.
 *
 * The facets a request resolves at once (`request` is its context) are read as one batch, in two
 * rounds: first every table that one of them asks for, for every person; then, for the people
 * with no row in those, the remaining tables, to tell an empty facet from none. A table is read in
 * one round only, so each costs at most one statement per batch, whatever the number of people or
 * their views. A set left unread is empty in the answer: no field the operation asks shows it.
 */
export async function facetRows<T extends RowSets>(
  request: object,
  info: GraphQLResolveInfo,
  fields: Readonly<Record<string, keyof T | null>>,
  read: { readonly [K in keyof T]: () => Promise<T[K]> },
): Promise<T | null> {
  const asked = new Set<string>();
  for (const field of selectedFields(info)) {
    const set = fields[field];
    if (set) asked.add(String(set));
  }
  let batch = batches.get(request);
  if (!batch) {
    batch = new DataLoader(readBatch, { cache: false });
    batches.set(request, batch);
  }
  return (await batch.load({ asked, read })) as T | null;
}

async function readBatch(batch: readonly Wanted[]): Promise<(RowSets | null)[]> {
  const firstRound = new Set(batch.flatMap((wanted) => [...wanted.asked]));
  const rows = batch.map((): Record<string, readonly unknown[]> => ({}));
  const readRound = (first: boolean, who: (index: number) => boolean) =>
    Promise.all(
      batch.flatMap((wanted, index) =>
        who(index)
          ? Object.keys(wanted.read)
              .filter((name) => firstRound.has(name) === first)
              .map(async (name) => {
                rows[index]![name] = await wanted.read[name]!();
              })
          : [],
      ),
    );
  await readRound(true, () => true);
  // Decided for everyone before the second round starts, so that its reads batch together.
  const needsMore = rows.map(isEmpty);
  await readRound(false, (index) => needsMore[index]!);
  return batch.map((wanted, index) => {
    const found = rows[index]!;
    for (const name of Object.keys(wanted.read)) found[name] ??= [];
    return isEmpty(found) ? null : found;
  });
}

function isEmpty(sets: RowSets): boolean {
  return Object.values(sets).every((set) => set.length === 0);
}

/**
 * The fields of a facet the operation asks for, in the order `fields` names them: what a
 * disclosure of the facet records (`DisclosureLog`). `fields` names every field of the facet, as
 * `FacetFields` makes sure. A field may be listed that showed nothing under the viewer's view,
 * never one that showed something and is missing.
 */
export function disclosedFields(
  info: GraphQLResolveInfo,
  fields: Readonly<Record<string, unknown>>,
): string[] {
  const selected = selectedFields(info);
  return Object.keys(fields).filter((field) => selected.has(field));
}
