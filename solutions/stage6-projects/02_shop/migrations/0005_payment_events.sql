-- Milestone 4: every payment event applied, by the provider's id, so that a redelivered
-- event is recognised and applied only once.
CREATE TABLE payment_events (
    id text PRIMARY KEY,
    kind text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
