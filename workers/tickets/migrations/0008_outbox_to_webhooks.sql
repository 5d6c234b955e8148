-- Whether an outbox event goes to the webhooks fan-out (the webhook-events Queue) as well as to
-- the reply feed: decided in the write's own transaction, 1 when some subscription was active at
-- the commit. With none active, an event costs no Queue message, no consumer run and no D1 batch
-- in the webhooks Worker. Rows written before this column go to both, as they did.
ALTER TABLE outbox ADD COLUMN to_webhooks INTEGER NOT NULL DEFAULT 1 CHECK (to_webhooks IN (0, 1));
