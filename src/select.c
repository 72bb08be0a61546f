/* select.c: selections, expressions FIELD OP VALUE checked against the
 * schema and the header before any record is read, then decided for
 * each record (dc-grep, dc-report).  See select.h and dc-grep(1). */
#include <langinfo.h>
#include <locale.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "number.h"
#include "select.h"

enum op { EQ, NE, MATCH, NOMATCH, LT, LE, GT, GE };

/* How an expression orders values.  It is decided, and the operand
 * checked, before any record is read: a query that cannot mean what it
 * says is an error, never a silent comparison of bytes. */
enum order {
	BY_TEXT,                        /* bytes (folded with -i) */
	BY_NUMBER,                      /* exact numbers */
	BY_DATE,                        /* calendar dates, YYYY-MM-DD */
	BY_ID                           /* the number after an id's prefix */
};

struct expr {
	char *name;
	int field;
	enum op op;
	enum order order;
	const struct schema_field *type;        /* from the schema, or NULL */
	struct buf value;               /* the operand, folded with -i */
	uint32_t date;                  /* BY_DATE: the operand's key */
	size_t skip;                    /* BY_ID: the prefix's length */
	regex_t re;
	int memoize;                    /* remember answers per raw value */
	struct table memo;              /* raw value -> answer (one char) */
	long memo_hits;
};

struct selection {
	struct expr *exprs;
	int n, cap;
	int fold, text_order;
	int nchecked;                   /* exprs[0..nchecked) are checked */
	struct needle *needles;         /* bytes every selected line holds */
	int nneedles;
	struct buf scratch, folded;     /* reused for every record */
	struct buf msg;                 /* for messages */
};

/* ---- expressions ---- */

static const struct { const char *text; enum op op; } ops[] = {
	{ "!=", NE }, { "!~", NOMATCH }, { "<=", LE }, { ">=", GE },
	{ "=", EQ }, { "~", MATCH }, { "<", LT }, { ">", GT },
};

/* Operators as other languages write them, and what they are here. */
static const struct { const char *slip, *meant; } slips[] = {
	{ "!==", "!=" }, { "==", "=" }, { "=>", ">=" }, { "=<", "<=" },
	{ "=!", "!=" }, { "=~", "~" }, { "<>", "!=" },
};

static int
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* The length of the name when arg is an expression: a letter or '_',
 * letters, digits and '_', then an operator character.  dc-grep never
 * takes such an argument for a file (those go after "--"), so that
 * "Status=nghien" is a field name to correct, not a missing file. */
size_t
selection_is_expr(const char *arg)
{
	size_t n = 0;

	if (!name_char(arg[0]) || (arg[0] >= '0' && arg[0] <= '9'))
		return 0;
	while (name_char(arg[n]))
		n++;
	return arg[n] && strchr("=!<>~", arg[n]) ? n : 0;
}

static void
not_expr(const char *arg, const char *where)
{
	die_at(where, 0, "'%s' is not an expression: the operators are "
	    "= != ~ !~ < <= > >=%s", arg,
	    where ? "" : " (a file of that name goes after --)");
}

/* arg is an expression whose name is n bytes long. */
static void
parse_expr(const char *arg, size_t n, struct expr *e, const char *where)
{
	const char *op = arg + n;
	struct buf nfc = { 0 };
	size_t i, len, bad;
	const char *why;

	for (i = 0; i < sizeof slips / sizeof *slips; i++) {
		len = strlen(slips[i].slip);
		if (strncmp(op, slips[i].slip, len) == 0)
			die_at(where, 0, "'%s' is written '%s': %.*s%s%s",
			    slips[i].slip, slips[i].meant, (int)n, arg,
			    slips[i].meant, op + len);
	}
	for (i = 0; i < sizeof ops / sizeof *ops; i++) {
		len = strlen(ops[i].text);
		if (strncmp(op, ops[i].text, len) != 0)
			continue;
		memset(e, 0, sizeof *e);
		e->name = xstrndup(arg, n);
		e->op = ops[i].op;
		buf_puts(&e->value, op + len);
		if (!utf8_check(e->value.p, e->value.len, &bad, &why))
			die_at(where, 0, "'%s': the value is not UTF-8 text "
			    "(%s at byte %zu)", arg, why, bad + 1);
		/* Registries hold text precomposed (dc-format(5)), but
		 * some keyboards send it decomposed. */
		vn_nfc(op + len, e->value.len, &nfc);
		buf_free(&e->value);
		e->value = nfc;
		buf_cstr(&e->value);
		return;
	}
	not_expr(arg, where);
}

