-- Events recorded before versions existed are numbered in the order they happened.
ALTER TABLE "referral_events" ADD COLUMN "version" integer;--> statement-breakpoint
UPDATE "referral_events" AS e SET "version" = n.version
FROM (
  SELECT "id", row_number() OVER (PARTITION BY "referral_id" ORDER BY "at", "id")::int AS version
  FROM "referral_events"
) AS n
WHERE n."id" = e."id";--> statement-breakpoint
ALTER TABLE "referral_events" ALTER COLUMN "version" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "digcomp_progress" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "acknowledged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "accepted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "referral_events_version_idx" ON "referral_events" USING btree ("referral_id","version");--> statement-breakpoint
CREATE INDEX "referrals_sent_idx" ON "referrals" USING btree ("sent_at","from_partner_id","to_partner_id");
--> statement-breakpoint
-- Referrals sent before the milestones existed take them from their history.
UPDATE "referrals" AS r SET
  "acknowledged_at" = m.acknowledged_at,
  "accepted_at" = m.accepted_at,
  "closed_at" = m.closed_at
FROM (
  SELECT "referral_id",
    min("at") FILTER (WHERE "to_status" = 'ACKNOWLEDGED') AS acknowledged_at,
    min("at") FILTER (WHERE "to_status" = 'ACCEPTED') AS accepted_at,
    min("at") FILTER (WHERE "to_status" IN ('DECLINED', 'COMPLETED', 'FAILED', 'WITHDRAWN', 'EXPIRED')) AS closed_at
  FROM "referral_events"
  GROUP BY "referral_id"
) AS m
WHERE m."referral_id" = r."id";
