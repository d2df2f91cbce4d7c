CREATE TABLE "participations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workshop_id" uuid NOT NULL,
	"network_id" text NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"registered_on" date DEFAULT current_date NOT NULL,
	"status" text NOT NULL,
	"childcare_needed" boolean NOT NULL,
	"children_count" integer NOT NULL,
	"registered_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "participations_status" CHECK ("participations"."status" in ('REGISTERED', 'ATTENDING', 'COMPLETED', 'WITHDRAWN')),
	CONSTRAINT "participations_children" CHECK (("participations"."childcare_needed" and "participations"."children_count" between 1 and 10) or (not "participations"."childcare_needed" and "participations"."children_count" = 0))
);
--> statement-breakpoint
CREATE TABLE "safe_contact_preferences" (
	"network_id" text NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"allowed_time_windows" text,
	"no_voicemail" boolean NOT NULL,
	"discreet_sender" boolean NOT NULL,
	"code_word" text,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "safe_contact_preferences_pk" PRIMARY KEY("network_id","beneficiary_id"),
	CONSTRAINT "safe_contact_preferences_channel" CHECK ("safe_contact_preferences"."channel" in ('PHONE_CALL', 'SMS', 'WHATSAPP', 'EMAIL', 'IN_PERSON'))
);
--> statement-breakpoint
CREATE TABLE "session_attendance" (
	"session_id" uuid NOT NULL,
	"participation_id" uuid NOT NULL,
	"present" boolean NOT NULL,
	"childcare_used" boolean DEFAULT false NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_attendance_pk" PRIMARY KEY("session_id","participation_id")
);
--> statement-breakpoint
CREATE TABLE "vulnerability_factors" (
	"network_id" text NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"noted_on" date NOT NULL,
	"noted_by" text NOT NULL,
	CONSTRAINT "vulnerability_factors_pk" PRIMARY KEY("network_id","beneficiary_id","kind"),
	CONSTRAINT "vulnerability_factors_kind" CHECK ("vulnerability_factors"."kind" in ('SOCIAL', 'DIGITAL', 'GENDER'))
);
--> statement-breakpoint
CREATE TABLE "women_networks" (
	"partner_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workshop_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workshop_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"theme" text NOT NULL,
	CONSTRAINT "workshop_sessions_order" CHECK ("workshop_sessions"."ends_at" > "workshop_sessions"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "workshops" (
	"course_id" uuid PRIMARY KEY NOT NULL,
	"network_id" text NOT NULL,
	"childcare_available" boolean NOT NULL,
	"childcare_places" integer NOT NULL,
	"facilitator" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workshops_course_network_uq" UNIQUE("course_id","network_id"),
	CONSTRAINT "workshops_childcare_places" CHECK ("workshops"."childcare_places" >= 0 and ("workshops"."childcare_available" or "workshops"."childcare_places" = 0))
);
--> statement-breakpoint
ALTER TABLE "participations" ADD CONSTRAINT "participations_workshop_fk" FOREIGN KEY ("workshop_id","network_id") REFERENCES "public"."workshops"("course_id","network_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safe_contact_preferences" ADD CONSTRAINT "safe_contact_preferences_network_id_women_networks_partner_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."women_networks"("partner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_attendance" ADD CONSTRAINT "session_attendance_session_id_workshop_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."workshop_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_attendance" ADD CONSTRAINT "session_attendance_participation_id_participations_id_fk" FOREIGN KEY ("participation_id") REFERENCES "public"."participations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vulnerability_factors" ADD CONSTRAINT "vulnerability_factors_network_id_women_networks_partner_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."women_networks"("partner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workshop_sessions" ADD CONSTRAINT "workshop_sessions_workshop_id_workshops_course_id_fk" FOREIGN KEY ("workshop_id") REFERENCES "public"."workshops"("course_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workshops" ADD CONSTRAINT "workshops_network_id_women_networks_partner_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."women_networks"("partner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "participations_workshop_beneficiary_uq" ON "participations" USING btree ("workshop_id","beneficiary_id");--> statement-breakpoint
CREATE INDEX "participations_beneficiary_idx" ON "participations" USING btree ("beneficiary_id");--> statement-breakpoint
CREATE INDEX "participations_workshop_status_idx" ON "participations" USING btree ("workshop_id","status");--> statement-breakpoint
CREATE INDEX "safe_contact_preferences_beneficiary_idx" ON "safe_contact_preferences" USING btree ("beneficiary_id");--> statement-breakpoint
CREATE INDEX "session_attendance_participation_idx" ON "session_attendance" USING btree ("participation_id");--> statement-breakpoint
CREATE INDEX "vulnerability_factors_beneficiary_idx" ON "vulnerability_factors" USING btree ("beneficiary_id");--> statement-breakpoint
CREATE INDEX "workshop_sessions_workshop_idx" ON "workshop_sessions" USING btree ("workshop_id","starts_at");--> statement-breakpoint
CREATE INDEX "workshops_network_idx" ON "workshops" USING btree ("network_id");