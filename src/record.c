/* record.c: reading record files in large blocks, one line a record. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"
#include "record.h"

size_t read_size = 1 << 17;

static const char stdin_name[] = "(standard input)";

/* Blocks indexed so far, by every input: a block's number. */
static unsigned long blocks_indexed;

static void
reset_file(struct input *in)
{
	in->pos = in->end = in->nl_free = 0;
	in->lines.n = in->lines.next = 0;
	in->bad_why = NULL;
	in->eof = 0;
	in->lineno = 0;
	in->file_bytes = 0;
}

/* A temporary copy of a pipe being read, to read it again. */
static int
spool_create(void)
{
	const char *dir = getenv("TMPDIR");
	struct buf path = { 0 };
	int fd;

	buf_printf(&path, "%s/dc-spool-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path.p);           /* mode 0600 */
	if (fd < 0)
		die("%s: %s (set TMPDIR to a directory with room)", path.p,
		    strerror(errno));
	unlink(path.p);
	buf_free(&path);
	return fd;
}

/* First reading of a kept input: note where the file starts, or start
 * copying a pipe. */
static void
keep_file(struct input *in, int idx)
{
	struct kept_file *k = &in->kept[idx];
	struct stat st;
	off_t at = lseek(in->fd, 0, SEEK_CUR);

	k->fd = in->fd;
	k->start = at;
	if (at >= 0 && fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode))
		return;
	k->fd = in->spool_fd = spool_create();
	k->start = 0;
	in->spooled++;
}

/* How much of the file just opened to read: what dc-report measured
 * (length), and never a batch that was cut off. */
