/* number.c: exact integers and decimals, percentages, dates, and
 * numbers written the Vietnamese administrative way, in digits and in
 * words.  No floating point anywhere: money and shares must add up to
 * the last đồng and the last tenth of a percent. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "number.h"

#define MAX_SCALE 18

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Number of leading ASCII digits of p[0..n). */
static size_t
count_digits(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && is_digit(p[i]); i++)
		;
	return i;
}

/* p[0..8) as a little-endian word, on any machine (compilers make one
 * load of it where the machine is little-endian). */
static uint64_t
load_le8(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 |
	    (uint64_t)u[3] << 24 | (uint64_t)u[4] << 32 |
	    (uint64_t)u[5] << 40 | (uint64_t)u[6] << 48 | (uint64_t)u[7] << 56;
}

/* Eight ASCII digits loaded as one little-endian word (the first digit
 * in the low byte): whether they are all digits, and their value, by
 * a few operations on the word rather than eight steps. */
static int
eight_digits(uint64_t w)
{
	/* A byte is a digit when its high nibble is 3 before and after
	 * adding 6; a carry out of a byte fails that byte. */
	return ((w & 0xF0F0F0F0F0F0F0F0ULL) |
	    ((w + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4) ==
	    0x3333333333333333ULL;
}

static uint64_t
eight_digits_value(uint64_t w)
{
	const uint64_t low = 0x000000FF000000FFULL;

	w -= 0x3030303030303030ULL;
	w = w * 10 + (w >> 8);          /* pairs: 10 * d0 + d1 in each */
	return ((w & low) * (100 + (1000000ULL << 32)) +
	    ((w >> 16) & low) * (1 + (10000ULL << 32))) >> 32;
}

/* The magnitude of v as unsigned, so that INT64_MIN needs no care. */
static uint64_t
magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)-(v + 1) + 1 : (uint64_t)v;
}

/* Accumulate decimal digits into *mag, failing once it passes limit.
 * The digits are already checked. */
static int
accumulate(const char *p, size_t n, uint64_t limit, uint64_t *mag)
{
	uint64_t d;
	size_t i;

	/* 18 digits cannot pass any limit: no division on the common path. */
	if (n <= 18 && *mag == 0) {
		for (i = 0; i < n; i++)
			*mag = *mag * 10 + (uint64_t)(p[i] - '0');
		return *mag <= limit ? NUM_OK : NUM_RANGE;
	}
	for (i = 0; i < n; i++) {
		d = (uint64_t)(p[i] - '0');
		if (*mag > (limit - d) / 10)
			return NUM_RANGE;
		*mag = *mag * 10 + d;
	}
	return NUM_OK;
}

/* The signed value of a magnitude already checked against the limit
 * for its sign. */
static int64_t
signed_value(uint64_t mag, int negative)
{
	if (!negative)
		return (int64_t)mag;
	if (mag == (uint64_t)INT64_MAX + 1)
		return INT64_MIN;
	return -(int64_t)mag;
}

int
parse_int64(const char *p, size_t n, int64_t *v)
{
	uint64_t limit, mag = 0;
	int negative = 0;

	if (n > 0 && p[0] == '-') {
		negative = 1;
		p++;
		n--;
	}
	if (n == 0)
		return NUM_SYNTAX;
	/* Up to 18 digits cannot pass either limit: checked and added up
	 * in one go (amounts are read once per record). */
	if (n <= 18) {
		size_t i = 0;

		for (; n - i >= 8; i += 8) {
			uint64_t w = load_le8(p + i);

			if (!eight_digits(w))
				return NUM_SYNTAX;
			mag = mag * 100000000 + eight_digits_value(w);
		}
		for (; i < n; i++) {
			unsigned d = (unsigned)(unsigned char)p[i] - '0';

			if (d > 9)
				return NUM_SYNTAX;
			mag = mag * 10 + d;
		}
		*v = signed_value(mag, negative);
		return NUM_OK;
	}
	if (count_digits(p, n) != n)
		return NUM_SYNTAX;
	limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (accumulate(p, n, limit, &mag) != NUM_OK)
		return NUM_RANGE;
	*v = signed_value(mag, negative);
	return NUM_OK;
}

