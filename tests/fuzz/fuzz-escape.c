/* fuzz-escape: the field escapes of dc-format(5) (escape.c) over
 * arbitrary bytes: a value escaped and unescaped is itself; an escaped
 * value holds no TAB, CR or newline; unescaping a raw field never
 * lengthens it, and what it gives escapes to a field that unescapes to
 * the same value.  The canonical raw form of a field (group.c) spells
 * the same value. */
#include "fuzz.h"
#include "record.h"

static struct buf value, raw, again, canon;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init("fuzz-escape");
	return 0;
}

/* The value raw[0..n) spells, as plain code reads dc-format(5). */
static void
plain_unescape(const char *p, size_t n, struct buf *b)
{
	size_t i;

	b->len = 0;
	for (i = 0; i < n; i++) {
		char c = i + 1 < n ? p[i + 1] : 0;

		if (p[i] != '\\' || !c || !strchr("tnr\\", c)) {
			buf_putc(b, p[i]);
			continue;
		}
		buf_putc(b, c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : '\\');
		i++;
	}
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *p = (const char *)data;
	struct buf plain = { 0 };

	/* As a value. */
	raw.len = again.len = 0;
	escape(p, size, &raw);
	fuzz_assert(!memchr(raw.p ? raw.p : "", '\t', raw.len) &&
	    !memchr(raw.p ? raw.p : "", '\n', raw.len) &&
	    !memchr(raw.p ? raw.p : "", '\r', raw.len), "a TAB, CR or newline escaped");
	unescape(raw.p, raw.len, &again);
	fuzz_assert(again.len == size && (size == 0 || memcmp(again.p, p, size) == 0),
	    "escape then unescape is not the value");

	/* As a raw field. */
	value.len = raw.len = again.len = 0;
	unescape(p, size, &value);
	fuzz_assert(value.len <= size, "unescaping made a field longer");
	plain_unescape(p, size, &plain);
	fuzz_assert(buf_equal(&plain, &value), "unescape differs from the plain reading");
	escape(value.p, value.len, &raw);
	unescape(raw.p, raw.len, &again);
	fuzz_assert(buf_equal(&again, &value), "a value escaped again reads otherwise");

	canon.len = again.len = 0;
	field_canonical(p, size, &canon);
	unescape(canon.p, canon.len, &again);
	fuzz_assert(buf_equal(&again, &value), "the canonical form spells another value");
	buf_free(&plain);
	return 0;
}
