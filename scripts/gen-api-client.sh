#!/usr/bin/env bash
# Regenerates the C# client the API tests use (tests/Oee.Api.Tests/GeneratedClient) from the API's
# OpenAPI document, the way a user would: Kiota 1.38.0 (a local dotnet tool, dotnet-tools.json).
#
# 1. Runs the OpenAPI document test with OEE_UPDATE_OPENAPI=1: it starts the real API, fetches
#    /openapi/v1.json and writes it to tests/openapi/openapi.json (the same document scripts/test.sh
#    lints, which that test otherwise only compares with the checked-in file).
# 2. Runs `kiota generate` on that file into tests/Oee.Api.Tests/GeneratedClient.
# Commit the document and the client together.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 KIOTA_TUTORIAL_ENABLED=false

dotnet build tests/Oee.Api.Tests -c Release 2>&1 | tail -3
OEE_UPDATE_OPENAPI=1 dotnet test tests/Oee.Api.Tests -c Release --no-build \
    --filter "FullyQualifiedName~OpenApiDocumentTests.The_served_document_is_written" 2>&1 | tail -3

dotnet tool restore >/dev/null
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! dotnet kiota generate --language CSharp \
    --openapi tests/openapi/openapi.json \
    --output tests/Oee.Api.Tests/GeneratedClient \
    --class-name OeeApiClient \
    --namespace-name Oee.Api.Tests.GeneratedClient \
    --exclude-backward-compatible \
    --clean-output \
    --log-level Warning >"$log" 2>&1; then
    cat "$log"
    echo "kiota generate failed"
    exit 1
fi
# Kiota first looks for a newer version of itself on GitHub; offline that is a logged warning only.
grep -vE "^\s+at |Unable to check for updates|HttpRequestException|SocketException|^\s+---|KiotaBuilder\[0\]" "$log" || true

# --clean-output removes the folder's .editorconfig; it marks the folder as generated code.
cat > tests/Oee.Api.Tests/GeneratedClient/.editorconfig <<'CONFIG'
# Kiota's output (scripts/gen-api-client.sh): generated code, not held to the project's style rules.
[*.cs]
generated_code = true
CONFIG

dotnet build tests/Oee.Api.Tests -c Release 2>&1 | tail -3
echo "Regenerated tests/Oee.Api.Tests/GeneratedClient from tests/openapi/openapi.json; review git diff and commit both."
