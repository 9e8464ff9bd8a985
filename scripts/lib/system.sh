# shellcheck shell=bash
# Sourced by scripts/run and scripts/test: the Debian libraries the PDF report needs.
#
# WeasyPrint (app/reports) draws text with Pango (on HarfBuzz, fontconfig and FreeType) and needs
# HarfBuzz's subsetter to embed fonts byte-for-byte reproducibly; the report is set in DejaVu
# Sans, so the same fonts are embedded on every machine. Installed only when missing (a clean CI
# machine or container), with apt-get, as root.

SYSTEM_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)

system_packages_missing() {
    local package missing=()
    for package in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    [ "${#missing[@]}" -eq 0 ] || printf '%s\n' "${missing[@]}"
}

ensure_system_packages() {
    local missing
    command -v dpkg-query >/dev/null 2>&1 || return 0  # not Debian: the libraries are the user's
    mapfile -t missing < <(system_packages_missing)
    [ "${#missing[@]}" -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "Styrkort's PDF report needs the Debian packages: ${missing[*]} (install them as root)." >&2
        return 1
    fi
    echo "== installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        >/dev/null
}
