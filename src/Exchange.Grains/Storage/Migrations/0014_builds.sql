-- Every build that has run against this database, by the sum of its grain interface versions (see SiloVersions). A silo
-- of an older build than one recorded here refuses to start: it would read state the newer build wrote, drop the fields
-- it does not know and write it back without them.
CREATE TABLE exchange.builds
(
    version_sum      integer     PRIMARY KEY,
    first_started_at timestamptz NOT NULL DEFAULT now()
);
