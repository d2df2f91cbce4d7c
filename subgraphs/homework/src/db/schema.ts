// The homework schools' operations: the clubs and admin-help courses they run, pupils and their
// guardian's consent, club memberships, teenage tutors, sessions with presence, and visits of
// adults helped with online procedures. People are referenced by their pseudonymous network id
// only; erasing one person deletes their rows here (cascading to memberships and presence).
import { disclosureTable } from '@passerelle/service';
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  pgTable,
  primaryKey,
  smallint,
  text,
  time,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** A partner this subgraph serves (a homework school); every other row belongs to one. */
export const homeworkSchools = pgTable('homework_schools', {
  partnerId: text('partner_id').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A directory course of kind HOMEWORK_CLUB that one school runs. */
export const clubs = pgTable(
  'clubs',
  {
    courseId: uuid('course_id').primaryKey(),
    schoolId: text('school_id')
      .notNull()
      .references(() => homeworkSchools.partnerId, { onDelete: 'cascade' }),
    level: text('level').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('clubs_school_idx').on(t.schoolId),
    check('clubs_level_valid', sql`${t.level} in ('PRIMARY', 'SECONDARY')`),
  ],
);

/** A weekly time slot of a club, in Brussels local time. */
export const clubSlots = pgTable(
  'club_slots',
  {
    clubId: uuid('club_id')
      .notNull()
      .references(() => clubs.courseId, { onDelete: 'cascade' }),
    /** ISO weekday: 1 is Monday, 7 is Sunday. */
    weekday: smallint('weekday').notNull(),
    startsAt: time('starts_at').notNull(),
    endsAt: time('ends_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'club_slots_pk', columns: [t.clubId, t.weekday, t.startsAt] }),
    check('club_slots_weekday_range', sql`${t.weekday} between 1 and 7`),
    check('club_slots_order', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/** A directory course of kind ADMIN_HELP that one school runs for adults. */
export const adminHelpCourses = pgTable(
  'admin_help_courses',
  {
    courseId: uuid('course_id').primaryKey(),
    schoolId: text('school_id')
      .notNull()
      .references(() => homeworkSchools.partnerId, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('admin_help_courses_school_idx').on(t.schoolId)],
);

/**
 * A child helped by one school, with the guardian who consented to the enrollment. The guardian
 * is a network id when the directory knows them, otherwise a name; either may be emptied when
 * the guardian asks for erasure, while the consent evidence (date, method) stays.
 */
export const pupils = pgTable(
  'pupils',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: text('school_id')
      .notNull()
      .references(() => homeworkSchools.partnerId, { onDelete: 'cascade' }),
    beneficiaryId: uuid('beneficiary_id').notNull(),
    grade: text('grade').notNull(),
    /** The school year the grade is for, for example `2026-2027`. */
    schoolYear: text('school_year').notNull(),
    guardianBeneficiaryId: uuid('guardian_beneficiary_id'),
    guardianName: text('guardian_name'),
    guardianRelation: text('guardian_relation').notNull(),
    guardianConsentGivenOn: date('guardian_consent_given_on', { mode: 'string' }).notNull(),
    guardianConsentMethod: text('guardian_consent_method').notNull(),
    guardianConsentRecordedBy: text('guardian_consent_recorded_by').notNull(),
    guardianConsentWithdrawnOn: date('guardian_consent_withdrawn_on', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('pupils_school_beneficiary_uq').on(t.schoolId, t.beneficiaryId),
    index('pupils_beneficiary_idx').on(t.beneficiaryId),
    index('pupils_guardian_idx').on(t.guardianBeneficiaryId),
    check(
      'pupils_grade_valid',
      sql`${t.grade} in ('P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6')`,
    ),
    check(
      'pupils_guardian_relation_valid',
      sql`${t.guardianRelation} in ('MOTHER', 'FATHER', 'GRANDPARENT', 'SIBLING', 'AUNT_UNCLE', 'LEGAL_GUARDIAN', 'FOSTER_PARENT', 'OTHER')`,
    ),
    check(
      'pupils_consent_method_valid',
      sql`${t.guardianConsentMethod} in ('WRITTEN', 'ORAL_ATTESTED', 'DIGITAL')`,
    ),
    check(
      'pupils_consent_withdrawal_order',
      sql`${t.guardianConsentWithdrawnOn} is null or ${t.guardianConsentWithdrawnOn} >= ${t.guardianConsentGivenOn}`,
    ),
  ],
);

/** A pupil's place in a club; a pupil who left and came back has two memberships. */
export const clubMemberships = pgTable(
  'club_memberships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clubId: uuid('club_id')
      .notNull()
      .references(() => clubs.courseId, { onDelete: 'cascade' }),
    pupilId: uuid('pupil_id')
      .notNull()
      .references(() => pupils.id, { onDelete: 'cascade' }),
    joinedOn: date('joined_on', { mode: 'string' }).notNull(),
    leftOn: date('left_on', { mode: 'string' }),
    enrolledBy: text('enrolled_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // At most one open membership per pupil and club.
    uniqueIndex('club_memberships_open_uq')
      .on(t.clubId, t.pupilId)
      .where(sql`${t.leftOn} is null`),
    index('club_memberships_pupil_idx').on(t.pupilId),
    check('club_memberships_order', sql`${t.leftOn} is null or ${t.leftOn} >= ${t.joinedOn}`),
  ],
);

/** A teenage volunteer who tutors; only a display name, and a network id when they have one. */
export const tutors = pgTable(
  'tutors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: text('school_id')
      .notNull()
      .references(() => homeworkSchools.partnerId, { onDelete: 'cascade' }),
    displayName: text('display_name').notNull(),
    beneficiaryId: uuid('beneficiary_id'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('tutors_school_idx').on(t.schoolId),
    index('tutors_beneficiary_idx').on(t.beneficiaryId),
  ],
);

/** One afternoon of a club; the tutor is emptied when the tutor's record is erased. */
export const clubSessions = pgTable(
  'club_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clubId: uuid('club_id')
      .notNull()
      .references(() => clubs.courseId, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    tutorId: uuid('tutor_id').references(() => tutors.id, { onDelete: 'set null' }),
    topic: text('topic').notNull(),
  },
  (t) => [
    index('club_sessions_club_idx').on(t.clubId, t.startsAt),
    index('club_sessions_tutor_idx').on(t.tutorId),
    check('club_sessions_order', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/** Whether a pupil came to a session. */
export const sessionPresence = pgTable(
  'session_presence',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => clubSessions.id, { onDelete: 'cascade' }),
    pupilId: uuid('pupil_id')
      .notNull()
      .references(() => pupils.id, { onDelete: 'cascade' }),
    present: boolean('present').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'session_presence_pk', columns: [t.sessionId, t.pupilId] }),
    index('session_presence_pupil_idx').on(t.pupilId),
  ],
);

/**
 * An adult helped with one online procedure. Only a category and an outcome: no free text, so
 * nothing about the person's situation is written down.
 */
export const adminHelpVisits = pgTable(
  'admin_help_visits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: text('school_id')
      .notNull()
      .references(() => homeworkSchools.partnerId, { onDelete: 'cascade' }),
    courseId: uuid('course_id')
      .notNull()
      .references(() => adminHelpCourses.courseId, { onDelete: 'cascade' }),
    beneficiaryId: uuid('beneficiary_id').notNull(),
    visitedOn: date('visited_on', { mode: 'string' }).notNull(),
    category: text('category').notNull(),
    outcome: text('outcome').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The same procedure for the same person on the same day is one visit (retries are safe).
    uniqueIndex('admin_help_visits_once_uq').on(
      t.courseId,
      t.beneficiaryId,
      t.visitedOn,
      t.category,
    ),
    index('admin_help_visits_beneficiary_idx').on(t.beneficiaryId, t.visitedOn),
    check(
      'admin_help_visits_category_valid',
      sql`${t.category} in ('SCHOOL_ENROLMENT', 'SOCIAL_SECURITY', 'TAXES', 'BANKING', 'HOUSING', 'OTHER')`,
    ),
    check(
      'admin_help_visits_outcome_valid',
      sql`${t.outcome} in ('DONE', 'FOLLOW_UP', 'REFERRED')`,
    ),
  ],
);

/**
 * Every disclosure of a person's homework facet to a viewer outside the schools, under a consent
 * (never the values).
 */
export const disclosures = disclosureTable();

export type HomeworkSchoolRow = typeof homeworkSchools.$inferSelect;
export type ClubRow = typeof clubs.$inferSelect;
export type ClubSlotRow = typeof clubSlots.$inferSelect;
export type AdminHelpCourseRow = typeof adminHelpCourses.$inferSelect;
export type PupilRow = typeof pupils.$inferSelect;
export type ClubMembershipRow = typeof clubMemberships.$inferSelect;
export type TutorRow = typeof tutors.$inferSelect;
export type ClubSessionRow = typeof clubSessions.$inferSelect;
export type SessionPresenceRow = typeof sessionPresence.$inferSelect;
export type AdminHelpVisitRow = typeof adminHelpVisits.$inferSelect;
