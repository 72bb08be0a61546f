/* group.c: grouping records by some of their fields, and putting the
 * groups in the order a Vietnamese reader expects.  Shared by dc-count
 * and dc-budget. */
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "number.h"
#include "record.h"

int
field_list(const struct header *h, const char *list, int **idx, int n)
{
	const char *p = list, *comma;
	char *name;

	for (;;) {
		comma = strchr(p, ',');
		name = xstrndup(p, comma ? (size_t)(comma - p) : strlen(p));
		if (name[0] == '\0')
			die("empty field name in '%s'", list);
		*idx = xrealloc(*idx, sizeof **idx * (size_t)(n + 1));
		(*idx)[n++] = header_need(h, name);
		free(name);
		if (!comma)
			return n;
		p = comma + 1;
	}
}

void
field_canonical(const char *p, size_t n, struct buf *b)
{
	static struct buf value;        /* reused: no allocation per record */

	/* Without a backslash the raw bytes are the only spelling. */
	if (!memchr(p, '\\', n)) {
		buf_put(b, p, n);
		return;
	}
	value.len = 0;
	unescape(p, n, &value);
	escape(value.p, value.len, b);
}

void
record_canonical(const struct record *r, const struct field *f,
    struct buf *b)
{
	if (r->plain)
		buf_put(b, f->p, f->len);
	else
		field_canonical(f->p, f->len, b);
}

void
field_span(int *first, int *last, int i)
{
	if (*last < 0) {
		*first = *last = i;
		return;
	}
	if (i < *first)
		*first = i;
	if (i > *last)
		*last = i;
}

const char *
group_key(struct record *r, const int *idx, int n, struct buf *key,
    size_t *len)
{
	const struct field *f;
	int i;

	/* Fields side by side are already joined by their TABs in the line:
	 * the key is the span that holds them, when no escape spells it
	 * another way. */
	for (i = 1; i < n && idx[i] == idx[i - 1] + 1; i++)
		;
	if (n > 0 && i == n) {
		const struct field *first, *last;

		record_fields(r, idx[0], idx[n - 1]);
		first = record_field(r, idx[0]);
		last = record_field(r, idx[n - 1]);

		*len = (size_t)(last->p + last->len - first->p);
		if (r->plain || !memchr(first->p, '\\', *len))
			return first->p;
	}
	key->len = 0;
	for (i = 0; i < n; i++) {
		f = record_field(r, idx[i]);
		if (i > 0)
			buf_putc(key, '\t');
		record_canonical(r, f, key);
	}
	*len = key->len;
	return key->p ? key->p : "";
}

/* ---- order ---- */

/* Stable merge sort of v[lo..hi) using tmp. */
static void
merge_sort(size_t *v, size_t *tmp, size_t lo, size_t hi,
    int (*cmp)(const void *, size_t, size_t), const void *ctx)
{
	size_t mid, i, j, k;

	if (hi - lo < 2)
		return;
	mid = lo + (hi - lo) / 2;
	merge_sort(v, tmp, lo, mid, cmp, ctx);
	merge_sort(v, tmp, mid, hi, cmp, ctx);
	for (i = lo, j = mid, k = lo; k < hi; k++)
		if (j >= hi || (i < mid && cmp(ctx, v[i], v[j]) <= 0))
			tmp[k] = v[i++];
		else
			tmp[k] = v[j++];
	memcpy(v + lo, tmp + lo, (hi - lo) * sizeof *v);
}

void
sort_stable(size_t *v, size_t n, int (*cmp)(const void *, size_t, size_t),
    const void *ctx)
{
	size_t *tmp = xmalloc(n * sizeof *tmp);

	merge_sort(v, tmp, 0, n, cmp, ctx);
	free(tmp);
}

/* A span of bytes in some buffer. */
struct span {
	size_t off, len;
};

/* Sort keys of every group, field by field: sort[g * nfields + f] in
 * keys, raw[...] in the table's key bytes. */
