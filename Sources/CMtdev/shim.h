// mtdev: the Linux input stack's converter from multitouch protocol A (SYN_MT_REPORT, anonymous contacts) to protocol B
// (slots and tracking ids). Its plumbing API takes events one by one, so it can be fed from a recording as from a device.
#include <linux/input.h>
#include <mtdev.h>
#include <mtdev-plumbing.h>
