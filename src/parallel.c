/* parallel.c: one file read by several processes at once (-j N).
 *
 * The records of a regular file are cut at line boundaries into ranges
 * of about equal bytes; a worker, forked after the parent has read the
 * header (and, for the state of a history, done the first reading that
 * marks the records that hold), reads one range and writes what it
 * found to a temporary file of its own; the parent combines them in
 * input order.  Processes, not threads: the code keeps state in globals
 * (buffered output, messages, die()).
 *
 * A worker that fails says nothing: its standard error goes nowhere.
 * The parent then does the whole work itself, in one process, which
 * reports the first error in input order with its FILE:LINE, exactly as
 * -j 1 does; a worker knows neither the line numbers of its range nor
 * the errors before it.  Errors are rare, and cost one more reading. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "parallel.h"

const char jobs_usage[] =
    "  -j, --jobs N  read a large file with N processes (default: one per\n"
    "                CPU, at most 8, for a file of 4 MB or more)\n";

int
jobs_option(const char *arg)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (end == arg || *end || errno || n < 1 || n > PAR_MAX)
		usage_error("-j: '%s' is not a number of processes from 1 to %d",
		    arg, PAR_MAX);
	return (int)n;
}

/* Where the current file's next record starts, and where its records
 * end (what the first reading took, or what may be read of it). */
static off_t
data_start(const struct input *in)
{
	return in->file_bytes - (off_t)(in->end - in->pos);
}

static off_t
data_end(const struct input *in)
{
	return in->replay ? in->kept[in->fileidx - 1].length : in->file_limit;
}

/* Ranges need one regular file named on the command line (a worker
 * opens it again), read whole, and records that do not depend on the
 * records before them in other ranges: not a declared state, whose ids
 * must each be met once, nor --part of a plain file, which takes every
 * Nth record. */
static int
splittable(const struct reader *rd)
{
	const struct input *in = &rd->in;
	struct stat st;

	if (in->nfiles != 1 || strcmp(in->files[0], "-") == 0 || in->fd < 0 ||
	    in->fileidx != 1 || fstat(in->fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    in->file_limit < 0)
		return 0;
	switch (rd->mode) {
	case READ_PLAIN:
		return rd->view.nparts == 0;
	case READ_VERSIONS:
	case READ_REDUCE:
		return 1;
	case READ_STATE:
		break;
	}
	return 0;
}

static int
default_jobs(off_t bytes)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (bytes < PAR_MIN_BYTES || cpus < 2)
		return 1;
	return cpus > PAR_DEFAULT_MAX ? PAR_DEFAULT_MAX : (int)cpus;
}

void
par_plan(struct par *p, struct reader *rd, int jobs)
{
	off_t from, bytes;
	int k;

	memset(p, 0, sizeof *p);
	p->n = 1;
	if (jobs == 1 || !splittable(rd))
		return;
	from = data_start(&rd->in);
	bytes = data_end(&rd->in) - from;
	p->n = jobs ? jobs : default_jobs(bytes);
	if (p->n == 1)
		return;
	for (k = 0; k < p->n; k++)
		p->start[k] = from + (off_t)((double)bytes * k / p->n);
	p->start[p->n] = from + bytes;
	if (rd->mode != READ_REDUCE)
		return;
	/* The first reading finds the record at or after each target:
	 * where a range starts, and how many records are before it. */
	rd->split_at = p->start + 1;
	rd->split_seq = p->seq + 1;
	rd->nsplit = p->n - 1;
}

/* The first line start at or after at (the file's byte offsets), up to
 * end: just after a newline. */
static off_t
line_start(int fd, off_t at, off_t end)
{
	char block[4096];
	ssize_t n;
	char *nl;

	if (at <= 0)
		return at;
	for (at--; at < end; at += n) {
		n = pread(fd, block, (size_t)(end - at < (off_t)sizeof block ?
		    end - at : (off_t)sizeof block), at);
		if (n <= 0)
			return -1;
		if ((nl = memchr(block, '\n', (size_t)n)))
			return at + (nl - block) + 1;
	}
	return end;
}

