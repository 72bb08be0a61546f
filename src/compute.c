/* compute.c: computing dc-report's figures: one reading of a registry
 * for every figure that needs it on one day, and the dc-* pipeline
 * that computes each, for an auditor.  See dc-report(5). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "select.h"
#include "text.h"

/* ---- the registries read ---- */

static void
registry_path(const struct office *o, const char *registry, struct buf *b)
{
	b->len = 0;
	buf_printf(b, "%s/%s.tsv", o->dir, registry);
}

static int
source_index(const struct office *o, const char *path)
{
	int i;

	for (i = 0; i < o->nsrc; i++)
		if (strcmp(o->src[i].path, path) == 0)
			return i;
	return -1;
}

/* Measure under the readers' lock: a dc-add writes a batch holding the
 * write lock, so the length seen ends a whole batch. */
static void
take_source(struct source *s)
{
	struct journal_info j;
	struct sha256 sum;
	struct stat st;
	char block[65536];
	off_t left;
	ssize_t n;
	int journal, fd = open(s->path, O_RDONLY);

	if (fd < 0)
		die("%s: %s", s->path, strerror(errno));
	lock_file(fd, s->path, F_RDLCK);
	if (fstat(fd, &st) < 0)
		die("%s: %s", s->path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		die("%s: không phải tệp thường", s->path);
	s->length = committed_length(s->path, st.st_size, 0, &journal, &j);
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	sha256_init(&sum);
	for (left = s->length; left > 0; left -= n) {
		n = read(fd, block, left < (off_t)sizeof block ? (size_t)left :
		    sizeof block);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			die("%s: %s", s->path, n < 0 ? strerror(errno) :
			    "tệp ngắn đi trong khi đang đọc");
		sha256_update(&sum, block, (size_t)n);
	}
	sha256_hex(&sum, s->sha256);
	close(fd);
}

void
office_sources(struct office *o, const struct definitions *d)
{
	struct buf path = { 0 };
	int i;

	for (i = 0; i < d->nfig; i++) {
		char *schema;

		if (!d->used[i])
			continue;
		registry_path(o, d->fig[i].registry, &path);
		if (source_index(o, buf_cstr(&path)) >= 0)
			continue;
		if (access(path.p, F_OK) != 0)
			die("%s: không có sổ này (số liệu '%s', %s)", path.p,
			    d->fig[i].name, d->fig[i].origin);
		/* Without its schema a registry's values go unchecked, and so
		 * would a figure's selection: a typo would count 0. */
		schema = schema_path_for(path.p);
		if (access(schema, F_OK) != 0)
			die("%s: sổ không có lược đồ %s: không kiểm tra được giá trị "
			    "của sổ và của số liệu '%s'", path.p, schema, d->fig[i].name);
		free(schema);
		o->src = xrealloc(o->src, sizeof *o->src * (size_t)(o->nsrc + 1));
		memset(&o->src[o->nsrc], 0, sizeof *o->src);
		o->src[o->nsrc].path = xstrdup(path.p);
		o->src[o->nsrc].files[0] = o->src[o->nsrc].path;
		take_source(&o->src[o->nsrc++]);
	}
	buf_free(&path);
}

/* Open the reader of registry s as the report reads it: its first
 * s->length bytes, the state as of day (every version when day is NULL). */
static void
open_source(struct reader *rd, const struct source *s, const char *day)
{
	struct view view = { 0 };

	view.asof = day;
	view.history = day == NULL;
	view.length = s->length;
	reader_open(rd, 1, (char **)s->files, &view);
}

/* ---- computing ---- */

/* What one reading of a registry on one day computes for one figure. */
/* The expressions of one reading, each once: figures share many
 * (status=nghien is in eight of them), and each is tried at most once
 * a record, when a figure asks. */
struct shared {
	struct table words;             /* expression -> its index */
	struct selection **sel;         /* one expression each */
	char *answer;                   /* this record: 0 not yet, 1 holds, 2 not */
};

enum run_rule { RUN_NONE, RUN_FIRST, RUN_SINCE };        /* struct run */

struct task {
	int fig;
	int *expr;                      /* indices in the shared expressions */
	int nexpr;
	int datef;                      /* flows: the date field */
	uint32_t from, to;              /* flows: the period's days */
	int *byf;                       /* the by fields */
	int valf;                       /* sum, list: the field */
	int masked;                     /* list of ID numbers: masked */
	const char *key;                /* yearly: the row's key (the year) */
	struct table *runs;             /* a flow on the record's own date:
	                                 * id -> struct run */
	enum run_rule rule;
	int idf;
};

/* A flow on the record's own date counts an event on the day it
 * happened, not on the day of its latest version: a correction carries
 * a later date but is not a new event (a test corrected in January was
 * still done in November).  "date": the day of the id's first version
 * (since it last ended); "since": the day the state the figure selects
 * began, the first of the run of selected versions ending in the state
 * (a case concluded in November and corrected in February). */
struct run {
	uint32_t start;                 /* the run's first day */
	char in_run;                    /* the state ends a run */
};

static int
need_field(const struct header *h, const char *name, const struct figure *f)
{
	int i = header_index(h, name);

	if (i < 0) {
		struct buf list = { 0 };

		buf_join(&list, h->names, h->n);
		die("%s: figure '%s': không có trường '%s' trong sổ %s; các trường: %s",
		    f->origin, f->name, name, f->registry, buf_cstr(&list));
	}
	return i;
}

static void
task_prepare(struct task *t, const struct figure *f, const struct header *h,
    const struct schema *schema, const struct period *p, int year,
    int show_cccd, struct shared *sh)
{
	char **w = where_words(f->where, p, year, f->origin);
	int i, created;
	size_t k;

	for (i = 0; w[i]; i++)
		;
	t->expr = xmalloc(sizeof *t->expr * (size_t)(i + 1));
	for (i = 0; w[i]; i++) {
		if (!selection_is_expr(w[i]))
			die("%s: where: '%s' không phải biểu thức dc-grep (TRƯỜNG=GIÁ TRỊ ...)",
			    f->origin, w[i]);
		k = table_put(&sh->words, w[i], strlen(w[i]), &created);
		if (created) {
			sh->sel = xrealloc(sh->sel, sizeof *sh->sel * (k + 1));
			sh->sel[k] = selection_new(0, 0);
			selection_add(sh->sel[k], w[i], f->origin);
			selection_check(sh->sel[k], schema, f->origin);
			selection_resolve(sh->sel[k], h, f->origin);
		}
		t->expr[i] = (int)k;
	}
	t->nexpr = i;
	words_free(w);
	t->datef = -1;
	t->rule = RUN_NONE;
	if (f->kind == FIG_FLOW && strcmp(f->datefield, "since") == 0) {
		t->datef = need_field(h, "date", f);
		t->rule = RUN_SINCE;
		t->from = date_key(p->start, 10);
		t->to = date_key(p->end, 10);
	} else if (f->kind == FIG_FLOW) {
		t->datef = need_field(h, f->datefield, f);
		if (strcmp(f->datefield, "date") == 0)
			t->rule = RUN_FIRST;
		if (schema && (i = schema_index(schema, f->datefield)) >= 0 &&
		    schema->f[i].type != T_DATE)
			die("%s: số liệu '%s': trường '%s' không phải ngày (date)",
			    f->origin, f->name, f->datefield);
		t->from = date_key(p->start, 10);
		t->to = date_key(p->end, 10);
	}
	t->byf = xmalloc(sizeof *t->byf * (size_t)(f->nby + 1));
	for (i = 0; i < f->nby; i++) {
		int k = schema ? schema_index(schema, f->by[i]) : -1;

		t->byf[i] = need_field(h, f->by[i], f);
		/* Masked, two numbers could fall into one row. */
		if (!show_cccd && k >= 0 && schema->f[k].type == T_CCCD)
			die("%s: số liệu '%s': bảng theo số CCCD (%s) sẽ in số CCCD; "
			    "chỉ lập được với --show-cccd", f->origin, f->name, f->by[i]);
	}
	t->valf = f->valfield ? need_field(h, f->valfield, f) : -1;
	t->masked = 0;
	if (f->value == VAL_LIST && schema && !show_cccd) {
		int k = schema_index(schema, f->valfield);

		t->masked = k >= 0 && schema->f[k].type == T_CCCD;
	}
}

/* The row key of r: the by fields' canonical values, each counted with
 * its label's group when it has one. */
static void
task_key(const struct task *t, const struct figure *f,
    const struct definitions *d, struct record *r, struct buf *key)
{
	const struct label *l;
	const struct field *v;
	int i;

	key->len = 0;
	if (t->key) {
		buf_puts(key, t->key);
		return;
	}
	for (i = 0; i < f->nby; i++) {
		if (i > 0)
			buf_putc(key, '\t');
		v = record_field(r, t->byf[i]);
		l = d->nlab ? label_find(d, f->by[i], v->p, v->len) : NULL;
		if (l && *l->group)
			escape(l->group, strlen(l->group), key);
		else
			record_canonical(r, v, key);
	}
}

/* Add value p[0..n) to a's list, once: a project's title is on each of
 * its lines.  sep goes between values. */
static void
list_append(struct fvalue *v, struct acc *a, const char *p, size_t n,
    const char *sep)
{
	struct buf *b, item = { 0 };
	int created;

	if (!a->list) {
		v->lists = xrealloc(v->lists, sizeof *v->lists * (v->nlists + 1));
		memset(&v->lists[v->nlists], 0, sizeof *v->lists);
		a->list = ++v->nlists;
	}
	buf_printf(&item, "%zu\t", a->list);
	buf_put(&item, p, n);
	if (!v->items.valsize)
		table_init(&v->items, 1);
	table_put(&v->items, item.p, item.len, &created);
	buf_free(&item);
	if (!created)
		return;
	b = &v->lists[a->list - 1];
	if (b->len)
		buf_puts(b, sep);
	buf_put(b, p, n);
}

/* Whether every expression of t holds for r. */
static int
task_holds(const struct task *t, struct shared *sh, struct record *r)
{
	int i;

	for (i = 0; i < t->nexpr; i++) {
		char *a = &sh->answer[t->expr[i]];

		if (!*a)
			*a = selection_holds(sh->sel[t->expr[i]], r) ? 1 : 2;
		if (*a == 2)
			return 0;
	}
	return 1;
}

static void
task_count(const struct task *t, const struct figure *f, struct fvalue *v,
    struct record *r, struct buf *key, struct buf *scratch,
    const struct definitions *d, struct shared *sh)
{
	struct acc *a;
	struct decimal x;
	const struct field *fld;

	if (t->datef >= 0) {
		uint32_t day;

		if (t->runs) {
			const struct run *ru;
			long k;

			fld = record_field(r, t->idf);
			k = table_find(t->runs, fld->p, fld->len);
			ru = k >= 0 ? table_value(t->runs, (size_t)k) : NULL;
			day = ru && ru->in_run ? ru->start : 0;
		} else {
			fld = record_field(r, t->datef);
			day = date_key(fld->p, fld->len);
		}
		if (day < t->from || day > t->to)
			return;
	}
	if (!task_holds(t, sh, r))
		return;
	task_key(t, f, d, r, key);
	a = table_value(&v->rows, table_put(&v->rows, key->p, key->len, NULL));
	a->count++;
	if (t->valf < 0)
		return;
	fld = record_field(r, t->valf);
	if (f->value == VAL_SUM) {
		if (fld->len == 0)
			return;
		if (parse_decimal(fld->p, fld->len, &x) != NUM_OK)
			die_at(r->file, r->lineno, "trường '%s': '%.*s' không phải số"
			    " (số liệu '%s')", f->valfield, (int)fld->len, fld->p, f->name);
		{
			const char *point = memchr(fld->p, '.', fld->len);
			int places = point ? (int)(fld->p + fld->len - point - 1) : 0;

			if (places > a->places)
				a->places = places;
		}
		if (decimal_add(&a->sum, x) != NUM_OK)
			die_at(r->file, r->lineno, "số liệu '%s': tổng của '%s' vượt quá "
			    "giới hạn", f->name, f->valfield);
		return;
	}
	if (fld->len == 0)              /* no value to name */
		return;
	scratch->len = 0;
	unescape(fld->p, fld->len, scratch);
	if (t->masked)
		mask_id(scratch->p, scratch->len);
	list_append(v, a, scratch->p, scratch->len, ", ");
}

/* A version, for the runs: its id's index, date, line and whether it
 * ends the id. */
struct version {
	size_t id, at;                  /* at: its row of selections */
	uint32_t date;
	uint64_t seq;
	char ends;
};

static int
version_cmp(const void *a, const void *b)
{
	const struct version *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The run of task k's id ending with its state: versions v[0..n) of
 * one id in the order of the history (date, then line); sel[at * nt + k]
 * whether task k selects a version. */
static void
run_of(const struct task *t, int k, int nt, const struct version *v, size_t n,
    const char *sel, struct run *ru)
{
	size_t i;

	ru->in_run = 0;
	for (i = 0; i < n; i++) {
		if (v[i].ends || (t->rule == RUN_SINCE && !sel[v[i].at * (size_t)nt + (size_t)k])) {
			ru->in_run = 0;
			continue;
		}
		if (!ru->in_run)
			ru->start = v[i].date;
		ru->in_run = 1;
	}
}

/* Every version up to day, in one reading, for the flows on the
 * record's own date: each id's versions in the order of its history (a
 * version may be dated before one above it), and each task's run that
 * ends in the id's state. */
static void
find_runs(const struct source *s, const char *day, struct task *t, int n,
    struct shared *sh)
{
	struct reader rd;
	struct record *r;
	struct table ids;
	struct version *v = NULL;
	char *sel = NULL;
	size_t nv = 0, cap = 0, i, j;
	uint32_t until = date_key(day, 10), date;
	uint64_t seq = 0;
	int k;

	table_init(&ids, 0);
	open_source(&rd, s, NULL);
	while ((r = reader_next(&rd))) {
		const struct field *id = record_field(r, rd.idf);
		const struct field *df = record_field(r, rd.datef);

		seq++;
		if ((date = date_key(df->p, df->len)) > until)
			continue;
		if (nv == cap) {
			cap = cap ? 2 * cap : 4096;
			v = xrealloc(v, sizeof *v * cap);
			sel = xrealloc(sel, cap * (size_t)n);
		}
		v[nv].id = table_put(&ids, id->p, id->len, NULL);
		v[nv].at = nv;
		v[nv].date = date;
		v[nv].seq = seq;
		v[nv].ends = (char)is_end_record(r, rd.idf, rd.datef, rd.notef);
		memset(sh->answer, 0, sh->words.n);
		for (k = 0; k < n; k++)
			sel[nv * (size_t)n + (size_t)k] = (char)(t[k].rule == RUN_SINCE &&
			    !v[nv].ends && task_holds(&t[k], sh, r));
		nv++;
	}
	reader_close(&rd);
	qsort(v, nv, sizeof *v, version_cmp);
	for (i = 0; i < nv; i = j) {
		const char *key;
		size_t len;

		for (j = i; j < nv && v[j].id == v[i].id; j++)
			;
		key = table_key(&ids, v[i].id, &len);
		for (k = 0; k < n; k++)
			if (t[k].runs)
				run_of(&t[k], k, n, v + i, j - i, sel,
				    table_value(t[k].runs, table_put(t[k].runs, key,
				    len, NULL)));
	}
	free(v);
	free(sel);
	table_free(&ids);
}

/* One reading of registry path as of day for tasks t[0..n). */
static void
read_registry(const struct source *s, const char *day, struct task *t, int n,
    const struct definitions *d, struct fvalue *val, const struct period *p,
    int year)
{
	struct reader rd;
	struct record *r;
	struct schema schema;
	struct buf key = { 0 }, scratch = { 0 };
	struct shared sh = { 0 };
	int i, has_schema;
	size_t k;

	has_schema = schema_find(s->path, NULL, &schema);
	open_source(&rd, s, day);
	table_init(&sh.words, 0);
	for (i = 0; i < n; i++)
		task_prepare(&t[i], &d->fig[t[i].fig], &rd.in.hdr,
		    has_schema ? &schema : NULL, p, year, d->show_cccd, &sh);
	sh.answer = xmalloc(sh.words.n + 1);
	for (i = 0, k = 0; i < n; i++)
		if (t[i].rule != RUN_NONE) {
			t[i].runs = xmalloc(sizeof *t[i].runs);
			table_init(t[i].runs, sizeof(struct run));
			t[i].idf = rd.idf;
			k++;
		}
	if (k)
		find_runs(s, day, t, n, &sh);
	while ((r = reader_next(&rd))) {
		memset(sh.answer, 0, sh.words.n);
		for (i = 0; i < n; i++)
			task_count(&t[i], &d->fig[t[i].fig], &val[t[i].fig], r, &key,
			    &scratch, d, &sh);
	}
	reader_close(&rd);
	for (i = 0; i < n; i++) {
		free(t[i].expr);
		free(t[i].byf);
		if (t[i].runs) {
			table_free(t[i].runs);
			free(t[i].runs);
		}
	}
	for (k = 0; k < sh.words.n; k++)
		selection_free(sh.sel[k]);
	free(sh.sel);
	free(sh.answer);
	table_free(&sh.words);
	if (has_schema)
		schema_free(&schema);
	buf_free(&key);
	buf_free(&scratch);
}

/* The first year of a registry's records: its oldest version's. */
static int
first_year(const struct source *s, int fallback)
{
	struct reader rd;
	struct record *r;
	uint32_t first = 0, k;
	const struct field *f;

	open_source(&rd, s, NULL);
	while ((r = reader_next(&rd))) {
		f = record_field(r, rd.datef);
		k = date_key(f->p, f->len);
		if (k && (!first || k < first))
			first = k;
	}
	reader_close(&rd);
	return first ? (int)(first / 10000) : fallback;
}

static int
row_cmp(const void *ctx, size_t a, size_t b)
{
	const struct fvalue *v = ((const void *const *)ctx)[0];
	const struct figure *f = ((const void *const *)ctx)[1];
	const struct definitions *d = ((const void *const *)ctx)[2];
	const char *ka, *kb, *ea, *eb;
	size_t la, lb;
	int i, ra, rb;

	ka = table_key(&v->rows, a, &la);
	kb = table_key(&v->rows, b, &lb);
	for (i = 0; i < f->nby; i++) {
		ea = memchr(ka, '\t', la);
		eb = memchr(kb, '\t', lb);
		ra = label_rank(d, f->by[i], ka, ea ? (size_t)(ea - ka) : la);
		rb = label_rank(d, f->by[i], kb, eb ? (size_t)(eb - kb) : lb);
		if (ra != rb)
			return ra < rb ? -1 : 1;
		if (!ea || !eb)
			break;
		la -= (size_t)(ea - ka) + 1;
		lb -= (size_t)(eb - kb) + 1;
		ka = ea + 1;
		kb = eb + 1;
	}
	return 0;
}

/* Rows in the report's order: as dc-count -g orders them, then by the
 * labels' order. */
static void
fvalue_order(const struct figure *f, struct fvalue *v, const struct definitions *d)
{
	const void *ctx[3];

	free(v->order);
	v->order = group_order(&v->rows, f->nby ? f->nby : 1);
	ctx[0] = v;
	ctx[1] = f;
	ctx[2] = d;
	/* A table by one field of labelled values is in the labels' order
	 * (the report's); by several fields, as dc-count -g orders it. */
	if (f->nby == 1 && d->nlab)
		sort_stable(v->order, v->rows.n, row_cmp, ctx);
}

static void
tasks_run(struct office *o, const struct definitions *d, const struct period *p,
    struct fvalue *val)
{
	struct task *t = xmalloc(sizeof *t * (size_t)d->nfig);
	char *done = xmalloc((size_t)d->nfig), day[11], year[8];
	int i, j, n, y, from;
	struct buf path = { 0 };

	for (i = 0; i < d->nfig; i++)
		done[i] = !d->used[i];
	for (i = 0; i < d->nfig; i++) {
		const struct figure *f = &d->fig[i];
		const char *want = figure_day(f, p);

		if (done[i] || f->kind == FIG_YEARLY)
			continue;
		n = 0;
		for (j = i; j < d->nfig; j++) {
			const struct figure *g = &d->fig[j];

			if (done[j] || g->kind == FIG_YEARLY ||
			    strcmp(g->registry, f->registry) != 0 ||
			    strcmp(figure_day(g, p), want) != 0)
				continue;
			memset(&t[n], 0, sizeof *t);
			t[n].fig = j;
			t[n].masked = 0;
			n++;
			done[j] = 1;
		}
		registry_path(o, f->registry, &path);
		read_registry(&o->src[source_index(o, path.p)], want, t, n, d, val,
		    p, p->year);
	}
	/* Yearly figures: each year from the registry's first to the
	 * period's, the state at the year's close. */
	for (i = 0; i < d->nfig; i++) {
		const struct figure *f = &d->fig[i];
		const struct source *s;

		if (done[i])
			continue;
		registry_path(o, f->registry, &path);
		s = &o->src[source_index(o, path.p)];
		from = first_year(s, p->year);
		for (y = from; y <= p->year; y++) {
			snprintf(year, sizeof year, "%d", y);
			if (y == p->year)
				snprintf(day, sizeof day, "%s", p->end);
			else
				year_close(p, y, day);
			n = 0;
			for (j = i; j < d->nfig; j++) {
				if (done[j] || strcmp(d->fig[j].registry, f->registry) != 0)
					continue;
				memset(&t[n], 0, sizeof *t);
				t[n].fig = j;
				t[n].key = year;
				n++;
			}
			read_registry(s, day, t, n, d, val, p, y);
		}
		for (j = i; j < d->nfig; j++)
			if (!done[j] && strcmp(d->fig[j].registry, f->registry) == 0)
				done[j] = 1;
	}
	free(t);
	free(done);
	buf_free(&path);
}

static struct fvalue *
values_new(const struct definitions *d)
{
	struct fvalue *v = xmalloc(sizeof *v * (size_t)d->nfig);
	int i;

	memset(v, 0, sizeof *v * (size_t)d->nfig);
	for (i = 0; i < d->nfig; i++)
		table_init(&v[i].rows, sizeof(struct acc));
	return v;
}

void
office_compute(struct office *o, const struct definitions *d,
    const struct period *p, int slot)
{
	int i;

	o->val[slot] = values_new(d);
	tasks_run(o, d, p, o->val[slot]);
	for (i = 0; i < d->nfig; i++)
		fvalue_order(&d->fig[i], &o->val[slot][i], d);
}

static void
values_free(struct fvalue *v, const struct definitions *d)
{
	size_t k;
	int i;

	if (!v)
		return;
	for (i = 0; i < d->nfig; i++) {
		table_free(&v[i].rows);
		if (v[i].items.valsize)
			table_free(&v[i].items);
		for (k = 0; k < v[i].nlists; k++)
			buf_free(&v[i].lists[k]);
		free(v[i].lists);
		free(v[i].order);
	}
	free(v);
}

void
office_free(struct office *o, const struct definitions *d)
{
	int i;

	for (i = 0; i < o->nsrc; i++)
		free(o->src[i].path);
	free(o->src);
	free(o->name);
	values_free(o->val[0], d);
	values_free(o->val[1], d);
}

int
acc_add(struct acc *to, const struct acc *a)
{
	if (a->places > to->places)
		to->places = a->places;
	if (add_int64(&to->count, a->count) != NUM_OK)
		return NUM_RANGE;
	return decimal_add(&to->sum, a->sum);
}

void
office_add(struct office *total, const struct office *o,
    const struct definitions *d, int slot)
{
	const char *key;
	size_t k, len;
	int i;

	if (!total->val[slot])
		total->val[slot] = values_new(d);
	for (i = 0; i < d->nfig; i++) {
		const struct fvalue *from = &o->val[slot][i];
		struct fvalue *to = &total->val[slot][i];

		for (k = 0; k < from->rows.n; k++) {
			const struct acc *a = table_value(&from->rows, k);
			struct acc *b;

			key = table_key(&from->rows, k, &len);
			b = table_value(&to->rows, table_put(&to->rows, key, len, NULL));
			if (acc_add(b, a) != NUM_OK)
				die("số liệu '%s': tổng của các đơn vị vượt quá giới hạn",
				    d->fig[i].name);
			/* Over several offices, a name is an office's. */
			if (a->list) {
				struct buf l = { 0 };

				buf_printf(&l, "%.*s (%s)",
				    (int)from->lists[a->list - 1].len,
				    from->lists[a->list - 1].p, o->name);
				list_append(to, b, l.p, l.len, "; ");
				buf_free(&l);
			}
		}
		fvalue_order(&d->fig[i], to, d);
	}
}

void
fvalue_text(const struct figure *f, const struct fvalue *v, long row,
    struct buf *out)
{
	const struct acc *a;

	if (row < 0) {
		if (f->value != VAL_LIST)
			buf_putc(out, '0');
		return;
	}
	a = table_value(&v->rows, (size_t)row);
	if (f->value == VAL_COUNT) {
		buf_printf(out, "%lld", (long long)a->count);
	} else if (f->value == VAL_SUM) {
		struct decimal d = a->sum;

		/* Written with the decimals of the values summed, as far as
		 * int64 holds them. */
		(void)decimal_rescale(&d, a->places);
		decimal_format(d, out);
	} else if (a->list) {
		buf_put(out, v->lists[a->list - 1].p, v->lists[a->list - 1].len);
	}
}

/* ---- explaining ---- */

/* A word for sh: quoted when it holds anything but safe characters. */
static void
shell_word(const char *w, struct buf *out)
{
	if (*w && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-=./,:") == strlen(w)) {
		buf_puts(out, w);
		return;
	}
	buf_putc(out, '\'');
	for (; *w; w++) {
		if (*w == '\'')
			buf_puts(out, "'\\''");
		else
			buf_putc(out, *w);
	}
	buf_putc(out, '\'');
}

static void
explain_one(const struct figure *f, const struct office *o,
    const struct period *p, const char *day, int year, struct buf *out)
{
	char **w = where_words(f->where, p, year, f->origin);
	int i, counting = f->value == VAL_COUNT && f->nby == 0;
	const char *df = strcmp(f->datefield, "since") == 0 ? "date" : f->datefield;

	buf_printf(out, "dc-grep%s --asof %s", counting ? " -c" : "", day);
	if (f->kind == FIG_FLOW)
		buf_printf(out, " '%s>=%s' '%s<=%s'", df, p->start, df, p->end);
	for (i = 0; w[i]; i++) {
		buf_putc(out, ' ');
		shell_word(w[i], out);
	}
	buf_putc(out, ' ');
	shell_word(o->dir, out);
	buf_printf(out, "/%s.tsv", f->registry);
	if (f->value == VAL_LIST)
		buf_printf(out, " | dc-fmt -t '{%s}'", f->valfield);
	else if (!counting) {
		buf_puts(out, " | dc-count");
		for (i = 0; i < f->nby; i++)
			buf_printf(out, "%s%s", i ? "," : " -g ", f->by[i]);
		if (f->value == VAL_SUM)
			buf_printf(out, " -s %s", f->valfield);
	}
	words_free(w);
}

void
figure_explain(const struct figure *f, const struct office *o,
    const struct period *p, struct buf *out)
{
	struct buf path = { 0 };
	char day[11];
	int y, from;

	if (f->kind != FIG_YEARLY) {
		explain_one(f, o, p, figure_day(f, p),
		    p->year, out);
		buf_putc(out, '\n');
		return;
	}
	registry_path(o, f->registry, &path);
	from = first_year(&o->src[source_index(o, path.p)], p->year);
	for (y = from; y <= p->year; y++) {
		if (y == p->year)
			snprintf(day, sizeof day, "%s", p->end);
		else
			year_close(p, y, day);
		buf_printf(out, "%d: ", y);
		explain_one(f, o, p, day, y, out);
		buf_putc(out, '\n');
	}
	buf_free(&path);
}
