/* select.h: selections, expressions FIELD OP VALUE that every record
 * must satisfy (dc-grep, dc-report).  See dc-grep(1), Expressions. */
#ifndef DC_SELECT_H
#define DC_SELECT_H

#include "record.h"
#include "registry.h"

/* Any number of selections may be used at once: each keeps its own
 * expressions, answers and buffers, and there is no global state.
 * A selection is made in this order: selection_new, selection_add for
 * each expression, selection_check, selection_resolve; then
 * selection_holds for each record, and selection_free.
 *
 * Messages: where, when not NULL, comes before each message about an
 * expression ("dc-report: figures.tsv:12: unknown field ...").  NULL
 * means the expression is a command-line argument (dc-grep): messages
 * are then those of dc-grep(1), and say that a file named like an
 * expression goes after "--".  A record whose value an ordering cannot
 * compare is an error at the record's FILE:LINE. */
struct selection;

/* fold: compare text without case and Vietnamese marks (-i);
 * text_order: let < <= > >= compare text where no other order applies
 * (--text-order). */
struct selection *selection_new(int fold, int text_order);
/* Change them, before selection_check (dc-grep reads its options and
 * expressions in any order). */
void selection_flags(struct selection *s, int fold, int text_order);
/* When arg is an expression (a name, then one of = ! < > ~), the length
 * of the name; else 0. */
size_t selection_is_expr(const char *arg);
/* Add one expression: dies on a malformed one (no operator, an operator
 * of another language, a value that is not UTF-8). */
void selection_add(struct selection *s, const char *expr, const char *where);
/* Check the operands before any record is read (those of the
 * expressions added since the last call), against schema, or when it
 * is NULL by the rules without one, and get them ready to match: dies
 * on a query that cannot mean what it says. */
void selection_check(struct selection *s, const struct schema *schema,
    const char *where);
/* Find each expression's field in h; dies on an unknown one, naming
 * the likely one. */
void selection_resolve(struct selection *s, const struct header *h,
    const char *where);
/* 1 when every expression holds for r (always, with none), else 0. */
int selection_holds(struct selection *s, struct record *r);
int selection_count(const struct selection *s);   /* of expressions */
/* Bytes the line of every record selection_holds takes holds, or NULL
 * (after selection_check: the first plain = operand). */
struct needle *selection_needle(struct selection *s);
void selection_free(struct selection *s);

/* Records are UTF-8 whatever the user's locale, and a regular
 * expression must see "ọ" as one character: call once, first thing in
 * main, in a program with selections (it calls setlocale). */
void selection_locale(void);

#endif
