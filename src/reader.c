/* reader.c: the one record loop.  A registry is a history; a program
 * sees its state on a day (by default today), or every version with
 * --history, and with --part K/N only the ids of one part.  See
 * dc-format(5), HISTORY and NOTES. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "number.h"
#include "record.h"

static const char state_note[] = "dc:state ";
static const char versions_note[] = "dc:versions";
static const char part_note[] = "dc:part ";
static const char piped_note[] = "dc:piped";

/* ---- the ids of a history: a compact table, no allocation per id ---- */

/* An id of up to 8 bytes (P000123) is kept in its entry; a longer one in
 * an arena.  A slot holds the entry's index and the id's hash, so that a
 * new id costs one cache miss: with 1,000,000 ids the table takes about
 * 40 MB (24 bytes an entry, 8 a slot at a load of 3/8 to 3/4). */
struct id_entry {
	uint64_t seq;                   /* the record of the id that holds,
	                                 * numbered from 1 in input order */
	uint32_t date;                  /* its date, as YYYYMMDD */
	uint32_t len;
	union {
		char bytes[8];          /* len <= 8: the id itself */
		uint64_t off;           /* else its offset in the arena */
	} id;
};

struct id_slot {
	uint32_t entry;                 /* entry index + 1; 0 is empty */
	uint32_t hash;
};

struct id_table {
	struct id_slot *slots;
	size_t nslots, n, cap;
	struct id_entry *entries;
	struct buf arena;
};

/* 64-bit FNV-1a: fixed, so --part K/N splits the same way everywhere. */
uint64_t
id_hash(const char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot's hash: the high bits, well mixed, while --part uses the
 * whole hash modulo N. */
static uint32_t
slot_hash(uint64_t hash)
{
	return (uint32_t)(hash >> 32) ^ (uint32_t)hash;
}

static int
entry_is(const struct id_table *t, const struct id_entry *e, const char *id,
    size_t len)
{
	if (e->len != len)
		return 0;
	if (len <= sizeof e->id.bytes)
		return memcmp(e->id.bytes, id, len) == 0;
	return memcmp(t->arena.p + e->id.off, id, len) == 0;
}

/* Room for about n ids from the start: no rehashing, no copying. */
static void
id_table_reserve(struct id_table *t, size_t n)
{
	t->nslots = 1024;
	while (t->nslots < n + n / 3 && t->nslots < ((size_t)1 << 31))
		t->nslots *= 2;
	t->slots = calloc(t->nslots, sizeof *t->slots);
	t->cap = n > 1024 ? n : 1024;
	t->entries = malloc(sizeof *t->entries * t->cap);
	if (!t->slots || !t->entries)
		die("out of memory");
}

static void
id_table_grow(struct id_table *t)
{
	struct id_slot *old = t->slots;
	size_t i, mask, oldn = t->nslots;

	t->nslots = t->nslots ? 2 * t->nslots : 1024;
	if (t->nslots > UINT32_MAX)
		die("too many ids");
	t->slots = calloc(t->nslots, sizeof *t->slots);
	if (!t->slots)
		die("out of memory");
	mask = t->nslots - 1;
	for (i = 0; i < oldn; i++) {
		size_t s;

		if (!old[i].entry)
			continue;
		for (s = old[i].hash & mask; t->slots[s].entry; s = (s + 1) & mask)
			;
		t->slots[s] = old[i];
	}
	free(old);
}

/* The entry of id, added (seq 0) when *created is set. */
static struct id_entry *
id_table_put(struct id_table *t, const char *id, size_t len, uint64_t hash,
    int *created)
{
	uint32_t h = slot_hash(hash);
	size_t mask, s;
	struct id_entry *e;

	if (4 * (t->n + 1) > 3 * t->nslots)
		id_table_grow(t);
	mask = t->nslots - 1;
	for (s = h & mask; t->slots[s].entry; s = (s + 1) & mask) {
		if (t->slots[s].hash != h)
			continue;
		e = &t->entries[t->slots[s].entry - 1];
		if (entry_is(t, e, id, len)) {
			*created = 0;
			return e;
		}
	}
	if (len > UINT32_MAX)
		die("an id of more than 4 GB");
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->entries = xrealloc(t->entries, sizeof *t->entries * t->cap);
	}
	e = &t->entries[t->n];
	memset(e, 0, sizeof *e);
	e->len = (uint32_t)len;
	if (len <= sizeof e->id.bytes) {
		memcpy(e->id.bytes, id, len);
	} else {
		e->id.off = t->arena.len;
		buf_put(&t->arena, id, len);
	}
	t->slots[s].entry = (uint32_t)++t->n;
	t->slots[s].hash = h;
	*created = 1;
	return e;
}

