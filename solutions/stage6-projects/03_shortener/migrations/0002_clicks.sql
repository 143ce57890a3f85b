-- One row a click, keyed by its event id (the stream entry's id): a click delivered twice is
-- inserted once. No foreign key: a click on a link deleted since still arrives, and must not
-- block the stream.
CREATE TABLE clicks (
    event_id text PRIMARY KEY,
    code text NOT NULL,
    clicked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clicks_code ON clicks (code);