static const char *
op_text(enum op op)
{
	size_t i;

	for (i = 0; i < sizeof ops / sizeof *ops; i++)
		if (ops[i].op == op)
			return ops[i].text;
	return "?";
}

static int
is_number(const char *p, size_t n)
{
	int c;

	return number_cmp(p, n, "0", 1, &c);
}

/* A number as Vietnamese write it (1,5; 1.500.000; 1.234,5) in the form
 * of the records (1.5; 1500000; 1234.5), in b; 0 when v has neither a
 * decimal comma nor points between groups of three digits. */
static int
plain_number(const char *v, struct buf *b)
{
	const char *comma = strchr(v, ','), *end = v + strlen(v);
	size_t group = 0;
	int dots = 0;

	if (comma && strchr(comma + 1, ','))
		return 0;
	if (comma)
		end = comma;
	if (*v == '-')
		buf_putc(b, *v++);
	for (; v < end; v++) {
		if (*v != '.') {
			buf_putc(b, *v);
			group++;
		} else if (group == 0 || group > 3 || (dots && group != 3)) {
			return 0;
		} else {
			dots++;
			group = 0;
		}
	}
	if ((dots && group != 3) || (!dots && !comma))
		return 0;
	if (comma) {
		buf_putc(b, '.');
		buf_puts(b, comma + 1);
	}
	buf_cstr(b);
	return 1;
}

/* A date as Vietnamese write it (14/12/2024, 1.2.2024) or with slashes
 * (2024/12/14), as YYYY-MM-DD in b; 0 when v is no such date. */
static int
iso_date(const char *v, struct buf *b)
{
	int part[3] = { 0, 0, 0 }, i = 0;
	size_t len[3] = { 0, 0, 0 };
	char sep = 0;

	for (; *v; v++) {
		if (*v >= '0' && *v <= '9' && len[i] < 4) {
			part[i] = part[i] * 10 + (*v - '0');
			len[i]++;
		} else if (strchr("/.-", *v) && i < 2 && len[i] &&
		    (!sep || *v == sep)) {
			sep = *v;
			i++;
		} else {
			return 0;
		}
	}
	if (i != 2 || len[1] > 2)
		return 0;
	if (len[2] == 4 && len[0] <= 2)
		buf_printf(b, "%04d-%02d-%02d", part[2], part[1], part[0]);
	else if (len[0] == 4 && len[2] <= 2)
		buf_printf(b, "%04d-%02d-%02d", part[0], part[1], part[2]);
	else
		return 0;
	return date_key(b->p, b->len) != 0;
}

/* The operand v written as it is meant, when v is a number or a date
 * written another way, else NULL; f is its type, or NULL: any number
 * or date.  In b. */
static const char *
operand_meant(const struct schema_field *f, const char *v, struct buf *b)
{
	b->len = 0;
	if ((!f || f->type != T_DATE) && plain_number(v, b) &&
	    (f ? !value_problem(f, b->p, b->len) : is_number(b->p, b->len)))
		return b->p;
	b->len = 0;
	if ((!f || f->type == T_DATE) && iso_date(v, b))
		return b->p;
	return NULL;
}

/* Die: e's operand is not what its field takes (problem says why); say
 * so with the expression as it is likely meant. */
static void
bad_operand(const struct expr *e, const char *problem, const char *meant,
    const char *where)
{
	struct buf q = { 0 };

	quote_value(e->value.p, e->value.len, &q);
	if (meant)
		die_at(where, 0, "field '%s': '%s' %s; did you mean '%s%s%s'?",
		    e->name, q.p, problem, e->name, op_text(e->op), meant);
	die_at(where, 0, "field '%s': '%s' %s", e->name, q.p, problem);
}

static void
unknown_field(const char *name, char *const *names, int n, const char *where)
{
	struct buf list = { 0 };
	const char *near = nearest_name(names, n, name);

	buf_join(&list, names, n);
	if (near)
		die_at(where, 0, "unknown field '%s'; the fields are: %s; "
		    "did you mean '%s'?", name, buf_cstr(&list), near);
	die_at(where, 0, "unknown field '%s'; the fields are: %s", name,
	    buf_cstr(&list));
}

