# shellcheck shell=bash
# Sourced by scripts/test: what client developers do with openapi/openapi.json, as checks.
# Node tools are pinned in clients/package.json (+ package-lock.json) and installed into
# clients/node_modules, again only when the lock file changed; the Python generator is a dev
# dependency (pyproject.toml).

clients_install() {
    local root stamp want
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    stamp="$root/clients/node_modules/.styrkort-installed"
    want="$(sha256sum "$root/clients/package-lock.json" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "== installing the client tools into clients/node_modules"
        (cd "$root/clients" && npm ci --no-audit --no-fund --loglevel=error)
        echo "$want" > "$stamp"
    fi
}

# Fails when a command's output has a line matching a pattern: the generators warn and go on.
_no_warnings() {
    local pattern="$1" log="$2"
    if grep -Eiq "$pattern" "$log"; then
        cat "$log" >&2
        echo "warnings above: the OpenAPI document must generate without one" >&2
        return 1
    fi
}

# Lints the document, generates both clients and type-checks the TypeScript one. $1: a scratch
# directory; the Python client lands in $1/python-client/styrkort_client.
clients_check() {
    local work="$1" root log
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    log="$work/clients.log"
    (
        cd "$root/clients"
        export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
        npx --no-install redocly lint ../openapi/openapi.json --config redocly.yaml \
            --format=json > "$log.redocly" 2>/dev/null || true
        python3 - "$log.redocly" <<'PY'
import json, sys
totals = json.load(open(sys.argv[1]))["totals"]
print(f"redocly lint: {totals['errors']} errors, {totals['warnings']} warnings")
sys.exit(1 if totals["errors"] or totals["warnings"] else 0)
PY
        npx --no-install spectral lint ../openapi/openapi.json --ruleset spectral.yaml \
            --fail-severity=hint
        npx --no-install openapi-typescript ../openapi/openapi.json -o generated/styrkort.ts \
            > "$log" 2>&1
        _no_warnings 'warn|⚠|error' "$log"
        npx --no-install tsc -p tsconfig.json
        echo "openapi-typescript: generated; tsc --strict: compiled"
        rm -rf "$work/python-client"
        mkdir -p "$work/python-client"
        openapi-python-client generate --path ../openapi/openapi.json --meta none \
            --config openapi-python-client.yaml --custom-template-path python-templates \
            --output-path "$work/python-client/styrkort_client" > "$log" 2>&1 \
            || { cat "$log" >&2; exit 1; }
        _no_warnings 'warning|error|skipping|cannot|unsupported' "$log"
        echo "openapi-python-client: generated without a warning"
    )
}

# Runs clients/workflow.py through the generated Python client. $1: the scratch directory given
# to clients_check, $2: the app's base URL, $3: an admin API key.
clients_workflow() {
    local root
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    PYTHONPATH="$1/python-client" python "$root/clients/workflow.py" "$2" "$3"
}
