# Shared set-up steps for scripts/start and scripts/test. Each step does nothing when its work is
# already done, so both scripts are safe to run again.

need_root() {
    if [ "$(id -u)" != "0" ]; then
        echo "scripts: '$*' needs root to install Debian packages; run it as root or install them first." >&2
        exit 1
    fi
}

apt_install() {
    need_root "apt-get install $*"
    if [ -z "${LOWDOSE_APT_UPDATED:-}" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        export LOWDOSE_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# A virtualenv in .venv with the project and its test tools, pinned by constraints.txt.
ensure_venv() {
    local python="${PYTHON:-python3}"
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "scripts: lowdose needs Python 3.11 or newer ($python is $("$python" --version 2>&1))." >&2
        exit 1
    fi
    if [ ! -x .venv/bin/python ]; then
        if ! "$python" -m venv .venv 2>/dev/null; then
            rm -rf .venv
            apt_install python3-venv
            "$python" -m venv .venv
        fi
    fi
    local stamp=.venv/.lowdose-installed
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
        echo "Installing lowdose and its dependencies into .venv ..."
        .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
        .venv/bin/python -m pip install --quiet --disable-pip-version-check \
            -c constraints.txt -e ".[test]"
        touch "$stamp"
    fi
}

# Debian's Chromium for the browser tests (never a browser download).
ensure_chromium() {
    if ! command -v chromium >/dev/null 2>&1; then
        echo "Installing Debian's Chromium for the browser tests ..."
        apt_install chromium
    fi
}

# axe-core, the accessibility engine the browser tests inject, from the npm registry.
ensure_axe() {
    if [ -f node_modules/axe-core/axe.min.js ]; then
        return
    fi
    if ! command -v npm >/dev/null 2>&1; then
        apt_install nodejs npm
    fi
    npm ci --no-audit --no-fund --loglevel=error
}

# Pango and a font for WeasyPrint's PDFs (reports, cards, letters).
ensure_pdf_libs() {
    if ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' && fc-list 2>/dev/null | grep -qi dejavu; then
        return
    fi
    if [ "$(id -u)" != "0" ] && [ "${1:-}" = "optional" ]; then
        echo "scripts: Pango or the DejaVu fonts are missing, so PDF documents will not work;" \
             "install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core as root." >&2
        return
    fi
    apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fontconfig
}
