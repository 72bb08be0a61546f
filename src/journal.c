/* journal.c: what a registry holds for sure.  Locks are waited for
 * here, saying who holds them; a batch is appended under a rollback
 * journal, so that kill -9 or a power cut leaves all of it in or none
 * (dc-format(5), BATCHES); a reader stops where the last whole batch
 * ends; the batches log lets the same import run again safely. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "registry.h"

static const char journal_magic[] = "dc-add journal\t1\n";
static const char log_header[] = "key\ttime\tstart\tbytes\trecords\tsha256\n";

/* ---- locks ---- */

static volatile sig_atomic_t ticks;

static void
on_tick(int sig)
{
	(void)sig;
	ticks++;
}

/* DC_WAIT: the seconds a program may wait for a lock; -1: no bound. */
static long
wait_limit(void)
{
	const char *env = getenv("DC_WAIT");
	char *end;
	long n;

	if (!env || !*env)
		return -1;
	errno = 0;
	n = strtol(env, &end, 10);
	if (*end || n < 0 || errno)
		die("DC_WAIT: '%s' is not a number of seconds", env);
	return n;
}

static long
lock_holder(int fd, int type)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = (short)type;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) < 0 || fl.l_type == F_UNLCK)
		return 0;
	return (long)fl.l_pid;
}

/* A second's tick interrupts the wait, without SA_RESTART, so that we
 * can count and speak: a holder that is stopped, or a reader whose
 * output nobody reads, would otherwise keep us silent for ever. */
static void
wait_lock(int fd, const char *name, struct flock *fl)
{
	struct sigaction sa, old;
	struct itimerval tick, off;
	long limit = wait_limit(), told = 0, holder;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_tick;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	memset(&off, 0, sizeof off);
	tick = off;
	tick.it_value.tv_sec = tick.it_interval.tv_sec = 1;
	ticks = 0;
	setitimer(ITIMER_REAL, &tick, NULL);
	for (;;) {
		holder = lock_holder(fd, fl->l_type);
		if (limit >= 0 && ticks >= limit) {
			setitimer(ITIMER_REAL, &off, NULL);
			die("%s: still locked by process %ld after %ld s (DC_WAIT)",
			    name, holder, (long)ticks);
		}
		if (ticks >= 1 && holder != told && holder > 0) {
			warn("%s: waiting for the lock held by process %ld", name,
			    holder);
			told = holder;
		}
		if (fcntl(fd, F_SETLKW, fl) == 0)
			break;
		if (errno != EINTR) {
			setitimer(ITIMER_REAL, &off, NULL);
			die("%s: cannot lock: %s", name, strerror(errno));
		}
	}
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
}

int
lock_file(int fd, const char *name, int type)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = (short)type;
	fl.l_whence = SEEK_SET;
	fl.l_len = 0;                   /* to the end, however far it grows */
	wait_limit();                   /* a mistyped DC_WAIT is an error */
	if (fcntl(fd, F_SETLK, &fl) == 0)
		return 0;
	if (errno != EACCES && errno != EAGAIN)
		return -1;
	wait_lock(fd, name, &fl);
	return 0;
}

/* ---- the journal ---- */

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The directory holding path, opened to be fsynced. */
static int
open_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 :
	    (size_t)(slash - path)) : xstrdup(".");
	int fd = open(dir, O_RDONLY);

	free(dir);
	return fd;
}

int
sync_dir(const char *path)
{
	int fd = open_dir(path), r, e;

	if (fd < 0)
		return -1;
	r = fs_fsync(fd);
	e = errno;
	close(fd);
	errno = e;
	return r;
}

static int
parse_offset(const char *v, off_t *out)
{
	char *end;
	intmax_t n;

	errno = 0;
	n = strtoimax(v, &end, 10);
	if (end == v || *end || n < 0 || errno)
		return 0;
	*out = (off_t)n;
	return 1;
}

