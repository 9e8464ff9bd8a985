# shellcheck shell=bash
# Sourced by scripts/run and scripts/test: a project virtualenv with the pinned dependencies.
# Installs only when pyproject.toml or constraints.txt changed since the last install.

bootstrap_python() {
    local root python stamp want
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    python="${PYTHON:-python3}"
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "Styrkort needs Python 3.11 or newer as '$python' (set PYTHON=…)." >&2
        return 1
    fi
    if [ ! -x "$root/.venv/bin/python" ]; then
        echo "== creating .venv"
        "$python" -m venv "$root/.venv"
    fi
    stamp="$root/.venv/.styrkort-installed"
    want="$(cat "$root/pyproject.toml" "$root/constraints.txt" | sha256sum | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "== installing dependencies into .venv"
        "$root/.venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
        "$root/.venv/bin/python" -m pip install --quiet --disable-pip-version-check \
            -c "$root/constraints.txt" -e "$root[dev]"
        echo "$want" > "$stamp"
    fi
    export PATH="$root/.venv/bin:$PATH"
}
