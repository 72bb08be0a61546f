/* dc-add: append records to a registry, checked against its schema. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dc.h"

static const char usage_text[] =
    "usage: dc-add [-s SCHEMA] REGISTRY [FIELD=VALUE...]\n"
    "       dc-add --init [-s SCHEMA] REGISTRY\n";

enum { SCAN_SIZE = 1 << 20 };

/* A value inside the batch text. */
struct span {
	size_t off, len;
};

/* Everything dc-add needs while it works on one registry.  The records
 * to append live back to back in one buffer (escaped, ready to write),
 * so a bulk import of 100,000 records makes only a few allocations. */
struct adder {
	const char *registry;
	struct schema s;
	int nf, id_col, date_col, cccd_col;
	char today[11];
	struct buf fieldlist;           /* "id, date, ..." for messages */

	/* The batch: nrec records of nf values each. */
	const char *where;              /* "(standard input)" or "arguments" */
	struct buf text;
	struct span *vals;
	long *lineno;
	size_t nrec, cap;
	struct buf *plain;              /* the record being read, unescaped */
	int errors;

	/* What the registry and the batch hold so far. */
	struct table pairs;             /* "id\tdate" */
	struct table ids;
	struct table cccds;             /* value: index into ids */
	int64_t *top;                   /* largest number of each 'next' field */
	struct record rec;              /* a registry line being looked at */
	struct buf key;
};

static void
usage(FILE *to, int status)
{
	fputs(usage_text, to);
	exit(status);
}

static int
is_next(const struct schema_field *f)
{
	return strcmp(f->deflt, "next") == 0;
}

/* Write all of p, looping on short writes; -1 with errno on failure. */
static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void
load_schema(const char *registry, const char *schema_path, struct schema *s)
{
	char *beside;

	if (schema_find(registry, schema_path, s))
		return;
	beside = schema_path_for(registry);
	die("%s: no schema: give -s SCHEMA or put one in %s", registry, beside);
}

/* The header a registry of schema s has: the field names, TAB-separated. */
static void
schema_header(const struct schema *s, struct buf *b)
{
	int i;

	for (i = 0; i < s->n; i++) {
		if (i)
			buf_putc(b, '\t');
		buf_puts(b, s->f[i].name);
	}
}

/* Copy the schema beside a new registry, so later calls find it there;
 * whatever is already there stays. */
static void
copy_schema(const char *from, const char *registry)
{
	char *to = schema_path_for(registry), block[8192];
	int in, out, e;
	ssize_t n;

	out = open(to, O_WRONLY | O_CREAT | O_EXCL, 0666);
	if (out < 0 && errno == EEXIST) {
		free(to);
		return;
	}
	if (out < 0)
		die("%s: %s", to, strerror(errno));
	if ((in = open(from, O_RDONLY)) < 0)
		die("%s: %s", from, strerror(errno));
	while ((n = read(in, block, sizeof block)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write_all(out, block, (size_t)n) < 0) {
			e = errno;
			unlink(to);
			die("%s: %s", n < 0 ? from : to, strerror(e));
		}
	}
	if (close(out) < 0) {
		e = errno;
		unlink(to);
		die("%s: %s", to, strerror(e));
	}
	close(in);
	free(to);
}

/* A new registry holds only the header.  O_EXCL: never clobber one;
 * 0600: it holds personal data. */
