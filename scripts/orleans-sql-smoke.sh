#!/usr/bin/env bash
# Smoke test of the Orleans ADO.NET query catalogue (src/Oee.Grains/Storage/Postgres/Sql).
#
#   scripts/orleans-sql-smoke.sh [--apply]
#
# Runs every OrleansQuery text against the local PostgreSQL from scripts/pg.sh, with each
# @Parameter replaced by a literal, and checks the rows and column names the Orleans 10.x
# providers rely on. --apply first applies the 000N_*.sql scripts (safe to repeat).
# Uses its own DeploymentId / ServiceId values and deletes what it created.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SQL_DIR="$ROOT/src/Oee.Grains/Storage/Postgres/Sql"
PG="$ROOT/scripts/pg.sh"
TAG="smoke-$$"
FAILS=0
PASSES=0

psql_() { "$PG" psql -X -v ON_ERROR_STOP=1 "$@"; }

if [[ "${1:-}" == "--apply" ]]; then
    for f in "$SQL_DIR"/[0-9][0-9][0-9][0-9]_*.sql; do
        psql_ -q -1 -f "$f" >/dev/null 2>&1 || { psql_ -q -1 -f "$f"; exit 1; }
    done
fi

# q KEY [Name=literal ...]: run the stored query with literals; print header + rows ("a|b") or
# the command tag ("DELETE 1") when the statement returns no result set.
q() {
    local key="$1" text name value
    shift
    text="$(psql_ -At -c "SELECT QueryText FROM OrleansQuery WHERE QueryKey = '$key'")"
    [[ -n "$text" ]] || { echo "missing query $key"; return 0; }
    for kv in "$@"; do
        name="${kv%%=*}"
        value="${kv#*=}"
        text="$(NAME="$name" VALUE="$value" perl -pe 's/\@$ENV{NAME}\b/$ENV{VALUE}/g' <<<"$text")"
    done
    if grep -qE '@[A-Za-z]' <<<"$text"; then
        echo "unbound parameter in $key: $(grep -oE '@[A-Za-z0-9]+' <<<"$text" | sort -u | tr '\n' ' ')"
        return 0
    fi
    # psql prints the command tag after a RETURNING result set too: keep it only when it is
    # the sole output (a statement without a result set).
    psql_ -A -F '|' -P footer=off -c "$text" 2>&1 | grep -v '^$' |
        awk '{ line[NR] = $0 } END {
                 n = NR
                 if (n > 1 && line[n] ~ /^(INSERT|UPDATE|DELETE) [0-9 ]+$/) n--
                 for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? ";" : ""), line[i]
                 print "" }'
}

# check "description" "expected" actual
check() {
    if [[ "$2" == "$3" ]]; then
        PASSES=$((PASSES + 1))
        printf 'ok    %s\n' "$1"
    else
        FAILS=$((FAILS + 1))
        printf 'FAIL  %s\n      expected: %s\n      actual:   %s\n' "$1" "$2" "$3"
    fi
}

# ------------------------------------------------------------------ clustering
D="'$TAG-cluster'"
T0="'2026-01-01T00:00:00.123456Z'"
T1="'2026-01-01T00:01:00.5Z'"
S1=(DeploymentId="$D" Address="'10.0.0.1'" Port=11111 Generation=100)
S2=(DeploymentId="$D" Address="'10.0.0.2'" Port=11111 Generation=200)
MCOLS='DeploymentId|Address|Port|Generation|SiloName|HostName|Status|ProxyPort|SuspectTimes|StartTime|IAmAliveTime|Version'

check "InsertMembershipVersionKey creates the version row" "Inserted;1" "$(q InsertMembershipVersionKey DeploymentId="$D")"
check "InsertMembershipVersionKey again inserts nothing" "Inserted;0" "$(q InsertMembershipVersionKey DeploymentId="$D")"
check "MembershipReadAllKey on an empty cluster: one row, version only" \
    "$MCOLS;$TAG-cluster|||||||||||0" "$(q MembershipReadAllKey DeploymentId="$D")"
