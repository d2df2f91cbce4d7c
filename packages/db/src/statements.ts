// Statements built once and run many times. Drizzle builds the text of a query on every call,
// and for a keyed read of a few rows that costs more of a subgraph's time than the database takes
// to answer it. The reads every entity batch runs are built once per database handle instead,
// with each list of keys as one parameter, so that a batch of 2 or 900 keys is the same text.

import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

interface Executable {
  execute(values?: Record<string, unknown>): Promise<unknown>;
}

/** The statement being built: which key lists hold one value, and the names `anyOf` saw. */
let building: { single: ReadonlySet<string>; names: Set<string> } | undefined;

/**
 * `column = any($name)`, or `column = $name` when the list holds one key: PostgreSQL keeps one
 * plan for an equality, while it plans `= any($1)` anew on every run (its plan for an array of
 * unknown length looks dearer than one planned for the real list). Only inside `builtOnce`;
 * give `execute` an array for `name` (an empty one matches nothing).
 */
export function anyOf(column: SQLWrapper, name: string): SQL {
  if (!building) throw new Error('anyOf belongs in a statement built by builtOnce');
  building.names.add(name);
  return building.single.has(name)
    ? sql`${column} = ${sql.placeholder(name)}`
    : sql`${column} = any(${sql.placeholder(name)})`;
}

/**
 * A statement Drizzle builds the first time a database handle runs it, and keeps for that handle
 * (`build` ends with `.prepare(name)`; run it with `.execute({ ...values })`): once for each
 * combination of its `anyOf` lists holding one key or more. Repositories are made per request;
 * the statements they run are not. A transaction is a handle of its own.
 */
export function builtOnce<TDb extends object, TStatement extends Executable>(
  build: (db: TDb) => TStatement,
): (db: TDb) => Pick<TStatement, 'execute'> {
  let listNames: readonly string[] | undefined;
  const make = (db: TDb, single: ReadonlySet<string>): TStatement => {
    const outer = building;
    building = { single, names: new Set() };
    try {
      const statement = build(db);
      listNames ??= [...building.names];
      return statement;
    } finally {
      building = outer;
    }
  };
  const byHandle = new WeakMap<TDb, Pick<TStatement, 'execute'>>();
  return (db) => {
    let runner = byHandle.get(db);
    if (runner) return runner;
    const forms = new Map<string, TStatement>();
    runner = {
      execute: (values: Record<string, unknown> = {}) => {
        if (!listNames) forms.set('', make(db, new Set()));
        const single = listNames!.filter((name) => {
          const list = values[name];
          return Array.isArray(list) && list.length === 1;
        });
        const form = single.join(',');
        let statement = forms.get(form);
        if (!statement) {
          statement = make(db, new Set(single));
          forms.set(form, statement);
        }
        const bound = { ...values };
        for (const name of single) bound[name] = (values[name] as unknown[])[0];
        return statement.execute(bound) as ReturnType<TStatement['execute']>;
      },
    } as Pick<TStatement, 'execute'>;
    byHandle.set(db, runner);
    return runner;
  };
}