static void
init_registry(const char *registry, const char *schema_path)
{
	struct schema s;
	struct buf header = { 0 };
	int fd, e;

	load_schema(registry, schema_path, &s);
	schema_header(&s, &header);
	buf_putc(&header, '\n');
	fd = open(registry, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		die("%s: %s", registry, strerror(errno));
	if (fchmod(fd, 0600) < 0 || write_all(fd, header.p, header.len) < 0 ||
	    fsync(fd) < 0 || close(fd) < 0) {
		e = errno;
		unlink(registry);
		die("%s: %s", registry, strerror(e));
	}
	if (schema_path)
		copy_schema(schema_path, registry);
	buf_free(&header);
	schema_free(&s);
}

static void
adder_init(struct adder *ad, const char *registry, const char *schema_path)
{
	int i;

	memset(ad, 0, sizeof *ad);
	ad->registry = registry;
	load_schema(registry, schema_path, &ad->s);
	ad->nf = ad->s.n;
	ad->id_col = schema_index(&ad->s, "id");
	ad->date_col = schema_index(&ad->s, "date");
	ad->cccd_col = -1;
	ad->plain = xmalloc(sizeof *ad->plain * (size_t)ad->nf);
	ad->top = xmalloc(sizeof *ad->top * (size_t)ad->nf);
	for (i = 0; i < ad->nf; i++) {
		memset(&ad->plain[i], 0, sizeof ad->plain[i]);
		buf_grow(&ad->plain[i], 0);
		ad->top[i] = 0;
		if (ad->cccd_col < 0 && ad->s.f[i].type == T_CCCD)
			ad->cccd_col = i;
		if (i)
			buf_puts(&ad->fieldlist, ", ");
		buf_puts(&ad->fieldlist, ad->s.f[i].name);
	}
	buf_cstr(&ad->fieldlist);
	today(ad->today);
	table_init(&ad->pairs, 0);
	table_init(&ad->ids, 0);
	table_init(&ad->cccds, sizeof(size_t));
	ad->rec.file = registry;
	ad->rec.nfields = ad->nf;
	ad->rec.fields = xmalloc(sizeof(struct field) * (size_t)ad->nf);
}

static void
adder_free(struct adder *ad)
{
	int i;

	for (i = 0; i < ad->nf; i++)
		buf_free(&ad->plain[i]);
	free(ad->plain);
	free(ad->top);
	free(ad->rec.fields);
	free(ad->vals);
	free(ad->lineno);
	buf_free(&ad->text);
	buf_free(&ad->key);
	buf_free(&ad->fieldlist);
	table_free(&ad->pairs);
	table_free(&ad->ids);
	table_free(&ad->cccds);
	schema_free(&ad->s);
}

/* ---- reading and checking the new records ---- */

/* The value field i will have: the one given, else the default
 * ("next" is filled in later, under the lock). */
static const char *
value_of(struct adder *ad, int i, size_t *n)
{
	const struct schema_field *f = &ad->s.f[i];

	*n = ad->plain[i].len;
	if (*n > 0 || !*f->deflt || is_next(f))
		return ad->plain[i].p;
	*n = strcmp(f->deflt, "today") == 0 ? 10 : strlen(f->deflt);
	return strcmp(f->deflt, "today") == 0 ? ad->today : f->deflt;
}

static void
bad_value(struct adder *ad, long lineno, int i, const char *v, size_t n,
    const char *why)
{
	ad->key.len = 0;
	escape(v, n, &ad->key);
	warn_at(ad->where, lineno, "field '%s': '%s' %s", ad->s.f[i].name,
	    buf_cstr(&ad->key), why);
	ad->errors++;
}

/* Check the record in ad->plain and, when it is good, add it to the
 * batch.  Every problem gets its own message. */
static void
take_record(struct adder *ad, long lineno)
{
	const char *v, *why;
	size_t n;
	int i, ok = 1;

	for (i = 0; i < ad->nf; i++) {
		v = value_of(ad, i, &n);
		if (n == 0 && ad->s.f[i].required && !is_next(&ad->s.f[i])) {
			warn_at(ad->where, lineno, "field '%s' is required",
			    ad->s.f[i].name);
			ad->errors++;
			ok = 0;
		} else if ((why = value_problem(&ad->s.f[i], v, n))) {
			bad_value(ad, lineno, i, v, n, why);
			ok = 0;
		}
	}
	if (!ok)
		return;
	if (ad->nrec == ad->cap) {
		ad->cap = ad->cap ? 2 * ad->cap : 64;
		ad->vals = xrealloc(ad->vals, sizeof *ad->vals * ad->cap * (size_t)ad->nf);
		ad->lineno = xrealloc(ad->lineno, sizeof *ad->lineno * ad->cap);
	}
	for (i = 0; i < ad->nf; i++) {
		struct span *sp = &ad->vals[ad->nrec * (size_t)ad->nf + (size_t)i];

		v = value_of(ad, i, &n);
		sp->off = ad->text.len;
		escape(v, n, &ad->text);
		sp->len = ad->text.len - sp->off;
	}
	ad->lineno[ad->nrec++] = lineno;
}

static void
clear_plain(struct adder *ad)
{
	int i;

	for (i = 0; i < ad->nf; i++)
		ad->plain[i].len = 0;
}

/* One record from FIELD=VALUE arguments; the values are plain text. */
static void
read_arguments(struct adder *ad, int argc, char **argv)
{
	char *given = xmalloc((size_t)ad->nf);
	int a, i, ok = 1;

	ad->where = "arguments";
	memset(given, 0, (size_t)ad->nf);
	clear_plain(ad);
	for (a = 0; a < argc; a++) {
		char *eq = strchr(argv[a], '=');

		if (!eq) {
			warn("arguments: '%s' is not FIELD=VALUE", argv[a]);
			ok = 0;
			continue;
		}
		*eq = '\0';
		if ((i = schema_index(&ad->s, argv[a])) < 0) {
			warn("arguments: unknown field '%s'; the fields are: %s",
			    argv[a], ad->fieldlist.p);
			ok = 0;
		} else if (given[i]) {
			warn("arguments: field '%s' given twice", argv[a]);
			ok = 0;
		} else {
			given[i] = 1;
			buf_puts(&ad->plain[i], eq + 1);
		}
	}
	if (!ok)
		ad->errors++;
	take_record(ad, 0);
	free(given);
}

/* Records from standard input: a record file whose header names the
 * fields it gives, in any order. */
static void
read_stdin(struct adder *ad)
{
	struct input in;
	struct record *r;
	int *field_of, c;

	ad->where = "(standard input)";
	input_open(&in, 0, NULL, 1);
	if (!in.had_header) {
		input_close(&in);
		ad->errors++;
		return;
	}
	field_of = xmalloc(sizeof *field_of * (size_t)in.hdr.n);
	for (c = 0; c < in.hdr.n; c++)
		if ((field_of[c] = schema_index(&ad->s, in.hdr.names[c])) < 0) {
			warn_at(ad->where, 1, "unknown field '%s'; the fields are: %s",
			    in.hdr.names[c], ad->fieldlist.p);
			ad->errors++;
		}
	while ((r = input_next(&in))) {
		if (r->bad) {
			warn_at(r->file, r->lineno, "%s", r->bad);
			ad->errors++;
			continue;
		}
		clear_plain(ad);
		for (c = 0; c < in.hdr.n; c++)
			if (field_of[c] >= 0) {
				const struct field *f = record_field(r, c);

				unescape(f->p, f->len, &ad->plain[field_of[c]]);
			}
		take_record(ad, r->lineno);
	}
	free(field_of);
	input_close(&in);
}

/* ---- what the registry holds ---- */

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
note_numbers(struct adder *ad, int i, const char *v, size_t n)
{
	int64_t num = id_number(&ad->s.f[i], v, n);

	if (num > ad->top[i])
		ad->top[i] = num;
}

/* Remember a record's id, (id, date) and cccd for the duplicate checks. */
static void
remember(struct adder *ad, const struct field *id, const struct field *date,
    const struct field *cccd)
{
	size_t idx, c;
	int created;

	ad->key.len = 0;
	buf_put(&ad->key, id->p, id->len);
	buf_putc(&ad->key, '\t');
	buf_put(&ad->key, date->p, date->len);
	table_put(&ad->pairs, ad->key.p, ad->key.len, &created);
	if (cccd->len == 0)
		return;
	idx = table_put(&ad->ids, id->p, id->len, &created);
	c = table_put(&ad->cccds, cccd->p, cccd->len, &created);
	if (created)
		*(size_t *)table_value(&ad->cccds, c) = idx;
}

static const struct field none = { "", 0 };

static const struct field *
column(struct record *r, int col)
{
	return col >= 0 ? record_field(r, col) : &none;
}

static void
check_header(struct adder *ad, const char *p, size_t len)
{
	struct buf want = { 0 }, have = { 0 };
	size_t i;

	schema_header(&ad->s, &want);
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		len -= 3;
	}
	if (len == want.len && memcmp(p, want.p, len) == 0) {
		buf_free(&want);
		return;
	}
	for (i = 0; i < len; i++)
		if (p[i] == '\t')
			buf_puts(&have, ", ");
		else
			buf_putc(&have, p[i]);
	die_at(ad->registry, 1, "header does not match the schema %s: "
	    "the registry has %s; the schema has %s", ad->s.file,
	    buf_cstr(&have), ad->fieldlist.p);
}