static const struct schema_field *
schema_field(const struct schema *s, const char *name, const char *where)
{
	char **names;
	int i = schema_index(s, name);

	if (i >= 0)
		return &s->f[i];
	names = xmalloc(sizeof *names * (size_t)s->n);
	for (i = 0; i < s->n; i++)
		names[i] = s->f[i].name;
	unknown_field(name, names, s->n, where);
	return NULL;
}

/* With -i an enum operand is one of the values when folded. */
static int
enum_has_folded(struct selection *s, const struct schema_field *f,
    const struct buf *v)
{
	struct buf want = { 0 };
	int i, found = 0;

	vn_fold(v->p, v->len, &want);
	for (i = 0; i < f->nvalues && !found; i++) {
		s->folded.len = 0;
		vn_fold(f->values[i], strlen(f->values[i]), &s->folded);
		found = s->folded.len == want.len &&
		    memcmp(s->folded.p, want.p, want.len) == 0;
	}
	buf_free(&want);
	return found;
}

static void
check_enum(struct selection *s, struct expr *e, const char *where)
{
	const struct schema_field *f = e->type;
	const char *problem, *near;

	if (e->value.len == 0 || (s->fold && enum_has_folded(s, f, &e->value)))
		return;
	if (!(problem = value_problem(f, e->value.p, e->value.len)))
		return;
	near = nearest_name(f->values, f->nvalues, e->value.p);
	bad_operand(e, problem, near, where);
}

static int
has_order(enum ftype t)
{
	return t != T_TEXT && t != T_ENUM && t != T_CCCD;
}

static void
no_text_order(const struct expr *e, const char *kind, const char *where)
{
	die_at(where, 0, "field '%s'%s has no order: '%s%s%s' would compare "
	    "text byte by byte; give --text-order if that is meant", e->name,
	    kind, e->name, op_text(e->op), e->value.p);
}

/* The operand of a field the schema gives a type to. */
static void
check_typed(struct selection *s, struct expr *e, const char *where)
{
	const struct schema_field *f = e->type;
	const char *problem;
	struct buf kind = { 0 };

	if (e->op >= LT && !has_order(f->type)) {
		if (s->text_order)
			return;
		buf_printf(&kind, " (%s)", ftype_name(f->type));
		no_text_order(e, kind.p, where);
	}
	if (f->type == T_ENUM) {
		check_enum(s, e, where);
		return;
	}
	if ((problem = value_problem(f, e->value.p, e->value.len)))
		bad_operand(e, problem, operand_meant(f, e->value.p, &s->msg),
		    where);
	if (e->value.len == 0)
		return;
	switch (f->type) {
	case T_INT:
	case T_DECIMAL:
	case T_MONEY:
		e->order = BY_NUMBER;
		break;
	case T_DATE:
		e->order = e->op >= LT ? BY_DATE : BY_TEXT;
		break;
	case T_ID:
		e->order = e->op >= LT ? BY_ID : BY_TEXT;
		e->skip = strlen(f->prefix);
		break;
	default:
		break;
	}
}

/* Without a type, an ordering follows its operand: a number or a date,
 * or text when asked for. */
static void
check_untyped(struct selection *s, struct expr *e, const char *where)
{
	const char *meant;

	if (e->op < LT)
		return;
	if (is_number(e->value.p, e->value.len))
		e->order = BY_NUMBER;
	else if (date_key(e->value.p, e->value.len))
		e->order = BY_DATE;
	else if (!s->text_order) {
		meant = operand_meant(NULL, e->value.p, &s->msg);
		bad_operand(e, meant ? "is neither a number nor a date "
		    "(YYYY-MM-DD)" : "is neither a number nor a date "
		    "(YYYY-MM-DD); give --text-order to compare text", meant,
		    where);
	}
}

/* ---- what a regular expression may cost ---- */

/* glibc's regcomp writes a bounded repetition out, x{m,n} as n copies
 * of x, nested ones multiplied: ((a{200}){200}){200} is 8,000,000
 * copies, seconds and gigabytes.  Its time and memory grow faster than
 * the copies (an optional part's copies all reach each other).  So an
 * ERE may be at most this long written out: then regcomp takes well
 * under a second and tens of megabytes.  See dc-grep(1). */
enum { ERE_MAX = 4096 };

static size_t
cost_add(size_t a, size_t b)
{
	return a + b > ERE_MAX ? ERE_MAX + 1 : a + b;
}

static size_t
cost_mul(size_t a, size_t b)
{
	return b && a > ERE_MAX / b ? ERE_MAX + 1 : a * b;
}

