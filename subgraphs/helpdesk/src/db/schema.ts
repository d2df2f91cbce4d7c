// What the public digital help desks record: the help desks this subgraph serves, their weekly
// drop-in sessions at network sites, and the visits people make to them. A visit is anonymous
// (no person, only counted) or linked to a person by their pseudonymous network id; a person is
// erased by clearing the person and note of their visits, which turns them anonymous and keeps
// the counts true.
import { disclosureTable } from '@passerelle/service';
import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  pgTable,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

/** What a person came with to a drop-in session (`HelpdeskTopic` in the schema). */
export const VISIT_TOPICS = [
  'ONLINE_BANKING',
  'E_GOVERNMENT_FORMS',
  'EMAIL',
  'SMARTPHONE_BASICS',
  'JOB_SEARCH',
  'SCHOOL_PLATFORMS',
  'HEALTH_AND_INSURANCE',
  'OTHER',
] as const;
export type VisitTopic = (typeof VISIT_TOPICS)[number];

/** How a visit ended (`HelpdeskOutcome` in the schema). */
export const VISIT_OUTCOMES = ['SOLVED', 'LEARNED_TO_DO_IT_ALONE', 'REFERRED'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];

const inList = (values: readonly string[]) =>
  sql.raw(values.map((value) => `'${value}'`).join(', '));

/** The help desks of the network directory this subgraph serves. */
export const servedPartners = pgTable('helpdesk_partners', {
  partnerId: text('partner_id').primaryKey(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A weekly drop-in session a help desk holds at a site of the network directory. */
export const dropIns = pgTable(
  'helpdesk_drop_ins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id').notNull(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => servedPartners.partnerId, { onDelete: 'cascade' }),
    /** ISO weekday: 1 = Monday … 7 = Sunday. */
    weekday: smallint('weekday').notNull(),
    /** Brussels wall-clock time, `HH:MM`. */
    opensAt: text('opens_at').notNull(),
    closesAt: text('closes_at').notNull(),
    /** The languages the helpers speak at the session, ISO 639-1 codes. */
    languages: text('languages')
      .array()
      .notNull()
      .default(sql`'{}'`),
  },
  (t) => [
    index('helpdesk_drop_ins_site_idx').on(t.siteId, t.weekday),
    index('helpdesk_drop_ins_partner_idx').on(t.partnerId, t.siteId),
    check('helpdesk_drop_ins_weekday', sql`${t.weekday} between 1 and 7`),
    check('helpdesk_drop_ins_order', sql`${t.opensAt} < ${t.closesAt}`),
  ],
);

/**
 * One visit to a help desk's drop-in session. `beneficiaryId` is null for an anonymous visit,
 * which then carries no note either. `clientKey` makes a retried recording harmless.
 */
export const visits = pgTable(
  'helpdesk_visits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => servedPartners.partnerId, { onDelete: 'cascade' }),
    siteId: uuid('site_id').notNull(),
    beneficiaryId: uuid('beneficiary_id'),
    visitedOn: date('visited_on', { mode: 'string' }).notNull(),
    topic: text('topic').$type<VisitTopic>().notNull(),
    outcome: text('outcome').$type<VisitOutcome>().notNull(),
    /** The DigComp 2.2 competence practised, for example `2.3`. */
    competence: text('competence'),
    /** For the help desk's own staff; linked visits only. */
    note: text('note'),
    clientKey: text('client_key'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('helpdesk_visits_client_key_uq').on(t.partnerId, t.clientKey),
    index('helpdesk_visits_beneficiary_idx').on(t.beneficiaryId, t.visitedOn),
    index('helpdesk_visits_site_idx').on(t.siteId, t.visitedOn),
    check('helpdesk_visits_topic', sql`${t.topic} in (${inList(VISIT_TOPICS)})`),
    check('helpdesk_visits_outcome', sql`${t.outcome} in (${inList(VISIT_OUTCOMES)})`),
    check(
      'helpdesk_visits_anonymous_note',
      sql`${t.beneficiaryId} is not null or ${t.note} is null`,
    ),
  ],
);

/** Every disclosure of the facet to another partner's viewer (DESIGN.md §4.5). */
export const disclosures = disclosureTable();

export type ServedPartnerRow = typeof servedPartners.$inferSelect;
export type DropInRow = typeof dropIns.$inferSelect;
export type NewDropInRow = typeof dropIns.$inferInsert;
export type VisitRow = typeof visits.$inferSelect;
export type NewVisitRow = typeof visits.$inferInsert;
