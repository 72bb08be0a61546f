/* render.c: dc-report's templates: text with {figure|filter} places,
 * {if}, {each} and {include}.  See dc-report(5). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "text.h"

enum ntype { N_TEXT, N_REF, N_IF, N_EACH };
enum fstep { F_PREV = 1, F_CHANGE, F_LABEL };

struct node {
	enum ntype type;
	const char *text;               /* N_TEXT */
	size_t len;
	char *name, *divisor;           /* N_REF: {name/divisor|...} */
	char *minus;                    /* N_REF: {name-minus|...} */
	char *left, *right;             /* N_IF: left, or left=right, left!=right */
	int negate;
	int special;                    /* N_REF: F_PREV, F_CHANGE or F_LABEL first */
	const struct filter **filters;
	int nfilters;
	struct node *kids, *alt;        /* N_IF, N_EACH: the body, {else} */
	int nkids, nalt;
	char *origin;                   /* "annual.txt:12" */
};

/* ---- parsing ---- */

struct parser {
	const char *text, *file;
	const char *s;
	const struct report *r;
	int depth;                      /* of includes */
	int nesting;                    /* of {if} and {each} */
	struct template *t;
	const char *counted;            /* lines counted up to here, */
	long line;                      /* the line there: linear time */
};

static char *
origin_of(struct parser *ps, const char *at)
{
	struct buf b = { 0 };

	if (!ps->counted || at < ps->counted) {
		ps->counted = ps->text;
		ps->line = 1;
	}
	for (; ps->counted < at; ps->counted++)
		ps->line += *ps->counted == '\n';
	buf_printf(&b, "%s:%ld", ps->file, ps->line);
	return (char *)buf_cstr(&b);
}

static struct node *
add_node(struct node **v, int *n, enum ntype type)
{
	struct node *x;

	*v = xrealloc(*v, sizeof **v * (size_t)(*n + 1));
	x = &(*v)[(*n)++];
	memset(x, 0, sizeof *x);
	x->type = type;
	return x;
}

static char *
trimmed(const char *p, size_t n)
{
	while (n && *p == ' ')
		p++, n--;
	while (n && p[n - 1] == ' ')
		n--;
	return xstrndup(p, n);
}

static void parse_nodes(struct parser *ps, struct node **v, int *n,
    const char **ended);
static void include_file(struct parser *ps, const char *name, struct node **v,
    int *n);

static void
parse_ref(struct parser *ps, struct node *x, const char *p, size_t n)
{
	const char *bar = memchr(p, '|', n), *slash;
	size_t head = bar ? (size_t)(bar - p) : n;

	/* Names hold no '/' nor '-': {a/b} is a share, {a-b} a difference. */
	slash = memchr(p, '/', head);
	if (!slash)
		slash = memchr(p, '-', head);
	x->name = trimmed(p, slash ? (size_t)(slash - p) : head);
	if (slash && *slash == '/')
		x->divisor = trimmed(slash + 1, (size_t)(p + head - slash - 1));
	else if (slash)
		x->minus = trimmed(slash + 1, (size_t)(p + head - slash - 1));
	while (bar) {
		const char *name = bar + 1;
		const struct filter *f;
		size_t len;

		bar = memchr(name, '|', (size_t)(p + n - name));
		len = (size_t)((bar ? bar : p + n) - name);
		while (len && *name == ' ')
			name++, len--;
		while (len && name[len - 1] == ' ')
			len--;
		if (x->nfilters == 0 && !x->special && len == 4 &&
		    memcmp(name, "prev", 4) == 0) {
			x->special = F_PREV;
			ps->t->uses_prev = 1;
			continue;
		}
		if (x->nfilters == 0 && !x->special && len == 6 &&
		    memcmp(name, "change", 6) == 0) {
			x->special = F_CHANGE;
			ps->t->uses_prev = 1;
			continue;
		}
		if (x->nfilters == 0 && !x->special && len == 5 &&
		    memcmp(name, "label", 5) == 0) {
			x->special = F_LABEL;
			continue;
		}
		if (!(f = filter_find(name, len))) {
			struct buf list = { 0 };

			filter_names(&list, ", ");
			die("%s: không có bộ lọc '%.*s'; các bộ lọc: prev, change, label"
			    " (đứng đầu), %s", x->origin, (int)len, name, buf_cstr(&list));
		}
		x->filters = xrealloc(x->filters, sizeof *x->filters *
		    (size_t)(x->nfilters + 1));
		x->filters[x->nfilters++] = f;
	}
	if (!*x->name)
		die("%s: '{}' rỗng (viết '{{' cho dấu ngoặc)", x->origin);
}

