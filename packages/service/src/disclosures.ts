// The disclosure log every partner subgraph keeps (DESIGN.md §4.5): who saw which fields of which
// facet of whom, under which consent and purpose, in which request — never the values. Entries of
// one request are written in one statement, and before the data leaves: if the log cannot be
// written, the facet is not disclosed.
import type { Db } from '@passerelle/db';
import DataLoader from 'dataloader';
import { and, desc, eq, getTableColumns, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AccessGrant } from './access.ts';
import { groupLoader } from './loaders.ts';
import type { Viewer } from './viewer.ts';

/** The most entries `about` returns for one person: the latest. */
const MAX_ENTRIES_PER_PERSON = 100;

/** The table, declared in each subgraph's `src/db/schema.ts` as `export const disclosures = disclosureTable()`. */
export function disclosureTable() {
  return pgTable(
    'disclosures',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
      beneficiaryId: uuid('beneficiary_id').notNull(),
      facet: text('facet').notNull(),
      // The facet's fields the request asked for; empty in entries logged before they were kept.
      fields: text('fields')
        .array()
        .notNull()
        .default(sql`'{}'::text[]`),
      viewerSub: text('viewer_sub').notNull(),
      viewerRole: text('viewer_role').notNull(),
      viewerPartner: text('viewer_partner'),
      purpose: text('purpose').notNull(),
      consentId: uuid('consent_id').notNull(),
      requestId: text('request_id').notNull(),
      // The served partner whose rows were disclosed: the one that recorded the consent. Null in
      // entries written before it was kept, and in network's directory log.
      holderPartner: text('holder_partner'),
    },
    (table) => [index('disclosures_beneficiary_idx').on(table.beneficiaryId, table.at)],
  );
}
export type DisclosureTable = ReturnType<typeof disclosureTable>;
export type DisclosureRow = DisclosureTable['$inferSelect'];

export interface DisclosureLogOptions {
  /**
   * Whether each entry is kept for the partner whose rows it disclosed (the consent's recorder),
   * and read by that partner's staff alone: so in every partner subgraph, where one partner
   * learns nothing of the people another serves. Network's directory is nobody's rows: its
   * entries are read by every partner linked to the person.
   */
  perHolder: boolean;
}

export class DisclosureLog {
  /** `facet` is the data category the subgraph's person facet discloses, for example `housing`. */
  constructor(
    private readonly db: Db<Record<string, unknown>>,
    private readonly table: DisclosureTable,
    private readonly facet: string,
    private readonly options: DisclosureLogOptions = { perHolder: true },
  ) {}

  /** A per-request recorder: `record()` calls of one tick become one insert. */
  forRequest(viewer: Viewer, requestId: string) {
    const loader = new DataLoader<
      { beneficiaryId: string; fields: readonly string[]; grant: AccessGrant },
      true,
      string
    >(
      async (entries) => {
        await this.db.insert(this.table).values(
          entries.map(({ beneficiaryId, fields, grant }) => ({
            beneficiaryId,
            facet: this.facet,
            fields: [...fields],
            viewerSub: viewer.sub,
            viewerRole: viewer.role,
            viewerPartner: viewer.partner,
            purpose: grant.purpose,
            consentId: grant.consentId,
            requestId,
            holderPartner: this.options.perHolder ? grant.recordedBy : null,
          })),
        );
        return entries.map(() => true as const);
      },
      {
        cacheKeyFn: (entry) =>
          `${entry.beneficiaryId}:${entry.grant.consentId}:${entry.fields.join(',')}`,
        maxBatchSize: 1000,
      },
    );
    // A partner reads the entries about its own rows, and those written before holders were kept.
    const reader = this.options.perHolder ? (viewer.partner ?? '') : null;
    const about = groupLoader(
      (ids: readonly string[]) => this.aboutMany(ids, reader),
      (row) => row.beneficiaryId,
    );
    return {
      /**
       * Logs that `fields` of the facet about a person are disclosed under `grants`, one entry
       * per consent (`disclosedFields`); none for no consent (the viewer's own rows).
       */
      record: async (
        beneficiaryId: string,
        grants: AccessGrant | readonly AccessGrant[],
        fields: readonly string[],
      ): Promise<void> => {
        const under = Array.isArray(grants) ? grants : [grants as AccessGrant];
        await Promise.all(under.map((grant) => loader.load({ beneficiaryId, fields, grant })));
      },
      /** The latest entries of what this subgraph disclosed about a person, most recent first. */
      about: (beneficiaryId: string) => about.load(beneficiaryId),
    };
  }

  /**
   * What this subgraph disclosed about each of several people, the latest `MAX_ENTRIES_PER_PERSON`
   * of each, in one statement (for a loader): only those leave the database, however often a
   * person was read.
   */
  async aboutMany(
    beneficiaryIds: readonly string[],
    holder: string | null = null,
  ): Promise<DisclosureRow[]> {
    const { at, beneficiaryId, holderPartner, id } = this.table;
    const held = holder === null ? undefined : or(isNull(holderPartner), eq(holderPartner, holder));
    const latest = this.db
      .select({
        ...getTableColumns(this.table),
        // Entries of one request share their instant: the id breaks the tie, the same each time.
        rank: sql`row_number() over (partition by ${beneficiaryId} order by ${at} desc, ${id} desc)`
          .mapWith(Number)
          .as('rank'),
      })
      .from(this.table)
      .where(and(inArray(beneficiaryId, [...beneficiaryIds]), held))
      .as('latest');
    const rows = await this.db
      .select()
      .from(latest)
      .where(lte(latest.rank, MAX_ENTRIES_PER_PERSON))
      .orderBy(desc(latest.at), desc(latest.id));
    return rows.map(({ rank: _rank, ...row }) => row);
  }
}
