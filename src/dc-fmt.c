/* dc-fmt: render records as Vietnamese text, or as an aligned table.
 * See dc-fmt(1). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "number.h"
#include "registry.h"

/* The template is parsed once into pieces: literal text, or a field
 * reference with its filters.  Rendering a record only walks them. */
struct piece {
	const char *text;               /* literal, or the field name */
	size_t len;
	int field;                      /* -1 for literal text */
	const struct filter **filters;
	int nfilters;
};

struct template {
	struct piece *pieces;
	int n;
};

struct options {
	const char *text, *file;        /* -t TEMPLATE, -f TEMPLATE_FILE */
	char *header, *footer;          /* unescaped */
	const char *schema;             /* -s: --table labels, types */
	int table;
	int show_cccd;                  /* --table: ID numbers in full */
	struct view view;
};

/* The value under a filter chain; two buffers used in turn, so that
 * rendering allocates nothing once they have grown. */
struct value {
	struct buf cur, next;
};


/* The filter name[0..len) in the reference ref[0..reflen). */
static const struct filter *
filter_named(const char *name, size_t len, const char *ref, size_t reflen)
{
	struct buf list = { 0 };
	const struct filter *f = filter_find(name, len);

	if (f)
		return f;
	filter_names(&list, ", ");
	die("unknown filter '%.*s' in %.*s; the filters are: %s", (int)len, name,
	    (int)reflen, ref, buf_cstr(&list));
	return NULL;
}

static void
usage(FILE *fp, int status)
{
	struct buf names = { 0 };

	filter_names(&names, " ");
	fprintf(fp,
	    "usage: dc-fmt (-t TEMPLATE | -f TEMPLATE_FILE) [--header TEXT] "
	    "[--footer TEXT] [FILE...]\n"
	    "       dc-fmt --table [-s SCHEMA] [--show-cccd] [--header TEXT] "
	    "[--footer TEXT] [FILE...]\n"
	    "Write each record through a template, or the records as a table.\n"
	    "  -t TEMPLATE   the text for each record, then a newline\n"
	    "  -f TEMPLATE_FILE  the text for each record, from a file as it is\n"
	    "  --header TEXT  a line before the records\n"
	    "  --footer TEXT  a line after the records\n"
	    "  --table       an aligned table headed by the schema's labels\n"
	    "  -s SCHEMA     the schema of --table's labels and column types\n"
	    "  --show-cccd   with --table: national ID numbers in full\n"
	    "%s"
	    "  -h, --help    print this help and exit\n"
	    "  --version     print the version and exit\n"
	    "In a template {field} is a value, {field|filter|...} a value through\n"
	    "filters: %s.\n"
	    "{{ and }} are braces; in -t, --header and --footer \\n is a newline,\n"
	    "\\t a TAB and \\\\ a backslash.\n"
	    "A history (fields id and date) is shown as its state today.\n",
	    view_usage, buf_cstr(&names));
	buf_free(&names);
	dc_exit(status);
}

/* ---- the template ---- */

static struct piece *
add_piece(struct template *t, const char *text, size_t len, int field)
{
	struct piece *p;

	t->pieces = xrealloc(t->pieces, sizeof *p * (size_t)(t->n + 1));
	p = &t->pieces[t->n++];
	memset(p, 0, sizeof *p);
	p->text = text;
	p->len = len;
	p->field = field;
	return p;
}

/* "{name|f|g}" starting at s: the reference's piece; returns the end. */
static const char *
parse_reference(struct template *t, const char *s)
{
	const char *end = strchr(s, '}'), *bar;
	struct piece *p;

	if (!end)
		die("unclosed '{' in template");
	bar = memchr(s + 1, '|', (size_t)(end - s - 1));
	/* Field 0 marks a reference until template_resolve finds the
	 * name's column: the header is not read yet. */
	p = add_piece(t, xstrndup(s + 1, (size_t)((bar ? bar : end) - s - 1)), 0, 0);
	while (bar) {
		const char *name = bar + 1;

		bar = memchr(name, '|', (size_t)(end - name));
		p->filters = xrealloc(p->filters, sizeof *p->filters *
		    (size_t)(p->nfilters + 1));
		p->filters[p->nfilters++] = filter_named(name,
		    (size_t)((bar ? bar : end) - name), s, (size_t)(end - s + 1));
	}
	return end + 1;
}

