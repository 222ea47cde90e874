#!/bin/sh
# Installs kioskd on a kiosk as a production site does: the binaries, the systemd unit, the udev, polkit and sysctl files,
# pcscd's socket for root and the kiosk group only,
# the kiosk user, the outbox key, and the lockdown (Ctrl-Alt-Del and the getty on the kiosk's VT masked).
#
#   Kiosk/install.sh --bin DIR --config FILE [--root DIR]
#
# --bin: the folder with kioskd, kioskctl (and kiosk-central where the site runs its own). --config: the site's kioskd.yaml.
# --root: install into a root filesystem other than / (an image being made); the default is this machine.
# The flows and device profiles go to /usr/local/share/kioskd, the config to /etc/kioskd. Run as root.
set -eu

root=/
bin=
config=
while [ $# -gt 0 ]; do
	case "$1" in
	--root) root=$2; shift 2 ;;
	--bin) bin=$2; shift 2 ;;
	--config) config=$2; shift 2 ;;
	*) echo "install.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$bin" ] && [ -n "$config" ] || { echo "install.sh: --bin DIR and --config FILE are required" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
r=${root%/}

# The binaries (the Swift runtime linked in statically: nothing else of Swift's on the kiosk).
install -d -m 0755 "$r/usr/local/bin" "$r/usr/local/share/kioskd"
for tool in kioskd kioskctl kiosk-central; do
	[ -x "$bin/$tool" ] && install -m 0755 "$bin/$tool" "$r/usr/local/bin/$tool"
done
[ -x "$r/usr/local/bin/kioskd" ] || { echo "install.sh: $bin/kioskd is missing" >&2; exit 1; }
rm -rf "$r/usr/local/share/kioskd/Flows" "$r/usr/local/share/kioskd/Devices"
cp -R "$repo/Flows" "$repo/Devices" "$r/usr/local/share/kioskd/"
cp -R "$repo/Kiosk/csca" "$r/usr/local/share/kioskd/"
install -m 0644 "$repo/README.md" "$r/usr/local/share/kioskd/README.md"

# The kiosk user: no shell, no home, in the kiosk group that owns the devices (99-kiosk.rules).
if ! grep -q '^kiosk:' "$r/etc/passwd"; then
	if [ "$r" = "" ]; then useradd --system --user-group --no-create-home --shell /usr/sbin/nologin kiosk
	else useradd --root "$(cd "$r" && pwd)" --system --user-group --no-create-home --shell /usr/sbin/nologin kiosk; fi
fi

# The config and the outbox key: root's, read by systemd only (LoadCredential hands the key in).
install -d -m 0755 "$r/etc/kioskd"
install -m 0644 "$config" "$r/etc/kioskd/kioskd.yaml"
if [ ! -s "$r/etc/kioskd/outbox.key" ]; then
	(umask 077 && head -c 32 /dev/urandom > "$r/etc/kioskd/outbox.key")
fi
chmod 0400 "$r/etc/kioskd/outbox.key"
# The kiosk's bearer tokens (central, alert sinks), put there by the site: kioskd's own, 0600, or it refuses to start.
for token in "$r"/etc/kioskd/*.token; do
	[ -f "$token" ] || continue
	chmod 0600 "$token"
	if [ "$r" = "" ]; then chown kiosk:kiosk "$token"; else chroot "$r" chown kiosk:kiosk "/etc/kioskd/$(basename "$token")"; fi
done

# systemd, udev, polkit, sysctl.
install -m 0644 "$here/kioskd.service" "$r/etc/systemd/system/kioskd.service"
install -d -m 0755 "$r/etc/udev/rules.d" "$r/etc/polkit-1/rules.d" "$r/etc/sysctl.d"
install -m 0644 "$here/99-kiosk.rules" "$r/etc/udev/rules.d/99-kiosk.rules"
install -m 0644 "$here/50-kiosk-pcscd.rules" "$r/etc/polkit-1/rules.d/50-kiosk-pcscd.rules"
install -m 0644 "$here/90-kiosk-sysrq.conf" "$r/etc/sysctl.d/90-kiosk-sysrq.conf"
install -d -m 0755 "$r/etc/systemd/system/pcscd.socket.d"
install -m 0644 "$here/pcscd-kiosk.conf" "$r/etc/systemd/system/pcscd.socket.d/kiosk.conf"

# Lockdown: no reboot from Ctrl-Alt-Del, no login prompt on the VT the kiosk draws on. Links, as `systemctl mask` and
# `systemctl enable` make them, so this works on an image as on a running kiosk.
install -d -m 0755 "$r/etc/systemd/system/multi-user.target.wants"
ln -sf /dev/null "$r/etc/systemd/system/ctrl-alt-del.target"
ln -sf /dev/null "$r/etc/systemd/system/getty@tty1.service"
ln -sf /dev/null "$r/etc/systemd/system/autovt@tty1.service"
ln -sf /etc/systemd/system/kioskd.service "$r/etc/systemd/system/multi-user.target.wants/kioskd.service"
echo "install.sh: kioskd installed in ${root}"
