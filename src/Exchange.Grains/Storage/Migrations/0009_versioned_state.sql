-- Serialized state of grains that write on nearly every request (wallets), one row each. Writes from many grains
-- are applied in one statement, each guarded by the version its writer read (see PostgresVersionedStateStore).
CREATE TABLE exchange.grain_states
(
    kind    text   NOT NULL,
    key     text   NOT NULL,
    version bigint NOT NULL CHECK (version > 0),
    payload bytea  NOT NULL,
    PRIMARY KEY (kind, key)
);

-- Like grain storage (0007): lz4 is several times cheaper than pglz where the server has it.
DO $$
BEGIN
    ALTER TABLE exchange.grain_states ALTER COLUMN payload SET COMPRESSION lz4;
    ALTER TABLE exchange.order_books ALTER COLUMN header SET COMPRESSION lz4;
EXCEPTION
    WHEN feature_not_supported OR invalid_parameter_value THEN
        RAISE NOTICE 'lz4 is not available here; grain state keeps the default compression';
END
$$;
