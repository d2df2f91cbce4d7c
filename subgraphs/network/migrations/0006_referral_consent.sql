ALTER TABLE "referrals" ADD COLUMN "consent_id" uuid;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_consent_id_consents_id_fk" FOREIGN KEY ("consent_id") REFERENCES "public"."consents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Referrals created before this column: their consent is the one recorded in the same
-- transaction, naming the receiver for a referral, by the sender, at the sending instant.
UPDATE "referrals" AS r SET "consent_id" = c."id"
FROM "consents" AS c
WHERE c."beneficiary_id" = r."beneficiary_id"
  AND c."recipient_partner_id" = r."to_partner_id"
  AND c."recorded_by_partner_id" = r."from_partner_id"
  AND c."purpose" = 'REFERRAL'
  AND c."recorded_at" = r."sent_at"
  AND r."consent_id" IS NULL;--> statement-breakpoint
-- Those that already ended without the receiver taking the person on end their consent too.
UPDATE "consents" AS c SET "withdrawn_at" = coalesce(r."closed_at", r."updated_at"), "withdrawn_by_sub" = 'system:referral-closed'
FROM "referrals" AS r
WHERE r."consent_id" = c."id"
  AND r."status" IN ('DECLINED', 'WITHDRAWN', 'EXPIRED')
  AND c."withdrawn_at" IS NULL;