int
add_int64(int64_t *acc, int64_t v)
{
	if (v > 0 && *acc > INT64_MAX - v)
		return NUM_RANGE;
	if (v < 0 && *acc < INT64_MIN - v)
		return NUM_RANGE;
	*acc += v;
	return NUM_OK;
}

/* ---- exact decimals ---- */

/* Trailing zeros of a fraction change the text, not the value: "10.000"
 * is 10 at scale 0, so that zeros never cost digits of the int64. */
int
parse_decimal(const char *p, size_t n, struct decimal *d)
{
	uint64_t limit, mag = 0;
	size_t nint, nfrac = 0;
	int negative = 0;

	if (n > 0 && p[0] == '-') {
		negative = 1;
		p++;
		n--;
	}
	nint = count_digits(p, n);
	if (nint == 0)
		return NUM_SYNTAX;
	if (nint < n) {
		/* "7." and "7.x" are not numbers: a point needs digits. */
		if (p[nint] != '.')
			return NUM_SYNTAX;
		nfrac = count_digits(p + nint + 1, n - nint - 1);
		if (nfrac == 0 || nint + 1 + nfrac != n)
			return NUM_SYNTAX;
		while (nfrac > 0 && p[nint + nfrac] == '0')
			nfrac--;
		if (nfrac > MAX_SCALE)
			return NUM_RANGE;
	}
	limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (accumulate(p, nint, limit, &mag) != NUM_OK)
		return NUM_RANGE;
	if (accumulate(p + nint + 1, nfrac, limit, &mag) != NUM_OK)
		return NUM_RANGE;
	d->units = signed_value(mag, negative);
	d->scale = (int)nfrac;
	return NUM_OK;
}

/* Multiply *v by 10^k, or fail leaving *v as it was. */
static int
scale_up(int64_t *v, int k)
{
	int64_t x = *v;

	while (k-- > 0) {
		if (x > INT64_MAX / 10 || x < INT64_MIN / 10)
			return NUM_RANGE;
		x *= 10;
	}
	*v = x;
	return NUM_OK;
}

/* The whole part of d, rounded toward zero. */
static int64_t
whole_part(struct decimal d)
{
	int k;

	for (k = 0; k < d.scale; k++)
		d.units /= 10;
	return d.units;
}

int
decimal_rescale(struct decimal *d, int scale)
{
	while (d->scale < scale && d->scale < 18) {
		if (d->units > INT64_MAX / 10 || d->units < INT64_MIN / 10)
			return 0;
		d->units *= 10;
		d->scale++;
	}
	return d->scale >= scale;
}

int
decimal_add(struct decimal *acc, struct decimal v)
{
	int64_t a = acc->units, b = v.units, whole;
	int scale = acc->scale > v.scale ? acc->scale : v.scale;

	if (scale_up(&a, scale - acc->scale) != NUM_OK ||
	    scale_up(&b, scale - v.scale) != NUM_OK ||
	    add_int64(&a, b) != NUM_OK) {
		/* Too large, or only too exact for int64 at this scale? */
		whole = whole_part(*acc);
		if (scale == 0 || add_int64(&whole, whole_part(v)) != NUM_OK)
			return NUM_RANGE;
		return NUM_PRECISION;
	}
	acc->units = a;
	acc->scale = scale;
	return NUM_OK;
}

/* Write the digits of v into the end of a 20-byte area; returns the
 * first one.  Not terminated. */
static char *
utoa_end(uint64_t v, char area[20])
{
	char *s = area + 20;

	do
		*--s = (char)('0' + v % 10);
	while (v /= 10);
	return s;
}

static void
put_uint(struct buf *b, uint64_t v)
{
	char area[20], *s;

	s = utoa_end(v, area);
	buf_put(b, s, (size_t)(area + 20 - s));
}

