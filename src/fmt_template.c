/* fmt_template.c: dc-fmt's templates, parsed once into pieces (literal
 * text, or a field reference and its filters), so that rendering a
 * record only walks them.  See fmt_template.h and dc-fmt(1). */
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "fmt_template.h"

struct piece {
	const char *text;               /* literal, or the field's name: in
	                                 * the template's text */
	size_t len;
	int field;                      /* -1 for literal text */
	int first, nfilters;            /* in the template's filters */
};

struct fmt_template {
	struct piece *pieces;
	int n, cap;
	const struct filter **filters;  /* of every reference, in turn */
	int nfilters, filtercap;
	struct buf cur, next;           /* a value under its filters, used
	                                 * in turn: no allocation per record
	                                 * once they have grown */
	struct buf msg;                 /* for messages */
	struct table columns;           /* fmt_template_resolve: name -> column */
	int first, last;                /* the columns it uses, -1 for none */
};

struct fmt_template *
fmt_template_new(void)
{
	struct fmt_template *t = xmalloc(sizeof *t);

	memset(t, 0, sizeof *t);
	t->first = t->last = -1;
	table_init(&t->columns, sizeof(int));
	return t;
}

void
fmt_template_free(struct fmt_template *t)
{
	if (!t)
		return;
	free(t->pieces);
	free(t->filters);
	buf_free(&t->cur);
	buf_free(&t->next);
	buf_free(&t->msg);
	table_free(&t->columns);
	free(t);
}

/* ---- parsing ---- */

static struct piece *
add_piece(struct fmt_template *t, const char *text, size_t len, int field)
{
	struct piece *p;

	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->pieces = xrealloc(t->pieces, sizeof *p * (size_t)t->cap);
	}
	p = &t->pieces[t->n++];
	memset(p, 0, sizeof *p);
	p->text = text;
	p->len = len;
	p->field = field;
	p->first = t->nfilters;
	return p;
}

/* Add the filter name[0..len) of the reference ref[0..reflen) to p. */
static void
add_filter(struct fmt_template *t, struct piece *p, const char *name,
    size_t len, const char *ref, size_t reflen)
{
	const struct filter *f = filter_find(name, len);

	if (!f) {
		t->msg.len = 0;
		filter_names(&t->msg, ", ");
		die("unknown filter '%.*s' in %.*s; the filters are: %s",
		    (int)len, name, (int)reflen, ref, buf_cstr(&t->msg));
	}
	if (t->nfilters == t->filtercap) {
		t->filtercap = t->filtercap ? 2 * t->filtercap : 16;
		t->filters = xrealloc(t->filters, sizeof *t->filters *
		    (size_t)t->filtercap);
	}
	t->filters[t->nfilters++] = f;
	p->nfilters++;
}

/* "{name|f|g}" starting at s: the reference's piece; returns the end.
 * Each byte is looked at a bounded number of times: the search for
 * '}' stops at the first, and the bars are found between. */
static const char *
parse_reference(struct fmt_template *t, const char *s)
{
	const char *end = strchr(s + 1, '}'), *bar, *name;
	size_t reflen;
	struct piece *p;

	if (!end)
		die("unclosed '{' in template");
	reflen = (size_t)(end - s + 1);
	bar = memchr(s + 1, '|', (size_t)(end - s - 1));
	/* Field 0 marks a reference until fmt_template_resolve finds the
	 * name's column: the header is not read yet. */
	p = add_piece(t, s + 1, (size_t)((bar ? bar : end) - s - 1), 0);
	while (bar) {
		name = bar + 1;
		bar = memchr(name, '|', (size_t)(end - name));
		add_filter(t, p, name, (size_t)((bar ? bar : end) - name), s,
		    reflen);
	}
	return end + 1;
}

void
fmt_template_parse(struct fmt_template *t, const char *s)
{
	while (*s) {
		size_t lit = strcspn(s, "{}");

		if (lit > 0)
			add_piece(t, s, lit, -1);
		s += lit;
		if (*s == '\0')
			break;
		if (s[1] == s[0]) {
			add_piece(t, s, 1, -1);
			s += 2;
		} else if (*s == '}') {
			die("unmatched '}' in template (write '}}' for a brace)");
		} else {
			s = parse_reference(t, s);
		}
	}
}

/* Through a table of the header's names, not a search per reference:
 * a template of many references over a header of many fields stays
 * linear. */
void
fmt_template_resolve(struct fmt_template *t, const struct header *h)
{
	struct piece *p;
	long k;
	int i;

	for (i = 0; i < h->n; i++)
		*(int *)table_value(&t->columns, table_put(&t->columns,
		    h->names[i], strlen(h->names[i]), NULL)) = i;
	for (i = 0; i < t->n; i++) {
		p = &t->pieces[i];
		if (p->field < 0)
			continue;
		if ((k = table_find(&t->columns, p->text, p->len)) < 0) {
			t->msg.len = 0;
			buf_join(&t->msg, h->names, h->n);
			die("unknown field '%.*s'; the fields are: %s",
			    (int)p->len, p->text, buf_cstr(&t->msg));
		}
		p->field = *(int *)table_value(&t->columns, (size_t)k);
		field_span(&t->first, &t->last, p->field);
	}
}

/* ---- rendering ---- */

static void
swap_bufs(struct buf *a, struct buf *b)
{
	struct buf t = *a;

	*a = *b;
	*b = t;
}

/* The value goes through its filters; only a value with a backslash is
 * copied to be unescaped, and the last filter writes straight to out. */
static void
render_field(struct fmt_template *t, const struct piece *p, struct record *r,
    struct buf *out)
{
	const struct field *f = record_field(r, p->field);
	const char *v = f->p, *why;
	size_t n = f->len;
	struct buf *to;
	int i;

	if (!r->plain && memchr(v, '\\', n)) {
		t->cur.len = 0;
		unescape(v, n, &t->cur);
		v = t->cur.p;
		n = t->cur.len;
	}
	/* An empty value is a missing one: every filter leaves it empty. */
	for (i = 0; i < p->nfilters && n > 0; i++) {
		const struct filter *fl = t->filters[p->first + i];

		to = i + 1 == p->nfilters ? out : &t->next;
		if (to != out)
			to->len = 0;
		if ((why = fl->fn(v, n, to)))
			die_at(r->file, r->lineno, "filter '%s': '%s' %s",
			    fl->name, quote_value(v, n, &t->msg), why);
		if (to == out)
			return;
		swap_bufs(&t->cur, &t->next);
		v = t->cur.p;
		n = t->cur.len;
	}
	buf_put(out, v, n);
}

void
fmt_template_render(struct fmt_template *t, struct record *r, struct buf *out)
{
	int i;

	/* The fields in the template's order may run back: ask for them
	 * all at once. */
	if (t->last >= 0)
		record_fields(r, t->first, t->last);
	for (i = 0; i < t->n; i++) {
		if (t->pieces[i].field < 0)
			buf_put(out, t->pieces[i].text, t->pieces[i].len);
		else
			render_field(t, &t->pieces[i], r, out);
	}
}
