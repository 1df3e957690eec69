#!/usr/bin/env bash
# Sets up this source tree on a fresh machine and then starts the program or runs the tests.
#
#   installer/dev.sh start   install what is needed, then open the program (GUI)
#   installer/dev.sh test    install what is needed, then run ruff, mypy, the whole test suite
#                            and the packaging smoke test (installer/smoke.sh: frozen build,
#                            Windows installer script, .deb)
#   installer/dev.sh test tests/core …   the same, but pytest on those paths only and no
#                            packaging step (as with POLICY_LEDGER_SKIP_PACKAGING=1)
#
# Installs, only when missing: the Debian/Ubuntu packages Qt needs (also offscreen; libcups2
# for printing through CUPS, which the frozen build's check of its libraries expects), the
# two WenQuanYi Chinese fonts for the PDF ledgers (the PDF tests print with each of them),
# poppler-utils for the PDF checks, LibreOffice Calc without its GUI (the tests open the
# exported workbooks in it), the packaging tools (NSIS, dpkg-dev, desktop-file-utils,
# binutils for PyInstaller), a C compiler and Python's headers (for Linux, PyPI has gmalglib,
# the SM2/SM3 signing library, only as source, which pip builds); a virtual environment in
# .venv with the program and its test tools (PyInstaller among them). Safe to run again: it
# skips what is already there.
# Under CI (CI set) a test that would be skipped for a missing tool or font fails instead.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-start}

SYSTEM_PACKAGES=(
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libxkbcommon0
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libx11-xcb1
  libxrender1 libxi6 libsm6 libice6 libnss3 libasound2
  libwayland-client0 libwayland-cursor0 libwayland-egl1 libcups2
  fonts-wqy-microhei fonts-wqy-zenhei poppler-utils libreoffice-calc-nogui
  nsis dpkg-dev desktop-file-utils binutils
  gcc libc6-dev python3-dev
)

install_system_packages() {
  command -v dpkg-query >/dev/null 2>&1 || { echo "（非 Debian 系统：请自行安装 Qt 运行库、中文字体和 poppler-utils）"; return 0; }
  local missing=()
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then missing+=(python3-venv); fi
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "安装系统软件包：${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python_env() {
  local extras=$1
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
    echo "需要 Python 3.11 或更新版本，当前是 $(python3 --version)"; exit 1; }
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check -U pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
}

case "$mode" in
  start)
    install_system_packages
    install_python_env ""
    exec .venv/bin/python -m desktop "${@:2}"
    ;;
  test)
    install_system_packages
    install_python_env "[test]"
    export QT_QPA_PLATFORM=offscreen
    # one command per line: under set -e a failure on the left of && would not stop the run
    echo "== ruff"
    .venv/bin/ruff check .
    .venv/bin/ruff format --check .
    echo "== mypy"; .venv/bin/mypy
    # -X warn_default_encoding: with pyproject's filterwarnings, any open() of ours without
    # an encoding (the code page on Windows) fails the run
    echo "== pytest"; .venv/bin/python -X warn_default_encoding -m pytest -q "${@:2}"
    if [ $# -le 1 ] && [ "${POLICY_LEDGER_SKIP_PACKAGING:-}" != "1" ]; then
      echo "== packaging"; installer/smoke.sh
    fi
    ;;
  *)
    echo "用法：installer/dev.sh start | test"; exit 2
    ;;
esac
