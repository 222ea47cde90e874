# kioskd: `make demo` runs the kiosk in this terminal; `make test` runs the whole suite.
# Both install the Debian packages they need when run as root, so they work on a fresh machine.

SWIFT ?= swift
# tmux: the end-to-end test drives the terminal front in a real pseudo-terminal.
# libsqlite3-dev: GRDB links the system SQLite (kiosk-central's store, the outbox); sqlite3: tests read a journal's row.
# openssl: the TLS test makes a self-signed certificate.
# libcairo2-dev libpango1.0-dev fonts-dejavu-core: documents (the extract PDF) are drawn with cairo and pango.
# poppler-utils zbar-tools: tests read the PDFs back with pdftotext, and the QR codes on tickets with zbarimg.
# libqrencode-dev: the QR code of the reference on tickets. libmtdev-dev: multitouch protocol A panels, through mtdev.
# libssl-dev openssl: ICAO 9303 crypto (3DES and AES secure messaging, PACE on brainpool curves, CMS and X.509 for passive
# authentication); the openssl command makes the test PKI that virtual documents are signed under. libpcsclite-dev pcscd vsmartcard-vpcd: the card reader through PC/SC; the tests run
# the real pcscd with vpcd's virtual reader, and kiosk-emrtd plays the passport on it. libusb-1.0-0-dev: the USB inventory.
# libcups2-dev cups cups-ipp-utils cups-client dbus: printing; the tests run a private cupsd and ippeveprinter (which needs D-Bus).
# libsystemd-dev systemd: sd_notify, and systemd-analyze for the unit. prometheus-alertmanager: staff alerts (tested with
# the real one). python3: the demo's webhook, and smtpd, the SMTP server that takes the example configuration's e-mail.
# libespeak-ng-dev libasound2-dev: speech output, espeak-ng's voices played through ALSA.
# qemu-system-x86 mmdebstrap e2fsprogs: the VM bench (HIL/README.md), a Debian guest with systemd booted under QEMU.
DEB_PACKAGES := sqlite3 libxml2-dev qemu-system-x86 mmdebstrap e2fsprogs tmux libsqlite3-dev openssl libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils zbar-tools libqrencode-dev libssl-dev libmtdev-dev \
	libpcsclite-dev pcscd vsmartcard-vpcd libusb-1.0-0-dev libcups2-dev cups cups-ipp-utils cups-client dbus \
	libsystemd-dev systemd prometheus-alertmanager python3 python3-venv graphviz libespeak-ng-dev libasound2-dev

.PHONY: venv hil hil-image all deps build test demo demo-build demo-pcsc demo-peers demo-alerts check generate format bench fuzz clean

all: build

deps:
	@command -v $(SWIFT) >/dev/null || { echo "make: '$(SWIFT)' not found; install Swift 6 (see README)"; exit 1; }
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "make: installing$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		else \
			echo "make: missing Debian packages:$$missing (run make as root, or: sudo apt-get install$$missing)"; exit 1; \
		fi; \
	fi

# The Python tools the tests run, pinned, from PyPI into .build/venv: openapi-core checks every message of the back-office
# stand-in (StandIns/commonground) against the official documents, and schemathesis tests kiosk-central's own contract.
VENV := .build/venv
PY_PACKAGES := openapi-core==0.23.1 schemathesis==4.32.5 werkzeug==3.1.9 PyYAML==6.0.4
venv: $(VENV)/.installed
$(VENV)/.installed: Makefile
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check $(PY_PACKAGES)
	touch $@

# One build of everything, tests included, so that `swift test` does not plan the package again.
build: deps venv
	$(SWIFT) build --build-tests

test: build hil-image
	KIOSK_BIN="$$($(SWIFT) build --show-bin-path)" KIOSK_HIL="$(HIL)/vm" $(SWIFT) test --skip-build
	$(MAKE) fuzz FUZZ_SECONDS=10
	cd Benchmarks && $(SWIFT) build

# The VM bench (HIL/README.md). kioskd, kioskctl and kiosk-central built for a kiosk (release, the Swift runtime linked in,
# with the bench's test hook), the test PKI the bench's documents are signed under, and the disk: Debian with systemd, kioskd
# installed by Kiosk/install.sh. The root filesystem is cached in $(HIL)/vm by its package list.
HIL := .build/hil
HIL_BUILD := $(SWIFT) build -c release --static-swift-stdlib --scratch-path $(HIL) -Xswiftc -DKIOSK_TEST_HOOKS
hil-image: build
	$(HIL_BUILD) --product kioskd
	$(HIL_BUILD) --product kioskctl
	$(HIL_BUILD) --product kiosk-central
	"$$($(SWIFT) build --show-bin-path)/kiosk-emrtd" --pki $(HIL)/pki --init-pki > /dev/null
	HIL/image.sh $(HIL)/vm "$$($(HIL_BUILD) --show-bin-path)" $(HIL)/pki/csca.pem

