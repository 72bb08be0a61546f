/* text.h: UTF-8 and Vietnamese text, aligned tables */
#ifndef DC_TEXT_H
#define DC_TEXT_H

#include <stdint.h>
#include "util.h"

/* ---- text.c: UTF-8 and Vietnamese text ---- */

/* The SSE2 code (the UTF-8 check, the reader's TAB search) is built
 * where the compiler targets SSE2, as on every x86-64; the portable
 * code is always built beside it, to compare with and to force. */
#if defined(__SSE2__) && defined(__GNUC__)
#define HAVE_SSE2 1
#endif
enum simd { SIMD_PORTABLE, SIMD_SSE2 };
/* The code path in use: the fastest this build has, unless DC_SIMD
 * (portable or sse2) says which; read once, and any other value, or
 * sse2 in a build without it, is an error. */
enum simd simd_path(void);
/* Use path from now on (the fuzz targets run each on the same input);
 * 0 when this build does not have it. */
int simd_use(enum simd path);

/* Returns 1 when p[0..n) is valid UTF-8 with no NUL; else 0 and the
 * byte offset of the first problem in *bad and its kind in *why. */
int utf8_check(const char *p, size_t n, size_t *bad, const char **why);
/* Decode one code point; returns bytes used (>=1).  Input is valid. */
size_t utf8_decode(const char *p, size_t n, uint32_t *cp);
void utf8_encode(uint32_t cp, struct buf *b);

/* Accent- and case-insensitive form, as Vietnamese users type:
 * "Ngọc Lũ" and its NFD form both fold to "ngoc lu"; đ folds to d. */
void vn_fold(const char *p, size_t n, struct buf *b);
/* A byte string whose memcmp order is Vietnamese alphabetical order. */
void vn_sortkey(const char *p, size_t n, struct buf *b);
/* Case mapping for Vietnamese letters (precomposed and ASCII). */
void vn_upper(const char *p, size_t n, struct buf *b);
void vn_lower(const char *p, size_t n, struct buf *b);
void vn_capitalize(const char *p, size_t n, struct buf *b);
/* Compose Vietnamese letters typed as base letter plus combining marks
 * (NFD) into the precomposed letters of NFC; other text is left as it
 * is.  Input must be valid UTF-8. */
void vn_nfc(const char *p, size_t n, struct buf *b);
/* The whole of file path, NUL-terminated; dies when it cannot be read
 * or is not UTF-8 (legacy 8-bit Vietnamese would come out mangled). */
char *read_text_file(const char *path);
/* Terminal columns: combining marks take none. */
size_t display_width(const char *p, size_t n);

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
