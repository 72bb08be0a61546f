/* text.h: UTF-8, Vietnamese and Unicode text, aligned tables */
#ifndef DC_TEXT_H
#define DC_TEXT_H

#include <stdint.h>
#include "util.h"

/* ---- text.c: UTF-8 and Vietnamese text ---- */

/* The SIMD code (scan.c: the reader's pass over a block, the UTF-8
 * check) is built where the compiler targets SSE2, as on every x86-64,
 * with AVX2 and AVX-512 (F, BW) beside it for the CPUs that have them;
 * the portable code is always built too, to compare with and to force. */
#if defined(__SSE2__) && defined(__GNUC__)
#define HAVE_SSE2 1
#if defined(__x86_64__)
#define HAVE_AVX2 1
/* The instructions each wider path may use (simd_path checks the CPU
 * for each), for the functions built for it. */
#define AVX2 __attribute__((target("avx2,popcnt")))
#define AVX512 __attribute__((target("avx512f,avx512bw,popcnt")))
#endif
#endif
enum simd { SIMD_PORTABLE, SIMD_SSE2, SIMD_AVX2, SIMD_AVX512,
	SIMD_LAST = SIMD_AVX512 };
/* The code path in use: the fastest this build and CPU have, unless
 * DC_SIMD (portable, sse2, avx2 or avx512) says which; read once, and
 * any other value, or a path this build or CPU lacks, is an error. */
static inline enum simd simd_path(void);
/* The path once chosen (-1 before), and the choice: simd_path is
 * asked once a line, so it is inline. */
extern int simd_chosen;
enum simd simd_choose(void);
static inline enum simd
simd_path(void)
{
	return simd_chosen >= 0 ? (enum simd)simd_chosen : simd_choose();
}
/* Use path from now on (the fuzz targets run each on the same input);
 * 0 when this build or CPU does not have it. */
int simd_use(enum simd path);

/* Returns 1 when p[0..n) is valid UTF-8 with no NUL; else 0 and the
 * byte offset of the first problem in *bad and its kind in *why. */
int utf8_check(const char *p, size_t n, size_t *bad, const char **why);
/* The parts of utf8_check.  utf8_blocks checks p[0..n) 64 bytes a step
 * (scan.c) and returns where a byte-wise check goes on (0 on the
 * portable path), or (size_t)-1 with *at at the first bad byte;
 * utf8_chars checks whole characters from p[i] until at least p[stop],
 * with the same returns. */
size_t utf8_blocks(const unsigned char *p, size_t n, size_t *at);
size_t utf8_chars(const unsigned char *p, size_t n, size_t i, size_t stop,
    size_t *at);
/* Decode one code point; returns bytes used (>=1).  Input is valid. */
size_t utf8_decode(const char *p, size_t n, uint32_t *cp);
void utf8_encode(uint32_t cp, struct buf *b);

/* Accent- and case-insensitive form, as Vietnamese users type:
 * "Ngọc Lũ" and its NFD form both fold to "ngoc lu"; đ folds to d.
 * Other scripts get Unicode simple case folding ("ΑΘΗΝΑ" and "αθηνα"
 * fold alike), and lose the marks of U+0300..U+036F too.  The result
 * may be up to half as long again as the input. */
void vn_fold(const char *p, size_t n, struct buf *b);
/* A byte string whose memcmp order is Vietnamese alphabetical order. */
void vn_sortkey(const char *p, size_t n, struct buf *b);
/* Case mapping for Vietnamese letters (precomposed and ASCII). */
void vn_upper(const char *p, size_t n, struct buf *b);
void vn_lower(const char *p, size_t n, struct buf *b);
void vn_capitalize(const char *p, size_t n, struct buf *b);
/* Unicode normalization form C: canonical decomposition, canonical
 * order of the marks, canonical composition (Vietnamese letters typed
 * as base letter plus marks become the precomposed ones).  Input must
 * be valid UTF-8. */
