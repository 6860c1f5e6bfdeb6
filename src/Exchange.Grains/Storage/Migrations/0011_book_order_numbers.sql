-- The last order number each wallet sent to each book, which is how a book recognises an order re-sent after a crash.
-- It was part of the book's header, so every book write rewrote one entry per wallet that ever traded the celebrity;
-- as rows, a write touches only the wallets whose orders it carries. Headers written before this still hold the map:
-- a book reads both and moves the map here on its first write.
CREATE TABLE exchange.book_order_numbers
(
    celebrity_id      text   NOT NULL REFERENCES exchange.order_books (celebrity_id),
    owner_id          text   NOT NULL,
    last_order_number bigint NOT NULL,
    PRIMARY KEY (celebrity_id, owner_id)
);
