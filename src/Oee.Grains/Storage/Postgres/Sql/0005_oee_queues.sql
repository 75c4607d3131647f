-- 0005: OEE's durable queues. A queue's backlog is one small row per unfinished task (inserted
-- at submit, deleted when the task leaves the queue), so no change ever rewrites the backlog.
-- The queue grain rebuilds its order from these rows on activation; next_sequence lets the
-- submit order continue where it stopped.

CREATE TABLE IF NOT EXISTS oee_queue
(
    service_id    varchar(150) NOT NULL,
    queue         varchar(128) COLLATE "C" NOT NULL,
    next_sequence bigint       NOT NULL DEFAULT 0,
    PRIMARY KEY (service_id, queue)
);

CREATE TABLE IF NOT EXISTS oee_queue_entry
(
    service_id varchar(150) NOT NULL,
    queue      varchar(128) COLLATE "C" NOT NULL,
    task_id    varchar(128) COLLATE "C" NOT NULL,
    priority   smallint     NOT NULL,
    sequence   bigint       NOT NULL,
    PRIMARY KEY (service_id, queue, task_id)
);

CREATE INDEX IF NOT EXISTS ix_oee_queue_entry_order
    ON oee_queue_entry (service_id, queue, priority DESC, sequence);
