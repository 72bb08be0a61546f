/* sha256.c: SHA-256 (FIPS 180-4), streaming, for the checksums of the
 * registries a report read (dc-report --sources). */
#include <string.h>

#include "util.h"

/* FIPS 180-4, 4.2.2: the first 32 bits of the fractional parts of the
 * cube roots of the first 64 primes. */
static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROTR(x, n)      (((x) >> (n)) | ((x) << (32 - (n))))
#define CH(x, y, z)     (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z)    (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x)        (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x)        (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x)        (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x)        (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))

/* Byte order by shifts: the same on every machine, and compilers turn
 * it into one load and a byte swap. */
static uint32_t
load_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* One round, with the working variables renamed rather than moved:
 * eight calls in turn shift them by one place each. */
#define ROUND(a, b, c, d, e, f, g, h, i) do {                           \
	uint32_t t1 = h + BSIG1(e) + CH(e, f, g) + K[i] + w[i];         \
	d += t1;                                                        \
	h = t1 + BSIG0(a) + MAJ(a, b, c);                               \
} while (0)

/* FIPS 180-4, 6.2.2: the compression of n 64-byte blocks. */
static void
compress(uint32_t h[8], const unsigned char *p, size_t n)
{
	uint32_t w[64], a, b, c, d, e, f, g, x;
	int i;

	for (; n > 0; n--, p += 64) {
		for (i = 0; i < 16; i++)
			w[i] = load_be32(p + 4 * i);
		for (i = 16; i < 64; i++)
			w[i] = SSIG1(w[i - 2]) + w[i - 7] + SSIG0(w[i - 15]) +
			    w[i - 16];
		a = h[0]; b = h[1]; c = h[2]; d = h[3];
		e = h[4]; f = h[5]; g = h[6]; x = h[7];
		for (i = 0; i < 64; i += 8) {
			ROUND(a, b, c, d, e, f, g, x, i);
			ROUND(x, a, b, c, d, e, f, g, i + 1);
			ROUND(g, x, a, b, c, d, e, f, i + 2);
			ROUND(f, g, x, a, b, c, d, e, i + 3);
			ROUND(e, f, g, x, a, b, c, d, i + 4);
			ROUND(d, e, f, g, x, a, b, c, i + 5);
			ROUND(c, d, e, f, g, x, a, b, i + 6);
			ROUND(b, c, d, e, f, g, x, a, i + 7);
		}
		h[0] += a; h[1] += b; h[2] += c; h[3] += d;
		h[4] += e; h[5] += f; h[6] += g; h[7] += x;
	}
}

void
sha256_init(struct sha256 *s)
{
	/* FIPS 180-4, 5.3.3: the first 32 bits of the fractional parts of
	 * the square roots of the first 8 primes. */
	static const uint32_t h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, h0, sizeof h0);
	s->len = 0;
	s->n = 0;
}

void
sha256_update(struct sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t take;

	if (n == 0)             /* data may be NULL then */
		return;
	s->len += n;
	if (s->n > 0) {
		take = 64 - s->n < n ? 64 - s->n : n;
		memcpy(s->block + s->n, p, take);
		s->n += take;
		p += take;
		n -= take;
		if (s->n < 64)
			return;
		compress(s->h, s->block, 1);
		s->n = 0;
	}
	/* Whole blocks straight from the caller's buffer: no copy. */
	compress(s->h, p, n / 64);
	p += n / 64 * 64;
	n %= 64;
	if (n > 0) {
		memcpy(s->block, p, n);
		s->n = n;
	}
}

void
sha256_hex(struct sha256 *s, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	uint64_t bits = s->len * 8;
	int i;

	/* FIPS 180-4, 5.1.1: a 1 bit, zeros, and the length in bits as a
	 * 64-bit big-endian number, ending a block. */
	s->block[s->n++] = 0x80;
	if (s->n > 56) {
		memset(s->block + s->n, 0, 64 - s->n);
		compress(s->h, s->block, 1);
		s->n = 0;
	}
	memset(s->block + s->n, 0, 56 - s->n);
	for (i = 0; i < 8; i++)
		s->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	compress(s->h, s->block, 1);
	s->n = 0;
	for (i = 0; i < 32; i++) {
		unsigned v = (unsigned)(s->h[i / 4] >> (24 - 8 * (i % 4))) & 0xff;

		hex[2 * i] = digits[v >> 4];
		hex[2 * i + 1] = digits[v & 0xf];
	}
	hex[64] = '\0';
}
