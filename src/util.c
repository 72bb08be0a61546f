/* util.c: errors, memory, growable buffers and buffered standard output. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

const char *progname = "dc";

/* What has gone to standard output: whether anything has, and whether
 * it ended a line (read by the signal handler, hence volatile). */
static volatile sig_atomic_t out_began, out_midline;

/* The failure line: a NUL byte first, so that no valid record file can
 * hold it (see dc-format(5)), then words a person can read.  It names
 * the program, never a value. */
static const char fail_head[] = "\0dc-tools: incomplete output: ";
static const char fail_tail[] = " failed\n";

static void out_flush_quiet(void);

static void
raw_write(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* End standard output with the failure line once something was
 * written, so that no reader takes it for a whole output.  (Nothing
 * written is an empty input, which every reader refuses already.)
 * Async-signal-safe. */
static void
write_failure_line(void)
{
	static volatile sig_atomic_t written;

	if (written || !out_began)
		return;
	written = 1;
	if (out_midline)
		raw_write("\n", 1);
	raw_write(fail_head, sizeof fail_head - 1);
	raw_write(progname, strlen(progname));
	raw_write(fail_tail, sizeof fail_tail - 1);
}

static void
on_signal(int sig)
{
	write_failure_line();
	signal(sig, SIG_DFL);
	raise(sig);
}

int
is_failure_line(const char *p, size_t n, struct buf *prog)
{
	size_t head = sizeof fail_head - 1, tail = sizeof fail_tail - 2;

	if (n < head + tail || memcmp(p, fail_head, head) != 0 ||
	    memcmp(p + n - tail, fail_tail, tail) != 0)
		return 0;
	if (prog) {
		prog->len = 0;
		buf_put(prog, p + head, n - head - tail);
	}
	return 1;
}

void
dc_setprog(const char *argv0)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM };
	const char *slash = strrchr(argv0, '/');
	size_t i;

	progname = slash ? slash + 1 : argv0;
	for (i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		struct sigaction sa, old;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		/* A signal ignored by the shell (nohup, &) stays ignored. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

void
dc_exit(int status)
{
	if (status == 2) {
		out_flush_quiet();
		write_failure_line();
	}
	exit(status);
}

static void
vreport(const char *file, long line, const char *fmt, va_list ap)
{
	/* Whatever we printed so far goes out before the message. */
	out_flush_quiet();
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
	dc_exit(2);
}

void
die_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(file, line, fmt, ap);
	va_end(ap);
	dc_exit(2);
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
usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(NULL, 0, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help'.\n", progname);
	dc_exit(2);
}

/* Whether getopt_long's complaint is about arg as a long option: a short
 * one in a bundle leaves argv[optind - 1] at the argument before. */
static int
is_long_option(const char *arg, const struct option *longopts)
{
	size_t n = strcspn(arg, "=");
	int i;

	if (strncmp(arg, "--", 2) != 0)
		return 0;
	if (optopt == 0 || optopt >= 0x100)
		return 1;
	for (i = 0; longopts[i].name; i++)
		if (longopts[i].val == optopt && n > 2 &&
		    strncmp(longopts[i].name, arg + 2, n - 2) == 0)
			return 1;
	return 0;
}

void
option_error(int ch, char *const argv[], const struct option *longopts)
{
	const char *arg = argv[optind - 1];
	struct buf names = { 0 };
	int n, i, matches = 0;

	if (!is_long_option(arg, longopts)) {
		if (optopt <= ' ' || optopt >= 0x7f)
			usage_error("unknown option in '%s'", arg);
		if (ch == ':')
			usage_error("option '-%c' needs a value", optopt);
		usage_error("unknown option '-%c'", optopt);
	}
	/* A long option: the argument holds it, maybe abbreviated, maybe
	 * with "=value"; a known one is named in full. */
	n = (int)strcspn(arg, "=");
	for (i = 0; optopt != 0 && longopts[i].name; i++)
		if (longopts[i].val == optopt) {
			arg = longopts[i].name;
			n = (int)strlen(arg);
			usage_error(ch == ':' ? "option '--%.*s' needs a value" :
			    "option '--%.*s' takes no value", n, arg);
		}
	if (ch == ':')
		usage_error("option '%.*s' needs a value", n, arg);
	if (optopt != 0)
		usage_error("option '%.*s' takes no value", n, arg);
	for (i = 0; longopts[i].name; i++)
		if (n > 2 && strncmp(longopts[i].name, arg + 2, (size_t)n - 2) == 0) {
			buf_puts(&names, matches++ ? ", --" : "--");
			buf_puts(&names, longopts[i].name);
		}
	if (matches > 1)
		usage_error("option '%.*s' is ambiguous: %s", n, arg,
		    buf_cstr(&names));
	usage_error("unknown option '%.*s'", n, arg);
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

static int out_failed;

static void
out_raw(const char *p, size_t n)
{
	if (n == 0 || out_failed)
		return;
	out_began = 1;
	out_midline = p[n - 1] != '\n';
	while (n > 0) {
		ssize_t w = write(1, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			/* A closed pipe is the reader's choice, not our error. */
			if (errno == EPIPE)
				exit(0);
			out_len = 0;
			out_failed = 1;
			die("write error: %s", strerror(errno));
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Before a message: what is buffered goes out first, and a write error
 * there must not call die again. */
static void
out_flush_quiet(void)
{
	size_t n = out_len;

	fflush(stdout);
	out_len = 0;
	if (!out_failed)
		out_raw(out_buf, n);
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

int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}