void
decimal_format(struct decimal d, struct buf *b)
{
	char area[20], *s, *end = area + 20;
	size_t len, scale = (size_t)d.scale;

	if (d.scale < 0 || d.scale > MAX_SCALE)
		scale = 0;
	s = utoa_end(magnitude(d.units), area);
	len = (size_t)(end - s);
	if (d.units < 0)
		buf_putc(b, '-');
	if (len > scale) {
		buf_put(b, s, len - scale);
		s += len - scale;
		len = scale;
	} else {
		buf_putc(b, '0');
	}
	if (scale == 0)
		return;
	buf_putc(b, '.');
	for (; len < scale; len++)
		buf_putc(b, '0');
	buf_put(b, s, (size_t)(end - s));
}

/* ---- percentages ---- */

/* One more decimal digit of the fraction r/w (r < w): returns
 * floor(10r/w) and leaves 10r mod w in *r.  10r may not fit in 64
 * bits, so add r ten times modulo w instead of multiplying. */
static int
next_digit(uint64_t *r, uint64_t w)
{
	uint64_t acc = 0;
	int i, digit = 0;

	for (i = 0; i < 10; i++) {
		if (acc >= w - *r) {
			acc -= w - *r;
			digit++;
		} else {
			acc += *r;
		}
	}
	*r = acc;
	return digit;
}

void
percent_format(int64_t part, int64_t whole, struct buf *b)
{
	uint64_t p = magnitude(part), w = magnitude(whole), q, r;
	int i, tenths = 0;

	if (w == 0) {
		/* No whole: no share.  Say 0.0 rather than fail a report. */
		buf_puts(b, "0.0");
		return;
	}
	/* p/w = q + r/w; three digits of r/w are the percent below 100
	 * and its tenths. */
	q = p / w;
	r = p % w;
	for (i = 0; i < 3; i++)
		tenths = tenths * 10 + next_digit(&r, w);
	if (r >= w - r)                 /* half or more: away from zero */
		tenths++;
	if (tenths == 1000) {
		q++;                    /* q <= 2^63, so this cannot wrap */
		tenths = 0;
	}
	if ((part < 0) != (whole < 0) && (q != 0 || tenths != 0))
		buf_putc(b, '-');
	/* q whole units are q*100 percent: write q, then two more digits. */
	if (q != 0) {
		put_uint(b, q);
		buf_putc(b, (char)('0' + tenths / 100));
	} else if (tenths >= 100) {
		buf_putc(b, (char)('0' + tenths / 100));
	}
	buf_putc(b, (char)('0' + tenths / 10 % 10));
	buf_putc(b, '.');
	buf_putc(b, (char)('0' + tenths % 10));
}

/* ---- numbers in digits, Vietnamese style ---- */

/* Integer digits grouped by three with '.': "1234567" -> "1.234.567". */
static void
put_grouped(struct buf *b, const char *p, size_t n)
{
	size_t i, lead = (n - 1) % 3 + 1;
	char *o;

	buf_grow(b, n + n / 3);
	o = b->p + b->len;
	for (i = 0; i < lead; i++)
		*o++ = p[i];
	for (; i < n; i += 3) {
		*o++ = '.';
		o[0] = p[i], o[1] = p[i + 1], o[2] = p[i + 2];
		o += 3;
	}
	b->len = (size_t)(o - b->p);
}

/* Leading zeros are dropped ("0007" is 7, not 0.007 read the
 * Vietnamese way) and a zero loses its sign: "-0" is "0". */
void
vn_number(const char *p, size_t n, struct buf *b)
{
	size_t sign = 0, nint, nfrac = 0, i;
	const char *ip, *fp;

	if (n > 0 && p[0] == '-')
		sign = 1;
	nint = count_digits(p + sign, n - sign);
	if (sign + nint < n && p[sign + nint] == '.')
		nfrac = count_digits(p + sign + nint + 1, n - sign - nint - 1);
	if (nint == 0 || (sign + nint < n && (nfrac == 0 ||
	    sign + nint + 1 + nfrac != n))) {
		buf_put(b, p, n);       /* not a number: leave it be */
		return;
	}
	ip = p + sign;
	fp = ip + nint + 1;
	while (nint > 1 && ip[0] == '0')
		ip++, nint--;
	for (i = 0; i < nfrac && fp[i] == '0'; i++)
		;
	if (sign && !(nint == 1 && ip[0] == '0' && i == nfrac))
		buf_putc(b, '-');
	put_grouped(b, ip, nint);
	if (nfrac > 0) {
		buf_putc(b, ',');
		buf_put(b, fp, nfrac);
	}
}