/* Text is NUL-terminated and stays allocated: literal pieces point
 * into it.  Field names are resolved later, against the header. */
static void
template_parse(struct template *t, const char *s)
{
	while (*s) {
		size_t lit = strcspn(s, "{}");

		if (lit > 0)
			add_piece(t, s, lit, -1);
		s += lit;
		if (*s == '\0')
			break;
		if (s[1] == s[0]) {
			add_piece(t, s, 1, -1);
			s += 2;
		} else if (*s == '}') {
			die("unmatched '}' in template (write '}}' for a brace)");
		} else {
			s = parse_reference(t, s);
		}
	}
}

static void
template_free(struct template *t)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (t->pieces[i].field >= 0) {
			free((char *)t->pieces[i].text);
			free(t->pieces[i].filters);
		}
	free(t->pieces);
}

static void
template_resolve(struct template *t, const struct header *h)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (t->pieces[i].field >= 0)
			t->pieces[i].field = header_need(h, t->pieces[i].text);
}

/* -t and --header/--footer text: the record format's escapes apply. */
static char *
unescaped(const char *s)
{
	struct buf b = { 0 };

	unescape(s, strlen(s), &b);
	return (char *)buf_cstr(&b);
}

/* ---- rendering ---- */

static void
render_field(const struct piece *p, struct record *r, struct value *v)
{
	const struct field *f = record_field(r, p->field);
	struct buf swap;
	const char *why;
	int i;

	v->cur.len = 0;
	unescape(f->p, f->len, &v->cur);
	/* An empty value is a missing one: every filter leaves it empty. */
	for (i = 0; i < p->nfilters && v->cur.len > 0; i++) {
		v->next.len = 0;
		why = p->filters[i]->fn(v->cur.p, v->cur.len, &v->next);
		if (why)
			die_at(r->file, r->lineno, "filter '%s': '%s' %s",
			    p->filters[i]->name, buf_cstr(&v->cur), why);
		swap = v->cur;
		v->cur = v->next;
		v->next = swap;
	}
	out_write(v->cur.p, v->cur.len);
}

static void
render(const struct template *t, struct record *r, struct value *v)
{
	int i;

	for (i = 0; i < t->n; i++) {
		if (t->pieces[i].field < 0)
			out_write(t->pieces[i].text, t->pieces[i].len);
		else
			render_field(&t->pieces[i], r, v);
	}
}

static void
put_line(const char *text)
{
	if (!text)
		return;
	out_puts(text);
	out_putc('\n');
}

/* ---- --table ---- */

/* The labels row: the schema's labels where one is known (-s, or the
 * schema beside a single file), else the field names.  Marks in
 * masked[] the columns of national ID numbers to mask: those the
 * schema types cccd, or, where it does not describe a column, those
 * named cccd. */
static void
add_labels(struct grid *g, const struct input *in, const struct options *o,
    int *masked)
{
	struct schema s = { 0 };
	int known = 0, i, k;

	if (o->schema || (in->nfiles == 1 && strcmp(in->files[0], "-") != 0))
		known = schema_find(in->files[0], o->schema, &s);
	for (i = 0; i < in->hdr.n; i++) {
		const char *label = in->hdr.names[i];

		k = known ? schema_index(&s, label) : -1;
		masked[i] = !o->show_cccd && (k >= 0 ? s.f[k].type == T_CCCD :
		    strcmp(label, "cccd") == 0);
		if (k >= 0 && s.f[k].label && s.f[k].label[0])
			label = s.f[k].label;
		grid_add(g, label, strlen(label));
	}
	if (known)
		schema_free(&s);
}

