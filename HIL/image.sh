#!/bin/bash
# Makes the VM bench's disk: a Debian root filesystem with systemd and udev (mmdebstrap, cached by its package list), with
# kioskd installed into it by Kiosk/install.sh as a site installs it, and the bench's own files (HIL/rootfs).
#
#   HIL/image.sh OUT BIN CSCA
#
# OUT: the folder for base-*.tar (the cache), vmlinuz, initrd.img and kiosk.img. BIN: the folder with the statically linked
# kioskd, kioskctl and kiosk-central. CSCA: the test CSCA (PEM) the bench's documents are signed under.
set -euo pipefail
out=$1
bin=$2
csca=$3
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
mkdir -p "$out"

# Everything kioskd links (the Swift runtime is inside the binaries), pcscd with libccid, and what the checks use.
packages=systemd,systemd-sysv,udev,dbus,kmod,linux-image-amd64,initramfs-tools,pcscd,libccid,polkitd,libpcsclite1,libsqlite3-0
packages+=,libcups2,libmtdev1,libqrencode4,libpangocairo-1.0-0,libcairo2,libusb-1.0-0,libssl3,fonts-dejavu-core,libsystemd0
packages+=,evtest,usbutils,procps,kbd,libxml2,libespeak-ng1,espeak-ng-data,libasound2
# alsa-utils: its udev rule runs alsactl, which unmutes a new sound card and sets sane levels (a kernel starts it muted).
packages+=,alsa-utils
# The bench's printer: cupsd, and ippeveprinter (CUPS' IPP Everywhere reference printer) behind the queue `kiosk`.
packages+=,cups,cups-client,cups-ipp-utils
key=$(printf "%s bookworm mmdebstrap-apt\n" "$packages" | sha256sum | cut -c1-16)
base="$out/base-$key.tar"
if [ ! -s "$base" ]; then
	# The machine's own apt sources (deb822 or one-line), so the bench uses the mirror this machine is set up for.
	sources=$(mktemp)
	for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$file" ] && grep -E '^deb ' "$file" >> "$sources" || true
	done
	for file in /etc/apt/sources.list.d/*.sources; do
		[ -f "$file" ] || continue
		cp "$file" "$sources.sources"
		break
	done
	mirror=$sources
	[ -s "$sources" ] || mirror="$sources.sources"
	echo "hil: making the Debian root filesystem (once; cached as $base)"
	rm -f "$out"/base-*.tar
	mmdebstrap --mode=root --format=tar --variant=apt --include="$packages" \
		--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		bookworm "$base.part" "$mirror" > "$out/mmdebstrap.log" 2>&1 || { tail -20 "$out/mmdebstrap.log"; exit 1; }
	rm -f "$sources" "$sources.sources"
	mv "$base.part" "$base"
fi

root="$out/root"
rm -rf "$root"
mkdir -p "$root"
tar -xf "$base" -C "$root"
cp "$root"/boot/vmlinuz-* "$out/vmlinuz"
cp "$root"/boot/initrd.img-* "$out/initrd.img"
chmod 0644 "$out/vmlinuz" "$out/initrd.img"

# kioskd as a site installs it (stripped: a kiosk carries no debug information), then the bench's central, tokens and
# test CSCA.
stripped="$out/bin"
rm -rf "$stripped"
mkdir -p "$stripped"
for tool in kioskd kioskctl kiosk-central; do strip -o "$stripped/$tool" "$bin/$tool"; done
# The site's token for the central, before the install (which gives it to the kiosk user, 0600).
install -d -m 0755 "$root/etc/kioskd"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$root/etc/kioskd/kiosk.token"
"$repo/Kiosk/install.sh" --root "$root" --bin "$stripped" --config "$here/kioskd.yaml" > /dev/null
cp "$here"/Devices/*.yaml "$root/usr/local/share/kioskd/Devices/"
install -m 0644 "$repo/Kiosk/central-seed.yaml" "$root/usr/local/share/kioskd/central-seed.yaml"
install -m 0644 "$csca" "$root/etc/kioskd/bench-csca.pem"
useradd --root "$(cd "$root" && pwd)" --system --user-group --no-create-home --shell /usr/sbin/nologin kiosk-central
# The kiosk's token is kioskd's alone (0600, it refuses more); kiosk-central keeps its own copy and its admin token.
install -d -m 0700 "$root/etc/kiosk-central"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$root/etc/kiosk-central/admin.token"
cp "$root/etc/kioskd/kiosk.token" "$root/etc/kiosk-central/kiosk.token"
chmod 0600 "$root/etc/kiosk-central/"*.token
chroot "$root" chown -R kiosk-central:kiosk-central /etc/kiosk-central
cp -R "$here/rootfs/." "$root/"
# The bench's headphone jack (uinput; QEMU's HDA codec senses none), static so that it needs nothing in the guest.
${CC:-cc} -static -O2 -Wall -Werror -o "$root/usr/local/bin/kiosk-bench-jack" "$here/kiosk-bench-jack.c"
for unit in kiosk-bench-agent kiosk-central kiosk-printer kiosk-printer-queue; do
	ln -sf "/etc/systemd/system/$unit.service" "$root/etc/systemd/system/multi-user.target.wants/$unit.service"
done

# The guest: one disk, no network, a root password nobody knows, the serial console for the kernel's log.
echo "kiosk-bench" > "$root/etc/hostname"
printf '/dev/vda / ext4 rw,relatime 0 1\n' > "$root/etc/fstab"
ln -sf /dev/null "$root/etc/systemd/system/serial-getty@ttyS0.service"
ln -sf /dev/null "$root/etc/systemd/system/systemd-networkd-wait-online.service"
rm -f "$out/kiosk.img"
mkfs.ext4 -q -F -L kiosk -d "$root" "$out/kiosk.img" 2G > /dev/null
rm -rf "$root" "$stripped"
echo "hil: $out/kiosk.img"