static void
parse_cond(struct node *x, const char *p, size_t n)
{
	const char *eq = memchr(p, '=', n);

	if (!eq) {
		x->negate = n > 0 && *p == '!';
		x->left = trimmed(p + x->negate, n - (size_t)x->negate);
	} else {
		x->negate = eq > p && eq[-1] == '!';
		x->left = trimmed(p, (size_t)(eq - p) - (size_t)x->negate);
		x->right = trimmed(eq + 1, (size_t)(p + n - eq - 1));
		x->negate += 2;         /* 2: =, 3: != */
	}
	if (!*x->left || (x->right && !*x->right))
		die("%s: {if} thiếu điều kiện", x->origin);
}

/* A block tag alone on its line takes the line's newline with it. */
static void
skip_tag_newline(struct parser *ps, const char *tag)
{
	if ((tag == ps->text || tag[-1] == '\n') && *ps->s == '\n')
		ps->s++;
}

/* One "{...}" at ps->s; returns 1 when it ends the current block
 * ({else} or {end}), the word in *ended. */
static int
parse_tag(struct parser *ps, struct node **v, int *n, const char **ended)
{
	const char *tag = ps->s, *p = tag + 1, *close;
	size_t len;
	struct node *x;

	if (p[0] == '#') {
		if (!(close = strchr(p, '}')))
			die("%s: '{#' chưa đóng", origin_of(ps, tag));
		ps->s = close + 1;
		if (*ps->s == '\n')
			ps->s++;
		return 0;
	}
	if (!(close = strchr(p, '}')))
		die("%s: '{' chưa đóng (viết '{{' cho dấu ngoặc)", origin_of(ps, tag));
	len = (size_t)(close - p);
	ps->s = close + 1;
	if ((len == 4 && memcmp(p, "else", 4) == 0) ||
	    (len == 3 && memcmp(p, "end", 3) == 0)) {
		skip_tag_newline(ps, tag);
		*ended = len == 3 ? "end" : "else";
		return 1;
	}
	if (((len > 3 && memcmp(p, "if ", 3) == 0) ||
	    (len > 5 && memcmp(p, "each ", 5) == 0)) && ps->nesting >= 16)
		die("%s: {if} và {each} lồng quá 16 bậc", origin_of(ps, tag));
	if (len > 3 && memcmp(p, "if ", 3) == 0) {
		const char *end = NULL;

		x = add_node(v, n, N_IF);
		x->origin = origin_of(ps, tag);
		ps->nesting++;
		parse_cond(x, p + 3, len - 3);
		skip_tag_newline(ps, tag);
		parse_nodes(ps, &x->kids, &x->nkids, &end);
		if (end && strcmp(end, "else") == 0)
			parse_nodes(ps, &x->alt, &x->nalt, &end);
		if (!end || strcmp(end, "end") != 0)
			die("%s: {if} thiếu {end}", x->origin);
		ps->nesting--;
		return 0;
	}
	if (len > 5 && memcmp(p, "each ", 5) == 0) {
		const char *end = NULL;

		x = add_node(v, n, N_EACH);
		x->origin = origin_of(ps, tag);
		x->name = trimmed(p + 5, len - 5);
		skip_tag_newline(ps, tag);
		ps->nesting++;
		parse_nodes(ps, &x->kids, &x->nkids, &end);
		if (!end || strcmp(end, "end") != 0)
			die("%s: {each} thiếu {end}", x->origin);
		ps->nesting--;
		return 0;
	}
	if (len > 8 && memcmp(p, "include ", 8) == 0) {
		char *name = trimmed(p + 8, len - 8);

		skip_tag_newline(ps, tag);
		include_file(ps, name, v, n);
		free(name);
		return 0;
	}
	x = add_node(v, n, N_REF);
	x->origin = origin_of(ps, tag);
	parse_ref(ps, x, p, len);
	return 0;
}

