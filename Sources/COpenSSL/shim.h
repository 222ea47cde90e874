// OpenSSL's libcrypto, for two-key triple DES (ICAO 9303 BAC and secure messaging). Link flags come from pkg-config.
#include <openssl/evp.h>
#include <openssl/err.h>
