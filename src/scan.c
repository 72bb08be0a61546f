/* scan.c: the bytes of a block sorted 64 at a time.  One pass over a
 * block of whole lines finds where each line ends, counts its TABs and
 * checks that it is UTF-8 with no NUL (the reader, record.c); the same
 * pass without the lines is utf8_check's.  SSE2, AVX2 or AVX-512 code,
 * chosen at run time, takes the kinds of 64 bytes as bit masks; the rules below
 * work on the masks alike for every path.  DC_SIMD forces a path
 * (dc-tools(7)): the portable one goes a line at a time. */
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "text.h"

/* ---- the code path ---- */

/* -1: DC_SIMD not read yet.  The programs never change it after. */
int simd_chosen = -1;

static const char *const simd_names[] = { "portable", "sse2", "avx2",
    "avx512" };

/* What this build has. */
static int
simd_built(enum simd path)
{
	switch (path) {
	case SIMD_PORTABLE:
		return 1;
	case SIMD_SSE2:
#ifdef HAVE_SSE2
		return 1;
#else
		return 0;
#endif
	case SIMD_AVX2:
	case SIMD_AVX512:
#ifdef HAVE_AVX2
		return 1;
#else
		return 0;
#endif
	}
	return 0;
}

/* What this CPU has, of what this build has. */
static int
simd_cpu_has(enum simd path)
{
	switch (path) {
	case SIMD_PORTABLE:
	case SIMD_SSE2:
		return 1;       /* every x86-64 */
	case SIMD_AVX2:
#ifdef HAVE_AVX2
		return __builtin_cpu_supports("avx2") &&
		    __builtin_cpu_supports("popcnt");
#else
		return 0;
#endif
	case SIMD_AVX512:
#ifdef HAVE_AVX2
		return __builtin_cpu_supports("avx512f") &&
		    __builtin_cpu_supports("avx512bw") &&
		    __builtin_cpu_supports("popcnt");
#else
		return 0;
#endif
	}
	return 0;
}

static int
simd_runs(enum simd path)
{
	return simd_built(path) && simd_cpu_has(path);
}

static enum simd
simd_from_env(void)
{
	const char *v = getenv("DC_SIMD");
	int path;

	if (!v || !*v) {
		for (path = SIMD_LAST; path > SIMD_PORTABLE; path--)
			if (simd_runs((enum simd)path))
				break;
		return (enum simd)path;
	}
	simd_chosen = SIMD_PORTABLE;    /* for what die() may check */
	for (path = SIMD_PORTABLE; path <= SIMD_LAST; path++)
		if (strcmp(v, simd_names[path]) == 0)
			break;
	if (path > SIMD_LAST)
		die("DC_SIMD: unknown value '%.40s' (portable, sse2, avx2 or "
		    "avx512)", v);
	if (!simd_built((enum simd)path))
		die("DC_SIMD=%s: this build has no %s code path", v, v);
	if (!simd_cpu_has((enum simd)path))
		die("DC_SIMD=%s: this CPU has no %s code path", v, v);
	return (enum simd)path;
}

enum simd
simd_choose(void)
{
	simd_chosen = simd_from_env();
	return (enum simd)simd_chosen;
}

int
simd_use(enum simd path)
{
	if (!simd_runs(path))
		return 0;
	simd_chosen = path;
	return 1;
}

/* ---- the rules, on masks ---- */

/* Where a pass over p[0..n) stands. */
struct scan {
	const unsigned char *p;
	size_t n;
	struct line_index *ix;          /* NULL: UTF-8 only */
	uint64_t carry;                 /* continuations due at the next
	                                 * block's first bytes */
	size_t open;                    /* start of the character left open */
	size_t tabs;                    /* TABs of the line being scanned */
	int escaped;                    /* it holds a backslash */
	size_t bad;                     /* the first bad byte, or -1 */
	int full;                       /* the index is full */
};

static inline void
add_line(struct scan *s, size_t end)
{
	struct line_index *ix = s->ix;

	ix->end[ix->n] = end;
	ix->tabs[ix->n] = s->tabs;
	ix->escaped[ix->n] = (unsigned char)s->escaped;
	s->tabs = 0;
	s->escaped = 0;
	if (++ix->n == ix->cap)
		s->full = 1;
}