static void
add_records(struct grid *g, struct reader *rd, const int *masked)
{
	struct buf v = { 0 };
	struct record *r;
	int i;

	while ((r = reader_next(rd)))
		for (i = 0; i < rd->in.hdr.n; i++) {
			const struct field *f = record_field(r, i);

			v.len = 0;
			unescape(f->p, f->len, &v);
			if (masked[i])
				mask_id(v.p, v.len);
			grid_add(g, v.p, v.len);
		}
	buf_free(&v);
}

/* The whole input first: the widest cell sets a column's width. */
static void
print_table(struct reader *rd, const struct options *o)
{
	struct grid g;
	int *masked = xmalloc(sizeof *masked * (size_t)rd->in.hdr.n);

	grid_init(&g, rd->in.hdr.n);
	add_labels(&g, &rd->in, o, masked);
	add_records(&g, rd, masked);
	put_line(o->header);
	grid_write(&g);
	put_line(o->footer);
	grid_free(&g);
	free(masked);
}

/* Without --table: stream, one record at a time. */
static void
print_records(const struct template *t, struct reader *rd,
    const struct options *o)
{
	struct value v = { { 0 }, { 0 } };
	struct record *r;

	reader_prepare(rd);
	put_line(o->header);
	while ((r = reader_next(rd)))
		render(t, r, &v);
	put_line(o->footer);
	buf_free(&v.cur);
	buf_free(&v.next);
}

/* ---- main ---- */

static void
parse_options(int argc, char **argv, struct options *o)
{
	enum {
		OPT_HEADER = 0x200, OPT_FOOTER, OPT_TABLE, OPT_SHOW_CCCD,
		OPT_HELP, OPT_VERSION
	};
	static const struct option longopts[] = {
		{ "header", required_argument, NULL, OPT_HEADER },
		{ "footer", required_argument, NULL, OPT_FOOTER },
		{ "table", no_argument, NULL, OPT_TABLE },
		{ "show-cccd", no_argument, NULL, OPT_SHOW_CCCD },
		{ "asof", required_argument, NULL, VIEW_ASOF },
		{ "history", no_argument, NULL, VIEW_HISTORY },
		{ "part", required_argument, NULL, VIEW_PART },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:f:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': o->text = optarg; break;
		case 'f': o->file = optarg; break;
		case 's': o->schema = optarg; break;
		case OPT_HEADER: o->header = unescaped(optarg); break;
		case OPT_FOOTER: o->footer = unescaped(optarg); break;
		case OPT_TABLE: o->table = 1; break;
		case OPT_SHOW_CCCD: o->show_cccd = 1; break;
		case 'h':
		case OPT_HELP: usage(stdout, 0); break;
		case OPT_VERSION: print_version(); exit(0);
		case '?':
		case ':': option_error(c, argv, longopts); break;
		default: view_option(&o->view, c, optarg);
		}
	}
	/* Exactly one of -t, -f and --table says what a record becomes. */
	if ((o->text != NULL) + (o->file != NULL) + o->table != 1)
		usage_error("give one of -t, -f or --table");
	/* A template shows what its author asked for: {cccd} or {cccd|mask}. */
	if (o->show_cccd && !o->table)
		usage_error("--show-cccd goes with --table");
	if (o->schema && !o->table)
		usage_error("-s goes with --table");
}

int
main(int argc, char **argv)
{
	struct options o = { 0 };
	struct template t = { 0 };
	struct reader rd;
	char *text = NULL;

	dc_setprog(argv[0]);
	parse_options(argc, argv, &o);
	if (!o.table) {
		/* A -t template is one line; a -f file is used as is. */
		text = o.text ? unescaped(o.text) : read_text_file(o.file);
		template_parse(&t, text);
		if (o.text)
			add_piece(&t, "\n", 1, -1);
	}
	reader_open(&rd, argc - optind, argv + optind, &o.view);
	if (o.table) {
		print_table(&rd, &o);
	} else {
		template_resolve(&t, &rd.in.hdr);
		print_records(&t, &rd, &o);
	}
	out_flush();
	reader_close(&rd);
	template_free(&t);
	free(text);
	free(o.header);
	free(o.footer);
	return 0;
}