/* ---- numbers in words ---- */

static const char *const digit_word[10] = {
	"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"
};

/* Words go to the caller's buffer, which may already hold text, so
 * the separating space depends on what we wrote, not on b->len. */
struct words {
	struct buf *b;
	int started;
};

static void
say(struct words *w, const char *word)
{
	if (w->started)
		buf_putc(w->b, ' ');
	buf_puts(w->b, word);
	w->started = 1;
}

/* The unit after "mười" (tens 1) or "mươi" (tens 2..9). */
static void
say_unit_after_tens(struct words *w, int tens, int unit)
{
	if (unit == 0)
		return;
	if (unit == 5)
		say(w, "lăm");
	else if (unit == 1 && tens >= 2)
		say(w, "mốt");
	else if (unit == 4 && tens >= 2)
		say(w, "tư");
	else
		say(w, digit_word[unit]);
}

/* One group of three digits, 1..999.  In full (after a non-zero
 * group) the hundreds are read even when zero: "không trăm linh một". */
static void
say_group(struct words *w, int group, int full)
{
	int hundreds = group / 100, tens = group / 10 % 10, unit = group % 10;
	int said_hundreds = full || hundreds != 0;

	if (said_hundreds) {
		say(w, digit_word[hundreds]);
		say(w, "trăm");
	}
	if (tens == 0) {
		if (unit == 0)
			return;
		if (said_hundreds)
			say(w, "linh");
		say(w, digit_word[unit]);
		return;
	}
	if (tens == 1) {
		say(w, "mười");
	} else {
		say(w, digit_word[tens]);
		say(w, "mươi");
	}
	say_unit_after_tens(w, tens, unit);
}

/* v below 10^9: up to three groups, triệu, nghìn and units.  All-zero
 * groups are skipped together with their scale word. */
static void
say_below_billion(struct words *w, uint64_t v, int full)
{
	static const char *const scale_word[3] = { "triệu", "nghìn", NULL };
	int groups[3], i;

	groups[0] = (int)(v / 1000000);
	groups[1] = (int)(v / 1000 % 1000);
	groups[2] = (int)(v % 1000);
	for (i = 0; i < 3; i++) {
		if (groups[i] == 0)
			continue;
		say_group(w, groups[i], full);
		if (scale_word[i])
			say(w, scale_word[i]);
		full = 1;
	}
}

/* Above 10^9 the scale words repeat with "tỷ": the part from 10^9 to
 * 10^18 is read like a number below 10^9 and followed by one "tỷ"
 * (so 10^12 is "nghìn tỷ", 10^15 "triệu tỷ"), and what lies above
 * 10^18 is followed by "tỷ tỷ".  This matches the reading of the
 * largest int64 in DOMAIN.md: "chín tỷ tỷ hai trăm ... sáu tỷ ...". */
static void
say_magnitude(struct words *w, uint64_t v)
{
	uint64_t billion = 1000000000;
	uint64_t top = v / billion / billion, mid = v / billion % billion;
	int full = 0;

	if (top != 0) {
		say_below_billion(w, top, full);
		say(w, "tỷ");
		say(w, "tỷ");
		full = 1;
	}
	if (mid != 0) {
		say_below_billion(w, mid, full);
		say(w, "tỷ");
		full = 1;
	}
	say_below_billion(w, v % billion, full);
}

void
number_words(int64_t v, struct buf *b)
{
	struct words w = { b, 0 };

	if (v == 0) {
		say(&w, digit_word[0]);
		return;
	}
	if (v < 0)
		say(&w, "âm");
	say_magnitude(&w, magnitude(v));
}

