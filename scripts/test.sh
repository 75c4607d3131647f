#!/usr/bin/env bash
# Runs OEE's whole test suite on a fresh machine: builds the solution in Release, starts the
# project's local PostgreSQL (scripts/pg.sh) for the durable tests, runs every test project
# under tests/ one after another, and ends with one line: "N passed, N failed, N skipped".
# Exits non-zero when anything failed (a build failure counts as one failed test).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

logs=$(mktemp -d)
if ! dotnet build Oee.Orleans.sln -c Release 2>&1 | tee "$logs/build.log" | grep -E "error|Warn|Build succeeded|Elapsed"; then
    :
fi
if ! grep -q "Build succeeded" "$logs/build.log" || grep -qE " error [A-Z]+[0-9]+" "$logs/build.log"; then
    echo "build failed; see above"
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi

# PostgreSQL for the tests that need a real database (started here, never assumed running).
if pg_url=$(scripts/pg.sh start); then
    export OEE_TEST_POSTGRES="$pg_url"
else
    echo "warning: PostgreSQL could not be started; the tests that need it will fail"
fi

passed=0 failed=0 skipped=0 status=0
for project in tests/*/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    echo "== $name"
    dotnet test "$project" -c Release --no-build >"$logs/$name.log" 2>&1
    code=$?
    grep -vE "^\s+at |^--- End of stack" "$logs/$name.log"
    summary=$(grep -E "(Passed|Failed)!\s+- Failed:" "$logs/$name.log" | tail -n 1)
    if [[ -z "$summary" ]]; then
        echo "$name: no test summary (the test host failed); counted as one failure"
        failed=$((failed + 1))
        status=1
        continue
    fi
    f=$(sed -E 's/.*Failed:\s+([0-9]+).*/\1/' <<<"$summary")
    p=$(sed -E 's/.*Passed:\s+([0-9]+).*/\1/' <<<"$summary")
    s=$(sed -E 's/.*Skipped:\s+([0-9]+).*/\1/' <<<"$summary")
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
    if [[ $code -ne 0 || $f -ne 0 ]]; then
        status=1
    fi
done

echo "$passed passed, $failed failed, $skipped skipped"
exit $status
