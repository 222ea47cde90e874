// The Linux framebuffer, console and evdev ioctls. ioctl is variadic, which Swift cannot call, so each one the kiosk needs
// is a small inline function here.
#include <sys/ioctl.h>
#include <linux/fb.h>
#include <linux/kd.h>
#include <linux/vt.h>
#include <linux/input.h>

static inline int kiosk_fb_var(int fd, struct fb_var_screeninfo *info) { return ioctl(fd, FBIOGET_VSCREENINFO, info); }
static inline int kiosk_fb_fix(int fd, struct fb_fix_screeninfo *info) { return ioctl(fd, FBIOGET_FSCREENINFO, info); }
static inline int kiosk_kd_set_mode(int fd, int mode) { return ioctl(fd, KDSETMODE, mode); }
/// The console's keyboard mode (K_OFF: the console takes no keys, so Ctrl-Alt-Del and Ctrl-C reach nothing there).
static inline int kiosk_kd_get_keyboard(int fd, int *mode) { return ioctl(fd, KDGKBMODE, mode); }
static inline int kiosk_kd_set_keyboard(int fd, int mode) { return ioctl(fd, KDSKBMODE, mode); }
/// VT switching (Ctrl-Alt-Fn) locked or unlocked.
static inline int kiosk_vt_lock_switch(int fd, int locked) { return ioctl(fd, locked ? VT_LOCKSWITCH : VT_UNLOCKSWITCH, 0); }
/// Exclusive use of an input device: its events reach kioskd alone, not the console.
static inline int kiosk_ev_grab(int fd, int grab) { return ioctl(fd, EVIOCGRAB, grab); }
static inline int kiosk_ev_abs(int fd, int axis, struct input_absinfo *info) { return ioctl(fd, EVIOCGABS(axis), info); }
/// Event times from this clock (CLOCK_MONOTONIC for the kiosk, as libinput does), so a wall-clock step cannot touch them.
static inline int kiosk_ev_clock(int fd, int clock) { return ioctl(fd, EVIOCSCLOCKID, &clock); }
static inline int kiosk_ev_bits(int fd, int type, unsigned char *bits, int length) {
    return ioctl(fd, EVIOCGBIT(type, length), bits);
}
/// The node's physical path as its kernel driver names it ("ALSA" for a sound card's jack, "usb-…" for a USB device).
static inline int kiosk_ev_phys(int fd, char *phys, int length) { return ioctl(fd, EVIOCGPHYS(length), phys); }
/// The switches' present state (a headphone jack: in or out).
static inline int kiosk_ev_switches(int fd, unsigned char *bits, int length) { return ioctl(fd, EVIOCGSW(length), bits); }