/* The first place of needle (m >= 1 bytes) in p[0..n), or NULL, a byte
 * at a time: its last byte by memchr, which is less common than the
 * first in names ("Ngọc Lũ", "nghien"). */
static const char *
find_bytes(const char *p, size_t n, const char *needle, size_t m)
{
	const char *last = p + m - 1, *end = p + n;
	unsigned char c = (unsigned char)needle[m - 1];

	while (last < end && (last = memchr(last, c, (size_t)(end - last)))) {
		if (memcmp(last - (m - 1), needle, m - 1) == 0)
			return last - (m - 1);
		last++;
	}
	return NULL;
}

#ifdef HAVE_SSE2
/* The kinds of 64 bytes, bit i for byte i. */
struct kinds {
	uint64_t nl, tab;
	uint64_t backslash;
	uint64_t high;                  /* 0x80..0xFF: not ASCII */
	uint64_t cont;                  /* 0x80..0xBF: continuation bytes */
	uint64_t lead3;                 /* 0xE0..0xFF: lead of 3 bytes or more */
	uint64_t lead4;                 /* 0xF0..0xFF: lead of 4 */
	int special;                    /* a byte the masks cannot judge: NUL;
	                                 * C0, C1, F5..FF, never valid; E0,
	                                 * ED, F0, F4, whose second byte has a
	                                 * narrower range */
};

/* A block is well formed when its continuation bytes are exactly the
 * ones its lead bytes (and the last block's) call for, and it holds no
 * special byte; anything else, rare in real text, is judged byte by
 * byte.  Returns 0 at a bad byte. */
/* Inlined into each path's loop, so that AVX2's gets the CPU's
 * popcount: likewise index_kinds and step. */
static inline __attribute__((always_inline)) int
check_kinds(struct scan *s, const struct kinds *k, size_t i)
{
	uint64_t lead = k->high & ~k->cont;
	uint64_t due = lead << 1 | k->lead3 << 2 | k->lead4 << 3 | s->carry;
	uint64_t carry = lead >> 63 | k->lead3 >> 62 | k->lead4 >> 61;

	if (k->special || due != k->cont) {
		size_t at, to;

		to = utf8_chars(s->p, s->n, s->carry ? s->open : i, i + 64, &at);
		if (to == (size_t)-1) {
			s->bad = at;
			return 0;
		}
		/* A character may run past the block: its last bytes are
		 * due in the next. */
		carry = to > i + 64 ? ((uint64_t)1 << (to - i - 64)) - 1 : 0;
	}
	s->carry = carry;
	if (carry) {
		s->open = i + 63;
		while ((s->p[s->open] & 0xC0) == 0x80)
			s->open--;
	}
	return 1;
}

/* The lines ending in block i: each newline closes a line, whose TABs
 * are those below it.  popcount is the CPU's in the AVX2 code. */
static inline __attribute__((always_inline)) void
index_kinds(struct scan *s, const struct kinds *k, size_t i)
{
	uint64_t nl = k->nl, tab = k->tab, backslash = k->backslash;

	while (nl && !s->full) {
		uint64_t below = (nl & (0 - nl)) - 1;

		s->tabs += (size_t)__builtin_popcountll(tab & below);
		tab &= ~below;
		/* Rare: most blocks hold no backslash. */
		if (backslash) {
			s->escaped |= (backslash & below) != 0;
			backslash &= ~below;
		}
		add_line(s, i + (size_t)__builtin_ctzll(nl));
		nl &= nl - 1;
	}
	s->tabs += (size_t)__builtin_popcountll(tab);
	s->escaped |= backslash != 0;
}

/* One block: 0 to stop (a bad byte, or the index full). */
static inline __attribute__((always_inline)) int
step(struct scan *s, const struct kinds *k, size_t i)
{
	if (!check_kinds(s, k, i))
		return 0;
	if (s->ix) {
		index_kinds(s, k, i);
		if (s->full)
			return 0;
	}
	return 1;
}

/* ---- the kinds of 64 bytes, by path ---- */

#include <emmintrin.h>

/* Every path takes a byte's kind from its top bits, one movemask each:
 * adding a byte to itself shifts it left.  10xxxxxx is a continuation,
 * 11xxxxxx a lead, 111xxxxx a lead of 3 or more, 1111xxxx of 4. */