static void
limit_file(struct input *in)
{
	struct stat st;

	in->file_limit = in->length > 0 ? in->length : -1;
	if (in->replay || in->borrowed_fd >= 0 || in->name == stdin_name ||
	    fstat(in->fd, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	/* dc-report measured (and spoke) before: length says. */
	st.st_size = committed_length(in->name, st.st_size,
	    in->keep_bad == BAD_KEEP_QUIET || in->length > 0, &in->journal,
	    &in->cut);
	if (in->file_limit < 0 || st.st_size < in->file_limit)
		in->file_limit = st.st_size;
}

static int
open_file(struct input *in, const char *path)
{
	int idx = in->fileidx - 1;

	if (in->replay) {
		in->name = strcmp(path, "-") == 0 ? stdin_name : path;
		in->fd = in->kept[idx].fd;
		if (lseek(in->fd, in->kept[idx].start, SEEK_SET) < 0)
			die("%s: %s", in->name, strerror(errno));
		reset_file(in);
		limit_file(in);
		return 0;
	}
	if (in->borrowed_fd >= 0) {
		/* The caller's descriptor (dc-add: locked for writing; a
		 * read lock here would replace that lock). */
		in->name = path;
		in->fd = in->borrowed_fd;
	} else if (strcmp(path, "-") == 0) {
		in->name = stdin_name;
		in->fd = 0;
	} else {
		in->name = path;
		in->fd = open(path, O_RDONLY);
		if (in->fd < 0) {
			if (in->keep_bad) {
				warn("%s: %s", path, strerror(errno));
				in->unreadable++;
				return -1;
			}
			die("%s: %s", path, strerror(errno));
		}
		/* Wait while a dc-add holds it: then every batch is seen
		 * whole or not at all.  Pipes cannot be locked and need
		 * not be. */
		lock_file(in->fd, path, F_RDLCK);
	}
	reset_file(in);
	limit_file(in);
	if (in->keep)
		keep_file(in, idx);
	return 0;
}

static void
close_kept(struct kept_file *k)
{
	if (k->fd > 0)
		close(k->fd);
	k->fd = -1;
}

static void
close_file(struct input *in)
{
	if (in->keep && !in->replay && in->fd >= 0) {
		/* Kept open (and locked) for the second reading. */
		in->kept[in->fileidx - 1].length = in->file_bytes;
		in->spool_fd = -1;
		in->fd = -1;
		return;
	}
	if (in->replay && in->fd >= 0) {
		close_kept(&in->kept[in->fileidx - 1]);
		in->fd = -1;
		return;
	}
	if (in->fd > 0 && in->fd != in->borrowed_fd)
		close(in->fd);
	in->fd = -1;
}

static void
spool_write(struct input *in, const char *p, size_t n)
{
	if (write_all(in->spool_fd, p, n) < 0)
		die("temporary copy of %s: %s (set TMPDIR to a directory with "
		    "room)", in->name, strerror(errno));
}

/* Read more bytes after the unconsumed tail, growing the buffer when one
 * line fills it: lines have no length limit. */
static void
fill(struct input *in)
{
	ssize_t n;
	size_t want;

	if (in->pos > 0) {
		memmove(in->buf, in->buf + in->pos, in->end - in->pos);
		in->end -= in->pos;
		in->nl_free = in->nl_free > in->pos ? in->nl_free - in->pos : 0;
		in->pos = 0;
	}
	if (in->cap - in->end < read_size) {
		in->cap = in->cap ? in->cap * 2 : 2 * read_size;
		in->buf = xrealloc(in->buf, in->cap);
	}
	want = in->cap - in->end;
	if (in->file_limit >= 0 && (off_t)want > in->file_limit - in->file_bytes)
		want = (size_t)(in->file_limit - in->file_bytes);
	if (in->replay) {
		off_t left = in->kept[in->fileidx - 1].length - in->file_bytes;

		if ((off_t)want > left)
			want = (size_t)left;
	}
	do
		n = want ? read(in->fd, in->buf + in->end, want) : 0;
	while (n < 0 && errno == EINTR);
	if (n < 0)
		die("%s: %s", in->name, strerror(errno));
	if (n == 0) {
		in->eof = 1;
		if (in->file_limit >= 0 && in->file_bytes < in->file_limit)
			die("%s: the file got shorter while it was read", in->name);
		if (in->replay && in->file_bytes < in->kept[in->fileidx - 1].length)
			die("%s: the file got shorter while it was read", in->name);
	}
	if (n > 0 && in->spool_fd >= 0 && !in->replay)
		spool_write(in, in->buf + in->end, (size_t)n);
	in->file_bytes += n;
	in->end += (size_t)n;
}

/* End of the last whole line in the buffer, or 0 when it holds none;
 * the bytes before in->nl_free are known to hold no newline. */
static size_t
last_line_end(struct input *in)
{
	size_t i;

	for (i = in->end; i > in->nl_free; i--)
		if (in->buf[i - 1] == '\n')
			return i;
	in->nl_free = in->end;
	return 0;
}

/* Index the whole lines from in->pos on (at most LINES_AT_ONCE), in one
 * pass that also checks their bytes (scan.c); reads more when the
 * buffer holds no whole line.  Returns 0 at the end of the file, where
 * a last line with no newline may be left. */
enum { LINES_AT_ONCE = 4096 };

COLD static int
index_lines(struct input *in)
{
	struct line_index *ix = &in->lines;
	size_t last, bad;

	/* Room grows from a few lines: a small input (a schema) takes
	 * little, even when it dies with it unfreed. */
	if (!ix->end || (ix->n == ix->cap && ix->cap < LINES_AT_ONCE)) {
		ix->cap = ix->end ? 2 * ix->cap : 64;
		ix->end = xrealloc(ix->end, sizeof *ix->end * ix->cap);
		ix->tabs = xrealloc(ix->tabs, sizeof *ix->tabs * ix->cap);
		ix->escaped = xrealloc(ix->escaped, ix->cap);
	}
	if (in->nl_free < in->pos)
		in->nl_free = in->pos;
	while ((last = last_line_end(in)) == 0) {
		if (in->eof)
			return 0;
		fill(in);
	}
	ix->base = in->pos;
	ix->bytes = scan_lines(in->buf + in->pos, last - in->pos, ix, &bad);
	ix->block = ++blocks_indexed;
	in->bad_why = NULL;
	if (bad != (size_t)-1 && !in->trusted) {
		in->bad_at = in->pos + bad;
		in->bad_why = in->buf[in->bad_at] ? "invalid UTF-8" : "NUL byte";
	}
	return 1;
}

/* What is wrong with the bytes of the line [start, stop), or NULL. */
COLD static const char *
bad_bytes(struct input *in, size_t start, size_t stop)
{
	static char msg[64];

	if (in->bad_at < start || in->bad_at >= stop)
		return NULL;
	snprintf(msg, sizeof msg, "%s at byte %zu", in->bad_why,
	    in->bad_at - start + 1);
	in->bad_why = NULL;
	return msg;
}

/* The last line of a file, which has no newline: its own checks. */
COLD static const char *
unended_line(struct input *in, size_t *tabs)
{
	const char *p = in->buf + in->pos;
	size_t i, n = in->end - in->pos, bad;

	*tabs = 0;
	for (i = 0; i < n; i++)
		*tabs += p[i] == '\t';
	if (in->trusted || utf8_check(p, n, &bad, &in->bad_why))
		return NULL;
	in->bad_at = in->pos + bad;
	return bad_bytes(in, in->pos, in->end);
}

/* The next line of the current file without its newline (and CR).
 * Returns 0 at end of file, 1 for a line, 2 for a last line that has
 * no newline.  *tabs is the number of TABs it holds, *encoding NULL or
 * what is wrong with its bytes. */
static int
next_line(struct input *in, const char **line, size_t *len, size_t *tabs,
    const char **encoding)
{
	struct line_index *ix = &in->lines;
	size_t start, stop;
	int status = 1;

	if (ix->next < ix->n || index_lines(in)) {
		start = in->pos;        /* after index_lines, which may move it */
		stop = ix->base + ix->end[ix->next];
		*tabs = ix->tabs[ix->next++];
		*encoding = in->bad_why ? bad_bytes(in, start, stop) : NULL;
		in->pos = stop + 1;
	} else if (in->pos < in->end) {
		start = in->pos;
		stop = in->end;
		*encoding = unended_line(in, tabs);
		in->pos = in->end;
		status = 2;
	} else {
		return 0;
	}
	*line = in->buf + start;
	*len = stop - start;
	if (*len > 0 && (*line)[*len - 1] == '\r')
		(*len)--;
	in->lineno++;
	return status;
}

int
field_name_ok(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || p[0] < 'a' || p[0] > 'z')
		return 0;
	for (i = 1; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') ||
		    p[i] == '_'))
			return 0;
	return 1;
}

