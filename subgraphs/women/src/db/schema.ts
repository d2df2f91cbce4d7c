// The women's networks' operations: the workshops they run (directory courses of kind WORKSHOP),
// sessions, participations with childcare, attendance, safe-contact preferences and the internal
// vulnerability factors. Every row belongs to one served network; people are referenced by their
// pseudonymous network id only, and erasing a person deletes their rows (cascades stay inside
// this schema).
import { disclosureTable } from '@passerelle/service';
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** The women's networks (partners of the network directory) this subgraph serves. */
export const womenNetworks = pgTable('women_networks', {
  partnerId: text('partner_id').primaryKey(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A directory course of kind WORKSHOP run by one network, with its childcare arrangements. */
export const workshops = pgTable(
  'workshops',
  {
    courseId: uuid('course_id').primaryKey(),
    networkId: text('network_id')
      .notNull()
      .references(() => womenNetworks.partnerId, { onDelete: 'cascade' }),
    childcareAvailable: boolean('childcare_available').notNull(),
    /** How many children can be looked after during a session. */
    childcarePlaces: integer('childcare_places').notNull(),
    /** The facilitator's display name (a first name or a pseudonym, never a full identity). */
    facilitator: text('facilitator').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('workshops_network_idx').on(t.networkId),
    // Lets participations reference (workshop, network) so their network can never disagree.
    unique('workshops_course_network_uq').on(t.courseId, t.networkId),
    check(
      'workshops_childcare_places',
      sql`${t.childcarePlaces} >= 0 and (${t.childcareAvailable} or ${t.childcarePlaces} = 0)`,
    ),
  ],
);

export const workshopSessions = pgTable(
  'workshop_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workshopId: uuid('workshop_id')
      .notNull()
      .references(() => workshops.courseId, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    theme: text('theme').notNull(),
  },
  (t) => [
    index('workshop_sessions_workshop_idx').on(t.workshopId, t.startsAt),
    check('workshop_sessions_order', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

export const participationStatuses = ['REGISTERED', 'ATTENDING', 'COMPLETED', 'WITHDRAWN'] as const;
export type ParticipationStatus = (typeof participationStatuses)[number];

export const participations = pgTable(
  'participations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workshopId: uuid('workshop_id').notNull(),
    // The workshop's network, repeated so that access filters need no join (and kept equal to
    // the workshop's by the composite foreign key below).
    networkId: text('network_id').notNull(),
    // Pseudonymous network id; erasing the person deletes her participations.
    beneficiaryId: uuid('beneficiary_id').notNull(),
    registeredOn: date('registered_on', { mode: 'string' })
      .notNull()
      .default(sql`current_date`),
    status: text('status').$type<ParticipationStatus>().notNull(),
    childcareNeeded: boolean('childcare_needed').notNull(),
    childrenCount: integer('children_count').notNull(),
    registeredBy: text('registered_by').notNull(),
    // The network referral she was registered from (owned by network, hence no foreign key);
    // null when she was registered directly.
    referralId: uuid('referral_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'participations_workshop_fk',
      columns: [t.workshopId, t.networkId],
      foreignColumns: [workshops.courseId, workshops.networkId],
    }).onDelete('cascade'),
    uniqueIndex('participations_workshop_beneficiary_uq').on(t.workshopId, t.beneficiaryId),
    index('participations_beneficiary_idx').on(t.beneficiaryId),
    index('participations_workshop_status_idx').on(t.workshopId, t.status),
    check(
      'participations_status',
      sql`${t.status} in ('REGISTERED', 'ATTENDING', 'COMPLETED', 'WITHDRAWN')`,
    ),
    check(
      'participations_children',
      sql`(${t.childcareNeeded} and ${t.childrenCount} between 1 and 10) or (not ${t.childcareNeeded} and ${t.childrenCount} = 0)`,
    ),
  ],
);

export const sessionAttendance = pgTable(
  'session_attendance',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => workshopSessions.id, { onDelete: 'cascade' }),
    participationId: uuid('participation_id')
      .notNull()
      .references(() => participations.id, { onDelete: 'cascade' }),
    present: boolean('present').notNull(),
    /** Whether her children were looked after during this session. */
    childcareUsed: boolean('childcare_used').notNull().default(false),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'session_attendance_pk', columns: [t.sessionId, t.participationId] }),
    index('session_attendance_participation_idx').on(t.participationId),
  ],
);

