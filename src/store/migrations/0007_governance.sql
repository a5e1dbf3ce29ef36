CREATE TABLE "proactive_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"evidence_key" text NOT NULL,
	"category_id" text NOT NULL,
	"district_id" text,
	"street_id" text,
	"unit_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"evidence" jsonb NOT NULL,
	"order_id" uuid,
	"order_no" text,
	"note" text,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "topic_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic_id" uuid NOT NULL,
	"task_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"actor_id" uuid,
	"actor_name" text,
	"actor_unit_id" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "topic_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"topic_id" uuid NOT NULL,
	"title" text NOT NULL,
	"unit_id" text NOT NULL,
	"unit_path" text NOT NULL,
	"due_date" text NOT NULL,
	"state" text NOT NULL,
	"note" text,
	"evidence" jsonb DEFAULT '{"attachmentIds":[],"orderIds":[]}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "topic_units" (
	"topic_id" uuid NOT NULL,
	"unit_id" text NOT NULL,
	"unit_path" text NOT NULL,
	CONSTRAINT "topic_units_topic_id_unit_id_pk" PRIMARY KEY("topic_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "topics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"no" text NOT NULL,
	"month" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category_id" text NOT NULL,
	"district_id" text,
	"state" text NOT NULL,
	"baseline" jsonb,
	"evidence_order_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outcome" text,
	"adopted_by" uuid,
	"adopted_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "topics_no_unique" UNIQUE("no")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "proactive_actions_evidence_idx" ON "proactive_actions" USING btree ("evidence_key","kind");--> statement-breakpoint
CREATE INDEX "proactive_actions_created_idx" ON "proactive_actions" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "topic_events_topic_idx" ON "topic_events" USING btree ("topic_id","id");--> statement-breakpoint
CREATE INDEX "topic_tasks_topic_idx" ON "topic_tasks" USING btree ("topic_id");--> statement-breakpoint
CREATE INDEX "topic_tasks_path_idx" ON "topic_tasks" USING btree ("unit_path" text_pattern_ops,"due_date");--> statement-breakpoint
CREATE INDEX "topic_units_path_idx" ON "topic_units" USING btree ("unit_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "topics_month_class_idx" ON "topics" USING btree ("month","category_id",coalesce("district_id", ''));--> statement-breakpoint
CREATE INDEX "topics_adopted_idx" ON "topics" USING btree ("adopted_at");