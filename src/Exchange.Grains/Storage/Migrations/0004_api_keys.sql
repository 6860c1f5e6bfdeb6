-- API keys: only a SHA-256 hash of each key's secret is stored; the secret is shown once, when the key is made.
CREATE TABLE exchange.api_keys
(
    key_id      text        PRIMARY KEY,
    secret_hash bytea       NOT NULL,
    account_id  text        NOT NULL,
    role        text        NOT NULL CHECK (role IN ('fan', 'celebrity', 'operator')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE INDEX api_keys_account ON exchange.api_keys (account_id);

-- A fan's own trade history is read by account.
CREATE INDEX trade_journal_buyer ON exchange.trade_journal (buyer_id, sequence DESC);
CREATE INDEX trade_journal_seller ON exchange.trade_journal (seller_id, sequence DESC);
