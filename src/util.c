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

/* What has gone to standard output: whether anything has, whether it
 * ended a line, and whether a write(2) is under way, whose bytes may
 * have gone out in part (read by the signal handler, hence volatile). */
static volatile sig_atomic_t out_began, out_midline, out_writing;

/* The failure line (dc-format(5), FAILURE): a NUL byte first, so that
 * no valid record file can hold it, then words a person can read.  It
 * names the program, never a value.  Made once by dc_setprog, after a
 * newline that is written only when output stopped within a line; at
 * most PIPE_BUF (512 or more) bytes, so one write(2) puts it into a pipe
 * whole. */
static const char fail_head[] = "\0dc-tools: incomplete output: ";
static const char fail_tail[] = " failed";
enum { FAIL_NAME_MAX = 128 };
static char fail_line[1 + sizeof fail_head + FAIL_NAME_MAX + sizeof fail_tail + 1];
static size_t fail_len;

static const int fatal_signals[] = { SIGHUP, SIGINT, SIGTERM };
enum { NFATAL = sizeof fatal_signals / sizeof *fatal_signals };

static void out_flush_quiet(void);

static void
make_failure_line(void)
{
	size_t n = strlen(progname), at = 0;

	if (n > FAIL_NAME_MAX)
		n = FAIL_NAME_MAX;
	fail_line[at++] = '\n';
	memcpy(fail_line + at, fail_head, sizeof fail_head - 1);
	at += sizeof fail_head - 1;
	memcpy(fail_line + at, progname, n);
	at += n;
	memcpy(fail_line + at, fail_tail, sizeof fail_tail - 1);
	at += sizeof fail_tail - 1;
	fail_line[at++] = '\n';
	fail_len = at;
}

/* End standard output with the failure line once something was
 * written, so that no reader takes it for a whole output.  (Nothing
 * written is an empty input, which every reader refuses already.)
 * Async-signal-safe: write(2) only, of the line made beforehand. */
static void
write_failure_line(void)
{
	static volatile sig_atomic_t written;
	const char *p = fail_line;
	size_t n = fail_len;

	if (written || !out_began || n == 0)
		return;
	written = 1;
	/* A write cut by a signal may have ended anywhere in a line: start
	 * a fresh one (at worst an empty line comes before). */
	if (!out_midline && !out_writing) {
		p++;
		n--;
	}
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

/* SIGHUP, SIGINT, SIGTERM: mark the output incomplete, then die of the
 * signal, so that the parent (and pipefail) sees how we ended.  The
 * other two are blocked while this runs (sa_mask). */
static void
on_signal(int sig)
{
	struct sigaction dfl;
	sigset_t set;

	write_failure_line();
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(2);                       /* not reached */
}

int
is_failure_line(const char *p, size_t n, struct buf *prog)
{
	size_t head = sizeof fail_head - 1, tail = sizeof fail_tail - 1, end;
	const char *tab;

	if (n < head || memcmp(p, fail_head, head) != 0)
		return 0;
	if (!prog)
		return 1;
	/* The name, even if a program between (cut, awk) added fields. */
	tab = memchr(p + head, '\t', n - head);
	end = tab ? (size_t)(tab - p) : n;
	if (end - head >= tail && memcmp(p + end - tail, fail_tail, tail) == 0)
		end -= tail;
	quote_value(p + head, end - head, prog);
	return 1;
}

void
dc_setprog(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	size_t i;

	progname = slash ? slash + 1 : argv0;
	make_failure_line();
	for (i = 0; i < NFATAL; i++) {
		struct sigaction sa, old;
		size_t j;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		for (j = 0; j < NFATAL; j++)
			sigaddset(&sa.sa_mask, fatal_signals[j]);
		/* A signal ignored by the shell (nohup, &) stays ignored. */
		if (sigaction(fatal_signals[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(fatal_signals[i], &sa, NULL);
	}
}

void (*dc_exit_hook)(int status);

void
dc_exit(int status)
{
	sigset_t set;
	size_t i;

	if (dc_exit_hook)
		dc_exit_hook(status);
	if (status == 2) {
		out_flush_quiet();
		/* The handler must not cut in while we write the line. */
		sigemptyset(&set);
		for (i = 0; i < NFATAL; i++)
			sigaddset(&set, fatal_signals[i]);
		sigprocmask(SIG_BLOCK, &set, NULL);
		if (fail_len == 0)
			make_failure_line();
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
	out_writing = 1;
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
		out_midline = p[w - 1] != '\n';
		p += w;
		n -= (size_t)w;
	}
	out_writing = 0;
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
		ssize_t w = fs_write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}
