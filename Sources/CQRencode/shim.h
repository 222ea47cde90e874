// libqrencode: the QR code of the reference on tickets and receipts. Link flags come from libqrencode.pc.
#include <qrencode.h>
