#!/usr/bin/env bash
# Builds the frozen program (PyInstaller, one folder) from installer/policy-ledger.spec:
#   Linux: dist/policy-ledger/policy-ledger
# (On Windows installer/windows/build.ps1 does the same and then builds the installer.)
# Needs the test tools in .venv (installer/dev.sh test installs them). Build files go to
# build/pyinstaller, the result to dist/; both are git-ignored and replaced on every run.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
"$python" -c "import PyInstaller" 2>/dev/null || {
  echo "缺少 PyInstaller：请先运行 installer/dev.sh test（或 pip install -e '.[test]'）" >&2; exit 1; }
command -v objdump >/dev/null || { echo "缺少 objdump：请安装 binutils" >&2; exit 1; }
rm -rf build/pyinstaller dist/policy-ledger
"$python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/policy-ledger.spec
echo "已生成 dist/policy-ledger（$(du -sh dist/policy-ledger | cut -f1)）"