/* The copies a bound {m}, {m,}, {m,n} or {,n} at p makes of what it
 * follows (at least 1), its length in *len; 0 when p is no bound. */
static size_t
bound_copies(const char *p, size_t *len)
{
	size_t min = 0, max = 0, i = 1;
	int comma = 0, hasmax = 0;

	for (; p[i] >= '0' && p[i] <= '9'; i++)
		min = cost_add(cost_mul(min, 10), (size_t)(p[i] - '0'));
	if (p[i] == ',') {
		comma = 1;
		for (i++; p[i] >= '0' && p[i] <= '9'; i++, hasmax = 1)
			max = cost_add(cost_mul(max, 10), (size_t)(p[i] - '0'));
	}
	if (p[i] != '}' || (i == 1 && !comma))
		return 0;
	*len = i + 1;
	if (!comma)
		max = min;
	else if (!hasmax)
		max = min + 1;          /* x{m,} is m copies and x* */
	return max ? max : 1;
}

/* The length of the atom at p: a bracket expression, an escaped
 * character or one UTF-8 character. */
static size_t
atom_len(const char *p)
{
	size_t i = 1;

	if (*p == '[') {
		if (p[i] == '^')
			i++;
		if (p[i] == ']')
			i++;
		for (; p[i] && p[i] != ']'; i++)
			if (p[i] == '[' && p[i + 1] && strchr(":=.", p[i + 1])) {
				const char *end = strchr(p + i + 2, p[i + 1]);

				if (!end || end[1] != ']')
					break;
				i = (size_t)(end + 1 - p);
			}
		return p[i] ? i + 1 : i;
	}
	if (*p == '\\' && p[i])
		i++;
	while ((p[i] & 0xC0) == 0x80)
		i++;
	return i;
}

/* The length of re written out, bounds expanded, up to ERE_MAX + 1.
 * Only an upper bound of what regcomp builds: regcomp itself says what
 * is malformed. */
static size_t
ere_cost(const char *re)
{
	size_t n = strlen(re), depth = 0, *total, *last, len, copies, c;

	if (n > ERE_MAX)
		return n;
	/* total[d]: the group open at depth d so far; last[d]: the part of
	 * it a repetition would apply to. */
	total = xmalloc(sizeof *total * (n + 1));
	last = xmalloc(sizeof *last * (n + 1));
	total[0] = last[0] = 0;
	for (; *re; re += len) {
		len = 1;
		if (*re == '(') {
			depth++;
			total[depth] = last[depth] = 0;
			continue;
		}
		if (*re == '{' && (copies = bound_copies(re, &len))) {
			c = cost_mul(last[depth], copies);
			total[depth] = cost_add(total[depth] - last[depth], c);
			last[depth] = c;
			continue;
		}
		if (*re == '+') {
			/* glibc writes x+ out as xx*: stacked, each doubles. */
			c = cost_mul(last[depth], 2);
			total[depth] = cost_add(total[depth] - last[depth], c);
			last[depth] = c;
			continue;
		}
		if (strchr("*?|", *re)) {
			/* A repetition applies to the atom or group before it,
			 * with its repetitions: a?{9} is (a?){9}. */
			total[depth] = cost_add(total[depth], 1);
			last[depth] = *re == '|' ? 0 : cost_add(last[depth], 1);
			continue;
		}
		if (*re == ')' && depth > 0)
			c = cost_add(total[depth--], 2);
		else
			c = len = atom_len(re);
		total[depth] = cost_add(total[depth], c);
		last[depth] = c;
	}
	c = total[0];
	for (; depth > 0; depth--)      /* unclosed: regcomp refuses it */
		c = cost_add(c, total[depth]);
	free(total);
	free(last);
	return c;
}

static void
compile_ere(struct expr *e, const char *where)
{
	struct buf q = { 0 };
	char msg[256];
	int rc;

	if (ere_cost(e->value.p) > ERE_MAX)
		die_at(where, 0, "regular expression '%s' is too large: with each "
		    "x{m,n} written out as n copies of x, it is longer than "
		    "%d bytes",
		    quote_value(e->value.p, e->value.len, &q), ERE_MAX);
	rc = regcomp(&e->re, e->value.p, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, &e->re, msg, sizeof msg);
		die_at(where, 0, "bad regular expression '%s': %s", e->value.p,
		    msg);
	}
}

