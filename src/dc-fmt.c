/* dc-fmt: render records as Vietnamese text, or as an aligned table.
 * See dc-fmt(1). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "number.h"
#include "registry.h"
#include "fmt_template.h"

struct options {
	const char *text, *file;        /* -t TEMPLATE, -f TEMPLATE_FILE */
	char *header, *footer;          /* unescaped */
	const char *schema;             /* -s: --table labels, types */
	int table;
	int show_cccd;                  /* --table: ID numbers in full */
	struct view view;
};

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

/* -t and --header/--footer text: the record format's escapes apply. */
static char *
unescaped(const char *s)
{
	struct buf b = { 0 };

	unescape(s, strlen(s), &b);
	return (char *)buf_cstr(&b);
}

/* A -t template is one line, unescaped; a -f file is used as is. */
static char *
template_text(const struct options *o)
{
	struct buf b = { 0 };

	if (o->file)
		return read_text_file(o->file);
	unescape(o->text, strlen(o->text), &b);
	buf_putc(&b, '\n');
	return (char *)buf_cstr(&b);
}

/* ---- writing ---- */

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

/* Without --table: stream, one record at a time, each written only
 * when whole: a value a filter cannot take stops the output at the end
 * of the record before, not in the middle of its own. */
static void
print_records(struct fmt_template *t, struct reader *rd,
    const struct options *o)
{
	struct buf text = { 0 };
	struct record *r;

	reader_prepare(rd);
	put_line(o->header);
	while ((r = reader_next(rd))) {
		text.len = 0;
		fmt_template_render(t, r, &text);
		out_write(text.p, text.len);
	}
	put_line(o->footer);
	buf_free(&text);
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
	struct fmt_template *t = NULL;
	struct reader rd;
	char *text = NULL;

	dc_setprog(argv[0]);
	parse_options(argc, argv, &o);
	if (!o.table) {
		text = template_text(&o);
		t = fmt_template_new();
		fmt_template_parse(t, text);
	}
	reader_open(&rd, argc - optind, argv + optind, &o.view);
	if (o.table) {
		print_table(&rd, &o);
	} else {
		fmt_template_resolve(t, &rd.in.hdr);
		print_records(t, &rd, &o);
	}
	out_flush();
	reader_close(&rd);
	fmt_template_free(t);
	free(text);
	free(o.header);
	free(o.footer);
	return 0;
}
