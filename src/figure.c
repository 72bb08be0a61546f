/* figure.c: dc-report's reporting periods, figure definitions and the
 * computing of figures: one reading of a registry for every figure that
 * needs it on one day.  See dc-report(5). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "select.h"
#include "text.h"

/* ---- periods ---- */

static int
month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* Years stay within 1..9999 (period_parse reads four digits). */
static void
put_date(char out[11], int y, int m, int d)
{
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

static void
day_before(const char *iso, char out[11])
{
	int y, m, d;

	parse_date(iso, 10, &y, &m, &d);
	if (--d == 0) {
		if (--m == 0) {
			m = 12;
			y--;
		}
		d = month_days(y, m);
	}
	put_date(out, y, m, d);
}

void
date_minus_years(const char *iso, int years, char out[11])
{
	int y, m, d;

	parse_date(iso, 10, &y, &m, &d);
	y -= years;
	if (d > month_days(y, m))
		d = month_days(y, m);
	put_date(out, y, m, d);
}

static const char *const roman[] = { "I", "II", "III", "IV" };

/* The days and the name of months first..last of p->year. */
static void
period_fill(struct period *p)
{
	int y = p->year;

	if (p->calendar) {
		put_date(p->start, y, p->first, 1);
		put_date(p->end, y, p->last, month_days(y, p->last));
	} else {
		if (p->first == 1)
			put_date(p->start, y - 1, 12, 15);
		else
			put_date(p->start, y, p->first - 1, 15);
		put_date(p->end, y, p->last, 14);
	}
	day_before(p->start, p->eve);
	if (p->first == 1 && p->last == 12) {
		snprintf(p->code, sizeof p->code, "%d", y);
		snprintf(p->name, sizeof p->name, "năm %d", y);
	} else if (p->first == p->last) {
		snprintf(p->code, sizeof p->code, "%d-%02d", y, p->first);
		snprintf(p->name, sizeof p->name, "tháng %d năm %d", p->first, y);
	} else if (p->last - p->first == 2) {
		snprintf(p->code, sizeof p->code, "%d-Q%d", y, p->last / 3);
		snprintf(p->name, sizeof p->name, "quý %s năm %d",
		    roman[p->last / 3 - 1], y);
	} else if (p->last == 6 || p->first == 7) {
		snprintf(p->code, sizeof p->code, "%d-H%d", y, p->first == 1 ? 1 : 2);
		snprintf(p->name, sizeof p->name, "6 tháng %s năm %d",
		    p->first == 1 ? "đầu" : "cuối", y);
	} else {
		snprintf(p->code, sizeof p->code, "%d-9M", y);
		snprintf(p->name, sizeof p->name, "9 tháng đầu năm %d", y);
	}
}

int
period_parse(const char *s, int calendar, struct period *p)
{
	size_t n = strlen(s);
	const char *r = s + 5;

	memset(p, 0, sizeof *p);
	p->calendar = calendar;
	if (n < 4 || strspn(s, "0123456789") < 4 || s[0] == '0')
		return 0;
	p->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	p->first = 1;
	p->last = 12;
	if (n == 4)
		;
	else if (s[4] != '-' || n != 7)
		return 0;
	else if (r[0] == 'Q' && r[1] >= '1' && r[1] <= '4') {
		p->last = 3 * (r[1] - '0');
		p->first = p->last - 2;
	} else if (r[0] == 'H' && (r[1] == '1' || r[1] == '2')) {
		p->first = r[1] == '1' ? 1 : 7;
		p->last = p->first + 5;
	} else if (strcmp(r, "9M") == 0) {
		p->last = 9;
	} else if (r[0] >= '0' && r[0] <= '1' && r[1] >= '0' && r[1] <= '9' &&
	    (r[0] - '0') * 10 + (r[1] - '0') >= 1 &&
	    (r[0] - '0') * 10 + (r[1] - '0') <= 12) {
		p->first = p->last = (r[0] - '0') * 10 + (r[1] - '0');
	} else
		return 0;
	period_fill(p);
	return 1;
}

void
period_earlier(const struct period *p, int years, struct period *out)
{
	*out = *p;
	out->year -= years;
	period_fill(out);
}

void
year_close(const struct period *p, int year, char out[11])
{
	put_date(out, year, 12, p->calendar ? 31 : 14);
}

/* ---- the words of a where ---- */

/* "{end-18y}" and the like at s (after '{'): the day, or 0 when s is
 * not one of the period's names. */
static int
period_day(const char *s, size_t n, const struct period *p, int year,
    struct buf *out)
{
	static const char *const names[] = { "start", "end", "eve" };
	const char *days[3];
	char shifted[11];
	size_t i, len;
	int k = 0;

	days[0] = p->start;
	days[1] = p->end;
	days[2] = p->eve;
	if (n == 4 && memcmp(s, "year", 4) == 0) {
		buf_printf(out, "%d", year);
		return 1;
	}
	for (i = 0; i < 3; i++) {
		len = strlen(names[i]);
		if (n < len || memcmp(s, names[i], len) != 0)
			continue;
		if (n == len) {
			buf_puts(out, days[i]);
			return 1;
		}
		if (s[len] != '-' || s[n - 1] != 'y' || n - len < 3)
			return 0;
		for (len++; len < n - 1; len++) {
			if (s[len] < '0' || s[len] > '9' || k > 1000)
				return 0;
			k = k * 10 + (s[len] - '0');
		}
		date_minus_years(days[i], k, shifted);
		buf_puts(out, shifted);
		return 1;
	}
	return 0;
}

char **
where_words(const char *s, const struct period *p, int year, const char *origin)
{
	char **w = xmalloc(sizeof *w);
	int n = 0;
	struct buf word = { 0 };

	for (;;) {
		char quote = 0;
		int have = 0;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		word.len = 0;
		for (; *s && (quote || *s != ' '); s++) {
			const char *close;

			have = 1;
			if (quote && *s == quote) {
				quote = 0;
			} else if (!quote && (*s == '\'' || *s == '"')) {
				quote = *s;
			} else if (*s == '{' && (close = strchr(s, '}')) &&
			    period_day(s + 1, (size_t)(close - s - 1), p, year, &word)) {
				s = close;
			} else {
				buf_putc(&word, *s);
			}
		}
		if (quote)
			die("%s: where: thiếu dấu %c đóng", origin, quote);
		if (have) {
			w = xrealloc(w, sizeof *w * (size_t)(n + 2));
			w[n++] = xstrdup(buf_cstr(&word));
		}
	}
	w[n] = NULL;
	buf_free(&word);
	return w;
}

void
words_free(char **w)
{
	char **p;

	for (p = w; p && *p; p++)
		free(*p);
	free(w);
}

/* ---- definitions ---- */

static char *
field_text(struct record *r, int col)
{
	struct buf b = { 0 };
	const struct field *f;

	if (col < 0)
		return xstrdup("");
	f = record_field(r, col);
	unescape(f->p, f->len, &b);
	return (char *)buf_cstr(&b);
}

static int
is_name(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static char **
split_list(const char *s, int *n)
{
	char **v = NULL;
	const char *comma;

	*n = 0;
	while (*s) {
		comma = strchr(s, ',');
		v = xrealloc(v, sizeof *v * (size_t)(*n + 1));
		v[(*n)++] = xstrndup(s, comma ? (size_t)(comma - s) : strlen(s));
		if (!comma)
			break;
		s = comma + 1;
	}
	return v;
}

static void
parse_kind(struct figure *f, const char *kind)
{
	static const char *const kinds[] = { "stock", "opening", "flow", "yearly" };
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(kind, kinds[i]) == 0) {
			f->kind = (enum fig_kind)i;
			return;
		}
	die("%s: kind '%s': phải là stock, opening, flow hoặc yearly",
	    f->origin, kind);
}

static void
parse_value(struct figure *f, const char *value)
{
	const char *sp = strchr(value, ' ');

	if (strcmp(value, "count") == 0) {
		f->value = VAL_COUNT;
		return;
	}
	if (sp && sp[1] && !strchr(sp + 1, ' ') &&
	    (strncmp(value, "sum ", 4) == 0 || strncmp(value, "list ", 5) == 0)) {
		f->value = value[0] == 's' ? VAL_SUM : VAL_LIST;
		f->valfield = xstrdup(sp + 1);
		return;
	}
	die("%s: value '%s': phải là count, sum TRƯỜNG hoặc list TRƯỜNG",
	    f->origin, value);
}

static void
figure_free(struct figure *f)
{
	int i;

	free(f->name);
	free(f->registry);
	free(f->datefield);
	free(f->where);
	free(f->unit);
	free(f->valfield);
	free(f->origin);
	for (i = 0; i < f->nby; i++)
		free(f->by[i]);
	free(f->by);
}

static void
add_figure(void *ctx, struct record *r, const int *col)
{
	struct definitions *d = ctx;
	struct figure f = { 0 };
	struct buf origin = { 0 };
	char *kind, *value, *by;
	int i;

	buf_printf(&origin, "%s:%ld", r->file, r->lineno);
	f.origin = (char *)buf_cstr(&origin);
	f.name = field_text(r, col[0]);
	kind = field_text(r, col[1]);
	f.registry = field_text(r, col[2]);
	f.datefield = field_text(r, col[3]);
	f.where = field_text(r, col[4]);
	by = field_text(r, col[5]);
	value = field_text(r, col[6]);
	f.unit = field_text(r, col[7]);
	if (!is_name(f.name))
		die("%s: name '%s': chỉ gồm chữ a-z, số và '_', bắt đầu bằng chữ",
		    f.origin, f.name);
	parse_kind(&f, kind);
	parse_value(&f, value);
	if (!*f.registry)
		die("%s: số liệu '%s' thiếu cột registry (tên sổ)", f.origin, f.name);
	if (!*f.datefield) {
		free(f.datefield);
		f.datefield = xstrdup("date");
	}
	if (*by)
		f.by = split_list(by, &f.nby);
	if (f.kind == FIG_YEARLY && f.nby > 0)
		die("%s: số liệu '%s': số liệu yearly đã chia theo năm, không có cột by",
		    f.origin, f.name);
	free(kind);
	free(value);
	free(by);
	for (i = 0; i < d->nfig; i++)
		if (strcmp(d->fig[i].name, f.name) == 0) {
			figure_free(&d->fig[i]);
			d->fig[i] = f;
			return;
		}
	d->fig = xrealloc(d->fig, sizeof *d->fig * (size_t)(d->nfig + 1));
	d->fig[d->nfig++] = f;
}

static void
add_label(void *ctx, struct record *r, const int *col)
{
	struct definitions *d = ctx;
	struct label l;
	int i;

	l.field = field_text(r, col[0]);
	l.value = field_text(r, col[1]);
	l.label = field_text(r, col[2]);
	l.group = field_text(r, col[3]);
	for (i = 0; i < d->nlab; i++)
		if (strcmp(d->lab[i].field, l.field) == 0 &&
		    strcmp(d->lab[i].value, l.value) == 0) {
			free(d->lab[i].field);
			free(d->lab[i].value);
			free(d->lab[i].label);
			free(d->lab[i].group);
			d->lab[i] = l;
			return;
		}
	d->lab = xrealloc(d->lab, sizeof *d->lab * (size_t)(d->nlab + 1));
	d->lab[d->nlab++] = l;
}

/* Read dir/file (when it exists), calling add for each record with the
 * columns of names (the first nrequired must be there; -1 for others). */
static void
read_definitions(void *ctx, const char *dir, const char *file,
    char *const *names, int nnames, int nrequired,
    void (*add)(void *, struct record *, const int *))
{
	struct view view = { 0 };
	struct reader rd;
	struct record *r;
	struct buf path = { 0 };
	char *files[2];
	int col[8], i;

	buf_printf(&path, "%s/%s", dir, file);
	if (access(path.p, F_OK) != 0) {
		buf_free(&path);
		return;
	}
	files[0] = path.p;
	files[1] = NULL;
	reader_open(&rd, 1, files, &view);
	for (i = 0; i < nnames; i++) {
		col[i] = header_index(&rd.in.hdr, names[i]);
		if (col[i] < 0 && i < nrequired)
			die("%s: thiếu cột '%s'", path.p, names[i]);
	}
	while ((r = reader_next(&rd)))
		add(ctx, r, col);
	reader_close(&rd);
	buf_free(&path);
}

void
definitions_load(struct definitions *d, const char *shipped, const char *office)
{
	static char *const fnames[] = { "name", "kind", "registry", "date",
	    "where", "by", "value", "unit" };
	static char *const lnames[] = { "field", "value", "label", "group" };
	const char *dirs[2];
	int i;

	memset(d, 0, sizeof *d);
	dirs[0] = shipped;
	dirs[1] = office;
	for (i = 0; i < 2; i++) {
		if (!dirs[i])
			continue;
		read_definitions(d, dirs[i], "figures.tsv", fnames, 8, 7, add_figure);
		read_definitions(d, dirs[i], "labels.tsv", lnames, 4, 3, add_label);
	}
	if (d->nfig == 0)
		die("không tìm thấy figures.tsv (trong %s%s%s)", shipped,
		    office ? " và " : "", office ? office : "");
}

struct settings {
	struct setting *set;
	int n;
};

static void
add_setting(void *ctx, struct record *r, const int *col)
{
	struct settings *s = ctx;

	s->set = xrealloc(s->set, sizeof *s->set * (size_t)(s->n + 1));
	s->set[s->n].key = field_text(r, col[0]);
	s->set[s->n].value = field_text(r, col[1]);
	s->n++;
}

void
settings_load(const char *dir, struct setting **set, int *n)
{
	static char *const names[] = { "key", "value" };
	struct settings s = { NULL, 0 };

	read_definitions(&s, dir, "report.tsv", names, 2, 2, add_setting);
	*set = s.set;
	*n = s.n;
}

const char *
setting_value(const struct setting *set, int n, const char *key)
{
	int i;

	for (i = n - 1; i >= 0; i--)
		if (strcmp(set[i].key, key) == 0)
			return set[i].value;
	return NULL;
}

int
figure_index(const struct definitions *d, const char *name)
{
	int i;

	for (i = 0; i < d->nfig; i++)
		if (strcmp(d->fig[i].name, name) == 0)
			return i;
	return -1;
}

static const struct label *
label_find(const struct definitions *d, const char *field, const char *value,
    size_t n)
{
	int i;

	for (i = 0; i < d->nlab; i++)
		if (strcmp(d->lab[i].field, field) == 0 &&
		    strlen(d->lab[i].value) == n &&
		    memcmp(d->lab[i].value, value, n) == 0)
			return &d->lab[i];
	return NULL;
}

const char *
label_of(const struct definitions *d, const char *field, const char *value,
    size_t n)
{
	const struct label *l = label_find(d, field, value, n);

	return l ? l->label : NULL;
}

/* Where field=value stands in the labels (their order is the report's),
 * or d->nlab when it has none. */
static int
label_rank(const struct definitions *d, const char *field, const char *value,
    size_t n)
{
	const struct label *l = label_find(d, field, value, n);

	return l ? (int)(l - d->lab) : d->nlab;
}

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
	struct flock fl = { 0 };
	struct sha256 sum;
	struct stat st;
	char block[65536];
	off_t left;
	ssize_t n;
	int fd = open(s->path, O_RDONLY);

	if (fd < 0)
		die("%s: %s", s->path, strerror(errno));
	fl.l_type = F_RDLCK;
	fl.l_whence = SEEK_SET;
	while (fcntl(fd, F_SETLKW, &fl) < 0 && errno == EINTR)
		;
	if (fstat(fd, &st) < 0)
		die("%s: %s", s->path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		die("%s: không phải tệp thường", s->path);
	s->length = st.st_size;
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
		registry_path(o, d->fig[i].registry, &path);
		if (source_index(o, buf_cstr(&path)) >= 0)
			continue;
		if (access(path.p, F_OK) != 0)
			die("%s: không có sổ này (số liệu '%s', %s)", path.p,
			    d->fig[i].name, d->fig[i].origin);
		o->src = xrealloc(o->src, sizeof *o->src * (size_t)(o->nsrc + 1));
		memset(&o->src[o->nsrc], 0, sizeof *o->src);
		o->src[o->nsrc].path = xstrdup(path.p);
		take_source(&o->src[o->nsrc++]);
	}
	buf_free(&path);
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
	if (f->kind == FIG_FLOW) {
		t->datef = need_field(h, f->datefield, f);
		t->from = date_key(p->start, 10);
		t->to = date_key(p->end, 10);
	}
	t->byf = xmalloc(sizeof *t->byf * (size_t)(f->nby + 1));
	for (i = 0; i < f->nby; i++)
		t->byf[i] = need_field(h, f->by[i], f);
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
			field_canonical(v->p, v->len, key);
	}
}

