-- Hand-written (drizzle-kit generate --custom): the facts the three rates (三率) count, kept on the order row by
-- triggers so that every writer (lifecycle steps, the deadline sweep, bulk seeds) keeps them right, and the
-- covering indexes of the monthly ranking. See docs/assessment.md.

-- The latest 回访 answers survive a reopen, which clears resolution, satisfaction and followed_up_at.
CREATE OR REPLACE FUNCTION jiesu_keep_follow_up() RETURNS trigger AS $$
BEGIN
  NEW.last_resolution := NEW.resolution;
  NEW.last_satisfaction := NEW.satisfaction;
  NEW.last_followed_up_at := NEW.followed_up_at;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER orders_keep_follow_up_ins BEFORE INSERT ON orders FOR EACH ROW WHEN (NEW.followed_up_at IS NOT NULL) EXECUTE FUNCTION jiesu_keep_follow_up();
--> statement-breakpoint
CREATE TRIGGER orders_keep_follow_up_upd BEFORE UPDATE OF followed_up_at, resolution, satisfaction ON orders FOR EACH ROW WHEN (NEW.followed_up_at IS NOT NULL) EXECUTE FUNCTION jiesu_keep_follow_up();
--> statement-breakpoint

-- 响应: the sign and response clocks of the order's current dispatch. Met when every one stopped in time (a paused
-- clock counts until its pause, as clockStatus does); missed when one stopped late or was marked overdue by the
-- sweep; undecided (NULL) otherwise. One UPDATE per statement, so bulk writes of clocks stay fast.
CREATE OR REPLACE FUNCTION jiesu_response_met() RETURNS trigger AS $$
BEGIN
  UPDATE orders o SET response_met = r.met
  FROM (
    SELECT c.order_id,
      CASE
        WHEN bool_or((c.stopped_at IS NOT NULL AND coalesce(c.paused_at, c.stopped_at) > c.due_at) OR (c.stopped_at IS NULL AND c.overdue_at IS NOT NULL)) THEN false
        WHEN bool_and(c.stopped_at IS NOT NULL) THEN true
      END AS met
    FROM order_clocks c
    WHERE c.kind IN ('sign', 'response') AND c.order_id IN (SELECT n.order_id FROM changed n WHERE n.kind IN ('sign', 'response'))
    GROUP BY c.order_id
  ) r
  WHERE o.id = r.order_id AND o.response_met IS DISTINCT FROM r.met;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER order_clocks_response_met_ins AFTER INSERT ON order_clocks REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION jiesu_response_met();
--> statement-breakpoint
CREATE TRIGGER order_clocks_response_met_upd AFTER UPDATE ON order_clocks REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION jiesu_response_met();
--> statement-breakpoint

-- Existing orders: the latest follow-up from the history (also for orders reopened since), then the row's own
-- columns where they are set; the response fact from the clocks.
UPDATE orders o SET last_resolution = e.data->>'resolution', last_satisfaction = e.data->>'satisfaction', last_followed_up_at = e.at
FROM (SELECT DISTINCT ON (order_id) order_id, at, data FROM order_events WHERE type = 'follow_up' ORDER BY order_id, id DESC) e
WHERE o.id = e.order_id;
--> statement-breakpoint
UPDATE orders SET last_resolution = resolution, last_satisfaction = satisfaction, last_followed_up_at = followed_up_at WHERE followed_up_at IS NOT NULL;
--> statement-breakpoint
UPDATE orders o SET response_met = r.met
FROM (
  SELECT c.order_id,
    CASE
      WHEN bool_or((c.stopped_at IS NOT NULL AND coalesce(c.paused_at, c.stopped_at) > c.due_at) OR (c.stopped_at IS NULL AND c.overdue_at IS NOT NULL)) THEN false
      WHEN bool_and(c.stopped_at IS NOT NULL) THEN true
    END AS met
  FROM order_clocks c WHERE c.kind IN ('sign', 'response') GROUP BY c.order_id
) r
WHERE o.id = r.order_id;
--> statement-breakpoint

-- The monthly ranking reads only these indexes (index-only scans): orders by the month they were accepted (response)
-- and by the month of their latest follow-up (resolution, satisfaction), each with what the rates count.
CREATE INDEX orders_assess_accepted_idx ON orders (accepted_at) INCLUDE (lead_unit_path, response_met, assessment_excluded) WHERE lead_unit_path IS NOT NULL;
--> statement-breakpoint
CREATE INDEX orders_assess_follow_up_idx ON orders (last_followed_up_at) INCLUDE (lead_unit_path, last_resolution, last_satisfaction, assessment_excluded) WHERE last_followed_up_at IS NOT NULL AND lead_unit_path IS NOT NULL;
