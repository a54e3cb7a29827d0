/* Minimal stand-in for libketama's bundled md5.h (L. Peter Deutsch API),
 * backed by OpenSSL's MD5.  Used only by capture_ketama.py when the ketama
 * checkout given in KETAMA_SRC lacks md5.c.  MD5 is MD5: the digest bytes are
 * identical to the bundled implementation. */
#ifndef HASHHALO_MD5_SHIM_H
#define HASHHALO_MD5_SHIM_H
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/md5.h>
typedef unsigned char md5_byte_t;
typedef MD5_CTX md5_state_t;
static inline void md5_init(md5_state_t *s) { MD5_Init(s); }
static inline void md5_append(md5_state_t *s, const md5_byte_t *d, int n) { MD5_Update(s, d, (size_t)n); }
static inline void md5_finish(md5_state_t *s, md5_byte_t digest[16]) { MD5_Final(digest, s); }
#endif
