-- 0010: queue quotas and fairness. A queue entry carries its task's concurrency key (the queue runs
-- at most maxPerKey tasks of one key at once) and when it began waiting (priority aging counts from
-- there), so that a queue rebuilt from its rows keeps both. The task index shows the key in listings.
-- Rows written before this migration have no key and start aging from the moment they are loaded.

ALTER TABLE oee_queue_entry ADD COLUMN IF NOT EXISTS concurrency_key varchar(64) COLLATE "C" NULL;
ALTER TABLE oee_queue_entry ADD COLUMN IF NOT EXISTS waiting_since timestamptz NULL;
ALTER TABLE oee_task ADD COLUMN IF NOT EXISTS concurrency_key varchar(64) COLLATE "C" NULL;
