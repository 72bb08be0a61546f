/* dc-add: append records to a registry, checked against its schema. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"
#include "number.h"
#include "registry.h"

static const char usage_text[] =
    "usage: dc-add [-s SCHEMA] [--future] [--again] REGISTRY [FIELD=VALUE...]\n"
    "       dc-add --end [-s SCHEMA] [--future] [--again] REGISTRY id=ID [date=DATE] [note=TEXT]\n"
    "       dc-add --init [-s SCHEMA] REGISTRY\n"
    "       dc-add --recover REGISTRY\n"
    "       dc-add --backup REGISTRY > COPY\n";

static const char options_text[] =
    "Append records, checked against the schema, to REGISTRY; with no\n"
    "FIELD=VALUE, read them from standard input (a header, then records).\n"
    "A record that gives its id updates it: what it does not give is\n"
    "carried over from the id's state on the record's date.\n"
    "  -s, --schema SCHEMA  the schema (default: REGISTRY's, beside it)\n"
    "      --init           create REGISTRY holding only the header\n"
    "      --end            end each id given: a record of id, date and\n"
    "                       note only, which takes it out of the state\n"
    "      --future         allow a record dated after today\n"
    "      --again          add a batch even if the same one was added\n"
    "                       before (else its ids are printed again)\n"
    "      --recover        only undo a batch that was cut off\n"
    "      --backup         copy REGISTRY's committed bytes to stdout\n"
    "  -h, --help           print this help and exit\n"
    "      --version        print the version and exit\n"
    "Exit status: 0 added, 2 error (then nothing is added).\n";

/* The off of a value a record that gives its id does not give: it is
 * filled in under the lock, once the registry is read. */
static const size_t not_given = (size_t)-1;

static const struct field none = { "", 0 };

/* Everything dc-add needs while it works on one registry. */
struct adder {
	struct schema s;
	struct registry reg;            /* and what it holds */
	char today[11];
	struct buf fieldlist;           /* "id, date, ..." for messages */
	const char *where;              /* "(standard input)" or "arguments" */
	struct batch batch;             /* the good records read so far */
	struct buf *plain;              /* the record being read, unescaped */
	char *given;                    /* its fields given, even empty */
	char *reported;                 /* its fields already found bad */
	struct buf scratch;
	struct buf day;                 /* the date of the update completed */
	int end;                        /* --end: every record ends its id */
	int future;                     /* --future: dates after today too */
	int again;                      /* --again: a batch added before too */
	int errors;
	struct sha256 key;              /* of what was asked (batch_key) */
	int used_today;                 /* a 'today' default filled a value */
};

static void
usage(void)
{
	fputs(usage_text, stdout);
	fputs(options_text, stdout);
	dc_exit(0);
}

static void
load_schema(const char *registry, const char *schema_path, struct schema *s)
{
	if (!schema_find(registry, schema_path, s))
		die("%s: no schema: give -s SCHEMA or put one in %s", registry,
		    schema_path_for(registry));
}

static void
init_registry(const char *registry, const char *schema_path)
{
	struct schema s;

	load_schema(registry, schema_path, &s);
	registry_create(registry, &s, schema_path);
	schema_free(&s);
}

/* Said first, since a registry that is not there has no schema
 * beside it either, and "no schema" would send the user the wrong way
 * (most often they are in the wrong directory). */
