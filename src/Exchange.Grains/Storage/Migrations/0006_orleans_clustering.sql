-- Cluster membership for Microsoft.Orleans.Clustering.AdoNet 10.4.
-- Contract: parameters @DeploymentId (the cluster id), @Address, @Port, @Generation, @SiloName, @HostName,
-- @Status, @ProxyPort, @SuspectTimes, @StartTime, @IAmAliveTime and @Version (the table version the silo read).
-- Writes succeed only against the version they read (optimistic concurrency over the whole table) and return
-- the number of rows changed (0 = lost the race: Orleans re-reads and retries).
CREATE TABLE orleansmembershipversiontable
(
    deploymentid varchar(150) NOT NULL PRIMARY KEY,
    timestamp    timestamptz  NOT NULL DEFAULT now(),
    version      integer      NOT NULL DEFAULT 0
);

CREATE TABLE orleansmembershiptable
(
    deploymentid varchar(150)  NOT NULL REFERENCES orleansmembershipversiontable (deploymentid),
    address      varchar(45)   NOT NULL,
    port         integer       NOT NULL,
    generation   integer       NOT NULL,
    siloname     varchar(150)  NOT NULL,
    hostname     varchar(150)  NOT NULL,
    status       integer       NOT NULL,
    proxyport    integer,
    suspecttimes varchar(8000),
    starttime    timestamptz   NOT NULL,
    iamalivetime timestamptz   NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', '
WITH inserted AS (
    INSERT INTO orleansmembershipversiontable (deploymentid) VALUES (@DeploymentId)
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1
)
SELECT CAST(count(*) AS integer) FROM inserted
'),
('InsertMembershipKey', '
WITH bumped AS (
    UPDATE orleansmembershipversiontable
    SET version = version + 1, timestamp = now()
    WHERE deploymentid = @DeploymentId AND version = @Version
    RETURNING 1
), inserted AS (
    INSERT INTO orleansmembershiptable (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
    SELECT @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    WHERE EXISTS (SELECT 1 FROM bumped)
    ON CONFLICT (deploymentid, address, port, generation) DO NOTHING
    RETURNING 1
)
SELECT CAST(count(*) AS integer) FROM inserted
'),
('UpdateMembershipKey', '
WITH bumped AS (
    UPDATE orleansmembershipversiontable
    SET version = version + 1, timestamp = now()
    WHERE deploymentid = @DeploymentId AND version = @Version
    RETURNING 1
), updated AS (
    UPDATE orleansmembershiptable
    SET status = @Status, suspecttimes = @SuspectTimes, iamalivetime = @IAmAliveTime
    WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
      AND EXISTS (SELECT 1 FROM bumped)
    RETURNING 1
)
SELECT CAST(count(*) AS integer) FROM updated
'),
('UpdateIAmAlivetimeKey', '
UPDATE orleansmembershiptable
SET iamalivetime = @IAmAliveTime
WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
'),
('MembershipReadRowKey', '
SELECT v.deploymentid AS "DeploymentId", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.siloname AS "SiloName", m.hostname AS "HostName", m.status AS "Status", m.proxyport AS "ProxyPort",
       m.suspecttimes AS "SuspectTimes", m.starttime AS "StartTime", m.iamalivetime AS "IAmAliveTime", v.version AS "Version"
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m
       ON v.deploymentid = m.deploymentid AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deploymentid = @DeploymentId
'),
('MembershipReadAllKey', '
SELECT v.deploymentid AS "DeploymentId", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.siloname AS "SiloName", m.hostname AS "HostName", m.status AS "Status", m.proxyport AS "ProxyPort",
       m.suspecttimes AS "SuspectTimes", m.starttime AS "StartTime", m.iamalivetime AS "IAmAliveTime", v.version AS "Version"
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m ON v.deploymentid = m.deploymentid
WHERE v.deploymentid = @DeploymentId
'),
('DeleteMembershipTableEntriesKey', '
DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId;
DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId;
'),
('GatewaysQueryKey', '
SELECT address AS "Address", proxyport AS "ProxyPort", generation AS "Generation"
FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0
'),
('CleanupDefunctSiloEntriesKey', '
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId AND iamalivetime < @IAmAliveTime AND status <> 3
');
