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

/* A value inside the batch text. */
struct span {
	size_t off, len;
};

/* The off of a value a record that gives its id does not give: it is
 * filled in under the lock, once the registry is read. */
static const size_t not_given = (size_t)-1;

/* The newest record so far of an id that a record of the batch gives:
 * the one an update takes the fields it does not give from. */
struct newest {
	int known;                      /* 0: the id has no record yet */
	size_t off, len;                /* its line, in the adder's lines */
	size_t date, datelen;           /* its date, also there */
	const char *file;
	long lineno;
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
	char *given;                    /* its fields given, even empty */
	char *reported;                 /* its fields already found bad */
	struct buf scratch;
	int errors;

	/* What the registry and the batch hold so far. */
	struct table pairs;             /* "id\tdate" */
	struct table ids;
	struct table cccds;             /* value: index into ids */
	int64_t *top;                   /* largest number of each 'next' field */
	struct table newest;            /* by id: struct newest */
	struct buf lines;               /* the lines newest points into */
	struct buf key;
};

static const struct field none = { "", 0 };

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
	if (!schema_find(registry, schema_path, s))
		die("%s: no schema: give -s SCHEMA or put one in %s", registry,
		    schema_path_for(registry));
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

/* ---- --init ---- */

/* The whole of a small file (a schema); 0 when it does not exist. */
static int
slurp(const char *path, struct buf *b)
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
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode), e;

	if (fd < 0)
		return -1;
	if ((exact && fchmod(fd, mode) < 0) || write_all(fd, b->p, b->len) < 0 ||
	    fsync(fd) < 0 || close(fd) < 0) {
		e = errno;
		unlink(path);
		errno = e;
		return -1;
	}
	return 0;
}

/* A new registry holds only the header; 0600: it holds personal data.
 * With -s the schema goes beside it, so later calls find it there; a
 * different schema already there would be a registry with two. */
static void
init_registry(const char *registry, const char *schema_path)
{
	struct buf header = { 0 }, schema = { 0 }, old = { 0 };
	char *beside = schema_path_for(registry);
	int have = 0;
	struct schema s;

	load_schema(registry, schema_path, &s);
	if (schema_path) {
		slurp(schema_path, &schema);
		have = slurp(beside, &old);
		if (have && (old.len != schema.len ||
		    memcmp(old.p, schema.p, old.len) != 0))
			die("%s exists and differs from %s", beside, schema_path);
	}
	schema_header(&s, &header);
	buf_putc(&header, '\n');
	if (create_file(registry, 0600, 1, &header) < 0)
		die("%s: %s", registry, strerror(errno));
	if (schema_path && !have && create_file(beside, 0666, 0, &schema) < 0) {
		int e = errno;

		unlink(registry);
		die("%s: %s", beside, strerror(e));
	}
	buf_free(&header);
	buf_free(&schema);
	buf_free(&old);
	free(beside);
	schema_free(&s);
}

/* Said first, since a registry that is not there has no schema
 * beside it either, and "no schema" would send the user the wrong way
 * (most often they are in the wrong directory). */
static void
registry_must_exist(const char *registry)
{
	struct stat st;

	if (stat(registry, &st) == 0)
		return;
	if (errno == ENOENT)
		die("%s: %s (create it with dc-add --init)", registry,
		    strerror(errno));
	die("%s: %s", registry, strerror(errno));
}

/* ---- reading and checking the new records ---- */

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
	ad->given = xmalloc((size_t)ad->nf);
	ad->reported = xmalloc((size_t)ad->nf);
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
	table_init(&ad->newest, sizeof(struct newest));
}

static void
adder_free(struct adder *ad)
{
	int i;

	for (i = 0; i < ad->nf; i++)
		buf_free(&ad->plain[i]);
	free(ad->plain);
	free(ad->given);
	free(ad->reported);
	free(ad->top);
	free(ad->vals);
	free(ad->lineno);
	buf_free(&ad->text);
	buf_free(&ad->scratch);
	buf_free(&ad->key);
	buf_free(&ad->fieldlist);
	table_free(&ad->pairs);
	table_free(&ad->ids);
	table_free(&ad->cccds);
	table_free(&ad->newest);
	buf_free(&ad->lines);
	schema_free(&ad->s);
}

static void
clear_plain(struct adder *ad)
{
	int i;

	for (i = 0; i < ad->nf; i++)
		ad->plain[i].len = 0;
	memset(ad->given, 0, (size_t)ad->nf);
	memset(ad->reported, 0, (size_t)ad->nf);
}