/* Check e before any record is read, and get it ready. */
static void
check_expr(struct selection *s, struct expr *e, const struct schema *schema,
    const char *where)
{
	buf_cstr(&e->value);
	if (e->op >= LT && e->value.len == 0)
		die_at(where, 0, "'%s%s': nothing to compare with", e->name,
		    op_text(e->op));
	if (schema)
		e->type = schema_field(schema, e->name, where);
	if (e->op == MATCH || e->op == NOMATCH)
		;
	else if (e->type)
		check_typed(s, e, where);
	else
		check_untyped(s, e, where);
	if (e->order == BY_DATE)
		e->date = date_key(e->value.p, e->value.len);
	if (s->fold && e->order == BY_TEXT) {
		struct buf f = { 0 };

		vn_fold(e->value.p, e->value.len, &f);
		buf_free(&e->value);
		e->value = f;
		buf_cstr(&e->value);
	}
	/* A value written without escapes appears as is in any line where
	 * the field equals it: most lines fail on a plain byte search. */
	if (e->op == EQ && e->order == BY_TEXT && !s->fold &&
	    e->value.len > 0 && strpbrk(e->value.p, "\t\n\r\\") == NULL) {
		s->needles = xrealloc(s->needles, sizeof *s->needles *
		    (size_t)(s->nneedles + 1));
		memset(&s->needles[s->nneedles], 0, sizeof *s->needles);
		s->needles[s->nneedles].p = e->value.p;
		s->needles[s->nneedles++].len = e->value.len;
	}
	e->memoize = (s->fold && e->order == BY_TEXT) || e->op == MATCH ||
	    e->op == NOMATCH;
	table_init(&e->memo, 1);
	if (e->op == MATCH || e->op == NOMATCH)
		compile_ere(e, where);
}

/* ---- matching ---- */

static int
text_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	if (c == 0)
		return an < bn ? -1 : an > bn;
	return c < 0 ? -1 : 1;
}

/* Die: a record's value is not of the kind its expression orders by. */
static void
bad_value(struct selection *s, const struct expr *e, const struct record *r,
    const char *v, size_t n, const char *problem)
{
	const char *typed = e->type ? value_problem(e->type, v, n) : NULL;

	quote_value(v, n, &s->msg);
	die_at(r->file, r->lineno, "field '%s': '%s' %s", e->name, s->msg.p,
	    typed ? typed : problem);
}

/* The unescaped value v against e's operand: -1, 0 or 1. */
static int
value_cmp(struct selection *s, const struct expr *e, const struct record *r,
    const char *v, size_t n)
{
	uint32_t d;
	int c = 0;                      /* bad_value dies; clang can't tell */

	switch (e->order) {
	case BY_TEXT:
		break;
	case BY_NUMBER:
		if (!number_cmp(v, n, e->value.p, e->value.len, &c))
			bad_value(s, e, r, v, n, "is not a number");
		return c;
	case BY_DATE:
		if (!(d = date_key(v, n)))
			bad_value(s, e, r, v, n, "is not a date (YYYY-MM-DD)");
		return d < e->date ? -1 : d > e->date;
	case BY_ID:
		if (value_problem(e->type, v, n) ||
		    !number_cmp(v + e->skip, n - e->skip, e->value.p + e->skip,
		    e->value.len - e->skip, &c))
			bad_value(s, e, r, v, n, "is not an id");
		return c;
	}
	return text_cmp(v, n, e->value.p, e->value.len);
}

static int
holds(enum op op, int c)
{
	switch (op) {
	case EQ: return c == 0;
	case NE: return c != 0;
	case LT: return c < 0;
	case LE: return c <= 0;
	case GT: return c > 0;
	case GE: return c >= 0;
	default: return 0;
	}
}

static int
value_true(struct selection *s, struct expr *e, const struct record *r,
    const char *v, size_t n)
{
	/* Only a value with a backslash differs from its raw bytes. */
	if (memchr(v, '\\', n)) {
		s->scratch.len = 0;
		unescape(v, n, &s->scratch);
		v = s->scratch.p;
		n = s->scratch.len;
	}
	if (s->fold && e->order == BY_TEXT) {
		s->folded.len = 0;
		vn_fold(v, n, &s->folded);
		v = s->folded.p;
		n = s->folded.len;
	}
	if (e->op == MATCH || e->op == NOMATCH) {
		struct buf *z = v == s->scratch.p ? &s->scratch :
		    v == s->folded.p ? &s->folded : NULL;
		int hit;

		if (!z) {
			s->scratch.len = 0;
			buf_put(&s->scratch, v, n);
			z = &s->scratch;
		}
		hit = regexec(&e->re, buf_cstr(z), 0, NULL, 0) == 0;
		return e->op == MATCH ? hit : !hit;
	}
	/* An empty value is missing: neither less nor greater, and not
	 * equal to a number. */
	if (n == 0 && (e->op >= LT || e->order != BY_TEXT))
		return e->op == NE;
	return holds(e->op, value_cmp(s, e, r, v, n));
}

