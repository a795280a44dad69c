// The system OpenSSL (libcrypto, Debian package libssl-dev) as seen by the PKCS12 target.
//
// Only PKCS#12 export uses it: swift-crypto and swift-nio-ssl bring their own BoringSSL copies
// with prefixed symbols, so this unprefixed libcrypto can be linked next to them. Swift cannot
// import OpenSSL's function-like STACK_OF macros, hence the small inline wrappers below.
#ifndef CERTLAB_COPENSSL_SHIM_H
#define CERTLAB_COPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

static inline STACK_OF(X509) *certlab_x509_stack_new(void) { return sk_X509_new_null(); }

/// Takes ownership of `certificate` on success (returns the new count), not on failure (0).
static inline int certlab_x509_stack_push(STACK_OF(X509) *stack, X509 *certificate) {
    return sk_X509_push(stack, certificate);
}

static inline void certlab_x509_stack_free(STACK_OF(X509) *stack) { sk_X509_pop_free(stack, X509_free); }

#endif
