/* dc-check: audit registries against their schemas.  See dc-check(1). */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "number.h"
#include "text.h"
#include "registry.h"

static char today_text[11];
static int future_ok;                   /* --future */

/* The audit of one file. */
struct check {
	const char *name;               /* as shown in messages */
	struct schema schema;
	int has_schema;
	int *field_of;                  /* header column -> schema field or -1 */
	int ncols, id_col, date_col, note_col;
	uint32_t today;                 /* as a date_key */
	struct id_rules rules;          /* one record per id and date, ... */
	struct table earliest;          /* id -> date_key of its earliest
	                                 * record that is not an end record */
	struct buf value, nfc, id, date, msg, quote;
	long problems;
};

static const char usage_text[] =
    "usage: dc-check [-s SCHEMA] [--future] [FILE...]\n"
    "Report every problem of the registries FILE (default: standard\n"
    "input), one per line as FILE:LINE: message, in file order.\n"
    "  -s, --schema SCHEMA  check against SCHEMA instead of FILE's own\n"
    "                       (people.tsv -> people.schema beside it)\n"
    "      --future         records dated after today are no problem\n"
    "  -h, --help           print this help and exit\n"
    "      --version        print the version and exit\n"
    "Exit status: 0 clean, 1 problems found, 2 a file unreadable or an\n"
    "error.\n";

static void
usage(void)
{
	fputs(usage_text, stdout);
	dc_exit(0);
}

/* One problem line on standard output.  Line 0 is a problem of the
 * whole file (an empty file has no line to point at). */
static void
report(struct check *c, long line, const char *fmt, ...)
{
	va_list ap;

	c->msg.len = 0;
	if (line > 0)
		buf_printf(&c->msg, "%s:%ld: ", c->name, line);
	else
		buf_printf(&c->msg, "%s: ", c->name);
	va_start(ap, fmt);
	buf_vprintf(&c->msg, fmt, ap);
	va_end(ap);
	buf_putc(&c->msg, '\n');
	out_write(c->msg.p, c->msg.len);
	c->problems++;
}

static const char *
ordinal(long n, char tmp[32])
{
	static const char *const words[] = { "first", "second", "third" };
	const char *suffix = "th";

	if (n >= 1 && n <= 3)
		return words[n - 1];
	if (n % 100 < 11 || n % 100 > 13)
		suffix = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" :
		    n % 10 == 3 ? "rd" : "th";
	snprintf(tmp, 32, "%ld%s", n, suffix);
	return tmp;
}

/* The header must list the schema's fields in the schema's order.  The
 * values of the fields both know are checked even when it does not. */
static void
check_header(struct check *c, const struct header *h)
{
	const struct schema *s = &c->schema;
	long before = c->problems;
	int i, col, in_order = h->n == s->n;

	c->ncols = h->n;
	c->field_of = xmalloc(sizeof(int) * (size_t)h->n);
	for (col = 0; col < h->n; col++) {
		i = c->field_of[col] = schema_index(s, h->names[col]);
		if (i < 0)
			report(c, 1, "header: field '%s' is not in the schema %s",
			    h->names[col], s->file);
		if (i != col)
			in_order = 0;
	}
	/* By name, as every tool finds them (see dc-format(5)); their
	 * values are checked against their types like any other. */
	c->id_col = header_index(h, "id");
	c->date_col = header_index(h, "date");
	if (c->id_col >= 0 && c->field_of[c->id_col] < 0)
		c->id_col = -1;
	if (c->date_col >= 0 && c->field_of[c->date_col] < 0)
		c->date_col = -1;
	c->note_col = header_index(h, "note");
	for (i = 0; i < s->n; i++)
		if (header_index(h, s->f[i].name) < 0)
			report(c, 1, "header: field '%s' of the schema %s is missing",
			    s->f[i].name, s->file);
	if (!in_order && c->problems == before)
		report(c, 1, "header: the fields are not in the order of the schema %s",
		    s->file);
}

/* The unescaped value of column col in b; 1 when it is present and
 * valid for its type. */
static int
good_value(struct check *c, struct record *r, int col, struct buf *b)
{
	const struct field *f = record_field(r, col);
	const struct schema_field *sf = &c->schema.f[c->field_of[col]];

	b->len = 0;
	unescape(f->p, f->len, b);
	return b->len > 0 && !value_problem(sf, b->p, b->len);
}

