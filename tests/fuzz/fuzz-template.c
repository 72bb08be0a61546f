/* fuzz-template: dc-fmt's templates (fmt_template.c) over arbitrary
 * bytes.  An input is a template (as dc-fmt -f reads it), then, after a
 * NUL byte, more records, one a line, of the fields below.  The
 * template is parsed, resolved against the header and rendered for
 * every record.  An error (die) returns through dc_exit_hook: in the
 * template it ends the input, in a record that record, and it must
 * leave nothing allocated. */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_template.h"
#include "text.h"

static char *names[] = { "n", "v", "name", "date", "cccd", "id" };
enum { NF = sizeof names / sizeof *names };

/* Values for each filter to take and to refuse. */
static const char *const records[] = {
	"12\t1234567.5\tNguyễn Văn An\t2024-12-14\t012345678901\tP000001",
	"-7\t0,5\tTRẦN thị bình\\tx\t2024-02-30\t\t",
	"1000000000000000000000\t12%\t\\\\\\n\t14/12/2024\tabc\tP1",
	"\t\t\t\t\t",
	"0\t-0.000\tđ\\\t0000-00-00\t9\tZ",
};

static jmp_buf back;

static void
longjmp_back(int status)
{
	(void)status;
	longjmp(back, 1);
}

/* The line p[0..n) as a record of NF fields, or 0 when the reader
 * would refuse it. */
static int
make_record(struct record *r, struct field *fields, const char *p, size_t n,
    long lineno)
{
	size_t i, tabs = 0, bad;
	const char *why;

	for (i = 0; i < n; i++)
		if (p[i] == '\t')
			tabs++;
		else if (p[i] == '\r')
			return 0;
	if (tabs != NF - 1 || !utf8_check(p, n, &bad, &why))
		return 0;
	memset(r, 0, sizeof *r);
	r->line = p;
	r->len = n;
	r->file = "fuzz";
	r->lineno = lineno;
	r->nfields = NF;
	r->fields = fields;
	return 1;
}

/* Render one record; an error ends this record only.  What is written
 * of UTF-8 values through a UTF-8 template must be UTF-8. */
static void
render_one(struct fmt_template *t, const char *p, size_t n, long lineno,
    struct buf *out)
{
	struct field fields[NF];
	struct record r;
	const char *why;
	size_t bad;

	if (!make_record(&r, fields, p, n, lineno))
		return;
	out->len = 0;
	if (setjmp(back) != 0)
		return;
	fmt_template_render(t, &r, out);
	if (!utf8_check(out->p, out->len, &bad, &why))
		abort();
}

static void
render_all(struct fmt_template *t, const char *more, size_t n, struct buf *out)
{
	const char *end = more + n, *nl;
	size_t i;
	long lineno = 2;

	for (i = 0; i < sizeof records / sizeof *records; i++, lineno++)
		render_one(t, records[i], strlen(records[i]), lineno, out);
	for (; more < end; more = nl + 1, lineno++) {
		if (!(nl = memchr(more, '\n', (size_t)(end - more))))
			nl = end;
		render_one(t, more, (size_t)(nl - more), lineno, out);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fmt_template *volatile t;
	static struct buf out;
	struct header h = { 0 };
	const char *why;
	const uint8_t *nul = memchr(data, 0, size);
	size_t len = nul ? (size_t)(nul - data) : size, bad;
	char *text;

	progname = "fuzz-template";
	dc_exit_hook = longjmp_back;
	/* dc-fmt refuses a template that is not UTF-8. */
	if (!utf8_check((const char *)data, len, &bad, &why))
		return 0;
	text = xstrndup((const char *)data, len);
	h.n = NF;
	h.names = names;
	out.len = 0;
	t = fmt_template_new();
	if (setjmp(back) == 0) {
		fmt_template_parse(t, text);
		fmt_template_resolve(t, &h);
		render_all(t, nul ? (const char *)nul + 1 : "",
		    nul ? size - len - 1 : 0, &out);
	}
	fmt_template_free(t);
	t = NULL;
	free(text);
	return 0;
}
