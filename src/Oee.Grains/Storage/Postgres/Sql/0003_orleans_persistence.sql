-- 0003: grain state table and statements for Microsoft.Orleans.Persistence.AdoNet 10.x.
--
-- Contract (see README.md in this folder):
--  * The provider computes GrainIdHash and GrainTypeHash itself (32-bit hashes, C# side) and
--    always passes the full identity as well: GrainIdN0/GrainIdN1 (Guid halves or 0/long key),
--    GrainIdExtensionString (key extension, or the whole key for string-keyed grains, else NULL),
--    GrainTypeString (the storage "grain type", which for IPersistentState is the state name)
--    and ServiceId. Hashes only narrow the index search; the full identity decides.
--  * Version is the grain state's ETag. @GrainStateVersion is NULL when the grain believes no
--    row exists. A statement whose version check fails must return no row; the provider then
--    raises InconsistentStateException.
--  * Write returns one row, column "NewGrainStateVersion"; read returns columns "PayloadBinary"
--    and "Version" (by name); clear/delete return one row whose first column is the new version.
--
-- Requires PostgreSQL 15+ (UNIQUE ... NULLS NOT DISTINCT).

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea        NULL,
    ModifiedOn             timestamptz  NOT NULL DEFAULT now(),
    Version                integer      NOT NULL
)
-- Leave room on each page so that state rewrites can be HOT updates (no index maintenance).
WITH (fillfactor = 80);

-- One row per (service, grain, state). The hashes lead so that the index is selective on its
-- first columns; the full identity makes it exact. NULLS NOT DISTINCT: a NULL key extension is
-- a value like any other, so two concurrent first writes of the same grain cannot both insert.
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Grain
    ON OrleansStorage (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId,
                       GrainTypeString, GrainIdExtensionString)
    NULLS NOT DISTINCT;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
(
    'ReadFromStorageKey',
    'SELECT PayloadBinary AS "PayloadBinary",
            Version       AS "Version"
       FROM OrleansStorage
      WHERE GrainIdHash = @GrainIdHash
        AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0
        AND GrainIdN1 = @GrainIdN1
        AND ServiceId = @ServiceId
        AND GrainTypeString = @GrainTypeString
        AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString'
),
(
    -- One statement, no function: update when the caller holds a version, insert when it holds
    -- none. A stale version updates nothing; an insert racing another insert hits the unique
    -- index and inserts nothing. Either way no row comes back = version conflict.
    'WriteToStorageKey',
    'WITH updated AS (
        UPDATE OrleansStorage
           SET PayloadBinary = @PayloadBinary,
               ModifiedOn = now(),
               Version = Version + 1
         WHERE @GrainStateVersion IS NOT NULL
           AND GrainIdHash = @GrainIdHash
           AND GrainTypeHash = @GrainTypeHash
           AND GrainIdN0 = @GrainIdN0
           AND GrainIdN1 = @GrainIdN1
           AND ServiceId = @ServiceId
           AND GrainTypeString = @GrainTypeString
           AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
           AND Version = @GrainStateVersion
        RETURNING Version
    ),
    inserted AS (
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
             GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
               @GrainIdExtensionString, @ServiceId, @PayloadBinary, now(), 1
         WHERE @GrainStateVersion IS NULL
        ON CONFLICT DO NOTHING
        RETURNING Version
    )
    SELECT Version AS "NewGrainStateVersion" FROM updated
    UNION ALL
    SELECT Version FROM inserted'
),
(
    -- ClearStateAsync with DeleteStateOnClear = false (the default): keep the row, drop the
    -- payload, bump the version. The grain keeps the returned version as its ETag.
    'ClearStorageKey',
    'UPDATE OrleansStorage
        SET PayloadBinary = NULL,
            ModifiedOn = now(),
            Version = Version + 1
      WHERE GrainIdHash = @GrainIdHash
        AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0
        AND GrainIdN1 = @GrainIdN1
        AND ServiceId = @ServiceId
        AND GrainTypeString = @GrainTypeString
        AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
        AND Version = @GrainStateVersion
    RETURNING Version AS "NewGrainStateVersion"'
),
(
    -- ClearStateAsync with DeleteStateOnClear = true: delete the row. The value returned only
    -- has to differ from the ETag the caller holds; the provider then sets the ETag to null.
    'DeleteStorageKey',
    'DELETE FROM OrleansStorage
      WHERE GrainIdHash = @GrainIdHash
        AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0
        AND GrainIdN1 = @GrainIdN1
        AND ServiceId = @ServiceId
        AND GrainTypeString = @GrainTypeString
        AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
        AND Version = @GrainStateVersion
    RETURNING Version + 1 AS "NewGrainStateVersion"'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
