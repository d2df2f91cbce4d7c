CREATE TABLE "admin_help_courses" (
	"course_id" uuid PRIMARY KEY NOT NULL,
	"school_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "admin_help_visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" text NOT NULL,
	"course_id" uuid NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"visited_on" date NOT NULL,
	"category" text NOT NULL,
	"outcome" text NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admin_help_visits_category_valid" CHECK ("admin_help_visits"."category" in ('SCHOOL_ENROLMENT', 'SOCIAL_SECURITY', 'TAXES', 'BANKING', 'HOUSING', 'OTHER')),
	CONSTRAINT "admin_help_visits_outcome_valid" CHECK ("admin_help_visits"."outcome" in ('DONE', 'FOLLOW_UP', 'REFERRED'))
);
--> statement-breakpoint
CREATE TABLE "club_memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"club_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"joined_on" date NOT NULL,
	"left_on" date,
	"enrolled_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "club_memberships_order" CHECK ("club_memberships"."left_on" is null or "club_memberships"."left_on" >= "club_memberships"."joined_on")
);
--> statement-breakpoint
CREATE TABLE "club_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"club_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"tutor_id" uuid,
	"topic" text NOT NULL,
	CONSTRAINT "club_sessions_order" CHECK ("club_sessions"."ends_at" > "club_sessions"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "club_slots" (
	"club_id" uuid NOT NULL,
	"weekday" smallint NOT NULL,
	"starts_at" time NOT NULL,
	"ends_at" time NOT NULL,
	CONSTRAINT "club_slots_pk" PRIMARY KEY("club_id","weekday","starts_at"),
	CONSTRAINT "club_slots_weekday_range" CHECK ("club_slots"."weekday" between 1 and 7),
	CONSTRAINT "club_slots_order" CHECK ("club_slots"."ends_at" > "club_slots"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "clubs" (
	"course_id" uuid PRIMARY KEY NOT NULL,
	"school_id" text NOT NULL,
	"level" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clubs_level_valid" CHECK ("clubs"."level" in ('PRIMARY', 'SECONDARY'))
);
--> statement-breakpoint
CREATE TABLE "homework_schools" (
	"partner_id" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pupils" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" text NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"grade" text NOT NULL,
	"school_year" text NOT NULL,
	"guardian_beneficiary_id" uuid,
	"guardian_name" text,
	"guardian_relation" text NOT NULL,
	"guardian_consent_given_on" date NOT NULL,
	"guardian_consent_method" text NOT NULL,
	"guardian_consent_recorded_by" text NOT NULL,
	"guardian_consent_withdrawn_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pupils_grade_valid" CHECK ("pupils"."grade" in ('P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6')),
	CONSTRAINT "pupils_guardian_relation_valid" CHECK ("pupils"."guardian_relation" in ('MOTHER', 'FATHER', 'GRANDPARENT', 'SIBLING', 'AUNT_UNCLE', 'LEGAL_GUARDIAN', 'FOSTER_PARENT', 'OTHER')),
	CONSTRAINT "pupils_consent_method_valid" CHECK ("pupils"."guardian_consent_method" in ('WRITTEN', 'ORAL_ATTESTED', 'DIGITAL')),
	CONSTRAINT "pupils_consent_withdrawal_order" CHECK ("pupils"."guardian_consent_withdrawn_on" is null or "pupils"."guardian_consent_withdrawn_on" >= "pupils"."guardian_consent_given_on")
);
--> statement-breakpoint
CREATE TABLE "session_presence" (
	"session_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"present" boolean NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_presence_pk" PRIMARY KEY("session_id","pupil_id")
);
--> statement-breakpoint
CREATE TABLE "tutors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" text NOT NULL,
	"display_name" text NOT NULL,
	"beneficiary_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "admin_help_courses" ADD CONSTRAINT "admin_help_courses_school_id_homework_schools_partner_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."homework_schools"("partner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_help_visits" ADD CONSTRAINT "admin_help_visits_school_id_homework_schools_partner_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."homework_schools"("partner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_help_visits" ADD CONSTRAINT "admin_help_visits_course_id_admin_help_courses_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."admin_help_courses"("course_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "club_memberships" ADD CONSTRAINT "club_memberships_club_id_clubs_course_id_fk" FOREIGN KEY ("club_id") REFERENCES "public"."clubs"("course_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "club_memberships" ADD CONSTRAINT "club_memberships_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "club_sessions" ADD CONSTRAINT "club_sessions_club_id_clubs_course_id_fk" FOREIGN KEY ("club_id") REFERENCES "public"."clubs"("course_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "club_sessions" ADD CONSTRAINT "club_sessions_tutor_id_tutors_id_fk" FOREIGN KEY ("tutor_id") REFERENCES "public"."tutors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "club_slots" ADD CONSTRAINT "club_slots_club_id_clubs_course_id_fk" FOREIGN KEY ("club_id") REFERENCES "public"."clubs"("course_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clubs" ADD CONSTRAINT "clubs_school_id_homework_schools_partner_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."homework_schools"("partner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupils" ADD CONSTRAINT "pupils_school_id_homework_schools_partner_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."homework_schools"("partner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_presence" ADD CONSTRAINT "session_presence_session_id_club_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."club_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_presence" ADD CONSTRAINT "session_presence_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tutors" ADD CONSTRAINT "tutors_school_id_homework_schools_partner_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."homework_schools"("partner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_help_courses_school_idx" ON "admin_help_courses" USING btree ("school_id");--> statement-breakpoint
CREATE UNIQUE INDEX "admin_help_visits_once_uq" ON "admin_help_visits" USING btree ("course_id","beneficiary_id","visited_on","category");--> statement-breakpoint
CREATE INDEX "admin_help_visits_beneficiary_idx" ON "admin_help_visits" USING btree ("beneficiary_id","visited_on");--> statement-breakpoint
CREATE UNIQUE INDEX "club_memberships_open_uq" ON "club_memberships" USING btree ("club_id","pupil_id") WHERE "club_memberships"."left_on" is null;--> statement-breakpoint
CREATE INDEX "club_memberships_pupil_idx" ON "club_memberships" USING btree ("pupil_id");--> statement-breakpoint
CREATE INDEX "club_sessions_club_idx" ON "club_sessions" USING btree ("club_id","starts_at");--> statement-breakpoint
CREATE INDEX "club_sessions_tutor_idx" ON "club_sessions" USING btree ("tutor_id");--> statement-breakpoint
CREATE INDEX "clubs_school_idx" ON "clubs" USING btree ("school_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pupils_school_beneficiary_uq" ON "pupils" USING btree ("school_id","beneficiary_id");--> statement-breakpoint
CREATE INDEX "pupils_beneficiary_idx" ON "pupils" USING btree ("beneficiary_id");--> statement-breakpoint
CREATE INDEX "pupils_guardian_idx" ON "pupils" USING btree ("guardian_beneficiary_id");--> statement-breakpoint
CREATE INDEX "session_presence_pupil_idx" ON "session_presence" USING btree ("pupil_id");--> statement-breakpoint
CREATE INDEX "tutors_school_idx" ON "tutors" USING btree ("school_id");--> statement-breakpoint
CREATE INDEX "tutors_beneficiary_idx" ON "tutors" USING btree ("beneficiary_id");