static void
parse_nodes(struct parser *ps, struct node **v, int *n, const char **ended)
{
	struct node *x;

	while (*ps->s) {
		size_t lit = strcspn(ps->s, "{}");

		if (lit > 0) {
			x = add_node(v, n, N_TEXT);
			x->text = ps->s;
			x->len = lit;
			ps->s += lit;
			continue;
		}
		if (ps->s[1] == ps->s[0]) {
			x = add_node(v, n, N_TEXT);
			x->text = ps->s;
			x->len = 1;
			ps->s += 2;
		} else if (*ps->s == '}') {
			die("%s: '}' lẻ (viết '}}' cho dấu ngoặc)", origin_of(ps, ps->s));
		} else if (parse_tag(ps, v, n, ended)) {
			if (!ended)
				die("%s: {%s} không có {if} hay {each} mở",
				    origin_of(ps, ps->s - 1), *ended);
			return;
		}
	}
	if (ended)
		*ended = NULL;
}

/* The template file of name: a path when it holds '/', else NAME.txt
 * in the office's directory, else in the shipped one. */
static char *
template_path(const char *name, const struct report *r)
{
	struct buf b = { 0 };
	int i;

	if (strchr(name, '/'))
		return xstrdup(name);
	for (i = 0; i < 2; i++) {
		if (!r->dirs[i])
			continue;
		b.len = 0;
		buf_printf(&b, "%s/%s.txt", r->dirs[i], name);
		if (access(b.p, F_OK) == 0)
			return (char *)buf_cstr(&b);
	}
	die("không có mẫu báo cáo '%s' (tệp %s.txt trong %s%s%s)", name, name,
	    r->dirs[0] ? r->dirs[0] : "", r->dirs[0] ? " hoặc " : "", r->dirs[1]);
	return NULL;
}

static void
parse_file(struct parser *ps, const char *name, struct node **v, int *n)
{
	struct parser sub = *ps;
	char *path = template_path(name, ps->r);
	const char *ended = NULL;

	if (ps->depth > 16)
		die("%s: {include %s}: include lồng quá sâu", ps->file, name);
	sub.file = path;
	sub.text = sub.s = read_text_file(path);
	sub.counted = NULL;
	ps->t->texts = xrealloc(ps->t->texts, sizeof *ps->t->texts *
	    (size_t)(ps->t->ntexts + 2));
	ps->t->texts[ps->t->ntexts++] = (char *)sub.text;
	ps->t->texts[ps->t->ntexts++] = path;
	sub.depth = ps->depth + 1;
	parse_nodes(&sub, v, n, &ended);
	if (ended)
		die("%s: {%s} không có {if} hay {each} mở", path, ended);
}

static void
include_file(struct parser *ps, const char *name, struct node **v, int *n)
{
	parse_file(ps, name, v, n);
}

void
template_load(struct template *t, const char *name, const struct report *r)
{
	struct parser ps = { 0 };

	memset(t, 0, sizeof *t);
	ps.r = r;
	ps.t = t;
	ps.file = name;
	parse_file(&ps, name, &t->nodes, &t->n);
}

/* ---- names ---- */

/* An {each}'s current row. */
struct frame {
	int fig;                        /* -1: {each office} */
	long row;
	const struct fvalue *v;
	struct office *office;
};

struct ctx {
	const struct report *r;
	struct office *office;          /* whose figures */
	struct frame stack[16];
	int depth;
	struct buf scratch;
};

static const char *const year_by[] = { "year" };

/* The fields a figure's rows are keyed by (a yearly one: year). */
static char *const *
fig_by(const struct figure *f, int *n)
{
	if (f->kind == FIG_YEARLY) {
		*n = 1;
		return (char *const *)year_by;
	}
	*n = f->nby;
	return f->by;
}

