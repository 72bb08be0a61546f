/* asof.c: a registry is a history; this is its state on one day. */
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "record.h"

/* The newest record of one id so far: where its line is kept. */
struct latest {
	size_t off, len;                /* in the lines arena */
	long seq;                       /* input order, for output order */
	size_t date, datelen;           /* the date, also in the arena */
	const char *file;
	long lineno;
};

static int
by_seq(const void *a, const void *b)
{
	const struct latest *x = a, *y = b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int
date_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c ? c : (an > bn) - (an < bn);
}

long
asof_each(struct input *in, const char *day, int (*fn)(struct record *, void *),
    void *ctx)
{
	struct table ids;
	struct buf lines = { 0 };
	struct record *r, copy;
	struct latest *all;
	int idf = asof_fields(&in->hdr), datef = header_index(&in->hdr, "date");
	size_t daylen = strlen(day), i;
	long seq = 0, taken = 0;

	table_init(&ids, sizeof(struct latest));
	while ((r = input_next(in))) {
		const struct field *id = record_field(r, idf), *d = record_field(r, datef);
		struct latest *l;

		seq++;
		if (date_cmp(d->p, d->len, day, daylen) > 0)
			continue;
		if (id->len == 0)
			die_at(r->file, r->lineno, "record has no id");
		l = table_value(&ids, table_put(&ids, id->p, id->len, NULL));
		/* On equal dates the later line wins. */
		if (l->seq && date_cmp(d->p, d->len, lines.p + l->date, l->datelen) < 0)
			continue;
		l->off = lines.len;
		l->len = r->len;
		l->date = l->off + (size_t)(d->p - r->line);
		l->datelen = d->len;
		l->seq = seq;
		l->file = r->file;
		l->lineno = r->lineno;
		buf_put(&lines, r->line, r->len);
	}
	all = xmalloc(sizeof *all * (ids.n ? ids.n : 1));
	for (i = 0; i < ids.n; i++)
		all[i] = *(struct latest *)table_value(&ids, i);
	qsort(all, ids.n, sizeof *all, by_seq);
	copy = in->rec;
	for (i = 0; i < ids.n; i++) {
		copy.line = lines.p + all[i].off;
		copy.len = all[i].len;
		copy.file = all[i].file;
		copy.lineno = all[i].lineno;
		copy.nsplit = 0;
		copy.bad = NULL;
		taken += fn(&copy, ctx) != 0;
	}
	free(all);
	buf_free(&lines);
	table_free(&ids);
	return taken;
}

void
asof_check_day(const char *day)
{
	int y, m, d;

	if (parse_date(day, strlen(day), &y, &m, &d) != NUM_OK)
		die("--asof: '%s' is not a date (YYYY-MM-DD)", day);
}

int
asof_fields(const struct header *h)
{
	struct buf list = { 0 };

	if (header_index(h, "id") >= 0 && header_index(h, "date") >= 0)
		return header_index(h, "id");
	buf_join(&list, h->names, h->n);
	die("--asof needs the fields id and date; the fields are: %s",
	    buf_cstr(&list));
	return -1;
}
