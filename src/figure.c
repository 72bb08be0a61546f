/* figure.c: dc-report's figure definitions, labels and settings: the
 * records an office reads and edits.  See dc-report(5). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

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
	static const char *const kinds[] = { "stock", "opening", "flow", "yearly",
	    "current" };
	int i;

	for (i = 0; i < 5; i++)
		if (strcmp(kind, kinds[i]) == 0) {
			f->kind = (enum fig_kind)i;
			return;
		}
	die("%s: kind '%s': phải là stock, opening, flow, yearly hoặc current",
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
			size_t n = strlen(r->file);

			/* An office's file replaces a shipped figure; one file
			 * naming a figure twice is a slip. */
			if (strncmp(d->fig[i].origin, r->file, n) == 0 &&
			    d->fig[i].origin[n] == ':')
				die("%s: số liệu '%s' đã có ở %s", f.origin, f.name,
				    d->fig[i].origin);
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
	l.file = xstrdup(r->file);
	l.line = r->lineno;
	for (i = 0; i < d->nlab; i++)
		if (strcmp(d->lab[i].field, l.field) == 0 &&
		    strcmp(d->lab[i].value, l.value) == 0) {
			if (strcmp(d->lab[i].file, r->file) == 0)
				die_at(r->file, r->lineno, "nhãn %s=%s đã có ở dòng %ld",
				    l.field, l.value, d->lab[i].line);
			free(d->lab[i].file);
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

/* A value is counted with its group's value, which is counted with no
 * other: a chain or a loop would move counts to another row. */
static void
check_groups(const struct definitions *d)
{
	const struct label *g;
	int i;

	for (i = 0; i < d->nlab; i++) {
		const struct label *l = &d->lab[i];

		if (!*l->group || strcmp(l->group, l->value) == 0)
			continue;
		g = label_find(d, l->field, l->group, strlen(l->group));
		if (!g)
			die("labels.tsv: %s=%s được tính cùng %s, nhưng %s không có "
			    "nhãn: nhóm phải là một giá trị có nhãn", l->field, l->value,
			    l->group, l->group);
		if (*g->group && strcmp(g->group, g->value) != 0)
			die("labels.tsv: %s=%s được tính cùng %s, nhưng %s lại được "
			    "tính cùng %s: nhóm chỉ một bậc", l->field, l->value,
			    l->group, l->group, g->group);
	}
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
	check_groups(d);
	d->used = xmalloc((size_t)d->nfig + 1);
	memset(d->used, 0, (size_t)d->nfig + 1);
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
settings_free(struct setting *set, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(set[i].key);
		free(set[i].value);
	}
	free(set);
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

void
definitions_free(struct definitions *d)
{
	int i;

	for (i = 0; i < d->nfig; i++)
		figure_free(&d->fig[i]);
	for (i = 0; i < d->nlab; i++) {
		free(d->lab[i].field);
		free(d->lab[i].value);
		free(d->lab[i].label);
		free(d->lab[i].group);
		free(d->lab[i].file);
	}
	free(d->fig);
	free(d->lab);
	free(d->used);
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

const struct label *
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
int
label_rank(const struct definitions *d, const char *field, const char *value,
    size_t n)
{
	const struct label *l = label_find(d, field, value, n);

	return l ? (int)(l - d->lab) : d->nlab;
}
