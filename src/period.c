/* period.c: dc-report's reporting periods, and the words of a figure's
 * selection with the period's days put in.  See dc-report(5). */
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* ---- periods ---- */

static int
month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* Years stay within 1..9999 (period_parse reads four digits). */
static void
put_date(char out[11], int y, int m, int d)
{
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

static void
day_before(const char *iso, char out[11])
{
	int y, m, d;

	parse_date(iso, 10, &y, &m, &d);
	if (--d == 0) {
		if (--m == 0) {
			m = 12;
			y--;
		}
		d = month_days(y, m);
	}
	put_date(out, y, m, d);
}

void
date_minus_years(const char *iso, int years, char out[11])
{
	int y, m, d;

	parse_date(iso, 10, &y, &m, &d);
	y -= years;
	if (d > month_days(y, m))
		d = month_days(y, m);
	put_date(out, y, m, d);
}

static const char *const roman[] = { "I", "II", "III", "IV" };

/* The days and the name of months first..last of p->year. */
static void
period_fill(struct period *p)
{
	int y = p->year;

	if (p->calendar) {
		put_date(p->start, y, p->first, 1);
		put_date(p->end, y, p->last, month_days(y, p->last));
	} else {
		if (p->first == 1)
			put_date(p->start, y - 1, 12, 15);
		else
			put_date(p->start, y, p->first - 1, 15);
		put_date(p->end, y, p->last, 14);
	}
	day_before(p->start, p->eve);
	if (p->first == 1 && p->last == 12) {
		snprintf(p->code, sizeof p->code, "%d", y);
		snprintf(p->name, sizeof p->name, "năm %d", y);
	} else if (p->first == p->last) {
		snprintf(p->code, sizeof p->code, "%d-%02d", y, p->first);
		snprintf(p->name, sizeof p->name, "tháng %d năm %d", p->first, y);
	} else if (p->last - p->first == 2) {
		snprintf(p->code, sizeof p->code, "%d-Q%d", y, p->last / 3);
		snprintf(p->name, sizeof p->name, "quý %s năm %d",
		    roman[p->last / 3 - 1], y);
	} else if (p->last == 6 || p->first == 7) {
		snprintf(p->code, sizeof p->code, "%d-H%d", y, p->first == 1 ? 1 : 2);
		snprintf(p->name, sizeof p->name, "6 tháng %s năm %d",
		    p->first == 1 ? "đầu" : "cuối", y);
	} else {
		snprintf(p->code, sizeof p->code, "%d-9M", y);
		snprintf(p->name, sizeof p->name, "9 tháng đầu năm %d", y);
	}
}

int
period_parse(const char *s, int calendar, struct period *p)
{
	size_t n = strlen(s);
	const char *r = s + 5;

	memset(p, 0, sizeof *p);
	p->calendar = calendar;
	if (n < 4 || strspn(s, "0123456789") < 4 || s[0] == '0')
		return 0;
	p->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	p->first = 1;
	p->last = 12;
	if (n == 4)
		;
	else if (s[4] != '-' || n != 7)
		return 0;
	else if (r[0] == 'Q' && r[1] >= '1' && r[1] <= '4') {
		p->last = 3 * (r[1] - '0');
		p->first = p->last - 2;
	} else if (r[0] == 'H' && (r[1] == '1' || r[1] == '2')) {
		p->first = r[1] == '1' ? 1 : 7;
		p->last = p->first + 5;
	} else if (strcmp(r, "9M") == 0) {
		p->last = 9;
	} else if (r[0] >= '0' && r[0] <= '1' && r[1] >= '0' && r[1] <= '9' &&
	    (r[0] - '0') * 10 + (r[1] - '0') >= 1 &&
	    (r[0] - '0') * 10 + (r[1] - '0') <= 12) {
		p->first = p->last = (r[0] - '0') * 10 + (r[1] - '0');
	} else
		return 0;
	period_fill(p);
	return 1;
}

void
period_earlier(const struct period *p, int years, struct period *out)
{
	*out = *p;
	out->year -= years;
	period_fill(out);
}

/* A stock is as it stood on the period's last day, and so are the
 * events dated by a field (cases opened, people sent to rehab) and the
 * states entered during the period ("since"): a later event that
 * rewrites the field (a second rehab) does not take the first out of
 * its period, and carried + opened = concluded + open.  An event
 * recorded once (a test, an activity: "date") is counted as the
 * registry holds it now, corrections made since included (a test found
 * positive on a second reading). */
const char *
figure_day(const struct figure *f, const struct period *p)
{
	switch (f->kind) {
	case FIG_OPENING: return p->eve;
	case FIG_CURRENT: return p->today;
	case FIG_FLOW: return strcmp(f->datefield, "date") == 0 ? p->today : p->end;
	default: return p->end;
	}
}

void
year_close(const struct period *p, int year, char out[11])
{
	put_date(out, year, 12, p->calendar ? 31 : 14);
}

/* ---- the words of a where ---- */

/* "{end-18y}" and the like at s (after '{'): the day, or 0 when s is
 * not one of the period's names. */
static int
period_day(const char *s, size_t n, const struct period *p, int year,
    struct buf *out)
{
	static const char *const names[] = { "start", "end", "eve" };
	const char *days[3];
	char shifted[11];
	size_t i, len;
	int k = 0;

	days[0] = p->start;
	days[1] = p->end;
	days[2] = p->eve;
	if (n == 4 && memcmp(s, "year", 4) == 0) {
		buf_printf(out, "%d", year);
		return 1;
	}
	for (i = 0; i < 3; i++) {
		len = strlen(names[i]);
		if (n < len || memcmp(s, names[i], len) != 0)
			continue;
		if (n == len) {
			buf_puts(out, days[i]);
			return 1;
		}
		if (s[len] != '-' || s[n - 1] != 'y' || n - len < 3)
			return 0;
		for (len++; len < n - 1; len++) {
			if (s[len] < '0' || s[len] > '9' || k > 999)
				return 0;
			k = k * 10 + (s[len] - '0');
		}
		if (k >= atoi(days[i]))         /* no year before 1 */
			return 0;
		date_minus_years(days[i], k, shifted);
		buf_puts(out, shifted);
		return 1;
	}
	return 0;
}

char **
where_words(const char *s, const struct period *p, int year, const char *origin)
{
	char **w = xmalloc(sizeof *w);
	int n = 0;
	struct buf word = { 0 };

	for (;;) {
		char quote = 0;
		int have = 0;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		word.len = 0;
		for (; *s && (quote || *s != ' '); s++) {
			const char *close;

			have = 1;
			if (quote && *s == quote) {
				quote = 0;
			} else if (!quote && (*s == '\'' || *s == '"')) {
				quote = *s;
			} else if (*s == '{' && (close = strchr(s, '}')) &&
			    period_day(s + 1, (size_t)(close - s - 1), p, year, &word)) {
				s = close;
			} else {
				buf_putc(&word, *s);
			}
		}
		if (quote)
			die("%s: where: thiếu dấu %c đóng", origin, quote);
		if (have) {
			w = xrealloc(w, sizeof *w * (size_t)(n + 2));
			w[n++] = xstrdup(buf_cstr(&word));
		}
	}
	w[n] = NULL;
	buf_free(&word);
	return w;
}

void
words_free(char **w)
{
	char **p;

	for (p = w; p && *p; p++)
		free(*p);
	free(w);
}
