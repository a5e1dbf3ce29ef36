CREATE SEQUENCE "public"."alarm_no_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "alarm_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alarm_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"actor_id" uuid,
	"actor_name" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alarms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"no" text NOT NULL,
	"model_id" uuid NOT NULL,
	"source_key" text NOT NULL,
	"source_type" text NOT NULL,
	"severity" text NOT NULL,
	"state" text NOT NULL,
	"title" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"value" double precision,
	"count" integer DEFAULT 1 NOT NULL,
	"condition_at" timestamp with time zone NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"lng" double precision,
	"lat" double precision,
	"grid_id" text,
	"street_id" text,
	"unit_path" text NOT NULL,
	"assignee_unit_id" text,
	"assignee_unit_path" text,
	"assignee_user_id" uuid,
	"order_id" uuid,
	"order_no" text,
	"acknowledged_at" timestamp with time zone,
	"cleared_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "alarms_no_unique" UNIQUE("no")
);
--> statement-breakpoint
CREATE TABLE "alert_model_states" (
	"model_id" uuid NOT NULL,
	"source_key" text NOT NULL,
	"state" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alert_model_states_model_id_source_key_pk" PRIMARY KEY("model_id","source_key")
);
--> statement-breakpoint
CREATE TABLE "alert_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"kind" text NOT NULL,
	"source_type" text NOT NULL,
	"scope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"params" jsonb NOT NULL,
	"severity" text NOT NULL,
	"auto_dispatch" boolean DEFAULT false NOT NULL,
	"category_id" text,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "city_components" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"class_code" text NOT NULL,
	"class_name" text NOT NULL,
	"name" text,
	"lng" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"state" text DEFAULT 'normal' NOT NULL,
	"grid_id" text,
	"owner_unit_id" text,
	"street_id" text,
	"unit_path" text NOT NULL,
	"attrs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "city_components_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "external_rows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"table_name" text NOT NULL,
	"key" text NOT NULL,
	"subject" text NOT NULL,
	"holder" text,
	"expires_at" timestamp with time zone,
	"lng" double precision,
	"lat" double precision,
	"street_id" text,
	"unit_path" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_cells" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"community_id" text NOT NULL,
	"street_id" text NOT NULL,
	"district_id" text NOT NULL,
	"unit_path" text NOT NULL,
	"geometry" jsonb NOT NULL,
	"min_lng" double precision NOT NULL,
	"min_lat" double precision NOT NULL,
	"max_lng" double precision NOT NULL,
	"max_lat" double precision NOT NULL,
	"center_lng" double precision NOT NULL,
	"center_lat" double precision NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patrol_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"lng" double precision,
	"lat" double precision,
	"address" text,
	"grid_id" text,
	"component_id" uuid,
	"street_id" text,
	"unit_path" text NOT NULL,
	"attachment_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reporter_id" uuid NOT NULL,
	"reporter_name" text NOT NULL,
	"alarm_id" uuid,
	"order_id" uuid,
	"order_no" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sensor_latest" (
	"sensor_id" text NOT NULL,
	"metric" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"value" double precision NOT NULL,
	"lng" double precision,
	"lat" double precision,
	"readings" bigint DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sensor_latest_sensor_id_metric_pk" PRIMARY KEY("sensor_id","metric")
);
--> statement-breakpoint
CREATE TABLE "sensor_readings" (
	"sensor_id" text NOT NULL,
	"metric" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"value" double precision NOT NULL,
	"lng" double precision,
	"lat" double precision,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sensor_readings_sensor_id_metric_ts_pk" PRIMARY KEY("sensor_id","metric","ts")
);
--> statement-breakpoint
CREATE TABLE "sensors" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"metrics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"lng" double precision,
	"lat" double precision,
	"grid_id" text,
	"component_id" uuid,
	"street_id" text,
	"unit_path" text NOT NULL,
	"device_key_hash" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "video_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"camera_id" text NOT NULL,
	"kind" text NOT NULL,
	"confidence" double precision,
	"at" timestamp with time zone NOT NULL,
	"lng" double precision,
	"lat" double precision,
	"grid_id" text,
	"street_id" text,
	"unit_path" text NOT NULL,
	"snapshot_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"alarm_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "alarm_events_alarm_idx" ON "alarm_events" USING btree ("alarm_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "alarms_open_idx" ON "alarms" USING btree ("model_id","source_key") WHERE "alarms"."state" <> 'cleared';--> statement-breakpoint
CREATE INDEX "alarms_path_idx" ON "alarms" USING btree ("unit_path" text_pattern_ops,"raised_at");--> statement-breakpoint
CREATE INDEX "alarms_state_idx" ON "alarms" USING btree ("state","raised_at");--> statement-breakpoint
CREATE INDEX "city_components_path_idx" ON "city_components" USING btree ("unit_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "city_components_class_idx" ON "city_components" USING btree ("class_code");--> statement-breakpoint
CREATE INDEX "city_components_grid_idx" ON "city_components" USING btree ("grid_id");--> statement-breakpoint
CREATE UNIQUE INDEX "external_rows_key_idx" ON "external_rows" USING btree ("table_name","key");--> statement-breakpoint
CREATE INDEX "external_rows_expiry_idx" ON "external_rows" USING btree ("table_name","expires_at");--> statement-breakpoint
CREATE INDEX "grid_cells_path_idx" ON "grid_cells" USING btree ("unit_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "grid_cells_bbox_idx" ON "grid_cells" USING btree ("min_lng","max_lng","min_lat","max_lat");--> statement-breakpoint
CREATE INDEX "patrol_reports_path_idx" ON "patrol_reports" USING btree ("unit_path" text_pattern_ops,"at");--> statement-breakpoint
CREATE INDEX "patrol_reports_reporter_idx" ON "patrol_reports" USING btree ("reporter_id","at");--> statement-breakpoint
CREATE INDEX "sensors_path_idx" ON "sensors" USING btree ("unit_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "video_events_path_idx" ON "video_events" USING btree ("unit_path" text_pattern_ops,"at");