static void
header_free(struct header *h)
{
	int i;

	for (i = 0; i < h->n; i++)
		free(h->names[i]);
	free(h->names);
	free(h->line);
	free(h->note);
	memset(h, 0, sizeof *h);
}

/* Parse a header line into h; returns NULL or what is wrong. */
static const char *
header_parse(struct header *h, const char *p, size_t len)
{
	static char msg[256];
	const char *why, *end = p + len;
	struct table seen;              /* the names so far: linear time in
	                                 * the header, which has no length
	                                 * limit */
	size_t bad, cap = 0;
	int created;

	if (!utf8_check(p, len, &bad, &why))
		return why;
	h->line = xstrndup(p, len);
	h->linelen = h->namelen = len;
	table_init(&seen, 0);
	for (why = NULL;; p++) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		const char *stop = tab ? tab : end;

		if (h->n > 0 && *p == '#' && !tab) {
			h->note = xstrndup(p + 1, (size_t)(end - p - 1));
			h->namelen = (size_t)(p - 1 - (end - len));
			break;
		}
		if ((size_t)h->n == cap) {
			cap = cap ? 2 * cap : 16;
			h->names = xrealloc(h->names, sizeof(char *) * cap);
		}
		h->names[h->n++] = xstrndup(p, (size_t)(stop - p));
		if (!field_name_ok(p, (size_t)(stop - p))) {
			snprintf(msg, sizeof msg, "bad field name '%.*s' in header "
			    "(names are [a-z][a-z0-9_]*)", (int)(stop - p > 64 ? 64 : stop - p), p);
			why = msg;
			break;
		}
		table_put(&seen, p, (size_t)(stop - p), &created);
		if (!created) {
			snprintf(msg, sizeof msg, "field name '%.64s' appears twice in header",
			    h->names[h->n - 1]);
			why = msg;
			break;
		}
		if (!tab)
			break;
		p = tab;
	}
	table_free(&seen);
	return why;
}