/* 1 when the value in c->value is not what dc-add stores: decomposed
 * letters (NFD) look the same but match nothing byte for byte.  Its
 * NFC form is left in c->nfc. */
static int
is_decomposed(struct check *c)
{
	c->nfc.len = 0;
	vn_nfc(c->value.p, c->value.len, &c->nfc);
	return c->nfc.len != c->value.len ||
	    memcmp(c->nfc.p, c->value.p, c->value.len) != 0;
}

/* Whether r ends its id (the readers' rule): then only its id and date
 * are required. */
static int
ends_id(struct check *c, struct record *r)
{
	return c->id_col >= 0 && c->date_col >= 0 &&
	    is_end_record(r, c->id_col, c->date_col, c->note_col);
}

static void
check_values(struct check *c, struct record *r)
{
	const char *why;
	int col, end = ends_id(c, r);

	for (col = 0; col < c->ncols; col++) {
		const struct field *f = record_field(r, col);
		const struct schema_field *sf;

		if (c->field_of[col] < 0)
			continue;
		sf = &c->schema.f[c->field_of[col]];
		c->value.len = 0;
		unescape(f->p, f->len, &c->value);
		if (c->value.len == 0 && sf->required &&
		    (!end || col == c->id_col || col == c->date_col)) {
			report(c, r->lineno, "field '%s': required but empty", sf->name);
			continue;
		}
		/* An enum value that is only decomposed gets this message
		 * alone, not a confusing "is not one of" the same letters. */
		if (is_decomposed(c)) {
			report(c, r->lineno, "field '%s': '%s' is in decomposed "
			    "Unicode (NFD); dc-add stores NFC", sf->name,
			    quote_value(f->p, f->len, &c->quote));
			c->value.len = 0;
			buf_put(&c->value, c->nfc.p, c->nfc.len);
		}
		if ((why = value_problem(sf, c->value.p, c->value.len)))
			report(c, r->lineno, "field '%s': '%s' %s", sf->name,
			    quote_value(f->p, f->len, &c->quote), why);
	}
}

/* The rules of a history (registry.c): one record of an id per date,
 * since two on one day leave the state of that day undecided; one id
 * per cccd, since a national ID belongs to one person (one under two
 * ids is a person registered twice or a mistyped number: each other id
 * is reported once, at its first record). */
static void
check_id_date(struct check *c, struct record *r)
{
	long count, first;
	char tmp[32];

	count = rules_date(&c->rules, c->id.p, c->id.len, c->date.p,
	    c->date.len, r->lineno, &first);
	if (count > 1)
		report(c, r->lineno, "id %s: %s record dated %s (first at line %ld)",
		    buf_cstr(&c->id), ordinal(count, tmp), buf_cstr(&c->date),
		    first);
}

static void
check_cccd(struct check *c, struct record *r, int col)
{
	struct field other;
	long first;

	if (!good_value(c, r, col, &c->value))
		return;
	if (rules_cccd(&c->rules, c->value.p, c->value.len, c->id.p,
	    c->id.len, r->lineno, &other, &first) == 1)
		report(c, r->lineno, "cccd %s: also recorded under %.*s (line %ld)",
		    buf_cstr(&c->value), (int)other.len, other.p, first);
}

/* A record dated after today is not in the state until that day: most
 * often a mistyped year, which would hide the id for decades. */
static void
check_future(struct check *c, struct record *r)
{
	if (date_key(c->date.p, c->date.len) > c->today)
		report(c, r->lineno, "field 'date': %s is after today (%s)",
		    buf_cstr(&c->date), today_text);
}

/* An end record ends the state the id has on its date; with no record
 * of the id dated before it (in the lines read so far), it ends
 * nothing, and is most often a mistyped id. */
static void
check_end(struct check *c, struct record *r)
{
	uint32_t date = date_key(c->date.p, c->date.len), *earliest;
	int created;
	size_t e;

	e = table_put(&c->earliest, c->id.p, c->id.len, &created);
	earliest = table_value(&c->earliest, e);
	if (!ends_id(c, r)) {
		if (*earliest == 0 || date < *earliest)
			*earliest = date;
		return;
	}
	if (*earliest == 0 || *earliest >= date)
		report(c, r->lineno, "id %s: an end record, but the id has no "
		    "record dated before %s: it ends nothing", buf_cstr(&c->id),
		    buf_cstr(&c->date));
}

