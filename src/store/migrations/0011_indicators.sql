CREATE TABLE "indicator_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"trigger" text NOT NULL,
	"area_unit_id" text NOT NULL,
	"levels" jsonb NOT NULL,
	"value_count" integer NOT NULL,
	"duration_ms" integer NOT NULL,
	"actor_name" text
);
--> statement-breakpoint
CREATE TABLE "indicator_thresholds" (
	"key" text PRIMARY KEY NOT NULL,
	"thresholds" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicator_values" (
	"unit_id" text NOT NULL,
	"key" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"level" text NOT NULL,
	"value" double precision,
	"breakdown" jsonb,
	CONSTRAINT "indicator_values_unit_id_key_at_pk" PRIMARY KEY("unit_id","key","at")
);
--> statement-breakpoint
CREATE INDEX "indicator_runs_at_idx" ON "indicator_runs" USING btree ("at");--> statement-breakpoint
CREATE INDEX "indicator_values_level_at_idx" ON "indicator_values" USING btree ("level","at");