/* One "key\tvalue" line of a complete journal into j. */
static const char *
journal_line(struct journal_info *j, const char *registry, char *line)
{
	char *tab = strchr(line, '\t');
	off_t ignored;

	if (!tab)
		return "not KEY<TAB>VALUE";
	*tab++ = '\0';
	if (strcmp(line, "registry") == 0)
		return strcmp(tab, base_name(registry)) == 0 ? NULL :
		    "not the journal of this registry";
	if (strcmp(line, "length") == 0)
		return parse_offset(tab, &j->length) ? NULL : "a bad length";
	if (strcmp(line, "log-length") == 0)
		return parse_offset(tab, &j->log_length) ? NULL :
		    "a bad log-length";
	if (strcmp(line, "batch-bytes") == 0)
		return parse_offset(tab, &j->bytes) ? NULL : "a bad batch-bytes";
	if (strcmp(line, "batch-sha256") == 0) {
		if (strlen(tab) != 64)
			return "a bad batch-sha256";
		memcpy(j->sha256, tab, 65);
		return NULL;
	}
	if (strcmp(line, "pid") == 0)
		return parse_offset(tab, &ignored) ? NULL : "a bad pid";
	return "an unknown key";
}

int
journal_read(const char *registry, struct journal_info *j)
{
	char *path = sibling_path(registry, ".journal");
	struct buf text = { 0 };
	char *line, *next;
	const char *why = NULL;
	long lineno = 1;
	size_t m = sizeof journal_magic - 1;

	memset(j, 0, sizeof *j);
	j->length = -1;
	if (!read_whole(path, &text) || text.len == 0) {
		free(path);
		buf_free(&text);
		return 0;
	}
	/* Written in one go and fsynced before the registry is touched:
	 * a journal cut short was still being written, and the registry
	 * holds nothing of its batch. */
	if (text.len < m + 4 || memcmp(text.p, journal_magic, m) != 0 ||
	    memcmp(text.p + text.len - 5, "\nend\n", 5) != 0) {
		free(path);
		buf_free(&text);
		return -1;
	}
	text.p[text.len - 4] = '\0';
	for (line = text.p + m; *line && !why; line = next) {
		lineno++;
		next = strchr(line, '\n');
		*next++ = '\0';
		why = journal_line(j, registry, line);
	}
	if (!why && (j->length < 0 || !*j->sha256))
		why = "a key is missing";
	if (why)
		die_at(path, lineno, "%s; repair it by hand (dc-format(5), "
		    "BATCHES)", why);
	free(path);
	buf_free(&text);
	return 1;
}

off_t
committed_length(const char *path, off_t size, int quiet, int *journal,
    struct journal_info *j)
{
	*journal = journal_read(path, j);
	if (*journal != 1 || j->length >= size)
		return size;
	if (!quiet)
		warn("%s: the %jd bytes after byte %jd are a batch that was cut "
		    "off and are not read (dc-add --recover %s removes them)",
		    path, (intmax_t)(size - j->length), (intmax_t)j->length, path);
	return j->length;
}

/* Cut the file at path back to length (when longer), durably. */
static int
cut_back(int fd, off_t length)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	if (st.st_size <= length)
		return 0;
	if (fs_ftruncate(fd, length) < 0 || fs_fsync(fd) < 0)
		return -1;
	return 0;
}

/* A file beside the registry, opened to be written; created, holding
 * start, when it is not there yet, and that creation made durable
 * before anything counts on it.  Sets *size.  -1 with errno. */
static int
open_beside(const char *registry, const char *suffix, int flags,
    const char *start, off_t *size)
{
	char *path = sibling_path(registry, suffix);
	struct stat st;
	int fd = fs_open(path, O_RDWR | flags, 0600);

	if (fd < 0 && errno == ENOENT) {
		fd = fs_open(path, O_RDWR | O_CREAT | O_EXCL | flags, 0600);
		if (fd >= 0 && (fchmod(fd, 0600) < 0 ||
		    write_all(fd, start, strlen(start)) < 0 ||
		    fs_fsync(fd) < 0 || sync_dir(registry) < 0)) {
			int e = errno;

			close(fd);
			fs_unlink(path);        /* ours: as it was, not there */
			errno = e;
			fd = -1;
		}
	}
	free(path);
	if (fd >= 0 && fstat(fd, &st) < 0) {
		close(fd);
		fd = -1;
	}
	/* Left empty (a header that failed, or a power cut that kept the
	 * name and not the bytes): as good as not there. */
	if (fd >= 0 && st.st_size == 0 && *start) {
		if (write_all(fd, start, strlen(start)) < 0 || fs_fsync(fd) < 0) {
			close(fd);
			return -1;
		}
		st.st_size = (off_t)strlen(start);
	}
	if (fd >= 0)
		*size = st.st_size;
	return fd;
}

