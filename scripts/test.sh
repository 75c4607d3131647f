#!/usr/bin/env bash
# Runs OEE's whole test suite on a fresh machine: builds the solution in Release, starts the
# project's local PostgreSQL (scripts/pg.sh) for the durable tests, installs Debian's Chromium for the
# dashboard's browser tests when it is missing (as root, like pg.sh installs PostgreSQL), runs every test project
# under tests/ one after another, lints the OpenAPI document the API tests wrote (Redocly CLI, from
# npm), and ends with one line: "N passed, N failed, N skipped".
# Exits non-zero when anything failed (a build failure or a lint error counts as one failed test).
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

# Debian's Chromium for the dashboard's browser tests (tests/Oee.Dashboard.Tests): Playwright drives
# /usr/bin/chromium; its own browser download (`playwright install`) is never used.
if [[ ! -x /usr/bin/chromium ]]; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        echo "chromium not found; installing the Debian package chromium"
        { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } >"$logs/apt-chromium.log" 2>&1 \
            || echo "warning: apt-get install chromium failed (see $logs/apt-chromium.log); the browser tests will fail"
    else
        echo "warning: /usr/bin/chromium is missing (install the Debian package chromium as root); the browser tests will fail"
    fi
fi

passed=0 failed=0 skipped=0 status=0
rm -f artifacts/openapi/openapi.json   # written afresh by Oee.Api.Tests, then linted below
for project in tests/*/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    echo "== $name"
    dotnet test "$project" -c Release --no-build >"$logs/$name.log" 2>&1
    code=$?
    # Stack frames are dropped except the project's own (" at Oee."), which say where a failure was.
    awk '(!/^[[:space:]]+at / || /^[[:space:]]+at Oee\./) && !/^--- End of stack/' "$logs/$name.log"
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

# The OpenAPI document the API tests fetched from the running service (OpenApiDocumentTests), linted
# with Redocly's recommended rules: 0 errors (warnings are shown). Redocly CLI comes from npm, pinned by
# tests/openapi/package-lock.json into tests/openapi/node_modules (ignored by git).
lint_openapi() {
    local document=artifacts/openapi/openapi.json redocly=tests/openapi/node_modules/.bin/redocly
    if [[ ! -f "$document" ]]; then
        echo "$document is missing: the OpenAPI document test did not write it"
        return 1
    fi
    if ! command -v npm >/dev/null && [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        echo "npm not found; installing the Debian packages nodejs and npm"
        { apt-get update && apt-get install -y nodejs npm; } >"$logs/apt-npm.log" 2>&1 || { echo "apt-get install nodejs npm failed; see $logs/apt-npm.log"; return 1; }
    fi
    if [[ ! -x "$redocly" ]]; then
        npm ci --prefix tests/openapi --no-audit --no-fund >"$logs/npm.log" 2>&1 || { cat "$logs/npm.log"; echo "npm ci in tests/openapi failed"; return 1; }
    fi
    REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$redocly" lint "$document" --format=summary >"$logs/openapi-lint.log" 2>&1
    local code=$?
    grep -vE "[║╔╚]" "$logs/openapi-lint.log" | sed '/^\s*$/d'
    return $code
}

echo "== OpenAPI lint"
if lint_openapi; then
    passed=$((passed + 1))
else
    echo "OpenAPI lint failed; counted as one failure"
    failed=$((failed + 1))
    status=1
fi

# The failed tests again, each with the first lines of its message, so that a reader of only the end of
# this output (a CI log cut to its tail) still sees what failed and why.
if [[ $failed -ne 0 ]]; then
    echo "== Failed tests"
    for log in "$logs"/*.Tests.log; do
        awk -v project="$(basename "$log" .log)" '
            /^[[:space:]]+Failed [^ ]/ { name = $2; shown = 0; inmessage = 0; next }
            /^[[:space:]]+Error Message:/ { if (name != "") { print project ": " name; inmessage = 1 }; next }
            /^[[:space:]]+Stack Trace:/ { inmessage = 0; name = ""; next }
            inmessage && shown < 6 { line = $0; sub(/^[[:space:]]+/, "", line); print "    " substr(line, 1, 300); shown++ }
        ' "$log"
    done
fi

echo "$passed passed, $failed failed, $skipped skipped"
exit $status
