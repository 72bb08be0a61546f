/* reader.c: the one record loop.  A registry is a history; a program
 * sees its state on a day (by default today), or every version with
 * --history, and with --part K/N only the ids of one part.  See
 * dc-format(5), HISTORY and NOTES. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "record.h"

static const char state_note[] = "dc:state ";
static const char versions_note[] = "dc:versions";
static const char part_note[] = "dc:part ";
static const char piped_note[] = "dc:piped";

/* ---- the ids of a history: a compact table, no allocation per id ---- */

/* The table costs an id at most 48 bytes beyond its own text, at every
 * moment, however many versions an id has: a 24-byte entry, and 8-byte
 * slots at a load of 3/8 to 3/4 (11 to 21 bytes an id).  Nothing is
 * held twice for long: the entries, and the text of long ids, are kept
 * in blocks that never move (an array grown by realloc may be copied,
 * both copies resident for a moment), and the slots are split by hash
 * into 64 shards, each grown by doubling on its own: the old slots of
 * one shard, 1/64 of them, are held beside its new ones, and read in
 * order, as they are written, while the shard fits in the cache.  A
 * slot holds the id's hash beside the entry's index, so that a new id
 * costs one cache miss. */

/* An id's entry: the record that holds for it (its number and date),
 * and the id itself when it has up to 12 bytes (P000123, a CCCD), else
 * the address of its copy in a text block. */
struct id_entry {
	uint64_t held;                  /* seq << DAY_BITS | day_number */
	uint32_t len;
	char id[12];
};

enum {
	DAY_BITS = 22,                  /* day_number(date) < 1 << DAY_BITS */
	ENTRY_SHIFT = 14,               /* 16,384 entries (384 KB) a block */
	TEXT_BLOCK = 1 << 20,           /* bytes of long ids a block */
	SHARD_BITS = 6,                 /* the top bits of a slot hash */
	SHARD_MIN = 64,                 /* slots of a shard at first */
	SHARD_MAX = 1 << 25             /* so that 64 hold up to 2^31 */
};

/* Records are numbered in the bits above the day. */
static const uint64_t seq_limit = (uint64_t)1 << (64 - DAY_BITS);

struct id_slot {
	uint32_t entry;                 /* entry index + 1; 0 is empty */
	uint32_t hash;
};

struct id_shard {
	struct id_slot *slots;
	size_t nslots, n;
};

