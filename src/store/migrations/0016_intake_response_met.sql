-- Intake inserts running clocks on time by the thousand: the response fact (orders.response_met) cannot change then,
-- so the trigger returns before planning its UPDATE. The rest is migration 0005's function unchanged.
CREATE OR REPLACE FUNCTION jiesu_response_met() RETURNS trigger AS $$
BEGIN
  -- Nothing to change when no touched order has a response fact yet and no changed clock is stopped or overdue:
  -- the fact follows from the clocks, and running clocks on time leave it unknown. (Every intake is this case.)
  IF NOT EXISTS (SELECT 1 FROM changed n WHERE n.kind IN ('sign', 'response') AND (n.stopped_at IS NOT NULL OR n.overdue_at IS NOT NULL))
     AND NOT EXISTS (SELECT 1 FROM changed n JOIN orders o ON o.id = n.order_id WHERE n.kind IN ('sign', 'response') AND o.response_met IS NOT NULL) THEN
    RETURN NULL;
  END IF;
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
