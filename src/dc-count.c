/* dc-count: count records by group, with exact sums, distinct counts
 * and shares.  See dc-count(1). */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "number.h"
#include "parallel.h"
#include "record.h"

/* Long options without a letter: values above any letter (and apart
 * from the view's), so that bad_option can tell them. */
enum { OPT_MERGE = 0x200, OPT_HELP, OPT_VERSION };

struct options {
	const char *group, *sums, *uniqs;       /* comma-separated names */
	const char *wide;
	struct view view;
	int pct, total, by_count, merge;
	int jobs;                               /* -j N; 0: the default */
};

/* --merge: a row that may be the -t total of its stream, which only
 * the rows after it can tell (see merge_record). */
struct pending {
	int held;
	struct buf line;
	struct record rec;              /* its own fields, not the input's */
};

/* --merge: the parts of a --part K/N split met so far. */
struct parts {
	int n;                          /* N; 0 before the first */
	char *seen;                     /* seen[K - 1]: part K met */
	char *first;                    /* "part K/N (FILE:LINE)" of the
	                                 * first, for messages */
};

struct counter {
	const struct options *opt;
	struct reader rd;
	int ng, *gidx;                  /* group fields */
	int first, last;                /* the fields counting asks for,
	                                 * last -1 for none */
	int ns, *sidx;                  /* summed input columns */
	const char **sname;             /* their names without "sum_" */
	size_t *decimals;               /* most decimals written, per sum */
	int nu, *uidx;                  /* -u fields */
	int countidx;                   /* --merge: the input's count column */
	int widx;                       /* -w field, or -1 */
	/* Per group: int64 count, int64 distinct[nu], decimal sums[ns]. */
	struct table groups;
	struct table *seen;             /* per -u field: group index + value */
	struct table *seen_all;         /* per -u field, with -t: value */
	struct table wvalues;           /* -w: value -> int64 count */
	struct table cells;             /* -w: group and value index -> count */
	int64_t stream_count;           /* --merge: the sum of the counts
	                                 * of the stream's rows */
	int stream_overflow;
	struct pending pending;
	struct parts parts;
	struct buf note;
	int64_t total;
	int64_t *total_distinct;
	struct decimal *total_sums;
	struct buf key, scratch;
	/* -j N: the workers, and in a worker the magnitude of what it
	 * summed (see parts_fit). */
	struct par par;
	int track;
	double magnitude;
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: dc-count [-npt] [-j N] [-g FIELD,...] [-s FIELD,...] [-u FIELD,...]\n"
	    "                [-w FIELD] [--asof DATE | --history] [--part K/N]\n"
	    "                [FILE...]\n"
	    "       dc-count --merge [-npt] [-g FIELD,...] [FILE...]\n"
	    "  -g FIELDS     one output record per group of these fields\n"
	    "  -s FIELDS     add sum_FIELD: the exact sum of each field\n"
	    "  -u FIELDS     add distinct_FIELD: the number of distinct values\n"
	    "  -p            add pct: the group's share of all records, in percent\n"
	    "  -t            add a total record (group fields hold 'total')\n"
	    "  -n            order by count, largest first\n"
	    "  -w FIELD      one column per value of FIELD, after a total column\n"
	    "%s%s"
	    "  --merge       add up dc-count outputs: all N parts of a --part K/N\n"
	    "                split, or counts of whole inputs (not of a history\n"
	    "                read from a pipe)\n"
	    "  -h, --help    print this help and exit\n"
	    "  --version     print the version and exit\n"
	    "-g, -s and -u may be repeated: their fields add up.\n"
	    "A history (fields id and date) is counted as its state today.\n",
	    jobs_usage, view_usage);
	dc_exit(status);
}

static int64_t *
group_counts(const struct counter *c, size_t g)
{
	return table_value(&c->groups, g);
}

static struct decimal *
group_sums(const struct counter *c, size_t g)
{
	return (struct decimal *)(group_counts(c, g) + 1 + c->nu);
}

/* ---- setting up ---- */

