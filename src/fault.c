/* fault.c: the system calls that change a registry, in one place, so a
 * test build (make faults) can fail any one of them or cut the power.
 *
 * The plain build passes each call through.  The test build (compiled
 * with -DDC_FAULTS, bin/faults/) reads DC_FAULT once:
 *	OP:N		the Nth call of OP (write, fsync, ftruncate, rename,
 *			unlink, open; any: of all of them) fails, with
 *			ENOSPC for a write and EIO for the others; the
 *			calls after it succeed again
 *	power:N		the power is cut at the Nth call, before it is made
 *			(or at exit when the run makes fewer): what was not
 *			yet on the disk is undone, then _exit(137)
 *	count		at exit, say on stderr how many calls of each kind
 *			were made, so that a test can try every N, and
 *			their order (of the first 200)
 * Compiled in rather than an LD_PRELOAD shim: it works under ASan. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#ifndef DC_FAULTS

ssize_t
fs_write(int fd, const void *p, size_t n)
{
	return write(fd, p, n);
}

int
fs_fsync(int fd)
{
	return fsync(fd);
}

int
fs_ftruncate(int fd, off_t length)
{
	return ftruncate(fd, length);
}

int
fs_rename(const char *from, const char *to)
{
	return rename(from, to);
}

int
fs_unlink(const char *path)
{
	return unlink(path);
}

int
fs_open(const char *path, int flags, mode_t mode)
{
	return open(path, flags, mode);
}

#else /* DC_FAULTS: the test build */

enum op { OP_WRITE, OP_FSYNC, OP_FTRUNCATE, OP_RENAME, OP_UNLINK, OP_OPEN,
	NOP };
static const char *const op_name[NOP] = {
	"write", "fsync", "ftruncate", "rename", "unlink", "open"
};

enum mode { FAULT_NONE, FAULT_FAIL, FAULT_POWER, FAULT_COUNT };

/* A file changed since its last fsync.  A power cut leaves it as it was
 * then: synced bytes long, with the bytes [kept_from, synced) that were
 * overwritten or cut since saved in kept before they were. */
struct unsynced {
	dev_t dev;
	ino_t ino;
	int fd;                 /* the descriptor it was last changed through */
	char *path;             /* where it was opened, when by fs_open */
	off_t synced, kept_from;
	struct buf kept;
};

/* A name created, removed or renamed since its directory's last fsync:
 * a power cut takes it back. */
struct name_change {
	dev_t dir_dev;
	ino_t dir_ino;
	char *path;             /* created, removed, or renamed to */
	char *from;             /* renamed from; NULL for the others */
	int created;
	int had_old;            /* path held a file, whose bytes are old */
	struct buf old;
	mode_t old_mode;
};

/* The test build's state: its whole purpose is to remember the run. */
static struct {
	int ready, cut;
	enum mode mode;
	int op;                 /* FAULT_FAIL: the kind counted, NOP: all */
	long at;
	long calls[NOP + 1];    /* [NOP]: all kinds */
	unsigned char order[200];
	struct unsynced *files;
	size_t nfiles;
	struct name_change *names;
	size_t nnames;
	char *opened[256];      /* fs_open's path of each small descriptor */
} fault;

static void power_cut(void);

static void
say_counts(void)
{
	int i;

	fprintf(stderr, "DC_FAULT=count:");
	for (i = 0; i < NOP; i++)
		fprintf(stderr, " %s=%ld", op_name[i], fault.calls[i]);
	fprintf(stderr, " any=%ld\nDC_FAULT=order:", fault.calls[NOP]);
	for (i = 0; i < fault.calls[NOP] && i < (int)sizeof fault.order; i++)
		fprintf(stderr, " %s", op_name[fault.order[i]]);
	fprintf(stderr, "\n");
}

/* A run that ends before its Nth call still loses what it did not
 * fsync: the power goes just after it exits. */
static void
cut_at_exit(void)
{
	if (!fault.cut)
		power_cut();
}

static void
bad_setting(const char *v)
{
	fprintf(stderr, "%s: DC_FAULT=%s: give OP:N (OP write, fsync, "
	    "ftruncate, rename, unlink, open or any), power:N or count\n",
	    progname, v);
	_exit(2);
}