static inline __attribute__((always_inline)) void
kinds_from_bits(struct kinds *k, uint64_t b7, uint64_t b6, uint64_t b5,
    uint64_t b4, int at)
{
	k->high |= b7 << at;
	k->cont |= (b7 & ~b6) << at;
	k->lead3 |= (b7 & b6 & b5) << at;
	k->lead4 |= (b7 & b6 & b5 & b4) << at;
}

static inline __attribute__((always_inline)) uint64_t
mask16(__m128i m)
{
	return (uint64_t)(unsigned)_mm_movemask_epi8(m);
}

static inline __attribute__((always_inline)) void
kinds16(const unsigned char *p, struct kinds *k, int at)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i v1 = _mm_add_epi8(v, v), v2 = _mm_add_epi8(v1, v1);
	__m128i sp;

	k->nl |= mask16(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))) << at;
	k->tab |= mask16(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))) << at;
	k->backslash |= mask16(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))) << at;
	kinds_from_bits(k, mask16(v), mask16(v1), mask16(v2),
	    mask16(_mm_add_epi8(v2, v2)), at);
	sp = _mm_cmpeq_epi8(v, _mm_setzero_si128());
	sp = _mm_or_si128(sp, _mm_cmpeq_epi8(_mm_and_si128(v,
	    _mm_set1_epi8((char)0xFE)), _mm_set1_epi8((char)0xC0)));
	sp = _mm_or_si128(sp, _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE0)));
	sp = _mm_or_si128(sp, _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED)));
	sp = _mm_or_si128(sp, _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xF0)));
	sp = _mm_or_si128(sp, _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xF4)));
	/* Unsigned: v >= 0xF5. */
	sp = _mm_or_si128(sp, _mm_cmpeq_epi8(_mm_max_epu8(v,
	    _mm_set1_epi8((char)0xF5)), v));
	k->special |= _mm_movemask_epi8(sp) != 0;
}

static size_t
scan_sse2(struct scan *s)
{
	size_t i;

	for (i = 0; s->n - i >= 64; i += 64) {
		struct kinds k = { 0 };

		kinds16(s->p + i, &k, 0);
		kinds16(s->p + i + 16, &k, 16);
		kinds16(s->p + i + 32, &k, 32);
		kinds16(s->p + i + 48, &k, 48);
		if (!step(s, &k, i))
			break;
	}
	return i;
}

/* The first and the last byte of needle, m >= 2 bytes apart - 1, both
 * compared 16 bytes a step: few places pass both. */
static const char *
find_sse2(const char *p, size_t n, const char *needle, size_t m)
{
	const __m128i first = _mm_set1_epi8(needle[0]);
	const __m128i last = _mm_set1_epi8(needle[m - 1]);
	size_t i;

	for (i = 0; n - i >= m - 1 + 16; i += 16) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)
		    (p + i + m - 1));
		unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(
		    _mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));

		for (; mask; mask &= mask - 1) {
			const char *at = p + i + __builtin_ctz(mask);

			if (memcmp(at + 1, needle + 1, m - 2) == 0)
				return at;
		}
	}
	return find_bytes(p + i, n - i, needle, m);
}

#ifdef HAVE_AVX2
#include <immintrin.h>


AVX2 static inline __attribute__((always_inline)) uint64_t
mask32(__m256i m)
{
	return (uint64_t)(unsigned)_mm256_movemask_epi8(m);
}

/* Where the character holding byte i - 1 starts: the bytes before i are
 * valid UTF-8 there, so a lead is at most three back. */
static size_t
char_start_before(const unsigned char *p, size_t i)
{
	size_t j = i;

	if (j > 0)
		for (j--; j > 0 && i - j < 4 && (p[j] & 0xC0) == 0x80; j--)
			;
	return j;
}

/* The bytes of 32 that break the rules, as nonzero bytes: a
 * continuation byte where the bytes before it (read at p - 1, - 2, - 3)
 * call for none, none where they call for one, or a special byte.  No
 * masks: the whole block is judged at once in the vector registers.
 * The special bytes are found by two table lookups, on the high and the
 * low nibble: a byte is special when its two entries share a bit (1 NUL,
 * 2 C0 C1, 4 E0, 8 ED, 16 F0 F4, 32 F5..FF). */