/* The program writing our input failed and ended it with the failure
 * line (dc-format(5), FAILURE): so do we, naming it. */
static void
cut_short(struct input *in, const char *line, size_t len)
{
	struct buf prog = { 0 };

	is_failure_line(line, len, &prog);
	die_at(in->name, in->lineno, "input cut short by the failure of the "
	    "program %s (%s)", in->name == stdin_name ? "before this one" :
	    "that wrote it", buf_cstr(&prog));
}

static int
failure_line(const char *line, size_t len)
{
	return len > 0 && line[0] == '\0' && is_failure_line(line, len, NULL);
}

/* Die on a bad line.  When the program writing the input failed, its
 * failure line follows somewhere (after sort(1), anywhere): that is the
 * cause to report, so look for it in the rest of the input first.  A
 * terminal has no end to wait for. */
static void
die_input(struct input *in, long lineno, const char *why)
{
	const char *line, *encoding;
	struct buf saved = { 0 };
	size_t len, tabs;

	buf_puts(&saved, why);
	in->trusted = 1;
	if (in->fd >= 0 && !isatty(in->fd))
		while (next_line(in, &line, &len, &tabs, &encoding) != 0)
			if (failure_line(line, len))
				cut_short(in, line, len);
	die_at(in->name, lineno, "%s", buf_cstr(&saved));
}

/* Read and check the header of the current file; -1 when it is unusable
 * (only with keep_bad; otherwise we die). */
static int
read_header(struct input *in)
{
	struct header h = { 0 };
	const char *line, *why = NULL, *encoding;
	size_t len, tabs;
	int status = next_line(in, &line, &len, &tabs, &encoding);

	if (status == 0)
		why = in->name == stdin_name ? "empty input: no header line "
		    "(did the program before this one fail?)" :
		    "empty file: no header line";
	else if (status == 2)
		why = "header line has no newline (interrupted write?)";
	if (!why && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
		line += 3;
		len -= 3;
	}
	if (status != 0 && failure_line(line, len))
		cut_short(in, line, len);
	if (!why)
		why = encoding;
	if (!why)
		why = header_parse(&h, line, len);
	if (!why && in->had_header && (h.namelen != in->hdr.namelen ||
	    memcmp(line, in->hdr.line, h.namelen) != 0))
		why = "header differs from the first input's";
	if (why) {
		header_free(&h);
		if (!in->keep_bad)
			die_input(in, in->lineno, why);
		in->header_problem = why;
		in->header_line = in->lineno;
		if (in->keep_bad == 1)
			warn_at(in->name, in->lineno, "%s", why);
		return -1;
	}
	free(in->file_note);
	in->file_note = h.note ? xstrdup(h.note) : NULL;
	if (!in->had_header) {
		in->hdr = h;
		in->had_header = 1;
		in->rec.nfields = h.n;
		in->rec.fields = xmalloc(sizeof(struct field) * (size_t)h.n);
	} else
		header_free(&h);
	return 0;
}

/* Open inputs until one has a usable header.  */
static int
advance_file(struct input *in)
{
	while (in->fileidx < in->nfiles) {
		if (open_file(in, in->files[in->fileidx++]) < 0)
			continue;
		if (read_header(in) == 0)
			return 0;
		close_file(in);
	}
	return -1;
}

