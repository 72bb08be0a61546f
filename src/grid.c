/* grid.c: aligned plain-text tables, as dc-fmt --table writes them. */
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "number.h"

void
grid_init(struct grid *g, int ncols)
{
	memset(g, 0, sizeof *g);
	g->ncols = ncols;
}

void
grid_add(struct grid *g, const char *p, size_t n)
{
	size_t i, from = g->text.len;

	/* Room for this cell's start and the end mark after it. */
	if (g->ncells + 2 > g->cap) {
		g->cap = g->cap ? g->cap * 2 : 1024;
		g->start = xrealloc(g->start, sizeof *g->start * g->cap);
	}
	buf_put(&g->text, p, n);
	/* A TAB or newline inside a value would break the row. */
	for (i = from; i < g->text.len; i++)
		if (g->text.p[i] == '\t' || g->text.p[i] == '\n' ||
		    g->text.p[i] == '\r')
			g->text.p[i] = ' ';
	g->start[g->ncells++] = from;
	g->start[g->ncells] = g->text.len;
}

void
grid_free(struct grid *g)
{
	free(g->start);
	buf_free(&g->text);
}

static const char *
cell(const struct grid *g, size_t i, size_t *len)
{
	*len = g->start[i + 1] - g->start[i];
	return g->text.p + g->start[i];
}

/* Digits with an optional '-' and one '.', of any length. */
static int
is_number(const char *p, size_t n)
{
	struct decimal d;

	return parse_decimal(p, n, &d) != NUM_SYNTAX;
}

/* Widths of the columns in terminal columns, and which hold numbers
 * only (1), something else (0) or no value at all (-1). */
static void
measure(const struct grid *g, size_t *width, int *numeric)
{
	size_t i, n, w;
	const char *p;
	int c;

	for (c = 0; c < g->ncols; c++) {
		width[c] = 0;
		numeric[c] = -1;
	}
	for (i = 0; i < g->ncells; i++) {
		c = (int)(i % (size_t)g->ncols);
		p = cell(g, i, &n);
		w = display_width(p, n);
		if (w > width[c])
			width[c] = w;
		if (i >= (size_t)g->ncols && n > 0)
			numeric[c] = numeric[c] != 0 && is_number(p, n);
	}
}

/* A label goes right over a column of numbers; a value, when it is one. */
static void
write_row(const struct grid *g, size_t row, const size_t *width,
    const int *numeric, struct buf *line)
{
	size_t n, pad, i = row * (size_t)g->ncols;
	const char *p;
	int c, right;

	line->len = 0;
	for (c = 0; c < g->ncols; c++, i++) {
		p = cell(g, i, &n);
		pad = width[c] - display_width(p, n);
		right = row == 0 ? numeric[c] == 1 : is_number(p, n);
		if (c > 0)
			buf_puts(line, "  ");
		for (; right && pad > 0; pad--)
			buf_putc(line, ' ');
		buf_put(line, p, n);
		for (; pad > 0; pad--)
			buf_putc(line, ' ');
	}
	while (line->len > 0 && line->p[line->len - 1] == ' ')
		line->len--;
	out_write(line->p, line->len);
	out_putc('\n');
}

static void
write_rule(const struct grid *g, const size_t *width)
{
	size_t k;
	int c;

	for (c = 0; c < g->ncols; c++) {
		if (c > 0)
			out_puts("  ");
		for (k = 0; k < width[c]; k++)
			out_putc('-');
	}
	out_putc('\n');
}

void
grid_write(const struct grid *g)
{
	size_t *width = xmalloc(sizeof *width * (size_t)g->ncols), row;
	int *numeric = xmalloc(sizeof *numeric * (size_t)g->ncols);
	struct buf line = { 0 };

	measure(g, width, numeric);
	write_row(g, 0, width, numeric, &line);
	write_rule(g, width);
	for (row = 1; row < g->ncells / (size_t)g->ncols; row++)
		write_row(g, row, width, numeric, &line);
	free(width);
	free(numeric);
	buf_free(&line);
}
