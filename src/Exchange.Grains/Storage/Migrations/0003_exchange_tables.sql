CREATE SCHEMA IF NOT EXISTS exchange;

-- Every trade, once: the trade id is the primary key, so replaying a settlement cannot add a row twice.
CREATE TABLE exchange.trade_journal
(
    trade_id       text        PRIMARY KEY,
    celebrity_id   text        NOT NULL,
    sequence       bigint      NOT NULL,
    buyer_id       text        NOT NULL,
    seller_id      text        NOT NULL,
    buy_order_id   text        NOT NULL,
    sell_order_id  text        NOT NULL,
    price_fen      bigint      NOT NULL CHECK (price_fen > 0),
    quantity       bigint      NOT NULL CHECK (quantity > 0),
    notional_fen   bigint      NOT NULL CHECK (notional_fen = price_fen * quantity),
    commission_fen bigint      NOT NULL CHECK (commission_fen >= 0 AND commission_fen <= notional_fen),
    executed_at    timestamptz NOT NULL,
    CONSTRAINT trade_journal_sequence UNIQUE (celebrity_id, sequence)
);

CREATE INDEX trade_journal_executed_at ON exchange.trade_journal (celebrity_id, executed_at DESC);

-- Which accounts and celebrities exist, so the audit can visit every one.
CREATE TABLE exchange.accounts
(
    account_id text        PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE exchange.celebrities
(
    celebrity_id text        PRIMARY KEY,
    created_at   timestamptz NOT NULL DEFAULT now()
);
