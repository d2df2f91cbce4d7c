CREATE TABLE "referral_figure_changes" (
	"version" bigint NOT NULL,
	"sign" smallint NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"from_partner_id" text NOT NULL,
	"to_partner_id" text NOT NULL,
	"status" text NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "referral_figures_version" ADD COLUMN "generation" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
CREATE INDEX "referral_figure_changes_version_idx" ON "referral_figure_changes" USING btree ("version");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "referrals_status_sent_idx" ON "referrals" USING btree ("status","sent_at","to_partner_id","reason_code","respond_by");--> statement-breakpoint
-- The figures kept at a version are brought up to date from the changes since (ADR 0009): each
-- statement that changes referrals moves the version and writes, in its transaction, the columns
-- the funnels read of each referral it inserted (sign 1), deleted (-1) or changed in one of those
-- columns (-1 for the row before, 1 for the row after). The last 10,000 versions are kept; a
-- figure kept longer ago is computed afresh.
CREATE FUNCTION "referral_figures_move"("new_generation" boolean) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  "moved" bigint;
BEGIN
  INSERT INTO "referral_figures_version" ("only", "version") VALUES (true, 1)
  ON CONFLICT ("only") DO UPDATE SET
    "version" = "referral_figures_version"."version" + 1,
    "generation" = CASE WHEN "new_generation" THEN gen_random_uuid()
      ELSE "referral_figures_version"."generation" END
  RETURNING "version" INTO "moved";
  IF "new_generation" OR "moved" = 1 THEN
    -- A new generation: nothing written before compares with what comes.
    DELETE FROM "referral_figure_changes";
  ELSE
    DELETE FROM "referral_figure_changes" WHERE "version" <= "moved" - 10000;
  END IF;
  RETURN "moved";
END
$$;--> statement-breakpoint
-- Inserted rows are written with the sign 1, deleted rows with -1: the trigger's argument.
CREATE FUNCTION "referral_figures_written"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  "moved" bigint;
BEGIN
  IF EXISTS (SELECT FROM "changed_referrals") THEN
    "moved" := "referral_figures_move"(false);
    INSERT INTO "referral_figure_changes" ("version", "sign", "sent_at", "from_partner_id",
      "to_partner_id", "status", "acknowledged_at", "accepted_at", "closed_at")
    SELECT "moved", TG_ARGV[0]::smallint, "sent_at", "from_partner_id", "to_partner_id",
      "status", "acknowledged_at", "accepted_at", "closed_at"
    FROM "changed_referrals";
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION "referral_figures_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  "moved" bigint;
BEGIN
  IF EXISTS (SELECT FROM "changed_referrals") THEN
    "moved" := "referral_figures_move"(false);
    INSERT INTO "referral_figure_changes" ("version", "sign", "sent_at", "from_partner_id",
      "to_partner_id", "status", "acknowledged_at", "accepted_at", "closed_at")
    SELECT "moved", "side"."sign", "side"."sent_at", "side"."from_partner_id",
      "side"."to_partner_id", "side"."status", "side"."acknowledged_at", "side"."accepted_at",
      "side"."closed_at"
    FROM "earlier_referrals" AS "e" JOIN "changed_referrals" AS "c" USING ("id"),
      LATERAL (VALUES
        (-1, "e"."sent_at", "e"."from_partner_id", "e"."to_partner_id", "e"."status",
          "e"."acknowledged_at", "e"."accepted_at", "e"."closed_at"),
        (1, "c"."sent_at", "c"."from_partner_id", "c"."to_partner_id", "c"."status",
          "c"."acknowledged_at", "c"."accepted_at", "c"."closed_at")
      ) AS "side" ("sign", "sent_at", "from_partner_id", "to_partner_id", "status",
        "acknowledged_at", "accepted_at", "closed_at")
    WHERE ("e"."sent_at", "e"."from_partner_id", "e"."to_partner_id", "e"."status",
        "e"."acknowledged_at", "e"."accepted_at", "e"."closed_at")
      IS DISTINCT FROM ("c"."sent_at", "c"."from_partner_id", "c"."to_partner_id", "c"."status",
        "c"."acknowledged_at", "c"."accepted_at", "c"."closed_at");
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
DROP TRIGGER "referrals_inserted_figures" ON "referrals";--> statement-breakpoint
DROP TRIGGER "referrals_updated_figures" ON "referrals";--> statement-breakpoint
DROP TRIGGER "referrals_deleted_figures" ON "referrals";--> statement-breakpoint
DROP FUNCTION "referral_figures_changed"();--> statement-breakpoint
CREATE TRIGGER "referrals_inserted_figures" AFTER INSERT ON "referrals"
  REFERENCING NEW TABLE AS "changed_referrals"
  FOR EACH STATEMENT EXECUTE FUNCTION "referral_figures_written"('1');--> statement-breakpoint
CREATE TRIGGER "referrals_updated_figures" AFTER UPDATE ON "referrals"
  REFERENCING OLD TABLE AS "earlier_referrals" NEW TABLE AS "changed_referrals"
  FOR EACH STATEMENT EXECUTE FUNCTION "referral_figures_updated"();--> statement-breakpoint
CREATE TRIGGER "referrals_deleted_figures" AFTER DELETE ON "referrals"
  REFERENCING OLD TABLE AS "changed_referrals"
  FOR EACH STATEMENT EXECUTE FUNCTION "referral_figures_written"('-1');--> statement-breakpoint
-- Truncated, the referrals start a new generation: nothing kept before is brought up to date.
CREATE OR REPLACE FUNCTION "referral_figures_truncated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "referral_figures_move"(true);
  RETURN NULL;
END
$$;
