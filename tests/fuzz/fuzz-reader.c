/* fuzz-reader: the reader (record.c, reader.c) over arbitrary bytes.
 *
 * The first byte picks a small block size (1 to 64 bytes, so that
 * blocks end at every place of a line) and the second a view of a
 * history; the rest is the file.  Every code path this build has
 * (DC_SIMD) reads it with the small block and with a large one:
 * all must give the same records, and the records must be the lines a
 * plain reading of the bytes finds, split at their TABs. */
#include "fuzz.h"
#include "text.h"
#include "record.h"

/* Larger than any input libFuzzer makes here (-max_len): one block
 * holds it all, as the programs' 128 KiB do (which are not used here:
 * a buffer that large costs an mmap(2) a run under ASan). */
static const size_t large_read_size = 1 << 14;

/* Line lineno (from 1) of the bytes: where it starts, its length
 * without the newline, and whether it has one. */
static int
plain_line(const unsigned char *p, size_t n, long lineno, size_t *start,
    size_t *len, int *newline)
{
	size_t at = 0;
	const unsigned char *nl;

	while (--lineno > 0) {
		if (!(nl = memchr(p + at, '\n', n - at)))
			return 0;
		at = (size_t)(nl - p) + 1;
	}
	if (at >= n)
		return 0;
	nl = memchr(p + at, '\n', n - at);
	*start = at;
	*len = nl ? (size_t)(nl - p) - at : n - at;
	*newline = nl != NULL;
	return 1;
}

/* A record against the line of the plain reading. */
static void
check_record(struct record *r, const unsigned char *p, size_t n)
{
	size_t start, len, cut, total = 0;
	const char *why;
	char want[64];
	long bad;
	int newline, i;

	fuzz_assert(plain_line(p, n, r->lineno, &start, &len, &newline),
	    "a record where the bytes have no line");
	cut = len > 0 && p[start + len - 1] == '\r' ? len - 1 : len;
	fuzz_assert(r->len == cut && memcmp(r->line, p + start, cut) == 0,
	    "a record that is not its line");
	bad = plain_utf8_problem(p + start, len, &why);
	if (!newline)                   /* or "the header line again" */
		fuzz_assert(r->bad != NULL, "a last line without newline taken as whole");
	else if (bad >= 0 && !(r->bad && strstr(r->bad, "header line again"))) {
		snprintf(want, sizeof want, "%s at byte %ld", why, bad + 1);
		fuzz_assert(r->bad && strcmp(r->bad, want) == 0,
		    "UTF-8 problem not found, or found at another byte");
	}
	if (bad < 0 && r->bad)
		fuzz_assert(strstr(r->bad, "UTF-8") == NULL && strstr(r->bad, "NUL") == NULL,
		    "valid UTF-8 said to be bad");
	for (i = 0; i < r->nfields; i++) {
		const struct field *f = record_field(r, i);

		fuzz_assert(f->p >= r->line && f->p + f->len <= r->line + r->len,
		    "a field outside its line");
		fuzz_assert(memchr(f->p, '\t', f->len) == NULL, "a TAB in a field");
		if (r->bad)
			continue;
		fuzz_assert(f->p == r->line + total, "a field not where it starts");
		total += f->len + 1;
	}
	if (!r->bad)
		fuzz_assert(total == r->len + 1, "fields that do not cover the line");
}

static void
transcribe(struct buf *t, struct record *r)
{
	int i;

	buf_printf(t, "%ld %s %d:", r->lineno, r->bad ? r->bad : "-",
	    r->repeated_header);
	for (i = 0; i < r->nfields; i++) {
		const struct field *f = record_field(r, i);

		buf_put(t, "|", 1);
		buf_put(t, f->p, f->len);
	}
	buf_putc(t, '\n');
}

static struct input in;
static struct reader rd;

/* The records of the file as input_next gives them, bad ones too. */
static void
read_input(int fd, const unsigned char *p, size_t n, struct buf *t)
{
	struct record *r;

	memset(&in, 0, sizeof in);
	if (setjmp(fuzz_back)) {
		buf_puts(t, "died\n");
		input_close(&in);
		return;
	}
	input_open_fd(&in, fd, "input", BAD_KEEP_QUIET);
	if (!in.had_header)
		buf_printf(t, "header: %s\n", in.header_problem);
	else
		buf_printf(t, "header %d %s\n", in.hdr.n,
		    in.hdr.note ? in.hdr.note : "-");
	while ((r = input_next(&in))) {
		check_record(r, p, n);
		transcribe(t, r);
	}
	input_close(&in);
}

/* What a program sees of it as a history, under the view flags asks. */
static void
read_view(const char *path, unsigned flags, struct buf *t)
{
	char *files[] = { (char *)path, NULL };
	struct view v = { 0 };
	struct record *r;

	memset(&rd, 0, sizeof rd);
	if (setjmp(fuzz_back)) {
		buf_puts(t, "died\n");
		reader_close(&rd);
		return;
	}
	v.history = flags & 1;
	if (flags & 2)
		v.asof = "2024-06-30";
	if (flags & 4) {
		v.part = 1 + (flags >> 3 & 1);
		v.nparts = 2;
	}
	reader_open(&rd, 1, files, &v);
	buf_printf(t, "mode %d\n", (int)rd.mode);
	while ((r = reader_next(&rd)))
		transcribe(t, r);
	buf_printf(t, "notes %s %s\n", reader_note(&rd, 1) ? reader_note(&rd, 1) : "-",
	    reader_count_note(&rd) ? reader_count_note(&rd) : "-");
	reader_close(&rd);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init("fuzz-reader");
	return 0;
}

/* Every path with either block gives the same records; the view (which
 * costs more) is compared between the portable path with the small
 * block and the fastest path with the large one. */
int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct buf first = { 0 }, view = { 0 }, t = { 0 };
	const char *path;
	size_t small;
	unsigned flags;
	int fd, k;

	if (size < 2)
		return 0;
	small = (size_t)(data[0] & 63) + 1;
	flags = data[1];
	data += 2;
	size -= 2;
	fd = fuzz_file(data, size, &path);
	/* Each path (portable, SSE2, AVX2, AVX-512) with the small and
	 * the large block. */
	for (k = 0; k < 2 * (SIMD_LAST + 1); k++) {
		if (!simd_use((enum simd)(k / 2)))
			continue;
		read_size = k % 2 ? large_read_size : small;
		t.len = 0;
		lseek(fd, 0, SEEK_SET);
		read_input(fd, data, size, &t);
		if (k == 0)
			buf_put(&first, t.p, t.len);
		else
			fuzz_assert(buf_equal(&first, &t),
			    "code paths or block sizes that disagree");
		if (k != 0 && k % 2 == 0)
			continue;
		t.len = 0;
		read_view(path, flags, &t);
		if (k == 0)
			buf_put(&view, t.p, t.len);
		else
			fuzz_assert(buf_equal(&view, &t),
			    "code paths or block sizes that disagree on a view");
	}
	read_size = 1 << 17;
	buf_free(&first);
	buf_free(&view);
	buf_free(&t);
	return 0;
}
