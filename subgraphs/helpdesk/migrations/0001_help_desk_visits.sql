CREATE TABLE "helpdesk_visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partner_id" text NOT NULL,
	"site_id" uuid NOT NULL,
	"beneficiary_id" uuid,
	"visited_on" date NOT NULL,
	"topic" text NOT NULL,
	"outcome" text NOT NULL,
	"competence" text,
	"note" text,
	"client_key" text,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "helpdesk_visits_client_key_uq" UNIQUE("partner_id","client_key"),
	CONSTRAINT "helpdesk_visits_topic" CHECK ("helpdesk_visits"."topic" in ('ONLINE_BANKING', 'E_GOVERNMENT_FORMS', 'EMAIL', 'SMARTPHONE_BASICS', 'JOB_SEARCH', 'SCHOOL_PLATFORMS', 'HEALTH_AND_INSURANCE', 'OTHER')),
	CONSTRAINT "helpdesk_visits_outcome" CHECK ("helpdesk_visits"."outcome" in ('SOLVED', 'LEARNED_TO_DO_IT_ALONE', 'REFERRED')),
	CONSTRAINT "helpdesk_visits_anonymous_note" CHECK ("helpdesk_visits"."beneficiary_id" is not null or "helpdesk_visits"."note" is null)
);
--> statement-breakpoint
ALTER TABLE "helpdesk_course_notes" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "helpdesk_follow_ups" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "helpdesk_course_notes" CASCADE;--> statement-breakpoint
DROP TABLE "helpdesk_follow_ups" CASCADE;--> statement-breakpoint
ALTER TABLE "helpdesk_site_hours" RENAME TO "helpdesk_drop_ins";--> statement-breakpoint
ALTER TABLE "helpdesk_drop_ins" DROP CONSTRAINT "helpdesk_site_hours_weekday";--> statement-breakpoint
ALTER TABLE "helpdesk_drop_ins" DROP CONSTRAINT "helpdesk_site_hours_order";--> statement-breakpoint
ALTER TABLE "helpdesk_drop_ins" DROP CONSTRAINT "helpdesk_site_hours_partner_id_helpdesk_partners_partner_id_fk";
--> statement-breakpoint
DROP INDEX "helpdesk_site_hours_site_idx";--> statement-breakpoint
ALTER TABLE "helpdesk_drop_ins" ADD COLUMN "languages" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "helpdesk_visits" ADD CONSTRAINT "helpdesk_visits_partner_id_helpdesk_partners_partner_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."helpdesk_partners"("partner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "helpdesk_visits_beneficiary_idx" ON "helpdesk_visits" USING btree ("beneficiary_id","visited_on");--> statement-breakpoint
CREATE INDEX "helpdesk_visits_site_idx" ON "helpdesk_visits" USING btree ("site_id","visited_on");--> statement-breakpoint
ALTER TABLE "helpdesk_drop_ins" ADD CONSTRAINT "helpdesk_drop_ins_partner_id_helpdesk_partners_partner_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."helpdesk_partners"("partner_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "helpdesk_drop_ins_site_idx" ON "helpdesk_drop_ins" USING btree ("site_id","weekday");--> statement-breakpoint
CREATE INDEX "helpdesk_drop_ins_partner_idx" ON "helpdesk_drop_ins" USING btree ("partner_id","site_id");--> statement-breakpoint
ALTER TABLE "helpdesk_drop_ins" ADD CONSTRAINT "helpdesk_drop_ins_weekday" CHECK ("helpdesk_drop_ins"."weekday" between 1 and 7);--> statement-breakpoint
ALTER TABLE "helpdesk_drop_ins" ADD CONSTRAINT "helpdesk_drop_ins_order" CHECK ("helpdesk_drop_ins"."opens_at" < "helpdesk_drop_ins"."closes_at");