void vn_nfc(const char *p, size_t n, struct buf *b);
/* The whole of file path, NUL-terminated; dies when it cannot be read
 * or is not UTF-8 (legacy 8-bit Vietnamese would come out mangled). */
char *read_text_file(const char *path);
/* Terminal columns, as dc-fmt(1) says: East Asian Wide and Fullwidth
 * characters and emoji take two, an emoji sequence (ZWJ, VS16, skin
 * tone, flag) two in all; combining marks, format characters and
 * default-ignorable ones none. */
size_t display_width(const char *p, size_t n);

/* ---- unidata.c: Unicode tables, by src/unicode/gen-tables.pl ---- */

extern const char unicode_version[];    /* e.g. "14.0.0" */

/* Code points first..last; every table below starts with one, in order. */
struct uni_range {
	uint32_t first, last;
};
/* Display width: how a code point counts (bits). */
enum {
	U_ZERO = 1,             /* Mn, Mc, Me, Cf, default-ignorable, Hangul V and T */
	U_WIDE = 2,             /* East Asian Width W or F, Emoji_Presentation */
	U_EMOJI = 4,            /* Emoji: VS16 after it makes it wide */
	U_PICTO = 8,            /* Extended_Pictographic: joins with ZWJ */
	U_MODIFIER = 16,        /* Emoji_Modifier: the skin tones */
	U_REGIONAL = 32         /* Regional_Indicator: two make a flag */
};
struct uni_width {
	struct uni_range r;
	unsigned char what;
};
/* Folding: step 1 or 2, cp folds to cp + delta (every step-th code
 * point from first); step 0, every one folds to delta. */
struct uni_fold {
	struct uni_range r;
	int32_t delta;
	unsigned char step;
};
/* Canonical combining class and NFC_Quick_Check (0 yes, 1 maybe, 2 no);
 * code points not listed have both 0. */
struct uni_nfc {
	struct uni_range r;
	unsigned char ccc, qc;
};
/* The full canonical decomposition of cp: uni_decomp_cp[start ..
 * start + len).  Hangul syllables are not listed: they follow a rule. */
struct uni_decomp {
	uint32_t cp;
	uint16_t start;
	unsigned char len;
};
/* first followed by second composes to composite. */
struct uni_pair {
	uint32_t first, second, composite;
};
extern const struct uni_width uni_width[];
extern const struct uni_fold uni_fold[];
extern const struct uni_nfc uni_nfc[];
extern const struct uni_decomp uni_decomp[];
extern const uint32_t uni_decomp_cp[];
extern const struct uni_pair uni_pair[];
extern const size_t uni_nwidth, uni_nfold, uni_nnfc, uni_ndecomp, uni_npair;

/* ---- filter.c: template filters (dc-fmt, dc-report) ---- */

/* A filter writes a raw value as text, or returns what is wrong with it
 * (the value is never empty: an empty value stays empty). */
typedef const char *filter_fn(const char *v, size_t n, struct buf *out);
struct filter {
	const char *name;
	filter_fn *fn;
};
/* The filter name[0..len), or NULL. */
const struct filter *filter_find(const char *name, size_t len);
/* Their names, between each two. */
void filter_names(struct buf *b, const char *between);
/* Personal data: all but the last four digits of an ID become '*'. */
void mask_id(char *p, size_t n);

/* ---- grid.c: aligned plain-text tables (dc-fmt --table) ---- */

/* Cells are added row by row, the first row being the column labels.
 * grid_write pads each column to its widest cell in terminal columns,
 * two spaces apart, with a rule of '-' under the labels; numbers, and
 * the label of a column of numbers only, go to the right. */
struct grid {
	struct buf text;                /* all cells, one after another */
	size_t *start;                  /* cell i: text[start[i] .. start[i+1]) */
	size_t ncells, cap;
	int ncols;
};
void grid_init(struct grid *g, int ncols);
/* The next cell, as shown: a TAB, CR or newline in it becomes a space. */
void grid_add(struct grid *g, const char *p, size_t n);
void grid_write(const struct grid *g);
void grid_free(struct grid *g);

#endif
