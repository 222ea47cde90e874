#!/usr/bin/env bash
# Runs the demo: kiosk-central in the background (log in .kiosk-demo/central.log), kioskd in this terminal.
# Stopping kioskd (Ctrl-C) stops kiosk-central too. Called by `make demo` with the folder of the built binaries, and by
# `make demo-pcsc` with Kiosk/demo-pcsc.yaml as well, which also needs pcscd with the vpcd virtual reader.
set -euo pipefail
bin="$1"
config="${2:-Kiosk/demo.yaml}"
cd "$(dirname "$0")/.."
mkdir -p .kiosk-demo
if grep -q vpcd-reader "$config" && ! { [ -s /run/pcscd/pcscd.pid ] && kill -0 "$(tr -dc 0-9 < /run/pcscd/pcscd.pid)" 2>/dev/null; }; then
    mkdir -p .kiosk-demo/reader.conf.d
    printf 'FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:0x8C7B\nLIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID    0x8C7B\n' \
        > .kiosk-demo/reader.conf.d/vpcd
    pcscd -f -c "$PWD/.kiosk-demo/reader.conf.d" > .kiosk-demo/pcscd.log 2>&1 &
    pcscd_pid=$!
fi
for name in kiosk admin; do
    token=".kiosk-demo/$name.token"
    if [ ! -s "$token" ]; then
        (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$token")
    fi
done
"$bin/kiosk-central" --port 8421 --database .kiosk-demo/central.sqlite --token-file .kiosk-demo/kiosk.token \
    --admin-token-file .kiosk-demo/admin.token --seed Kiosk/central-seed.yaml --exit-with-parent > .kiosk-demo/central.log 2>&1 &
central=$!
trap 'kill $central ${pcscd_pid:-} 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    grep -q "listening on" .kiosk-demo/central.log 2>/dev/null && break
    kill -0 $central 2>/dev/null || { echo "kiosk-central did not start:"; cat .kiosk-demo/central.log; exit 1; }
    sleep 0.1
done
"$bin/kioskd" --config "$config"