static int
same_by(const struct figure *a, const struct figure *b)
{
	char *const *x, *const *y;
	int nx, ny, i;

	x = fig_by(a, &nx);
	y = fig_by(b, &ny);
	if (nx != ny)
		return 0;
	for (i = 0; i < nx; i++)
		if (strcmp(x[i], y[i]) != 0)
			return 0;
	return 1;
}

int
builtin(const struct report *r, const char *name, struct buf *out)
{
	const struct period *p = r->per[0], *q = r->per[1];

	if (strcmp(name, "period") == 0)
		buf_puts(out, p->name);
	else if (strcmp(name, "period_start") == 0)
		buf_puts(out, p->start);
	else if (strcmp(name, "period_end") == 0)
		buf_puts(out, p->end);
	else if (strcmp(name, "eve") == 0)
		buf_puts(out, p->eve);
	else if (strcmp(name, "year") == 0)
		buf_printf(out, "%d", p->year);
	else if (strcmp(name, "prev_year") == 0)
		buf_printf(out, "%d", p->year - 1);
	else if (strcmp(name, "next_year") == 0)
		buf_printf(out, "%d", p->year + 1);
	else if (strcmp(name, "prev_period") == 0)
		buf_puts(out, q->name);
	else if (strcmp(name, "prev_start") == 0)
		buf_puts(out, q->start);
	else if (strcmp(name, "prev_end") == 0)
		buf_puts(out, q->end);
	else if (strcmp(name, "today") == 0)
		buf_puts(out, r->today);
	else if (strcmp(name, "sources") == 0 && r->sources && *r->sources)
		buf_put(out, r->sources, strlen(r->sources) - 1);  /* its lines */
	else if (strcmp(name, "sources") == 0)
		;
	else if (strcmp(name, "offices") == 0)
		buf_printf(out, "%d", r->noffices);
	else
		return 0;
	return 1;
}

/* The row of figure f in v keyed like the innermost frame's row. */
static long
row_like(const struct frame *fr, const struct fvalue *v)
{
	const struct fvalue *own = fr->v;
	const char *key;
	size_t len;

	key = table_key(&own->rows, (size_t)fr->row, &len);
	return table_find(&v->rows, key, len);
}

/* All rows of f in v, as one value. */
static void
total_text(const struct figure *f, const struct fvalue *v, struct buf *out)
{
	struct fvalue sum = { 0 };
	struct acc *a;
	size_t k;

	if (v->rows.n == 0 || (f->nby == 0 && f->kind != FIG_YEARLY)) {
		fvalue_text(f, v, v->rows.n ? 0 : -1, out);
		return;
	}
	table_init(&sum.rows, sizeof(struct acc));
	a = table_value(&sum.rows, table_put(&sum.rows, "", 0, NULL));
	for (k = 0; k < v->rows.n; k++) {
		const struct acc *b = table_value(&v->rows, k);
		struct buf *l;

		if (acc_add(a, b) != NUM_OK)
			die("số liệu '%s': tổng vượt quá giới hạn", f->name);
		if (!b->list)
			continue;
		if (!a->list) {
			sum.lists = xmalloc(sizeof *sum.lists);
			memset(sum.lists, 0, sizeof *sum.lists);
			sum.nlists = 1;
			a->list = 1;
		}
		l = &sum.lists[0];
		if (l->len)
			buf_puts(l, ", ");
		buf_put(l, v->lists[b->list - 1].p, v->lists[b->list - 1].len);
	}
	fvalue_text(f, &sum, 0, out);
	table_free(&sum.rows);
	if (sum.lists) {
		buf_free(&sum.lists[0]);
		free(sum.lists);
	}
}

/* The by field name's value in a frame's row, or 0 when it has none. */
static int
key_part(const struct ctx *c, const struct frame *fr, const char *name,
    struct buf *out)
{
	const struct figure *f = &c->r->d->fig[fr->fig];
	char *const *by;
	const char *key, *end;
	size_t len;
	int n, i;

