/* number.h: exact numbers, dates and Vietnamese number words */
#ifndef DC_NUMBER_H
#define DC_NUMBER_H

#include <stdint.h>
#include "util.h"

/* ---- number.c: exact numbers, dates, Vietnamese number words ---- */

/* NUM_PRECISION: a sum within int64 range whose decimals int64 cannot
 * hold all of (12345678901 + 0.000000000000000001). */
enum { NUM_OK = 0, NUM_SYNTAX = -1, NUM_RANGE = -2, NUM_PRECISION = -3 };

/* Optional '-', then digits only.  */
int parse_int64(const char *p, size_t n, int64_t *v);
int add_int64(int64_t *acc, int64_t v);          /* NUM_RANGE on overflow */

/* Exact decimal: value = units / 10^scale, scale 0..18.  parse_decimal
 * drops trailing fraction zeros: "12.100" is 121 at scale 1. */
struct decimal {
	int64_t units;
	int scale;
};
int parse_decimal(const char *p, size_t n, struct decimal *d);
/* NUM_RANGE when the whole part overflows, else NUM_PRECISION. */
int decimal_add(struct decimal *acc, struct decimal v);
void decimal_format(struct decimal d, struct buf *b);    /* "12.243" */
/* Raise d's scale toward scale (at most 18), the value unchanged: as far
 * as int64 holds it.  Returns 1 when d reached scale. */
int decimal_rescale(struct decimal *d, int scale);

/* Share part/whole in percent, one decimal, half away from zero: "68.2". */
void percent_format(int64_t part, int64_t whole, struct buf *b);

/* 1530 -> "1.530"; accepts an optional '-' and a fraction ("12.5" ->
 * "12,5"); the thousand separator is '.', the decimal one ','.  Leading
 * zeros go ("0007" -> "7") and zero has no sign ("-0" -> "0"). */
void vn_number(const char *p, size_t n, struct buf *b);
/* Vietnamese words for v: 21 -> "hai mươi mốt". */
void number_words(int64_t v, struct buf *b);

/* Compare two numbers of any length exactly (-1, 0, 1 in *result);
 * returns 0 when either is not a number ("-"? digits ["." digits]). */
int number_cmp(const char *a, size_t an, const char *b, size_t bn, int *result);

/* YYYY-MM-DD, a real calendar date. */
int parse_date(const char *p, size_t n, int *y, int *m, int *d);
void today(char out[11]);                       /* local date, YYYY-MM-DD */

#endif
