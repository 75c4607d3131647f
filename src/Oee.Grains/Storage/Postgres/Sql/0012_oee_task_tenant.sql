-- 0012: tenants (issue 12). A task may belong to a tenant (set at submit from a tenant-bound API key,
-- or by a trusted .NET client, and never changed); a tenant-bound key lists only its tenant's tasks.
-- NULL for a task without a tenant.

ALTER TABLE oee_task ADD COLUMN IF NOT EXISTS tenant varchar(64) COLLATE "C" NULL;

-- One tenant's tasks in listing order (newest first, keyset on created_at, id), and per status within
-- it: a tenant's listing reads only its own rows. Partial: tasks without a tenant take no space here.
CREATE INDEX IF NOT EXISTS ix_oee_task_tenant ON oee_task (service_id, tenant, created_at DESC, id DESC) WHERE tenant IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_oee_task_tenant_status ON oee_task (service_id, tenant, status, created_at DESC, id DESC) WHERE tenant IS NOT NULL;
