/* dc-budget: the money ledger of budget records, and the audit of the
 * totals declared in reports.  See dc-budget(1). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "number.h"
#include "parallel.h"
#include "record.h"

/* The kinds of budget line, in the order of the ledger's columns; the
 * funding (column "total") is cap + bo_sung. */
enum kind { CAP, BO_SUNG, DU_KIEN, CHI, TOTAL, NCOLUMNS, KE_KHAI = NCOLUMNS };

static const char *const kind_name[] = {
	"cap", "bo_sung", "du_kien", "chi", "total", "ke_khai"
};

struct sums {
	int64_t amount[NCOLUMNS];
	size_t sub;                     /* the entry of its subtotal */
};

/* A ke_khai line: a total someone wrote in a report. */
struct claim {
	size_t key, len, yearlen;       /* "year\tproject" in claimkeys */
	int64_t declared;
	const char *file;
	long line;
};

struct ledger {
	struct reader rd;
	int check;
	int year, project, kind, amount;        /* field indices */
	int ng, *gidx;
	int first, last;                        /* the fields a line needs */
	struct table groups, subtotals;         /* struct sums */
	struct sums grand;
	/* --check: funding by year and by year and project, and claims */
	struct table by_year, by_project;       /* int64_t */
	struct claim *claims;
	size_t nclaims, claimcap;
	struct buf claimkeys, key, scratch;
	/* -j N: the workers, and in a worker the sum of |amount| of the
	 * lines it added (see parts_fit) */
	struct par par;
	int track;
	uint64_t magnitude;
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: dc-budget [-g FIELD,...] [-j N] [--asof DATE | --history] "
	    "[--part K/N]\n"
	    "                 [FILE...]\n"
	    "       dc-budget --check [--asof DATE | --history] [FILE...]\n"
	    "The money ledger of budget records, or (--check) the audit of the\n"
	    "totals declared in ke_khai lines.\n"
	    "  -g FIELD,...  group by these fields (default year,project; "
	    "repeat to add)\n"
	    "  --check       list the declared totals that do not add up\n"
	    "%s%s"
	    "  -h, --help    print this help and exit\n"
	    "  --version     print the version and exit\n"
	    "A ledger with fields id and date is read as its state today: a\n"
	    "correction (a later line of the same id) replaces a line.\n"
	    "Exit status: 0 done, 1 with --check a declared total does not add "
	    "up,\n2 an error.\n", jobs_usage, view_usage);
	dc_exit(status);
}

/* Whether field f is the word name: a loop, not calls (once a line). */
static int
is_word(const struct field *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->len && name[i] == f->p[i]; i++)
		;
	return i == f->len && name[i] == '\0';
}

static enum kind
parse_kind(struct record *r, const struct field *f)
{
	struct buf q = { 0 };
	int k;

	for (k = 0; k <= KE_KHAI; k++)
		if (k != TOTAL && is_word(f, kind_name[k]))
			return (enum kind)k;
	die_at(r->file, r->lineno, "kind '%s' is not one of cap, bo_sung, "
	    "du_kien, chi, ke_khai", quote_value(f->p, f->len, &q));
	return CAP;
}

static int64_t
parse_amount(struct record *r, const struct field *f)
{
	struct buf q = { 0 };
	int64_t v;
	int e = parse_int64(f->p, f->len, &v);

	if (f->len == 0)
		die_at(r->file, r->lineno, "amount is empty");
	if (e == NUM_RANGE)
		die_at(r->file, r->lineno, "amount '%s' does not fit in int64",
		    quote_value(f->p, f->len, &q));
	if (e != NUM_OK)
		die_at(r->file, r->lineno, "amount '%s' is not a whole number "
		    "of đồng (digits only, no separators)",
		    quote_value(f->p, f->len, &q));
	return v;
}

static void
add_money(struct record *r, int64_t *acc, int64_t v)
{
	if (add_int64(acc, v) != NUM_OK)
		die_at(r->file, r->lineno, "sum overflows int64");
}

/* Add one line to a set of sums: its kind's column and the funding. */
static void
add_line(struct record *r, struct sums *s, enum kind k, int64_t v)
{
	add_money(r, &s->amount[k], v);
	if (k == CAP || k == BO_SUNG)
		add_money(r, &s->amount[TOTAL], v);
}