	by = fig_by(f, &n);
	for (i = 0; i < n; i++)
		if (strcmp(by[i], name) == 0)
			break;
	if (i == n)
		return 0;
	key = table_key(&fr->v->rows, (size_t)fr->row, &len);
	for (; i > 0; i--) {
		end = memchr(key, '\t', len);
		len -= (size_t)(end - key) + 1;
		key = end + 1;
	}
	end = memchr(key, '\t', len);
	unescape(key, end ? (size_t)(end - key) : len, out);
	return 1;
}

/* Figure fi's value in slot, seen from the context. */
static void
figure_text(const struct ctx *c, int fi, int slot, struct buf *out)
{
	const struct figure *f = &c->r->d->fig[fi];
	const struct fvalue *v = &c->office->val[slot][fi];
	int i;

	for (i = c->depth - 1; i >= 0; i--) {
		const struct frame *fr = &c->stack[i];

		if (fr->fig < 0 || !same_by(&c->r->d->fig[fr->fig], f))
			continue;
		fvalue_text(f, v, row_like(fr, v), out);
		return;
	}
	total_text(f, v, out);
}

/* The raw value of name (slot 1: a year earlier); 0 when there is none. */
static int
name_text(const struct ctx *c, const char *name, int slot, struct buf *out)
{
	const char *s;
	int i, fi = figure_index(c->r->d, name);

	if (fi >= 0) {
		figure_text(c, fi, slot, out);
		return 1;
	}
	for (i = c->depth - 1; i >= 0; i--) {
		const struct frame *fr = &c->stack[i];

		if (fr->fig < 0 && strcmp(name, "office") == 0) {
			buf_puts(out, fr->office->name);
			return 1;
		}
		if (fr->fig >= 0 && key_part(c, fr, name, out))
			return 1;
	}
	if (slot == 0 && builtin(c->r, name, out))
		return 1;
	if (slot == 0 && (s = setting_value(c->r->set, c->r->nset, name))) {
		buf_puts(out, s);
		return 1;
	}
	return 0;
}

/* ---- checking ---- */

struct scope {
	const char *names[16];          /* the enclosing eaches */
	int n;
};

static int
in_scope(const struct report *r, const struct scope *sc, const char *name)
{
	char *const *by;
	int i, k, n;

	for (i = 0; i < sc->n; i++) {
		if (strcmp(sc->names[i], "office") == 0) {
			if (strcmp(name, "office") == 0)
				return 1;
			continue;
		}
		by = fig_by(&r->d->fig[figure_index(r->d, sc->names[i])], &n);
		for (k = 0; k < n; k++)
			if (strcmp(by[k], name) == 0)
				return 1;
	}
	return 0;
}

static int
known(const struct report *r, const struct scope *sc, const char *name)
{
	struct buf b = { 0 };
	int fi = figure_index(r->d, name);
	int ok = fi >= 0 || in_scope(r, sc, name) ||
	    setting_value(r->set, r->nset, name) || builtin(r, name, &b);

	if (fi >= 0)
		r->used[fi] = 1;
	buf_free(&b);
	return ok;
}

static void
unknown(const struct report *r, const struct node *x, const char *name)
{
	die("%s: không có số liệu, thiết đặt hay tên '%s': không có trong "
	    "figures.tsv, trong các thiết đặt (%s/report.tsv), trong các tên có "
	    "sẵn, hay trong các trường của {each} bao quanh", x->origin, name,
	    r->dirs[0]);
}

static void
check_nodes(const struct report *r, const struct node *v, int n,
    struct scope *sc)
{
	int i;

