/* dc-grep: select records by field expressions.  See dc-grep(1). */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "number.h"
#include "record.h"

enum op { EQ, NE, MATCH, NOMATCH, LT, LE, GT, GE };

struct expr {
	const char *name;
	int field;
	enum op op;
	struct buf value;               /* the operand, folded with -i */
	int needle;                     /* value's raw bytes must be in the line */
	regex_t re;
	int memoize;                    /* remember answers per raw value */
	struct table memo;              /* raw value -> answer (one char) */
	long memo_hits;
};

struct grep {
	struct expr *exprs;
	int nexprs;
	int invert, count_only, fold;
	struct buf scratch, folded;     /* reused for every record */
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: dc-grep [-civ] [--asof DATE | --history] [--part K/N] "
	    "[EXPR...] [--] [FILE...]\n"
	    "  EXPR is FIELD=VALUE, FIELD!=VALUE, FIELD~ERE, FIELD!~ERE,\n"
	    "  FIELD<V, FIELD<=V, FIELD>V or FIELD>=V; expressions are ANDed.\n"
	    "  A history (fields id and date) is read as its state today.\n"
	    "  -c  print only the count of selected records\n"
	    "  -i  ignore case and Vietnamese accents (ngoc lu = Ngọc Lũ)\n"
	    "  -v  select the records that do not match\n"
	    "%s", view_usage);
	dc_exit(status);
}

/* "name<=value" -> expression; 0 when arg is not an expression. */
static int
parse_expr(const char *arg, struct expr *e)
{
	static const struct { const char *text; enum op op; } ops[] = {
		{ "!=", NE }, { "!~", NOMATCH }, { "<=", LE }, { ">=", GE },
		{ "=", EQ }, { "~", MATCH }, { "<", LT }, { ">", GT },
	};
	size_t n = 0, i;

	if (arg[0] < 'a' || arg[0] > 'z')
		return 0;
	while ((arg[n] >= 'a' && arg[n] <= 'z') || (arg[n] >= '0' && arg[n] <= '9') ||
	    arg[n] == '_')
		n++;
	for (i = 0; i < sizeof ops / sizeof *ops; i++) {
		size_t oplen = strlen(ops[i].text);

		if (strncmp(arg + n, ops[i].text, oplen) == 0) {
			memset(e, 0, sizeof *e);
			e->name = xstrndup(arg, n);
			e->op = ops[i].op;
			buf_puts(&e->value, arg + n + oplen);
			return 1;
		}
	}
	return 0;
}

static void
prepare_expr(struct grep *g, struct expr *e, const struct header *h)
{
	int rc;

	e->field = header_need(h, e->name);
	if (g->fold) {
		struct buf f = { 0 };

		vn_fold(e->value.p, e->value.len, &f);
		buf_free(&e->value);
		e->value = f;
	}
	/* A value written without escapes appears as is in any line where
	 * the field equals it: most lines fail on a plain byte search. */
	e->needle = e->op == EQ && !g->fold && e->value.len > 0 &&
	    strpbrk(buf_cstr(&e->value), "\t\n\r\\") == NULL;
	e->memoize = g->fold || e->op == MATCH || e->op == NOMATCH;
	table_init(&e->memo, 1);
	if (e->op != MATCH && e->op != NOMATCH)
		return;
	rc = regcomp(&e->re, buf_cstr(&e->value), REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		char msg[256];

		regerror(rc, &e->re, msg, sizeof msg);
		die("bad regular expression '%s': %s", e->value.p, msg);
	}
}

/* Numbers compare as numbers, anything else (ISO dates too) by bytes. */
static int
compare(const char *a, size_t an, const char *b, size_t bn)
{
	int c;

	if (number_cmp(a, an, b, bn, &c))
		return c;
	c = memcmp(a, b, an < bn ? an : bn);
	if (c == 0)
		return an < bn ? -1 : an > bn;
	return c < 0 ? -1 : 1;
}

static int
value_true(struct grep *g, struct expr *e, const char *v, size_t n)
{
	/* Only a value with a backslash differs from its raw bytes. */
	if (memchr(v, '\\', n)) {
		g->scratch.len = 0;
		unescape(v, n, &g->scratch);
		v = g->scratch.p;
		n = g->scratch.len;
	}
	if (g->fold) {
		g->folded.len = 0;
		vn_fold(v, n, &g->folded);
		v = g->folded.p;
		n = g->folded.len;
	}
	switch (e->op) {
	case EQ: return n == e->value.len && memcmp(v, e->value.p, n) == 0;
	case NE: return !(n == e->value.len && memcmp(v, e->value.p, n) == 0);
	case MATCH:
	case NOMATCH: {
		struct buf *z = v == g->scratch.p ? &g->scratch :
		    v == g->folded.p ? &g->folded : NULL;
		int hit;

		if (!z) {
			g->scratch.len = 0;
			buf_put(&g->scratch, v, n);
			z = &g->scratch;
		}
		hit = regexec(&e->re, buf_cstr(z), 0, NULL, 0) == 0;
		return e->op == MATCH ? hit : !hit;
	}
	default:
		break;
	}
	/* An empty value is missing: it is neither less nor greater. */
	if (n == 0)
		return 0;
	switch (e->op) {
	default: return 0;
	case LT: return compare(v, n, e->value.p, e->value.len) < 0;
	case LE: return compare(v, n, e->value.p, e->value.len) <= 0;
	case GT: return compare(v, n, e->value.p, e->value.len) > 0;
	case GE: return compare(v, n, e->value.p, e->value.len) >= 0;
	}
}