static void
ledger_line(struct ledger *l, struct record *r, enum kind k, int64_t v)
{
	struct sums *s;
	size_t g, sub, len;
	int created;
	const char *key = group_key(r, l->gidx, l->ng, &l->key, &len);

	g = table_put(&l->groups, key, len, &created);
	if (created && l->ng > 1) {
		/* The subtotal groups by the first field alone. */
		key = group_key(r, l->gidx, 1, &l->key, &len);
		sub = table_put(&l->subtotals, key, len, NULL);
		((struct sums *)table_value(&l->groups, g))->sub = sub;
	}
	s = table_value(&l->groups, g);
	add_line(r, s, k, v);
	if (l->ng > 1)
		add_line(r, table_value(&l->subtotals, s->sub), k, v);
	add_line(r, &l->grand, k, v);
}

static void
check_line(struct ledger *l, struct record *r, enum kind k, int64_t v)
{
	const struct field *year = record_field(r, l->year);
	const struct field *project = record_field(r, l->project);
	struct claim *c;
	size_t i;

	l->key.len = 0;
	record_canonical(r, year, &l->key);
	if (k == KE_KHAI) {
		if (l->nclaims == l->claimcap) {
			l->claimcap = l->claimcap ? 2 * l->claimcap : 16;
			l->claims = xrealloc(l->claims, l->claimcap * sizeof *l->claims);
		}
		c = &l->claims[l->nclaims++];
		c->key = l->claimkeys.len;
		c->yearlen = l->key.len;
		buf_put(&l->claimkeys, l->key.p, l->key.len);
		if (project->len > 0) {
			buf_putc(&l->claimkeys, '\t');
			record_canonical(r, project, &l->claimkeys);
		}
		c->len = l->claimkeys.len - c->key;
		c->declared = v;
		c->file = r->file;
		c->line = r->lineno;
		return;
	}
	if (k != CAP && k != BO_SUNG)
		return;
	i = table_put(&l->by_year, l->key.p, l->key.len, NULL);
	add_money(r, table_value(&l->by_year, i), v);
	buf_putc(&l->key, '\t');
	record_canonical(r, project, &l->key);
	i = table_put(&l->by_project, l->key.p, l->key.len, NULL);
	add_money(r, table_value(&l->by_project, i), v);
}

/* u + |v|, at most UINT64_MAX. */
static uint64_t
add_magnitude(uint64_t u, int64_t v)
{
	uint64_t m = v < 0 ? -(uint64_t)v : (uint64_t)v;

	return u > UINT64_MAX - m ? UINT64_MAX : u + m;
}

/* The lines the reader hands out: every line of a plain ledger; of a
 * history (fields id and date), its state on the day, or every version
 * with --history. */
static void
read_ledger(struct ledger *l)
{
	struct record *r;

	while ((r = reader_next(&l->rd))) {
		enum kind k;
		int64_t v;

		record_fields(r, l->first, l->last);
		k = parse_kind(r, record_field(r, l->kind));
		v = parse_amount(r, record_field(r, l->amount));

		if (l->check)
			check_line(l, r, k, v);
		else if (k != KE_KHAI) {        /* a claim is not money */
			ledger_line(l, r, k, v);
			if (l->track)
				l->magnitude = add_magnitude(l->magnitude, v);
		}
	}
}

/* ---- -j N: the ledger read by several processes ---- */

/* A worker: its groups' sums, each as the length of its key, the key
 * and the columns (the parent reads them back on this machine). */
static void
ledger_part(void *ctx)
{
	struct ledger *l = ctx;
	const struct sums *s;
	const char *key;
	uint32_t n;
	size_t i, len;

	l->track = 1;
	read_ledger(l);
	for (i = 0; i < l->groups.n; i++) {
		key = table_key(&l->groups, i, &len);
		s = table_value(&l->groups, i);
		if (len > UINT32_MAX)
			die("a group key of more than 4 GB");
		n = (uint32_t)len;
		out_write(&n, sizeof n);
		out_write(key, len);
		out_write(s->amount, sizeof s->amount);
	}
	l->par.res[l->par.self].umagnitude = l->magnitude;
}

/* Whether the parts add up exactly as one pass does: no running sum of
 * one pass is larger than the sum of |amount| of the lines, so when
 * that fits in int64 none overflows, nor does a sum merged.  Beyond,
 * one process reads the lines again and says where a sum overflows. */
static int
parts_fit(const struct ledger *l)
{
	uint64_t total = 0, m;
	int k;

	for (k = 0; k < l->par.n; k++) {
		m = l->par.res[k].umagnitude;
		if (total > (uint64_t)INT64_MAX - m || m > (uint64_t)INT64_MAX)
			return 0;
		total += m;
	}
	return 1;
}