static void
setup_counting(struct counter *c)
{
	const struct header *h = &c->rd.in.hdr;
	int i, j;

	if (c->opt->group)
		c->ng = field_list(h, c->opt->group, &c->gidx, 0);
	if (c->opt->wide) {
		c->widx = header_need(h, c->opt->wide);
		/* The wide field makes columns, not groups. */
		for (i = j = 0; i < c->ng; i++)
			if (c->gidx[i] != c->widx)
				c->gidx[j++] = c->gidx[i];
		c->ng = j;
	}
	if (c->opt->sums)
		c->ns = field_list(h, c->opt->sums, &c->sidx, 0);
	c->sname = xmalloc(sizeof *c->sname * (size_t)(c->ns + 1));
	for (i = 0; i < c->ns; i++)
		c->sname[i] = h->names[c->sidx[i]];
	if (c->opt->uniqs)
		c->nu = field_list(h, c->opt->uniqs, &c->uidx, 0);
	/* The span of fields a record is asked for. */
	for (i = 0; i < c->ng; i++)
		field_span(&c->first, &c->last, c->gidx[i]);
	for (i = 0; i < c->ns; i++)
		field_span(&c->first, &c->last, c->sidx[i]);
	for (i = 0; i < c->nu; i++)
		field_span(&c->first, &c->last, c->uidx[i]);
	if (c->widx >= 0)
		field_span(&c->first, &c->last, c->widx);
}

/* The input is dc-count output: group fields, count, sum_ and pct. */
static void
setup_merging(struct counter *c)
{
	const struct header *h = &c->rd.in.hdr;
	int i;

	c->countidx = header_index(h, "count");
	if (c->countidx < 0)
		die_at(c->rd.in.name, 1, "not dc-count output: no 'count' field");
	if (c->opt->group) {
		c->ng = field_list(h, c->opt->group, &c->gidx, 0);
		for (i = 0; i < c->ng; i++)
			if (c->gidx[i] >= c->countidx)
				die("-g %s: not a group field of the merged input",
				    h->names[c->gidx[i]]);
	} else {
		c->ng = c->countidx;
		c->gidx = xmalloc(sizeof *c->gidx * (size_t)(c->ng + 1));
		for (i = 0; i < c->ng; i++)
			c->gidx[i] = i;
	}
	c->sname = xmalloc(sizeof *c->sname * (size_t)h->n);
	for (i = c->countidx + 1; i < h->n; i++) {
		const char *name = h->names[i];

		if (strncmp(name, "sum_", 4) == 0) {
			c->sidx = xrealloc(c->sidx, sizeof *c->sidx * (size_t)(c->ns + 1));
			c->sidx[c->ns] = i;
			c->sname[c->ns++] = name + 4;
		} else if (strncmp(name, "distinct_", 9) == 0) {
			die_at(c->rd.in.name, 1, "field '%s': distinct counts cannot be "
			    "merged exactly; count them in one pass", name);
		} else if (strcmp(name, "pct") != 0) {
			die_at(c->rd.in.name, 1, "field '%s' is not a dc-count column",
			    name);
		}
	}
}