/* The ranges: after the first reading of a history, where it found
 * them; else at the line starts after the targets. */
static int
find_ranges(struct par *p, struct reader *rd)
{
	int k;

	p->start[0] = data_start(&rd->in);
	if (rd->mode == READ_REDUCE) {
		/* Targets past the last record start: empty ranges. */
		for (k = rd->splits_met + 1; k < p->n; k++)
			p->start[k] = p->start[p->n];
		rd->nsplit = 0;
		return 0;
	}
	for (k = 1; k < p->n; k++) {
		p->start[k] = line_start(rd->in.fd, p->start[k], p->start[p->n]);
		if (p->start[k] < 0)
			return -1;
		if (p->start[k] < p->start[k - 1])
			p->start[k] = p->start[k - 1];
	}
	return 0;
}

/* An unnamed temporary file, mode 0600 (mkstemp), under TMPDIR. */
static int
temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	struct buf path = { 0 };
	int fd;

	buf_printf(&path, "%s/dc-part-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path.p);
	if (fd >= 0)
		unlink(path.p);
	buf_free(&path);
	return fd;
}

static void
close_outputs(struct par *p, int n)
{
	int k;

	for (k = 0; k < n; k++)
		if (p->out[k] >= 0)
			close(p->out[k]);
	for (k = 0; k < n; k++)
		p->out[k] = -1;
}

/* The worker: never returns.  Its result goes after its output, as the
 * last bytes of the file, so that the parent sees it only when the work
 * ended. */
static void
worker(struct par *p, int k, struct reader *rd, int results,
    void (*work)(void *), void *ctx)
{
	int null = open("/dev/null", O_WRONLY);

	p->self = k;
	if (null < 0 || dup2(null, 2) < 0 || dup2(p->out[k], 1) < 0 ||
	    input_range(&rd->in, p->start[k], p->start[k + 1]) < 0)
		_exit(2);
	rd->seq = p->seq[k];
	work(ctx);
	out_flush();
	p->res[k].done = 1;
	if (pwrite(results, &p->res[k], sizeof p->res[k],
	    (off_t)(k * sizeof p->res[k])) != (ssize_t)sizeof p->res[k])
		_exit(2);
	/* _exit: no exit handlers, nothing flushed twice. */
	_exit(0);
}

/* Wait for the workers started; 1 when all ended well. */
static int
reap(struct par *p, const pid_t *pid, int started, int results)
{
	int k, status, ok = started == p->n;

	for (k = 0; k < started; k++) {
		while (waitpid(pid[k], &status, 0) < 0)
			if (errno != EINTR) {
				ok = 0;
				break;
			}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			ok = 0;
	}
	for (k = 0; ok && k < p->n; k++)
		if (pread(results, &p->res[k], sizeof p->res[k],
		    (off_t)(k * sizeof p->res[k])) != (ssize_t)sizeof p->res[k] ||
		    !p->res[k].done || lseek(p->out[k], 0, SEEK_SET) != 0)
			ok = 0;
	return ok;
}

int
par_run(struct par *p, struct reader *rd, void (*work)(void *), void *ctx)
{
	pid_t pid[PAR_MAX];
	int k, started = 0, results;

	if (p->n <= 1 || find_ranges(p, rd) < 0 || (results = temp_file()) < 0) {
		p->n = 1;
		return 0;
	}
	for (k = 0; k < p->n; k++)
		p->out[k] = -1;
	for (k = 0; k < p->n; k++)
		if ((p->out[k] = temp_file()) < 0)
			break;
	/* Nothing buffered may be written twice, by parent and worker. */
	out_flush();
	fflush(stderr);
	for (; started < p->n && p->out[p->n - 1] >= 0; started++) {
		pid[started] = fork();
		if (pid[started] < 0)
			break;
		if (pid[started] == 0)
			worker(p, started, rd, results, work, ctx);
	}
	if (!reap(p, pid, started, results)) {
		close_outputs(p, p->n);
		p->n = 1;
	}
	close(results);
	return p->n > 1;
}

void
par_free(struct par *p)
{
	if (p->n > 1)
		close_outputs(p, p->n);
}