/* Folding and regular expressions cost far more than a lookup, and most
 * fields repeat a few values (communes, statuses): remember the answer
 * for each raw value.  The memo is bounded, so memory stays constant, and
 * dropped when values hardly repeat (names). */
enum { MEMO_MAX = 4096 };

static int
expr_true(struct grep *g, struct expr *e, struct record *r)
{
	const struct field *f = record_field(r, e->field);
	long k;
	int answer;

	if (!e->memoize)
		return value_true(g, e, f->p, f->len);
	if ((k = table_find(&e->memo, f->p, f->len)) >= 0) {
		e->memo_hits++;
		return *(char *)table_value(&e->memo, (size_t)k);
	}
	answer = value_true(g, e, f->p, f->len);
	if (e->memo.n < MEMO_MAX)
		*(char *)table_value(&e->memo, table_put(&e->memo, f->p, f->len,
		    NULL)) = (char)answer;
	else if (e->memo_hits < MEMO_MAX)
		e->memoize = 0;
	return answer;
}

/* Whether needle occurs in p[0..n): look for its last byte, which is
 * less common than the first in names ("Ngọc Lũ", "nghien"). */
static int
contains(const char *p, size_t n, const char *needle, size_t m)
{
	const char *last = p + m - 1, *end = p + n;
	unsigned char c = (unsigned char)needle[m - 1];

	while (last < end && (last = memchr(last, c, (size_t)(end - last)))) {
		if (memcmp(last - (m - 1), needle, m - 1) == 0)
			return 1;
		last++;
	}
	return 0;
}

static int
selected(struct grep *g, struct record *r)
{
	int i;

	for (i = 0; i < g->nexprs; i++)
		if (g->exprs[i].needle && !contains(r->line, r->len,
		    g->exprs[i].value.p, g->exprs[i].value.len))
			return g->invert;
	for (i = 0; i < g->nexprs; i++)
		if (!expr_true(g, &g->exprs[i], r))
			return g->invert;
	return !g->invert;
}

/* Emit a record (or just count it); returns 1 when selected. */
static int
take(struct grep *g, struct record *r)
{
	if (!selected(g, r))
		return 0;
	if (!g->count_only)
		record_write(r);
	return 1;
}

static long
grep_stream(struct grep *g, struct reader *rd)
{
	struct record *r;
	long hits = 0;

	while ((r = reader_next(rd)))
		hits += take(g, r);
	return hits;
}

/* Records are UTF-8 whatever the user's locale, and a regular expression
 * must see "ọ" as one character: use a UTF-8 character type. */
static void
utf8_locale(void)
{
	static const char *const names[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8" };
	const char *cs;
	size_t i;

	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	if (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0)
		return;
	for (i = 0; i < sizeof names / sizeof *names; i++)
		if (setlocale(LC_CTYPE, names[i]))
			return;
}

static void
grep_free(struct grep *g)
{
	int i;

	for (i = 0; i < g->nexprs; i++) {
		struct expr *e = &g->exprs[i];

		if (e->op == MATCH || e->op == NOMATCH)
			regfree(&e->re);
		free((char *)e->name);
		buf_free(&e->value);
		table_free(&e->memo);
	}
	free(g->exprs);
	buf_free(&g->scratch);
	buf_free(&g->folded);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "asof", required_argument, NULL, VIEW_ASOF },
		{ "history", no_argument, NULL, VIEW_HISTORY },
		{ "part", required_argument, NULL, VIEW_PART },
		{ "count", no_argument, NULL, 'c' },
		{ "ignore-case", no_argument, NULL, 'i' },
		{ "invert-match", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct grep g = { 0 };
	struct view view = { 0 };
	struct reader rd;
	long hits;
	int c, i;

	dc_setprog(argv[0]);
	utf8_locale();
	/* '+': expressions and files may not be permuted past "--". */
	while ((c = getopt_long(argc, argv, "+civ", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': g.count_only = 1; break;
		case 'i': g.fold = 1; break;
		case 'v': g.invert = 1; break;
		case 'h': usage(stdout, 0); break;
		case 'V': print_version(); return 0;
		default:
			if (!view_option(&view, c, optarg))
				usage(stderr, 2);
		}
	}
	if (view.asof && view.history) {
		warn("--asof and --history: the state of a day, or every version?");
		usage(stderr, 2);
	}
	g.exprs = xmalloc(sizeof *g.exprs * (size_t)(argc - optind + 1));
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (!parse_expr(argv[i], &g.exprs[g.nexprs]))
			break;
		g.nexprs++;
	}
	reader_open(&rd, argc - i, argv + i, &view);
	for (c = 0; c < g.nexprs; c++)
		prepare_expr(&g, &g.exprs[c], &rd.in.hdr);
	if (!g.count_only)
		header_write(&rd.in.hdr, reader_note(&rd, g.nexprs > 0));
	hits = grep_stream(&g, &rd);
	if (g.count_only) {
		char num[32];

		snprintf(num, sizeof num, "%ld\n", hits);
		out_puts(num);
	}
	out_flush();
	reader_close(&rd);
	grep_free(&g);
	return hits > 0 ? 0 : 1;
}
