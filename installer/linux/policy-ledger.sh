#!/bin/sh
# /usr/bin/policy-ledger: starts the program installed in /opt/policy-ledger.
# Without arguments it opens the window; with a command it is the command line.
# The path is found relative to this script, so an unpacked package (dpkg -x) runs too.
here=$(dirname "$(readlink -f "$0")")
program="$here/../../opt/policy-ledger/policy-ledger"
# The bundled Qt has an ibus input-method plugin but none for fcitx; fcitx5 speaks the ibus
# protocol too, so Chinese input keeps working where QT_IM_MODULE says fcitx.
case "${QT_IM_MODULE:-}" in
  fcitx*) QT_IM_MODULE=ibus; export QT_IM_MODULE ;;
esac
exec "$program" "$@"
