CREATE TABLE "exchange_inbound" (
	"message_id" text PRIMARY KEY NOT NULL,
	"peer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"result" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchange_indicators" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"peer_id" uuid NOT NULL,
	"month" text NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"figures" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"message_count" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchange_order_links" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"peer_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"remote_order_no" text,
	"remote_status" text,
	"remote_seq" bigint DEFAULT 0 NOT NULL,
	"remote_reply" text,
	"remote_replied_at" timestamp with time zone,
	"synced_event_id" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchange_peers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"base_url" text NOT NULL,
	"direction" text NOT NULL,
	"outbound_key" text NOT NULL,
	"inbound_key_hash" text NOT NULL,
	"their_key_id" uuid,
	"intake_user_id" uuid NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "exchange_peers_code_unique" UNIQUE("code"),
	CONSTRAINT "exchange_peers_inbound_key_hash_unique" UNIQUE("inbound_key_hash")
);
--> statement-breakpoint
CREATE TABLE "import_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"format" text NOT NULL,
	"file_name" text NOT NULL,
	"state" text NOT NULL,
	"total_rows" integer DEFAULT 0 NOT NULL,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"imported_rows" integer DEFAULT 0 NOT NULL,
	"skipped_rows" integer DEFAULT 0 NOT NULL,
	"rejected_rows" integer DEFAULT 0 NOT NULL,
	"rejects" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "imported_orders" (
	"source_no" text PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"job_id" uuid,
	"imported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "exchange_peers" ADD CONSTRAINT "exchange_peers_intake_user_id_users_id_fk" FOREIGN KEY ("intake_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exchange_inbound_peer_idx" ON "exchange_inbound" USING btree ("peer_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "exchange_indicators_peer_month_idx" ON "exchange_indicators" USING btree ("peer_id","month");--> statement-breakpoint
CREATE UNIQUE INDEX "exchange_links_peer_order_idx" ON "exchange_order_links" USING btree ("peer_id","order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "exchange_links_peer_remote_idx" ON "exchange_order_links" USING btree ("peer_id","direction","remote_order_no");--> statement-breakpoint
CREATE INDEX "exchange_links_order_idx" ON "exchange_order_links" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "import_jobs_created_idx" ON "import_jobs" USING btree ("created_at");