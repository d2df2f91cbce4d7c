// Bulk loading with COPY … FROM (CSV), in one transaction per subgraph: PGlite reads the CSV as a
// blob (`/dev/blob`), postgres.js streams it. Values go through each column's own Drizzle
// mapping first, so what lands is what an INSERT through the schema would have written.
import type { PGlite } from '@electric-sql/pglite';
import type { Database } from '@passerelle/db';
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Sql } from 'postgres';

/** Rows per COPY statement: bounds the CSV text held in memory at once. */
const ROWS_PER_COPY = 50_000;

const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;

function arrayLiteral(items: readonly unknown[]): string {
  const inner = items.map((item) =>
    item === null ? 'NULL' : `"${String(item).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`,
  );
  return `{${inner.join(',')}}`;
}

function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return quote(arrayLiteral(value));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'object') return quote(JSON.stringify(value));
  return quote(String(value));
}

interface CopyPlan {
  statement: (source: string) => string;
  toLine: (row: Record<string, unknown>) => string;
}

/**
 * The COPY statement and CSV line writer for `table`: the columns the first row gives (the others
 * take their defaults). Every row must give the same columns.
 */
function planFor(table: PgTable, first: Record<string, unknown>): CopyPlan {
  const columns = Object.entries(getTableColumns(table)).filter(
    ([key]) => first[key] !== undefined,
  );
  const names = columns.map(([, column]) => `"${column.name}"`).join(', ');
  return {
    statement: (source) =>
      `copy "${getTableName(table)}" (${names}) from ${source} with (format csv)`,
    toLine: (row) =>
      columns
        .map(([key, column]) => {
          const value = row[key];
          if (value === undefined) {
            throw new Error(`${getTableName(table)}.${column.name}: a row leaves it out`);
          }
          return csvValue(value === null ? null : column.mapToDriverValue(value));
        })
        .join(','),
  };
}

export interface BulkLoader {
  /** Loads `rows` into `table`; calls `progress` with the rows loaded so far. */
  load(
    table: PgTable,
    rows: readonly Record<string, unknown>[],
    progress?: (loaded: number) => void,
  ): Promise<void>;
}

/** Runs `fill` in one transaction on `database`, with a loader that COPYs rows in. */
export async function inTransaction(
  database: Database<Record<string, unknown>>,
  fill: (loader: BulkLoader) => Promise<void>,
): Promise<void> {
  const client = (database.db as unknown as { $client: unknown }).$client;
  const loaderFor = (copy: (statement: CopyPlan, csv: string) => Promise<void>): BulkLoader => ({
    async load(table, rows, progress = () => {}) {
      if (rows.length === 0) return;
      const plan = planFor(table, rows[0]!);
      for (let start = 0; start < rows.length; start += ROWS_PER_COPY) {
        const chunk = rows.slice(start, start + ROWS_PER_COPY);
        await copy(plan, `${chunk.map(plan.toLine).join('\n')}\n`);
        progress(start + chunk.length);
      }
    },
  });

  if (database.driver === 'pglite') {
    const pglite = client as PGlite;
    await pglite.exec('begin');
    try {
      await fill(
        loaderFor(async (plan, csv) => {
          await pglite.query(plan.statement(`'/dev/blob'`), [], { blob: new Blob([csv]) });
        }),
      );
      await pglite.exec('commit');
    } catch (error) {
      await pglite.exec('rollback');
      throw error;
    }
    return;
  }
  const sql = client as Sql;
  await sql.begin(async (tx) => {
    await fill(
      loaderFor(async (plan, csv) => {
        const stream = await tx.unsafe(plan.statement('stdin')).writable();
        await new Promise<void>((resolve, reject) => {
          stream.once('error', reject);
          stream.once('finish', resolve);
          stream.end(csv);
        });
      }),
    );
  });
}
