-- 0002: membership (clustering) tables and statements for Microsoft.Orleans.Clustering.AdoNet 10.x.
--
-- Contract (see README.md in this folder):
--  * DeploymentId is Orleans' ClusterOptions.ClusterId.
--  * One version row per cluster; Version is the membership table's ETag. Every membership
--    insert/update must succeed only when the caller's @Version still matches, and must bump it.
--    Heartbeats (UpdateIAmAlivetimeKey) must NOT bump it.
--  * Statements returning "success" must return exactly one row with exactly one column
--    (the provider calls Convert.ToBoolean on it: 0 = false, anything else = true).
--  * Result columns are read by name; they are aliased with quoted names to match exactly.
--  * SiloStatus values: 3 = Active, 6 = Dead.
--
-- Written for DbUp: no $tag$ dollar quotes (DbUp treats $name$ as a variable), only $$.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL,
    Timestamp    timestamptz  NOT NULL DEFAULT now(),
    Version      integer      NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL,
    Address      varchar(45)  NOT NULL,
    Port         integer      NOT NULL,
    Generation   integer      NOT NULL,
    SiloName     varchar(150) NOT NULL,
    HostName     varchar(150) NOT NULL,
    Status       integer      NOT NULL,
    ProxyPort    integer      NOT NULL DEFAULT 0,
    SuspectTimes text         NULL,
    StartTime    timestamptz  NOT NULL,
    IAmAliveTime timestamptz  NOT NULL,

    CONSTRAINT PK_OrleansMembershipTable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_OrleansMembershipTable_Version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId) ON DELETE CASCADE
);

-- Insert a silo row and bump the table version, all or nothing.
-- Returns 1 when both happened, 0 when the version did not match or the row already exists.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_silo_name       text,
    p_host_name       text,
    p_status          integer,
    p_proxy_port      integer,
    p_start_time      timestamptz,
    p_i_am_alive_time timestamptz,
    p_version         integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
BEGIN
    -- The version row's lock serialises concurrent membership writers of a cluster; a writer
    -- that had to wait re-checks Version against the committed value and so matches nothing.
    UPDATE OrleansMembershipVersionTable
       SET Version = Version + 1,
           Timestamp = now()
     WHERE DeploymentId = p_deployment_id
       AND Version = p_version;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort,
         SuspectTimes, StartTime, IAmAliveTime)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status,
         COALESCE(p_proxy_port, 0), NULL, p_start_time, p_i_am_alive_time);
    RETURN 1;
EXCEPTION WHEN unique_violation THEN
    -- The silo row exists already. Leaving through the handler rolls back everything the
    -- block did, including the version bump.
    RETURN 0;
END
$$;

-- Update a silo row (status, suspicions, heartbeat) and bump the table version, all or nothing.
-- Returns 1 when both happened, 0 when the version did not match or the row does not exist.
CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_status          integer,
    p_suspect_times   text,
    p_i_am_alive_time timestamptz,
    p_version         integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE OrleansMembershipVersionTable
       SET Version = Version + 1,
           Timestamp = now()
     WHERE DeploymentId = p_deployment_id
       AND Version = p_version;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    UPDATE OrleansMembershipTable
       SET Status = p_status,
           SuspectTimes = p_suspect_times,
           IAmAliveTime = p_i_am_alive_time
     WHERE DeploymentId = p_deployment_id
       AND Address = p_address
       AND Port = p_port
       AND Generation = p_generation;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'no_data_found';
    END IF;
    RETURN 1;