static void
input_init(struct input *in, int nfiles, char **files, enum keep_bad keep_bad)
{
	static char *std_in[] = { "-", NULL };

	memset(in, 0, sizeof *in);
	in->fd = in->borrowed_fd = in->spool_fd = -1;
	in->keep_bad = keep_bad;
	in->files = nfiles > 0 ? files : std_in;
	in->nfiles = nfiles > 0 ? nfiles : 1;
}

void
input_open(struct input *in, int nfiles, char **files, enum keep_bad keep_bad)
{
	input_init(in, nfiles, files, keep_bad);
	if (advance_file(in) < 0 && !keep_bad)
		die("no input");
}

void
input_open_kept(struct input *in, int nfiles, char **files, off_t length)
{
	input_init(in, nfiles, files, BAD_DIE);
	in->length = length;
	in->keep = 1;
	in->kept = xmalloc(sizeof *in->kept * (size_t)in->nfiles);
	advance_file(in);
}

void
input_unkeep(struct input *in)
{
	int i;

	if (!in->keep)
		return;
	for (i = 0; i < in->fileidx - 1; i++)
		close_kept(&in->kept[i]);
	if (in->spool_fd >= 0)
		close(in->spool_fd);
	in->spool_fd = -1;
	in->keep = 0;
	free(in->kept);
	in->kept = NULL;
}

void
input_rewind(struct input *in)
{
	struct header first = in->hdr;

	memset(&in->hdr, 0, sizeof in->hdr);
	in->had_header = 0;
	free(in->rec.fields);
	in->rec.fields = NULL;
	in->fileidx = 0;
	in->replay = in->trusted = 1;
	in->pos = in->end = 0;
	if (advance_file(in) < 0)
		die("no input");
	header_free(&in->hdr);
	in->hdr = first;
}

void
input_open_fd(struct input *in, int fd, const char *name, enum keep_bad keep_bad)
{
	memset(in, 0, sizeof *in);
	in->fd = in->spool_fd = -1;
	in->borrowed_fd = fd;
	in->keep_bad = keep_bad;
	in->name_storage[0] = (char *)name;
	in->files = in->name_storage;
	in->nfiles = 1;
	if (advance_file(in) < 0 && !keep_bad)
		die("no input");
}

/* Every line's TABs are counted as it is read (scan.c); fields are then
 * split only as far as a program asks, 16 bytes a step where SSE2 is
 * there (all x86-64), with memchr elsewhere or under DC_SIMD=portable. */
/* The first TAB in p[0..n), or end. */
static const char *
next_tab_plain(const char *p, const char *end)
{
	const char *tab = memchr(p, '\t', (size_t)(end - p));

	return tab ? tab : end;
}

#ifdef HAVE_SSE2
#include <emmintrin.h>

static inline __attribute__((always_inline)) unsigned
tab_mask(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')));
}

static const char *
next_tab_sse2(const char *p, const char *end)
{
	for (; end - p >= 16; p += 16) {
		unsigned mask = tab_mask(p);

		if (mask)
			return p + __builtin_ctz(mask);
	}
	for (; p < end && *p != '\t'; p++)
		;
	return p;
}
#endif

static const char *
next_tab(const char *p, const char *end)
{
#ifdef HAVE_SSE2
	if (simd_path() != SIMD_PORTABLE)
		return next_tab_sse2(p, end);
#endif
	return next_tab_plain(p, end);
}

COLD static const char *
count_problem(size_t tabs, int nfields)
{
	static char msg[128];

	snprintf(msg, sizeof msg, "has %zu fields, header has %d", tabs + 1,
	    nfields);
	return msg;
}

/* A line holding the header's names (whatever its note). */
static int
is_header_again(const struct input *in, const char *line, size_t len)
{
	size_t n = in->hdr.namelen;

	/* The first byte first: memcmp is a call, this runs for every line. */
	return len >= n && n > 0 && line[0] == in->hdr.line[0] &&
	    memcmp(line, in->hdr.line, n) == 0 &&
	    (len == n || (len > n + 1 && line[n] == '\t' && line[n + 1] == '#'));
}

