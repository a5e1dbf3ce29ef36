ALTER TABLE "exchange_peers" DROP CONSTRAINT "exchange_peers_inbound_key_hash_unique";--> statement-breakpoint
ALTER TABLE "exchange_peers" DROP CONSTRAINT "exchange_peers_intake_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "exchange_peers" ALTER COLUMN "their_key_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "exchange_peers" DROP COLUMN "inbound_key_hash";--> statement-breakpoint
ALTER TABLE "exchange_peers" DROP COLUMN "intake_user_id";--> statement-breakpoint
ALTER TABLE "exchange_peers" ADD CONSTRAINT "exchange_peers_their_key_id_unique" UNIQUE("their_key_id");