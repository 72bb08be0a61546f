/*
 * readbench FILE RUNS: how fast this machine hands a file's bytes to a
 * program, by read(2) into buffers of several sizes and by mmap(2)
 * with and without madvise(MADV_SEQUENTIAL) and MAP_POPULATE.  Each
 * way counts the newlines with memchr and adds the bytes up 8 at a
 * time, so that every byte is touched as a reader touches it and the
 * work cannot be optimised away; every way must give the same count
 * and sum.  The file is read once first (a warm page cache), then each
 * round runs every way once, so that a busy moment of the machine
 * falls on all of them alike.  Prints a markdown table: the median
 * wall, CPU and system (kernel: the copy of read, the page faults of
 * mmap) time of RUNS rounds per way, and MB/s.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct tally {
	uint64_t lines;
	uint64_t sum;
};

enum { READ, MMAP };

struct way {
	const char *name;
	int kind;
	size_t bufsize;		/* READ */
	int flags;		/* MMAP: extra mmap flags */
	int advice;		/* MMAP: madvise advice, or -1 */
};

static const struct way ways[] = {
	{ "read, 64 KiB buffer", READ, 64 << 10, 0, -1 },
	{ "read, 128 KiB buffer", READ, 128 << 10, 0, -1 },
	{ "read, 1 MiB buffer", READ, 1 << 20, 0, -1 },
	{ "mmap", MMAP, 0, 0, -1 },
	{ "mmap + MADV_SEQUENTIAL", MMAP, 0, 0, MADV_SEQUENTIAL },
	{ "mmap + MAP_POPULATE", MMAP, 0, MAP_POPULATE, -1 },
	{ "mmap + MAP_POPULATE + MADV_SEQUENTIAL", MMAP, 0, MAP_POPULATE,
	    MADV_SEQUENTIAL },
};
enum { NWAYS = sizeof ways / sizeof ways[0] };

static const char *path;

static void
die(const char *what)
{
	fprintf(stderr, "readbench: %s: %s: %s\n", path, what, strerror(errno));
	exit(2);
}

/* The work a reader does on every byte: find the newlines, look at the
 * rest.  The sum is of 8-byte words (the tail bytes one by one). */
static void
scan(const char *p, size_t n, struct tally *t)
{
	const char *end = p + n, *q = p;
	uint64_t w;
	size_t i;

	while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
		t->lines++;
		q++;
	}
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		t->sum += w;
	}
	for (; i < n; i++)
		t->sum += (unsigned char)p[i];
}

static void
by_read(const struct way *w, struct tally *t)
{
	char *buf = malloc(w->bufsize);
	ssize_t got;
	int fd;

	if (buf == NULL)
		die("malloc");
	if ((fd = open(path, O_RDONLY)) < 0)
		die("open");
	while ((got = read(fd, buf, w->bufsize)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			die("read");
		}
		scan(buf, (size_t)got, t);
	}
	close(fd);
	free(buf);
}

static void
by_mmap(const struct way *w, struct tally *t)
{
	struct stat st;
	void *p;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		die("open");
	if (fstat(fd, &st) < 0)
		die("fstat");
	if (st.st_size == 0) {
		close(fd);
		return;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | w->flags,
	    fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	if (w->advice >= 0 && madvise(p, (size_t)st.st_size, w->advice) < 0)
		die("madvise");
	scan(p, (size_t)st.st_size, t);
	munmap(p, (size_t)st.st_size);
	close(fd);
}

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The process's user and system seconds so far. */
static void
cpu(double *user, double *sys)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
	*sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
one(const struct way *w, struct tally *t)
{
	if (w->kind == READ)
		by_read(w, t);
	else
		by_mmap(w, t);
}

int
main(int argc, char **argv)
{
	static double secs[NWAYS][1000], cpus[NWAYS][1000], syss[NWAYS][1000];
	struct tally want = { 0, 0 }, t;
	struct stat st;
	double t0, u0, s0, u1, s1;
	int runs, r, i;

	if (argc != 3 || (runs = atoi(argv[2])) < 1 || runs > 1000) {
		fprintf(stderr, "usage: readbench FILE RUNS (1 to 1000)\n");
		return 2;
	}
	path = argv[1];
	if (stat(path, &st) < 0)
		die("stat");
	one(&ways[1], &want);	/* warms the page cache; the answer */
	for (r = 0; r < runs; r++) {
		for (i = 0; i < NWAYS; i++) {
			memset(&t, 0, sizeof t);
			t0 = wall();
			cpu(&u0, &s0);
			one(&ways[i], &t);
			secs[i][r] = wall() - t0;
			cpu(&u1, &s1);
			cpus[i][r] = u1 - u0 + s1 - s0;
			syss[i][r] = s1 - s0;
			if (t.lines != want.lines || t.sum != want.sum) {
				fprintf(stderr, "readbench: %s: %s counts %llu lines, the first read %llu\n",
				    path, ways[i].name, (unsigned long long)t.lines,
				    (unsigned long long)want.lines);
				return 1;
			}
		}
	}
	printf("| way | median s | MB/s | CPU s | of which system s |\n"
	    "|---|---:|---:|---:|---:|\n");
	for (i = 0; i < NWAYS; i++) {
		double s = median(secs[i], runs), c = median(cpus[i], runs);

		printf("| %s | %.3f | %.0f | %.3f | %.3f |\n", ways[i].name, s,
		    s > 0 ? (double)st.st_size / 1e6 / s : 0.0, c,
		    median(syss[i], runs));
	}
	printf("\nEvery way: %llu newlines, byte sum %016llx.\n",
	    (unsigned long long)want.lines, (unsigned long long)want.sum);
	return 0;
}
