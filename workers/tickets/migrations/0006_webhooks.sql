-- Webhook subscriptions (the original's subscribeToComments) and their deliveries. The tickets
-- service owns this schema and its management API; the webhooks Worker reads subscriptions and
-- writes deliveries in the same database (the shared-database model, as every tickets version).

CREATE TABLE webhook_subscriptions (
  id                          TEXT PRIMARY KEY,
  url                         TEXT NOT NULL,        -- as checked by shared/webhooks/url-guard.ts
  description                 TEXT,
  status                      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  disabled_reason             TEXT,                 -- why, when status = 'disabled'
  secret                      TEXT NOT NULL,        -- whsec_...: signs every delivery
  previous_secret             TEXT,                 -- after a rotation, signs beside the new one ...
  previous_secret_expires_at  INTEGER,              -- ... until then (epoch ms)
  delivered_count             INTEGER NOT NULL DEFAULT 0,  -- deliveries that ended delivered
  failed_count                INTEGER NOT NULL DEFAULT 0,  -- deliveries that ended failed
  last_delivery_at            INTEGER,              -- epoch ms of the last attempt, any outcome
  failing_since               INTEGER,              -- epoch ms of the first failed attempt since the last success
  created_at                  TEXT NOT NULL         -- ISO 8601, as answered
);
CREATE INDEX webhook_subscriptions_by_url ON webhook_subscriptions (url);
CREATE INDEX webhook_subscriptions_by_creation ON webhook_subscriptions (created_at, id);

-- One row per event that reached the fan-out: its payload, signed and sent to every subscription.
CREATE TABLE webhook_events (
  id          TEXT PRIMARY KEY,                     -- the event id: webhook-id on every delivery of it
  payload     TEXT NOT NULL,                        -- the event as JSON, the body of every delivery
  created_at  INTEGER NOT NULL                      -- epoch ms
);
CREATE INDEX webhook_events_by_age ON webhook_events (created_at);

-- One row per (event, subscription): the state of that delivery. Queue messages only wake it up.
CREATE TABLE webhook_deliveries (
  id               TEXT PRIMARY KEY,
  event_id         TEXT NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
  subscription_id  TEXT NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,      -- attempts started
  lease_until      INTEGER,                         -- epoch ms: an attempt is in progress until then; NULL = none
  next_attempt_at  INTEGER,                         -- epoch ms of the scheduled retry, when pending
  created_at       INTEGER NOT NULL,
  UNIQUE (event_id, subscription_id)
);
CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, created_at);

-- The delivery log: one row per attempt.
CREATE TABLE webhook_attempts (
  delivery_id      TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt          INTEGER NOT NULL,                -- 1 for the first
  status_code      INTEGER,                         -- the receiver's status; NULL when none came
  error            TEXT,                            -- timeout, network error, refused URL; NULL on a 2xx
  response_body    TEXT,                            -- at most 1 KB of it
  duration_ms      INTEGER NOT NULL,
  next_attempt_at  INTEGER,                         -- when the next attempt is due; NULL: none
  created_at       INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
