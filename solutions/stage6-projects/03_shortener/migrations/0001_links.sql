-- A link's code is its id in base62: the sequence behind `bigserial` is the one counter that
-- every instance shares, so no two links ever get one code.
CREATE TABLE links (
    id bigserial PRIMARY KEY,
    url text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
