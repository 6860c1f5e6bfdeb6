-- Order books are stored incrementally: a small header (market-protection state and the settlement outbox, in
-- Orleans' binary format) plus one row per resting order. A write updates the header and only the orders that
-- changed, in one statement, instead of rewriting every resting order of the book as one grain-state value.
CREATE TABLE exchange.order_books
(
    celebrity_id text   PRIMARY KEY,
    version      bigint NOT NULL CHECK (version > 0),
    header       bytea  NOT NULL
);

CREATE TABLE exchange.resting_orders
(
    celebrity_id       text     NOT NULL REFERENCES exchange.order_books (celebrity_id),
    engine_order_id    bigint   NOT NULL,
    order_id           text     NOT NULL,
    owner_id           text     NOT NULL,
    side               smallint NOT NULL,
    price_fen          bigint   NOT NULL CHECK (price_fen > 0),
    original_quantity  bigint   NOT NULL CHECK (original_quantity > 0),
    remaining_quantity bigint   NOT NULL CHECK (remaining_quantity > 0 AND remaining_quantity <= original_quantity),
    sequence           bigint   NOT NULL,
    PRIMARY KEY (celebrity_id, engine_order_id)
);
