/* schema.c: registry schemas, themselves record files (dc-format(5)). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "number.h"
#include "registry.h"
#include "text.h"

static const char *const type_names[] = {
	"text", "int", "decimal", "money", "date", "enum", "id", "cccd"
};

const char *
ftype_name(enum ftype t)
{
	return type_names[t];
}

static int
type_by_name(const char *s, enum ftype *t)
{
	size_t i;

	for (i = 0; i < sizeof type_names / sizeof *type_names; i++)
		if (strcmp(s, type_names[i]) == 0) {
			*t = (enum ftype)i;
			return 0;
		}
	return -1;
}

char *
sibling_path(const char *registry, const char *suffix)
{
	size_t n = strlen(registry);
	struct buf b = { 0 };

	if (n > 4 && strcmp(registry + n - 4, ".tsv") == 0)
		n -= 4;
	buf_put(&b, registry, n);
	buf_puts(&b, suffix);
	return (char *)buf_cstr(&b);
}

char *
schema_path_for(const char *registry)
{
	return sibling_path(registry, ".schema");
}

/* The unescaped value of column col (or "" when the schema lacks it). */
static char *
column(struct record *r, int col)
{
	struct buf b = { 0 };

	if (col >= 0) {
		const struct field *f = record_field(r, col);
		unescape(f->p, f->len, &b);
	}
	return (char *)buf_cstr(&b);
}

/* "a,b,c" -> NULL-terminated array of copies. */
static char **
split_values(const char *s, int *count)
{
	char **v = NULL;
	int n = 0;

	while (*s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);

		v = xrealloc(v, sizeof(char *) * (size_t)(n + 2));
		v[n++] = xstrndup(s, len);
		s += len + (comma != NULL);
	}
	if (!v)
		v = xmalloc(sizeof(char *));
	v[n] = NULL;
	*count = n;
	return v;
}

static void
parse_field(struct schema *s, struct record *r, const int col[6])
{
	struct schema_field *f;
	char *type = column(r, col[1]), *req = column(r, col[2]);
	char *values = column(r, col[3]);

	s->f = xrealloc(s->f, sizeof *s->f * (size_t)(s->n + 1));
	f = &s->f[s->n++];
	memset(f, 0, sizeof *f);
	f->name = column(r, col[0]);
	if (type_by_name(type, &f->type) < 0)
		die_at(r->file, r->lineno, "field '%s': unknown type '%s'",
		    f->name, type);
	if (strcmp(req, "yes") != 0 && strcmp(req, "no") != 0 && *req)
		die_at(r->file, r->lineno, "field '%s': required must be yes or no",
		    f->name);
	f->required = strcmp(req, "yes") == 0;
	if (f->type == T_ENUM) {
		f->values = split_values(values, &f->nvalues);
		if (f->nvalues == 0)
			die_at(r->file, r->lineno, "field '%s': enum without values",
			    f->name);
	}
	f->prefix = f->type == T_ID ? xstrdup(values) : xstrdup("");
	f->deflt = column(r, col[4]);
	f->label = column(r, col[5]);
	if (strcmp(f->deflt, "next") == 0 && f->type != T_ID)
		die_at(r->file, r->lineno, "field '%s': default 'next' needs type id",
		    f->name);
	free(type);
	free(req);
	free(values);
}

void
schema_load(const char *path, struct schema *s)
{
	static const char *const cols[6] = {
		"field", "type", "required", "values", "default", "label"
	};
	char *files[] = { (char *)path, NULL };
	struct input in;
	struct record *r;
	int col[6], i;

	memset(s, 0, sizeof *s);
	s->file = xstrdup(path);
	input_open(&in, 1, files, BAD_DIE);
	for (i = 0; i < 6; i++)
		col[i] = header_index(&in.hdr, cols[i]);
	if (col[0] < 0 || col[1] < 0)
		die("%s: not a schema: it needs the fields 'field' and 'type'", path);
	while ((r = input_next(&in))) {
		parse_field(s, r, col);
		if (schema_index(s, s->f[s->n - 1].name) != s->n - 1)
			die_at(r->file, r->lineno, "field '%s' defined twice",
			    s->f[s->n - 1].name);
	}
	input_close(&in);
	if (s->n == 0)
		die("%s: schema defines no fields", path);
}

int
schema_find(const char *registry, const char *explicit_path, struct schema *s)
{
	char *path;

	if (explicit_path) {
		schema_load(explicit_path, s);
		return 1;
	}
	path = schema_path_for(registry);
	if (access(path, F_OK) != 0) {
		free(path);
		return 0;
	}
	schema_load(path, s);
	free(path);
	return 1;
}