/* Pass over the indexed lines that lack in->want and need no message:
 * each is checked as input_next checks it (its fields, its bytes, not
 * cut short, not the header again, and its first field when asked),
 * and any doubt leaves the line to input_next. */
static void
skip_lines(struct input *in)
{
	struct line_index *ix = &in->lines;
	const char *block_end = in->buf + ix->base + ix->bytes;
	size_t start = in->pos, stop;

	for (; ix->next < ix->n; ix->next++) {
		const char *line = in->buf + start;

		stop = ix->base + ix->end[ix->next];
		if (!in->trusted && (ix->tabs[ix->next] + 1 != (size_t)in->rec.nfields ||
		    (in->bad_why && in->bad_at < stop) || stop == start ||
		    line[0] == '\0' || line[0] == in->hdr.line[0] ||
		    (in->want_first_field && line[0] == '\t')))
			break;
		if (needle_in(in->want, line, stop - start, block_end, ix->block))
			break;
		start = stop + 1;
		in->lineno++;
		in->skipped++;
	}
	in->pos = start;
}

struct record *
input_next(struct input *in)
{
	struct record *r = &in->rec;
	const char *line, *encoding;
	size_t len, tabs;
	int status;

	if (!in->had_header)
		return NULL;
	if (in->want && in->lines.next < in->lines.n)
		skip_lines(in);
	while (in->fd < 0 ||
	    (status = next_line(in, &line, &len, &tabs, &encoding)) == 0) {
		close_file(in);
		if (advance_file(in) < 0)
			return NULL;
	}
	r->line = line;
	r->len = len;
	r->block_end = status == 1 ? in->buf + in->lines.base + in->lines.bytes :
	    NULL;
	r->block = in->lines.block;
	r->plain = status == 1 && !in->lines.escaped[in->lines.next - 1];
	r->file = in->name;
	r->lineno = in->lineno;
	r->nsplit = 0;
	r->split_from = 0;
	r->repeated_header = 0;
	if (in->trusted) {
		r->bad = NULL;
		return r;
	}
	/* Whatever the keep_bad mode: what comes of an input cut short
	 * is incomplete. */
	if (failure_line(line, len))
		cut_short(in, line, len);
	r->bad = status == 2 ? "last line has no newline (interrupted write?)"
	    : encoding ? encoding : tabs + 1 == (size_t)r->nfields ? NULL :
	    count_problem(tabs, r->nfields);
	if (is_header_again(in, line, len)) {
		if (in->repeated_headers) {
			r->repeated_header = 1;
			r->bad = NULL;
			return r;
		}
		r->bad = "the header line again (files joined with cat? give "
		    "them as arguments)";
	}
	if (r->bad && !in->keep_bad)
		die_input(in, r->lineno, r->bad);
	return r;
}

int
input_range(struct input *in, off_t start, off_t end)
{
	struct stat mine, ours;
	int fd = open(in->name, O_RDONLY);

	if (fd < 0)
		return -1;
	/* The parent's descriptor shares its offset with ours: never seek
	 * it.  The path must still name the file the parent opened. */
	if (fstat(fd, &mine) < 0 || fstat(in->fd, &ours) < 0 ||
	    mine.st_dev != ours.st_dev || mine.st_ino != ours.st_ino ||
	    lseek(fd, start, SEEK_SET) != start) {
		close(fd);
		return -1;
	}
	if (in->replay) {
		in->kept[in->fileidx - 1].fd = fd;
		in->kept[in->fileidx - 1].length = end;
	}
	in->fd = fd;
	reset_file(in);
	in->file_bytes = start;
	in->file_limit = end;
	return 0;
}

