-- A write's outbox event, found from its idempotency key: a replay of the write (the gateway's
-- fallback after a timed-out attempt that did commit, a client's retry) sends the event itself
-- when it is still unsent, instead of leaving it to the re-drive a minute later.
ALTER TABLE idempotency_keys ADD COLUMN event_id TEXT;  -- outbox.id of the event the write emitted; NULL: none