/* Empty the journal, durably: the commit of a batch, or its undoing. */
static int
clear_journal(int fd)
{
	return fs_ftruncate(fd, 0) < 0 || fs_fsync(fd) < 0 ? -1 : 0;
}

void
registry_recover(const char *registry, int fd)
{
	struct journal_info j;
	struct stat st;
	off_t ignored;
	int status = journal_read(registry, &j), log = -1, journal;

	if (status == 0)
		return;
	if (fstat(fd, &st) < 0)
		die("%s: %s", registry, strerror(errno));
	if (status == 1 && st.st_size < j.length)
		die("%s: it holds %jd bytes, less than the %jd its journal says "
		    "it held before a batch: repair it by hand", registry,
		    (intmax_t)st.st_size, (intmax_t)j.length);
	if (status == 1 && ((log = open_beside(registry, ".batches", 0,
	    log_header, &ignored)) < 0 || cut_back(fd, j.length) < 0 ||
	    cut_back(log, j.log_length) < 0))
		die("%s: cannot undo the batch that was cut off: %s", registry,
		    strerror(errno));
	if (log >= 0)
		close(log);
	if ((journal = open_beside(registry, ".journal", 0, "", &ignored)) < 0 ||
	    clear_journal(journal) < 0)
		die("%s: cannot empty its journal: %s", registry, strerror(errno));
	close(journal);
	if (status == 1 && st.st_size > j.length)
		warn("%s: a batch was cut off before it was complete: its %jd "
		    "bytes after byte %jd are removed", registry,
		    (intmax_t)(st.st_size - j.length), (intmax_t)j.length);
}

/* ---- appending a batch ---- */

/* What commit_batch is doing, to undo it on a failure. */
struct commit {
	const char *registry;
	int fd, log, journal;
	off_t size, log_size;
	const char *doing;              /* the file being written */
};

static void
undo(struct commit *c)
{
	int e = errno, ok = 1;

	if (cut_back(c->fd, c->size) < 0 ||
	    (c->log >= 0 && cut_back(c->log, c->log_size) < 0) ||
	    (c->journal >= 0 && clear_journal(c->journal) < 0))
		ok = 0;
	if (!ok)
		die("%s: cannot write%s%s: %s; undoing it failed too (%s): the "
		    "next dc-add, or dc-add --recover, undoes it", c->registry,
		    c->doing ? " " : "", c->doing ? c->doing : "", strerror(e),
		    strerror(errno));
	die("%s: cannot write%s%s: %s; nothing was added", c->registry,
	    c->doing ? " " : "", c->doing ? c->doing : "", strerror(e));
}

/* The journal is empty here (registry_recover saw to it). */
static int
journal_write(struct commit *c, size_t bytes, const char *sha)
{
	struct buf j = { 0 };
	off_t size;
	int r;

	c->doing = "its journal";
	c->journal = open_beside(c->registry, ".journal", 0, "", &size);
	if (c->journal < 0)
		return -1;
	buf_puts(&j, journal_magic);
	buf_printf(&j, "registry\t%s\nlength\t%jd\nlog-length\t%jd\n"
	    "batch-bytes\t%zu\nbatch-sha256\t%s\npid\t%ld\nend\n",
	    base_name(c->registry), (intmax_t)c->size, (intmax_t)c->log_size,
	    bytes, sha, (long)getpid());
	r = write_all(c->journal, j.p, j.len) < 0 || fs_fsync(c->journal) < 0 ?
	    -1 : 0;
	buf_free(&j);
	return r;
}

static void
local_time(char out[32])
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S%z", &tm);
}