/* Add a worker's sums of a group: to the group, its subtotal (keyed by
 * the group's first field, the key before its first TAB) and the
 * grand total. */
static void
merge_group(struct ledger *l, const char *key, size_t len,
    const int64_t *amount)
{
	const char *tab = memchr(key, '\t', len);
	struct sums *s;
	size_t g, sub;
	int created, k;

	g = table_put(&l->groups, key, len, &created);
	if (created && l->ng > 1) {
		sub = table_put(&l->subtotals, key,
		    tab ? (size_t)(tab - key) : len, NULL);
		((struct sums *)table_value(&l->groups, g))->sub = sub;
	}
	s = table_value(&l->groups, g);
	for (k = 0; k < NCOLUMNS; k++) {
		add_int64(&s->amount[k], amount[k]);
		if (l->ng > 1)
			add_int64(&((struct sums *)table_value(&l->subtotals,
			    s->sub))->amount[k], amount[k]);
		add_int64(&l->grand.amount[k], amount[k]);
	}
}

static void
read_part(int fd, struct buf *b)
{
	char block[1 << 16];
	ssize_t n;

	b->len = 0;
	while ((n = read(fd, block, sizeof block)) > 0)
		buf_put(b, block, (size_t)n);
	if (n < 0)
		die("temporary file: %s", strerror(errno));
}

static int
merge_parts(struct ledger *l)
{
	struct buf part = { 0 };
	int64_t amount[NCOLUMNS];
	uint32_t len;
	size_t at;
	int k;

	if (!parts_fit(l))
		return 0;
	for (k = 0; k < l->par.n; k++) {
		read_part(l->par.out[k], &part);
		for (at = 0; at < part.len; at += sizeof len + len + sizeof amount) {
			memcpy(&len, part.p + at, sizeof len);
			memcpy(amount, part.p + at + sizeof len + len, sizeof amount);
			merge_group(l, part.p + at + sizeof len, len, amount);
		}
	}
	buf_free(&part);
	return 1;
}

/* With -j N when the input allows it (not --check, whose claims keep
 * their line numbers); else in one pass. */
static void
read_input(struct ledger *l, int jobs)
{
	par_plan(&l->par, &l->rd, l->check ? 1 : jobs);
	reader_prepare(&l->rd);
	if (!par_run(&l->par, &l->rd, ledger_part, l) || !merge_parts(l))
		read_ledger(l);
	par_free(&l->par);
}

/* ---- output ---- */

static void
write_sums(const struct sums *s)
{
	int k;

	for (k = 0; k < NCOLUMNS; k++) {
		out_putc('\t');
		out_int64(s->amount[k]);
	}
	out_putc('\n');
}

/* A subtotal or total record: the first `keep` group fields from key,
 * the others "total". */
static void
write_total(const struct ledger *l, const char *key, size_t len, int keep,
    const struct sums *s)
{
	int i;

	out_write(key, len);
	for (i = keep; i < l->ng; i++)
		out_puts(i ? "\ttotal" : "total");
	write_sums(s);
}

static void
write_header(struct ledger *l)
{
	char **names = xmalloc(sizeof *names * (size_t)(l->ng + NCOLUMNS));
	int i, n = 0;

	for (i = 0; i < l->ng; i++)
		names[n++] = l->rd.in.hdr.names[l->gidx[i]];
	for (i = 0; i < NCOLUMNS; i++)
		names[n++] = (char *)kind_name[i];
	header_check_unique(names, n);
	for (i = 0; i < n; i++) {
		if (i)
			out_putc('\t');
		out_puts(names[i]);
	}
	/* Sums of a part, or of a history from a pipe, say so. */
	out_note(reader_count_note(&l->rd));
	out_putc('\n');
	free(names);
}

static void
write_ledger(struct ledger *l)
{
	size_t *order = group_order(&l->groups, l->ng), i, len, sublen;
	const struct sums *s, *prev = NULL;
	const char *key, *sub;

	write_header(l);
	for (i = 0; i < l->groups.n; i++) {
		s = table_value(&l->groups, order[i]);
		if (l->ng > 1 && prev && prev->sub != s->sub) {
			sub = table_key(&l->subtotals, prev->sub, &sublen);
			write_total(l, sub, sublen, 1, table_value(&l->subtotals, prev->sub));
		}
		key = table_key(&l->groups, order[i], &len);
		out_write(key, len);
		write_sums(s);
		prev = s;
	}
	if (l->ng > 1 && prev) {
		sub = table_key(&l->subtotals, prev->sub, &sublen);
		write_total(l, sub, sublen, 1, table_value(&l->subtotals, prev->sub));
	}
	write_total(l, "", 0, 0, &l->grand);
	free(order);
}

