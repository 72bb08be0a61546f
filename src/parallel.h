/* parallel.h: one file read by several processes at once (-j N) */
#ifndef DC_PARALLEL_H
#define DC_PARALLEL_H

#include "record.h"

/* At most PAR_MAX workers asked; by default one per online CPU, at most
 * PAR_DEFAULT_MAX, and only for a file of PAR_MIN_BYTES of records or
 * more (fewer bytes are read faster than processes start). */
enum { PAR_MAX = 64, PAR_DEFAULT_MAX = 8 };
#define PAR_MIN_BYTES ((off_t)4 << 20)

/* What a worker hands the parent besides its output, set by the work
 * function in p->res[p->self]. */
struct par_result {
	int done;                       /* set by par_run: the work ended */
	int places;                     /* dc-count: most decimals written */
	int64_t count;                  /* dc-grep: records selected */
	double magnitude;               /* dc-count: sum of |value| summed */
	uint64_t umagnitude;            /* dc-budget: the same, in đồng,
	                                 * at most UINT64_MAX */
};

struct par {
	int n;                          /* workers; 1: one process */
	int self;                       /* in a worker: its index */
	off_t start[PAR_MAX + 1];       /* worker k reads the records of
	                                 * bytes [start[k], start[k + 1]) */
	uint64_t seq[PAR_MAX];          /* records before start[k] */
	int out[PAR_MAX];               /* worker k's standard output, a
	                                 * temporary file read from 0 */
	struct par_result res[PAR_MAX];
};

/* The line of --help for -j. */
extern const char jobs_usage[];
/* The value of -j N / --jobs N: 1 to PAR_MAX, else a usage error. */
int jobs_option(const char *arg);
/* Before reader_prepare: how many workers the input allows for jobs
 * (0: the default), in p->n. */
void par_plan(struct par *p, struct reader *rd, int jobs);
/* After reader_prepare, nothing written yet: run work(ctx) in each of
 * p->n workers, each on its range of records, writing with out_* to its
 * output.  1 when every worker ended well: their outputs and results
 * are in p, in input order; 0 when the parent must do the work itself,
 * in one process (p->n is 1, or a worker failed: the one process
 * reports the first error as it would have). */
int par_run(struct par *p, struct reader *rd, void (*work)(void *ctx),
    void *ctx);
/* Close the outputs. */
void par_free(struct par *p);

#endif
