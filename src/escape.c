/* escape.c: the four field escapes of dc-format(5). */
#include <string.h>

#include "util.h"

void
unescape(const char *p, size_t n, struct buf *b)
{
	const char *end = p + n;

	buf_grow(b, n);
	while (p < end) {
		const char *bs = memchr(p, '\\', (size_t)(end - p));

		if (!bs || bs + 1 == end) {
			buf_put(b, p, (size_t)(end - p));
			return;
		}
		buf_put(b, p, (size_t)(bs - p));
		switch (bs[1]) {
		case 't': buf_putc(b, '\t'); break;
		case 'n': buf_putc(b, '\n'); break;
		case 'r': buf_putc(b, '\r'); break;
		case '\\': buf_putc(b, '\\'); break;
		default:
			/* Not an escape: the backslash is literal. */
			buf_put(b, bs, 2);
			break;
		}
		p = bs + 2;
	}
}

static const char *
escape_of(char c)
{
	switch (c) {
	case '\t': return "\\t";
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\\': return "\\\\";
	}
	return NULL;
}

void
escape(const char *p, size_t n, struct buf *b)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		const char *e = escape_of(p[i]);

		if (e) {
			buf_put(b, p + start, i - start);
			buf_put(b, e, 2);
			start = i + 1;
		}
	}
	buf_put(b, p + start, n - start);
}

void
out_escaped(const char *p, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		const char *e = escape_of(p[i]);

		if (e) {
			out_write(p + start, i - start);
			out_write(e, 2);
			start = i + 1;
		}
	}
	out_write(p + start, n - start);
}
