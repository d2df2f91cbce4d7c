CREATE TABLE "helpdesk_course_notes" (
	"course_id" uuid PRIMARY KEY NOT NULL,
	"partner_id" text NOT NULL,
	"note" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disclosures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"facet" text NOT NULL,
	"viewer_sub" text NOT NULL,
	"viewer_role" text NOT NULL,
	"viewer_partner" text,
	"purpose" text NOT NULL,
	"consent_id" uuid NOT NULL,
	"request_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "helpdesk_follow_ups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partner_id" text NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"started_on" date NOT NULL,
	"note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "helpdesk_follow_ups_person_uq" UNIQUE("beneficiary_id","partner_id")
);
--> statement-breakpoint
CREATE TABLE "helpdesk_partners" (
	"partner_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "helpdesk_site_hours" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"partner_id" text NOT NULL,
	"weekday" smallint NOT NULL,
	"opens_at" text NOT NULL,
	"closes_at" text NOT NULL,
	CONSTRAINT "helpdesk_site_hours_weekday" CHECK ("helpdesk_site_hours"."weekday" between 1 and 7),
	CONSTRAINT "helpdesk_site_hours_order" CHECK ("helpdesk_site_hours"."opens_at" < "helpdesk_site_hours"."closes_at")
);
--> statement-breakpoint
ALTER TABLE "helpdesk_course_notes" ADD CONSTRAINT "helpdesk_course_notes_partner_id_helpdesk_partners_partner_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."helpdesk_partners"("partner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helpdesk_follow_ups" ADD CONSTRAINT "helpdesk_follow_ups_partner_id_helpdesk_partners_partner_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."helpdesk_partners"("partner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helpdesk_site_hours" ADD CONSTRAINT "helpdesk_site_hours_partner_id_helpdesk_partners_partner_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."helpdesk_partners"("partner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "disclosures_beneficiary_idx" ON "disclosures" USING btree ("beneficiary_id","at");--> statement-breakpoint
CREATE INDEX "helpdesk_follow_ups_partner_idx" ON "helpdesk_follow_ups" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "helpdesk_site_hours_site_idx" ON "helpdesk_site_hours" USING btree ("site_id","weekday");