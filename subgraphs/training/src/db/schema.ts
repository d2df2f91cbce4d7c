// The training association's operations: which directory courses it runs, their sessions,
// enrollments, attendance and DigComp assessments. Every row is scoped by the training partner.
// The disclosure log records what was shown to other partners under a consent.
import { disclosureTable } from '@passerelle/service';
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** The training partners (network partners of kind TRAINING) this subgraph serves. */
export const trainingPartners = pgTable('training_partners', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A directory course (owned by network) that this subgraph runs for one training partner. */
export const courseOffers = pgTable(
  'course_offers',
  {
    courseId: uuid('course_id').primaryKey(),
    partnerId: text('partner_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('course_offers_partner_idx').on(t.partnerId)],
);

export const courseSessions = pgTable(
  'course_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courseId: uuid('course_id')
      .notNull()
      .references(() => courseOffers.courseId, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    topic: text('topic').notNull(),
    trainer: text('trainer').notNull(),
  },
  (t) => [
    index('course_sessions_course_idx').on(t.courseId, t.startsAt),
    check('course_sessions_order', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

export const enrollments = pgTable(
  'enrollments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courseId: uuid('course_id')
      .notNull()
      .references(() => courseOffers.courseId, { onDelete: 'cascade' }),
    // Pseudonymous network id; erasing the person deletes their enrollments.
    beneficiaryId: uuid('beneficiary_id').notNull(),
    partnerId: text('partner_id').notNull(),
    status: text('status').notNull(),
    enrolledBy: text('enrolled_by').notNull(),
    // The network referral the person was enrolled from, when there was one.
    referralId: uuid('referral_id'),
    enrolledAt: timestamp('enrolled_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('enrollments_course_beneficiary_uq').on(t.courseId, t.beneficiaryId),
    index('enrollments_beneficiary_idx').on(t.beneficiaryId),
    index('enrollments_course_status_idx').on(t.courseId, t.status),
  ],
);

export const attendance = pgTable(
  'attendance',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => courseSessions.id, { onDelete: 'cascade' }),
    beneficiaryId: uuid('beneficiary_id').notNull(),
    present: boolean('present').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'attendance_pk', columns: [t.sessionId, t.beneficiaryId] }),
    index('attendance_beneficiary_idx').on(t.beneficiaryId),
  ],
);

export const assessments = pgTable(
  'digcomp_assessments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    beneficiaryId: uuid('beneficiary_id').notNull(),
    partnerId: text('partner_id').notNull(),
    frameworkVersion: text('framework_version').notNull(),
    competence: text('competence').notNull(),
    level: integer('level').notNull(),
    method: text('method').notNull(),
    assessedOn: date('assessed_on', { mode: 'string' }).notNull(),
    assessedBy: text('assessed_by').notNull(),
  },
  (t) => [
    index('digcomp_assessments_beneficiary_idx').on(t.beneficiaryId, t.assessedOn),
    check('digcomp_assessments_level_range', sql`${t.level} between 1 and 8`),
  ],
);

/** Every disclosure of a person's training facet to another partner (DESIGN.md §4.5). */
export const disclosures = disclosureTable();

export type TrainingPartnerRow = typeof trainingPartners.$inferSelect;
export type CourseOfferRow = typeof courseOffers.$inferSelect;
export type CourseSessionRow = typeof courseSessions.$inferSelect;
export type EnrollmentRow = typeof enrollments.$inferSelect;
export type AttendanceRow = typeof attendance.$inferSelect;
export type AssessmentRow = typeof assessments.$inferSelect;
