CREATE TABLE "disclosures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"facet" text NOT NULL,
	"fields" text[] DEFAULT '{}'::text[] NOT NULL,
	"viewer_sub" text NOT NULL,
	"viewer_role" text NOT NULL,
	"viewer_partner" text,
	"purpose" text NOT NULL,
	"consent_id" uuid NOT NULL,
	"request_id" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "disclosures_beneficiary_idx" ON "disclosures" USING btree ("beneficiary_id","at");