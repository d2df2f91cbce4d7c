ALTER TABLE "referrals" ADD COLUMN "reason_code" text;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "payload_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_idempotency_idx" ON "referrals" USING btree ("from_partner_id","idempotency_key");