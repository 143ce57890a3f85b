-- Milestone 3: orders, their lines (name and price copied at checkout: a later change of
-- the product does not rewrite what was bought), and the idempotency keys of checkout.
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    status text NOT NULL CHECK (
        status IN ('pending_payment', 'paid', 'shipped', 'delivered', 'cancelled')
    ),
    address text NOT NULL,
    total_cents bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_user ON orders (user_id, id);

CREATE TABLE order_lines (
    order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id bigint NOT NULL REFERENCES products (id),
    name text NOT NULL,
    unit_price_cents bigint NOT NULL,
    quantity integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, product_id)
);

-- One row per (user, key): the primary key is what makes two racing retries one checkout.
-- `status` and `response` are written in the transaction that inserts the row, so whoever
-- sees the row sees them.
CREATE TABLE idempotency_keys (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key text NOT NULL,
    request jsonb NOT NULL,
    status smallint,
    response text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