struct id_table {
	struct id_shard shards[1 << SHARD_BITS];
	size_t n;                       /* entries */
	struct id_entry **blocks;       /* of 1 << ENTRY_SHIFT entries */
	size_t nblocks;
	char **texts;                   /* the text blocks of long ids */
	size_t ntexts, text_room;       /* bytes left in the last one */
	char *text_at;                  /* where they start */
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

/* A date key (YYYYMMDD) as a number of 22 bits, in the same order:
 * (y * 13 + m) * 32 + d, under 1 << 22 for every year up to 9999. */
static uint32_t
day_number(uint32_t key)
{
	return (key / 10000 * 13 + key / 100 % 100) * 32 + key % 100;
}

static uint32_t
held_day(const struct id_entry *e)
{
	return (uint32_t)(e->held & (((uint64_t)1 << DAY_BITS) - 1));
}

static uint64_t
held_seq(const struct id_entry *e)
{
	return e->held >> DAY_BITS;
}

static struct id_entry *
entry_at(const struct id_table *t, size_t i)
{
	return &t->blocks[i >> ENTRY_SHIFT][i & (((size_t)1 << ENTRY_SHIFT) - 1)];
}

static const char *
entry_id(const struct id_entry *e)
{
	const char *p;

	if (e->len <= sizeof e->id)
		return e->id;
	memcpy(&p, e->id, sizeof p);
	return p;
}

static int
entry_is(const struct id_entry *e, const char *id, size_t len)
{
	return e->len == len && memcmp(entry_id(e), id, len) == 0;
}

/* A copy of a long id, in the last text block or a new one. */
static char *
text_copy(struct id_table *t, const char *id, size_t len)
{
	char *p;

	if (len > t->text_room) {
		size_t size = len > TEXT_BLOCK ? len : TEXT_BLOCK;

		t->texts = xrealloc(t->texts, sizeof *t->texts * (t->ntexts + 1));
		t->text_at = t->texts[t->ntexts++] = xmalloc(size);
		t->text_room = size;
	}
	p = t->text_at;
	memcpy(p, id, len);
	t->text_at += len;
	t->text_room -= len;
	return p;
}

static struct id_entry *
new_entry(struct id_table *t, const char *id, size_t len)
{
	size_t k = t->n & (((size_t)1 << ENTRY_SHIFT) - 1);
	struct id_entry *e;

	if (len > UINT32_MAX)
		die("an id of more than 4 GB");
	if (k == 0) {
		t->blocks = xrealloc(t->blocks, sizeof *t->blocks *
		    (t->nblocks + 1));
		t->blocks[t->nblocks++] = xmalloc(sizeof **t->blocks <<
		    ENTRY_SHIFT);
	}
	e = &t->blocks[t->nblocks - 1][k];
	e->held = 0;
	e->len = (uint32_t)len;
	if (len <= sizeof e->id) {
		memcpy(e->id, id, len);
	} else {
		char *copy = text_copy(t, id, len);

		memcpy(e->id, &copy, sizeof copy);
	}
	t->n++;
	return e;
}

static struct id_shard *
shard_of(struct id_table *t, uint32_t h)
{
	return &t->shards[h >> (32 - SHARD_BITS)];
}

/* A slot of slot hash h into the first free slot from its own. */
static void
place(struct id_shard *sh, struct id_slot slot)
{
	size_t mask = sh->nslots - 1, s;

	for (s = slot.hash & mask; sh->slots[s].entry; s = (s + 1) & mask)
		;
	sh->slots[s] = slot;
}

/* Twice the slots for one shard, filled from its old ones in order. */
static void
shard_grow(struct id_shard *sh)
{
	struct id_slot *old = sh->slots;
	size_t i, oldn = sh->nslots;

	sh->nslots = oldn ? 2 * oldn : SHARD_MIN;
	if (sh->nslots > SHARD_MAX)
		die("too many ids");
	sh->slots = calloc(sh->nslots, sizeof *sh->slots);
	if (!sh->slots)
		die("out of memory");
	for (i = 0; i < oldn; i++)
		if (old[i].entry)
			place(sh, old[i]);
	free(old);
}

/* The entry of id, added (held 0) when *created is set. */
static struct id_entry *
id_table_put(struct id_table *t, const char *id, size_t len, uint64_t hash,
    int *created)
{
	uint32_t h = slot_hash(hash);
	struct id_shard *sh = shard_of(t, h);
	size_t mask, s;
	struct id_entry *e;

	if (4 * (sh->n + 1) > 3 * sh->nslots)
		shard_grow(sh);
	mask = sh->nslots - 1;
	for (s = h & mask; sh->slots[s].entry; s = (s + 1) & mask) {
		if (sh->slots[s].hash != h)
			continue;
		e = entry_at(t, sh->slots[s].entry - 1);
		if (entry_is(e, id, len)) {
			*created = 0;
			return e;
		}
	}
	e = new_entry(t, id, len);
	sh->slots[s].entry = (uint32_t)t->n;
	sh->slots[s].hash = h;
	sh->n++;
	*created = 1;
	return e;
}

static void
id_table_free_slots(struct id_table *t)
{
	size_t i;

	for (i = 0; i < sizeof t->shards / sizeof t->shards[0]; i++) {
		free(t->shards[i].slots);
		memset(&t->shards[i], 0, sizeof t->shards[i]);
	}
}

static void
id_table_free(struct id_table *t)
{
	size_t i;

	id_table_free_slots(t);
	for (i = 0; i < t->nblocks; i++)
		free(t->blocks[i]);
	for (i = 0; i < t->ntexts; i++)
		free(t->texts[i]);
	free(t->blocks);
	free(t->texts);
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
record_date(struct record *r, const struct field *d)
{
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

/* Whether r may end its id, told from lengths alone, before any other
 * field is split: a record of the first reading has exactly nfields - 1
 * TABs (input_next saw to it), so when they, its id, its date and its
 * note do not make up its whole length, another field is not empty and
 * r ends nothing.  Only ever says no: on maybe, is_end_record decides. */
static int
may_end(const struct record *r, size_t idlen, size_t datelen, int notef)
{
	size_t known = (size_t)r->nfields - 1 + idlen + datelen, note = 0;

	if (r->bad || r->repeated_header || r->len <= known)
		return 1;
	if (notef < 0)
		return 0;
	if (notef != r->nfields - 1)
		return 1;               /* a note amid the fields: split them */
	while (note < r->len && r->line[r->len - 1 - note] != '\t')
		note++;
	return r->len - known <= note;
}

/* A record of the first reading waiting to be put in the table: the
 * slots of a batch are fetched from memory together, not one cache miss
 * after another. */
enum { BATCH = 16 };

struct pending {
	uint64_t hash, seq;
	uint32_t day;                   /* day_number of its date */
	int ends;
	size_t off, len;                /* the id, in short or the batch's
	                                 * text */
	char short_id[16];
};

struct batch {
	struct pending p[BATCH];
	int n;
	struct buf ids;                 /* copies: the reader's buffer moves */
};

/* A copy of the id: the reader's buffer may move before the batch is
 * put.  A short one in the batch's record, copied a byte at a time (a
 * call to memcpy costs more). */
static void
keep_id(struct batch *b, struct pending *p, const struct field *id)
{
	size_t i;

	if (id->len > sizeof p->short_id) {
		p->off = b->ids.len;
		buf_put(&b->ids, id->p, id->len);
		return;
	}
	for (i = 0; i < id->len; i++)
		p->short_id[i] = id->p[i];
}

static void
put_batch(struct id_table *t, struct batch *b, uint32_t day)
{
	int i;

#ifdef __GNUC__
	for (i = 0; i < b->n; i++) {
		uint32_t h = slot_hash(b->p[i].hash);
		const struct id_shard *sh = shard_of(t, h);

		if (sh->slots)
			__builtin_prefetch(&sh->slots[h & (sh->nslots - 1)]);
	}
#endif
	for (i = 0; i < b->n; i++) {
		struct pending *p = &b->p[i];
		int created;
		const char *id = p->len <= sizeof p->short_id ? p->short_id :
		    b->ids.p + p->off;
		struct id_entry *e = id_table_put(t, id, p->len,
		    p->hash, &created);

		if (!state_replaces(day, p->day, !created, held_day(e)))
			continue;
		/* An end record holds its day, and no record. */
		e->held = (p->ends ? 0 : p->seq << DAY_BITS) | p->day;
	}
	b->n = 0;
	b->ids.len = 0;
}

/* Mark the records that hold, by number.  The slots are freed first:
 * the bits are never held with them. */
static void
mark_holds(struct reader *rd, struct id_table *ids, uint64_t records)
{
	size_t i;

	id_table_free_slots(ids);
	rd->holds = calloc((size_t)(records / 64 + 1), sizeof *rd->holds);
	if (!rd->holds)
		die("out of memory");
	for (i = 0; i < ids->n; i++) {
		uint64_t seq = held_seq(entry_at(ids, i));

		if (seq)
			rd->holds[seq / 64] |= (uint64_t)1 << (seq % 64);
	}
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
	uint64_t seq = 0;
	uint32_t day = day_number(rd->daykey);

	b.n = 0;
	memset(&b.ids, 0, sizeof b.ids);
	while ((r = input_next(&rd->in))) {
		const struct field *id, *df;
		uint64_t hash;
		struct pending *p;
		uint32_t date;

		/* Both fields split in one go. */
		record_field(r, rd->datef > rd->idf ? rd->datef : rd->idf);
		id = record_id(r, rd->idf);
		df = record_field(r, rd->datef);
		hash = id_hash(id->p, id->len);
		if (++seq == seq_limit)
			die("%s: more than %" PRIu64 " records", rd->in.name,
			    seq_limit - 1);
		if (rd->splits_met < rd->nsplit)
			note_split(rd, r, seq);
		if (!in_part(rd, hash))
			continue;
		date = record_date(r, df);
		if (date > rd->daykey)
			continue;
		p = &b.p[b.n++];
		p->hash = hash;
		p->seq = seq;
		p->day = day_number(date);
		p->ends = may_end(r, id->len, df->len, rd->notef) &&
		    is_end_record(r, rd->idf, rd->datef, rd->notef);
		p->len = id->len;
		keep_id(&b, p, id);
		if (b.n == BATCH)
			put_batch(&ids, &b, day);
	}
	put_batch(&ids, &b, day);
	buf_free(&b.ids);
	mark_holds(rd, &ids, seq);
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

	if (record_date(r, record_field(r, rd->datef)) > rd->daykey)
		die_at(r->file, r->lineno, "a record dated after %s in the "
		    "state as of %s", rd->day, rd->day);
	id_table_put(rd->seen, id->p, id->len, hash, &created);
	if (!created)
		die_at(r->file, r->lineno, "a second record of one id in the "
		    "state as of %s", rd->day);
}

/* Which records the reader may pass over for lacking rd->want: not in
 * the first reading of a state (every record counts there), nor where a
 * record's id must be split out to be checked. */
static void
apply_want(struct reader *rd)
{
	rd->in.want = NULL;
	rd->in.want_first_field = 0;
	switch (rd->mode) {
	case READ_PLAIN:
		rd->in.want = rd->want;
		break;
	case READ_REDUCE:
		if (rd->holds)
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
reader_prepare(struct reader *rd)
{
	if (rd->mode == READ_REDUCE && !rd->holds) {
		find_state(rd);
		rd->whole = rd->in.spooled == 0;
		apply_want(rd);
	}
}

void
reader_want(struct reader *rd, struct needle *nd)
{
	rd->want = nd;
	apply_want(rd);
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
