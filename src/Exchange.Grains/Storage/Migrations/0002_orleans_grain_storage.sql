-- Grain state for Microsoft.Orleans.Persistence.AdoNet.
-- Contract: the provider binds @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
-- @GrainIdExtensionString, @ServiceId, @GrainStateVersion and @PayloadBinary, and reads the columns
-- PayloadBinary and Version (read) or NewGrainStateVersion (write). A write whose returned version equals the one
-- it sent (or is empty) is an optimistic-concurrency conflict and surfaces as InconsistentStateException.
CREATE TABLE orleansstorage
(
    grainidhash            integer       NOT NULL,
    grainidn0              bigint        NOT NULL,
    grainidn1              bigint        NOT NULL,
    graintypehash          integer       NOT NULL,
    graintypestring        varchar(512)  NOT NULL,
    grainidextensionstring varchar(512),
    serviceid              varchar(150)  NOT NULL,
    payloadbinary          bytea,
    modifiedon             timestamp     NOT NULL,
    version                integer       NOT NULL
);

-- One row per grain: this is what makes a concurrent first insert by a duplicate activation fail.
CREATE UNIQUE INDEX orleansstorage_grain
    ON orleansstorage (serviceid, graintypestring, grainidn0, grainidn1, coalesce(grainidextensionstring, ''));

CREATE INDEX orleansstorage_lookup ON orleansstorage (grainidhash, graintypehash);

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', '
SELECT payloadbinary AS "PayloadBinary", version AS "Version"
FROM orleansstorage
WHERE grainidhash = @GrainIdHash
  AND graintypehash = @GrainTypeHash
  AND grainidn0 = @GrainIdN0
  AND grainidn1 = @GrainIdN1
  AND graintypestring = @GrainTypeString
  AND grainidextensionstring IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
  AND serviceid = @ServiceId
'),
('WriteToStorageKey', '
WITH updated AS (
    UPDATE orleansstorage
    SET payloadbinary = @PayloadBinary,
        modifiedon = (now() AT TIME ZONE ''utc''),
        version = version + 1
    WHERE CAST(@GrainStateVersion AS integer) IS NOT NULL
      AND grainidhash = @GrainIdHash
      AND graintypehash = @GrainTypeHash
      AND grainidn0 = @GrainIdN0
      AND grainidn1 = @GrainIdN1
      AND graintypestring = @GrainTypeString
      AND grainidextensionstring IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
      AND serviceid = @ServiceId
      AND version = CAST(@GrainStateVersion AS integer)
    RETURNING version
), inserted AS (
    INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
                                grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
           CAST(@GrainIdExtensionString AS varchar), @ServiceId, @PayloadBinary, (now() AT TIME ZONE ''utc''), 1
    WHERE CAST(@GrainStateVersion AS integer) IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT coalesce((SELECT version FROM updated), (SELECT version FROM inserted), CAST(@GrainStateVersion AS integer)) AS "NewGrainStateVersion"
'),
('ClearStorageKey', '
UPDATE orleansstorage
SET payloadbinary = NULL,
    version = version + 1
WHERE grainidhash = @GrainIdHash
  AND graintypehash = @GrainTypeHash
  AND grainidn0 = @GrainIdN0
  AND grainidn1 = @GrainIdN1
  AND graintypestring = @GrainTypeString
  AND grainidextensionstring IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
  AND serviceid = @ServiceId
  AND version = CAST(@GrainStateVersion AS integer)
RETURNING version AS "NewGrainStateVersion"
');