# Every check of the bench, each printed with its time.
hil: hil-image
	KIOSK_BIN="$$($(SWIFT) build --show-bin-path)" KIOSK_HIL="$(HIL)/vm" KIOSK_HIL_FULL=1 \
		$(SWIFT) test --skip-build --filter HILTests

# libFuzzer on the MRZ and card parsers (Fuzz/README.md). `make test` runs it briefly; FUZZ_SECONDS=600 for a real session.
FUZZ_SECONDS ?= 60
fuzz: deps
	cd Fuzz && $(SWIFT) build -c release -Xswiftc -sanitize=fuzzer --product FuzzMRZ
	cd Fuzz && $(SWIFT) build -c release -Xswiftc -sanitize=fuzzer --product FuzzCard
	cd Fuzz && $(SWIFT) build -c release -Xswiftc -sanitize=fuzzer --product FuzzDocument
	@for target in MRZ Card Document; do \
		mkdir -p .build/fuzz/$$target && cp -n Fuzz/Corpus/$$target/* .build/fuzz/$$target/ ; \
		echo "fuzz: Fuzz$$target for $(FUZZ_SECONDS) s"; \
		(cd .build/fuzz && ../../Fuzz/.build/release/Fuzz$$target -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$$target 2>&1 | grep -E "^(stat::number_of_executed_units|stat::new_units_added|==|SUMMARY|Done)|ERROR|crash") || exit 1; \
		if ls .build/fuzz/crash-* >/dev/null 2>&1; then echo "fuzz: Fuzz$$target found a crash"; exit 1; fi; \
	done

# What every demo runs: kioskd, kioskctl, kiosk-central and the virtual passport.
demo-build: deps
	$(SWIFT) build --product kioskctl
	$(SWIFT) build --product kiosk-central
	$(SWIFT) build --product kiosk-emrtd
	$(SWIFT) build --product kiosk-pinpad
	$(SWIFT) build --product kioskd

demo: demo-build
	@echo "kiosk-central starts on 127.0.0.1:8421, then kioskd on Kiosk/demo.yaml. In a second terminal, from this folder:"
	@echo "  export PATH=\"$$($(SWIFT) build --show-bin-path):\$$PATH\"; kioskctl status; kioskctl payment status"
	@echo "kiosk-pinpad (the PIN terminal) takes the payments; make the next one fail with"
	@echo "  curl -X PUT -d '{\"next\":\"decline\",\"times\":1}' http://127.0.0.1:4180/behaviour"
	@sleep 2
	Kiosk/demo-run.sh "$$($(SWIFT) build --show-bin-path)"

# The demo with the card reader on pcscd: put the specimen passport on the virtual reader from a second terminal with
#   nsenter --net=/proc/$(cat .kiosk-demo/pcscd.pid)/ns/net kiosk-emrtd --profile nl-passport-2025 --pki .kiosk-demo/pki \
#     --mrz 'P<NLDDE<BRUIJN<<WILLEKE<LISELOTTE<<<<<<<<<<<\nSPECI20256NLD6503101F3503096999999990<<<<<84'
demo-pcsc: demo-build
	@echo "pcscd (vpcd reader), kiosk-central, then kioskd on Kiosk/demo-pcsc.yaml. In a second terminal, from this folder:"
	@echo "  export PATH=\"$$($(SWIFT) build --show-bin-path):\$$PATH\"; kioskctl cardreader status"
	@echo "  nsenter --net=/proc/\$$(cat .kiosk-demo/pcscd.pid)/ns/net kiosk-emrtd --profile nl-passport-2025 --pki .kiosk-demo/pki \\"
	@echo "    --mrz 'P<NLDDE<BRUIJN<<WILLEKE<LISELOTTE<<<<<<<<<<<\\nSPECI20256NLD6503101F3503096999999990<<<<<84'"
	@sleep 2
	Kiosk/demo-run.sh "$$($(SWIFT) build --show-bin-path)" Kiosk/demo-pcsc.yaml

# The demo on real peers: the card reader on pcscd (as demo-pcsc) and the printer on a private cupsd with ippeveprinter.
# kioskctl printer status shows it; its paper is set at http://localhost:8632/media.
demo-peers: demo-build
	@echo "pcscd, cupsd with ippeveprinter, kiosk-central, then kioskd on Kiosk/demo-peers.yaml. In a second terminal:"
	@echo "  export PATH=\"$$($(SWIFT) build --show-bin-path):\$$PATH\"; kioskctl printer status"
	@echo "  nsenter --net=/proc/\$$(cat .kiosk-demo/pcscd.pid)/ns/net kiosk-emrtd --profile nl-passport-2025 --pki .kiosk-demo/pki \\"
	@echo "    --mrz 'P<NLDDE<BRUIJN<<WILLEKE<LISELOTTE<<<<<<<<<<<\\nSPECI20256NLD6503101F3503096999999990<<<<<84'"
	@sleep 2
	Kiosk/demo-run.sh "$$($(SWIFT) build --show-bin-path)" Kiosk/demo-peers.yaml

# The demo with staff alerts: Alertmanager on 127.0.0.1:9093 whose webhook writes .kiosk-demo/alerts.log, and /metrics on
# 127.0.0.1:9464. In a second terminal: kioskctl sim printer paper-out; kioskctl faults; tail -f .kiosk-demo/alerts.log
demo-alerts: demo-build
	@echo "kiosk-central, Alertmanager and a webhook, then kioskd on Kiosk/demo-alerts.yaml. In a second terminal:"
	@echo "  export PATH=\"$$($(SWIFT) build --show-bin-path):\$$PATH\"; kioskctl sim printer paper-out; kioskctl faults"
	@echo "  tail -f .kiosk-demo/alerts.log        # the firing notification; kioskctl sim printer ok resolves it"
	@sleep 2
	Kiosk/demo-run.sh "$$($(SWIFT) build --show-bin-path)" Kiosk/demo-alerts.yaml

# Benchmarks in release mode, files on the repository's disk; see Benchmarks/README.md. Not part of `make test`, which only
# builds them. They are a package of their own (Benchmarks/, as Fuzz/ is); the kiosk's programs they start come from this
# package's release build (KIOSK_BIN).
BENCH_BIN = $$(cd Benchmarks && $(SWIFT) build -c release --show-bin-path)
RELEASE_BIN = $$($(SWIFT) build -c release --show-bin-path)
bench: deps venv
	$(SWIFT) build -c release --product kioskd
	$(SWIFT) build -c release --product kioskctl
	$(SWIFT) build -c release --product kiosk-central
	$(SWIFT) build -c release --product kiosk-emrtd
	$(SWIFT) build -c release --product kiosk-pinpad
	cd Benchmarks && $(SWIFT) build -c release
	mkdir -p .build/bench
	BENCH_DIR="$$PWD/.build/bench" KIOSK_BIN="$(RELEASE_BIN)" "$(BENCH_BIN)/kiosk-bench"
	KIOSK_BIN="$(RELEASE_BIN)" "$(BENCH_BIN)/kiosk-bench-card"
	"$(BENCH_BIN)/kiosk-bench-print"
	KIOSK_BIN="$(RELEASE_BIN)" "$(BENCH_BIN)/kiosk-bench-screen"
	"$(BENCH_BIN)/kiosk-bench-speech"
	KIOSK_BIN="$(RELEASE_BIN)" "$(BENCH_BIN)/kiosk-bench-alerts"
	KIOSK_BIN="$(RELEASE_BIN)" "$(BENCH_BIN)/kiosk-bench-pay"
	KIOSK_BIN="$(RELEASE_BIN)" "$(BENCH_BIN)/kiosk-bench-backoffice"

# Operator check of the flow files, as on a kiosk before a release.
check:
	$(SWIFT) run kioskctl flows check Flows

# Regenerate the central API code after changing Sources/CentralAPI/openapi.yaml. The generator is built in its own package
# (Tools/OpenAPI) so that ordinary builds never compile it; the generated files are committed.
generate:
	cd Tools/OpenAPI && $(SWIFT) build --product swift-openapi-generator
	rm -rf Sources/CentralAPI/Generated
	"$$(cd Tools/OpenAPI && $(SWIFT) build --show-bin-path)/swift-openapi-generator" generate Sources/CentralAPI/openapi.yaml \
		--config Sources/CentralAPI/openapi-generator-config.yaml --output-directory Sources/CentralAPI/Generated

# Format and lint everything but the generated code (swift-format would rewrite its directives).
SWIFT_FILES = $$(git ls-files '*.swift' | grep -v '/Generated/')
format:
	swift format format -i $(SWIFT_FILES)
	swift format lint $(SWIFT_FILES)

clean:
	rm -rf .build .kiosk-demo Tools/OpenAPI/.build
