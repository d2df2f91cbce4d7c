// The network directory: who exists, which partner knows whom, the offer directory and
// referrals. Case data stays with the partners.
import { disclosureTable } from '@passerelle/service';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  type AnyPgColumn,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export interface DigCompProgress {
  /** A DigComp 2.2 competence, for example `1.1`. */
  competence: string;
  fromLevel: number | null;
  toLevel: number;
}

export const partners = pgTable(
  'partners',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    responseDeadlineDays: integer('response_deadline_days').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('partners_deadline_positive', sql`${t.responseDeadlineDays} > 0`)],
);

export const sites = pgTable(
  'sites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    street: text('street').notNull(),
    postalCode: text('postal_code').notNull(),
    municipality: text('municipality').notNull(),
  },
  (t) => [
    index('sites_partner_idx').on(t.partnerId),
    index('sites_municipality_idx').on(t.municipality),
  ],
);

export const beneficiaries = pgTable(
  'beneficiaries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    birthYear: integer('birth_year'),
    preferredLanguages: text('preferred_languages')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    municipality: text('municipality'),
    registeredBy: text('registered_by')
      .notNull()
      .references(() => partners.id, { onDelete: 'restrict' }),
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull().defaultNow(),
    /** The registering app's idempotency key: a retried registration returns this person. */
    idempotencyKey: text('idempotency_key'),
    /** SHA-256 of the registration's input, to refuse a reused key with a different input. */
    payloadHash: text('payload_hash'),
  },
  (t) => [
    index('beneficiaries_name_idx').on(t.familyName, t.givenName, t.id),
    index('beneficiaries_registered_by_idx').on(t.registeredBy),
    uniqueIndex('beneficiaries_idempotency_idx').on(t.registeredBy, t.idempotencyKey),
  ],
);

/** Which partners know a person, and on what basis. Erasing a person removes their links. */
export const beneficiaryLinks = pgTable(
  'beneficiary_links',
  {
    beneficiaryId: uuid('beneficiary_id')
      .notNull()
      .references(() => beneficiaries.id, { onDelete: 'cascade' }),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    basis: text('basis').notNull(),
    since: timestamp('since', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'beneficiary_links_pk', columns: [t.beneficiaryId, t.partnerId] }),
    index('beneficiary_links_partner_idx').on(t.partnerId),
  ],
);

export const courses = pgTable(
  'courses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'restrict' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    languages: text('languages').array().notNull(),
    audience: text('audience').notNull(),
    siteId: uuid('site_id').references(() => sites.id, { onDelete: 'set null' }),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    schedule: text('schedule').notNull(),
    capacity: integer('capacity').notNull(),
    publishedBy: text('published_by').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('courses_partner_idx').on(t.partnerId),
    index('courses_starts_idx').on(t.startsOn, t.id),
    index('courses_languages_idx').using('gin', t.languages),
    check('courses_capacity_positive', sql`${t.capacity} > 0`),
    check('courses_dates_ordered', sql`${t.endsOn} >= ${t.startsOn}`),
  ],
);

export const referrals = pgTable(
  'referrals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fromPartnerId: text('from_partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'restrict' }),
    toPartnerId: text('to_partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'restrict' }),
    // Null once the person has been erased: the referral stays for the network's figures.
    beneficiaryId: uuid('beneficiary_id').references(() => beneficiaries.id, {
      onDelete: 'set null',
    }),
    courseId: uuid('course_id').references(() => courses.id, { onDelete: 'set null' }),
    reason: text('reason').notNull(),
    status: text('status').notNull(),
    sentBy: text('sent_by').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    respondBy: timestamp('respond_by', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
    /** Why it was declined or failed: one of the reason codes; null otherwise. */
    reasonCode: text('reason_code'),
    /** What came of a completed referral, in the receiver's words. */
    outcome: text('outcome'),
    /** DigComp levels reached by a completed referral: `[{ competence, fromLevel, toLevel }]`. */
    digCompProgress: jsonb('digcomp_progress').$type<DigCompProgress[]>().notNull().default([]),
    // The milestones of the funnel, copied from the history when they happen, so that the
    // coordinators' figures are one scan of this table, never a join over the events.
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    /** When it reached a final state (declined, completed, failed, withdrawn, expired). */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** The sender's idempotency key: a retried creation returns the first referral. */
    idempotencyKey: text('idempotency_key'),
    /** SHA-256 of the creation payload, to refuse a reused key with a different payload. */
    payloadHash: text('payload_hash'),
    /**
     * The person's consent to disclose to the receiver, recorded with the referral. It ends when
     * the referral does without the receiver taking the person on (declined, withdrawn, expired).
     */
    consentId: uuid('consent_id').references((): AnyPgColumn => consents.id, {
      onDelete: 'set null',
    }),
  },
  (t) => [
    uniqueIndex('referrals_idempotency_idx').on(t.fromPartnerId, t.idempotencyKey),
    index('referrals_from_sent_idx').on(t.fromPartnerId, t.sentAt),
    index('referrals_to_sent_idx').on(t.toPartnerId, t.sentAt),
    index('referrals_status_idx').on(t.status, t.respondBy),
    // The figures that count referrals in some states only (the reasons of declines and
    // failures, the backlog of expired and unanswered ones): the period's referrals in those
    // states, a fifth of the period, read from the index alone.
    index('referrals_status_sent_idx').on(
      t.status,
      t.sentAt,
      t.toPartnerId,
      t.reasonCode,
      t.respondBy,
    ),
    index('referrals_beneficiary_idx').on(t.beneficiaryId),
    // Erasing a person deletes their consents, which clears this column: found by index.
    index('referrals_consent_idx').on(t.consentId),
    // The coordinators' figures: every referral sent in a period, across partners, with every
    // column the figures read, so that a period is counted from the index alone (an index-only
    // scan reads a fifth of the pages the table holds for the same referrals).
    index('referrals_figures_idx').on(
      t.sentAt,
      t.fromPartnerId,
      t.toPartnerId,
      t.status,
      t.reasonCode,
      t.respondBy,
      t.acknowledgedAt,
      t.acceptedAt,
      t.closedAt,
    ),
  ],
);

