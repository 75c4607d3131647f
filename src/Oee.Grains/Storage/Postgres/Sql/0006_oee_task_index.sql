-- 0006: OEE's task index in durable mode: one summary row per task (no input or result), kept
-- by the task grains after every transition (newer version wins), read by listings, counts and
-- clean-up. The task record itself stays in Orleans grain storage (OrleansStorage).
-- Status numbers: 1 queued, 2 running, 3 done, 4 error, 5 cancelled (OeeTaskStatus).

CREATE TABLE IF NOT EXISTS oee_task
(
    service_id   varchar(150) NOT NULL,
    id           varchar(128) COLLATE "C" NOT NULL,
    name         varchar(200) NOT NULL,
    handler      varchar(128) NOT NULL,
    queue        varchar(128) COLLATE "C" NOT NULL,
    priority     smallint     NOT NULL,
    tags         text[]       NOT NULL DEFAULT '{}',
    status       smallint     NOT NULL,
    created_at   timestamptz  NOT NULL,
    started_at   timestamptz  NULL,
    completed_at timestamptz  NULL,
    attempt      integer      NOT NULL,
    silo         varchar(256) NULL,
    version      bigint       NOT NULL,
    PRIMARY KEY (service_id, id)
)
WITH (fillfactor = 85);

-- Listing order (newest first) overall, per status and per queue; keyset pagination on (created_at, id).
CREATE INDEX IF NOT EXISTS ix_oee_task_created ON oee_task (service_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_oee_task_status ON oee_task (service_id, status, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_oee_task_queue ON oee_task (service_id, queue, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_oee_task_tags ON oee_task USING gin (tags);
-- Clean-up of finished tasks by age.
CREATE INDEX IF NOT EXISTS ix_oee_task_finished ON oee_task (service_id, completed_at) WHERE status IN (3, 4, 5);