static void
check_record(struct check *c, struct record *r)
{
	int col;

	if (r->bad) {
		report(c, r->lineno, "%s", r->bad);
		return;
	}
	if (!c->has_schema)
		return;
	check_values(c, r);
	if (!future_ok && c->date_col >= 0 &&
	    good_value(c, r, c->date_col, &c->date))
		check_future(c, r);
	if (c->id_col < 0 || !good_value(c, r, c->id_col, &c->id))
		return;
	if (c->date_col >= 0 && good_value(c, r, c->date_col, &c->date)) {
		check_id_date(c, r);
		check_end(c, r);
	}
	for (col = 0; col < c->ncols; col++)
		if (c->field_of[col] >= 0 &&
		    c->schema.f[c->field_of[col]].type == T_CCCD)
			check_cccd(c, r, col);
}

static void
note_no_schema(const char *file, const char *name)
{
	char *path;

	if (strcmp(file, "-") == 0) {
		warn("%s: no schema (give one with -s): checked the format only",
		    name);
		return;
	}
	path = schema_path_for(file);
	warn("%s: no schema (%s): checked the format only", name, path);
	free(path);
}

static void
check_free(struct check *c)
{
	if (c->has_schema)
		schema_free(&c->schema);
	free(c->field_of);
	rules_free(&c->rules);
	table_free(&c->earliest);
	buf_free(&c->value);
	buf_free(&c->nfc);
	buf_free(&c->quote);
	buf_free(&c->id);
	buf_free(&c->date);
	buf_free(&c->msg);
}

/* Read under the lock, so no dc-add is at work: a journal there is
 * what one left when it was stopped.  Reported, never undone here: an
 * auditor's tool changes nothing. */
static void
report_journal(struct check *c, const struct input *in)
{
	struct stat st;

	if (in->journal < 0) {
		report(c, 0, "a journal left by a dc-add stopped before it wrote "
		    "anything; dc-add --recover %s removes it", c->name);
		return;
	}
	if (fstat(in->fd, &st) == 0 && st.st_size > in->cut.length)
		report(c, 0, "the %jd bytes after byte %jd are a batch that was "
		    "cut off: not checked, not committed; dc-add --recover %s "
		    "removes them", (intmax_t)(st.st_size - in->cut.length),
		    (intmax_t)in->cut.length, c->name);
	else
		report(c, 0, "a journal left by a dc-add stopped before it "
		    "appended anything; dc-add --recover %s removes it", c->name);
}

/* 0 clean, 1 problems found, 2 unreadable. */
static int
check_file(char *file, const char *schema_path)
{
	char *files[] = { file, NULL };
	struct check c = { 0 };
	struct input in;
	struct record *r;
	int status;

	input_open(&in, 1, files, BAD_KEEP_QUIET);
	if (in.unreadable) {
		input_close(&in);
		return 2;
	}
	c.name = in.name;
	c.today = date_key(today_text, 10);
	rules_init(&c.rules);
	table_init(&c.earliest, sizeof(uint32_t));
	c.has_schema = schema_find(file, schema_path, &c.schema);
	if (!c.has_schema)
		note_no_schema(file, in.name);
	if (in.journal)
		report_journal(&c, &in);
	if (!in.had_header)
		report(&c, in.header_line, "%s", in.header_problem);
	else if (c.has_schema)
		check_header(&c, &in.hdr);
	while ((r = input_next(&in)))
		check_record(&c, r);
	status = c.problems > 0;
	check_free(&c);
	input_close(&in);
	return status;
}

int
main(int argc, char **argv)
{
	enum { OPT_FUTURE = 0x100, OPT_VERSION };
	static const struct option longopts[] = {
		{ "schema", required_argument, NULL, 's' },
		{ "future", no_argument, NULL, OPT_FUTURE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	static char *std_in[] = { "-", NULL };
	const char *schema_path = NULL;
	char **files;
	int c, status = 0;

	dc_setprog(argv[0]);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': schema_path = optarg; break;
		case OPT_FUTURE: future_ok = 1; break;
		case 'h': usage(); break;
		case OPT_VERSION: print_version(); return 0;
		default: option_error(c, argv, longopts);
		}
	}
	/* A mistyped DC_TODAY is an error up front, not after a report. */
	today(today_text);
	files = optind < argc ? argv + optind : std_in;
	for (; *files; files++) {
		c = check_file(*files, schema_path);
		if (c > status)
			status = c;
	}
	out_flush();
	return status;
}
