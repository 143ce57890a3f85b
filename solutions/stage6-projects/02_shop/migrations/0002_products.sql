-- Milestone 1: the catalog. `search` is kept by PostgreSQL itself from the name (weight A)
-- and the description (weight B), so no code path can forget to update it, and the GIN
-- index makes `search @@ query` fast.
CREATE TABLE products (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    description text NOT NULL,
    price_cents bigint NOT NULL CHECK (price_cents >= 0),
    stock integer NOT NULL CHECK (stock >= 0),
    category text NOT NULL,
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', name), 'A')
            || setweight(to_tsvector('english', description), 'B')
    ) STORED
);
CREATE INDEX products_search ON products USING gin (search);
CREATE INDEX products_category_price ON products (category, price_cents);
