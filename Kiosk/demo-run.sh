#!/usr/bin/env bash
# Runs the demo: kiosk-central in the background (log in .kiosk-demo/central.log), kioskd in this terminal.
# Stopping kioskd (Ctrl-C) stops kiosk-central too. Called by `make demo` with the folder of the built binaries, and by
# `make demo-pcsc` with Kiosk/demo-pcsc.yaml as well, which also needs pcscd with the vpcd virtual reader, and by
# `make demo-peers` with Kiosk/demo-peers.yaml, which adds a private cupsd with ippeveprinter for the printer, and by
# `make demo-alerts` with Kiosk/demo-alerts.yaml, which adds Alertmanager and a webhook that logs to .kiosk-demo/alerts.log.
# A config with the demo-pinpad terminal gets kiosk-pinpad, the OPI terminal simulator (log in .kiosk-demo/pinpad.log).
set -euo pipefail
bin="$1"
config="${2:-Kiosk/demo.yaml}"
cd "$(dirname "$0")/.."
mkdir -p .kiosk-demo
if grep -q "vpcd-reader" "$config" && ! { [ -s /run/pcscd/pcscd.pid ] && kill -0 "$(tr -dc 0-9 < /run/pcscd/pcscd.pid)" 2>/dev/null; }; then
    mkdir -p .kiosk-demo/reader.conf.d
    printf 'FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:0x8C7B\nLIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID    0x8C7B\n' \
        > .kiosk-demo/reader.conf.d/vpcd
    # vpcd takes a card from anyone who reaches its port, on every interface: pcscd runs in a network namespace with only
    # loopback, and the card joins it (nsenter, as the Makefile prints). Its clients' Unix socket works from anywhere.
    unshare --net -- /bin/sh -c 'ip link set lo up && exec pcscd -f -c "$0"' "$PWD/.kiosk-demo/reader.conf.d" \
        > .kiosk-demo/pcscd.log 2>&1 &
    pcscd_pid=$!
    echo "$pcscd_pid" > .kiosk-demo/pcscd.pid
fi
if grep -q "pki/csca.pem" "$config"; then
    # The test PKI the virtual documents are signed under; the config trusts its CSCA.
    "$bin/kiosk-emrtd" --pki .kiosk-demo/pki --init-pki
fi
if grep -q demo-printer "$config"; then
    # A private CUPS with an IPP Everywhere printer, everything under .kiosk-demo/cups (see Tests/KioskTesting/CUPSPeer.swift).
    cups="$PWD/.kiosk-demo/cups"
    mkdir -p "$cups"/{run,spool,tmp,cache,state,log,serverbin,ipp-spool}
    chmod 755 "$PWD/.kiosk-demo" "$cups"
    for f in /usr/lib/cups/*; do ln -sf "$f" "$cups/serverbin/"; done
    printf 'Listen 127.0.0.1:8631\nListen %s/run/cups.sock\nBrowsing No\nIdleExitTimeout 0\nPreserveJobFiles No\nLogLevel warn\nWebInterface No\n<Location />\n  Order allow,deny\n  Allow 127.0.0.1\n</Location>\n<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n' "$cups" > "$cups/cupsd.conf"
    printf 'ServerRoot %s\nRequestRoot %s/spool\nTempDir %s/tmp\nCacheDir %s/cache\nStateDir %s/state\nAccessLog %s/log/access_log\nErrorLog %s/log/error_log\nPageLog %s/log/page_log\nUser lp\nGroup lp\nSystemGroup root\nSandboxing Relaxed\nServerBin %s/serverbin\n' \
        "$cups" "$cups" "$cups" "$cups" "$cups" "$cups" "$cups" "$cups" "$cups" > "$cups/cups-files.conf"
    dbus-daemon --session --address="unix:path=$cups/dbus.sock" --nofork > "$cups/dbus.log" 2>&1 &
    peers="$!"
    sleep 0.5
    DBUS_SYSTEM_BUS_ADDRESS="unix:path=$cups/dbus.sock" ippeveprinter -p 8632 -n localhost -r off -k -d "$cups/ipp-spool" \
        -f application/pdf,image/pwg-raster,image/urf -c /bin/true "Demo Receipt Printer" > "$cups/ipp.log" 2>&1 &
    peers="$peers $!"
    cupsd -f -c "$cups/cupsd.conf" -s "$cups/cups-files.conf" > "$cups/cupsd.log" 2>&1 &
    peers="$peers $!"
    for _ in $(seq 50); do
        CUPS_SERVER=127.0.0.1:8631 lpadmin -p kiosk -E -v ipp://127.0.0.1:8632/ipp/print -m everywhere \
            -o printer-error-policy=abort-job 2>/dev/null && break
        sleep 0.2
    done
fi
if grep -q "kind: alertmanager" "$config"; then
    # Alertmanager with gossip off, and a webhook that writes one line per notification to .kiosk-demo/alerts.log.
    python3 -u -c '
import http.server, json, sys, time
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        for a in body.get("alerts", []):
            print(time.strftime("%H:%M:%S"), a["status"].upper(), a["labels"].get("kiosk"), a["labels"].get("alertname"),
                  "-", a["annotations"].get("summary"), flush=True)
        self.send_response(200); self.end_headers()
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", 9094), Hook).serve_forever()' > .kiosk-demo/alerts.log 2>&1 &
    peers="${peers:-} $!"
    prometheus-alertmanager --config.file=Kiosk/demo-alertmanager.yml --storage.path=.kiosk-demo/alertmanager \
        --web.listen-address=127.0.0.1:9093 --cluster.listen-address= --log.level=warn > .kiosk-demo/alertmanager.log 2>&1 &
    peers="$peers $!"
fi
for name in kiosk admin; do
    token=".kiosk-demo/$name.token"
    if [ ! -s "$token" ]; then
        (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$token")
    fi
done
"$bin/kiosk-central" --port 8421 --database .kiosk-demo/central.sqlite --token-file .kiosk-demo/kiosk.token \
    --admin-token-file .kiosk-demo/admin.token --products Flows/extract-request.yaml --seed Kiosk/central-seed.yaml --exit-with-parent > .kiosk-demo/central.log 2>&1 &
central=$!
if grep -q demo-pinpad "$config"; then
    # The PIN terminal: kiosk-pinpad on 127.0.0.1:4100, calling kioskd back on 4102; its admin on 4180.
    "$bin/kiosk-pinpad" --port 4100 --device-port 4102 --admin-port 4180 --exit-with-parent > .kiosk-demo/pinpad.log 2>&1 &
    peers="${peers:-} $!"
fi
trap 'kill $central ${pcscd_pid:-} ${peers:-} 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    grep -q "listening on" .kiosk-demo/central.log 2>/dev/null && break
    kill -0 $central 2>/dev/null || { echo "kiosk-central did not start:"; cat .kiosk-demo/central.log; exit 1; }
    sleep 0.1
done
"$bin/kioskd" --config "$config"