static void
id_table_free(struct id_table *t)
{
	free(t->slots);
	free(t->entries);
	buf_free(&t->arena);
	memset(t, 0, sizeof *t);
}

/* ---- the rules of a history ---- */

uint32_t
date_key(const char *p, size_t n)
{
	int y, m, d;

	if (parse_date(p, n, &y, &m, &d) != NUM_OK)
		return 0;
	return (uint32_t)(y * 10000 + m * 100 + d);
}

int
state_replaces(uint32_t day, uint32_t date, int held, uint32_t held_date)
{
	/* Records of one date: the later line wins. */
	return date <= day && (!held || date >= held_date);
}

int
is_end_record(struct record *r, int idf, int datef, int notef)
{
	int i, others = 0;

	/* A record with no field to leave empty cannot end anything. */
	for (i = 0; i < r->nfields; i++) {
		if (i == idf || i == datef || i == notef)
			continue;
		if (record_field(r, i)->len > 0)
			return 0;
		others++;
	}
	return others > 0;
}

/* ---- options ---- */

const char view_usage[] =
    "  --asof DATE   the state as of DATE (YYYY-MM-DD): each id's newest\n"
    "                record dated on or before it (default: today)\n"
    "  --history     every version of every record, not the state\n"
    "  --part K/N    only the ids of part K of N (to share work)\n";

int
view_option(struct view *v, int opt, const char *arg)
{
	char *end;
	long k, n;

	if ((opt == VIEW_ASOF && v->history) || (opt == VIEW_HISTORY && v->asof))
		usage_error("--asof and --history: the state of a day, or every "
		    "version?");
	switch (opt) {
	case VIEW_ASOF:
		if (!date_key(arg, strlen(arg)))
			die("--asof: '%s' is not a date (YYYY-MM-DD)", arg);
		v->asof = arg;
		return 1;
	case VIEW_HISTORY:
		v->history = 1;
		return 1;
	case VIEW_PART:
		k = strtol(arg, &end, 10);
		if (end == arg || *end != '/')
			die("--part: '%s' is not K/N (such as 1/4)", arg);
		n = strtol(end + 1, &end, 10);
		if (*end || n < 1 || n > 1000000 || k < 1 || k > n)
			die("--part: '%s' is not K/N with 1 <= K <= N", arg);
		v->part = (int)k;
		v->nparts = (int)n;
		return 1;
	}
	return 0;
}

/* ---- reading ---- */

static int
in_part(const struct reader *rd, uint64_t hash)
{
	return rd->view.nparts == 0 ||
	    hash % (uint64_t)rd->view.nparts == (uint64_t)(rd->view.part - 1);
}

static uint32_t
record_date(struct reader *rd, struct record *r)
{
	const struct field *d = record_field(r, rd->datef);
	struct buf q = { 0 };
	uint32_t key = date_key(d->p, d->len);

	if (key == 0 && d->len == 0)
		die_at(r->file, r->lineno, "record has no date");
	if (key == 0)
		die_at(r->file, r->lineno, "field 'date': '%s' is not a date "
		    "(YYYY-MM-DD)", quote_value(d->p, d->len, &q));
	return key;
}

static const struct field *
record_id(struct record *r, int idf)
{
	const struct field *id = record_field(r, idf);

	if (id->len == 0)
		die_at(r->file, r->lineno, "record has no id");
	return id;
}