static int64_t
funding(const struct table *t, const char *key, size_t len)
{
	long i = table_find(t, key, len);

	return i < 0 ? 0 : *(int64_t *)table_value(t, (size_t)i);
}

/* Prints the claims that do not hold; returns how many. */
static size_t
write_mismatches(struct ledger *l)
{
	size_t i, bad = 0;
	int64_t computed, diff;

	out_puts("year\tproject\tdeclared\tcomputed\tdifference\tline");
	out_note(reader_count_note(&l->rd));
	out_putc('\n');
	for (i = 0; i < l->nclaims; i++) {
		const struct claim *c = &l->claims[i];
		const char *key = l->claimkeys.p + c->key;

		computed = c->len == c->yearlen ? funding(&l->by_year, key, c->len)
		    : funding(&l->by_project, key, c->len);
		if (computed == c->declared)
			continue;
		bad++;
		diff = c->declared;
		if (computed == INT64_MIN || add_int64(&diff, -computed) != NUM_OK)
			die_at(c->file, c->line, "difference overflows int64");
		out_write(key, c->len);
		if (c->len == c->yearlen)
			out_putc('\t');
		out_putc('\t');
		out_int64(c->declared);
		out_putc('\t');
		out_int64(computed);
		out_putc('\t');
		out_int64(diff);
		out_putc('\t');
		l->scratch.len = 0;
		buf_printf(&l->scratch, "%s:%ld", c->file, c->line);
		out_escaped(l->scratch.p, l->scratch.len);
		out_putc('\n');
	}
	return bad;
}

static void
ledger_open(struct ledger *l, const char *groups, int nfiles, char **files,
    const struct view *view)
{
	const struct header *h = &l->rd.in.hdr;
	int i;

	reader_open(&l->rd, nfiles, files, view);
	l->year = header_need(h, "year");
	l->project = header_need(h, "project");
	l->kind = header_need(h, "kind");
	l->amount = header_need(h, "amount");
	l->ng = field_list(h, groups, &l->gidx, 0);
	l->last = -1;
	field_span(&l->first, &l->last, l->kind);
	field_span(&l->first, &l->last, l->amount);
	field_span(&l->first, &l->last, l->year);
	field_span(&l->first, &l->last, l->project);
	for (i = 0; i < l->ng; i++)
		field_span(&l->first, &l->last, l->gidx[i]);
	table_init(&l->groups, sizeof(struct sums));
	table_init(&l->subtotals, sizeof(struct sums));
	table_init(&l->by_year, sizeof(int64_t));
	table_init(&l->by_project, sizeof(int64_t));
	buf_grow(&l->key, 64);
}

int
main(int argc, char *argv[])
{
	enum { OPT_CHECK = 0x200, OPT_HELP, OPT_VERSION };
	static const struct option longopts[] = {
		{ "asof", required_argument, NULL, VIEW_ASOF },
		{ "history", no_argument, NULL, VIEW_HISTORY },
		{ "part", required_argument, NULL, VIEW_PART },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	static struct ledger l;
	static struct buf groups;
	struct view view = { 0 };
	int ch, jobs = 0;

	dc_setprog(argv[0]);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":g:hj:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'g':
			if (groups.len)
				buf_putc(&groups, ',');
			buf_puts(&groups, optarg);
			break;
		case OPT_CHECK: l.check = 1; break;
		case 'j': jobs = jobs_option(optarg); break;
		case 'h':
		case OPT_HELP: usage(stdout, 0); break;
		case OPT_VERSION: print_version(); return 0;
		case '?':
		case ':': option_error(ch, argv, longopts); break;
		default: view_option(&view, ch, optarg);
		}
	}
	/* A claim names its year and project, and totals all of them. */
	if (l.check && groups.len)
		usage_error("--check compares by year and project: no -g");
	if (l.check && view.nparts)
		usage_error("--check needs every line of a year: no --part");
	ledger_open(&l, groups.len ? buf_cstr(&groups) : "year,project",
	    argc - optind, argv + optind, &view);
	read_input(&l, jobs);
	if (l.check) {
		size_t bad = write_mismatches(&l);

		out_flush();
		return bad ? 1 : 0;
	}
	write_ledger(&l);
	out_flush();
	return 0;
}
