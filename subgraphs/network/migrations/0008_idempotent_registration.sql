ALTER TABLE "beneficiaries" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "beneficiaries" ADD COLUMN "payload_hash" text;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "payload_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "beneficiaries_idempotency_idx" ON "beneficiaries" USING btree ("registered_by","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "consents_idempotency_idx" ON "consents" USING btree ("recorded_by_partner_id","idempotency_key");