CREATE TABLE "assessment_months" (
	"month" text PRIMARY KEY NOT NULL,
	"closed_at" timestamp with time zone NOT NULL,
	"policy" jsonb NOT NULL,
	"closed_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_snapshots" (
	"month" text NOT NULL,
	"unit_id" text NOT NULL,
	"assessed" integer DEFAULT 0 NOT NULL,
	"response_met" integer DEFAULT 0 NOT NULL,
	"response_late" integer DEFAULT 0 NOT NULL,
	"response_pending" integer DEFAULT 0 NOT NULL,
	"excluded" integer DEFAULT 0 NOT NULL,
	"followed_up" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"partly" integer DEFAULT 0 NOT NULL,
	"unresolved" integer DEFAULT 0 NOT NULL,
	"satisfied" integer DEFAULT 0 NOT NULL,
	"basic" integer DEFAULT 0 NOT NULL,
	"unsatisfied" integer DEFAULT 0 NOT NULL,
	"no_answer" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "assessment_snapshots_month_unit_id_pk" PRIMARY KEY("month","unit_id")
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "last_resolution" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "last_satisfaction" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "last_followed_up_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "response_met" boolean;--> statement-breakpoint
CREATE INDEX "orders_follow_up_queue_idx" ON "orders" USING btree ("replied_at","id") WHERE "orders"."state" = 'replied';