int
schema_index(const struct schema *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->f[i].name, name) == 0)
			return i;
	return -1;
}

static int
all_digits(const char *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	return n > 0;
}

static const char *
enum_problem(const struct schema_field *f, const char *v, size_t n)
{
	static struct buf msg;
	int i;

	for (i = 0; i < f->nvalues; i++)
		if (strlen(f->values[i]) == n && memcmp(f->values[i], v, n) == 0)
			return NULL;
	msg.len = 0;
	buf_puts(&msg, "is not one of: ");
	buf_join(&msg, f->values, f->nvalues);
	return buf_cstr(&msg);
}

const char *
value_problem(const struct schema_field *f, const char *v, size_t n)
{
	struct decimal d;
	int64_t i;
	int y, m, day, rc;
	size_t plen;

	if (n == 0)
		return NULL;
	switch (f->type) {
	case T_TEXT:
		return NULL;
	case T_INT:
	case T_MONEY:
		rc = parse_int64(v, n, &i);
		if (rc == NUM_RANGE)
			return "is out of range";
		if (rc != NUM_OK)
			return f->type == T_INT ? "is not an integer" :
			    "is not an amount in đồng (digits only, no separators)";
		return NULL;
	case T_DECIMAL:
		rc = parse_decimal(v, n, &d);
		if (rc == NUM_RANGE)
			return "is out of range";
		return rc == NUM_OK ? NULL : "is not a decimal number (like 12.243)";
	case T_DATE:
		return parse_date(v, n, &y, &m, &day) == NUM_OK ? NULL :
		    "is not a date (YYYY-MM-DD)";
	case T_ENUM:
		return enum_problem(f, v, n);
	case T_ID:
		plen = strlen(f->prefix);
		if (n > plen && memcmp(v, f->prefix, plen) == 0 &&
		    all_digits(v + plen, n - plen))
			return NULL;
		return "is not an id (prefix and digits)";
	case T_CCCD:
		return n == 12 && all_digits(v, n) ? NULL :
		    "is not a national ID number (12 digits)";
	}
	return NULL;
}

void
schema_free(struct schema *s)
{
	int i, j;

	for (i = 0; i < s->n; i++) {
		struct schema_field *f = &s->f[i];

		for (j = 0; j < f->nvalues; j++)
			free(f->values[j]);
		free(f->values);
		free(f->name);
		free(f->prefix);
		free(f->deflt);
		free(f->label);
	}
	free(s->f);
	free(s->file);
	memset(s, 0, sizeof *s);
}

void
schema_names(const struct schema *s, struct buf *b)
{
	int i;

	for (i = 0; i < s->n; i++) {
		if (i)
			buf_puts(b, ", ");
		buf_puts(b, s->f[i].name);
	}
	buf_cstr(b);
}

/* Names longer than this are not compared: no name is near them. */
enum { NEAR_MAX = 64 };

/* Edits (insert, delete, replace a byte, swap two neighbours) that turn
 * a into b; both at most NEAR_MAX bytes long. */
static size_t
edit_distance(const char *a, size_t an, const char *b, size_t bn)
{
	size_t rows[3][NEAR_MAX + 1], *before = rows[0], *prev = rows[1];
	size_t *cur = rows[2], *t, i, j;

	for (j = 0; j <= bn; j++)
		prev[j] = j;
	for (i = 1; i <= an; i++) {
		cur[0] = i;
		for (j = 1; j <= bn; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && before[j - 2] + 1 < best)
				best = before[j - 2] + 1;
			cur[j] = best;
		}
		t = before;
		before = prev;
		prev = cur;
		cur = t;
	}
	return prev[bn];
}

const char *
nearest_name(char *const *names, int n, const char *name)
{
	struct buf want = { 0 }, other = { 0 };
	size_t best = 0, d;
	const char *found = NULL;
	int i;

	vn_fold(name, strlen(name), &want);
	/* One slip in a short name, two in a longer one. */
	best = want.len <= 4 ? 2 : 3;
	for (i = 0; i < n && want.len <= NEAR_MAX; i++) {
		other.len = 0;
		vn_fold(names[i], strlen(names[i]), &other);
		if (other.len > NEAR_MAX)
			continue;
		d = edit_distance(want.p, want.len, other.p, other.len);
		if (d < best) {
			best = d;
			found = names[i];
		}
	}
	buf_free(&want);
	buf_free(&other);
	return found;
}