static void
registry_must_exist(const char *registry)
{
	struct stat st;
	char target[4096];
	ssize_t n;

	if (stat(registry, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			die("%s: not a regular file", registry);
		return;
	}
	if (errno == ENOENT && (n = readlink(registry, target,
	    sizeof target - 1)) >= 0) {
		target[n] = '\0';
		die("%s: a symbolic link to %s, which does not exist", registry,
		    target);
	}
	if (errno == ENOENT)
		die("%s: %s (create it with dc-add --init)", registry,
		    strerror(errno));
	die("%s: %s", registry, strerror(errno));
}

/* ---- reading and checking the new records ---- */

/* Under the lock: the schema as it stands once no other dc-add can be
 * between reading it and appending. */
static void
adder_init(struct adder *ad, const char *registry, int fd,
    const char *schema_path)
{
	size_t nf;
	int i;

	memset(ad, 0, sizeof *ad);
	load_schema(registry, schema_path, &ad->s);
	nf = (size_t)ad->s.n;
	registry_init(&ad->reg, registry, fd, &ad->s);
	batch_init(&ad->batch, ad->s.n);
	ad->plain = xmalloc(sizeof *ad->plain * nf);
	ad->given = xmalloc(nf);
	ad->reported = xmalloc(nf);
	for (i = 0; i < ad->s.n; i++) {
		memset(&ad->plain[i], 0, sizeof ad->plain[i]);
		buf_grow(&ad->plain[i], 0);
	}
	schema_names(&ad->s, &ad->fieldlist);
	today(ad->today);
	sha256_init(&ad->key);
	sha256_update(&ad->key, "dc-add batch 1\n", 15);
}

static void
adder_free(struct adder *ad)
{
	int i;

	for (i = 0; i < ad->s.n; i++)
		buf_free(&ad->plain[i]);
	free(ad->plain);
	free(ad->given);
	free(ad->reported);
	buf_free(&ad->scratch);
	buf_free(&ad->day);
	buf_free(&ad->fieldlist);
	batch_free(&ad->batch);
	registry_free(&ad->reg);
	schema_free(&ad->s);
}

static void
clear_plain(struct adder *ad)
{
	int i;

	for (i = 0; i < ad->s.n; i++)
		ad->plain[i].len = 0;
	memset(ad->given, 0, (size_t)ad->s.n);
	memset(ad->reported, 0, (size_t)ad->s.n);
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
	if (*n > 0 || !*f->deflt || is_next_id(f))
		return ad->plain[i].p;
	*n = strcmp(f->deflt, "today") == 0 ? 10 : strlen(f->deflt);
	return strcmp(f->deflt, "today") == 0 ? ad->today : f->deflt;
}

/* A record that leaves a field defaulting to today to its default is
 * another record tomorrow: the same command then is not a retry. */
static void
note_today(struct adder *ad)
{
	int i;

	for (i = 0; i < ad->s.n; i++)
		if (ad->plain[i].len == 0 && strcmp(ad->s.f[i].deflt, "today") == 0)
			ad->used_today = 1;
}

/* Check field i of the record in ad->plain, its default applied.
 * from: where a value carried over from another record comes from. */
static int
check_field(struct adder *ad, int i, long lineno, const struct kept *from)
{
	const struct schema_field *f = &ad->s.f[i];
	const char *v, *why;
	size_t n;

	v = value_of(ad, i, &n);
	if (n == 0 && f->required && !is_next_id(f)) {
		warn_at(ad->where, lineno, "field '%s' is required", f->name);
		return 0;
	}
	if (!(why = value_problem(f, v, n)))
		return 1;
	ad->scratch.len = 0;
	escape(v, n, &ad->scratch);
	if (from)
		warn_at(ad->where, lineno, "field '%s': '%s' %s (carried over "
		    "from %s:%ld)", f->name, buf_cstr(&ad->scratch), why,
		    from->file, from->lineno);
	else
		warn_at(ad->where, lineno, "field '%s': '%s' %s", f->name,
		    buf_cstr(&ad->scratch), why);
	return 0;
}

/* A record dated after today is invisible in the state until then, and
 * the file is append-only: a mistyped year would hide a person for
 * decades.  Only a date known to be one is compared here. */
static int
not_future(struct adder *ad, long lineno)
{
	const char *v;
	size_t n;

	if (ad->future || ad->reg.date_col < 0)
		return 1;
	v = value_of(ad, ad->reg.date_col, &n);
	if (date_key(v, n) <= date_key(ad->today, 10))
		return 1;
	warn_at(ad->where, lineno, "field 'date': %.*s is after today (%s); "
	    "give --future to add a record that takes effect on that day",
	    (int)n, v, ad->today);
	return 0;
}

/* --end: the record gives the id and, when it likes, its date (else
 * the default, today) and a note.  Every other field stays empty, its
 * default too: a value would make it an update, not an end record. */
static void
take_end(struct adder *ad, long lineno)
{
	int idc = ad->reg.id_col, dc = ad->reg.date_col, nc = ad->reg.note_col;
	struct field id;
	const char *v;
	size_t n, r;
	int i, ok = 1;

	for (i = 0; i < ad->s.n; i++)
		if (ad->reported[i])
			ok = 0;
		else if (i == idc || i == dc || (i == nc && ad->plain[i].len > 0))
			ok &= check_field(ad, i, lineno, NULL);
		else if (i != nc && ad->plain[i].len > 0) {
			warn_at(ad->where, lineno, "--end: field '%s' given; an "
			    "end record gives only id, date and note",
			    ad->s.f[i].name);
			ok = 0;
		}
	if (ad->plain[idc].len == 0 && !ad->reported[idc]) {
		warn_at(ad->where, lineno, "--end: give the id to end (id=...)");
		ok = 0;
	}
	if (!ok || !not_future(ad, lineno)) {
		ad->errors++;
		return;
	}
	r = batch_add(&ad->batch, lineno);
	v = value_of(ad, dc, &n);
	batch_set(&ad->batch, batch_span(&ad->batch, r, dc), v, n);
	if (nc >= 0)
		batch_set(&ad->batch, batch_span(&ad->batch, r, nc),
		    ad->plain[nc].p, ad->plain[nc].len);
	batch_set(&ad->batch, batch_span(&ad->batch, r, idc),
	    ad->plain[idc].p, ad->plain[idc].len);
	id = batch_value(&ad->batch, r, idc);
	registry_want(&ad->reg, id.p, id.len);
}

/* Check the record in ad->plain and, when it is good, add it to the
 * batch.  Every problem gets its own message.  A record that gives its
 * id may be an update, which is known only under the lock: it keeps
 * only what it gives, and the rest waits for complete_update. */
static void
take_record(struct adder *ad, long lineno)
{
	int id_col = ad->reg.id_col, update = id_col >= 0 && ad->plain[id_col].len > 0;
	const char *v;
	size_t n, r;
	int i, ok = 1;

	note_today(ad);
	if (ad->end) {
		take_end(ad, lineno);
		return;
	}
	for (i = 0; i < ad->s.n; i++)
		if (ad->reported[i])
			ok = 0;
		else if (!update || ad->plain[i].len > 0)
			ok &= check_field(ad, i, lineno, NULL);
	if (!ok || !not_future(ad, lineno)) {
		ad->errors++;
		return;
	}
	r = batch_add(&ad->batch, lineno);
	for (i = 0; i < ad->s.n; i++) {
		struct text_span *sp = batch_span(&ad->batch, r, i);

		if (update && ad->plain[i].len == 0) {
			if (!ad->given[i])
				sp->off = not_given;
			continue;
		}
		v = value_of(ad, i, &n);
		batch_set(&ad->batch, sp, v, n);
	}
	if (update) {
		struct field id = batch_value(&ad->batch, r, id_col);

		registry_want(&ad->reg, id.p, id.len);
	}
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
	for (a = 0; a < argc; a++)
		sha256_update(&ad->key, argv[a], strlen(argv[a]) + 1);
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

static void
key_line(struct adder *ad, const char *line, size_t len)
{
	sha256_update(&ad->key, line, len);
	sha256_update(&ad->key, "\n", 1);
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
	input_open(&in, 0, NULL, BAD_KEEP);
	if (!in.had_header) {
		input_close(&in);
		ad->errors++;
		return;
	}
	key_line(ad, in.hdr.line, in.hdr.linelen);
	field_of = xmalloc(sizeof *field_of * (size_t)in.hdr.n);
	for (c = 0; c < in.hdr.n; c++)
		if ((field_of[c] = schema_index(&ad->s, in.hdr.names[c])) < 0) {
			warn_at(ad->where, 1, "unknown field '%s'; the fields are: %s",
			    in.hdr.names[c], ad->fieldlist.p);
			ad->errors++;
		}
	while ((r = input_next(&in))) {
		key_line(ad, r->line, r->len);
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

/* ---- under the lock: updates, next ids, duplicates ---- */

/* Put field i of the record carried over from into ad->plain, as a
 * value read. */
static void
carry_over(struct adder *ad, const struct kept *from, int i)
{
	struct field f = kept_field(&ad->reg, from, i);

	ad->scratch.len = 0;
	unescape(f.p, f.len, &ad->scratch);
	set_plain(ad, i, ad->scratch.p, ad->scratch.len);
}

/* The date update r will have, in ad->day: given, else its default
 * (today).  A copy: the batch's text moves as the record is completed. */
static void
update_day(struct adder *ad, size_t r)
{
	int d = ad->reg.date_col;
	struct text_span *sp;
	struct field f;

	ad->day.len = 0;
	if (d < 0)
		return;
	sp = batch_span(&ad->batch, r, d);
	if (sp->off != not_given && sp->len > 0) {
		f = batch_value(&ad->batch, r, d);
		buf_put(&ad->day, f.p, f.len);
		return;
	}
	ad->plain[d].len = 0;
	f.p = value_of(ad, d, &f.len);
	buf_put(&ad->day, f.p, f.len);
}

/* A record that gives its id: every field it does not give is taken
 * from the id's state on the record's date, its newest record dated on
 * or before it (but the date, which is the record's own), then defaults
 * and checks as for the others.  Not the newest of all: a fact learnt
 * late must not bring back to its day what was recorded after.
 * Returns 0 when the record is bad. */
/* Keep record r of the batch as its id's newest, for the records of
 * the batch after it. */
static void
keep_in_batch(struct adder *ad, size_t r, struct field id)
{
	struct batch *b = &ad->batch;

	ad->scratch.len = 0;
	batch_line(b, r, &ad->scratch);
	registry_keep(&ad->reg, id.p, id.len, ad->scratch.p, ad->scratch.len,
	    ad->where, b->lineno[r]);
}

static int
complete_update(struct adder *ad, size_t r)
{
	struct batch *b = &ad->batch;
	struct field id = batch_value(b, r, ad->reg.id_col);
	const struct kept *from, *end;
	const char *v;
	size_t n;
	int i, ok = 1, known;

	/* No date (a schema without one, or a date left empty that is
	 * then refused as required): the newest of all. */
	update_day(ad, r);
	from = registry_asof(&ad->reg, id.p, id.len,
	    ad->day.len > 0 ? ad->day.p : NULL, ad->day.len, &known, &end);
	for (i = 0; i < ad->s.n; i++) {
		struct text_span *sp = batch_span(b, r, i);
		int carried = 0;

		if (sp->off != not_given && sp->len > 0)
			continue;
		ad->plain[i].len = 0;
		if (sp->off == not_given && from && i != ad->reg.date_col) {
			carry_over(ad, from, i);
			carried = ad->plain[i].len > 0;
		}
		if (!check_field(ad, i, b->lineno[r], carried ? from : NULL)) {
			ok = 0;
			continue;
		}
		v = value_of(ad, i, &n);
		batch_set(b, sp, v, n);
	}
	id = batch_value(b, r, ad->reg.id_col); /* the text may have moved */
	if (!ok) {
		if (!known)
			warn_at(ad->where, b->lineno[r], "id %.*s has no record "
			    "yet: this is a new record, not an update",
			    (int)id.len, id.p);
		else if (end)
			warn_at(ad->where, b->lineno[r], "id %.*s was ended on "
			    "%.*s (%s:%ld): there is nothing to carry over; give "
			    "every required field to re-open it", (int)id.len,
			    id.p, (int)end->datelen, ad->reg.lines.p + end->date,
			    end->file, end->lineno);
		else if (!from)
			warn_at(ad->where, b->lineno[r], "id %.*s has no record "
			    "on or before %s: give every required field",
			    (int)id.len, id.p, buf_cstr(&ad->day));
		return 0;
	}
	/* A later record of the same id in the batch may carry over from
	 * this one. */
	keep_in_batch(ad, r, id);
	return 1;
}

/* An end record ends a state: the id must have one on its date. */
static int
complete_end(struct adder *ad, size_t r)
{
	struct batch *b = &ad->batch;
	struct field id = batch_value(b, r, ad->reg.id_col);
	struct field date = batch_value(b, r, ad->reg.date_col);
	const struct kept *from, *end;
	int known;

	from = registry_asof(&ad->reg, id.p, id.len, date.p, date.len, &known,
	    &end);
	if (!known)
		warn_at(ad->where, b->lineno[r], "--end: id %.*s has no record: "
		    "there is nothing to end", (int)id.len, id.p);
	else if (end)
		warn_at(ad->where, b->lineno[r], "--end: id %.*s is already "
		    "ended on %.*s (%s:%ld)", (int)id.len, id.p,
		    (int)end->datelen, ad->reg.lines.p + end->date, end->file,
		    end->lineno);
	else if (!from)
		warn_at(ad->where, b->lineno[r], "--end: id %.*s has no record "
		    "on or before %.*s: there is nothing to end then",
		    (int)id.len, id.p, (int)date.len, date.p);
	if (!from)
		return 0;
	/* A later record of the id in the batch sees it ended. */
	keep_in_batch(ad, r, id);
	return 1;
}

/* Complete the records that give their id, dropping the bad ones as
 * take_record drops them, so the rest of the batch is still checked. */
static void
complete_updates(struct adder *ad)
{
	size_t r, kept = 0;

	for (r = 0; r < ad->batch.n; r++) {
		if (batch_value(&ad->batch, r, ad->reg.id_col).len > 0 &&
		    !(ad->end ? complete_end(ad, r) : complete_update(ad, r))) {
			ad->errors++;
			continue;
		}
		if (kept != r)
			batch_move(&ad->batch, kept, r);
		kept++;
	}
	ad->batch.n = kept;
}

static struct field
value_or_none(const struct adder *ad, size_t r, int i)
{
	return i >= 0 ? batch_value(&ad->batch, r, i) : none;
}

/* A registry is a history: one record per id and date, and one person
 * (cccd) under one id (the rules, in registry.c). */
static void
check_duplicates(struct adder *ad, size_t r)
{
	struct field id = batch_value(&ad->batch, r, ad->reg.id_col);
	struct field date = value_or_none(ad, r, ad->reg.date_col);
	struct field cccd = value_or_none(ad, r, ad->reg.cccd_col), other;
	long lineno = ad->batch.lineno[r], first;
	int ok = 1;

	if (id.len == 0)
		return;
	if (rules_date(&ad->reg.rules, id.p, id.len, date.p, date.len, lineno,
	    &first) > 1) {
		warn_at(ad->where, lineno, "id %.*s already has a record "
		    "dated %.*s", (int)id.len, id.p, (int)date.len, date.p);
		ok = 0;
	}
	if (cccd.len > 0 && rules_cccd(&ad->reg.rules, cccd.p, cccd.len, id.p,
	    id.len, lineno, &other, &first) > 0) {
		warn_at(ad->where, lineno, "cccd %.*s: already recorded under "
		    "%.*s", (int)cccd.len, cccd.p, (int)other.len, other.p);
		ok = 0;
	}
	if (!ok)
		ad->errors++;
}

static void
complete_batch(struct adder *ad)
{
	size_t r;

	registry_note_batch(&ad->reg, &ad->batch);
	for (r = 0; r < ad->batch.n; r++) {
		if (!ad->end)           /* an end record keeps them empty */
			registry_fill_next(&ad->reg, &ad->batch, r);
		if (ad->reg.id_col >= 0)
			check_duplicates(ad, r);
	}
}

/* Print the id of every line of text (records, one a line). */
static void
print_ids(struct adder *ad, const char *text, size_t len)
{
	const char *line = text, *end = text + len, *nl;
	struct buf ids = { 0 };
	struct field id;

	for (; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		id = line_field(line, (size_t)(nl - line), ad->reg.id_col);
		buf_put(&ids, id.p, id.len);
		buf_putc(&ids, '\n');
	}
	/* The records are in: a caller that cannot read their ids must be
	 * told so, not that nothing happened. */
	if (write_all(1, ids.p, ids.len) < 0)
		die("%zu record%s added to %s, but the ids could not be "
		    "written: %s (the same command again prints them)",
		    ad->batch.n, ad->batch.n == 1 ? " was" : "s were",
		    ad->reg.name, strerror(errno));
	buf_free(&ids);
}

/* What was asked, as a key: the same command on the same input is a
 * retry of a caller that never saw the ids, not a new batch. */
static void
batch_key(struct adder *ad, char hex[65])
{
	if (ad->end)
		sha256_update(&ad->key, "--end\n", 6);
	if (ad->future)
		sha256_update(&ad->key, "--future\n", 9);
	if (ad->used_today)
		sha256_update(&ad->key, ad->today, 10);
	sha256_hex(&ad->key, hex);
}

/* A batch logged under the same key that the registry still holds:
 * print its ids again and add nothing. */
static int
added_before(struct adder *ad, const char *key)
{
	struct logged_batch lb;
	int found = registry_find_batch(ad->reg.name, ad->reg.fd, key, &lb);

	if (found == 0)
		return 0;
	if (found < 0)
		die("%s: the same batch was added at %s (line %ld of its batches "
		    "log), but the registry no longer holds it there; give "
		    "--again to add it once more", ad->reg.name, lb.time,
		    lb.lineno);
	warn("%s: the same batch was added at %s: not adding it again; its "
	    "ids follow (--again adds it once more)", ad->reg.name, lb.time);
	if (ad->reg.id_col >= 0)
		print_ids(ad, lb.text, lb.len);
	free(lb.text);
	return 1;
}

/* Everything that depends on the registry is done under its lock: the
 * updates, the next ids, the duplicate checks and the append. */
static void
add_batch(struct adder *ad)
{
	struct buf lines = { 0 };
	char key[65];
	size_t r;

	if (ad->errors)
		dc_exit(2);
	/* A registry found damaged is said so first, retry or not. */
	registry_scan(&ad->reg);
	batch_key(ad, key);
	if (!ad->again && added_before(ad, key))
		return;
	if (ad->reg.wanted.n > 0)
		complete_updates(ad);
	complete_batch(ad);
	if (ad->errors)
		dc_exit(2);
	registry_append(&ad->reg, &ad->batch, key);
	if (ad->reg.id_col < 0)
		return;
	for (r = 0; r < ad->batch.n; r++) {
		batch_line(&ad->batch, r, &lines);
		buf_putc(&lines, '\n');
	}
	print_ids(ad, lines.p, lines.len);
	buf_free(&lines);
}

/* --backup: what a reader would read, byte for byte, under the shared
 * lock: never the bytes of a batch still being written, or cut off. */
static void
backup(const char *registry)
{
	struct journal_info j;
	struct stat st;
	char block[65536];
	off_t left;
	ssize_t n;
	int journal, fd = open(registry, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		die("%s: %s", registry, strerror(errno));
	if (!S_ISREG(st.st_mode))
		die("%s: not a regular file", registry);
	lock_file(fd, registry, F_RDLCK);
	if (fstat(fd, &st) < 0)
		die("%s: %s", registry, strerror(errno));
	left = committed_length(registry, st.st_size, 0, &journal, &j);
	for (; left > 0; left -= n) {
		n = read(fd, block, left < (off_t)sizeof block ? (size_t)left :
		    sizeof block);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			die("%s: %s", registry, n < 0 ? strerror(errno) :
			    "the file got shorter while it was read");
		out_write(block, (size_t)n);
	}
	close(fd);
}

/* Standard input is read under the lock; a pipe is copied first, so
 * that a slow writer upstream does not hold every reader up. */
static void
spool_stdin(void)
{
	const char *dir = getenv("TMPDIR");
	struct buf path = { 0 };
	char block[65536];
	struct stat st;
	ssize_t n;
	int fd;

	if (fstat(0, &st) == 0 && S_ISREG(st.st_mode))
		return;
	buf_printf(&path, "%s/dc-add-XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(path.p)) < 0)     /* mode 0600 */
		die("%s: %s (set TMPDIR to a directory with room)", path.p,
		    strerror(errno));
	unlink(path.p);
	while ((n = read(0, block, sizeof block)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("(standard input): %s", strerror(errno));
		if (write_all(fd, block, (size_t)n) < 0)
			die("%s: %s (set TMPDIR to a directory with room)",
			    path.p, strerror(errno));
	}
	if (lseek(fd, 0, SEEK_SET) < 0 || dup2(fd, 0) < 0)
		die("%s: %s", path.p, strerror(errno));
	close(fd);
	buf_free(&path);
}

int
main(int argc, char **argv)
{
	enum { OPT_INIT = 0x100, OPT_END, OPT_FUTURE, OPT_AGAIN, OPT_RECOVER,
	    OPT_BACKUP, OPT_VERSION };
	static const struct option longopts[] = {
		{ "init", no_argument, NULL, OPT_INIT },
		{ "end", no_argument, NULL, OPT_END },
		{ "future", no_argument, NULL, OPT_FUTURE },
		{ "again", no_argument, NULL, OPT_AGAIN },
		{ "recover", no_argument, NULL, OPT_RECOVER },
		{ "backup", no_argument, NULL, OPT_BACKUP },
		{ "schema", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	const char *schema_path = NULL, *mode = NULL, *option = NULL;
	struct adder ad;
	char day[11];
	int c, fd, end = 0, future = 0, again = 0;

	dc_setprog(argv[0]);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:h", longopts, NULL)) != -1)
		switch (c) {
		case OPT_INIT: mode = "--init"; break;
		case OPT_RECOVER: mode = "--recover"; break;
		case OPT_BACKUP: mode = "--backup"; break;
		case OPT_END: end = 1; option = "--end"; break;
		case OPT_FUTURE: future = 1; option = "--future"; break;
		case OPT_AGAIN: again = 1; option = "--again"; break;
		case 's': schema_path = optarg; break;
		case 'h': usage(); break;
		case OPT_VERSION: print_version(); return 0;
		default: option_error(c, argv, longopts);
		}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage_error("no REGISTRY given");
	if (mode && argc > 1)
		usage_error("%s: '%s' given; %s takes only the REGISTRY", mode,
		    argv[1], mode);
	if (mode && option)
		usage_error("%s and %s go apart", mode, option);
	if (mode && schema_path && strcmp(mode, "--init") != 0)
		usage_error("%s and --schema go apart", mode);
	/* A mistyped DC_TODAY is an error up front, whatever is asked. */
	today(day);
	/* A file-size limit must give EFBIG, which we undo, not a signal. */
	signal(SIGXFSZ, SIG_IGN);
	/* A closed pipe must give EPIPE, so that we can say what was added. */
	signal(SIGPIPE, SIG_IGN);
	if (mode && strcmp(mode, "--init") == 0) {
		init_registry(argv[0], schema_path);
		return 0;
	}
	registry_must_exist(argv[0]);
	if (mode && strcmp(mode, "--backup") == 0) {
		backup(argv[0]);
		out_flush();
		return 0;
	}
	if (!mode && argc == 1)
		spool_stdin();
	fd = registry_lock(argv[0]);
	if (mode)                       /* --recover: registry_lock did it */
		return 0;
	adder_init(&ad, argv[0], fd, schema_path);
	ad.end = end;
	ad.future = future;
	ad.again = again;
	if (end && (ad.reg.id_col < 0 || ad.reg.date_col < 0))
		die("%s: --end: the schema %s has no field id or date: its "
		    "records are not a history", argv[0], ad.s.file);
	if (argc > 1)
		read_arguments(&ad, argc - 1, argv + 1);
	else
		read_stdin(&ad);
	add_batch(&ad);
	adder_free(&ad);
	out_flush();
	return 0;
}
