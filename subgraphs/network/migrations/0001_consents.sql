CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"recipient_partner_id" text NOT NULL,
	"categories" text[] NOT NULL,
	"purpose" text NOT NULL,
	"method" text NOT NULL,
	"notice_version" text NOT NULL,
	"notice_language" text NOT NULL,
	"recorded_by_sub" text NOT NULL,
	"recorded_by_partner_id" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_by_sub" text,
	CONSTRAINT "consents_purpose_check" CHECK ("consents"."purpose" in ('REFERRAL', 'FOLLOW_UP', 'COORDINATION')),
	CONSTRAINT "consents_method_check" CHECK ("consents"."method" in ('WRITTEN', 'ORAL_ATTESTED', 'DIGITAL'))
);
--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_beneficiary_id_beneficiaries_id_fk" FOREIGN KEY ("beneficiary_id") REFERENCES "public"."beneficiaries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_recipient_partner_id_partners_id_fk" FOREIGN KEY ("recipient_partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_recorded_by_partner_id_partners_id_fk" FOREIGN KEY ("recorded_by_partner_id") REFERENCES "public"."partners"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consents_beneficiary_idx" ON "consents" USING btree ("beneficiary_id");--> statement-breakpoint
CREATE INDEX "consents_recipient_idx" ON "consents" USING btree ("recipient_partner_id","beneficiary_id");