/* Dies when the record has no id, as record_id; the first field is
 * judged without splitting the line. */
static void
has_id(struct record *r, int idf)
{
	if (idf == 0 ? r->len > 0 && r->line[0] != '\t' :
	    record_field(r, idf)->len > 0)
		return;
	record_id(r, idf);
}

/* A record of the first reading waiting to be put in the table: the
 * slots of a batch are fetched from memory together, not one cache miss
 * after another. */
enum { BATCH = 16 };

struct pending {
	uint64_t hash, seq;
	uint32_t date;
	int ends;
	size_t off, len;                /* the id, in the batch's text */
};

struct batch {
	struct pending p[BATCH];
	int n;
	struct buf ids;
};

static void
put_batch(struct id_table *t, struct batch *b, uint32_t day)
{
	int i;

	while (4 * (t->n + BATCH) > 3 * t->nslots)
		id_table_grow(t);
#ifdef __GNUC__
	for (i = 0; i < b->n; i++)
		__builtin_prefetch(&t->slots[slot_hash(b->p[i].hash) &
		    (t->nslots - 1)]);
#endif
	for (i = 0; i < b->n; i++) {
		struct pending *p = &b->p[i];
		int created;
		struct id_entry *e = id_table_put(t, b->ids.p + p->off, p->len,
		    p->hash, &created);

		if (!state_replaces(day, p->date, !created, e->date))
			continue;
		e->date = p->date;
		e->seq = p->ends ? 0 : p->seq;
	}
	b->n = 0;
	b->ids.len = 0;
}

/* How many records the kept files hold, judged by the lines of the
 * first block read (a pipe: unknown, the table grows as needed). */
