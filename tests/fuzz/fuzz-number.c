/* fuzz-number: exact numbers, dates, percentages and number words
 * (number.c) over arbitrary bytes, against plain arithmetic in 128 bits.
 * The input is one or two operands, split at the first TAB. */
#include <stdint.h>

#include "fuzz.h"
#include "number.h"
#include "text.h"
#include "record.h"

typedef __int128 wide;

static struct buf out, words, neg;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init("fuzz-number");
	return 0;
}

/* "-"? digits, as parse_int64 reads them: 0 when p is not that, 2
 * when it is far beyond int64, else 1 and the value. */
static int
plain_int(const char *p, size_t n, wide *v)
{
	size_t i, first = n > 0 && p[0] == '-';
	wide m = 0;

	if (first == n)
		return 0;
	for (i = first; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	for (i = first; i < n; i++) {
		if (m > ((wide)1 << 100))
			return 2;
		m = m * 10 + (p[i] - '0');
	}
	*v = p[0] == '-' ? -m : m;
	return 1;
}

static void
check_int(const char *p, size_t n)
{
	int64_t v = 0;
	wide w = 0;
	int kind = plain_int(p, n, &w), got = parse_int64(p, n, &v);

	if (kind == 0) {
		fuzz_assert(got == NUM_SYNTAX, "parse_int64 took what is not an integer");
		return;
	}
	if (kind == 2 || w > INT64_MAX || w < INT64_MIN) {
		fuzz_assert(got == NUM_RANGE, "parse_int64 took an integer out of range");
		return;
	}
	fuzz_assert(got == NUM_OK && v == w, "parse_int64 read another value");
	/* Its words: UTF-8, and "âm" before those of the magnitude. */
	words.len = neg.len = 0;
	number_words(v, &words);
	fuzz_assert(words.len > 0 && utf8_check(words.p, words.len, NULL, NULL),
	    "number words not UTF-8");
	if (v < 0 && v != INT64_MIN) {
		number_words(-v, &neg);
		fuzz_assert(words.len == neg.len + 4 && memcmp(words.p, "âm ", 4) == 0 &&
		    memcmp(words.p + 4, neg.p, neg.len) == 0, "negative words");
	}
}

/* d's value times 10^18, exactly. */
static wide
scaled(struct decimal d)
{
	wide v = d.units;
	int i;

	for (i = d.scale; i < 18; i++)
		v *= 10;
	return v;
}

static int
parse_ok(const char *p, size_t n, struct decimal *d)
{
	int r = parse_decimal(p, n, d);

	if (r != NUM_OK)
		return 0;
	fuzz_assert(d->scale >= 0 && d->scale <= 18, "scale out of 0..18");
	fuzz_assert(d->scale == 0 || d->units % 10 != 0, "trailing zeros kept");
	return 1;
}

static void
check_decimal(const char *p, size_t n)
{
	struct decimal d, e;
	int c;

	if (!parse_ok(p, n, &d)) {
		/* Not a number: vn_number leaves it as it is. */
		out.len = 0;
		vn_number(p, n, &out);
		if (number_cmp(p, n, "0", 1, &c))
			return;
		fuzz_assert(out.len == n && (n == 0 || memcmp(out.p, p, n) == 0),
		    "vn_number changed what is not a number");
		return;
	}
	out.len = 0;
	decimal_format(d, &out);
	fuzz_assert(parse_ok(out.p, out.len, &e) && e.units == d.units &&
	    e.scale == d.scale, "decimal_format does not read back");
	fuzz_assert(number_cmp(p, n, out.p, out.len, &c) && c == 0,
	    "number_cmp: a number differs from its formatted self");
	e = d;
	if (decimal_rescale(&e, 18))
		fuzz_assert(e.scale == 18, "decimal_rescale said yes short of the scale");
	fuzz_assert(scaled(e) == scaled(d), "decimal_rescale changed the value");
	/* The Vietnamese spelling reads back as the same number. */
	out.len = 0;
	vn_number(p, n, &out);
	{
		struct buf back = { 0 };
		size_t i;

		for (i = 0; i < out.len; i++)
			if (out.p[i] != '.')
				buf_putc(&back, out.p[i] == ',' ? '.' : out.p[i]);
		fuzz_assert(number_cmp(p, n, back.p, back.len, &c) && c == 0,
		    "vn_number spells another number");
		buf_free(&back);
	}
}

static int
sign(wide v)
{
	return v < 0 ? -1 : v > 0;
}

/* Percent of part in whole, one decimal, half away from zero. */
static void
check_percent(int64_t part, int64_t whole)
{
	wide p = part < 0 ? -(wide)part : part, w = whole < 0 ? -(wide)whole : whole;
	wide tenths = w ? (2000 * p + w) / (2 * w) : 0;
	char want[64], *e = want + sizeof want;

	*--e = '\0';
	*--e = (char)('0' + (int)(tenths % 10));
	*--e = '.';
	tenths /= 10;
	do
		*--e = (char)('0' + (int)(tenths % 10));
	while ((tenths /= 10) > 0);
	if ((part < 0) != (whole < 0) && w && strcmp(e, "0.0") != 0)
		*--e = '-';
	out.len = 0;
	percent_format(part, whole, &out);
	fuzz_assert(strcmp(buf_cstr(&out), e) == 0, "percent_format is wrong");
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static void
check_date(const char *p, size_t n)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = 0, m = 0, d = 0, py, pm, pd, ok = n == 10 && p[4] == '-' && p[7] == '-';
	size_t i;

	for (i = 0; ok && i < 10; i++)
		if (i != 4 && i != 7 && (p[i] < '0' || p[i] > '9'))
			ok = 0;
	if (ok) {
		y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
		m = (p[5] - '0') * 10 + (p[6] - '0');
		d = (p[8] - '0') * 10 + (p[9] - '0');
		ok = y >= 1 && m >= 1 && m <= 12 && d >= 1 &&
		    d <= mdays[m - 1] + (m == 2 && is_leap(y));
	}
	if (!ok) {
		fuzz_assert(parse_date(p, n, &py, &pm, &pd) != NUM_OK,
		    "parse_date took what is not a date");
		fuzz_assert(date_key(p, n) == 0, "date_key of what is not a date");
		return;
	}
	fuzz_assert(parse_date(p, n, &py, &pm, &pd) == NUM_OK && py == y &&
	    pm == m && pd == d, "parse_date missed a date");
	fuzz_assert(date_key(p, n) == (uint32_t)(y * 10000 + m * 100 + d),
	    "date_key is wrong");
}

static void
check_pair(const char *a, size_t an, const char *b, size_t bn)
{
	struct decimal x, y, sum;
	int c, c2, r;

	if (number_cmp(a, an, b, bn, &c)) {
		fuzz_assert(number_cmp(b, bn, a, an, &c2) && c2 == -c,
		    "number_cmp is not antisymmetric");
		if (parse_ok(a, an, &x) && parse_ok(b, bn, &y))
			fuzz_assert(c == sign(scaled(x) - scaled(y)),
			    "number_cmp differs from the values");
	}
	if (!parse_ok(a, an, &x) || !parse_ok(b, bn, &y))
		return;
	sum = x;
	r = decimal_add(&sum, y);
	if (r == NUM_OK)
		fuzz_assert(scaled(sum) == scaled(x) + scaled(y), "decimal_add is wrong");
	else
		fuzz_assert(r == NUM_RANGE || r == NUM_PRECISION, "decimal_add status");
	if (x.scale == 0 && y.scale == 0)
		check_percent(x.units, y.units);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *p = (const char *)data, *tab = memchr(p, '\t', size);
	size_t an = tab ? (size_t)(tab - p) : size;

	check_int(p, an);
	check_decimal(p, an);
	check_date(p, an);
	if (tab) {
		check_int(tab + 1, size - an - 1);
		check_pair(p, an, tab + 1, size - an - 1);
	} else if (size >= 16) {
		int64_t a, b;

		/* Raw bytes as a part and a whole. */
		memcpy(&a, data, 8);
		memcpy(&b, data + 8, 8);
		check_percent(a, b);
	}
	return 0;
}