/* Keep a value in NFC, as dc-add writes every value: decomposed input
 * (from macOS and some input methods) would fail the enum check and
 * never equal the precomposed spelling byte for byte. */
static void
set_plain(struct adder *ad, int i, const char *v, size_t n)
{
	ad->plain[i].len = 0;
	vn_nfc(v, n, &ad->plain[i]);
}

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

/* Check field i of the record in ad->plain, its default applied.
 * from: where a value carried over from another record comes from. */
static int
check_field(struct adder *ad, int i, long lineno, const struct newest *from)
{
	const char *v, *why;
	size_t n;

	v = value_of(ad, i, &n);
	if (n == 0 && ad->s.f[i].required && !is_next(&ad->s.f[i])) {
		warn_at(ad->where, lineno, "field '%s' is required",
		    ad->s.f[i].name);
		return 0;
	}
	if (!(why = value_problem(&ad->s.f[i], v, n)))
		return 1;
	ad->key.len = 0;
	escape(v, n, &ad->key);
	if (from)
		warn_at(ad->where, lineno, "field '%s': '%s' %s (carried over "
		    "from %s:%ld)", ad->s.f[i].name, buf_cstr(&ad->key), why,
		    from->file, from->lineno);
	else
		warn_at(ad->where, lineno, "field '%s': '%s' %s",
		    ad->s.f[i].name, buf_cstr(&ad->key), why);
	return 0;
}

/* A record that gives its id may be an update; which it is, and so what
 * its other fields will be, is known only under the lock. */
static int
gives_id(const struct adder *ad)
{
	return ad->id_col >= 0 && ad->plain[ad->id_col].len > 0;
}

static struct span *
span_at(const struct adder *ad, size_t r, int i)
{
	return &ad->vals[r * (size_t)ad->nf + (size_t)i];
}

/* Check the record in ad->plain and, when it is good, add it to the
 * batch.  Every problem gets its own message.  A record that gives its
 * id keeps only what it gives; the rest waits for complete_update. */
static void
take_record(struct adder *ad, long lineno)
{
	const char *v;
	size_t n;
	int i, ok = 1, update = gives_id(ad);

	for (i = 0; i < ad->nf; i++)
		if (ad->reported[i])
			ok = 0;
		else if (!update || ad->plain[i].len > 0)
			ok &= check_field(ad, i, lineno, NULL);
	if (!ok) {
		ad->errors++;
		return;
	}
	if (ad->nrec == ad->cap) {
		ad->cap = ad->cap ? 2 * ad->cap : 64;
		ad->vals = xrealloc(ad->vals, sizeof *ad->vals * ad->cap * (size_t)ad->nf);
		ad->lineno = xrealloc(ad->lineno, sizeof *ad->lineno * ad->cap);
	}
	for (i = 0; i < ad->nf; i++) {
		struct span *sp = span_at(ad, ad->nrec, i);

		sp->off = ad->text.len;
		sp->len = 0;
		if (update && ad->plain[i].len == 0) {
			if (!ad->given[i])
				sp->off = not_given;
			continue;
		}
		v = value_of(ad, i, &n);
		escape(v, n, &ad->text);
		sp->len = ad->text.len - sp->off;
	}
	if (update) {
		struct span *id = span_at(ad, ad->nrec, ad->id_col);

		table_put(&ad->newest, ad->text.p + id->off, id->len, NULL);
	}
	ad->lineno[ad->nrec++] = lineno;
}

/* One value from the command line: plain text, but not yet known to be
 * UTF-8, which every value of a registry must be. */
static int
argument_value(struct adder *ad, int i, const char *v)
{
	const char *why;
	size_t n = strlen(v), bad;

	if (!utf8_check(v, n, &bad, &why)) {
		warn("arguments: field '%s': %s at byte %zu", ad->s.f[i].name,
		    why, bad + 1);
		ad->reported[i] = 1;
		return 0;
	}
	set_plain(ad, i, v, n);
	return 1;
}

/* One record from FIELD=VALUE arguments.  A field given empty is given:
 * that is how an update clears a field. */
static void
read_arguments(struct adder *ad, int argc, char **argv)
{
	int a, i, ok = 1;

	ad->where = "arguments";
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
		} else if (ad->given[i]) {
			warn("arguments: field '%s' given twice", argv[a]);
			ok = 0;
		} else {
			ad->given[i] = 1;
			if (!argument_value(ad, i, eq + 1))
				ok = 0;
		}
	}
	if (!ok)
		ad->errors++;
	take_record(ad, 0);
}