static void
fault_setup(void)
{
	const char *v = getenv("DC_FAULT"), *colon;
	char *end;
	size_t len;
	int i;

	fault.ready = 1;
	if (!v || !*v)
		return;
	if (strcmp(v, "count") == 0) {
		fault.mode = FAULT_COUNT;
		atexit(say_counts);
		return;
	}
	if (!(colon = strchr(v, ':')))
		bad_setting(v);
	len = (size_t)(colon - v);
	fault.at = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || fault.at < 1)
		bad_setting(v);
	if (len == 5 && memcmp(v, "power", 5) == 0) {
		fault.mode = FAULT_POWER;
		atexit(cut_at_exit);
		return;
	}
	fault.mode = FAULT_FAIL;
	fault.op = NOP;
	if (len == 3 && memcmp(v, "any", 3) == 0)
		return;
	for (i = 0; i < NOP; i++)
		if (strlen(op_name[i]) == len && memcmp(v, op_name[i], len) == 0)
			break;
	if (i == NOP)
		bad_setting(v);
	fault.op = i;
}

/* Count a call of op.  Returns 1 (errno set) when it is the one to
 * fail; at the call where the power goes, does not return. */
static int
fault_call(enum op op, int error)
{
	long all, mine;

	if (!fault.ready)
		fault_setup();
	all = ++fault.calls[NOP];
	mine = ++fault.calls[op];
	if (all <= (long)sizeof fault.order)
		fault.order[all - 1] = (unsigned char)op;
	if (fault.mode == FAULT_POWER && all == fault.at)
		power_cut();
	if (fault.mode != FAULT_FAIL || (fault.op != NOP && fault.op != (int)op))
		return 0;
	if ((fault.op == NOP ? all : mine) != fault.at)
		return 0;
	errno = error;
	return 1;
}

/* ---- what is not on the disk yet ---- */

static struct unsynced *
unsynced_find(dev_t dev, ino_t ino)
{
	size_t i;

	for (i = 0; i < fault.nfiles; i++)
		if (fault.files[i].dev == dev && fault.files[i].ino == ino)
			return &fault.files[i];
	return NULL;
}

static void
unsynced_forget(struct unsynced *u)
{
	free(u->path);
	buf_free(&u->kept);
	*u = fault.files[--fault.nfiles];
}

/* The file fd is about to change; NULL when it is not one a power cut
 * concerns: standard input, output and error belong to the caller, who
 * has seen what was written there, and only regular files are kept. */
static struct unsynced *
unsynced_touch(int fd)
{
	struct unsynced *u;
	struct stat st;

	if (fault.mode != FAULT_POWER || fd <= 2 || fstat(fd, &st) < 0 ||
	    !S_ISREG(st.st_mode))
		return NULL;
	if (!(u = unsynced_find(st.st_dev, st.st_ino))) {
		fault.files = xrealloc(fault.files,
		    (fault.nfiles + 1) * sizeof *fault.files);
		u = &fault.files[fault.nfiles++];
		memset(u, 0, sizeof *u);
		u->dev = st.st_dev;
		u->ino = st.st_ino;
		u->synced = u->kept_from = st.st_size;
	}
	u->fd = fd;
	if ((size_t)fd < sizeof fault.opened / sizeof *fault.opened &&
	    fault.opened[fd] && !u->path)
		u->path = xstrdup(fault.opened[fd]);
	return u;
}

/* A descriptor opened for writing only cannot be read: read through
 * the path it was opened by, if that is still the same file. */
static int
pread_path(const struct unsynced *u, char *p, size_t n, off_t off)
{
	struct stat st;
	int fd, ok;

	if (!u->path || (fd = open(u->path, O_RDONLY)) < 0)
		return 0;
	ok = fstat(fd, &st) == 0 && st.st_dev == u->dev && st.st_ino == u->ino &&
	    pread(fd, p, n, off) == (ssize_t)n;
	close(fd);
	return ok;
}

/* Save the synced bytes from off on, before they are overwritten or
 * cut: those below kept_from are still as they were at the fsync. */