AVX2 static inline __attribute__((always_inline)) __m256i
bad32(const unsigned char *p, __m256i v)
{
	const __m256i by_high = _mm256_setr_epi8(
	    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 4 | 8, 16 | 32,
	    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 4 | 8, 16 | 32);
	const __m256i by_low = _mm256_setr_epi8(
	    1 | 2 | 4 | 16, 2, 0, 0, 16, 32, 32, 32, 32, 32, 32, 32, 32, 8 | 32,
	    32, 32,
	    1 | 2 | 4 | 16, 2, 0, 0, 16, 32, 32, 32, 32, 32, 32, 32, 32, 8 | 32,
	    32, 32);
	const __m256i nibble = _mm256_set1_epi8(0x0F);
	__m256i p1 = _mm256_loadu_si256((const __m256i *)(const void *)(p - 1));
	__m256i p2 = _mm256_loadu_si256((const __m256i *)(const void *)(p - 2));
	__m256i p3 = _mm256_loadu_si256((const __m256i *)(const void *)(p - 3));
	/* Nonzero where a lead of 2, 3 or 4 bytes calls for this byte. */
	__m256i due = _mm256_or_si256(
	    _mm256_subs_epu8(p1, _mm256_set1_epi8((char)0xBF)),
	    _mm256_or_si256(_mm256_subs_epu8(p2, _mm256_set1_epi8((char)0xDF)),
	    _mm256_subs_epu8(p3, _mm256_set1_epi8((char)0xEF))));
	__m256i cont = _mm256_cmpgt_epi8(_mm256_set1_epi8(-64), v);
	__m256i undue = _mm256_cmpeq_epi8(due, _mm256_setzero_si256());
	__m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble);
	__m256i lo = _mm256_and_si256(v, nibble);

	return _mm256_or_si256(_mm256_cmpeq_epi8(undue, cont),
	    _mm256_and_si256(_mm256_shuffle_epi8(by_high, hi),
	    _mm256_shuffle_epi8(by_low, lo)));
}

AVX2 static inline __attribute__((always_inline)) uint64_t
byte_mask64(__m256i a, __m256i b, char c)
{
	return mask32(_mm256_cmpeq_epi8(a, _mm256_set1_epi8(c))) |
	    mask32(_mm256_cmpeq_epi8(b, _mm256_set1_epi8(c))) << 32;
}

/* The SSE2 loop, but the UTF-8 rules are judged in the vector registers
 * from the bytes before each (the first block, which has none, byte by
 * byte), and only the lines are taken as masks. */
AVX2 static size_t
scan_avx2(struct scan *s)
{
	const unsigned char *p = s->p;
	size_t i, at;

	for (i = 0; s->n - i >= 64; i += 64) {
		__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
		__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)
		    (p + i + 32));
		struct kinds k;

		if (i == 0 || !_mm256_testz_si256(_mm256_or_si256(bad32(p + i, a),
		    bad32(p + i + 32, b)), _mm256_set1_epi8(-1))) {
			if (utf8_chars(p, s->n, char_start_before(p, i), i + 64,
			    &at) == (size_t)-1) {
				s->bad = at;
				break;
			}
		}
		if (!s->ix)
			continue;
		k.nl = byte_mask64(a, b, '\n');
		k.tab = byte_mask64(a, b, '\t');
		k.backslash = byte_mask64(a, b, '\\');
		index_kinds(s, &k, i);
		if (s->full)
			break;
	}
	/* Where a byte-wise check goes on. */
	s->carry = i > 0;
	s->open = char_start_before(p, i);
	return i;
}
/* Where the first and the last byte of needle (m >= 2) are m - 1 apart,
 * for 32 places from p. */
AVX2 static inline __attribute__((always_inline)) uint64_t
ends_at32(const char *p, size_t m, __m256i first, __m256i last)
{
	__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)
	    (p + m - 1));

	return mask32(_mm256_and_si256(_mm256_cmpeq_epi8(a, first),
	    _mm256_cmpeq_epi8(b, last)));
}

