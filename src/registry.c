/* registry.c: the rules of a registry's ids, which dc-add and dc-check
 * both apply, and the write side of a registry: create one, lock it,
 * learn what it holds, append a batch of records to it.  What a record
 * must be, and what to say when it is not, is dc-add's. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "number.h"
#include "registry.h"

static const struct field none = { "", 0 };

int
is_next_id(const struct schema_field *f)
{
	return strcmp(f->deflt, "next") == 0;
}


/* ---- creating a registry ---- */

int
read_whole(const char *path, struct buf *b)
{
	char block[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	while ((n = read(fd, block, sizeof block)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("%s: %s", path, strerror(errno));
		buf_put(b, block, (size_t)n);
	}
	close(fd);
	return 1;
}

/* Create path holding b; O_EXCL: never clobber a file.  exact: the
 * mode whatever the umask.  Returns 0, or -1 with errno. */
static int
create_file(const char *path, mode_t mode, int exact, const struct buf *b)
{
	int fd = fs_open(path, O_WRONLY | O_CREAT | O_EXCL, mode), e;

	if (fd < 0)
		return -1;
	if ((exact && fchmod(fd, mode) < 0) || write_all(fd, b->p, b->len) < 0 ||
	    fs_fsync(fd) < 0 || close(fd) < 0) {
		e = errno;
		fs_unlink(path);
		errno = e;
		return -1;
	}
	return 0;
}

/* A new registry holds only the header; 0600: it holds personal data.
 * The schema copied beside it lets later calls find it there; a
 * different schema already there would be a registry with two. */
void
registry_create(const char *registry, const struct schema *s,
    const char *schema_path)
{
	struct buf header = { 0 }, schema = { 0 }, old = { 0 };
	char *beside = schema_path_for(registry);
	struct stat st;
	int i, have = 0;

	if (schema_path) {
		read_whole(schema_path, &schema);
		have = read_whole(beside, &old);
		if (have && (old.len != schema.len ||
		    memcmp(old.p, schema.p, old.len) != 0))
			die("%s exists and differs from %s", beside, schema_path);
	}
	for (i = 0; i < s->n; i++) {
		if (i)
			buf_putc(&header, '\t');
		buf_puts(&header, s->f[i].name);
	}
	buf_putc(&header, '\n');
	if (create_file(registry, 0600, 1, &header) < 0) {
		int e = errno;

		if (e == EEXIST && lstat(registry, &st) == 0) {
			if (S_ISLNK(st.st_mode))
				die("%s: a symbolic link: --init creates a registry "
				    "only where there is no file", registry);
			if (!S_ISREG(st.st_mode))
				die("%s: not a regular file", registry);
		}
		die("%s: %s", registry, strerror(e));
	}
	if (schema_path && !have && create_file(beside, 0666, 0, &schema) < 0) {
		int e = errno;

		fs_unlink(registry);
		die("%s: %s", beside, strerror(e));
	}
	/* Created for good only once the directory says so. */
	if (sync_dir(registry) < 0) {
		int e = errno;

		fs_unlink(registry);
		if (schema_path && !have)
			fs_unlink(beside);
		die("%s: %s", registry, strerror(e));
	}
	buf_free(&header);
	buf_free(&schema);
	buf_free(&old);
	free(beside);
}

/* ---- the batch of records to append ---- */

void
batch_init(struct batch *b, int nf)
{
	memset(b, 0, sizeof *b);
	b->nf = nf;
}

/* Grown by doubling: a bulk import makes a few allocations, not one a
 * record. */
size_t
batch_add(struct batch *b, long lineno)
{
	size_t i;

	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 64;
		b->vals = xrealloc(b->vals, sizeof *b->vals * b->cap * (size_t)b->nf);
		b->lineno = xrealloc(b->lineno, sizeof *b->lineno * b->cap);
	}
	for (i = 0; i < (size_t)b->nf; i++) {
		b->vals[b->n * (size_t)b->nf + i].off = b->text.len;
		b->vals[b->n * (size_t)b->nf + i].len = 0;
	}
	b->lineno[b->n] = lineno;
	return b->n++;
}

struct text_span *
batch_span(const struct batch *b, size_t r, int i)
{
	return &b->vals[r * (size_t)b->nf + (size_t)i];
}

void
batch_set(struct batch *b, struct text_span *sp, const char *v, size_t n)
{
	sp->off = b->text.len;
	escape(v, n, &b->text);
	sp->len = b->text.len - sp->off;
}

struct field
batch_value(const struct batch *b, size_t r, int i)
{
	const struct text_span *sp = batch_span(b, r, i);
	struct field f;

	f.p = b->text.p + sp->off;
	f.len = sp->len;
	return f;
}

void
batch_line(const struct batch *b, size_t r, struct buf *out)
{
	struct field f;
	int i;

	for (i = 0; i < b->nf; i++) {
		f = batch_value(b, r, i);
		if (i)
			buf_putc(out, '\t');
		buf_put(out, f.p, f.len);
	}
}

void
batch_move(struct batch *b, size_t to, size_t from)
{
	memcpy(batch_span(b, to, 0), batch_span(b, from, 0),
	    sizeof *b->vals * (size_t)b->nf);
	b->lineno[to] = b->lineno[from];
}

void
batch_free(struct batch *b)
{
	free(b->vals);
	free(b->lineno);
	buf_free(&b->text);
}

/* ---- the rules of a registry's ids ---- */

struct first_date {
	long line, count;
};

struct first_cccd {
	long line;
	size_t id, idlen;               /* in id_rules.ids */
};

void
rules_init(struct id_rules *ru)
{
	memset(ru, 0, sizeof *ru);
	table_init(&ru->dates, sizeof(struct first_date));
	table_init(&ru->cccds, sizeof(struct first_cccd));
	table_init(&ru->others, sizeof(long));
}

void
rules_free(struct id_rules *ru)
{
	table_free(&ru->dates);
	table_free(&ru->cccds);
	table_free(&ru->others);
	buf_free(&ru->ids);
	buf_free(&ru->key);
}

static void
rules_key(struct id_rules *ru, const char *a, size_t an, const char *b,
    size_t bn)
{
	ru->key.len = 0;
	buf_put(&ru->key, a, an);
	buf_putc(&ru->key, '\t');
	buf_put(&ru->key, b, bn);
}

long
rules_date(struct id_rules *ru, const char *id, size_t idlen,
    const char *date, size_t datelen, long line, long *first)
{
	struct first_date *fd;
	size_t e;

	rules_key(ru, id, idlen, date, datelen);
	e = table_put(&ru->dates, ru->key.p, ru->key.len, NULL);
	fd = table_value(&ru->dates, e);
	if (fd->count++ == 0)
		fd->line = line;
	*first = fd->line;
	return fd->count;
}

long
rules_cccd(struct id_rules *ru, const char *cccd, size_t cccdlen,
    const char *id, size_t idlen, long line, struct field *first_id,
    long *first)
{
	struct first_cccd *fc;
	long *count;
	int created;
	size_t e;

	e = table_put(&ru->cccds, cccd, cccdlen, &created);
	fc = table_value(&ru->cccds, e);
	if (created) {
		fc->line = line;
		fc->id = ru->ids.len;
		fc->idlen = idlen;
		buf_put(&ru->ids, id, idlen);
		return 0;
	}
	if (fc->idlen == idlen && memcmp(ru->ids.p + fc->id, id, idlen) == 0)
		return 0;
	first_id->p = ru->ids.p + fc->id;
	first_id->len = fc->idlen;
	*first = fc->line;
	rules_key(ru, cccd, cccdlen, id, idlen);
	e = table_put(&ru->others, ru->key.p, ru->key.len, NULL);
	count = table_value(&ru->others, e);
	return ++*count;
}

/* ---- what the registry holds ---- */

/* The records kept of a wanted id, in the order they were read. */
struct chain {
	size_t first, last;             /* into kept, + 1; 0 when none */
};

void
registry_init(struct registry *reg, const char *name, int fd,
    const struct schema *s)
{
	struct stat st;
	int i;

	memset(reg, 0, sizeof *reg);
	reg->name = name;
	reg->s = s;
	reg->fd = fd;
	if (fstat(fd, &st) < 0)
		die("%s: %s", name, strerror(errno));
	reg->size = st.st_size;
	reg->id_col = schema_index(s, "id");
	reg->date_col = schema_index(s, "date");
	reg->note_col = schema_index(s, "note");
	reg->cccd_col = -1;
	reg->split = xmalloc(sizeof *reg->split * (size_t)(s->n ? s->n : 1));
	reg->top = xmalloc(sizeof *reg->top * (size_t)(s->n ? s->n : 1));
	for (i = 0; i < s->n; i++) {
		reg->top[i] = 0;
		if (reg->cccd_col < 0 && s->f[i].type == T_CCCD)
			reg->cccd_col = i;
	}
	rules_init(&reg->rules);
	table_init(&reg->wanted, sizeof(struct chain));
}

/* The lock is never released by hand: it goes when the process exits,
 * after the append, and closing any descriptor of the file would drop
 * it early. */
int
registry_lock(const char *name)
{
	struct stat st;
	int fd = open(name, O_RDWR | O_APPEND);

	if (fd < 0)
		die("%s: %s", name, strerror(errno));
	if (fstat(fd, &st) < 0)
		die("%s: %s", name, strerror(errno));
	if (!S_ISREG(st.st_mode))
		die("%s: not a regular file", name);
	if (lock_file(fd, name, F_WRLCK) < 0)
		die("%s: cannot lock: %s", name, strerror(errno));
	registry_recover(name, fd);
	return fd;
}

/* The number after an id's prefix ("P000012" -> 12); -1 when v is not
 * an id of field f; INT64_MAX when it is too large to follow. */
static int64_t
id_number(const struct schema_field *f, const char *v, size_t n)
{
	size_t i, plen = strlen(f->prefix);
	int64_t num;

	if (n <= plen || memcmp(v, f->prefix, plen) != 0)
		return -1;
	for (i = plen; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return -1;
	if (parse_int64(v + plen, n - plen, &num) != NUM_OK)
		return INT64_MAX;
	return num;
}

static void
note_number(struct registry *reg, int i, const char *v, size_t n)
{
	int64_t num = id_number(&reg->s->f[i], v, n);

	if (num > reg->top[i])
		reg->top[i] = num;
}

/* Before any is given out: a next id must not be one the batch gives. */
void
registry_note_batch(struct registry *reg, const struct batch *b)
{
	struct field f;
	size_t r;
	int i;

	for (r = 0; r < b->n; r++)
		for (i = 0; i < b->nf; i++)
			if (is_next_id(&reg->s->f[i])) {
				f = batch_value(b, r, i);
				note_number(reg, i, f.p, f.len);
			}
}

void
registry_fill_next(struct registry *reg, struct batch *b, size_t r)
{
	struct text_span *sp;
	int i;

	for (i = 0; i < b->nf; i++) {
		sp = batch_span(b, r, i);
		if (!is_next_id(&reg->s->f[i]) || sp->len > 0)
			continue;
		if (reg->top[i] == INT64_MAX)
			die("%s: field '%s': no next id: the largest number is "
			    "too large", reg->name, reg->s->f[i].name);
		sp->off = b->text.len;
		buf_printf(&b->text, "%s%06" PRId64, reg->s->f[i].prefix,
		    ++reg->top[i]);
		sp->len = b->text.len - sp->off;
	}
}

/* ---- the records an update may carry over from ---- */

void
registry_want(struct registry *reg, const char *id, size_t len)
{
	table_put(&reg->wanted, id, len, NULL);
}

struct field
line_field(const char *line, size_t len, int i)
{
	const char *end = line + len, *tab;
	struct field f;

	for (; i > 0; i--)
		line = (const char *)memchr(line, '\t', (size_t)(end - line)) + 1;
	tab = memchr(line, '\t', (size_t)(end - line));
	f.p = line;
	f.len = (size_t)((tab ? tab : end) - line);
	return f;
}

struct field
kept_field(const struct registry *reg, const struct kept *k, int i)
{
	return line_field(reg->lines.p + k->off, k->len, i);
}

/* Whether a record line ends its id, by the readers' rule. */
static int
line_ends(const struct registry *reg, const char *line, size_t len)
{
	struct record r;

	memset(&r, 0, sizeof r);
	r.line = line;
	r.len = len;
	r.nfields = reg->s->n;
	r.fields = reg->split;
	return is_end_record(&r, reg->id_col, reg->date_col, reg->note_col);
}

/* Which of an id's records an update takes depends on the update's
 * date, so all are kept, chained in the order they were read.  The
 * array grows by doubling: a bulk update of every id makes a few
 * allocations, not one a record. */
static void
keep_line(struct registry *reg, size_t entry, const char *line, size_t len,
    const char *file, long lineno)
{
	struct chain *ch = table_value(&reg->wanted, entry);
	struct field date = none;
	struct kept *k;

	if (reg->nkept == reg->keptcap) {
		reg->keptcap = reg->keptcap ? 2 * reg->keptcap : 64;
		reg->kept = xrealloc(reg->kept, sizeof *reg->kept * reg->keptcap);
	}
	if (reg->date_col >= 0)
		date = line_field(line, len, reg->date_col);
	k = &reg->kept[reg->nkept];
	k->off = reg->lines.len;
	k->len = len;
	k->date = k->off + (reg->date_col >= 0 ? (size_t)(date.p - line) : 0);
	k->datelen = date.len;
	k->file = file;
	k->lineno = lineno;
	k->next = 0;
	k->ended = line_ends(reg, line, len);
	if (ch->last)
		reg->kept[ch->last - 1].next = reg->nkept + 1;
	else
		ch->first = reg->nkept + 1;
	ch->last = ++reg->nkept;
	buf_put(&reg->lines, line, len);
}

void
registry_keep(struct registry *reg, const char *id, size_t idlen,
    const char *line, size_t len, const char *file, long lineno)
{
	long e = table_find(&reg->wanted, id, idlen);

	if (e >= 0)
		keep_line(reg, (size_t)e, line, len, file, lineno);
}

/* The state of the id on the day, as every reader takes it: the chain
 * is in the order the records were read, as state_replaces wants.  A
 * date that is not one (the registry is not checked here) keys 0: it
 * yields to every dated record. */
const struct kept *
registry_asof(const struct registry *reg, const char *id, size_t idlen,
    const char *date, size_t datelen, int *known, const struct kept **end)
{
	const struct kept *k, *best = NULL;
	long e = table_find(&reg->wanted, id, idlen);
	uint32_t day = date ? date_key(date, datelen) : UINT32_MAX;
	uint32_t kd, best_date = 0;
	size_t i;

	*known = 0;
	*end = NULL;
	if (e < 0)
		return NULL;
	for (i = ((struct chain *)table_value(&reg->wanted, (size_t)e))->first;
	    i > 0; i = k->next) {
		k = &reg->kept[i - 1];
		*known = 1;
		kd = date_key(reg->lines.p + k->date, k->datelen);
		if (state_replaces(day, kd, best != NULL, best_date)) {
			best = k;
			best_date = kd;
		}
	}
	if (best && best->ended) {
		*end = best;
		return NULL;
	}
	return best;
}

/* ---- reading the locked registry ---- */

static void
check_header(const struct registry *reg, const struct header *h)
{
	struct buf have = { 0 }, want = { 0 };
	int i, same = h->n == reg->s->n;

	for (i = 0; same && i < h->n; i++)
		same = strcmp(h->names[i], reg->s->f[i].name) == 0;
	if (same)
		return;
	buf_join(&have, h->names, h->n);
	schema_names(reg->s, &want);
	die_at(reg->name, 1, "header does not match the schema %s: "
	    "the registry has %s; the schema has %s", reg->s->file,
	    buf_cstr(&have), buf_cstr(&want));
}

static const struct field *
column(struct record *r, int col)
{
	return col >= 0 ? record_field(r, col) : &none;
}

/* What the registry holds already: its own breaches of the rules are
 * dc-check's to report, not a reason to refuse an addition. */
static void
note_rules(struct registry *reg, const struct field *id,
    const struct field *date, const struct field *cccd, long line)
{
	struct field other;
	long first;

	rules_date(&reg->rules, id->p, id->len, date->p, date->len, line, &first);
	if (cccd->len > 0)
		rules_cccd(&reg->rules, cccd->p, cccd->len, id->p, id->len, line,
		    &other, &first);
}

static void
note_record(struct registry *reg, struct record *r)
{
	const struct field *id;
	long e;
	int i;

	for (i = 0; i < reg->s->n; i++)
		if (is_next_id(&reg->s->f[i])) {
			const struct field *f = record_field(r, i);

			note_number(reg, i, f->p, f->len);
		}
	if (reg->id_col < 0)
		return;
	id = record_field(r, reg->id_col);
	note_rules(reg, id, column(r, reg->date_col), column(r, reg->cccd_col),
	    r->lineno);
	if (reg->wanted.n > 0 &&
	    (e = table_find(&reg->wanted, id->p, id->len)) >= 0)
		keep_line(reg, (size_t)e, r->line, r->len, reg->name, r->lineno);
}

/* Through the locked descriptor: the reader takes no lock of its own
 * and leaves fd open.  A registry we cannot read is not one we may add
 * to: after a torn last line, a new record would be glued onto half an
 * old one. */
void
registry_scan(struct registry *reg)
{
	struct input in;
	struct record *r;

	if (lseek(reg->fd, 0, SEEK_SET) < 0)
		die("%s: %s", reg->name, strerror(errno));
	input_open_fd(&in, reg->fd, reg->name, BAD_KEEP_QUIET);
	if (!in.had_header && in.header_line == 0)
		die("%s: %s (create a registry with dc-add --init)",
		    reg->name, in.header_problem);
	if (!in.had_header)
		die_at(reg->name, in.header_line, "%s; repair it before adding",
		    in.header_problem);
	check_header(reg, &in.hdr);
	while ((r = input_next(&in))) {
		if (r->bad)
			die_at(reg->name, r->lineno, "%s; repair it before adding",
			    r->bad);
		note_record(reg, r);
	}
	input_close(&in);
}

/* ---- appending ---- */

/* O_APPEND puts the lines at the end wherever the scan left the
 * offset. */
void
registry_append(struct registry *reg, const struct batch *b, const char *key)
{
	struct buf out = { 0 };
	size_t r;

	for (r = 0; r < b->n; r++) {
		batch_line(b, r, &out);
		buf_putc(&out, '\n');
	}
	if (out.len > 0)
		commit_batch(reg->name, reg->fd, reg->size, out.p, out.len, b->n,
		    key);
	buf_free(&out);
}

void
registry_free(struct registry *reg)
{
	free(reg->top);
	free(reg->split);
	rules_free(&reg->rules);
	table_free(&reg->wanted);
	free(reg->kept);
	buf_free(&reg->lines);
}
