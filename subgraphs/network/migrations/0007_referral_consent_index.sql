CREATE INDEX "referrals_consent_idx" ON "referrals" USING btree ("consent_id");--> statement-breakpoint
-- 0006 also ended the consent of referrals withdrawn after their acceptance: the receiver had
-- taken the person on, and keeps the consent as it does for a completed referral.
UPDATE "consents" AS c SET "withdrawn_at" = NULL, "withdrawn_by_sub" = NULL
FROM "referrals" AS r
WHERE r."consent_id" = c."id"
  AND r."accepted_at" IS NOT NULL
  AND c."withdrawn_by_sub" = 'system:referral-closed';