static void
counter_open(struct counter *c, const struct options *opt, int nfiles,
    char **files)
{
	int j;

	memset(c, 0, sizeof *c);
	c->opt = opt;
	c->widx = -1;
	c->last = -1;
	if (opt->merge) {
		/* dc-count outputs, not a registry: no view of a history. */
		input_open(&c->rd.in, nfiles > 0, files, BAD_DIE);
		c->rd.in.repeated_headers = 1;
		setup_merging(c);
	} else {
		reader_open(&c->rd, nfiles, files, &opt->view);
		setup_counting(c);
	}
	c->decimals = calloc((size_t)c->ns + 1, sizeof *c->decimals);
	c->total_sums = calloc((size_t)c->ns + 1, sizeof *c->total_sums);
	c->total_distinct = calloc((size_t)c->nu + 1, sizeof *c->total_distinct);
	c->seen = calloc((size_t)c->nu + 1, sizeof *c->seen);
	c->seen_all = calloc((size_t)c->nu + 1, sizeof *c->seen_all);
	if (!c->decimals || !c->total_sums || !c->total_distinct || !c->seen ||
	    !c->seen_all)
		die("out of memory");
	for (j = 0; j < c->nu; j++) {
		table_init(&c->seen[j], 0);
		table_init(&c->seen_all[j], 0);
	}
	table_init(&c->groups, sizeof(int64_t) * (size_t)(1 + c->nu) +
	    sizeof(struct decimal) * (size_t)c->ns);
	table_init(&c->wvalues, sizeof(int64_t));
	table_init(&c->cells, sizeof(int64_t));
	buf_grow(&c->key, 64);
	buf_grow(&c->scratch, 64);
	c->pending.rec.fields = xmalloc(sizeof *c->pending.rec.fields *
	    (size_t)(c->rd.in.hdr.n + 1));
	/* Without -g the whole input is one group, even when empty. */
	if (c->ng == 0)
		table_put(&c->groups, c->key.p, 0, NULL);
}

/* ---- counting ---- */

/* The decimals of a number as written: "12.100" has 3, though it is
 * read as 12.1. */
static size_t
written_decimals(const char *p, size_t n)
{
	const char *point = memchr(p, '.', n);

	return point ? n - (size_t)(point - p) - 1 : 0;
}