void
commit_batch(const char *registry, int fd, off_t size, const char *text,
    size_t len, size_t records, const char *key)
{
	struct commit c;
	struct sha256 sum;
	struct buf line = { 0 };
	char sha[65], when[32];

	memset(&c, 0, sizeof c);
	c.registry = registry;
	c.fd = fd;
	c.size = size;
	c.log = c.journal = -1;
	sha256_init(&sum);
	sha256_update(&sum, text, len);
	sha256_hex(&sum, sha);
	local_time(when);
	buf_printf(&line, "%s\t%s\t%jd\t%zu\t%zu\t%s\n", key, when,
	    (intmax_t)size, len, records, sha);
	c.doing = "its batches log";
	if ((c.log = open_beside(registry, ".batches", O_APPEND, log_header,
	    &c.log_size)) < 0 || journal_write(&c, len, sha) < 0)
		undo(&c);
	c.doing = NULL;
	if (write_all(fd, text, len) < 0 || fs_fsync(fd) < 0)
		undo(&c);
	c.doing = "its batches log";
	if (write_all(c.log, line.p, line.len) < 0 || fs_fsync(c.log) < 0)
		undo(&c);
	/* The commit: once the journal is empty, for good, so is the way
	 * back. */
	c.doing = "its journal";
	if (clear_journal(c.journal) < 0)
		undo(&c);
	close(c.log);
	close(c.journal);
	buf_free(&line);
}

/* ---- the batches log: the same import again ---- */

/* The bytes [start, start + n) of the registry, read through fd. */
static int
read_range(int fd, off_t start, off_t n, struct buf *b)
{
	ssize_t got;

	b->len = 0;
	buf_grow(b, (size_t)n);
	while ((off_t)b->len < n) {
		got = pread(fd, b->p + b->len, (size_t)n - b->len,
		    start + (off_t)b->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		b->len += (size_t)got;
	}
	return 0;
}

static int
log_fields(char *line, char **f, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		f[i] = line;
		line = strchr(line, i + 1 < n ? '\t' : '\0');
		if (!line)
			return 0;
		if (i + 1 < n)
			*line++ = '\0';
	}
	return 1;
}

/* Whether the registry still holds the batch lb logs, read into b. */
static int
still_there(int fd, const struct logged_batch *lb, struct buf *b)
{
	struct sha256 sum;
	char sha[65];

	if (read_range(fd, lb->start, lb->bytes, b) < 0)
		return 0;
	sha256_init(&sum);
	sha256_update(&sum, b->p, b->len);
	sha256_hex(&sum, sha);
	return strcmp(sha, lb->sha256) == 0;
}

int
registry_find_batch(const char *registry, int fd, const char *key,
    struct logged_batch *lb)
{
	char *path = sibling_path(registry, ".batches");
	struct buf text = { 0 }, bytes = { 0 };
	char *line, *next, *f[6];
	long lineno = 0;
	int found = 0;

	memset(lb, 0, sizeof *lb);
	if (!read_whole(path, &text)) {
		free(path);
		return 0;
	}
	buf_cstr(&text);
	for (line = text.p; *line; line = next) {
		lineno++;
		if (!(next = strchr(line, '\n')))
			die_at(path, lineno, "a line without its newline; "
			    "repair it by hand");
		*next++ = '\0';
		if (lineno == 1 || strncmp(line, key, 64) != 0 || line[64] != '\t')
			continue;
		if (!log_fields(line, f, 6) || !parse_offset(f[2], &lb->start) ||
		    !parse_offset(f[3], &lb->bytes))
			die_at(path, lineno, "not a batch line; repair it by hand");
		snprintf(lb->time, sizeof lb->time, "%s", f[1]);
		snprintf(lb->sha256, sizeof lb->sha256, "%s", f[5]);
		lb->lineno = lineno;
		found = 1;
	}
	if (found && !still_there(fd, lb, &bytes))
		found = -1;
	if (found == 1) {
		lb->text = bytes.p;
		lb->len = bytes.len;
	} else
		buf_free(&bytes);
	free(path);
	buf_free(&text);
	return found;
}
