-- Hand-written (drizzle-kit generate --custom): order events that webhooks announce go to the outbox (topic
-- 'webhook') in the transaction that wrote them, whoever the writer (intake, lifecycle steps, the deadline sweep).
-- Only while an active subscription exists, so a platform without webhooks pays one cheap EXISTS per statement.
-- The list of types matches webhookEventOf in src/app/integrations/webhookEvents.ts.
CREATE OR REPLACE FUNCTION jiesu_webhook_outbox() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM webhook_subscriptions WHERE active) THEN
    INSERT INTO outbox (topic, payload, created_at, available_at)
    SELECT 'webhook',
      jsonb_build_object('eventId', n.id, 'orderId', n.order_id, 'type', n.type, 'at', n.at, 'from', n.from_state, 'to', n.to_state),
      n.at, n.at
    FROM new_events n
    WHERE n.type IN ('accept', 'dispatch', 'approve_return', 'sign', 'respond', 'reply', 'follow_up', 'close', 'close_direct', 'reopen', 'return', 'terminate', 'mark_invalid', 'merge', 'park', 'overdue', 'escalate');
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER order_events_webhook_outbox AFTER INSERT ON order_events REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION jiesu_webhook_outbox();