/* Folding and regular expressions cost far more than a lookup, and most
 * fields repeat a few values (communes, statuses): remember the answer
 * for each raw value.  The memo is bounded, so memory stays constant, and
 * dropped when values hardly repeat (names). */
enum { MEMO_MAX = 4096 };

static int
expr_true(struct selection *s, struct expr *e, struct record *r)
{
	const struct field *f = record_field(r, e->field);
	long k;
	int answer;

	if (!e->memoize)
		return value_true(s, e, r, f->p, f->len);
	if ((k = table_find(&e->memo, f->p, f->len)) >= 0) {
		e->memo_hits++;
		return *(char *)table_value(&e->memo, (size_t)k);
	}
	answer = value_true(s, e, r, f->p, f->len);
	if (e->memo.n < MEMO_MAX)
		*(char *)table_value(&e->memo, table_put(&e->memo, f->p, f->len,
		    NULL)) = (char)answer;
	else if (e->memo_hits < MEMO_MAX)
		e->memoize = 0;
	return answer;
}

struct needle *
selection_needle(struct selection *s)
{
	return s->nneedles ? &s->needles[0] : NULL;
}

int
selection_holds(struct selection *s, struct record *r)
{
	int i;

	/* Every needle first: most records fail one without a field
	 * being split.  (The needles are apart from the expressions so
	 * that this loop, run for every record, reads nothing else.) */
	for (i = 0; i < s->nneedles; i++)
		if (!needle_in(&s->needles[i], r->line, r->len, r->block_end,
		    r->block))
			return 0;
	for (i = 0; i < s->n; i++)
		if (!expr_true(s, &s->exprs[i], r))
			return 0;
	return 1;
}

/* ---- selections ---- */

struct selection *
selection_new(int fold, int text_order)
{
	struct selection *s = xmalloc(sizeof *s);

	memset(s, 0, sizeof *s);
	selection_flags(s, fold, text_order);
	return s;
}

void
selection_flags(struct selection *s, int fold, int text_order)
{
	s->fold = fold;
	s->text_order = text_order;
}

void
selection_add(struct selection *s, const char *expr, const char *where)
{
	size_t n = selection_is_expr(expr);

	if (n == 0)
		not_expr(expr, where);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 4;
		s->exprs = xrealloc(s->exprs, sizeof *s->exprs * (size_t)s->cap);
	}
	parse_expr(expr, n, &s->exprs[s->n], where);
	s->n++;
}

void
selection_check(struct selection *s, const struct schema *schema,
    const char *where)
{
	for (; s->nchecked < s->n; s->nchecked++)
		check_expr(s, &s->exprs[s->nchecked], schema, where);
}

static int
field_index(const struct header *h, const char *name, const char *where)
{
	int i = header_index(h, name);

	if (i < 0)
		unknown_field(name, h->names, h->n, where);
	return i;
}

void
selection_resolve(struct selection *s, const struct header *h,
    const char *where)
{
	int i;

	/* Unchecked, an expression has no order and no compiled regular
	 * expression: matching it would be wrong, or worse. */
	if (s->nchecked < s->n)
		die("selection_resolve: expression '%s' is not checked",
		    s->exprs[s->nchecked].name);
	for (i = 0; i < s->n; i++)
		s->exprs[i].field = field_index(h, s->exprs[i].name, where);
}

int
selection_count(const struct selection *s)
{
	return s->n;
}

void
selection_free(struct selection *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		struct expr *e = &s->exprs[i];

		if (i < s->nchecked && (e->op == MATCH || e->op == NOMATCH))
			regfree(&e->re);
		free(e->name);
		buf_free(&e->value);
		table_free(&e->memo);
	}
	free(s->exprs);
	free(s->needles);
	buf_free(&s->scratch);
	buf_free(&s->folded);
	buf_free(&s->msg);
	free(s);
}

void
selection_locale(void)
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
