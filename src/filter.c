/* filter.c: the filters of templates, which write a raw value the way
 * Vietnamese reports do (dc-fmt, dc-report). */
#include <string.h>

#include "text.h"
#include "number.h"

static const char *
need_int(const char *v, size_t n, int64_t *i)
{
	switch (parse_int64(v, n, i)) {
	case NUM_OK: return NULL;
	case NUM_RANGE: return "is out of range";
	default: return "is not an integer";
	}
}

/* Any syntactic number: a value too long for int64 is still written. */
static int
is_number(const char *v, size_t n)
{
	struct decimal d;

	return parse_decimal(v, n, &d) != NUM_SYNTAX;
}

static const char *
f_num(const char *v, size_t n, struct buf *out)
{
	if (!is_number(v, n))
		return "is not a number";
	vn_number(v, n, out);
	return NULL;
}

static const char *
f_pad2(const char *v, size_t n, struct buf *out)
{
	int64_t i;
	const char *why = need_int(v, n, &i);

	if (why)
		return why;
	/* Counts as the reports write them: 0, 01 to 09, then 10, 1.530. */
	if (i > 0 && i < 10) {
		buf_putc(out, '0');
		buf_putc(out, (char)('0' + i));
	} else
		vn_number(v, n, out);
	return NULL;
}

/* One decimal, half away from zero.  Only the first two digits after
 * the point decide that, so cutting the rest keeps the rounding exact
 * and the divisor 100 * 10^scale small. */
static const char *
f_pct(const char *v, size_t n, struct buf *out)
{
	const char *point = memchr(v, '.', n);
	struct decimal d;
	char plain[32];                 /* "-", 21 digits, ".", a digit */
	size_t from = out->len, len;

	if (!is_number(v, n))
		return "is not a number";
	if (point && n - (size_t)(point - v) > 3)
		n = (size_t)(point - v) + 3;
	if (parse_decimal(v, n, &d) != NUM_OK)
		return "is out of range";
	percent_format(d.units, d.scale == 0 ? 100 : d.scale == 1 ? 1000 : 10000,
	    out);
	len = out->len - from;
	memcpy(plain, out->p + from, len < sizeof plain ? len : sizeof plain);
	out->len = from;
	vn_number(plain, len < sizeof plain ? len : sizeof plain, out);
	buf_putc(out, '%');
	return NULL;
}

static const char *
f_money(const char *v, size_t n, struct buf *out)
{
	int64_t i;
	const char *why = need_int(v, n, &i);

	if (why)
		return why;
	vn_number(v, n, out);
	buf_puts(out, "đ");
	return NULL;
}

static const char *
f_words(const char *v, size_t n, struct buf *out)
{
	int64_t i;
	const char *why = need_int(v, n, &i);

	if (why)
		return why;
	number_words(i, out);
	return NULL;
}

static const char *
f_cap(const char *v, size_t n, struct buf *out)
{
	vn_capitalize(v, n, out);
	return NULL;
}

static const char *
f_upper(const char *v, size_t n, struct buf *out)
{
	vn_upper(v, n, out);
	return NULL;
}

static const char *
f_lower(const char *v, size_t n, struct buf *out)
{
	vn_lower(v, n, out);
	return NULL;
}

/* Day and month as administrative documents write them (Nghị định
 * 30/2020/NĐ-CP, as in the seeds: 05/4/2022, 23/02/2024): a day under
 * 10 and the months 1 and 2 take a leading zero, other months do not. */
static void
put_day_month(struct buf *out, int day, const char *between, int month)
{
	buf_putc(out, (char)('0' + day / 10));
	buf_putc(out, (char)('0' + day % 10));
	buf_puts(out, between);
	if (month >= 10 || month <= 2)
		buf_putc(out, (char)('0' + month / 10));
	buf_putc(out, (char)('0' + month % 10));
}

static const char *
f_date(const char *v, size_t n, struct buf *out)
{
	int y, m, d;

	if (parse_date(v, n, &y, &m, &d) != NUM_OK)
		return "is not a date";
	buf_puts(out, "ngày ");
	put_day_month(out, d, " tháng ", m);
	buf_puts(out, " năm ");
	buf_put(out, v, 4);             /* the year as stored: 0099 */
	return NULL;
}

static const char *
f_dmy(const char *v, size_t n, struct buf *out)
{
	int y, m, d;

	if (parse_date(v, n, &y, &m, &d) != NUM_OK)
		return "is not a date";
	put_day_month(out, d, "/", m);
	buf_putc(out, '/');
	buf_put(out, v, 4);
	return NULL;
}

/* Personal data: only the last four digits of an ID stay readable. */
void
mask_id(char *p, size_t n)
{
	size_t i, digits = 0;

	for (i = 0; i < n; i++)
		digits += p[i] >= '0' && p[i] <= '9';
	for (i = 0; i < n; i++)
		if (p[i] >= '0' && p[i] <= '9' && digits-- > 4)
			p[i] = '*';
}

static const char *
f_mask(const char *v, size_t n, struct buf *out)
{
	size_t from = out->len;

	buf_put(out, v, n);
	mask_id(out->p + from, n);
	return NULL;
}

static const struct filter filters[] = {
	{ "num", f_num }, { "dec", f_num }, { "pct", f_pct },
	{ "money", f_money }, { "words", f_words }, { "pad2", f_pad2 },
	{ "cap", f_cap }, { "upper", f_upper }, { "lower", f_lower },
	{ "date", f_date }, { "dmy", f_dmy }, { "mask", f_mask },
};

const struct filter *
filter_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof filters / sizeof *filters; i++)
		if (strlen(filters[i].name) == len &&
		    memcmp(filters[i].name, name, len) == 0)
			return &filters[i];
	return NULL;
}

/* The names of the filters, as help and messages list them. */
void
filter_names(struct buf *b, const char *between)
{
	size_t i;

	for (i = 0; i < sizeof filters / sizeof *filters; i++) {
		if (i)
			buf_puts(b, between);
		buf_puts(b, filters[i].name);
	}
}