static void
scan_line(struct adder *ad, const char *p, size_t len, long lineno)
{
	struct record *r = &ad->rec;
	const char *why;
	int i;

	if (len > 0 && p[len - 1] == '\r')
		len--;
	if (lineno == 1) {
		check_header(ad, p, len);
		return;
	}
	/* A registry we cannot read is not one we may add to. */
	if ((why = line_problem(p, len, ad->nf)))
		die_at(ad->registry, lineno, "%s; repair it before adding", why);
	r->line = p;
	r->len = len;
	r->lineno = lineno;
	r->nsplit = 0;
	for (i = 0; i < ad->nf; i++)
		if (is_next(&ad->s.f[i])) {
			const struct field *f = record_field(r, i);

			note_numbers(ad, i, f->p, f->len);
		}
	if (ad->id_col >= 0)
		remember(ad, column(r, ad->id_col), column(r, ad->date_col),
		    column(r, ad->cccd_col));
}

/* Read the registry's size bytes through fd in large blocks.  A last
 * line without a newline is a torn write: adding after it would glue a
 * new record onto half an old one, so we refuse. */
static void
scan_registry(struct adder *ad, int fd, off_t size)
{
	struct buf block = { 0 };
	off_t done = 0;
	long lineno = 0;
	char last = '\n';
	int torn;

	if (size == 0)
		die("%s: empty file: no header line (create a registry with "
		    "dc-add --init)", ad->registry);
	if (pread(fd, &last, 1, size - 1) != 1)
		die("%s: %s", ad->registry, strerror(errno));
	torn = last != '\n';
	buf_grow(&block, SCAN_SIZE);
	while (done < size) {
		size_t want = size - done < SCAN_SIZE ? (size_t)(size - done) : SCAN_SIZE;
		ssize_t n;
		char *p, *nl;

		buf_grow(&block, want);
		n = pread(fd, block.p + block.len, want, done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("%s: %s", ad->registry, n < 0 ? strerror(errno) :
			    "file shrank while locked");
		done += n;
		block.len += (size_t)n;
		for (p = block.p; (nl = memchr(p, '\n', block.len - (size_t)(p - block.p)));
		    p = nl + 1)
			if (++lineno == 1 || !torn)
				scan_line(ad, p, (size_t)(nl - p), lineno);
		block.len -= (size_t)(p - block.p);
		memmove(block.p, p, block.len);
	}
	if (torn)
		die_at(ad->registry, lineno + 1, "last line has no newline "
		    "(interrupted write?); repair it before adding");
	buf_free(&block);
}

/* ---- filling in and writing the batch ---- */

static struct field
batch_value(const struct adder *ad, size_t r, int i)
{
	const struct span *sp = &ad->vals[r * (size_t)ad->nf + (size_t)i];
	struct field f;

	f.p = ad->text.p + sp->off;
	f.len = sp->len;
	return f;
}

static void
assign_next(struct adder *ad, size_t r, int i)
{
	struct span *sp = &ad->vals[r * (size_t)ad->nf + (size_t)i];

	if (sp->len > 0)
		return;
	if (ad->top[i] == INT64_MAX)
		die("%s: field '%s': no next id: the largest number is too large",
		    ad->registry, ad->s.f[i].name);
	sp->off = ad->text.len;
	buf_printf(&ad->text, "%s%06" PRId64, ad->s.f[i].prefix, ++ad->top[i]);
	sp->len = ad->text.len - sp->off;
}

/* A registry is a history: one record per id and date, and one person
 * (cccd) under one id. */
static void
check_duplicates(struct adder *ad, size_t r)
{
	struct field id = batch_value(ad, r, ad->id_col);
	struct field date = ad->date_col >= 0 ? batch_value(ad, r, ad->date_col) : none;
	struct field cccd = ad->cccd_col >= 0 ? batch_value(ad, r, ad->cccd_col) : none;
	long c;
	int ok = 1;

	if (id.len == 0)
		return;
	ad->key.len = 0;
	buf_put(&ad->key, id.p, id.len);
	buf_putc(&ad->key, '\t');
	buf_put(&ad->key, date.p, date.len);
	if (table_find(&ad->pairs, ad->key.p, ad->key.len) >= 0) {
		warn_at(ad->where, ad->lineno[r], "id %.*s already has a record "
		    "dated %.*s", (int)id.len, id.p, (int)date.len, date.p);
		ok = 0;
	}
	if (cccd.len > 0 && (c = table_find(&ad->cccds, cccd.p, cccd.len)) >= 0) {
		size_t known_len;
		const char *known = table_key(&ad->ids,
		    *(size_t *)table_value(&ad->cccds, (size_t)c), &known_len);

		if (known_len != id.len || memcmp(known, id.p, id.len) != 0) {
			warn_at(ad->where, ad->lineno[r], "cccd %.*s: already "
			    "recorded under %.*s", (int)cccd.len, cccd.p,
			    (int)known_len, known);
			ok = 0;
		}
	}
	if (!ok)
		ad->errors++;
	else
		remember(ad, &id, &date, &cccd);
}

static void
complete_batch(struct adder *ad)
{
	size_t r;
	int i;

	for (r = 0; r < ad->nrec; r++)
		for (i = 0; i < ad->nf; i++)
			if (is_next(&ad->s.f[i])) {
				struct field f = batch_value(ad, r, i);

				note_numbers(ad, i, f.p, f.len);
			}
	for (r = 0; r < ad->nrec; r++) {
		for (i = 0; i < ad->nf; i++)
			if (is_next(&ad->s.f[i]))
				assign_next(ad, r, i);
		if (ad->id_col >= 0)
			check_duplicates(ad, r);
	}
}

static void
batch_lines(const struct adder *ad, struct buf *out)
{
	size_t r;
	int i;

	for (r = 0; r < ad->nrec; r++)
		for (i = 0; i < ad->nf; i++) {
			struct field f = batch_value(ad, r, i);

			buf_put(out, f.p, f.len);
			buf_putc(out, i + 1 < ad->nf ? '\t' : '\n');
		}
}

/* Append all lines at once.  On failure cut the file back, so a full
 * disk leaves the registry as it was, not with half a record. */
static void
append(const char *registry, int fd, off_t size, const struct buf *out)
{
	int e;

	if (write_all(fd, out->p, out->len) == 0 && fsync(fd) == 0)
		return;
	e = errno;
	if (ftruncate(fd, size) < 0 || fsync(fd) < 0)
		die("%s: cannot write: %s; cutting it back to %jd bytes failed "
		    "too (%s): repair it", registry, strerror(e), (intmax_t)size,
		    strerror(errno));
	die("%s: cannot write: %s; nothing was added", registry, strerror(e));
}

static void
lock_whole(const char *registry, int fd)
{
	struct flock lk;

	memset(&lk, 0, sizeof lk);
	lk.l_type = F_WRLCK;
	lk.l_whence = SEEK_SET;
	lk.l_start = 0;
	lk.l_len = 0;                   /* to the end, however far it grows */
	while (fcntl(fd, F_SETLKW, &lk) < 0)
		if (errno != EINTR)
			die("%s: cannot lock: %s", registry, strerror(errno));
}

/* Under the lock, everything that depends on the registry: the next
 * ids, the duplicate checks and the append.  The lock is released when
 * we exit; closing any descriptor of the file would release it early. */
static void
add_batch(struct adder *ad)
{
	struct buf out = { 0 };
	struct stat st;
	int wfd, rfd;
	size_t r;

	wfd = open(ad->registry, O_WRONLY | O_APPEND);
	if (wfd < 0)
		die("%s: %s", ad->registry, strerror(errno));
	if ((rfd = open(ad->registry, O_RDONLY)) < 0)
		die("%s: %s", ad->registry, strerror(errno));
	lock_whole(ad->registry, wfd);
	if (fstat(wfd, &st) < 0)
		die("%s: %s", ad->registry, strerror(errno));
	scan_registry(ad, rfd, st.st_size);
	complete_batch(ad);
	if (ad->errors)
		exit(2);
	batch_lines(ad, &out);
	if (out.len > 0)
		append(ad->registry, wfd, st.st_size, &out);
	if (ad->id_col >= 0)
		for (r = 0; r < ad->nrec; r++) {
			struct field id = batch_value(ad, r, ad->id_col);

			out_write(id.p, id.len);
			out_putc('\n');
		}
	buf_free(&out);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "init", no_argument, NULL, 'I' },
		{ "schema", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *schema_path = NULL;
	struct adder ad;
	int c, init = 0;

	dc_setprog(argv[0]);
	while ((c = getopt_long(argc, argv, "s:", longopts, NULL)) != -1)
		switch (c) {
		case 'I': init = 1; break;
		case 's': schema_path = optarg; break;
		case 'h': usage(stdout, 0); break;
		case 'V': print_version(); return 0;
		default: usage(stderr, 2);
		}
	argc -= optind;
	argv += optind;
	if (argc < 1 || (init && argc > 1))
		usage(stderr, 2);
	/* A file-size limit must give EFBIG, which we undo, not a signal. */
	signal(SIGXFSZ, SIG_IGN);
	if (init) {
		init_registry(argv[0], schema_path);
		return 0;
	}
	adder_init(&ad, argv[0], schema_path);
	if (argc > 1)
		read_arguments(&ad, argc - 1, argv + 1);
	else
		read_stdin(&ad);
	add_batch(&ad);
	adder_free(&ad);
	out_flush();
	return 0;
}