/* Records from standard input: a record file whose header names the
 * fields it gives, in any order.  An empty cell gives nothing: a
 * spreadsheet leaves blank what it does not know, and an update carries
 * that field over. */
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

				ad->scratch.len = 0;
				unescape(f->p, f->len, &ad->scratch);
				set_plain(ad, field_of[c], ad->scratch.p, ad->scratch.len);
				ad->given[field_of[c]] = f->len > 0;
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

static const struct field *
column(struct record *r, int col)
{
	return col >= 0 ? record_field(r, col) : &none;
}

static int
date_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c ? c : (an > bn) - (an < bn);
}

/* Make line the newest record of its id when it is dated on or after
 * the newest so far: on equal dates the later line wins, as in
 * dc-grep --asof. */
static void
keep_if_newest(struct adder *ad, struct newest *nw, const char *line,
    size_t len, size_t date_at, size_t datelen, const char *file, long lineno)
{
	if (nw->known && date_cmp(line + date_at, datelen,
	    ad->lines.p + nw->date, nw->datelen) < 0)
		return;
	nw->known = 1;
	nw->off = ad->lines.len;
	nw->len = len;
	nw->date = nw->off + date_at;
	nw->datelen = datelen;
	nw->file = file;
	nw->lineno = lineno;
	buf_put(&ad->lines, line, len);
}

/* A registry record of an id the batch gives: keep it if it is the
 * newest yet.  Only the lines of those ids are copied. */
static void
note_newest(struct adder *ad, struct record *r)
{
	const struct field *id = record_field(r, ad->id_col), *date;
	long e = table_find(&ad->newest, id->p, id->len);

	if (e < 0)
		return;
	date = column(r, ad->date_col);
	keep_if_newest(ad, table_value(&ad->newest, (size_t)e), r->line, r->len,
	    ad->date_col >= 0 ? (size_t)(date->p - r->line) : 0, date->len,
	    ad->registry, r->lineno);
}

static void
check_header(struct adder *ad, const struct header *h)
{
	struct buf have = { 0 };
	int i, same = h->n == ad->nf;

	for (i = 0; same && i < h->n; i++)
		same = strcmp(h->names[i], ad->s.f[i].name) == 0;
	if (same)
		return;
	for (i = 0; i < h->n; i++) {
		if (i)
			buf_puts(&have, ", ");
		buf_puts(&have, h->names[i]);
	}
	die_at(ad->registry, 1, "header does not match the schema %s: "
	    "the registry has %s; the schema has %s", ad->s.file,
	    buf_cstr(&have), ad->fieldlist.p);
}

/* Read the whole registry through fd, which we hold locked; the reader
 * takes no lock of its own and leaves fd open.  A registry we cannot
 * read is not one we may add to: after a torn last line, a new record
 * would be glued onto half an old one. */
static void
scan_registry(struct adder *ad, int fd)
{
	struct input in;
	struct record *r;
	int i;

	if (lseek(fd, 0, SEEK_SET) < 0)
		die("%s: %s", ad->registry, strerror(errno));
	input_open_fd(&in, fd, ad->registry, 2);
	if (!in.had_header && in.header_line == 0)
		die("%s: %s (create a registry with dc-add --init)",
		    ad->registry, in.header_problem);
	if (!in.had_header)
		die_at(ad->registry, in.header_line, "%s; repair it before adding",
		    in.header_problem);
	check_header(ad, &in.hdr);
	while ((r = input_next(&in))) {
		if (r->bad)
			die_at(ad->registry, r->lineno, "%s; repair it before adding",
			    r->bad);
		for (i = 0; i < ad->nf; i++)
			if (is_next(&ad->s.f[i])) {
				const struct field *f = record_field(r, i);

				note_numbers(ad, i, f->p, f->len);
			}
		if (ad->id_col >= 0)
			remember(ad, column(r, ad->id_col), column(r, ad->date_col),
			    column(r, ad->cccd_col));
		if (ad->newest.n > 0)
			note_newest(ad, r);
	}
	input_close(&in);
}

/* ---- filling in and writing the batch ---- */

static struct field
batch_value(const struct adder *ad, size_t r, int i)
{
	const struct span *sp = span_at(ad, r, i);
	struct field f;

	f.p = ad->text.p + sp->off;
	f.len = sp->len;
	return f;
}