check "InsertMembershipKey with the current version" "Inserted;1" \
    "$(q InsertMembershipKey "${S1[@]}" SiloName="'silo1'" HostName="'host1'" Status=1 ProxyPort=30000 StartTime="$T0" IAmAliveTime="$T0" Version=0)"
check "InsertMembershipKey of an existing silo fails" "Inserted;0" \
    "$(q InsertMembershipKey "${S1[@]}" SiloName="'silo1'" HostName="'host1'" Status=1 ProxyPort=30000 StartTime="$T0" IAmAliveTime="$T0" Version=1)"
check "InsertMembershipKey with a stale version fails" "Inserted;0" \
    "$(q InsertMembershipKey "${S2[@]}" SiloName="'silo2'" HostName="'host2'" Status=1 ProxyPort=0 StartTime="$T0" IAmAliveTime="$T0" Version=0)"
check "failed inserts left the version alone" "Version;1" \
    "$(psql_ -A -P footer=off -c "SELECT Version AS \"Version\" FROM OrleansMembershipVersionTable WHERE DeploymentId = $D" | paste -sd ';' -)"
check "InsertMembershipKey of a second silo" "Inserted;1" \
    "$(q InsertMembershipKey "${S2[@]}" SiloName="'silo2'" HostName="'host2'" Status=1 ProxyPort=0 StartTime="$T0" IAmAliveTime="$T0" Version=1)"
check "UpdateIAmAlivetimeKey touches one row" "UPDATE 1" "$(q UpdateIAmAlivetimeKey "${S1[@]}" IAmAliveTime="$T1")"
check "UpdateMembershipKey with the current version" "Updated;1" \
    "$(q UpdateMembershipKey "${S1[@]}" Status=3 SuspectTimes=NULL IAmAliveTime="$T1" Version=2)"
check "UpdateMembershipKey with a stale version fails" "Updated;0" \
    "$(q UpdateMembershipKey "${S1[@]}" Status=3 SuspectTimes=NULL IAmAliveTime="$T1" Version=2)"
check "UpdateMembershipKey of a missing silo fails" "Updated;0" \
    "$(q UpdateMembershipKey DeploymentId="$D" Address="'10.0.0.9'" Port=1 Generation=1 Status=3 SuspectTimes=NULL IAmAliveTime="$T1" Version=3)"
check "MembershipReadRowKey: heartbeat kept the version at 3, columns in order" \
    "$MCOLS;$TAG-cluster|10.0.0.1|11111|100|silo1|host1|3|30000||2026-01-01 00:00:00.123456+00|2026-01-01 00:01:00.5+00|3" \
    "$(q MembershipReadRowKey "${S1[@]}")"
check "MembershipReadRowKey of an unknown silo: version row only" "$MCOLS;$TAG-cluster|||||||||||3" \
    "$(q MembershipReadRowKey DeploymentId="$D" Address="'10.0.0.9'" Port=1 Generation=1)"
check "MembershipReadAllKey returns both silos" "2" \
    "$(q MembershipReadAllKey DeploymentId="$D" | tr ';' '\n' | grep -c "^$TAG-cluster|10")"
check "GatewaysQueryKey: active silos with a gateway port" "Address|ProxyPort|Generation;10.0.0.1|30000|100" \
    "$(q GatewaysQueryKey DeploymentId="$D" Status=3)"
SUSPECT="'S10.0.0.1:11111:100,2026-01-01 00:02:00.000 GMT'"
check "UpdateMembershipKey declares silo2 dead with a suspicion" "Updated;1" \
    "$(q UpdateMembershipKey "${S2[@]}" Status=6 SuspectTimes="$SUSPECT" IAmAliveTime="$T0" Version=3)"
check "CleanupDefunctSiloEntriesKey spares the active silo and recent deaths" "DELETE 0" \
    "$(q CleanupDefunctSiloEntriesKey DeploymentId="$D" IAmAliveTime="$T0")"
