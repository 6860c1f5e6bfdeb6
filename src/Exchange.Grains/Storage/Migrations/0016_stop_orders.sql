-- Stop orders wait off the book until a trade reaches their stop price. They get a table of their own rather than
-- columns on resting_orders: a silo of the previous version, which reads every resting_orders row as a limit order on
-- the book, must never put a stop order there during a rolling upgrade. It ignores this table (its stops just do not
-- trigger while it holds the book) and removes no row of it, since it never knew their engine ids.
CREATE TABLE IF NOT EXISTS exchange.stop_orders
(
    celebrity_id    text     NOT NULL REFERENCES exchange.order_books (celebrity_id),
    engine_order_id bigint   NOT NULL,
    order_id        text     NOT NULL,
    owner_id        text     NOT NULL,
    side            smallint NOT NULL,
    order_type      smallint NOT NULL,
    time_in_force   smallint NOT NULL,
    limit_price_fen bigint   NOT NULL CHECK (limit_price_fen >= 0),
    stop_price_fen  bigint   NOT NULL CHECK (stop_price_fen > 0),
    quantity        bigint   NOT NULL CHECK (quantity > 0),
    sequence        bigint   NOT NULL,
    PRIMARY KEY (celebrity_id, engine_order_id)
);
