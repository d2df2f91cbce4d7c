// On PostgreSQL, statements with parameters are prepared: parsed once per connection, then run in
// one round trip. Only so many distinct texts are kept prepared; the others still run, unprepared.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, dropPostgresDatabase, openDatabase, type Database } from '../src/index.ts';

const serverUrl = process.env['PASSERELLE_TEST_DATABASE_URL'] || undefined;

describe.skipIf(!serverUrl)('prepared statements on PostgreSQL', () => {
  let url = '';
  let database: Database<Record<string, never>> | undefined;

  const db = () => {
    if (!database) throw new Error('database not opened');
    return database.db;
  };

  /** The statements with parameters prepared on the one connection (postgres.js prepares a
   * few of its own, `commit` and the array types). */
  const preparedTexts = async () =>
    (
      (await db().execute(sql`select statement from pg_prepared_statements`)) as unknown as {
        statement: string;
      }[]
    )
      .map((row) => row.statement)
      .filter((text) => text.includes('$1'));

  const bodyOf = async (id: number) =>
    (
      (await db().execute(sql`select body from notes where id = ${id}`)) as unknown as {
        body: string;
      }[]
    )[0]?.body;

  beforeAll(async () => {
    url = databaseUrl(serverUrl!, `passerelle_test_db_${randomBytes(4).toString('hex')}`);
    database = await openDatabase({
      location: { kind: 'postgres', url, maxConnections: 1 },
      schema: {},
      migrationsFolder: '',
      maxPreparedStatements: 3,
    });
    await db().execute(sql`create table notes (id int primary key, body text not null)`);
    await db().execute(sql`insert into notes values (1, 'one'), (2, 'two'), (3, 'three')`);
  });

  afterAll(async () => {
    await database?.close();
    if (url) await dropPostgresDatabase(url);
  });

  it('prepares a statement once and runs it again with other values', async () => {
    expect(await bodyOf(1)).toBe('one');
    expect(await bodyOf(2)).toBe('two');
    const texts = await preparedTexts();
    expect(texts.filter((text) => text.includes('from notes where id'))).toHaveLength(1);
  });

  it('prepares the statements of a transaction too', async () => {
    const body = await db().transaction(async (tx) => {
      const rows = (await tx.execute(
        sql`select body from notes where id = ${3} and body <> ${''}`,
      )) as unknown as { body: string }[];
      return rows[0]?.body;
    });
    expect(body).toBe('three');
    expect((await preparedTexts()).some((text) => text.includes('and body <> $2'))).toBe(true);
  });

  it('leaves long parameter lists unprepared', async () => {
    const ids = Array.from({ length: 40 }, (_, index) => index + 1);
    const rows = (await db().execute(
      sql`select body from notes where id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )}) order by id`,
    )) as unknown as { body: string }[];
    expect(rows.map((row) => row.body)).toEqual(['one', 'two', 'three']);
    expect((await preparedTexts()).some((text) => text.includes('$40'))).toBe(false);
  });

  it('runs statements past the limit unprepared, with the same answers', async () => {
    const count = async (min: number) =>
      (
        (await db().execute(
          sql`select count(*)::int as n from notes where id >= ${min}`,
        )) as unknown as { n: number }[]
      )[0]?.n;
    const longest = async (min: number) =>
      (
        (await db().execute(
          sql`select max(length(body))::int as n from notes where id >= ${min}`,
        )) as unknown as { n: number }[]
      )[0]?.n;

    expect(await count(2)).toBe(2);
    expect(await longest(1)).toBe(5);
    expect(await longest(3)).toBe(5);
    const texts = await preparedTexts();
    expect(texts).toHaveLength(3);
    expect(texts.some((text) => text.includes('count(*)'))).toBe(true);
    expect(texts.some((text) => text.includes('max(length(body))'))).toBe(false);
  });
});
