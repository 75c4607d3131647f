-- 0007: retries and delayed starts. A queue entry of a scheduled task (a delayed start, or a retry
-- waiting for its backoff) carries its due time, so that a queue restored after a restart holds it
-- back until then; NULL for a ready task. The task index shows the due time and the dead-letter flag
-- (a task that ended error with its attempts used up), and lists dead-lettered tasks by themselves.
-- Status 6 is scheduled (OeeTaskStatus).

ALTER TABLE oee_queue_entry ADD COLUMN IF NOT EXISTS due_at timestamptz NULL;

ALTER TABLE oee_task ADD COLUMN IF NOT EXISTS next_run_at timestamptz NULL;
ALTER TABLE oee_task ADD COLUMN IF NOT EXISTS dead_lettered boolean NOT NULL DEFAULT false;

-- The dead-letter listing, newest first (a small part of the table: a partial index).
CREATE INDEX IF NOT EXISTS ix_oee_task_dead_lettered ON oee_task (service_id, created_at DESC, id DESC) WHERE dead_lettered;
