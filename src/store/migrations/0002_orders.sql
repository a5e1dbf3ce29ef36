CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE SEQUENCE "public"."order_no_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE SEQUENCE "public"."request_no_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE SEQUENCE "public"."whistle_no_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"stored_path" text NOT NULL,
	"owner_type" text,
	"owner_id" text,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "knowledge" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"answer" text NOT NULL,
	"category_id" text,
	"keywords" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"terms" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "knowledge_versions" (
	"knowledge_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"answer" text NOT NULL,
	"keywords" jsonb NOT NULL,
	"active" boolean NOT NULL,
	"edited_by" uuid,
	"edited_at" timestamp with time zone NOT NULL,
	CONSTRAINT "knowledge_versions_knowledge_id_version_pk" PRIMARY KEY("knowledge_id","version")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"unit_id" text,
	"user_id" uuid,
	"role" text,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"order_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone,
	"outbox_id" bigint
);
--> statement-breakpoint
CREATE TABLE "order_clocks" (
	"order_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"duration" jsonb NOT NULL,
	"extensions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"warn_before" jsonb NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"warn_at" timestamp with time zone NOT NULL,
	"paused_at" timestamp with time zone,
	"paused_ms" double precision DEFAULT 0 NOT NULL,
	"paused_working_days" integer DEFAULT 0 NOT NULL,
	"stopped_at" timestamp with time zone,
	"calendar_fallback" boolean DEFAULT false NOT NULL,
	"warned_at" timestamp with time zone,
	"overdue_at" timestamp with time zone,
	"next_check_at" timestamp with time zone,
	CONSTRAINT "order_clocks_order_id_kind_pk" PRIMARY KEY("order_id","kind")
);
--> statement-breakpoint
CREATE TABLE "order_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"actor_id" uuid,
	"actor_name" text,
	"actor_role" text,
	"actor_unit_id" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_units" (
	"order_id" uuid NOT NULL,
	"unit_id" text NOT NULL,
	"unit_path" text NOT NULL,
	"role" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"signed_at" timestamp with time zone,
	"assigned_at" timestamp with time zone NOT NULL,
	CONSTRAINT "order_units_order_id_unit_id_pk" PRIMARY KEY("order_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"no" text NOT NULL,
	"request_id" uuid NOT NULL,
	"type" text NOT NULL,
	"channel" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"category_id" text,
	"urgency" text NOT NULL,
	"policy_code" text NOT NULL,
	"address" text,
	"lat" double precision,
	"lng" double precision,
	"district_id" text,
	"street_id" text,
	"community_id" text,
	"state" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"lead_unit_id" text,
	"lead_unit_path" text,
	"state_before_return" text,
	"state_before_park" text,
	"extension" jsonb,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"parked_until" timestamp with time zone,
	"merged_into_id" uuid,
	"assessment_excluded" boolean DEFAULT false NOT NULL,
	"exclusion_reason" text,
	"reply_text" text,
	"replied_at" timestamp with time zone,
	"resolution" text,
	"satisfaction" text,
	"followed_up_at" timestamp with time zone,
	"accepted_at" timestamp with time zone NOT NULL,
	"dispatched_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"reply_due_at" timestamp with time zone,
	"overdue" boolean DEFAULT false NOT NULL,
	"proposal" jsonb,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "orders_no_unique" UNIQUE("no")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"available_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"no" text NOT NULL,
	"type" text NOT NULL,
	"channel" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"urgency" text,
	"address" text,
	"lat" double precision,
	"lng" double precision,
	"district_id" text,
	"street_id" text,
	"community_id" text,
	"contact_name" text,
	"contact_phone" text,
	"citizen_user_id" uuid,
	"created_by" uuid,
	"idempotency_key" text,
	"order_id" uuid,
	"answer" text,
	"knowledge_id" uuid,
	"proposal" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "requests_no_unique" UNIQUE("no")
);
--> statement-breakpoint
CREATE TABLE "whistle_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"whistle_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text,
	"unit_id" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "whistle_orders" (
	"whistle_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"closed_by_whistle" boolean DEFAULT false NOT NULL,
	CONSTRAINT "whistle_orders_whistle_id_order_id_pk" PRIMARY KEY("whistle_id","order_id")
);
--> statement-breakpoint
CREATE TABLE "whistle_units" (
	"whistle_id" uuid NOT NULL,
	"unit_id" text NOT NULL,
	"unit_path" text NOT NULL,
	"reported_at" timestamp with time zone,
	"late" boolean,
	"note" text,
	"part" text,
	CONSTRAINT "whistle_units_whistle_id_unit_id_pk" PRIMARY KEY("whistle_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "whistles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"no" text NOT NULL,
	"street_id" text NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"place" text NOT NULL,
	"meet_at" timestamp with time zone NOT NULL,
	"report_deadline_at" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"outcome" text,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "whistles_no_unique" UNIQUE("no")
);
--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_citizen_user_id_users_id_fk" FOREIGN KEY ("citizen_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachments_owner_idx" ON "attachments" USING btree ("owner_type","owner_id");--> statement-breakpoint
CREATE INDEX "knowledge_terms_idx" ON "knowledge" USING gin (to_tsvector('simple', "terms"));--> statement-breakpoint
CREATE INDEX "notifications_unit_idx" ON "notifications" USING btree ("unit_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "order_clocks_next_check_idx" ON "order_clocks" USING btree ("next_check_at") WHERE "order_clocks"."next_check_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "order_events_order_idx" ON "order_events" USING btree ("order_id","id");--> statement-breakpoint
CREATE INDEX "order_units_path_idx" ON "order_units" USING btree ("unit_path" text_pattern_ops) WHERE "order_units"."active";--> statement-breakpoint
CREATE INDEX "orders_state_accepted_idx" ON "orders" USING btree ("state","accepted_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_accepted_idx" ON "orders" USING btree ("accepted_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_lead_path_idx" ON "orders" USING btree ("lead_unit_path" text_pattern_ops,"accepted_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_category_idx" ON "orders" USING btree ("category_id","accepted_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_district_idx" ON "orders" USING btree ("district_id","accepted_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_street_idx" ON "orders" USING btree ("street_id","accepted_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_reply_due_idx" ON "orders" USING btree ("reply_due_at") WHERE "orders"."closed_at" IS NULL;--> statement-breakpoint
CREATE INDEX "orders_text_trgm_idx" ON "orders" USING gin (("title" || ' ' || "body") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("available_at") WHERE "outbox"."sent_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "requests_idempotency_idx" ON "requests" USING btree ("created_by","idempotency_key");--> statement-breakpoint
CREATE INDEX "requests_order_idx" ON "requests" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "requests_citizen_idx" ON "requests" USING btree ("citizen_user_id");--> statement-breakpoint
CREATE INDEX "requests_created_idx" ON "requests" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "whistle_events_whistle_idx" ON "whistle_events" USING btree ("whistle_id","id");--> statement-breakpoint
CREATE INDEX "whistle_orders_order_idx" ON "whistle_orders" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "whistle_units_unit_idx" ON "whistle_units" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "whistles_street_idx" ON "whistles" USING btree ("street_id","created_at");--> statement-breakpoint
-- An order's history is append-only, like the audit trail.
CREATE TRIGGER order_events_no_update BEFORE UPDATE OR DELETE ON order_events FOR EACH ROW EXECUTE FUNCTION jiesu_audit_append_only();
