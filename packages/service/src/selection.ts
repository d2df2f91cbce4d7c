// What an operation asks below the field a resolver runs for, read ahead of the fields' own
// resolvers: a resolver that computes several fields in one statement leaves out what nobody
// asked for.
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The names of the fields selected under the current field, following `path` (field names, one
 * level each) first: `selectedFields(info, ['funnel'])` in `byPair` gives the fields asked of
 * every pair's `funnel`. Fragments and inline fragments count as selected whatever their type
 * condition, and so do fields under `@skip` or `@include`: the answer may hold a field too many,
 * never one too few.
 */
export function selectedFields(
  info: GraphQLResolveInfo,
  path: readonly string[] = [],
): Set<string> {
  let level: SelectionSetNode[] = info.fieldNodes.flatMap((node) =>
    node.selectionSet ? [node.selectionSet] : [],
  );
  for (const name of path) {
    level = fieldsOf(info, level).flatMap((field) =>
      field.name.value === name && field.selectionSet ? [field.selectionSet] : [],
    );
  }
  return new Set(fieldsOf(info, level).map((field) => field.name.value));
}

/** The fields of `sets`, with fragments flattened (each named fragment once). */
function fieldsOf(info: GraphQLResolveInfo, sets: SelectionSetNode[]) {
  const fields = [];
  const spread = new Set<string>();
  const pending = [...sets];
  for (let set = pending.pop(); set; set = pending.pop()) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) pending.push(selection.selectionSet);
      else if (!spread.has(selection.name.value)) {
        spread.add(selection.name.value);
        const fragment = info.fragments[selection.name.value];
        if (fragment) pending.push(fragment.selectionSet);
      }
    }
  }
  return fields;
}
