/* dc-grep: select records by field expressions.  See dc-grep(1). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parallel.h"
#include "record.h"
#include "registry.h"
#include "select.h"

struct grep {
	struct selection *sel;
	int invert, count_only, fold, text_order;
	struct schema schema;
	int has_schema;
	struct reader *rd;
	struct par par;
};

/* Long options without a short one; above any character and the
 * reader's VIEW_* values. */
enum { OPT_TEXT_ORDER = 0x200, OPT_VERSION };

static const char shortopts[] = "-:chij:vs:";

static const struct option longopts[] = {
	{ "asof", required_argument, NULL, VIEW_ASOF },
	{ "history", no_argument, NULL, VIEW_HISTORY },
	{ "part", required_argument, NULL, VIEW_PART },
	{ "count", no_argument, NULL, 'c' },
	{ "ignore-case", no_argument, NULL, 'i' },
	{ "invert-match", no_argument, NULL, 'v' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "schema", required_argument, NULL, 's' },
	{ "text-order", no_argument, NULL, OPT_TEXT_ORDER },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: dc-grep [-civ] [-j N] [-s SCHEMA] [--text-order] "
	    "[--asof DATE | --history]\n"
	    "               [--part K/N] [EXPR...] [--] [FILE...]\n"
	    "Write the header and the records for which every EXPR holds (all\n"
	    "of them when there is no EXPR).  EXPR is FIELD=V, FIELD!=V,\n"
	    "FIELD~ERE, FIELD!~ERE, FIELD<V, FIELD<=V, FIELD>V or FIELD>=V.\n"
	    "A history (fields id and date) is read as its state today.\n"
	    "Options may stand anywhere before --; what follows -- is files.\n"
	    "  -c, --count   print only the number of selected records\n"
	    "  -i, --ignore-case\n"
	    "                ignore case and Vietnamese marks: "
	    "ngoc lu = Ngọc Lũ\n"
	    "  -v, --invert-match\n"
	    "                select the records that do not match\n"
	    "%s"
	    "  -s, --schema SCHEMA\n"
	    "                check the expressions against SCHEMA (default:\n"
	    "                NAME.schema beside the first FILE, NAME.tsv)\n"
	    "  --text-order  let < <= > >= compare text, byte by byte\n"
	    "%s"
	    "  -h, --help    print this help\n"
	    "  --version     print the version\n", jobs_usage, view_usage);
	dc_exit(status);
}

/* The schema the expressions are checked against: the one given, or the
 * one beside the first file. */
static void
find_schema(struct grep *g, const char *path, char **files, int nfiles)
{
	if (path)
		g->has_schema = schema_find(NULL, path, &g->schema);
	else if (nfiles > 0 && strcmp(files[0], "-") != 0)
		g->has_schema = schema_find(files[0], NULL, &g->schema);
}

static long
grep_stream(struct grep *g, struct reader *rd)
{
	struct record *r;
	long hits = 0;

	/* Every line selected holds the needle: the reader may pass over
	 * the rest. */
	if (!g->invert)
		reader_want(rd, selection_needle(g->sel));
	while ((r = reader_next(rd))) {
		if (selection_holds(g->sel, r) == g->invert)
			continue;
		hits++;
		if (!g->count_only)
			record_write(r);
	}
	return hits;
}

/* A worker of -j N: its records go to its output, or its count to
 * the parent. */
static void
grep_part(void *ctx)
{
	struct grep *g = ctx;

	g->par.res[g->par.self].count = grep_stream(g, g->rd);
}

/* The workers' records, in input order; returns how many were
 * selected. */
static long
grep_parts(struct grep *g)
{
	char block[1 << 16];
	long hits = 0;
	ssize_t n;
	int k;

	for (k = 0; k < g->par.n; k++) {
		hits += (long)g->par.res[k].count;
		if (g->count_only)
			continue;
		while ((n = read(g->par.out[k], block, sizeof block)) > 0)
			out_write(block, (size_t)n);
		if (n < 0)
			die("temporary file: %s", strerror(errno));
	}
	return hits;
}

static void
grep_free(struct grep *g)
{
	selection_free(g->sel);
	if (g->has_schema)
		schema_free(&g->schema);
}

int
main(int argc, char **argv)
{
	struct grep g = { 0 };
	struct view view = { 0 };
	struct reader rd;
	const char *schema_path = NULL;
	char **files;
	int nfiles = 0, c, jobs = 0, parallel;
	long hits;

	dc_setprog(argv[0]);
	selection_locale();
	/* Each expression is parsed where it stands, so that a bad one is
	 * reported before what follows it; -i and --text-order, which may
	 * come after, apply to all of them. */
	g.sel = selection_new(0, 0);
	files = xmalloc(sizeof *files * (size_t)argc);
	/* '-': every argument in its place, options anywhere before "--";
	 * ':': a missing value is ours to report, as is all else. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 1:
			if (selection_is_expr(optarg))
				selection_add(g.sel, optarg, NULL);
			else
				files[nfiles++] = optarg;
			break;
		case 'c': g.count_only = 1; break;
		case 'i': g.fold = 1; break;
		case 'v': g.invert = 1; break;
		case 'j': jobs = jobs_option(optarg); break;
		case 's': schema_path = optarg; break;
		case OPT_TEXT_ORDER: g.text_order = 1; break;
		case 'h': usage(stdout, 0); break;
		case OPT_VERSION: print_version(); dc_exit(0); break;
		case ':': case '?': option_error(c, argv, longopts); break;
		default:
			view_option(&view, c, optarg);
		}
	}
	while (optind < argc)
		files[nfiles++] = argv[optind++];
	files[nfiles] = NULL;
	selection_flags(g.sel, g.fold, g.text_order);
	find_schema(&g, schema_path, files, nfiles);
	selection_check(g.sel, g.has_schema ? &g.schema : NULL, NULL);
	reader_open(&rd, nfiles, files, &view);
	selection_resolve(g.sel, &rd.in.hdr, NULL);
	g.rd = &rd;
	par_plan(&g.par, &rd, jobs);
	reader_prepare(&rd);
	/* The workers run before anything is written: when one fails, the
	 * one process writes it all, and reports the error. */
	parallel = par_run(&g.par, &rd, grep_part, &g);
	if (!g.count_only)
		header_write(&rd.in.hdr,
		    reader_note(&rd, selection_count(g.sel) > 0));
	hits = parallel ? grep_parts(&g) : grep_stream(&g, &rd);
	par_free(&g.par);
	if (g.count_only) {
		char num[32];

		snprintf(num, sizeof num, "%ld\n", hits);
		out_puts(num);
	}
	out_flush();
	reader_close(&rd);
	grep_free(&g);
	free(files);
	return hits > 0 ? 0 : 1;
}