/* find_sse2, 64 places a step. */
AVX2 static const char *
find_avx2(const char *p, size_t n, const char *needle, size_t m)
{
	const __m256i first = _mm256_set1_epi8(needle[0]);
	const __m256i last = _mm256_set1_epi8(needle[m - 1]);
	size_t i;

	for (i = 0; n - i >= m - 1 + 64; i += 64) {
		uint64_t mask = ends_at32(p + i, m, first, last) |
		    ends_at32(p + i + 32, m, first, last) << 32;

		for (; mask; mask &= mask - 1) {
			const char *at = p + i + __builtin_ctzll(mask);

			if (memcmp(at + 1, needle + 1, m - 2) == 0)
				return at;
		}
	}
	return find_sse2(p + i, n - i, needle, m);
}
/* ---- AVX-512 (F and BW): 64 bytes in one register ---- */


/* bad32's rules on 64 bytes, as a mask: no movemask, the compares give
 * bits.  The bytes before each come from this register and the last
 * (prev), not from loads that would straddle two cache lines each time:
 * t holds prev's last 16 bytes and v's first 48, and each 16-byte lane
 * of v is joined to the lane before it.  The nibble tables are bad32's,
 * one copy a lane. */
AVX512 static inline __attribute__((always_inline)) uint64_t
bad64(__m512i v, __m512i prev)
{
	const __m512i by_high = _mm512_broadcast_i32x4(_mm_setr_epi8(
	    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 4 | 8, 16 | 32));
	const __m512i by_low = _mm512_broadcast_i32x4(_mm_setr_epi8(
	    1 | 2 | 4 | 16, 2, 0, 0, 16, 32, 32, 32, 32, 32, 32, 32, 32, 8 | 32,
	    32, 32));
	const __m512i nibble = _mm512_set1_epi8(0x0F);
	__m512i t = _mm512_alignr_epi32(v, prev, 12);
	__m512i p1 = _mm512_alignr_epi8(v, t, 15);
	__m512i p2 = _mm512_alignr_epi8(v, t, 14);
	__m512i p3 = _mm512_alignr_epi8(v, t, 13);
	__m512i due = _mm512_or_si512(
	    _mm512_subs_epu8(p1, _mm512_set1_epi8((char)0xBF)),
	    _mm512_or_si512(_mm512_subs_epu8(p2, _mm512_set1_epi8((char)0xDF)),
	    _mm512_subs_epu8(p3, _mm512_set1_epi8((char)0xEF))));
	uint64_t cont = _mm512_cmplt_epi8_mask(v, _mm512_set1_epi8(-64));
	uint64_t owed = _mm512_test_epi8_mask(due, due);
	__m512i hi = _mm512_and_si512(_mm512_srli_epi16(v, 4), nibble);
	__m512i lo = _mm512_and_si512(v, nibble);
	__m512i sp = _mm512_and_si512(_mm512_shuffle_epi8(by_high, hi),
	    _mm512_shuffle_epi8(by_low, lo));

	return (cont ^ owed) | _mm512_test_epi8_mask(sp, sp);
}

/* scan_avx2, one register a block. */
AVX512 static size_t
scan_avx512(struct scan *s)
{
	const unsigned char *p = s->p;
	size_t i, at;
	__m512i prev = _mm512_setzero_si512();

	for (i = 0; s->n - i >= 64; i += 64) {
		__m512i v = _mm512_loadu_si512((const void *)(p + i));
		struct kinds k;

		/* The first block has no bytes before it: byte by byte. */
		if (i == 0 || bad64(v, prev)) {
			if (utf8_chars(p, s->n, char_start_before(p, i), i + 64,
			    &at) == (size_t)-1) {
				s->bad = at;
				break;
			}
		}
		prev = v;
		if (!s->ix)
			continue;
		k.nl = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'));
		k.tab = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\t'));
		k.backslash = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\'));
		index_kinds(s, &k, i);
		if (s->full)
			break;
	}
	s->carry = i > 0;
	s->open = char_start_before(p, i);
	return i;
}

/* find_avx2, one compare of 64 places for each end. */
AVX512 static const char *
find_avx512(const char *p, size_t n, const char *needle, size_t m)
{
	const __m512i first = _mm512_set1_epi8(needle[0]);
	const __m512i last = _mm512_set1_epi8(needle[m - 1]);
	size_t i;

	for (i = 0; n - i >= m - 1 + 64; i += 64) {
		uint64_t mask = _mm512_cmpeq_epi8_mask(
		    _mm512_loadu_si512((const void *)(p + i)), first) &
		    _mm512_cmpeq_epi8_mask(
		    _mm512_loadu_si512((const void *)(p + i + m - 1)), last);

		for (; mask; mask &= mask - 1) {
			const char *at = p + i + __builtin_ctzll(mask);

			if (memcmp(at + 1, needle + 1, m - 2) == 0)
				return at;
		}
	}
	return find_avx2(p + i, n - i, needle, m);
}
#endif /* HAVE_AVX2 */
#endif /* HAVE_SSE2 */

