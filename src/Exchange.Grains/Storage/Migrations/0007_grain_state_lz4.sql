-- Grain state is rewritten whole on every write (order books run to tens of KB). PostgreSQL's default pglz
-- compression of those values cost about a third of each write under load; lz4 is several times cheaper.
-- Servers built without lz4 keep pglz (the migration must not stop a silo from starting).
DO $$
BEGIN
    ALTER TABLE orleansstorage ALTER COLUMN payloadbinary SET COMPRESSION lz4;
EXCEPTION
    WHEN feature_not_supported OR invalid_parameter_value THEN
        RAISE NOTICE 'lz4 is not available here; grain state keeps the default compression';
END
$$;