static void
unsynced_keep(struct unsynced *u, off_t off)
{
	struct buf b = { 0 };
	size_t n;

	if (off >= u->kept_from)
		return;
	n = (size_t)(u->kept_from - off);
	buf_grow(&b, n + u->kept.len);
	if (pread(u->fd, b.p, n, off) != (ssize_t)n && !pread_path(u, b.p, n, off)) {
		fprintf(stderr, "%s: DC_FAULT: cannot keep bytes: %s\n",
		    progname, strerror(errno));
		_exit(2);
	}
	b.len = n;
	buf_put(&b, u->kept.p, u->kept.len);
	buf_free(&u->kept);
	u->kept = b;
	u->kept_from = off;
}

/* A file's bytes as the disk holds them: the unchanged start, then what
 * was kept.  Read through path (about to be removed or replaced). */
static int
durable_bytes(const char *path, struct buf *b, mode_t *mode)
{
	struct unsynced *u;
	struct stat st;
	char block[8192];
	ssize_t n;
	int fd;

	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (fd = open(path, O_RDONLY)) < 0)
		return 0;
	while ((n = read(fd, block, sizeof block)) > 0)
		buf_put(b, block, (size_t)n);
	close(fd);
	*mode = st.st_mode & 07777;
	if ((u = unsynced_find(st.st_dev, st.st_ino))) {
		b->len = (size_t)u->kept_from;
		buf_put(b, u->kept.p, u->kept.len);
		unsynced_forget(u);
	}
	return 1;
}

static void
dir_of(const char *path, struct stat *st)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 :
	    (size_t)(slash - path)) : xstrdup(".");

	if (stat(dir, st) < 0)
		memset(st, 0, sizeof *st);
	free(dir);
}

static struct name_change *
name_change(const char *path)
{
	struct name_change *c;
	struct stat dir;

	dir_of(path, &dir);
	fault.names = xrealloc(fault.names,
	    (fault.nnames + 1) * sizeof *fault.names);
	c = &fault.names[fault.nnames++];
	memset(c, 0, sizeof *c);
	c->dir_dev = dir.st_dev;
	c->dir_ino = dir.st_ino;
	c->path = xstrdup(path);
	return c;
}

/* What an fsync puts on the disk: a file's bytes, or a directory's
 * names. */