static double
power_of_ten(int n)
{
	double p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

static void
add_sum(struct counter *c, struct record *r, size_t g, int j)
{
	const struct field *f = record_field(r, c->sidx[j]);
	struct decimal d;
	struct buf q = { 0 };
	size_t places;
	int e;

	if (f->len == 0)                /* empty counts as 0 */
		return;
	e = parse_decimal(f->p, f->len, &d);
	if (e != NUM_OK)
		die_at(r->file, r->lineno, "field '%s': '%s' %s",
		    c->rd.in.hdr.names[c->sidx[j]], quote_value(f->p, f->len, &q),
		    e == NUM_RANGE ? "is out of range" : "is not a number");
	if ((places = written_decimals(f->p, f->len)) > c->decimals[j])
		c->decimals[j] = places;
	if (c->track)
		c->magnitude += (double)(d.units < 0 ? -(double)d.units : d.units) /
		    power_of_ten(d.scale);
	e = decimal_add(&group_sums(c, g)[j], d);
	if (e == NUM_OK && c->opt->total)
		e = decimal_add(&c->total_sums[j], d);
	if (e == NUM_PRECISION)
		die_at(r->file, r->lineno, "sum of '%s' needs more digits than "
		    "int64 holds (decimals: %d)", c->sname[j],
		    d.scale > group_sums(c, g)[j].scale ? d.scale :
		    group_sums(c, g)[j].scale);
	if (e != NUM_OK)
		die_at(r->file, r->lineno, "sum of '%s' overflows", c->sname[j]);
}

/* Empty values are not counted: an unknown id is not a new one. */
static void
add_distinct(struct counter *c, struct record *r, size_t g, int j)
{
	const struct field *f = record_field(r, c->uidx[j]);
	int created;

	if (f->len == 0)
		return;
	c->scratch.len = 0;
	buf_put(&c->scratch, &g, sizeof g);
	record_canonical(r, f, &c->scratch);
	table_put(&c->seen[j], c->scratch.p, c->scratch.len, &created);
	if (created)
		group_counts(c, g)[1 + j]++;
	if (!c->opt->total)
		return;
	table_put(&c->seen_all[j], c->scratch.p + sizeof g,
	    c->scratch.len - sizeof g, &created);
	if (created)
		c->total_distinct[j]++;
}

static void
add_wide(struct counter *c, struct record *r, size_t g)
{
	const struct field *f = record_field(r, c->widx);
	size_t w, cell[2];

	c->scratch.len = 0;
	record_canonical(r, f, &c->scratch);
	w = table_put(&c->wvalues, c->scratch.p, c->scratch.len, NULL);
	(*(int64_t *)table_value(&c->wvalues, w))++;
	cell[0] = g;
	cell[1] = w;
	(*(int64_t *)table_value(&c->cells,
	    table_put(&c->cells, (const char *)cell, sizeof cell, NULL)))++;
}

static void
count_record(struct counter *c, struct record *r)
{
	size_t g, len;
	const char *key;
	int j;

	if (c->last >= 0)
		record_fields(r, c->first, c->last);
	key = group_key(r, c->gidx, c->ng, &c->key, &len);
	g = table_put(&c->groups, key, len, NULL);
	group_counts(c, g)[0]++;
	c->total++;
	for (j = 0; j < c->ns; j++)
		add_sum(c, r, g, j);
	for (j = 0; j < c->nu; j++)
		add_distinct(c, r, g, j);
	if (c->widx >= 0)
		add_wide(c, r, g);
}

/* Every group field says "total", as in a total record of -t. */
static int
looks_like_total(struct counter *c, struct record *r)
{
	const struct field *f;
	int i;

	for (i = 0; i < c->countidx; i++) {
		f = record_field(r, i);
		if (f->len != 5 || memcmp(f->p, "total", 5) != 0)
			return 0;
	}
	return c->countidx > 0;
}

static int64_t
row_count(struct counter *c, struct record *r)
{
	const struct field *f = record_field(r, c->countidx);
	struct buf q = { 0 };
	int64_t n;

	if (parse_int64(f->p, f->len, &n) != NUM_OK || n < 0)
		die_at(r->file, r->lineno, "field 'count': '%s' is not a count",
		    quote_value(f->p, f->len, &q));
	return n;
}

static void
merge_row(struct counter *c, struct record *r)
{
	int64_t n = row_count(c, r);
	size_t g, len;
	const char *key;
	int j;

	key = group_key(r, c->gidx, c->ng, &c->key, &len);
	g = table_put(&c->groups, key, len, NULL);
	if (add_int64(&group_counts(c, g)[0], n) != NUM_OK ||
	    add_int64(&c->total, n) != NUM_OK)
		die_at(r->file, r->lineno, "count overflows");
	if (add_int64(&c->stream_count, n) != NUM_OK)
		c->stream_overflow = 1;
	for (j = 0; j < c->ns; j++)
		add_sum(c, r, g, j);
}

static void
hold(struct counter *c, struct record *r)
{
	struct pending *p = &c->pending;
	struct field *fields = p->rec.fields;

	p->line.len = 0;
	buf_put(&p->line, r->line, r->len);
	p->rec = *r;
	p->rec.fields = fields;
	p->rec.line = p->line.p;
	p->rec.block_end = NULL;
	p->rec.nsplit = 0;
	p->rec.split_from = 0;
	p->held = 1;
}

/* The held row was the last of its stream: it is the stream's total
 * when its count is the sum of the rows before it; else data. */
static void
end_stream(struct counter *c)
{
	struct pending *p = &c->pending;

	if (p->held && (c->stream_overflow ||
	    row_count(c, &p->rec) != c->stream_count))
		merge_row(c, &p->rec);
	p->held = 0;
	c->stream_count = 0;
	c->stream_overflow = 0;
}

/* Whether note is "dc:part K/N" (a count of the part K of N of
 * dc-count --part); sets k and n. */
static int
part_note(const char *note, int *k, int *n)
{
	static const char prefix[] = "dc:part ";
	const char *p = note + sizeof prefix - 1;
	char *end;
	long a, b;

	if (strncmp(note, prefix, sizeof prefix - 1) != 0 ||
	    *p < '1' || *p > '9')
		return 0;
	a = strtol(p, &end, 10);
	if (*end != '/' || end[1] < '1' || end[1] > '9')
		return 0;
	b = strtol(end + 1, &end, 10);
	if (*end || a > b || b > 1000000)
		return 0;
	*k = (int)a;
	*n = (int)b;
	return 1;
}

/* A count of part K/N of a split: each K once, all of one N. */
static void
add_part(struct counter *c, const char *file, long line, int k, int n)
{
	struct parts *p = &c->parts;
	struct buf where = { 0 };

	if (p->n == 0) {
		p->n = n;
		p->seen = calloc((size_t)n, 1);
		if (!p->seen)
			die("out of memory");
		buf_printf(&where, "part %d/%d (%s:%ld)", k, n, file, line);
		p->first = (char *)buf_cstr(&where);
	}
	if (n != p->n)
		die_at(file, line, "part %d/%d is not of the split of %s: "
		    "merge the parts of one --part K/N split", k, n, p->first);
	if (p->seen[k - 1])
		die_at(file, line, "part %d/%d a second time: merge each part "
		    "once", k, n);
	p->seen[k - 1] = 1;
}

/* At the end: every part of the split must have been met. */
static void
check_parts(const struct counter *c)
{
	const struct parts *p = &c->parts;
	struct buf list = { 0 };
	int k, missing = 0;

	for (k = 1; k <= p->n; k++) {
		if (p->seen[k - 1])
			continue;
		if (++missing <= 8)
			buf_printf(&list, "%s%d/%d", missing > 1 ? ", " : "", k, p->n);
		else if (missing == 9)
			buf_puts(&list, ", ...");
	}
	if (missing)
		die("%s %s %s missing: merge every part of the split, 1/%d to "
		    "%d/%d", missing > 1 ? "parts" : "part", buf_cstr(&list),
		    missing > 1 ? "are" : "is", p->n, p->n, p->n);
}

/* A stream starts, with the note of its header: counts of a whole
 * input (no note) add up, so do the parts of one --part K/N split
 * when all are there; counts of a history read from a pipe may hold
 * blocks of a history cut apart, which cannot add up exactly. */
static void
start_stream(struct counter *c, const char *note, const char *file,
    long line)
{
	int k = 0, n = 0;

	if (!note)
		return;
	if (strcmp(note, "dc:piped") == 0)
		die_at(file, line, "cannot merge counts of a history read from a "
		    "pipe (#dc:piped): the versions of an id may have been cut "
		    "apart between blocks; count the whole registry with "
		    "--part K/N instead");
	if (!part_note(note, &k, &n))
		die_at(file, line, "the header's note '#%s' is not one of "
		    "dc-count's (#dc:part K/N, #dc:piped)", note);
	add_part(c, file, line, k, n);
}

/* A stream is one dc-count output: a file, or a part of one that
 * starts with a repeated header.  A group may truly be named "total",
 * so a row is taken for the -t total only when it is the last of its
 * stream and its count adds up the stream's. */
static void
merge_record(struct counter *c, struct record *r)
{
	const struct field *f;

	if (r->repeated_header) {       /* concatenated outputs */
		end_stream(c);
		start_stream(c, line_note(r->line, r->len, &c->note), r->file,
		    r->lineno);
		return;
	}
	if (c->pending.held) {          /* not the last: data after all */
		merge_row(c, &c->pending.rec);
		c->pending.held = 0;
	}
	f = record_field(r, c->countidx);
	if (f->len == 5 && memcmp(f->p, "count", 5) == 0)
		die_at(r->file, r->lineno, "header differs from the first input's");
	if (looks_like_total(c, r))
		hold(c, r);
	else
		merge_row(c, r);
}

static void
merge_input(struct counter *c, struct input *in)
{
	struct record *r;

	start_stream(c, in->hdr.note, in->name, in->lineno);
	while ((r = input_next(in)))
		merge_record(c, r);
	end_stream(c);
}

/* Each file is an input of its own, so that the note of every file's
 * header is seen: also of one with no rows (a part without ids). */
static void
merge_inputs(struct counter *c, int nfiles, char **files)
{
	const struct header *first = &c->rd.in.hdr;
	struct input in;
	int i;

	merge_input(c, &c->rd.in);
	for (i = 1; i < nfiles; i++) {
		input_open(&in, 1, files + i, BAD_DIE);
		in.repeated_headers = 1;
		if (in.hdr.namelen != first->namelen ||
		    memcmp(in.hdr.line, first->line, first->namelen) != 0)
			die_at(in.name, in.lineno, "header differs from the "
			    "first input's");
		merge_input(c, &in);
		input_close(&in);
	}
	if (c->parts.n)
		check_parts(c);
}

/* ---- -j N: counting with several processes ---- */

static void write_output(struct counter *c);

/* A worker: its counts, as dc-count --merge reads them (group fields,
 * count, sums with the decimals written; no total, no pct, no note). */
static void
count_part(void *ctx)
{
	static struct options part;
	struct counter *c = ctx;
	struct par_result *res = &c->par.res[c->par.self];
	struct record *r;
	int j;

	c->track = 1;
	while ((r = reader_next(&c->rd)))
		count_record(c, r);
	part = *c->opt;
	part.pct = part.total = part.by_count = 0;
	part.merge = 1;
	c->opt = &part;
	write_output(c);
	res->magnitude = c->magnitude;
	for (j = 0; j < c->ns; j++)
		if ((int)c->decimals[j] > res->places)
			res->places = (int)c->decimals[j];
}

/* Whether the parts add up exactly as one pass does: a sum of one pass
 * fails when a running sum, at the most decimals written, leaves int64;
 * no running sum is larger than the sum of the magnitudes of the values,
 * so below half of int64 none fails, nor does a sum merged.  Beyond,
 * one process counts again and says where it fails, if it does. */
static int
parts_fit(const struct counter *c)
{
	double magnitude = 0;
	int k, places = 0;

	for (k = 0; k < c->par.n; k++) {
		magnitude += c->par.res[k].magnitude;
		if (c->par.res[k].places > places)
			places = c->par.res[k].places;
	}
	return places <= 18 && magnitude * power_of_ten(places) < 4e18;
}

/* The parent: the workers' counts merged as --merge merges (merge_row),
 * their columns being the group fields, count and the sums. */
static int
merge_parts(struct counter *c)
{
	int *gidx = c->gidx, *sidx = c->sidx, k, i;
	struct record *r;
	struct input in;

	if (!parts_fit(c))
		return 0;
	c->gidx = xmalloc(sizeof *c->gidx * (size_t)(c->ng + 1));
	c->sidx = xmalloc(sizeof *c->sidx * (size_t)(c->ns + 1));
	for (i = 0; i < c->ng; i++)
		c->gidx[i] = i;
	c->countidx = c->ng;
	for (i = 0; i < c->ns; i++)
		c->sidx[i] = c->ng + 1 + i;
	for (k = 0; k < c->par.n; k++) {
		input_open_fd(&in, c->par.out[k], "(part)", BAD_DIE);
		while ((r = input_next(&in)))
			merge_row(c, r);
		input_close(&in);
	}
	free(c->gidx);
	free(c->sidx);
	c->gidx = gidx;
	c->sidx = sidx;
	return 1;
}

/* Counting with -j N when the input and the options allow it (not -u,
 * whose distinct values do not add up, nor -w); else in one pass. */
static void
count_input(struct counter *c)
{
	struct record *r;

	par_plan(&c->par, &c->rd, c->nu || c->widx >= 0 ? 1 : c->opt->jobs);
	reader_prepare(&c->rd);
	if (!par_run(&c->par, &c->rd, count_part, c) || !merge_parts(c))
		while ((r = reader_next(&c->rd)))
			count_record(c, r);
	par_free(&c->par);
}

/* ---- output ---- */

/* -w: a value as a column name: itself when it is a valid name, else
 * folded the way users type it, with '_' for what is not [a-z0-9]. */
static char *
wide_column_name(const struct counter *c, const char *raw, size_t n)
{
	struct buf value = { 0 }, folded = { 0 }, name = { 0 };
	size_t i;

	if (n == 0)
		return xstrdup("empty");
	unescape(raw, n, &value);
	vn_fold(value.p, value.len, &folded);
	for (i = 0; i < folded.len; i++) {
		char ch = folded.p[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			buf_putc(&name, ch);
		else if (name.len > 0 && name.p[name.len - 1] != '_')
			buf_putc(&name, '_');
	}
	while (name.len > 0 && name.p[name.len - 1] == '_')
		name.len--;
	if (name.len == 0 || name.p[0] < 'a' || name.p[0] > 'z')
		die("-w %s: value '%s' cannot be a column name", c->opt->wide,
		    quote_value(raw, n, &value));
	buf_free(&value);
	buf_free(&folded);
	return (char *)buf_cstr(&name);
}

static void
write_header(struct counter *c, const size_t *worder)
{
	char **names = xmalloc(sizeof *names * (size_t)(c->ng + c->ns + c->nu +
	    c->wvalues.n + 3));
	int n = 0, i;
	size_t w, len;

	for (i = 0; i < c->ng; i++)
		names[n++] = xstrdup(c->rd.in.hdr.names[c->gidx[i]]);
	if (c->widx >= 0) {
		names[n++] = xstrdup("total");
		for (w = 0; w < c->wvalues.n; w++) {
			const char *key = table_key(&c->wvalues, worder[w], &len);

			names[n++] = wide_column_name(c, key, len);
		}
	} else {
		names[n++] = xstrdup("count");
	}
	for (i = 0; i < c->ns; i++) {
		names[n] = xmalloc(strlen(c->sname[i]) + 5);
		sprintf(names[n++], "sum_%s", c->sname[i]);
	}
	for (i = 0; i < c->nu; i++) {
		names[n] = xmalloc(strlen(c->rd.in.hdr.names[c->uidx[i]]) + 10);
		sprintf(names[n++], "distinct_%s", c->rd.in.hdr.names[c->uidx[i]]);
	}
	if (c->opt->pct)
		names[n++] = xstrdup("pct");
	header_check_unique(names, n);
	for (i = 0; i < n; i++) {
		if (i)
			out_putc('\t');
		out_puts(names[i]);
		free(names[i]);
	}
	/* Merged counts are whole (the merge refuses what is not). */
	out_note(c->opt->merge ? NULL : reader_count_note(&c->rd));
	out_putc('\n');
	free(names);
}

/* A sum with the most decimals written in its column, so that a
 * column reads alike in every record, and merged parts equal one pass.
 * The zeros are added as text: they need no digits of the int64. */
static void
write_sum(struct counter *c, struct decimal d, int j)
{
	size_t k;

	c->scratch.len = 0;
	decimal_format(d, &c->scratch);
	if (d.scale == 0 && c->decimals[j] > 0)
		buf_putc(&c->scratch, '.');
	for (k = (size_t)d.scale; k < c->decimals[j]; k++)
		buf_putc(&c->scratch, '0');
	out_putc('\t');
	out_write(c->scratch.p, c->scratch.len);
}

static void
write_pct(struct counter *c, int64_t count)
{
	if (!c->opt->pct)
		return;
	c->scratch.len = 0;
	percent_format(count, c->total, &c->scratch);
	out_putc('\t');
	out_write(c->scratch.p, c->scratch.len);
}

static void
write_cells(struct counter *c, const size_t *worder, long g)
{
	size_t w, cell[2];
	long i;

	for (w = 0; w < c->wvalues.n; w++) {
		out_putc('\t');
		if (g < 0) {
			out_int64(*(int64_t *)table_value(&c->wvalues, worder[w]));
			continue;
		}
		cell[0] = (size_t)g;
		cell[1] = worder[w];
		i = table_find(&c->cells, (const char *)cell, sizeof cell);
		out_int64(i < 0 ? 0 : *(int64_t *)table_value(&c->cells, (size_t)i));
	}
}

/* One output record; g < 0 is the total record. */
static void
write_row(struct counter *c, const size_t *worder, long g)
{
	const int64_t *counts = g < 0 ? NULL : group_counts(c, (size_t)g);
	int64_t count = g < 0 ? c->total : counts[0];
	size_t len;
	int j;

	if (g >= 0) {
		const char *key = table_key(&c->groups, (size_t)g, &len);

		out_write(key, len);
	} else {
		for (j = 0; j < c->ng; j++)
			out_puts(j ? "\ttotal" : "total");
	}
	if (c->ng > 0)
		out_putc('\t');
	out_int64(count);
	if (c->widx >= 0)
		write_cells(c, worder, g);
	for (j = 0; j < c->ns; j++)
		write_sum(c, g < 0 ? c->total_sums[j] : group_sums(c, (size_t)g)[j], j);
	for (j = 0; j < c->nu; j++) {
		out_putc('\t');
		out_int64(g < 0 ? c->total_distinct[j] : counts[1 + j]);
	}
	write_pct(c, count);
	out_putc('\n');
}

/* -n: largest count first; the sort is stable, so ties keep the
 * alphabetical order. */
static int
by_count_desc(const void *ctx, size_t a, size_t b)
{
	const struct counter *c = ctx;
	int64_t ca = group_counts(c, a)[0], cb = group_counts(c, b)[0];

	return (ca < cb) - (ca > cb);
}

static void
write_output(struct counter *c)
{
	size_t *order = group_order(&c->groups, c->ng);
	size_t *worder = group_order(&c->wvalues, 1), i;

	if (c->opt->by_count)
		sort_stable(order, c->groups.n, by_count_desc, c);
	write_header(c, worder);
	for (i = 0; i < c->groups.n; i++)
		write_row(c, worder, (long)order[i]);
	/* Without groups the one record is already the total. */
	if (c->opt->total && c->ng > 0)
		write_row(c, worder, -1);
	free(order);
	free(worder);
}

static void
list_add(struct buf *list, const char *names)
{
	if (list->len)
		buf_putc(list, ',');
	buf_puts(list, names);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "asof", required_argument, NULL, VIEW_ASOF },
		{ "history", no_argument, NULL, VIEW_HISTORY },
		{ "part", required_argument, NULL, VIEW_PART },
		{ "merge", no_argument, NULL, OPT_MERGE },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	/* Static: what they hold lives until exit, and stays reachable. */
	static struct options opt;
	static struct buf groups, sums, uniqs;
	static struct counter c;
	int ch;

	dc_setprog(argv[0]);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":g:j:s:u:w:pnth", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'g': list_add(&groups, optarg); break;
		case 's': list_add(&sums, optarg); break;
		case 'u': list_add(&uniqs, optarg); break;
		case 'w': opt.wide = optarg; break;
		case 'j': opt.jobs = jobs_option(optarg); break;
		case 'p': opt.pct = 1; break;
		case 'n': opt.by_count = 1; break;
		case 't': opt.total = 1; break;
		case OPT_MERGE: opt.merge = 1; break;
		case 'h': case OPT_HELP: usage(stdout, 0); break;
		case OPT_VERSION: print_version(); return 0;
		case ':': case '?': option_error(ch, argv, longopts); break;
		default:
			if (!view_option(&opt.view, ch, optarg))
				option_error('?', argv, longopts);
		}
	}
	opt.group = groups.len ? buf_cstr(&groups) : NULL;
	opt.sums = sums.len ? buf_cstr(&sums) : NULL;
	opt.uniqs = uniqs.len ? buf_cstr(&uniqs) : NULL;
	if (opt.merge && (opt.sums || opt.uniqs || opt.wide || opt.view.asof ||
	    opt.view.history || opt.view.nparts))
		usage_error("--merge takes its sums from the input: no -s, -u, "
		    "-w, --asof, --history or --part");
	if (opt.wide && (opt.sums || opt.uniqs))
		usage_error("-w counts only: no -s or -u");
	counter_open(&c, &opt, argc - optind, argv + optind);
	if (opt.merge) {
		merge_inputs(&c, argc - optind, argv + optind);
	} else {
		count_input(&c);
	}
	write_output(&c);
	out_flush();
	return 0;
}
