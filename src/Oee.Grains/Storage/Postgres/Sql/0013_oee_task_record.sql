-- 0013: task records in a table of OEE's own (issue 13), so that a silo can write the records of many
-- tasks in one statement (group commit) instead of one Orleans grain-storage write per task.
--
-- One row per task: the record as Orleans' binary serializer writes the task grain's state
-- (TaskGrainState, the same bytes the ADO.NET grain storage kept in OrleansStorage.PayloadBinary) and
-- its version, the ETag every write checks: a write names the version it read (none for a new task)
-- and changes the row only when that is still the stored one; the row's version then goes up by one.
-- A purged task's row is deleted.

CREATE TABLE IF NOT EXISTS oee_task_record
(
    service_id varchar(150) COLLATE "C" NOT NULL,
    id         varchar(512) COLLATE "C" NOT NULL,
    payload    bytea        NOT NULL,
    version    integer      NOT NULL,
    PRIMARY KEY (service_id, id)
)
-- Room on each page so that a record's rewrites (submit, start, done) can be HOT updates.
WITH (fillfactor = 80);

-- Records written by earlier versions through Orleans' grain storage (state name "task" of the task
-- grain, whose string key is kept whole in GrainIdExtensionString) move here with their versions, so
-- that the ETags the old rows had stay valid. Cleared rows (a purged task) hold no payload: dropped.
INSERT INTO oee_task_record (service_id, id, payload, version)
SELECT ServiceId, GrainIdExtensionString, PayloadBinary, Version
  FROM OrleansStorage
 WHERE GrainTypeString = 'task' AND GrainIdN0 = 0 AND GrainIdN1 = 0
   AND GrainIdExtensionString IS NOT NULL AND PayloadBinary IS NOT NULL
ON CONFLICT (service_id, id) DO NOTHING;

DELETE FROM OrleansStorage WHERE GrainTypeString = 'task' AND GrainIdN0 = 0 AND GrainIdN1 = 0;
