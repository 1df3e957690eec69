#!/usr/bin/env bash
# Packaging smoke test (Linux), run by `installer/dev.sh test` after pytest, so on every CI run:
#
#   1. freeze the program with PyInstaller (installer/freeze.sh) and report time and size;
#   2. run the frozen program: selftest, a demo office of 50 tasks, a ledger PDF whose fonts
#      pdffonts reports all embedded, Excel export, the window starting offscreen, and no
#      bundled library missing a dependency;
#   3. compile the Windows installer script with makensis (warnings are errors) against a
#      placeholder folder: the Windows executables can only be built on Windows
#      (installer/windows/build.ps1), so the output goes to build/smoke/, never to dist/;
#   4. build the .deb, unpack it into a scratch root and check its files, its control fields,
#      its desktop entry (desktop-file-validate), and that the program runs from there.
#
# Ends with "packaging: N passed, M failed" and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
python=.venv/bin/python
export QT_QPA_PLATFORM=offscreen
unset POLICY_LEDGER_HOME

passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "  通过  $1"; passed=$((passed + 1)); }
bad() { echo "  失败  $1"; failed=$((failed + 1)); }
finish() { echo "packaging: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }
# check NAME COMMAND...: run it, count it, show its output only when it failed
check() {
  local what=$1
  shift
  if "$@" >"$tmp/out" 2>&1; then ok "$what"; else bad "$what"; tail -n 25 "$tmp/out" | sed 's/^/        /'; fi
}

for tool in makensis dpkg-deb objdump pdffonts desktop-file-validate; do
  command -v "$tool" >/dev/null || { bad "缺少工具 $tool（installer/dev.sh test 会安装）"; finish; }
done

version=$("$python" installer/project_meta.py version)
name=$("$python" installer/project_meta.py name)
frozen=dist/policy-ledger
exe=$frozen/policy-ledger

# ---------------------------------------------------------------- 1. the frozen build
echo "== 冻结构建（PyInstaller）"
start=$SECONDS
if installer/freeze.sh >"$tmp/freeze.log" 2>&1; then
  ok "PyInstaller 构建：$((SECONDS - start)) 秒，$(du -sh "$frozen" | cut -f1)，$(find "$frozen" -type f | wc -l) 个文件"
else
  bad "PyInstaller 构建"
  tail -n 40 "$tmp/freeze.log" | sed 's/^/        /'
  finish
fi

# ---------------------------------------------------------------- 2. the frozen program
echo "== 运行冻结的程序"
version_is_pyproject() { [ "$("$exe" --version)" = "清单台账 $version" ]; }
check "版本号与 pyproject.toml 一致（$version）" version_is_pyproject
check "自检 selftest" "$exe" selftest
check "延迟加载的模块都已打包（PDF 预览、打印、图表、Excel、Word、迁移）" \
  env POLICY_LEDGER_IMPORT_CHECK=1 "$exe"
check "示例单位（demo --tasks 50）" "$exe" --data-dir "$tmp/office" demo --tasks 50
check "台账 PDF（ledger pdf --year 2027）" "$exe" --data-dir "$tmp/office" ledger pdf --year 2027 --out "$tmp/l.pdf"

fonts_all_embedded() {  # every font of the PDF embedded (pdffonts' emb column), and some font at all
  pdffonts "$1" >"$tmp/fonts" || return 1
  cat "$tmp/fonts"
  awk 'NR > 2 { n++; if ($(NF - 4) != "yes") bad++ } END { exit !(n > 0 && bad == 0) }' "$tmp/fonts"
}
check "PDF 字体全部嵌入（pdffonts）" fonts_all_embedded "$tmp/l.pdf"
check "Excel 导出" "$exe" --data-dir "$tmp/office" worklist export-xlsx --year 2027 --out "$tmp/l.xlsx"
check "上报包（package export，本单位签名）" "$exe" --data-dir "$tmp/office" package export --year 2027 --out "$tmp/p.zip"
check "数据库检查（db check，审计记录签名）" "$exe" --data-dir "$tmp/office" db check

no_missing_libraries() {  # every bundled library and plugin finds what it links against
  local missing
  missing=$(find "$frozen" -type f -name '*.so*' -print0 \
    | LD_LIBRARY_PATH="$frozen/_internal:$frozen/_internal/PySide6/Qt/lib" xargs -0 ldd 2>/dev/null \
    | grep 'not found' | sort -u)
  [ -z "$missing" ] || { echo "$missing"; return 1; }
}
check "打包的库没有缺失的依赖（ldd）" no_missing_libraries

window_starts() {  # the window opens and keeps running (offscreen) until stopped
  local rc=0
  timeout 15 "$exe" --data-dir "$tmp/office" >"$tmp/gui.log" 2>&1 || rc=$?
  cat "$tmp/gui.log"
  [ "$rc" -eq 124 ] && ! grep -q -E "Traceback|Could not load|could not be loaded" "$tmp/gui.log"
}
check "窗口启动（offscreen）" window_starts

# ---------------------------------------------------------------- 3. the Windows installer script
echo "== Windows 安装程序脚本（makensis）"
placeholder=build/smoke/nsis/PolicyLedger
rm -rf build/smoke/nsis
mkdir -p "$placeholder/_internal"
printf 'placeholder\n' >"$placeholder/PolicyLedger.exe"
printf 'placeholder\n' >"$placeholder/policy-ledger.exe"
printf 'placeholder\n' >"$placeholder/_internal/base_library.zip"
mapfile -t defines < <("$python" installer/project_meta.py nsis-defines)
installer_name=$("$python" installer/project_meta.py installer-name)
compile_nsis() {
  (cd installer/windows && makensis -V2 -WX -INPUTCHARSET UTF8 "${defines[@]}" \
    "-DDIST_DIR=$PWD/../../$placeholder" "-DOUTPUT_DIR=$PWD/../../build/smoke/nsis" \
    policy-ledger.nsi) && [ -s "build/smoke/nsis/$installer_name" ]
}
check "NSIS 脚本编译通过（build/smoke/nsis/$installer_name）" compile_nsis

# ---------------------------------------------------------------- 4. the .deb
echo "== Debian 软件包"
arch=$(dpkg --print-architecture)
deb=dist/${name}_${version}_${arch}.deb
start=$SECONDS
if installer/linux/build-deb.sh >"$tmp/deb.log" 2>&1 && [ -s "$deb" ]; then
  ok "构建 $deb：$((SECONDS - start)) 秒，$(du -h "$deb" | cut -f1)"
else
  bad "构建 .deb"
  tail -n 25 "$tmp/deb.log" | sed 's/^/        /'
  finish
fi

root=$tmp/root
check "解包（dpkg -x）" dpkg -x "$deb" "$root"
deb_files_present() {
  local f
  for f in opt/policy-ledger/policy-ledger usr/bin/policy-ledger \
    usr/share/applications/policy-ledger.desktop \
    usr/share/icons/hicolor/scalable/apps/policy-ledger.svg \
    usr/share/icons/hicolor/{16x16,32x32,48x48,64x64,128x128,256x256}/apps/policy-ledger.png; do
    [ -e "$root/$f" ] || { echo "缺少 /$f"; return 1; }
  done
  [ -x "$root/usr/bin/policy-ledger" ] && [ -x "$root/opt/policy-ledger/policy-ledger" ]
}
check "文件齐全（/opt、/usr/bin、菜单项、图标）" deb_files_present
check "菜单项有效（desktop-file-validate）" desktop-file-validate "$root/usr/share/applications/policy-ledger.desktop"
control_fields() {
  local f
  dpkg-deb --field "$deb" Package Version Architecture Depends
  [ "$(dpkg-deb --field "$deb" Version)" = "$version" ] || return 1
  [ "$(dpkg-deb --field "$deb" Architecture)" = "$arch" ] || return 1
  for f in "fonts-wqy-microhei | fonts-wqy-zenhei | fonts-arphic-uming" libegl1 libgl1 \
    libxkbcommon-x11-0 libxcb-cursor0 libfontconfig1 libdbus-1-3; do
    dpkg-deb --field "$deb" Depends | grep -q -F "$f" || { echo "Depends 缺少 $f"; return 1; }
  done
  # nothing in the package is owned by the builder
  ! dpkg-deb --contents "$deb" | awk '{print $2}' | grep -v -q '^root/root$'
}
check "control 字段（版本、架构、依赖、属主 root）" control_fields
check "从解包目录运行自检（/opt/policy-ledger/policy-ledger selftest）" "$root/opt/policy-ledger/policy-ledger" selftest
check "启动器（/usr/bin/policy-ledger selftest）" "$root/usr/bin/policy-ledger" selftest

finish
