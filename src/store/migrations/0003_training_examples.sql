CREATE TABLE "training_examples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"category_id" text NOT NULL,
	"previous_category_id" text,
	"source" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "training_examples_created_idx" ON "training_examples" USING btree ("created_at");