/* Field i of a whole record line (the registry's lines were checked). */
static struct field
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

/* Put field i of the newest record into ad->plain, as a value read. */
static void
carry_over(struct adder *ad, const struct newest *nw, int i)
{
	struct field f = line_field(ad->lines.p + nw->off, nw->len, i);

	ad->scratch.len = 0;
	unescape(f.p, f.len, &ad->scratch);
	set_plain(ad, i, ad->scratch.p, ad->scratch.len);
}

/* A record of the batch, written as a line among the newest records:
 * a later record of the same id in the batch may carry over from it. */
static void
batch_newest(struct adder *ad, size_t r, struct newest *nw)
{
	size_t date_at = 0, datelen = 0;
	int i;

	ad->scratch.len = 0;
	for (i = 0; i < ad->nf; i++) {
		struct field f = batch_value(ad, r, i);

		if (i)
			buf_putc(&ad->scratch, '\t');
		if (i == ad->date_col) {
			date_at = ad->scratch.len;
			datelen = f.len;
		}
		buf_put(&ad->scratch, f.p, f.len);
	}
	keep_if_newest(ad, nw, ad->scratch.p, ad->scratch.len, date_at, datelen,
	    ad->where, ad->lineno[r]);
}

/* Under the lock, a record that gives its id: every field it does not
 * give is taken from the newest record of that id (but the date, which
 * is the record's own), then defaults and checks as for the others.
 * Returns 0 when the record is bad. */
static int
complete_update(struct adder *ad, size_t r)
{
	struct field id = batch_value(ad, r, ad->id_col);
	struct newest *nw = table_value(&ad->newest,
	    (size_t)table_find(&ad->newest, id.p, id.len));
	const char *v;
	size_t n;
	int i, ok = 1;

	for (i = 0; i < ad->nf; i++) {
		struct span *sp = span_at(ad, r, i);
		int carried = 0;

		if (sp->off != not_given && sp->len > 0)
			continue;
		ad->plain[i].len = 0;
		if (sp->off == not_given && nw->known && i != ad->date_col) {
			carry_over(ad, nw, i);
			carried = ad->plain[i].len > 0;
		}
		if (!check_field(ad, i, ad->lineno[r], carried ? nw : NULL)) {
			ok = 0;
			continue;
		}
		v = value_of(ad, i, &n);
		sp->off = ad->text.len;
		escape(v, n, &ad->text);
		sp->len = ad->text.len - sp->off;
	}
	if (ok)
		batch_newest(ad, r, nw);
	else if (!nw->known)
		warn_at(ad->where, ad->lineno[r], "id %.*s has no record yet: "
		    "this is a new record, not an update", (int)id.len, id.p);
	return ok;
}

/* Complete the records that give their id, dropping the bad ones as
 * take_record drops them, so the rest of the batch is still checked. */
static void
complete_updates(struct adder *ad)
{
	size_t r, kept = 0, nf = (size_t)ad->nf;

	for (r = 0; r < ad->nrec; r++) {
		if (batch_value(ad, r, ad->id_col).len > 0 && !complete_update(ad, r)) {
			ad->errors++;
			continue;
		}
		if (kept != r) {
			memcpy(span_at(ad, kept, 0), span_at(ad, r, 0),
			    sizeof *ad->vals * nf);
			ad->lineno[kept] = ad->lineno[r];
		}
		kept++;
	}
	ad->nrec = kept;
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
 * ids, the duplicate checks and the append.  One descriptor reads and
 * appends (O_APPEND writes go to the end wherever reading left it); the
 * lock is released when we exit, since closing any descriptor of the
 * file would release it early. */
static void
add_batch(struct adder *ad)
{
	struct buf out = { 0 };
	struct stat st;
	size_t r;
	int fd;

	if ((fd = open(ad->registry, O_RDWR | O_APPEND)) < 0)
		die("%s: %s", ad->registry, strerror(errno));
	lock_whole(ad->registry, fd);
	if (fstat(fd, &st) < 0)
		die("%s: %s", ad->registry, strerror(errno));
	scan_registry(ad, fd);
	if (ad->newest.n > 0)
		complete_updates(ad);
	complete_batch(ad);
	if (ad->errors)
		exit(2);
	batch_lines(ad, &out);
	if (out.len > 0)
		append(ad->registry, fd, st.st_size, &out);
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
	registry_must_exist(argv[0]);
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
