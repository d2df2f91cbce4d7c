// Rows drawn for one table, in the order they must be inserted (parents before children).
import type { PgTable } from 'drizzle-orm/pg-core';

export interface TableRows {
  table: PgTable;
  rows: readonly Record<string, unknown>[];
}

/** Typed by the table's Drizzle insert model, so a misspelt column fails the type check. */
export function rowsOf<T extends PgTable>(table: T, rows: T['$inferInsert'][]): TableRows {
  return { table, rows };
}
