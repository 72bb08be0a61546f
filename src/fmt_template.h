/* fmt_template.h: dc-fmt's templates, text with {field|filter|...}
 * references.  See dc-fmt(1). */
#ifndef DC_FMT_TEMPLATE_H
#define DC_FMT_TEMPLATE_H

#include "record.h"

/* A template is made in this order: fmt_template_new, fmt_template_parse,
 * fmt_template_resolve; then fmt_template_render for each record, and
 * fmt_template_free.  Every error dies (exit 2), with nothing allocated
 * that fmt_template_free does not free: a fuzz target that returns from
 * dc_exit through dc_exit_hook loses nothing. */
struct fmt_template;

struct fmt_template *fmt_template_new(void);
/* Parse text, in time linear in its length; text must stay allocated
 * while the template is used.  Dies on a malformed template or an
 * unknown filter. */
void fmt_template_parse(struct fmt_template *t, const char *text);
/* Find each reference's field in h; dies on an unknown one. */
void fmt_template_resolve(struct fmt_template *t, const struct header *h);
/* Append r written through t to out; dies at r's FILE:LINE on a value
 * a filter cannot take.  out is only appended to: a caller that writes
 * it once whole writes whole records only. */
void fmt_template_render(struct fmt_template *t, struct record *r,
    struct buf *out);
void fmt_template_free(struct fmt_template *t);

#endif
