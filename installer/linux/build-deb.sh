#!/usr/bin/env bash
# Builds the Debian package for domestic Linux desktops (UOS, Kylin) and Debian/Ubuntu:
#   dist/policy-ledger_<version>_<arch>.deb
# from the frozen folder dist/policy-ledger (built first by installer/freeze.sh when missing,
# or always with --freeze). The package installs
#   /opt/policy-ledger/                 the frozen program
#   /usr/bin/policy-ledger              a small launcher (GUI without arguments, CLI with)
#   /usr/share/applications/policy-ledger.desktop
#   /usr/share/icons/hicolor/<size>/apps/policy-ledger.png, scalable/apps/policy-ledger.svg
# The icon cache and the menu are refreshed by the hicolor and desktop-file-utils triggers,
# so the package needs no maintainer scripts. Each user's data stays in
# ~/.local/share/PolicyLedger; removing the package never touches it.
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${PYTHON:-.venv/bin/python}
[ -x "$python" ] || python=python3

if [ "${1:-}" = "--freeze" ] || [ ! -x dist/policy-ledger/policy-ledger ]; then
  installer/freeze.sh
fi
for tool in dpkg-deb dpkg objdump; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool：请安装 dpkg-dev 和 binutils" >&2; exit 1; }
done

name=$("$python" installer/project_meta.py name)
version=$("$python" installer/project_meta.py version)
arch=$(dpkg --print-architecture)
stage=build/deb/root
rm -rf build/deb
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications"

cp -a dist/policy-ledger "$stage/opt/policy-ledger"
install -m 0755 installer/linux/policy-ledger.sh "$stage/usr/bin/policy-ledger"
install -m 0644 installer/linux/policy-ledger.desktop "$stage/usr/share/applications/policy-ledger.desktop"
for size in 16 32 48 64 128 256; do
  dir="$stage/usr/share/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  install -m 0644 "resources/icons/app-${size}.png" "$dir/policy-ledger.png"
done
mkdir -p "$stage/usr/share/icons/hicolor/scalable/apps"
install -m 0644 resources/icons/app.svg "$stage/usr/share/icons/hicolor/scalable/apps/policy-ledger.svg"
mkdir -p "$stage/usr/share/doc/$name"
cat > "$stage/usr/share/doc/$name/copyright" <<TXT
清单台账 (Policy Ledger) $version
The program bundles Python, Qt for Python (PySide6, LGPLv3) and the Python libraries it
uses, each under its own licence; see /opt/policy-ledger/_internal.
TXT

# files readable by everyone, directories and programs executable; nothing writable but by root
chmod -R u+rw,go-w,go+r "$stage"
find "$stage" -type d -exec chmod 0755 {} +

# the newest glibc symbol version any bundled binary needs
glibc=$(find "$stage/opt" -type f \( -name '*.so*' -o -perm -u+x \) -print0 \
  | xargs -0 objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' \
  | sort -uV | tail -1)
installed_kb=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)

cat > "$stage/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: $arch
Maintainer: 清单台账项目组 <policy-ledger@localhost>
Installed-Size: $installed_kb
Section: misc
Priority: optional
Depends: libc6 (>= ${glibc:-2.34}), fonts-wqy-microhei | fonts-wqy-zenhei | fonts-arphic-uming, libegl1, libgl1, libfontconfig1, libfreetype6, libdbus-1-3, libxcb1, libx11-xcb1, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-xkb1
Recommends: libcups2 | libcups2t64, hicolor-icon-theme, desktop-file-utils
Description: 清单台账 — 年度重点工作清单与工作台账
 把上级文件分解为本级年度重点工作清单，跟踪各项任务的进展，打印正式格式的
 工作台账（PDF、Excel），并把清单打包上报上级、汇总下级的上报包。
 全部数据保存在本机，不需要网络。
 .
 Policy Ledger turns a provincial notice into an office's annual key-work list,
 tracks it, prints ledgers and exchanges packages with the levels above and below.
CONTROL

out="dist/${name}_${version}_${arch}.deb"
rm -f "$out"
dpkg-deb --root-owner-group -Zxz --threads-max="$(nproc)" --build "$stage" "$out" >/dev/null
echo "已生成 $out（$(du -h "$out" | cut -f1)，安装后 $((installed_kb / 1024)) MB，需要 glibc ≥ ${glibc:-?}）"
