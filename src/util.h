/* util.h: errors, memory, buffers, buffered output and hash tables */
#ifndef DC_UTIL_H
#define DC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#define DC_VERSION "0.2.0"

/* The rare path of a function run once a line, kept out of it so that
 * the common path stays small: compilers inline a static function
 * called once, and its saved registers then cost every line. */
#if defined(__GNUC__)
#define COLD __attribute__((noinline, cold))
#else
#define COLD
#endif

/* ---- util.c: errors, memory, growable buffers, buffered stdout ---- */

struct buf;

extern const char *progname;

/* Name messages after argv0 without its directory, and make SIGHUP,
 * SIGINT and SIGTERM end standard output with the failure line. */
void dc_setprog(const char *argv0);
/* Exit; with status 2 (failure) first flush what is buffered and end
 * standard output with the failure line (dc-format(5), FAILURE), so a
 * dc-* program reading it fails too, pipefail or not. */
void dc_exit(int status);
/* When set, dc_exit calls it first; a fuzz target's hook longjmps back
 * into the target, so that an error ends one input, not the run.  The
 * programs never set it. */
extern void (*dc_exit_hook)(int status);
/* Whether p[0..n) (a line without its newline) is a failure line; the
 * failed program's name is put in prog (when not NULL). */
int is_failure_line(const char *p, size_t n, struct buf *prog);
void die(const char *fmt, ...);                  /* "prog: msg", dc_exit(2) */
void die_at(const char *file, long line, const char *fmt, ...);
void warn(const char *fmt, ...);
void warn_at(const char *file, long line, const char *fmt, ...);
void print_version(void);                       /* "prog (dc-tools) 0.1.0" */
/* A usage error: "prog: what is wrong", then "Try 'prog --help'.", and
 * exit 2. */
void usage_error(const char *fmt, ...);
/* Report, as a usage error, what getopt_long meant by returning ch ('?'
 * or ':') when called with opterr = 0 and an optstring that starts with
 * ':'.  The values of long options must be 0x100 or more (as VIEW_ASOF),
 * so that they are told from short ones. */
struct option;
void option_error(int ch, char *const argv[], const struct option *longopts);

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

struct buf {
	char *p;
	size_t len, cap;
};
void buf_grow(struct buf *b, size_t extra);
/* Inline, as buf_putc: output is made of many short pieces. */
static inline void
buf_put(struct buf *b, const void *p, size_t n)
{
	if (n >= b->cap - b->len)
		buf_grow(b, n);
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}
/* Inline: text filters append a byte at a time. */
static inline void
buf_putc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->p[b->len++] = c;
}
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* A value short enough to quote in a message (a 1 MB field must not make
 * a 1 MB line): cut at 60 bytes on a character boundary, "..." added.
 * Returns b's text. */
const char *quote_value(const char *p, size_t n, struct buf *b);
const char *buf_cstr(struct buf *b);            /* NUL-terminates, returns p */
/* Append items joined by ", ", as messages list fields and values. */
void buf_join(struct buf *b, char *const *items, int n);
void buf_free(struct buf *b);

/* Write all of p, looping on short writes; -1 with errno on failure. */
int write_all(int fd, const char *p, size_t n);

/* Buffered standard output: write(2) in large blocks, die on error. */
void out_write(const void *p, size_t n);
void out_putc(char c);
void out_puts(const char *s);
void out_flush(void);


/* ---- fault.c: the system calls that change files ---- */

/* write(2), fsync(2), ftruncate(2), rename(2), unlink(2) and open(2) as
 * every write path calls them.  In the test build (make faults) the Nth
 * one can be made to fail, or the power cut there: see tests/faults. */
ssize_t fs_write(int fd, const void *p, size_t n);
int fs_fsync(int fd);
int fs_ftruncate(int fd, off_t length);
int fs_rename(const char *from, const char *to);
int fs_unlink(const char *path);
int fs_open(const char *path, int flags, mode_t mode);


/* ---- table.c: hash tables keyed by byte strings ---- */

/* Open addressing; entries keep insertion order and stable indices, so a
 * caller holds indices, never pointers, across insertions.  Keys and
 * values live in a few large arrays: no allocation per entry. */
struct table_entry {
	size_t key, len;                /* offset and length in keys */
	uint64_t hash;
};

struct table {
	size_t n, nslots, entcap, valsize;
	size_t *slots;                  /* entry index + 1; 0 is empty */
	struct table_entry *entries;
	char *values;                   /* n * valsize bytes, zeroed on insert */
	struct buf keys;
};

void table_init(struct table *t, size_t valsize);
/* Index of key's entry, inserting it (value zeroed) when absent. */
size_t table_put(struct table *t, const char *key, size_t len, int *created);
long table_find(const struct table *t, const char *key, size_t len);
const char *table_key(const struct table *t, size_t i, size_t *len);
void *table_value(const struct table *t, size_t i);
void table_free(struct table *t);


/* ---- sha256.c: SHA-256 (FIPS 180-4), streaming ---- */

/* The checksum of the bytes given to sha256_update, in any number of
 * calls of any size; len counts them.  sha256_hex finishes it: init
 * again before another use. */
struct sha256 { uint32_t h[8]; uint64_t len; unsigned char block[64]; size_t n; };
void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *p, size_t n);
void sha256_hex(struct sha256 *s, char hex[65]);   /* finish; NUL-terminated lowercase hex */

#endif