void
input_close(struct input *in)
{
	int i;

	if (in->replay)
		in->keep = 0;
	close_file(in);
	if (in->kept)
		for (i = 0; i < in->nfiles; i++)
			if (i < in->fileidx)
				close_kept(&in->kept[i]);
	free(in->kept);
	free(in->file_note);
	header_free(&in->hdr);
	free(in->rec.fields);
	free(in->buf);
	free(in->lines.end);
	free(in->lines.tabs);
	free(in->lines.escaped);
	memset(in, 0, sizeof *in);
	in->fd = in->borrowed_fd = -1;
}

int
header_index(const struct header *h, const char *name)
{
	int i;

	for (i = 0; i < h->n; i++)
		if (strcmp(h->names[i], name) == 0)
			return i;
	return -1;
}

int
header_need(const struct header *h, const char *name)
{
	struct buf list = { 0 };
	int i = header_index(h, name);

	if (i >= 0)
		return i;
	buf_join(&list, h->names, h->n);
	die("unknown field '%s'; the fields are: %s", name, buf_cstr(&list));
	return -1;
}

void
header_write(const struct header *h, const char *note)
{
	out_write(h->line, h->namelen);
	out_note(note);
	out_putc('\n');
}

void
out_note(const char *note)
{
	if (!note)
		return;
	out_write("\t#", 2);
	out_puts(note);
}

const char *
line_note(const char *line, size_t len, struct buf *b)
{
	const char *tab = line + len;

	while (tab > line && tab[-1] != '\t')
		tab--;
	if (tab == line || tab == line + len || *tab != '#')
		return NULL;
	b->len = 0;
	buf_put(b, tab + 1, (size_t)(line + len - tab - 1));
	return buf_cstr(b);
}

/* Record field r->nsplit as ending at tab; returns where the next starts. */
static const char *
cut_field(struct record *r, const char *start, const char *tab)
{
	r->fields[r->nsplit].p = start;
	r->fields[r->nsplit].len = (size_t)(tab - start);
	r->nsplit++;
	return tab + 1;
}

#ifdef HAVE_SSE2
/* The TABs of p[0..64) as bits. */
static inline __attribute__((always_inline)) uint64_t
tab_mask64(const char *p)
{
	return (uint64_t)tab_mask(p) | (uint64_t)tab_mask(p + 16) << 16 |
	    (uint64_t)tab_mask(p + 32) << 32 | (uint64_t)tab_mask(p + 48) << 48;
}

#ifdef HAVE_AVX2
#include <immintrin.h>


/* The TABs of p[0..n), n <= 64, as bits: the bytes past n are not read
 * (a masked load does not fault on them). */
AVX512 static uint64_t
tab_mask_avx512(const char *p, size_t n)
{
	__mmask64 in = n >= 64 ? ~(__mmask64)0 : ((__mmask64)1 << n) - 1;
	__m512i v = _mm512_maskz_loadu_epi8(in, p);

	return _mm512_mask_cmpeq_epi8_mask(in, v, _mm512_set1_epi8('\t'));
}
#endif

/* Fields *n.. up to i cut at the TABs of mask (bit k: scan[k]), the
 * first starting at start; returns where the next starts. */
static inline __attribute__((always_inline)) const char *
cut_at_tabs(struct field *f, int *n, int i, const char *scan, uint64_t mask,
    const char *start)
{
	for (; mask && *n <= i; mask &= mask - 1) {
		const char *tab = scan + __builtin_ctzll(mask);

		f[*n].p = start;
		f[*n].len = (size_t)(tab - start);
		(*n)++;
		start = tab + 1;
	}
	return start;
}

/* Fields from start (where field r->nsplit starts) up to i, 64 bytes a
 * step.  With wide (AVX-512), the last bytes are a block as well; else
 * what is left under 64 bytes goes 16 a step.  With skip, the TABs
 * before field lo are counted, not split: a program asks for the fields
 * it needs, most often not the first ones.  Returns where field
 * r->nsplit starts.  Built for each path: skipping needs popcnt, which
 * every CPU with AVX2 has. */
