-- 0011: child tasks (issue 10). A task may name its parent (e.g. a pipeline's stage tasks name the
-- pipeline task): listings filter by it, and cancelling the parent finds its children through it.
-- Set at submit and never changed; NULL for a task without a parent.

ALTER TABLE oee_task ADD COLUMN IF NOT EXISTS parent_id text NULL;

-- The children of one task, newest first (only tasks with a parent: a partial index).
CREATE INDEX IF NOT EXISTS ix_oee_task_parent ON oee_task (service_id, parent_id, created_at DESC, id DESC) WHERE parent_id IS NOT NULL;