check "CleanupDefunctSiloEntryKey ignores a row that changed since it was read" "DELETE 0" \
    "$(q CleanupDefunctSiloEntryKey "${S2[@]}" StartTime="$T0" IAmAliveTime="$T0" SuspectTimes=NULL)"
check "CleanupDefunctSiloEntryKey deletes the row exactly as read" "DELETE 1" \
    "$(q CleanupDefunctSiloEntryKey "${S2[@]}" StartTime="$T0" IAmAliveTime="$T0" SuspectTimes="$SUSPECT")"
check "cleanup left the version alone" "Version;4" \
    "$(psql_ -A -P footer=off -c "SELECT Version AS \"Version\" FROM OrleansMembershipVersionTable WHERE DeploymentId = $D" | paste -sd ';' -)"
check "DeleteMembershipTableEntriesKey removes the cluster" "DELETE 1" "$(q DeleteMembershipTableEntriesKey DeploymentId="$D")"
check "nothing left of the cluster" "0" \
    "$(psql_ -At -c "SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = $D")"

# ------------------------------------------------------------------ persistence
SVC="'$TAG-svc'"
G=(GrainIdHash=-123456789 GrainIdN0=1311768467294899695 GrainIdN1=-81985529216486896 GrainTypeHash=987654321
   GrainTypeString="'task'" ServiceId="$SVC")
GX=("${G[@]}" GrainIdExtensionString=NULL)
GE=("${G[@]}" GrainIdExtensionString="'ext'")
P1="decode('7b2261223a317d','hex')"
P2="decode('7b2261223a327d','hex')"

check "ReadFromStorageKey of a new grain: no row" "PayloadBinary|Version" "$(q ReadFromStorageKey "${GX[@]}")"
check "WriteToStorageKey first write (no ETag) returns version 1" "NewGrainStateVersion;1" \
    "$(q WriteToStorageKey "${GX[@]}" GrainStateVersion=NULL PayloadBinary="$P1")"
check "WriteToStorageKey second first-write (duplicate activation) conflicts" "NewGrainStateVersion" \
    "$(q WriteToStorageKey "${GX[@]}" GrainStateVersion=NULL PayloadBinary="$P1")"
check "ReadFromStorageKey returns payload and version" 'PayloadBinary|Version;\x7b2261223a317d|1' \
    "$(q ReadFromStorageKey "${GX[@]}")"
check "WriteToStorageKey with the current ETag returns version 2" "NewGrainStateVersion;2" \
    "$(q WriteToStorageKey "${GX[@]}" GrainStateVersion=1 PayloadBinary="$P2")"
check "WriteToStorageKey with a stale ETag conflicts" "NewGrainStateVersion" \
    "$(q WriteToStorageKey "${GX[@]}" GrainStateVersion=1 PayloadBinary="$P1")"
check "a key extension is a different grain" "NewGrainStateVersion;1" \
    "$(q WriteToStorageKey "${GE[@]}" GrainStateVersion=NULL PayloadBinary="$P1")"
check "ClearStorageKey with a stale ETag conflicts" "NewGrainStateVersion" "$(q ClearStorageKey "${GX[@]}" GrainStateVersion=1)"
check "ClearStorageKey keeps the row, bumps the version" "NewGrainStateVersion;3" "$(q ClearStorageKey "${GX[@]}" GrainStateVersion=2)"
check "ReadFromStorageKey after clear: null payload, version 3" "PayloadBinary|Version;|3" "$(q ReadFromStorageKey "${GX[@]}")"
check "WriteToStorageKey after clear continues from the version" "NewGrainStateVersion;4" \
    "$(q WriteToStorageKey "${GX[@]}" GrainStateVersion=3 PayloadBinary="$P1")"
