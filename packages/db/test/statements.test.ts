// Statements built once per database handle, with their keys as one array parameter: the same
// text and the same answer at any number of keys, on PGlite and, when configured, PostgreSQL.
// And the vacuum a subgraph runs on PGlite, which has no autovacuum.
import { randomBytes } from 'node:crypto';
import { asc, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anyOf,
  builtOnce,
  databaseUrl,
  dropPostgresDatabase,
  openDatabase,
  type Database,
  type DatabaseLocation,
} from '../src/index.ts';

const notes = pgTable('notes', { id: integer('id').primaryKey(), body: text('body').notNull() });
const schema = { notes };
type NotesDb = Database<typeof schema>['db'];

let builds = 0;
const notesByIds = builtOnce((db: NotesDb) => {
  builds += 1;
  return db
    .select()
    .from(notes)
    .where(anyOf(notes.id, 'ids'))
    .orderBy(asc(notes.id))
    .prepare('test_notes_by_ids');
});

const serverUrl = process.env['PASSERELLE_TEST_DATABASE_URL'] || undefined;
const drivers: [string, () => DatabaseLocation][] = [
  ['PGlite', () => ({ kind: 'pglite-memory' })],
  ...(serverUrl
    ? [
        [
          'PostgreSQL',
          () => ({
            kind: 'postgres',
            url: databaseUrl(serverUrl, `passerelle_test_db_${randomBytes(4).toString('hex')}`),
            maxConnections: 2,
          }),
        ] as [string, () => DatabaseLocation],
      ]
    : []),
];

describe.each(drivers)('statements built once, on %s', (_, location) => {
  const where = location();
  let database: Database<typeof schema> | undefined;
  const db = () => {
    if (!database) throw new Error('database not opened');
    return database.db;
  };

  beforeAll(async () => {
    database = await openDatabase({ location: where, schema, migrationsFolder: '' });
    await db().execute(sql`create table notes (id int primary key, body text not null)`);
    await db().execute(
      sql`insert into notes select n, 'note ' || n from generate_series(1, 2000) as n`,
    );
  });

  afterAll(async () => {
    await database?.close();
    if (where.kind === 'postgres') await dropPostgresDatabase(where.url);
  });

  it('answers any number of keys with one text, and one key as an equality', async () => {
    database!.statements.reset();
    const one = await notesByIds(db()).execute({ ids: [7] });
    const many = await notesByIds(db()).execute({
      ids: Array.from({ length: 1500 }, (_, index) => 2 * index + 1).filter((id) => id <= 2000),
    });
    const missing = await notesByIds(db()).execute({ ids: [5000, 6000] });
    const none = await notesByIds(db()).execute({ ids: [] });
    expect(one).toEqual([{ id: 7, body: 'note 7' }]);
    expect(many).toHaveLength(1000);
    expect(many[999]).toEqual({ id: 1999, body: 'note 1999' });
    expect(missing).toEqual([]);
    expect(none).toEqual([]);
    expect(database!.statements.count).toBe(4);
    const select = 'select "id", "body" from "notes" where "notes"."id"';
    expect(new Set(database!.statements.statements)).toEqual(
      new Set([
        `${select} = $1 order by "notes"."id" asc`,
        `${select} = any($1) order by "notes"."id" asc`,
      ]),
    );
  });

  it('builds each form once per handle, and anew for a transaction', async () => {
    const before = builds;
    await notesByIds(db()).execute({ ids: [1] });
    await notesByIds(db()).execute({ ids: [2, 3] });
    const inside = await db().transaction((tx) => notesByIds(tx).execute({ ids: [3] }));
    expect(inside).toEqual([{ id: 3, body: 'note 3' }]);
    expect(builds - before).toBe(1);
  });

  it('refuses anyOf outside a statement built once', () => {
    expect(() => anyOf(notes.id, 'ids')).toThrow(/builtOnce/);
  });

  it('vacuums: every page of a table marked all-visible, for index-only scans', async () => {
    const pages = async () => {
      const result = (await db().execute(
        sql`select relpages, relallvisible from pg_class where relname = 'notes'`,
      )) as unknown as { rows: Record<string, unknown>[] } | Record<string, unknown>[];
      const [row] = Array.isArray(result) ? result : result.rows;
      return { total: Number(row?.['relpages']), visible: Number(row?.['relallvisible']) };
    };
    // Before: PGlite never vacuums by itself (PostgreSQL's autovacuum might have).
    if (where.kind !== 'postgres') expect((await pages()).visible).toBe(0);
    await database!.vacuum();
    const after = await pages();
    expect(after.total).toBeGreaterThan(0);
    expect(after.visible).toBe(after.total);
  });
});
