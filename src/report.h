/* report.h: dc-report's periods, figures and templates (dc-report(1),
 * dc-report(5)) */
#ifndef DC_REPORT_H
#define DC_REPORT_H

#include "number.h"
#include "record.h"
#include "registry.h"

/* ---- period.c: reporting periods ---- */

/* A reporting period: months first..last of a year, closing on the
 * 14th (Nghị định 09/2019/NĐ-CP, Điều 12) or on the calendar's days. */
struct period {
	int year, first, last;          /* months 1..12 */
	int calendar;
	char code[16];                  /* as written after -p: "2024-Q3" */
	char start[11], end[11];        /* its first and last days */
	char eve[11];                   /* the day before it starts */
	char name[64];                  /* "quý III năm 2024" */
	char today[11];                 /* the day the report is made */
};
/* "2024", "2024-06", "2024-Q3", "2024-H1", "2024-H2", "2024-9M"; 0 when
 * it is none of them. */
int period_parse(const char *s, int calendar, struct period *p);
/* The same period years earlier (years > 0). */
void period_earlier(const struct period *p, int years, struct period *out);
/* The day a year closes under p's convention. */
void year_close(const struct period *p, int year, char out[11]);
/* iso minus years (29 February becomes 28). */
void date_minus_years(const char *iso, int years, char out[11]);

/* ---- figure.c: figure definitions and labels ---- */

enum fig_kind { FIG_STOCK, FIG_OPENING, FIG_FLOW, FIG_YEARLY, FIG_CURRENT };
enum fig_value { VAL_COUNT, VAL_SUM, VAL_LIST };

struct figure {
	char *name, *registry, *datefield, *where, *unit;
	char *valfield;                 /* sum and list: the field */
	char **by;                      /* table figures: the fields */
	int nby;                        /* 0: a scalar */
	enum fig_kind kind;
	enum fig_value value;
	char *origin;                   /* "figures.tsv:12", for messages */
};

struct label {
	char *field, *value, *label, *group;
	char *file;                     /* where it is written */
	long line;
};

struct definitions {
	struct figure *fig;
	int nfig;
	struct label *lab;
	int nlab;
	int show_cccd;                  /* lists of ID numbers in full */
	char *used;                     /* per figure: the report asks for it
	                                 * (only those are computed) */
};

/* Read the figures and labels of dir (shipped first, then the office's,
 * whose records replace the shipped ones of the same name). */
void definitions_load(struct definitions *d, const char *shipped,
    const char *office);
int figure_index(const struct definitions *d, const char *name);
/* The day of the state figure f is counted on in period p (period.c). */
const char *figure_day(const struct figure *f, const struct period *p);
void definitions_free(struct definitions *d);
/* The label of field=value, or NULL. */
const char *label_of(const struct definitions *d, const char *field,
    const char *value, size_t n);
const struct label *label_find(const struct definitions *d, const char *field,
    const char *value, size_t n);
/* Where field=value stands in the labels (their order is the report's),
 * or d->nlab when it has none. */
int label_rank(const struct definitions *d, const char *field,
    const char *value, size_t n);

/* ---- figure.c: an office's settings ---- */

struct setting {
	char *key, *value;
};
/* The office's settings: dir/report.tsv (key, value), when it exists. */
void settings_load(const char *dir, struct setting **set, int *n);
void settings_free(struct setting *set, int n);
/* The value of key (a later line wins), or NULL. */
const char *setting_value(const struct setting *set, int n, const char *key);

/* ---- compute.c: computing figures ---- */

/* One row's figures: a count, a sum and a list (list values joined by
 * ", "), as the figure's value says. */
struct acc {
	int64_t count;
	struct decimal sum;
	int places;                     /* the most decimals a summed value
	                                 * was written with: 12,240g stays so */
	size_t list;                    /* index + 1 in the value's lists */
};

/* A figure's value in one office and period: rows by key (the by
 * fields' raw values joined by TAB; "" for a scalar). */
struct fvalue {
	struct table rows;              /* key -> struct acc */
	struct buf *lists;
	size_t nlists;
	struct table items;             /* list index and value: each once */
	size_t *order;                  /* rows in report order */
};

/* A registry as the report reads it: its first `length` bytes. */
struct source {
	char *path;
	char *files[2];                 /* { path, NULL }: the readers keep it */
	off_t length;
	char sha256[65];
	dev_t dev;                      /* the file, wherever it is linked */
	ino_t ino;
};

struct office {
	char *dir, *name;
	struct source *src;             /* per registry read */
	int nsrc;
	struct fvalue *val[2];          /* per period (0: this one, 1: a year
	                                 * earlier), per figure */
};

/* Take each registry the figures read: its length and checksum, under
 * the readers' lock, so that every pass reads the same bytes. */
void office_sources(struct office *o, const struct definitions *d);
/* Compute every figure of office o for period p into o->val[slot]. */
void office_compute(struct office *o, const struct definitions *d,
    const struct period *p, int slot);
void office_free(struct office *o, const struct definitions *d);
/* Add a's count and sum into to (not its list); NUM_OK, or why not. */
int acc_add(struct acc *to, const struct acc *a);
/* Add office o's values into total (a zeroed office). */
void office_add(struct office *total, const struct office *o,
    const struct definitions *d, int slot);
/* The raw text of row i of v under figure f. */
void fvalue_text(const struct figure *f, const struct fvalue *v, long row,
    struct buf *out);
/* The pipeline of dc-* programs that computes f, for an auditor. */
void figure_explain(const struct figure *f, const struct office *o,
    const struct period *p, struct buf *out);

/* ---- period.c: the words of a where ---- */

/* Words of a definition's where, split as the shell splits them (no
 * expansion), with the period's days put in; NULL-terminated. */
char **where_words(const char *where, const struct period *p, int year,
    const char *origin);
void words_free(char **w);

/* ---- render.c: templates ---- */

struct node;


/* What a template is rendered from. */
struct report {
	const struct definitions *d;
	struct office *offices;         /* the offices counted */
	int noffices;
	struct office *total;           /* their sum (offices[0] when one) */
	const struct period *per[2];    /* this period, a year earlier */
	struct setting *set;            /* the writing office's settings */
	int nset;
	char today[11];
	const char *sources;            /* the sources' lines */
	const char *dirs[2];            /* templates: the office's, shipped */
	char *used;                     /* per figure, set by template_check */
};

struct template {
	struct node *nodes;
	int n;
	int uses_prev;                  /* a prev or change filter is in it */
	char **texts;                   /* the files' texts and names, kept:
	                                 * nodes point into them */
	int ntexts;
};

/* Parse template name (a file NAME.txt in the office's directory, else
 * the shipped one; or a path holding '/'), with its includes. */
void template_load(struct template *t, const char *name, const struct report *r);
/* Check every name of t against the figures, settings and built-ins. */
void template_check(const struct template *t, const struct report *r);
void template_render(const struct template *t, const struct report *r,
    struct buf *out);
void template_free(struct template *t);
/* Whether name is a built-in name (period, year, today...); its value
 * in out. */
int builtin(const struct report *r, const char *name, struct buf *out);

#endif