static void
synced(int fd)
{
	struct unsynced *u;
	struct stat st;
	size_t i = 0;

	if (fault.mode != FAULT_POWER || fstat(fd, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		if ((u = unsynced_find(st.st_dev, st.st_ino)))
			unsynced_forget(u);
		return;
	}
	while (i < fault.nnames) {
		struct name_change *c = &fault.names[i];

		if (c->dir_dev != st.st_dev || c->dir_ino != st.st_ino) {
			i++;
			continue;
		}
		free(c->path);
		free(c->from);
		buf_free(&c->old);
		memmove(c, c + 1, (fault.nnames - i - 1) * sizeof *c);
		fault.nnames--;
	}
}

static void
write_back(const char *path, const struct buf *b, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0 || write_all(fd, b->p, b->len) < 0)
		fprintf(stderr, "%s: DC_FAULT: cannot write back %s: %s\n",
		    progname, path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Put one file back as it was at its last fsync, through its own
 * descriptor (O_APPEND off, so that pwrite goes where it is told) or,
 * when that was closed since, its path. */
static void
restore_file(struct unsynced *u)
{
	struct stat st;
	int fd = u->fd, flags;

	if (fstat(fd, &st) < 0 || st.st_dev != u->dev || st.st_ino != u->ino) {
		fd = u->path ? open(u->path, O_WRONLY) : -1;
		if (fd < 0 || fstat(fd, &st) < 0 || st.st_dev != u->dev ||
		    st.st_ino != u->ino) {
			fprintf(stderr, "%s: DC_FAULT: lost track of %s\n",
			    progname, u->path ? u->path : "a file");
			return;
		}
	}
	if ((flags = fcntl(fd, F_GETFL)) >= 0)
		fcntl(fd, F_SETFL, flags & ~O_APPEND);
	if ((u->kept.len > 0 && pwrite(fd, u->kept.p, u->kept.len,
	    u->kept_from) != (ssize_t)u->kept.len) ||
	    ftruncate(fd, u->synced) < 0)
		fprintf(stderr, "%s: DC_FAULT: cannot restore a file: %s\n",
		    progname, strerror(errno));
}

/* The power goes: every file back to its last fsync, then every name
 * back to its directory's last fsync, newest change first. */
static void
power_cut(void)
{
	size_t i;

	fault.cut = 1;
	for (i = 0; i < fault.nfiles; i++)
		restore_file(&fault.files[i]);
	for (i = fault.nnames; i-- > 0; ) {
		struct name_change *c = &fault.names[i];

		if (c->from)
			rename(c->path, c->from);
		else if (c->created)
			unlink(c->path);
		if (c->had_old)
			write_back(c->path, &c->old, c->old_mode);
	}
	_exit(137);
}

/* ---- the calls ---- */

ssize_t
fs_write(int fd, const void *p, size_t n)
{
	struct unsynced *u;
	off_t off;

	if (fault_call(OP_WRITE, ENOSPC))
		return -1;
	if ((u = unsynced_touch(fd))) {
		struct stat st;

		if (fcntl(fd, F_GETFL) & O_APPEND)
			off = fstat(fd, &st) == 0 ? st.st_size : 0;
		else
			off = lseek(fd, 0, SEEK_CUR);
		if (off >= 0)
			unsynced_keep(u, off);
	}
	return write(fd, p, n);
}

int
fs_fsync(int fd)
{
	int rc;

	if (fault_call(OP_FSYNC, EIO))
		return -1;
	if ((rc = fsync(fd)) == 0)
		synced(fd);
	return rc;
}

int
fs_ftruncate(int fd, off_t length)
{
	struct unsynced *u;

	if (fault_call(OP_FTRUNCATE, EIO))
		return -1;
	if ((u = unsynced_touch(fd)))
		unsynced_keep(u, length);
	return ftruncate(fd, length);
}

int
fs_rename(const char *from, const char *to)
{
	struct name_change *c;
	struct buf old = { 0 };
	mode_t mode = 0;
	int had_old, rc;

	if (fault_call(OP_RENAME, EIO))
		return -1;
	if (fault.mode != FAULT_POWER)
		return rename(from, to);
	had_old = durable_bytes(to, &old, &mode);
	if ((rc = rename(from, to)) < 0) {
		buf_free(&old);
		return rc;
	}
	c = name_change(to);
	c->from = xstrdup(from);
	c->had_old = had_old;
	c->old = old;
	c->old_mode = mode;
	return 0;
}

int
fs_unlink(const char *path)
{
	struct name_change *c;
	struct buf old = { 0 };
	mode_t mode = 0;
	int had_old, rc;

	if (fault_call(OP_UNLINK, EIO))
		return -1;
	if (fault.mode != FAULT_POWER)
		return unlink(path);
	had_old = durable_bytes(path, &old, &mode);
	if ((rc = unlink(path)) < 0) {
		buf_free(&old);
		return rc;
	}
	c = name_change(path);
	c->had_old = had_old;
	c->old = old;
	c->old_mode = mode;
	return 0;
}

/* O_TRUNC goes through fs_ftruncate's bookkeeping: the bytes it cuts
 * are on the disk until an fsync. */
int
fs_open(const char *path, int flags, mode_t mode)
{
	struct stat st;
	int fd, existed;

	if (fault_call(OP_OPEN, EIO))
		return -1;
	if (fault.mode != FAULT_POWER)
		return open(path, flags, mode);
	existed = lstat(path, &st) == 0;
	if ((fd = open(path, flags & ~O_TRUNC, mode)) < 0)
		return fd;
	if ((size_t)fd < sizeof fault.opened / sizeof *fault.opened) {
		free(fault.opened[fd]);
		fault.opened[fd] = xstrdup(path);
	}
	if ((flags & O_CREAT) && !existed)
		name_change(path)->created = 1;
	if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY) {
		struct unsynced *u = unsynced_touch(fd);

		if (u)
			unsynced_keep(u, 0);
		if (ftruncate(fd, 0) < 0) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

#endif /* DC_FAULTS */