	for (i = 0; i < n; i++) {
		const struct node *x = &v[i];
		int fi;

		switch (x->type) {
		case N_TEXT:
			break;
		case N_REF:
			if (!known(r, sc, x->name))
				unknown(r, x, x->name);
			if (x->divisor && !known(r, sc, x->divisor))
				unknown(r, x, x->divisor);
			if (x->minus && !known(r, sc, x->minus))
				unknown(r, x, x->minus);
			fi = figure_index(r->d, x->name);
			if (x->special == F_CHANGE && (x->divisor || x->minus))
				die("%s: '|change' là so sánh một số liệu; {%s%c%s} là "
				    "phép tính", x->origin, x->name, x->divisor ? '/' : '-',
				    x->divisor ? x->divisor : x->minus);
			if ((x->special == F_PREV || x->special == F_CHANGE) &&
			    (fi < 0 || r->d->fig[fi].value == VAL_LIST))
				die("%s: '%s|%s': chỉ số liệu đếm hoặc cộng mới có cùng kỳ",
				    x->origin, x->name, x->special == F_PREV ? "prev" : "change");
			break;
		case N_IF:
			if (!known(r, sc, x->left))
				unknown(r, x, x->left);
			/* The right side is a name when it is one. */
			if (x->right)
				(void)known(r, sc, x->right);
			check_nodes(r, x->kids, x->nkids, sc);
			check_nodes(r, x->alt, x->nalt, sc);
			break;
		case N_EACH:
			fi = figure_index(r->d, x->name);
			if (fi >= 0)
				r->used[fi] = 1;
			if (strcmp(x->name, "office") != 0 && (fi < 0 ||
			    (r->d->fig[fi].nby == 0 && r->d->fig[fi].kind != FIG_YEARLY)))
				die("%s: {each %s}: cần một số liệu dạng bảng (có 'by' hoặc "
				    "yearly) hoặc 'office'", x->origin, x->name);
			if (sc->n == 16)
				die("%s: {each} lồng quá sâu", x->origin);
			sc->names[sc->n++] = x->name;
			check_nodes(r, x->kids, x->nkids, sc);
			sc->n--;
			break;
		}
	}
}

void
template_check(const struct template *t, const struct report *r)
{
	struct scope sc = { { 0 }, 0 };

	check_nodes(r, t->nodes, t->n, &sc);
}

/* ---- rendering ---- */

static int
parse_number(const char *p, size_t n, struct decimal *d)
{
	return n > 0 && parse_decimal(p, n, d) == NUM_OK;
}

/* Two decimals at one scale (0 when they cannot be). */
static int
same_scale(struct decimal *a, struct decimal *b)
{
	return decimal_rescale(a, b->scale) && decimal_rescale(b, a->scale);
}

static void
share_text(const struct node *x, const char *a, size_t an, const char *b,
    size_t bn, struct buf *out)
{
	struct decimal part, whole;

	if (!parse_number(a, an, &part) || !parse_number(b, bn, &whole))
		die("%s: {%s/%s}: '%.*s' / '%.*s' không phải số", x->origin, x->name,
		    x->divisor, (int)an, a, (int)bn, b);
	if (!same_scale(&part, &whole))
		die("%s: {%s/%s}: số quá lớn", x->origin, x->name, x->divisor);
	if (whole.units == 0)
		buf_puts(out, "0.0");
	else
		percent_format(part.units, whole.units, out);
}

static void
difference_text(const struct node *x, const char *a, size_t an, const char *b,
    size_t bn, struct buf *out)
{
	struct decimal da, db;

	if (!parse_number(a, an, &da) || !parse_number(b, bn, &db))
		die("%s: {%s-%s}: '%.*s' - '%.*s' không phải số", x->origin, x->name,
		    x->minus, (int)an, a, (int)bn, b);
	if (db.units == INT64_MIN)      /* no int64 is its negation */
		die("%s: {%s-%s}: số quá lớn", x->origin, x->name, x->minus);
	db.units = -db.units;
	if (decimal_add(&da, db) != NUM_OK)
		die("%s: {%s-%s}: số quá lớn", x->origin, x->name, x->minus);
	decimal_format(da, out);
}