/**
 * One row counting the changes to `referrals`: triggers (migrations 0004 and 0012) add one in the
 * transaction of every statement that changes a referral, creating the row on the first change
 * (no row is version 0), so a figure computed at version n stays true until the version moves
 * (`repositories/figures.ts` keeps answers per version). The generation is drawn anew when the
 * row is created and when the referrals are truncated: versions of two generations are not
 * comparable, and no change between them is in `referral_figure_changes`.
 */
export const referralFiguresVersion = pgTable(
  'referral_figures_version',
  {
    only: boolean('only').primaryKey().default(true),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
    generation: uuid('generation').notNull().defaultRandom(),
  },
  (t) => [check('referral_figures_version_one_row', sql`${t.only}`)],
);

/**
 * What each version changed in the figures: for every referral a statement inserted (`sign` 1),
 * deleted (-1) or changed in a column the figures count (-1 for the row before, 1 for the row
 * after), the columns the funnels read, written by the same triggers in the same transaction. A
 * figure kept at version n is brought up to date from the rows after n (ADR 0009). The triggers
 * keep the last 10,000 versions (migration 0012).
 */
export const referralFigureChanges = pgTable(
  'referral_figure_changes',
  {
    version: bigint('version', { mode: 'number' }).notNull(),
    sign: smallint('sign').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    fromPartnerId: text('from_partner_id').notNull(),
    toPartnerId: text('to_partner_id').notNull(),
    status: text('status').notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [index('referral_figure_changes_version_idx').on(t.version)],
);

/** Append-only history of a referral's states. */
export const referralEvents = pgTable(
  'referral_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** The referral's version this change produced: 1 for the creation, then one more each. */
    version: integer('version').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    actor: text('actor').notNull(),
    actorPartnerId: text('actor_partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'restrict' }),
    note: text('note'),
  },
  (t) => [
    index('referral_events_referral_idx').on(t.referralId, t.at),
    // One event per version: two changes can never both claim the same step.
    uniqueIndex('referral_events_version_idx').on(t.referralId, t.version),
  ],
);

/**
 * A person's consent to share data with one partner: the data categories (partner facet names,
 * `identity`, `contact`), the purpose, how it was given and on which notice. Never deleted by
 * use: withdrawal is recorded and takes effect on the next request; erasing the person removes
 * their consents.
 */
export const consents = pgTable(
  'consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    beneficiaryId: uuid('beneficiary_id')
      .notNull()
      .references(() => beneficiaries.id, { onDelete: 'cascade' }),
    recipientPartnerId: text('recipient_partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    categories: text('categories').array().notNull(),
    purpose: text('purpose').notNull(),
    method: text('method').notNull(),
    noticeVersion: text('notice_version').notNull(),
    noticeLanguage: text('notice_language').notNull(),
    recordedBySub: text('recorded_by_sub').notNull(),
    recordedByPartnerId: text('recorded_by_partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'restrict' }),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnBySub: text('withdrawn_by_sub'),
    /** The recording app's idempotency key: a retried recording returns this consent. */
    idempotencyKey: text('idempotency_key'),
    /** SHA-256 of the recording's input, to refuse a reused key with a different input. */
    payloadHash: text('payload_hash'),
  },
  (t) => [
    index('consents_beneficiary_idx').on(t.beneficiaryId),
    uniqueIndex('consents_idempotency_idx').on(t.recordedByPartnerId, t.idempotencyKey),
    index('consents_recipient_idx').on(t.recipientPartnerId, t.beneficiaryId),
    check('consents_purpose_check', sql`${t.purpose} in ('REFERRAL', 'FOLLOW_UP', 'COORDINATION')`),
    check('consents_method_check', sql`${t.method} in ('WRITTEN', 'ORAL_ATTESTED', 'DIGITAL')`),
  ],
);

/**
 * What the directory disclosed of a person to a viewer whose partner is not linked to them (under
 * a consent naming that partner, or a coordination consent): who, which fields, under which
 * consent, in which request; never the values.
 */
export const disclosures = disclosureTable();

export type ConsentRow = typeof consents.$inferSelect;
export type PartnerRow = typeof partners.$inferSelect;
export type SiteRow = typeof sites.$inferSelect;
export type BeneficiaryRow = typeof beneficiaries.$inferSelect;
export type BeneficiaryLinkRow = typeof beneficiaryLinks.$inferSelect;
export type CourseRow = typeof courses.$inferSelect;
export type ReferralRow = typeof referrals.$inferSelect;
export type ReferralEventRow = typeof referralEvents.$inferSelect;
