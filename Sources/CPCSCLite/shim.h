// pcsc-lite's PC/SC API (pcscd talks to the readers through libccid and other drivers). Flags come from libpcsclite.pc.
#include <winscard.h>
