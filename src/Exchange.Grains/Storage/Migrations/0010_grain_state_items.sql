-- Parts of a grain's state that rarely change once written (a wallet's closed orders and remembered client order
-- ids), one row each, so a write of the grain's state need not repeat them. Written in the same statement as the
-- state row they belong to, and only if that row's version check passed.
CREATE TABLE exchange.grain_state_items
(
    kind    text   NOT NULL,
    key     text   NOT NULL,
    name    text   NOT NULL,
    sort    bigint NOT NULL,
    payload bytea  NOT NULL,
    PRIMARY KEY (kind, key, name),
    FOREIGN KEY (kind, key) REFERENCES exchange.grain_states (kind, key)
);
