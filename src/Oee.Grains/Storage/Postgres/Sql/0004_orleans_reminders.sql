-- 0004: reminder table and statements for Microsoft.Orleans.Reminders.AdoNet 10.x.
--
-- Contract (see README.md in this folder):
--  * @GrainId is GrainId.ToString() (e.g. "task/0123abcd"), @GrainHash is
--    (int)GrainId.GetUniformHashCode(); @BeginHash/@EndHash are ring bounds cast to int the
--    same way, so every hash comparison here is on signed 32-bit integers.
--  * The provider picks ReadRangeRows1Key when (int)BeginHash < (int)EndHash, otherwise
--    ReadRangeRows2Key (a range that wraps around, or the whole ring when Begin = End).
--    Both ranges are (Begin, End]: exclusive begin, inclusive end.
--  * @Period is milliseconds, sent as int or (above int.MaxValue) as bigint; read as Int64.
--  * Version is the reminder's ETag: Upsert returns the new one (column "Version"); Delete
--    succeeds only for the current one and returns one row with one column (0/1).
--  * Rows are read by column name: GrainId, ReminderName, StartTime, Period, Version.

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150) NOT NULL,
    GrainId      varchar(512) NOT NULL,
    ReminderName varchar(256) NOT NULL,
    StartTime    timestamptz  NOT NULL,
    Period       bigint       NOT NULL,
    GrainHash    integer      NOT NULL,
    Version      integer      NOT NULL,

    CONSTRAINT PK_OrleansRemindersTable PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Each silo loads the reminders of its slice of the hash ring.
CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_GrainHash
    ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
(
    'UpsertReminderRowKey',
    'INSERT INTO OrleansRemindersTable
         (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
     VALUES
         (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
     ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
        SET StartTime = EXCLUDED.StartTime,
            Period = EXCLUDED.Period,
            GrainHash = EXCLUDED.GrainHash,
            Version = OrleansRemindersTable.Version + 1
     RETURNING Version AS "Version"'
),
(
    'ReadReminderRowsKey',
    'SELECT GrainId      AS "GrainId",
            ReminderName AS "ReminderName",
            StartTime    AS "StartTime",
            Period       AS "Period",
            Version      AS "Version"
       FROM OrleansRemindersTable
      WHERE ServiceId = @ServiceId
        AND GrainId = @GrainId'
),
(
    'ReadReminderRowKey',
    'SELECT GrainId      AS "GrainId",
            ReminderName AS "ReminderName",
            StartTime    AS "StartTime",
            Period       AS "Period",
            Version      AS "Version"
       FROM OrleansRemindersTable
      WHERE ServiceId = @ServiceId
        AND GrainId = @GrainId
        AND ReminderName = @ReminderName'
),
(
    'ReadRangeRows1Key',
    'SELECT GrainId      AS "GrainId",
            ReminderName AS "ReminderName",
            StartTime    AS "StartTime",
            Period       AS "Period",
            Version      AS "Version"
       FROM OrleansRemindersTable
      WHERE ServiceId = @ServiceId
        AND GrainHash > @BeginHash
        AND GrainHash <= @EndHash'
),
(
    'ReadRangeRows2Key',
    'SELECT GrainId      AS "GrainId",
            ReminderName AS "ReminderName",
            StartTime    AS "StartTime",
            Period       AS "Period",
            Version      AS "Version"
       FROM OrleansRemindersTable
      WHERE ServiceId = @ServiceId
        AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)'
),
(
    'DeleteReminderRowKey',
    'WITH deleted AS (
        DELETE FROM OrleansRemindersTable
         WHERE ServiceId = @ServiceId
           AND GrainId = @GrainId
           AND ReminderName = @ReminderName
           AND Version = @Version
        RETURNING 1
    )
    SELECT count(*)::integer AS "Deleted" FROM deleted'
),
(
    'DeleteReminderRowsKey',
    'DELETE FROM OrleansRemindersTable
      WHERE ServiceId = @ServiceId'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