struct order {
	const struct table *t;
	int nfields;
	struct buf keys;
	struct span *sort, *raw;
};

/* The sort key of one value: empty values first, then integers by
 * value, then other text in Vietnamese alphabetical order.  A leading
 * class byte keeps the three apart, so one memcmp orders them. */
static void
value_sortkey(const char *raw, size_t n, struct buf *value, struct buf *key)
{
	uint64_t u;
	int64_t v;
	int i;

	if (n == 0)
		return;
	value->len = 0;
	unescape(raw, n, value);
	if (parse_int64(value->p, value->len, &v) == NUM_OK) {
		/* Shift into unsigned order, then big-endian bytes. */
		u = (uint64_t)v ^ (UINT64_C(1) << 63);
		buf_putc(key, 1);
		for (i = 56; i >= 0; i -= 8)
			buf_putc(key, (char)(u >> i & 0xFF));
		return;
	}
	buf_putc(key, 2);
	vn_sortkey(value->p, value->len, key);
}

static void
order_build(struct order *o)
{
	struct buf value = { 0 };
	const char *key, *tab;
	size_t g, len, start;
	int f;

	o->sort = xmalloc(sizeof *o->sort * (o->t->n * (size_t)o->nfields + 1));
	o->raw = xmalloc(sizeof *o->raw * (o->t->n * (size_t)o->nfields + 1));
	for (g = 0; g < o->t->n; g++) {
		key = table_key(o->t, g, &len);
		start = 0;
		for (f = 0; f < o->nfields; f++) {
			struct span *s = &o->sort[g * (size_t)o->nfields + f];
			struct span *r = &o->raw[g * (size_t)o->nfields + f];

			tab = memchr(key + start, '\t', len - start);
			r->off = start;
			r->len = tab ? (size_t)(tab - key) - start : len - start;
			s->off = o->keys.len;
			value_sortkey(key + r->off, r->len, &value, &o->keys);
			s->len = o->keys.len - s->off;
			start = r->off + r->len + 1;
		}
	}
	buf_free(&value);
}

static int
span_cmp(const char *pa, struct span a, const char *pb, struct span b)
{
	int c = memcmp(pa + a.off, pb + b.off, a.len < b.len ? a.len : b.len);

	if (c)
		return c;
	return (a.len > b.len) - (a.len < b.len);
}

/* Field by field: the sort key, then the raw bytes, so that two
 * spellings with one sort key (NFC and NFD) never interleave. */
static int
order_cmp(const void *ctx, size_t a, size_t b)
{
	const struct order *o = ctx;
	const char *ka, *kb;
	size_t la, lb, ia, ib;
	int f, c;

	ka = table_key(o->t, a, &la);
	kb = table_key(o->t, b, &lb);
	for (f = 0; f < o->nfields; f++) {
		ia = a * (size_t)o->nfields + f;
		ib = b * (size_t)o->nfields + f;
		c = span_cmp(o->keys.p, o->sort[ia], o->keys.p, o->sort[ib]);
		if (c == 0)
			c = span_cmp(ka, o->raw[ia], kb, o->raw[ib]);
		if (c)
			return c;
	}
	return 0;
}

size_t *
group_order(const struct table *t, int nfields)
{
	struct order o = { 0 };
	size_t *v = xmalloc(sizeof *v * (t->n + 1)), i;

	for (i = 0; i < t->n; i++)
		v[i] = i;
	if (nfields == 0 || t->n < 2)
		return v;
	o.t = t;
	o.nfields = nfields;
	order_build(&o);
	sort_stable(v, t->n, order_cmp, &o);
	free(o.sort);
	free(o.raw);
	buf_free(&o.keys);
	return v;
}

/* ---- output ---- */

void
out_int64(int64_t v)
{
	char s[24];

	out_write(s, (size_t)snprintf(s, sizeof s, "%lld", (long long)v));
}

void
header_check_unique(char **names, int n)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0)
				die("the output would have two fields named '%s'",
				    names[i]);
}