/* ---- dates ---- */

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* The value of n digits at p, or -1 if any is not a digit. */
static int
digits_value(const char *p, int n)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

int
parse_date(const char *p, size_t n, int *y, int *m, int *d)
{
	int year, month, day;

	if (n != 10 || p[4] != '-' || p[7] != '-')
		return NUM_SYNTAX;
	year = digits_value(p, 4);
	month = digits_value(p + 5, 2);
	day = digits_value(p + 8, 2);
	if (year < 1 || month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month))
		return NUM_SYNTAX;
	*y = year;
	*m = month;
	*d = day;
	return NUM_OK;
}

static void
put_digits(char *out, int v, int n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Today's date in the local time zone (TZ), or DC_TODAY when set, which
 * must be a real YYYY-MM-DD date: a mistyped one is an error, never
 * silently today. */
void
today(char out[11])
{
	const char *env = getenv("DC_TODAY");
	struct tm tm;
	time_t now;
	int y, m, d;

	if (env && *env) {
		if (parse_date(env, strlen(env), &y, &m, &d) != NUM_OK)
			die("DC_TODAY: '%s' is not a date (YYYY-MM-DD)", env);
		memcpy(out, env, 11);
		return;
	}
	now = time(NULL);
	if (localtime_r(&now, &tm) == NULL || tm.tm_year + 1900 < 1 ||
	    tm.tm_year + 1900 > 9999)
		die("cannot tell today's date");
	put_digits(out, tm.tm_year + 1900, 4);
	out[4] = '-';
	put_digits(out + 5, tm.tm_mon + 1, 2);
	out[7] = '-';
	put_digits(out + 8, tm.tm_mday, 2);
	out[10] = '\0';
}

/* Split "-12.50" into sign, integer digits without leading zeros and
 * fraction digits without trailing zeros; 0 if it is not a number. */
static int
number_parts(const char *p, size_t n, int *neg, const char **ip, size_t *il,
    const char **fp, size_t *fl)
{
	const char *end = p + n, *dot;

	*neg = n > 0 && *p == '-';
	p += *neg;
	dot = memchr(p, '.', (size_t)(end - p));
	*ip = p;
	*il = (size_t)((dot ? dot : end) - p);
	*fp = dot ? dot + 1 : end;
	*fl = (size_t)(end - *fp);
	if (*il == 0 || count_digits(*ip, *il) != *il ||
	    (dot && (*fl == 0 || count_digits(*fp, *fl) != *fl)))
		return 0;
	while (*il > 1 && **ip == '0')
		(*ip)++, (*il)--;
	while (*fl > 0 && (*fp)[*fl - 1] == '0')
		(*fl)--;
	if (*il == 1 && **ip == '0' && *fl == 0)
		*neg = 0;                       /* -0 is 0 */
	return 1;
}

static int
magnitude_cmp(const char *ai, size_t al, const char *af, size_t afl,
    const char *bi, size_t bl, const char *bf, size_t bfl)
{
	size_t i;
	int c;

	if (al != bl)
		return al < bl ? -1 : 1;
	if ((c = memcmp(ai, bi, al)) != 0)
		return c < 0 ? -1 : 1;
	for (i = 0; i < afl || i < bfl; i++) {
		char x = i < afl ? af[i] : '0', y = i < bfl ? bf[i] : '0';

		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

int
number_cmp(const char *a, size_t an, const char *b, size_t bn, int *result)
{
	const char *ai, *af, *bi, *bf;
	size_t al, afl, bl, bfl;
	int aneg, bneg, c;

	if (!number_parts(a, an, &aneg, &ai, &al, &af, &afl) ||
	    !number_parts(b, bn, &bneg, &bi, &bl, &bf, &bfl))
		return 0;
	if (aneg != bneg) {
		*result = aneg ? -1 : 1;
		return 1;
	}
	c = magnitude_cmp(ai, al, af, afl, bi, bl, bf, bfl);
	*result = aneg ? -c : c;
	return 1;
}
