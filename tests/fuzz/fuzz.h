/* fuzz.h: what the libFuzzer targets share (make fuzz; README).  A
 * target is tests/fuzz/fuzz-NAME.c, its seeds tests/fuzz/corpus/NAME/,
 * and it is built with the core to build/fuzz/fuzz-NAME.
 *
 * The core dies on bad input: die() ends in dc_exit(), whose hook brings
 * a target back to the setjmp of the input being run, so that an error
 * ends one input, not the run.  What the core held on its way to die()
 * is left to exit() in the programs, and so leaks here: a target whose
 * inputs mostly die runs with -detect_leaks=0 in its fuzz-NAME.flags
 * (the others with leak checking), keeps the reader's blocks small
 * (read_size), and closes what was left open (fuzz_close_left). */
#ifndef DC_FUZZ_H
#define DC_FUZZ_H

#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static jmp_buf fuzz_back;
static char fuzz_path[64];              /* fuzz_file's */
static int fuzz_fd = -1;

static inline void
fuzz_exit(int status)
{
	(void)status;
	longjmp(fuzz_back, 1);
}

static FILE *fuzz_stderr;
static int fuzz_first_fd = -1;          /* the lowest free at the start */

/* After an error: close the descriptors the core left open on its way to
 * die() (the programs leave them to exit(); here they would run out). */
static inline void
fuzz_close_left(void)
{
	int fd;

	for (fd = fuzz_first_fd; fd < fuzz_first_fd + 64; fd++)
		if (fd != fuzz_fd)
			close(fd);
}

/* Messages name the target; today is fixed, as in the tests.  The
 * core's messages (one an input, millions a run) go to /dev/null unless
 * FUZZ_VERBOSE is set: glibc lets stderr be assigned, and libFuzzer and
 * the sanitizers write to descriptor 2 without it. */
static inline void
fuzz_init(const char *name)
{
	FILE *null;

	progname = name;
	dc_exit_hook = fuzz_exit;
	setenv("DC_TODAY", "2024-12-14", 1);
	fuzz_stderr = stderr;
	if (!getenv("FUZZ_VERBOSE") && (null = fopen("/dev/null", "w")))
		stderr = null;
	fuzz_first_fd = dup(0);
	close(fuzz_first_fd);
}

/* A broken invariant is a crash: libFuzzer keeps the input. */
static inline void
fuzz_assert(int ok, const char *what)
{
	if (ok)
		return;
	fprintf(fuzz_stderr, "%s: invariant broken: %s\n", progname, what);
	abort();
}

/* The plain reference for the UTF-8 check: the first problem of p[0..n)
 * by the rules of RFC 3629 (and no NUL), as its offset and *why, or -1
 * when there is none. */
static inline long
plain_utf8_problem(const unsigned char *p, size_t n, const char **why)
{
	size_t i = 0, len, k;

	while (i < n) {
		unsigned c = p[i];
		uint32_t cp, min;

		if (c == 0) {
			*why = "NUL byte";
			return (long)i;
		}
		*why = "invalid UTF-8";
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC0 && c < 0xE0)
			len = 2, cp = c & 0x1F, min = 0x80;
		else if (c >= 0xE0 && c < 0xF0)
			len = 3, cp = c & 0x0F, min = 0x800;
		else if (c >= 0xF0 && c < 0xF8)
			len = 4, cp = c & 0x07, min = 0x10000;
		else
			return (long)i;
		if (n - i < len)
			return (long)i;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return (long)i;
			cp = cp << 6 | (p[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return (long)i;
		i += len;
	}
	return -1;
}

static inline int
buf_equal(const struct buf *a, const struct buf *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

/* A file holding p[0..n), for the code that reads files: made once per
 * process (libFuzzer runs the inputs one after another) and removed at
 * exit.  Returns its descriptor; *path is its name. */
static inline void
fuzz_file_remove(void)
{
	unlink(fuzz_path);
}

static inline int
fuzz_file(const void *p, size_t n, const char **path)
{
	if (fuzz_fd < 0) {
		const char *dir = getenv("TMPDIR");

		snprintf(fuzz_path, sizeof fuzz_path, "%s/dc-fuzz-XXXXXX",
		    dir && strlen(dir) < 40 ? dir : "/tmp");
		if ((fuzz_fd = mkstemp(fuzz_path)) < 0) {
			fprintf(fuzz_stderr, "%s: %s\n", fuzz_path, strerror(errno));
			abort();
		}
		atexit(fuzz_file_remove);
	}
	if (ftruncate(fuzz_fd, 0) < 0 || pwrite(fuzz_fd, p, n, 0) != (ssize_t)n ||
	    lseek(fuzz_fd, 0, SEEK_SET) < 0) {
		fprintf(fuzz_stderr, "%s: %s\n", fuzz_path, strerror(errno));
		abort();
	}
	*path = fuzz_path;
	return fuzz_fd;
}

#endif