export const contactChannels = ['PHONE_CALL', 'SMS', 'WHATSAPP', 'EMAIL', 'IN_PERSON'] as const;
export type ContactChannel = (typeof contactChannels)[number];

/**
 * How and when it is safe to contact a woman. Sensitive: disclosed only to the staff of the
 * network that recorded it.
 */
export const safeContactPreferences = pgTable(
  'safe_contact_preferences',
  {
    networkId: text('network_id')
      .notNull()
      .references(() => womenNetworks.partnerId, { onDelete: 'cascade' }),
    beneficiaryId: uuid('beneficiary_id').notNull(),
    channel: text('channel').$type<ContactChannel>().notNull(),
    /** When contact is safe, in the staff's words, for example `mardi et jeudi 10h–12h`. */
    allowedTimeWindows: text('allowed_time_windows'),
    noVoicemail: boolean('no_voicemail').notNull(),
    /** Never name the association (in a message, a caller id, an envelope). */
    discreetSender: boolean('discreet_sender').notNull(),
    /** A word agreed with her, to make sure she can talk freely. */
    codeWord: text('code_word'),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'safe_contact_preferences_pk', columns: [t.networkId, t.beneficiaryId] }),
    index('safe_contact_preferences_beneficiary_idx').on(t.beneficiaryId),
    check(
      'safe_contact_preferences_channel',
      sql`${t.channel} in ('PHONE_CALL', 'SMS', 'WHATSAPP', 'EMAIL', 'IN_PERSON')`,
    ),
  ],
);

export const vulnerabilityKinds = ['SOCIAL', 'DIGITAL', 'GENDER'] as const;
export type VulnerabilityKind = (typeof vulnerabilityKinds)[number];

/**
 * Internal data of the network: which kinds of vulnerability a woman cumulates, as assessed by
 * its staff to adapt the support. Deliberately absent from the GraphQL schema.
 */
export const vulnerabilityFactors = pgTable(
  'vulnerability_factors',
  {
    networkId: text('network_id')
      .notNull()
      .references(() => womenNetworks.partnerId, { onDelete: 'cascade' }),
    beneficiaryId: uuid('beneficiary_id').notNull(),
    kind: text('kind').$type<VulnerabilityKind>().notNull(),
    notedOn: date('noted_on', { mode: 'string' }).notNull(),
    notedBy: text('noted_by').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'vulnerability_factors_pk',
      columns: [t.networkId, t.beneficiaryId, t.kind],
    }),
    index('vulnerability_factors_beneficiary_idx').on(t.beneficiaryId),
    check('vulnerability_factors_kind', sql`${t.kind} in ('SOCIAL', 'DIGITAL', 'GENDER')`),
  ],
);

/** Every disclosure of a woman's facet to a viewer outside her network, under a consent (never the values). */
export const disclosures = disclosureTable();

export type WomenNetworkRow = typeof womenNetworks.$inferSelect;
export type WorkshopRow = typeof workshops.$inferSelect;
export type WorkshopSessionRow = typeof workshopSessions.$inferSelect;
export type ParticipationRow = typeof participations.$inferSelect;
export type SessionAttendanceRow = typeof sessionAttendance.$inferSelect;
export type SafeContactRow = typeof safeContactPreferences.$inferSelect;
export type VulnerabilityFactorRow = typeof vulnerabilityFactors.$inferSelect;