/* "tăng 05 vụ (8,2%)", "giảm 03 người (4,1%)", "bằng cùng kỳ". */
static void
change_text(const struct node *x, const struct figure *f, const char *cur,
    const char *prev, struct buf *out)
{
	struct decimal a, b, d;
	int64_t lo;
	struct buf raw = { 0 }, pct = { 0 };
	const struct filter *pad2 = filter_find("pad2", 4), *num = filter_find("num", 3),
	    *pctf = filter_find("pct", 3);

	if (!parse_number(cur, strlen(cur), &a) || !parse_number(prev, strlen(prev), &b) ||
	    !same_scale(&a, &b))
		die("%s: '%s|change': không so sánh được '%s' với '%s'", x->origin,
		    x->name, cur, prev);
	if (a.units == b.units) {
		buf_puts(out, "bằng cùng kỳ");
		return;
	}
	/* The difference, larger less smaller, which int64 may not hold. */
	d.scale = a.scale;
	d.units = a.units > b.units ? a.units : b.units;
	lo = a.units > b.units ? b.units : a.units;
	if (lo == INT64_MIN || add_int64(&d.units, -lo) != NUM_OK)
		die("%s: '%s|change': số quá lớn", x->origin, x->name);
	buf_puts(out, a.units > b.units ? "tăng " : "giảm ");
	decimal_format(d, &raw);
	(d.scale == 0 ? pad2 : num)->fn(raw.p, raw.len, out);
	/* Units written as symbols stick to the number: 1,831g, 500.000đ. */
	if (*f->unit) {
		if (strcmp(f->unit, "g") != 0 && strcmp(f->unit, "đ") != 0)
			buf_putc(out, ' ');
		buf_puts(out, f->unit);
	}
	if (b.units != 0) {
		raw.len = 0;
		percent_format(d.units, b.units < 0 ? -b.units : b.units, &raw);
		buf_puts(out, " (");
		pctf->fn(raw.p, raw.len, &pct);
		buf_put(out, pct.p, pct.len);
		buf_putc(out, ')');
	}
	buf_free(&raw);
	buf_free(&pct);
}

static void
ref_text(struct ctx *c, const struct node *x, struct buf *out)
{
	struct buf v = { 0 }, w = { 0 }, *cur = &v, *next = &w, *swap;
	const char *why;
	int i;

	if (x->special == F_CHANGE) {
		struct buf prev = { 0 };

		name_text(c, x->name, 0, &v);
		name_text(c, x->name, 1, &prev);
		change_text(x, &c->r->d->fig[figure_index(c->r->d, x->name)],
		    buf_cstr(&v), buf_cstr(&prev), &w);
		buf_free(&prev);
		swap = cur, cur = next, next = swap;
	} else if (x->divisor || x->minus) {
		struct buf a = { 0 }, b = { 0 };
		int slot = x->special == F_PREV;

		name_text(c, x->name, slot, &a);
		name_text(c, x->divisor ? x->divisor : x->minus, slot, &b);
		if (x->divisor)
			share_text(x, a.p ? a.p : "", a.len, b.p ? b.p : "", b.len, &v);
		else
			difference_text(x, a.p ? a.p : "", a.len, b.p ? b.p : "",
			    b.len, &v);
		buf_free(&a);
		buf_free(&b);
	} else {
		name_text(c, x->name, x->special == F_PREV, &v);
	}
	if (x->special == F_LABEL && cur->len > 0) {
		const char *l = label_of(c->r->d, x->name, cur->p, cur->len);

		if (!l)
			die("%s: labels.tsv không có nhãn cho %s=%.*s", x->origin,
			    x->name, (int)cur->len, cur->p);
		cur->len = 0;
		buf_puts(cur, l);
	}
	for (i = 0; i < x->nfilters && cur->len > 0; i++) {
		next->len = 0;
		if ((why = x->filters[i]->fn(cur->p, cur->len, next)))
			die("%s: bộ lọc '%s': '%s' %s", x->origin, x->filters[i]->name,
			    buf_cstr(cur), why);
		swap = cur, cur = next, next = swap;
	}
	buf_put(out, cur->p, cur->len);
	buf_free(&v);
	buf_free(&w);
}

static int
truth(const char *p, size_t n)
{
	struct decimal d;

	if (n == 0)
		return 0;
	if (parse_number(p, n, &d))
		return d.units != 0;
	return 1;
}