static inline __attribute__((always_inline)) const char *
split_blocks(struct record *r, int lo, int i, const char *start, int skip,
    int wide)
{
	const char *end = r->line + r->len, *scan = start;
	struct field *f = r->fields;
	int n = r->nsplit;

	skip = skip ? lo - n : 0;
	for (; scan < end && n <= i;
	    scan += end - scan >= 64 ? 64 : end - scan) {
		uint64_t mask;

		if (end - scan >= 64 && !wide)
			mask = tab_mask64(scan);
#ifdef HAVE_AVX2
		else if (wide)
			mask = tab_mask_avx512(scan, (size_t)(end - scan));
#endif
		else
			break;
		if (skip > 0) {
			int tabs = __builtin_popcountll(mask);

			if (tabs < skip) {
				if (tabs)
					start = scan + 64 - __builtin_clzll(mask);
				n += tabs;
				skip -= tabs;
				continue;
			}
			n += skip;
			for (; skip > 1; skip--)
				mask &= mask - 1;
			skip = 0;
			start = scan + __builtin_ctzll(mask) + 1;
			mask &= mask - 1;
			r->split_from = n;
		}
		start = cut_at_tabs(f, &n, i, scan, mask, start);
	}
	if (skip > 0)
		r->split_from = n;
	for (; end - scan >= 16 && n <= i; scan += 16)
		start = cut_at_tabs(f, &n, i, scan, tab_mask(scan), start);
	r->nsplit = n;
	return start;
}

static const char *
split_sse2(struct record *r, int i, const char *start)
{
	return split_blocks(r, 0, i, start, 0, 0);
}

#ifdef HAVE_AVX2
AVX2 static const char *
split_avx2(struct record *r, int lo, int i, const char *start, int skip)
{
	return split_blocks(r, lo, i, start, skip, 0);
}

AVX512 static const char *
split_avx512(struct record *r, int lo, int i, const char *start, int skip)
{
	return split_blocks(r, lo, i, start, skip, 1);
}
#endif
#endif

/* Record fields up to i, scanning on from the last one passed; with
 * skip, those before lo need not be split (r->split_from). */
static void
split_to(struct record *r, int lo, int i, int skip)
{
	const char *end = r->line + r->len, *start;

	start = r->nsplit == 0 ? r->line :
	    r->fields[r->nsplit - 1].p + r->fields[r->nsplit - 1].len + 1;
	if (start > end)                /* only a bad record runs short */
		start = end;
	(void)lo;                       /* the portable code splits all */
	(void)skip;
#ifdef HAVE_SSE2
	if (simd_path() != SIMD_PORTABLE) {
#ifdef HAVE_AVX2
		if (simd_path() == SIMD_AVX512)
			start = split_avx512(r, lo, i, start, skip);
		else if (simd_path() == SIMD_AVX2)
			start = split_avx2(r, lo, i, start, skip);
		else
#endif
			start = split_sse2(r, i, start);
		if (r->nsplit > i)
			return;
		/* The bytes before start hold no TAB left: next_tab finds
		 * the next. */
	}
#endif
	while (r->nsplit <= i) {
		if (start > end)
			start = end;
		start = cut_field(r, start, next_tab(start, end));
	}
}

void
record_fields(struct record *r, int lo, int hi)
{
	if (r->nsplit == 0) {
		/* Nothing split yet: the fields before lo need not be. */
		split_to(r, lo, hi, 1);
	} else {
		record_split(r, lo, hi);
	}
}

void
record_split(struct record *r, int lo, int hi)
{
	int last;

	if (lo < r->split_from) {
		/* Fields before those split: split them all from the
		 * start. */
		last = hi > r->nsplit - 1 ? hi : r->nsplit - 1;
		r->nsplit = r->split_from = 0;
		split_to(r, 0, last, 0);
	} else if (hi >= r->nsplit) {
		split_to(r, r->nsplit, hi, 0);
	}
}

void
record_write(const struct record *r)
{
	out_write(r->line, r->len);
	out_putc('\n');
}