/* The blocks of s on the path in use; returns where they stopped. */
static size_t
scan_blocks(struct scan *s)
{
	switch (simd_path()) {
#ifdef HAVE_AVX2
	case SIMD_AVX512:
		return scan_avx512(s);
	case SIMD_AVX2:
		return scan_avx2(s);
#endif
#ifdef HAVE_SSE2
	case SIMD_SSE2:
		return scan_sse2(s);
#endif
	default:
		(void)s;
		return 0;
	}
}

/* ---- the passes ---- */

size_t
utf8_blocks(const unsigned char *p, size_t n, size_t *at)
{
	struct scan s = { 0 };
	size_t i;

	if (simd_path() == SIMD_PORTABLE)
		return 0;
	s.p = p;
	s.n = n;
	s.bad = (size_t)-1;
	i = scan_blocks(&s);
	if (s.bad != (size_t)-1) {
		*at = s.bad;
		return (size_t)-1;
	}
	return s.carry ? s.open : i;
}

/* The lines from p[from] on, a byte at a time: until the line holding
 * byte stop is in, the index is full, or the block ends. */
static void
index_bytes(struct scan *s, size_t from, size_t stop)
{
	const unsigned char *nl;

	while (!s->full && from < s->n) {
		nl = memchr(s->p + from, '\n', s->n - from);
		if (!nl)
			break;
		for (; s->p + from < nl; from++) {
			s->tabs += s->p[from] == '\t';
			s->escaped |= s->p[from] == '\\';
		}
		add_line(s, (size_t)(nl - s->p));
		if ((size_t)(nl - s->p) >= stop)
			break;
		from = (size_t)(nl - s->p) + 1;
	}
}

size_t
scan_lines(const char *text, size_t n, struct line_index *ix, size_t *bad)
{
	struct scan s = { 0 };
	size_t i, at, end;

	s.p = (const unsigned char *)text;
	s.n = n;
	s.ix = ix;
	s.bad = (size_t)-1;
	ix->n = ix->next = 0;
	i = scan_blocks(&s);
	if (!s.full) {
		/* The rest of a block with a bad byte, or the last bytes. */
		size_t from = ix->n ? ix->end[ix->n - 1] + 1 : 0;

		if (s.bad == (size_t)-1 && utf8_chars(s.p, n,
		    s.carry ? s.open : i, n, &at) == (size_t)-1)
			s.bad = at;
		if (i > from && s.bad == (size_t)-1)
			from = i;       /* the TABs before i are counted */
		else {
			s.tabs = 0;
			s.escaped = 0;
		}
		index_bytes(&s, from, s.bad);
	}
	end = ix->n ? ix->end[ix->n - 1] + 1 : 0;
	*bad = s.bad < end ? s.bad : (size_t)-1;
	return end;
}

const char *
bytes_find(const char *p, size_t n, const char *needle, size_t m)
{
	if (m < 2 || n < m)
		return m == 0 ? p : find_bytes(p, n, needle, m);
	switch (simd_path()) {
#ifdef HAVE_AVX2
	case SIMD_AVX512:
		return find_avx512(p, n, needle, m);
	case SIMD_AVX2:
		return find_avx2(p, n, needle, m);
#endif
#ifdef HAVE_SSE2
	case SIMD_SSE2:
		return find_sse2(p, n, needle, m);
#endif
	default:
		return find_bytes(p, n, needle, m);
	}
}

int
needle_in(struct needle *nd, const char *line, size_t len,
    const char *block_end, unsigned long block)
{
	if (!block_end)
		return bytes_find(line, len, nd->p, nd->len) != NULL;
	if (nd->block != block || line < nd->from ||
	    (nd->hit && nd->hit < line)) {
		nd->block = block;
		nd->from = line;
		nd->hit = bytes_find(line, (size_t)(block_end - line), nd->p,
		    nd->len);
	}
	/* A place that starts in the line and runs past it is in no line:
	 * the needle holds no newline. */
	return nd->hit && nd->hit + nd->len <= line + len;
}
