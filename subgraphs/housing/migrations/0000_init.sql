CREATE TABLE "community_rooms" (
	"site_id" uuid PRIMARY KEY NOT NULL,
	"agency_id" text NOT NULL,
	"capacity" integer NOT NULL,
	"equipment" text NOT NULL,
	"accessible" boolean NOT NULL,
	"availability" text NOT NULL,
	CONSTRAINT "community_rooms_capacity_range" CHECK ("community_rooms"."capacity" between 1 and 500)
);
--> statement-breakpoint
CREATE TABLE "contact_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" text NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"preferred" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dwellings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" text NOT NULL,
	"site_id" uuid,
	"street" text NOT NULL,
	"postal_code" text NOT NULL,
	"municipality" text NOT NULL,
	"unit_label" text NOT NULL,
	"rooms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dwellings_id_agency_uq" UNIQUE("id","agency_id"),
	CONSTRAINT "dwellings_rooms_range" CHECK ("dwellings"."rooms" between 0 and 20)
);
--> statement-breakpoint
CREATE TABLE "equipment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" text NOT NULL,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"asset_tag" text NOT NULL,
	"serial_number" text,
	"acquired_on" date,
	"retired_on" date,
	CONSTRAINT "equipment_id_agency_uq" UNIQUE("id","agency_id")
);
--> statement-breakpoint
CREATE TABLE "equipment_loans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" text NOT NULL,
	"equipment_id" uuid NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"lent_on" date NOT NULL,
	"due_on" date,
	"returned_on" date,
	"return_condition" text,
	"lent_by" text NOT NULL,
	"returned_by" text,
	CONSTRAINT "equipment_loans_due_order" CHECK ("equipment_loans"."due_on" is null or "equipment_loans"."due_on" >= "equipment_loans"."lent_on"),
	CONSTRAINT "equipment_loans_return_order" CHECK ("equipment_loans"."returned_on" is null or "equipment_loans"."returned_on" >= "equipment_loans"."lent_on")
);
--> statement-breakpoint
CREATE TABLE "housing_agencies" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenancies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" text NOT NULL,
	"dwelling_id" uuid NOT NULL,
	"beneficiary_id" uuid NOT NULL,
	"role" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"accompaniment" text,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenancies_order" CHECK ("tenancies"."ends_on" is null or "tenancies"."ends_on" >= "tenancies"."starts_on")
);
--> statement-breakpoint
ALTER TABLE "community_rooms" ADD CONSTRAINT "community_rooms_agency_id_housing_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."housing_agencies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_channels" ADD CONSTRAINT "contact_channels_agency_id_housing_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."housing_agencies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dwellings" ADD CONSTRAINT "dwellings_agency_id_housing_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."housing_agencies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equipment" ADD CONSTRAINT "equipment_agency_id_housing_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."housing_agencies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equipment_loans" ADD CONSTRAINT "equipment_loans_equipment_agency_fk" FOREIGN KEY ("equipment_id","agency_id") REFERENCES "public"."equipment"("id","agency_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenancies" ADD CONSTRAINT "tenancies_dwelling_agency_fk" FOREIGN KEY ("dwelling_id","agency_id") REFERENCES "public"."dwellings"("id","agency_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "community_rooms_agency_idx" ON "community_rooms" USING btree ("agency_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contact_channels_value_uq" ON "contact_channels" USING btree ("agency_id","beneficiary_id","kind","value");--> statement-breakpoint
CREATE UNIQUE INDEX "contact_channels_preferred_uq" ON "contact_channels" USING btree ("agency_id","beneficiary_id") WHERE "contact_channels"."preferred";--> statement-breakpoint
CREATE INDEX "contact_channels_beneficiary_idx" ON "contact_channels" USING btree ("beneficiary_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dwellings_address_unit_uq" ON "dwellings" USING btree ("agency_id","street","postal_code","unit_label");--> statement-breakpoint
CREATE INDEX "dwellings_site_idx" ON "dwellings" USING btree ("site_id");--> statement-breakpoint
CREATE UNIQUE INDEX "equipment_asset_tag_uq" ON "equipment" USING btree ("agency_id","asset_tag");--> statement-breakpoint
CREATE INDEX "equipment_agency_kind_idx" ON "equipment" USING btree ("agency_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "equipment_loans_open_uq" ON "equipment_loans" USING btree ("equipment_id") WHERE "equipment_loans"."returned_on" is null;--> statement-breakpoint
CREATE INDEX "equipment_loans_beneficiary_idx" ON "equipment_loans" USING btree ("beneficiary_id");--> statement-breakpoint
CREATE INDEX "equipment_loans_equipment_idx" ON "equipment_loans" USING btree ("equipment_id","lent_on");--> statement-breakpoint
CREATE UNIQUE INDEX "tenancies_open_uq" ON "tenancies" USING btree ("agency_id","beneficiary_id") WHERE "tenancies"."ends_on" is null;--> statement-breakpoint
CREATE INDEX "tenancies_beneficiary_idx" ON "tenancies" USING btree ("beneficiary_id");--> statement-breakpoint
CREATE INDEX "tenancies_dwelling_idx" ON "tenancies" USING btree ("dwelling_id");