static size_t
expected_records(const struct input *in)
{
	const char *p = in->buf + in->pos, *end = in->buf + in->end;
	size_t lines = 0, bytes = 0;
	off_t total = 0;
	int i;

	for (i = 0; i < in->nfiles && i < in->fileidx; i++) {
		struct stat st;

		if (in->kept[i].fd == in->spool_fd || fstat(in->kept[i].fd, &st) < 0)
			return 0;
		total += st.st_size - in->kept[i].start;
	}
	for (; p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
		lines++;
	bytes = (size_t)(in->end - in->pos);
	if (lines == 0 || total <= 0)
		return 0;
	return (size_t)(total / (off_t)(bytes / lines + 1)) + 1;
}

/* -j N: the ranges of the workers start at the records at or after
 * the offsets asked for (see struct reader). */
static void
note_split(struct reader *rd, const struct record *r, uint64_t seq)
{
	const struct input *in = &rd->in;
	off_t at = in->file_bytes - (off_t)(in->end - (size_t)(r->line - in->buf));

	while (rd->splits_met < rd->nsplit && at >= rd->split_at[rd->splits_met]) {
		rd->split_at[rd->splits_met] = at;
		rd->split_seq[rd->splits_met++] = seq - 1;
	}
}

/* First reading of a history: for each id of the part, the record that
 * holds on the day; then mark those records, by number. */
static void
find_state(struct reader *rd)
{
	struct id_table ids = { 0 };
	struct batch b;
	struct record *r;
	uint64_t seq = 0, words;
	size_t i;

	b.n = 0;
	memset(&b.ids, 0, sizeof b.ids);
	id_table_reserve(&ids, expected_records(&rd->in));
	while ((r = input_next(&rd->in))) {
		const struct field *id = record_id(r, rd->idf);
		uint64_t hash = id_hash(id->p, id->len);
		struct pending *p;
		uint32_t date;

		seq++;
		if (rd->splits_met < rd->nsplit)
			note_split(rd, r, seq);
		if (!in_part(rd, hash))
			continue;
		date = record_date(rd, r);
		if (date > rd->daykey)
			continue;
		p = &b.p[b.n++];
		p->hash = hash;
		p->seq = seq;
		p->date = date;
		p->ends = is_end_record(r, rd->idf, rd->datef, rd->notef);
		p->off = b.ids.len;
		p->len = id->len;
		buf_put(&b.ids, id->p, id->len);
		if (b.n == BATCH)
			put_batch(&ids, &b, rd->daykey);
	}
	put_batch(&ids, &b, rd->daykey);
	buf_free(&b.ids);
	words = seq / 64 + 1;
	rd->holds = calloc((size_t)words, sizeof *rd->holds);
	if (!rd->holds)
		die("out of memory");
	for (i = 0; i < ids.n; i++)
		if (ids.entries[i].seq)
			rd->holds[ids.entries[i].seq / 64] |=
			    (uint64_t)1 << (ids.entries[i].seq % 64);
	id_table_free(&ids);
	input_rewind(&rd->in);
}

static void
refuse_versions(const struct reader *rd)
{
	die("%s: a selection of record versions (dc-grep --history): not a "
	    "registry's state, nor a whole history; give --history to take "
	    "every version as it is, or select from the state (dc-grep "
	    "without --history)", rd->in.name);
}

/* " part K/N" after a state's day: the stream holds the ids of that
 * part only, and what is counted of it is that part's. */
static int
declared_part(struct reader *rd, const char *text)
{
	int k, n, used = 0;

	if (sscanf(text, " part %d/%d%n", &k, &n, &used) != 2 ||
	    text[used] != '\0' || k < 1 || n < 1 || k > n)
		return 0;
	if (rd->view.nparts && (rd->view.part != k || rd->view.nparts != n))
		die("%s: the input is part %d/%d already: no --part %d/%d",
		    rd->in.name, k, n, rd->view.part, rd->view.nparts);
	rd->view.part = k;
	rd->view.nparts = n;
	return 1;
}

void
reader_open(struct reader *rd, int nfiles, char **files, const struct view *v)
{
	const struct header *h;
	const char *note;

	memset(rd, 0, sizeof *rd);
	rd->view = *v;
	today(rd->today);
	rd->day = v->asof ? v->asof : rd->today;
	rd->daykey = date_key(rd->day, strlen(rd->day));
	input_open_kept(&rd->in, nfiles, files, v->length);
	h = &rd->in.hdr;
	note = h->note;
	rd->idf = header_index(h, "id");
	rd->datef = header_index(h, "date");
	rd->notef = header_index(h, "note");
	rd->whole = 1;
	if (rd->idf < 0 || rd->datef < 0) {
		if (v->asof) {
			struct buf list = { 0 };

			buf_join(&list, h->names, h->n);
			die("--asof needs the fields id and date; the fields are: %s",
			    buf_cstr(&list));
		}
		rd->mode = READ_PLAIN;
	} else if (note && strcmp(note, versions_note) == 0) {
		if (!v->history)
			refuse_versions(rd);
		rd->mode = READ_VERSIONS;
	} else if (note && strncmp(note, state_note, sizeof state_note - 1) == 0) {
		const char *said = note + sizeof state_note - 1;

		/* The note may be shorter than a date: strnlen, not 10. */
		if (!date_key(said, strnlen(said, 10)) ||
		    (said[10] && !declared_part(rd, said + 10)))
			die("%s: bad note '#%s' in the header", rd->in.name, note);
		snprintf(rd->state_day, sizeof rd->state_day, "%.10s", said);
		said = rd->state_day;
		if (v->asof && strcmp(v->asof, said) != 0)
			die("%s: the input is the state as of %s, which cannot give "
			    "the state as of %s: read the registry itself",
			    rd->in.name, said, v->asof);
		rd->day = rd->state_day;
		rd->daykey = date_key(said, strlen(said));
		rd->mode = READ_STATE;
	} else if (v->history) {
		rd->mode = READ_VERSIONS;
	} else {
		rd->mode = READ_REDUCE;
	}
	if (rd->mode != READ_REDUCE)
		input_unkeep(&rd->in);
	/* The first reading waits for the first record asked for, so that
	 * a program checks its arguments against the header first. */
}

/* A declared state holds one record per id: say so when it does not. */
static void
check_state_record(struct reader *rd, struct record *r,
    const struct field *id, uint64_t hash)
{
	int created;

	if (record_date(rd, r) > rd->daykey)
		die_at(r->file, r->lineno, "a record dated after %s in the "
		    "state as of %s", rd->day, rd->day);
	id_table_put(rd->seen, id->p, id->len, hash, &created);
	if (!created)
		die_at(r->file, r->lineno, "a second record of one id in the "
		    "state as of %s", rd->day);
}

void
reader_prepare(struct reader *rd)
{
	if (rd->mode == READ_REDUCE && !rd->holds) {
		find_state(rd);
		rd->whole = rd->in.spooled == 0;
	}
	/* Which records may be passed over: not in the first reading of a
	 * state (every record counts there), nor where a record's id must
	 * be split out to be checked. */
	rd->in.want = NULL;
	switch (rd->mode) {
	case READ_PLAIN:
	case READ_REDUCE:
		rd->in.want = rd->want;
		break;
	case READ_VERSIONS:
		if (rd->view.nparts == 0 && rd->idf == 0) {
			rd->in.want = rd->want;
			rd->in.want_first_field = 1;
		}
		break;
	case READ_STATE:
		break;
	}
}

void
reader_want(struct reader *rd, struct needle *nd)
{
	rd->want = nd;
}

struct record *
reader_next(struct reader *rd)
{
	struct record *r;

	reader_prepare(rd);
	while ((r = input_next(&rd->in))) {
		const struct field *id;
		uint64_t hash;

		rd->seq += rd->in.skipped + 1;
		rd->in.skipped = 0;
		switch (rd->mode) {
		case READ_PLAIN:
			if (rd->view.nparts == 0 ||
			    (rd->seq - 1) % (uint64_t)rd->view.nparts ==
			    (uint64_t)(rd->view.part - 1))
				return r;
			continue;
		case READ_REDUCE:
			if (rd->holds[rd->seq / 64] & ((uint64_t)1 << (rd->seq % 64)))
				return r;
			continue;
		case READ_STATE:
		case READ_VERSIONS:
			if (rd->mode == READ_VERSIONS && rd->view.nparts == 0) {
				has_id(r, rd->idf);
				return r;
			}
			id = record_id(r, rd->idf);
			hash = id_hash(id->p, id->len);
			if (!in_part(rd, hash))
				continue;
			if (rd->mode == READ_STATE) {
				if (!rd->seen)
					rd->seen = calloc(1, sizeof *rd->seen);
				if (!rd->seen)
					die("out of memory");
				check_state_record(rd, r, id, hash);
			}
			return r;
		}
	}
	return NULL;
}

const char *
reader_note(struct reader *rd, int selected)
{
	rd->note.len = 0;
	switch (rd->mode) {
	case READ_PLAIN:
		return NULL;
	case READ_VERSIONS:
		return selected || rd->in.hdr.note ? versions_note : NULL;
	case READ_REDUCE:
	case READ_STATE:
		break;
	}
	buf_printf(&rd->note, "%s%s", state_note, rd->day);
	if (rd->view.nparts)
		buf_printf(&rd->note, " part %d/%d", rd->view.part,
		    rd->view.nparts);
	return buf_cstr(&rd->note);
}

const char *
reader_count_note(struct reader *rd)
{
	rd->note.len = 0;
	if (!rd->whole && rd->mode == READ_REDUCE)
		return piped_note;
	if (rd->view.nparts == 0)
		return NULL;
	buf_printf(&rd->note, "%s%d/%d", part_note, rd->view.part,
	    rd->view.nparts);
	return buf_cstr(&rd->note);
}

void
reader_close(struct reader *rd)
{
	input_close(&rd->in);
	if (rd->seen) {
		id_table_free(rd->seen);
		free(rd->seen);
	}
	free(rd->holds);
	buf_free(&rd->note);
}
