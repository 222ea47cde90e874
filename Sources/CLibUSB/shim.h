// libusb, read-only: enumeration, descriptors and hot-plug. The kiosk never claims an interface (pcscd and the kernel do).
#include <libusb.h>
