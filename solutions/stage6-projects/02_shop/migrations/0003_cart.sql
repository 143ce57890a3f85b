-- Milestone 2: a cart is the rows of its owner. Prices are not copied here: the cart shows
-- today's prices, the order (milestone 3) freezes them.
CREATE TABLE cart_items (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    product_id bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    quantity integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (user_id, product_id)
);
