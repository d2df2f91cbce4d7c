CREATE TABLE "referral_figures_version" (
	"only" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "referral_figures_version_one_row" CHECK ("referral_figures_version"."only")
);
--> statement-breakpoint
-- Every statement that inserts, changes or deletes at least one referral moves the version, in
-- its own transaction. A statement that touches no row (the expiry pass finding nothing) does not.
-- The row is created by the first change (and again after the table was emptied): no row reads as
-- version 0.
CREATE FUNCTION "referral_figures_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "referral_figures_version" ("only", "version")
  SELECT true, 1 WHERE EXISTS (SELECT FROM "changed_referrals")
  ON CONFLICT ("only") DO UPDATE SET "version" = "referral_figures_version"."version" + 1;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "referrals_inserted_figures" AFTER INSERT ON "referrals"
  REFERENCING NEW TABLE AS "changed_referrals"
  FOR EACH STATEMENT EXECUTE FUNCTION "referral_figures_changed"();--> statement-breakpoint
CREATE TRIGGER "referrals_updated_figures" AFTER UPDATE ON "referrals"
  REFERENCING NEW TABLE AS "changed_referrals"
  FOR EACH STATEMENT EXECUTE FUNCTION "referral_figures_changed"();--> statement-breakpoint
CREATE TRIGGER "referrals_deleted_figures" AFTER DELETE ON "referrals"
  REFERENCING OLD TABLE AS "changed_referrals"
  FOR EACH STATEMENT EXECUTE FUNCTION "referral_figures_changed"();--> statement-breakpoint
CREATE FUNCTION "referral_figures_truncated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "referral_figures_version" ("only", "version") VALUES (true, 1)
  ON CONFLICT ("only") DO UPDATE SET "version" = "referral_figures_version"."version" + 1;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "referrals_truncated_figures" AFTER TRUNCATE ON "referrals"
  FOR EACH STATEMENT EXECUTE FUNCTION "referral_figures_truncated"();