static int
cond_true(struct ctx *c, const struct node *x)
{
	struct buf a = { 0 }, b = { 0 };
	struct decimal da, db;
	int t;

	name_text(c, x->left, 0, &a);
	if (!x->right) {
		t = truth(a.p, a.len) != (x->negate == 1);
	} else {
		if (!name_text(c, x->right, 0, &b))
			buf_puts(&b, x->right);
		if (parse_number(a.p, a.len, &da) && parse_number(b.p, b.len, &db) &&
		    same_scale(&da, &db))
			t = da.units == db.units;
		else
			t = a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
		t = t != (x->negate == 3);
	}
	buf_free(&a);
	buf_free(&b);
	return t;
}

static void render_nodes(struct ctx *c, const struct node *v, int n,
    struct buf *out);

/* Whether row k of v (figure f) lies under the enclosing rows whose
 * keys begin its own: a nested each shows the rows of its outer row. */
static int
under_outer(const struct ctx *c, const struct figure *f,
    const struct fvalue *v, size_t k)
{
	char *const *by, *const *oby;
	const char *key, *okey;
	size_t len, olen, i;
	int n, on, d;

	by = fig_by(f, &n);
	key = table_key(&v->rows, k, &len);
	for (d = c->depth - 1; d >= 0; d--) {
		const struct frame *fr = &c->stack[d];

		if (fr->fig < 0)
			continue;
		oby = fig_by(&c->r->d->fig[fr->fig], &on);
		if (on >= n)
			continue;
		for (i = 0; i < (size_t)on; i++)
			if (strcmp(oby[i], by[i]) != 0)
				break;
		if (i < (size_t)on)
			continue;
		okey = table_key(&fr->v->rows, (size_t)fr->row, &olen);
		return len > olen && memcmp(key, okey, olen) == 0 && key[olen] == '\t';
	}
	return 1;
}

static void
render_each(struct ctx *c, const struct node *x, struct buf *out)
{
	struct frame *fr = &c->stack[c->depth];
	struct office *saved = c->office;
	int fi, i;
	size_t k;

	if (strcmp(x->name, "office") == 0) {
		for (i = 0; i < c->r->noffices; i++) {
			fr->fig = -1;
			fr->office = c->office = &c->r->offices[i];
			c->depth++;
			render_nodes(c, x->kids, x->nkids, out);
			c->depth--;
		}
		c->office = saved;
		return;
	}
	fi = figure_index(c->r->d, x->name);
	for (k = 0; k < c->office->val[0][fi].rows.n; k++) {
		const struct fvalue *v = &c->office->val[0][fi];

		fr->fig = fi;
		fr->v = v;
		fr->row = (long)v->order[k];
		if (!under_outer(c, &c->r->d->fig[fi], v, (size_t)fr->row))
			continue;
		c->depth++;
		render_nodes(c, x->kids, x->nkids, out);
		c->depth--;
	}
}

static void
render_nodes(struct ctx *c, const struct node *v, int n, struct buf *out)
{
	int i;

	for (i = 0; i < n; i++) {
		const struct node *x = &v[i];

		switch (x->type) {
		case N_TEXT:
			buf_put(out, x->text, x->len);
			break;
		case N_REF:
			ref_text(c, x, out);
			break;
		case N_IF:
			if (cond_true(c, x))
				render_nodes(c, x->kids, x->nkids, out);
			else
				render_nodes(c, x->alt, x->nalt, out);
			break;
		case N_EACH:
			render_each(c, x, out);
			break;
		}
	}
}

static void
nodes_free(struct node *v, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].divisor);
		free(v[i].minus);
		free(v[i].left);
		free(v[i].right);
		free(v[i].filters);
		free(v[i].origin);
		nodes_free(v[i].kids, v[i].nkids);
		nodes_free(v[i].alt, v[i].nalt);
	}
	free(v);
}

void
template_free(struct template *t)
{
	int i;

	nodes_free(t->nodes, t->n);
	for (i = 0; i < t->ntexts; i++)
		free(t->texts[i]);
	free(t->texts);
}

void
template_render(const struct template *t, const struct report *r,
    struct buf *out)
{
	struct ctx c;

	memset(&c, 0, sizeof c);
	c.r = r;
	c.office = r->total;
	render_nodes(&c, t->nodes, t->n, out);
	buf_free(&c.scratch);
}
