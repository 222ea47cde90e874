// OpenSSL's libcrypto for ICAO 9303: triple DES and AES with CMAC (secure messaging), elliptic-curve and finite-field
// arithmetic (PACE and chip authentication; swift-crypto has no brainpool curves), and CMS and X.509 (passive
// authentication). Link flags come from pkg-config.
//
// The low-level EC_POINT, BIGNUM, DH and CMAC functions are deprecated in OpenSSL 3 in favour of EVP_PKEY, which has no way
// to multiply a point by a scalar or to set a mapped generator, both of which PACE's generic mapping needs. They are kept
// and supported in the 3.x series; the deprecation warnings are silenced here, for this shim only.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/dh.h>
#include <openssl/cmac.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/cms.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
