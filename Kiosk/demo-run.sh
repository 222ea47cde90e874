#!/usr/bin/env bash
# Runs the demo: kiosk-central in the background (log in .kiosk-demo/central.log), kioskd in this terminal.
# Stopping kioskd (Ctrl-C) stops kiosk-central too. Called by `make demo` with the folder of the built binaries.
set -euo pipefail
bin="$1"
cd "$(dirname "$0")/.."
mkdir -p .kiosk-demo
for name in kiosk admin; do
    token=".kiosk-demo/$name.token"
    if [ ! -s "$token" ]; then
        (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$token")
    fi
done
"$bin/kiosk-central" --port 8421 --database .kiosk-demo/central.sqlite --token-file .kiosk-demo/kiosk.token \
    --admin-token-file .kiosk-demo/admin.token --seed Kiosk/central-seed.yaml --exit-with-parent > .kiosk-demo/central.log 2>&1 &
central=$!
trap 'kill $central 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    grep -q "listening on" .kiosk-demo/central.log 2>/dev/null && break
    kill -0 $central 2>/dev/null || { echo "kiosk-central did not start:"; cat .kiosk-demo/central.log; exit 1; }
    sleep 0.1
done
"$bin/kioskd" --config Kiosk/demo.yaml
