CREATE TABLE "digcomp_assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"partner_id" text NOT NULL,
	"framework_version" text NOT NULL,
	"competence" text NOT NULL,
	"level" integer NOT NULL,
	"method" text NOT NULL,
	"assessed_on" date NOT NULL,
	"assessed_by" text NOT NULL,
	CONSTRAINT "digcomp_assessments_level_range" CHECK ("digcomp_assessments"."level" between 1 and 8)
);
--> statement-breakpoint
CREATE TABLE "attendance" (
	"session_id" uuid NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"present" boolean NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendance_pk" PRIMARY KEY("session_id","beneficiary_id")
);
--> statement-breakpoint
CREATE TABLE "course_offers" (
	"course_id" uuid PRIMARY KEY NOT NULL,
	"partner_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "course_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"course_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"topic" text NOT NULL,
	"trainer" text NOT NULL,
	CONSTRAINT "course_sessions_order" CHECK ("course_sessions"."ends_at" > "course_sessions"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "enrollments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"course_id" uuid NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"partner_id" text NOT NULL,
	"status" text NOT NULL,
	"enrolled_by" text NOT NULL,
	"enrolled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_sessions" ADD CONSTRAINT "course_sessions_course_id_course_offers_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."course_offers"("course_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_course_id_course_offers_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."course_offers"("course_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "digcomp_assessments_beneficiary_idx" ON "digcomp_assessments" USING btree ("beneficiary_id","assessed_on");--> statement-breakpoint
CREATE INDEX "attendance_beneficiary_idx" ON "attendance" USING btree ("beneficiary_id");--> statement-breakpoint
CREATE INDEX "course_offers_partner_idx" ON "course_offers" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "course_sessions_course_idx" ON "course_sessions" USING btree ("course_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "enrollments_course_beneficiary_uq" ON "enrollments" USING btree ("course_id","beneficiary_id");--> statement-breakpoint
CREATE INDEX "enrollments_beneficiary_idx" ON "enrollments" USING btree ("beneficiary_id");--> statement-breakpoint
CREATE INDEX "enrollments_course_status_idx" ON "enrollments" USING btree ("course_id","status");