static void
list_append(struct fvalue *v, struct acc *a, const char *p, size_t n)
{
	struct buf *b;

	if (!a->list) {
		v->lists = xrealloc(v->lists, sizeof *v->lists * (v->nlists + 1));
		memset(&v->lists[v->nlists], 0, sizeof *v->lists);
		a->list = ++v->nlists;
	}
	b = &v->lists[a->list - 1];
	if (b->len)
		buf_puts(b, ", ");
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

		fld = record_field(r, t->datef);
		day = date_key(fld->p, fld->len);
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
		if (decimal_add(&a->sum, x) != NUM_OK)
			die_at(r->file, r->lineno, "số liệu '%s': tổng của '%s' vượt quá "
			    "giới hạn", f->name, f->valfield);
		return;
	}
	scratch->len = 0;
	unescape(fld->p, fld->len, scratch);
	if (t->masked)
		mask_id(scratch->p, scratch->len);
	list_append(v, a, scratch->p, scratch->len);
}

/* One reading of registry path as of day for tasks t[0..n). */
static void
read_registry(const struct source *s, const char *day, struct task *t, int n,
    const struct definitions *d, struct fvalue *val, const struct period *p,
    int year)
{
	struct view view = { 0 };
	struct reader rd;
	struct record *r;
	struct schema schema;
	struct buf key = { 0 }, scratch = { 0 };
	struct shared sh = { 0 };
	char *files[2];
	int i, has_schema;
	size_t k;

	files[0] = s->path;
	files[1] = NULL;
	view.asof = day;
	view.length = s->length;
	has_schema = schema_find(s->path, NULL, &schema);
	reader_open(&rd, 1, files, &view);
	table_init(&sh.words, 0);
	for (i = 0; i < n; i++)
		task_prepare(&t[i], &d->fig[t[i].fig], &rd.in.hdr,
		    has_schema ? &schema : NULL, p, year, d->show_cccd, &sh);
	sh.answer = xmalloc(sh.words.n + 1);
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
	struct view view = { 0 };
	struct reader rd;
	struct record *r;
	char *files[2];
	uint32_t first = 0, k;
	const struct field *f;

	files[0] = s->path;
	files[1] = NULL;
	view.history = 1;
	view.length = s->length;
	reader_open(&rd, 1, files, &view);
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
	if (f->nby && d->nlab)
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

	memset(done, 0, (size_t)d->nfig);
	for (i = 0; i < d->nfig; i++) {
		const struct figure *f = &d->fig[i];
		const char *want = f->kind == FIG_OPENING ? p->eve : p->end;

		if (done[i] || f->kind == FIG_YEARLY)
			continue;
		n = 0;
		for (j = i; j < d->nfig; j++) {
			const struct figure *g = &d->fig[j];

			if (done[j] || g->kind == FIG_YEARLY ||
			    strcmp(g->registry, f->registry) != 0 ||
			    strcmp(g->kind == FIG_OPENING ? p->eve : p->end, want) != 0)
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
			if (add_int64(&b->count, a->count) != NUM_OK ||
			    decimal_add(&b->sum, a->sum) != NUM_OK)
				die("số liệu '%s': tổng của các đơn vị vượt quá giới hạn",
				    d->fig[i].name);
			if (a->list)
				list_append(to, b, from->lists[a->list - 1].p,
				    from->lists[a->list - 1].len);
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
		decimal_format(a->sum, out);
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

	buf_printf(out, "dc-grep%s --asof %s", counting ? " -c" : "", day);
	if (f->kind == FIG_FLOW)
		buf_printf(out, " '%s>=%s' '%s<=%s'", f->datefield, p->start,
		    f->datefield, p->end);
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
		explain_one(f, o, p, f->kind == FIG_OPENING ? p->eve : p->end,
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