check "DeleteStorageKey with a stale ETag conflicts" "NewGrainStateVersion" "$(q DeleteStorageKey "${GX[@]}" GrainStateVersion=3)"
check "DeleteStorageKey removes the row" "NewGrainStateVersion;5" "$(q DeleteStorageKey "${GX[@]}" GrainStateVersion=4)"
check "ReadFromStorageKey after delete: no row" "PayloadBinary|Version" "$(q ReadFromStorageKey "${GX[@]}")"
check "WriteToStorageKey after delete starts over at 1" "NewGrainStateVersion;1" \
    "$(q WriteToStorageKey "${GX[@]}" GrainStateVersion=NULL PayloadBinary="$P1")"
check "the extension grain was untouched" 'PayloadBinary|Version;\x7b2261223a317d|1' "$(q ReadFromStorageKey "${GE[@]}")"
psql_ -q -c "DELETE FROM OrleansStorage WHERE ServiceId = $SVC"

# ------------------------------------------------------------------ reminders
R=(ServiceId="$SVC" GrainId="'task/abc'")
RCOLS='GrainId|ReminderName|StartTime|Period|Version'

check "UpsertReminderRowKey inserts with version 0" "Version;0" \
    "$(q UpsertReminderRowKey "${R[@]}" ReminderName="'tick'" StartTime="$T0" Period=60000 GrainHash=-5)"
check "UpsertReminderRowKey updates and bumps the version" "Version;1" \
    "$(q UpsertReminderRowKey "${R[@]}" ReminderName="'tick'" StartTime="$T1" Period=5000000000 GrainHash=-5)"
check "UpsertReminderRowKey of a second reminder" "Version;0" \
    "$(q UpsertReminderRowKey ServiceId="$SVC" GrainId="'task/xyz'" ReminderName="'tock'" StartTime="$T0" Period=1000 GrainHash=2000000000)"
check "ReadReminderRowKey: columns in order, bigint period" "$RCOLS;task/abc|tick|2026-01-01 00:01:00.5+00|5000000000|1" \
    "$(q ReadReminderRowKey "${R[@]}" ReminderName="'tick'")"
check "ReadReminderRowKey of a missing reminder: no row" "$RCOLS" "$(q ReadReminderRowKey "${R[@]}" ReminderName="'nope'")"
check "ReadReminderRowsKey: the grain's reminders" "$RCOLS;task/abc|tick|2026-01-01 00:01:00.5+00|5000000000|1" \
    "$(q ReadReminderRowsKey "${R[@]}")"
check "ReadRangeRows1Key (begin, end] includes end" "$RCOLS;task/abc|tick|2026-01-01 00:01:00.5+00|5000000000|1" \
    "$(q ReadRangeRows1Key ServiceId="$SVC" BeginHash=-10 EndHash=-5)"
check "ReadRangeRows1Key (begin, end] excludes begin" "$RCOLS" "$(q ReadRangeRows1Key ServiceId="$SVC" BeginHash=-5 EndHash=100)"
check "ReadRangeRows2Key wraps around the ring" "$RCOLS;task/xyz|tock|2026-01-01 00:00:00.123456+00|1000|0" \
    "$(q ReadRangeRows2Key ServiceId="$SVC" BeginHash=1000 EndHash=-100)"
check "ReadRangeRows2Key with begin = end is the whole ring" "2" \
    "$(q ReadRangeRows2Key ServiceId="$SVC" BeginHash=7 EndHash=7 | tr ';' '\n' | grep -c '^task/')"
check "DeleteReminderRowKey with a stale ETag fails" "Deleted;0" "$(q DeleteReminderRowKey "${R[@]}" ReminderName="'tick'" Version=0)"
check "DeleteReminderRowKey with the current ETag" "Deleted;1" "$(q DeleteReminderRowKey "${R[@]}" ReminderName="'tick'" Version=1)"
check "DeleteReminderRowsKey clears the service" "DELETE 1" "$(q DeleteReminderRowsKey ServiceId="$SVC")"

echo "$PASSES passed, $FAILS failed"
((FAILS == 0))
