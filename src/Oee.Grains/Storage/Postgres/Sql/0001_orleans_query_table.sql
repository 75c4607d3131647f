-- 0001: the catalogue of statements the Orleans ADO.NET providers execute.
--
-- Every Orleans ADO.NET provider (clustering, grain storage, reminders) starts by running
--   SELECT QueryKey, QueryText FROM OrleansQuery
-- and afterwards executes only the QueryText values it found, binding its own named
-- parameters (@DeploymentId, @GrainIdHash, ...). Scripts 0002-0004 fill this table.
--
-- Identifiers are deliberately unquoted: PostgreSQL folds them to lower case, which is what
-- the providers' unquoted SQL (e.g. "FROM OrleansQuery") resolves to.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,

    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);