EXCEPTION WHEN no_data_found THEN
    -- No such silo row: the handler rolls back the version bump.
    RETURN 0;
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
(
    'InsertMembershipVersionKey',
    'WITH inserted AS (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId)
        VALUES (@DeploymentId)
        ON CONFLICT (DeploymentId) DO NOTHING
        RETURNING 1
    )
    SELECT count(*)::integer AS "Inserted" FROM inserted'
),
(
    'InsertMembershipKey',
    'SELECT orleans_membership_insert(
        @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS "Inserted"'
),
(
    'UpdateMembershipKey',
    'SELECT orleans_membership_update(
        @DeploymentId, @Address, @Port, @Generation,
        @Status, @SuspectTimes, @IAmAliveTime, @Version) AS "Updated"'
),
(
    'UpdateIAmAlivetimeKey',
    'UPDATE OrleansMembershipTable
        SET IAmAliveTime = @IAmAliveTime
      WHERE DeploymentId = @DeploymentId
        AND Address = @Address
        AND Port = @Port
        AND Generation = @Generation'
),
(
    'MembershipReadRowKey',
    'SELECT v.DeploymentId AS "DeploymentId",
            m.Address      AS "Address",
            m.Port         AS "Port",
            m.Generation   AS "Generation",
            m.SiloName     AS "SiloName",
            m.HostName     AS "HostName",
            m.Status       AS "Status",
            m.ProxyPort    AS "ProxyPort",
            m.SuspectTimes AS "SuspectTimes",
            m.StartTime    AS "StartTime",
            m.IAmAliveTime AS "IAmAliveTime",
            v.Version      AS "Version"
       FROM OrleansMembershipVersionTable v
       LEFT JOIN OrleansMembershipTable m
              ON m.DeploymentId = v.DeploymentId
             AND m.Address = @Address
             AND m.Port = @Port
             AND m.Generation = @Generation
      WHERE v.DeploymentId = @DeploymentId'
),
(
    'MembershipReadAllKey',
    'SELECT v.DeploymentId AS "DeploymentId",
            m.Address      AS "Address",
            m.Port         AS "Port",
            m.Generation   AS "Generation",
            m.SiloName     AS "SiloName",
            m.HostName     AS "HostName",
            m.Status       AS "Status",
            m.ProxyPort    AS "ProxyPort",
            m.SuspectTimes AS "SuspectTimes",
            m.StartTime    AS "StartTime",
            m.IAmAliveTime AS "IAmAliveTime",
            v.Version      AS "Version"
       FROM OrleansMembershipVersionTable v
       LEFT JOIN OrleansMembershipTable m
              ON m.DeploymentId = v.DeploymentId
      WHERE v.DeploymentId = @DeploymentId'
),
(
    'GatewaysQueryKey',
    'SELECT Address    AS "Address",
            ProxyPort  AS "ProxyPort",
            Generation AS "Generation"
       FROM OrleansMembershipTable
      WHERE DeploymentId = @DeploymentId
        AND Status = @Status
        AND ProxyPort > 0'
),
(
    -- Deletes the version row; the silo rows go with it (ON DELETE CASCADE).
    'DeleteMembershipTableEntriesKey',
    'DELETE FROM OrleansMembershipVersionTable
      WHERE DeploymentId = @DeploymentId'
),
(
    -- Required by 10.x but only used when CleanupDefunctSiloEntryKey is absent:
    -- bulk delete of Dead silos whose last heartbeat and start are older than the cut-off.
    'CleanupDefunctSiloEntriesKey',
    'DELETE FROM OrleansMembershipTable
      WHERE DeploymentId = @DeploymentId
        AND Status = 6
        AND IAmAliveTime < @IAmAliveTime
        AND StartTime < @IAmAliveTime'
),
(
    -- Optional in 10.4.x and preferred when present: the provider reads all rows, picks Dead
    -- silos older than the cut-off itself and deletes each one only if it is still exactly
    -- the row it saw (no heartbeat, restart or new suspicion since). Does not touch Version.
    'CleanupDefunctSiloEntryKey',
    'DELETE FROM OrleansMembershipTable
      WHERE DeploymentId = @DeploymentId
        AND Address = @Address
        AND Port = @Port
        AND Generation = @Generation
        AND Status = 6
        AND StartTime = @StartTime
        AND IAmAliveTime = @IAmAliveTime
        AND COALESCE(SuspectTimes, '''') = COALESCE(@SuspectTimes, '''')'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
