/* util.c: errors, memory, growable buffers and buffered standard output. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

const char *progname = "dc";

void
dc_setprog(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	progname = slash ? slash + 1 : argv0;
}

static void
vreport(const char *file, long line, const char *fmt, va_list ap)
{
	/* Whatever we printed so far goes out before the message. */
	out_flush();
	fprintf(stderr, "%s: ", progname);
	if (file && line > 0)
		fprintf(stderr, "%s:%ld: ", file, line);
	else if (file)
		fprintf(stderr, "%s: ", file);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(NULL, 0, fmt, ap);
	va_end(ap);
	exit(2);
}

void
die_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(file, line, fmt, ap);
	va_end(ap);
	exit(2);
}

void
warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(NULL, 0, fmt, ap);
	va_end(ap);
}

void
warn_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(file, line, fmt, ap);
	va_end(ap);
}

void
print_version(void)
{
	printf("%s (dc-tools) %s\n", progname, DC_VERSION);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void
buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (need < b->len)
		die("out of memory");
	b->cap = b->cap ? b->cap : 64;
	while (b->cap < need)
		b->cap *= 2;
	b->p = xrealloc(b->p, b->cap);
}

void
buf_put(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0)
		die("formatting failed");
	buf_grow(b, (size_t)n);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, again);
	va_end(again);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *
quote_value(const char *p, size_t n, struct buf *b)
{
	enum { MAX_QUOTE = 60 };
	size_t cut = n;

	b->len = 0;
	if (cut > MAX_QUOTE) {
		cut = MAX_QUOTE;
		while (cut > 0 && ((unsigned char)p[cut] & 0xC0) == 0x80)
			cut--;
	}
	buf_put(b, p, cut);
	if (cut < n)
		buf_puts(b, "...");
	return buf_cstr(b);
}

void
buf_join(struct buf *b, char *const *items, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_puts(b, ", ");
		buf_puts(b, items[i]);
	}
}

const char *
buf_cstr(struct buf *b)
{
	buf_grow(b, 0);
	b->p[b->len] = '\0';
	return b->p;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* Standard output goes through one large buffer and write(2): stdio's
 * per-call overhead shows on multi-million-record pipelines. */
enum { OUT_SIZE = 1 << 16 };
static char out_buf[OUT_SIZE];
static size_t out_len;

static void
out_raw(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			/* A closed pipe is the reader's choice, not our error. */
			if (errno == EPIPE)
				exit(0);
			out_len = 0;
			die("write error: %s", strerror(errno));
		}
		p += w;
		n -= (size_t)w;
	}
}

void
out_flush(void)
{
	size_t n = out_len;

	fflush(stdout);
	out_len = 0;
	out_raw(out_buf, n);
}

void
out_write(const void *p, size_t n)
{
	if (out_len + n > OUT_SIZE) {
		out_flush();
		if (n > OUT_SIZE) {
			out_raw(p, n);
			return;
		}
	}
	memcpy(out_buf + out_len, p, n);
	out_len += n;
}

void
out_putc(char c)
{
	if (out_len == OUT_SIZE)
		out_flush();
	out_buf[out_len++] = c;
}

void
out_puts(const char *s)
{
	out_write(s, strlen(s));
}
