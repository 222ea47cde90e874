// kiosk-bench-jack: a headphone jack for the VM bench (HIL/README.md), made through uinput: an input device with the
// switch SW_HEADPHONE_INSERT and the phys given ("ALSA", as the kernel's sound core names a sound card's jack; anything
// else is what a USB device pretending to be a jack would have). QEMU's HDA codec has no jack sensing, so this is how the
// bench plugs a headset in on a real kernel.
//
//   kiosk-bench-jack PHYS FIFO
//
// Makes the device (the headset out), prints "ready SYSNAME", then reads lines from FIFO: "in" plugs a headset in, "out"
// pulls it, each printed with the time it was sent (CLOCK_REALTIME); "gone" takes the device away and ends.
#include <fcntl.h>
#include <linux/uinput.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static int emit(int fd, int type, int code, int value) {
	struct input_event event;
	memset(&event, 0, sizeof event);
	event.type = type;
	event.code = code;
	event.value = value;
	return write(fd, &event, sizeof event) == sizeof event ? 0 : -1;
}

static int make(const char *phys) {
	int fd = open("/dev/uinput", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		perror("kiosk-bench-jack: /dev/uinput");
		return -1;
	}
	struct uinput_setup setup;
	memset(&setup, 0, sizeof setup);
	setup.id.bustype = BUS_VIRTUAL;
	snprintf(setup.name, sizeof setup.name, "kiosk-bench headphone jack");
	if (ioctl(fd, UI_SET_EVBIT, EV_SW) < 0 || ioctl(fd, UI_SET_SWBIT, SW_HEADPHONE_INSERT) < 0 ||
	    ioctl(fd, UI_SET_PHYS, phys) < 0 || ioctl(fd, UI_DEV_SETUP, &setup) < 0 || ioctl(fd, UI_DEV_CREATE) < 0) {
		perror("kiosk-bench-jack: uinput");
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv) {
	if (argc != 3) {
		fprintf(stderr, "usage: kiosk-bench-jack PHYS FIFO\n");
		return 2;
	}
	int device = make(argv[1]);
	if (device < 0) return 1;
	// Read and write: the FIFO never reaches its end while the bench opens and closes it for each command.
	FILE *commands = fopen(argv[2], "r+");
	if (commands == NULL) {
		perror(argv[2]);
		return 1;
	}
	char sysname[64] = "";
	ioctl(device, UI_GET_SYSNAME(sizeof sysname), sysname);
	printf("ready %s\n", sysname);
	fflush(stdout);
	char line[32];
	while (fgets(line, sizeof line, commands) != NULL) {
		if (strncmp(line, "gone", 4) == 0) break;
		int in = strncmp(line, "in", 2) == 0;
		if (!in && strncmp(line, "out", 3) != 0) continue;
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		if (emit(device, EV_SW, SW_HEADPHONE_INSERT, in) < 0 || emit(device, EV_SYN, SYN_REPORT, 0) < 0) {
			perror("kiosk-bench-jack: write");
			return 1;
		}
		printf("%s %ld.%09ld\n", in ? "in" : "out", (long)now.tv_sec, now.tv_nsec);
		fflush(stdout);
	}
	ioctl(device, UI_DEV_DESTROY);
	close(device);
	printf("gone\n");
	return 0;
}
