/* record.h: record files: escapes, the reader, the state of a history, groups */
#ifndef DC_RECORD_H
#define DC_RECORD_H

#include "util.h"

/* ---- escape.c: field escapes \t \n \r \\ ---- */

/* Append the unescaped value of a raw field to b. */
void unescape(const char *p, size_t n, struct buf *b);
/* Append raw (escaped) form of a value to b. */
void escape(const char *p, size_t n, struct buf *b);
void out_escaped(const char *p, size_t n);

/* ---- record.c: reading record files ---- */

/* The reader reads a file in blocks of at least this many bytes (128
 * KiB); the reader's fuzz target makes it small, so that blocks end
 * everywhere in a line. */
extern size_t read_size;

/* The lines of a block, found in one pass (scan.c). */
struct line_index {
	size_t *end;                    /* each line's newline, from base */
	size_t *tabs;                   /* the TABs each holds */
	unsigned char *escaped;         /* whether it holds a backslash */
	size_t n, next, cap;            /* lines, the next to read, room */
	size_t base;                    /* where the block starts */
	size_t bytes;                   /* how long it is */
	unsigned long block;            /* its number */
};

/* Index the lines of p[0..n), which ends with a newline: where each
 * ends and how many TABs it holds, as many as ix has room for, and check
 * their bytes.  Returns the bytes indexed; *bad is the offset of the
 * first byte that is not UTF-8 or is NUL, in the last line indexed, or
 * (size_t)-1. */
size_t scan_lines(const char *p, size_t n, struct line_index *ix,
    size_t *bad);

/* The first place of needle (m bytes) in p[0..n), or NULL (scan.c). */
const char *bytes_find(const char *p, size_t n, const char *needle,
    size_t m);

/* Bytes looked for in the lines of blocks (a selection's, select.c;
 * the reader's, reader_want), and where they were last found: the
 * search runs on through the rest of a line's block, so that each byte
 * of a block is searched once, not once a line.  p and len are the
 * bytes, which hold no newline; the rest starts zero. */
struct needle {
	const char *p;
	size_t len;
	unsigned long block;            /* the block searched, */
	const char *from;               /* from here on: */
	const char *hit;                /* the first place found, or NULL */
};
/* Whether the line [line, line + len) holds the needle; the line is of
 * block number block, whose bytes end at block_end (NULL: unknown, the
 * line alone is searched). */
int needle_in(struct needle *nd, const char *line, size_t len,
    const char *block_end, unsigned long block);

struct field {
	const char *p;                  /* raw (escaped) bytes */
	size_t len;
};

/* A header may end with a note after its names: a TAB, '#', and text
 * (dc-format(5), NOTES), such as "dc:state 2024-12-14". */
struct header {
	int n;
	char **names;                   /* NUL-terminated copies */
	char *line;                     /* the header line, no newline */
	size_t linelen;
	size_t namelen;                 /* of its names, without the note */
	char *note;                     /* the note after '#', or NULL */
};

struct record {
	const char *line;               /* raw line without newline/CR */
	size_t len;
	const char *file;               /* name for messages */
	long lineno;
	const char *bad;                /* with input.keep_bad: what is wrong */
	int nfields;                    /* from the header */
	int nsplit;                     /* fields passed so far */
	int split_from;                 /* fields[split_from..nsplit) are
	                                 * split; those before may not be */
	struct field *fields;
	int repeated_header;            /* with input.repeated_headers */
	int plain;                      /* the line holds no backslash: each
	                                 * field's raw bytes are its only
	                                 * spelling (0: it may hold one) */
	/* The whole lines read with this one, so that a search may run on
	 * past it (select.c): they end at block_end, and block names them
	 * uniquely in the process.  block_end is NULL for a record made
	 * otherwise. */
	const char *block_end;
	unsigned long block;
};

/* What a reader does with a bad record or header. */
enum keep_bad {
	BAD_DIE,                        /* die with FILE:LINE: what is wrong */
	BAD_KEEP,                       /* return bad records (rec.bad set),
	                                 * skip with a warning a file that
	                                 * cannot be opened or whose header is
	                                 * unusable */
	BAD_KEEP_QUIET                  /* the same, but a header's problem is
	                                 * not warned about: header_problem and
	                                 * header_line hold it (for the last
	                                 * such file), as dc-check reports it */
};

/* A file read twice (the state of a history, reader.c): where its
 * descriptor stood and how many bytes the first reading took. */
struct kept_file {
	int fd;
	off_t start, length;
};

/* What a leftover journal says (dc-format(5), BATCHES). */
struct journal_info {
	off_t length;                   /* the registry's, before the batch */
	off_t log_length;               /* the batches log's */
	off_t bytes;                    /* the batch's */
	char sha256[65];                /* of the batch */
};

struct input {
	char **files;                   /* NULL-terminated; empty = stdin */
	int nfiles, fileidx;
	const char *name;               /* current file as shown in messages */
	int fd;
	int borrowed_fd;                /* input_open_fd: never closed here */
	char *name_storage[2];
	char *buf;
	size_t cap, pos, end;
	size_t nl_free;                 /* bytes before this hold no newline */
	struct line_index lines;        /* the whole lines after pos */
	size_t bad_at;                  /* where bad_why was found */
	const char *bad_why;
	int eof;
	long lineno;
	enum keep_bad keep_bad;
	int unreadable;                 /* with keep_bad: files not opened */
	const char *header_problem;
	long header_line;
	int had_header;                 /* header of the first file read */
	struct header hdr;
	char *file_note;                /* the note of this file's header */
	struct record rec;              /* storage reused for every record */
	int repeated_headers;           /* return a header line met again as
	                                 * a record with repeated_header set
	                                 * (dc-count --merge); else it is bad */
	/* Reading the inputs twice (input_keep, input_rewind). */
	int keep;                       /* first reading: keep every file */
	int replay;                     /* second reading */
	int trusted;                    /* the first reading checked every
	                                 * byte: the second does not again */
	struct kept_file *kept;         /* per file */
	int spool_fd;                   /* first reading of a pipe: the
	                                 * temporary copy being written */
	off_t file_bytes;               /* read so far from this file */
	off_t length;                   /* > 0: bytes of each file to read */
	off_t file_limit;               /* >= 0: bytes of this one to read */
	int journal;                    /* this one's journal_read answer */
	struct journal_info cut;        /* what its journal says */
	int spooled;                    /* pipes copied so far */
	/* Lines that lack these bytes may be passed over (reader_want):
	 * each still checked, counted in skipped. */
	struct needle *want;
	int want_first_field;           /* and must have a first field */
	uint64_t skipped;               /* since the last record */
};

/* Open the inputs; "-" or no file is standard input.  Reads the first
 * header.  Dies (exit 2) on a bad header, unless keep_bad. */
void input_open(struct input *in, int nfiles, char **files,
    enum keep_bad keep_bad);
/* Like input_open, but keep every file to be read again by
 * input_rewind: a file keeps its descriptor (and lock), a pipe is copied
 * as it is read to a temporary file (mode 0600, under TMPDIR, removed
 * at once).  length > 0: read only the first length bytes of each file
 * (what a registry held when a report began: dc-report). */
void input_open_kept(struct input *in, int nfiles, char **files, off_t length);
/* Stop keeping: the inputs will be read once (called after the first
 * header, when the caller sees it needs one reading). */
void input_unkeep(struct input *in);
/* After input_next returned NULL on an input_open_kept input: read the
 * same bytes again, from the first header on, without checking them
 * again.  Dies if a file is shorter than it was. */
void input_rewind(struct input *in);
/* Read one open descriptor from where it stands (the caller keeps and
 * closes it: dc-add reads the registry it holds locked).  name is for
 * messages.  Takes no lock. */
void input_open_fd(struct input *in, int fd, const char *name,
    enum keep_bad keep_bad);
/* Next record, or NULL at the end of all inputs. */
struct record *input_next(struct input *in);
void input_close(struct input *in);
/* From now on read only the records in bytes [start, end) of the
 * current file, a regular file named by its path, through a descriptor
 * of its own (a worker of -j N: parallel.c); line numbers count from
 * there.  -1 when the path no longer names the file. */
int input_range(struct input *in, off_t start, off_t end);

/* ---- journal.c: locks, and what a registry holds for sure ---- */

/* Lock the whole of fd (F_RDLCK to read, F_WRLCK to add), waiting while
 * another process holds it: after a second, say which; no longer than
 * DC_WAIT seconds when set, then die.  -1 when fd cannot be locked (a
 * pipe): there is nothing to wait for. */
int lock_file(int fd, const char *name, int type);
/* 0: no journal beside registry; 1: a complete one, in *j: a batch was
 * cut off after length; -1: one cut short itself, which was still being
 * written: the registry holds nothing of its batch. */
int journal_read(const char *registry, struct journal_info *j);
/* The bytes of the registry at path (size bytes now, read under the
 * shared lock) that are committed: all of them, or those before a batch
 * that was cut off (its journal is still there), saying so unless
 * quiet.  *journal: journal_read's answer, in *j. */
off_t committed_length(const char *path, off_t size, int quiet, int *journal,
    struct journal_info *j);

/* Whether p[0..n) can name a field: [a-z][a-z0-9_]* (headers, schemas). */
int field_name_ok(const char *p, size_t n);
int header_index(const struct header *h, const char *name);  /* -1 if none */
/* Like header_index but dies listing the fields when name is unknown. */
int header_need(const struct header *h, const char *name);
/* Write h's names and, when not NULL, the note note. */
void header_write(const struct header *h, const char *note);
/* Write "\t#note" (nothing when note is NULL): a header's note. */
void out_note(const char *note);
/* The note of a header line (NULL when none), in b. */
const char *line_note(const char *line, size_t len, struct buf *b);

/* Fields lo..hi of r split, lazily: only as far as needed, and those
 * before lo passed over when none is split yet (a program that needs
 * several fields asks for them together first). */
void record_fields(struct record *r, int lo, int hi);
/* The same, never passing over a field (record_field's slow path). */
void record_split(struct record *r, int lo, int hi);
/* Field i of r: a program that asks for them one by one, in any order,
 * has every field up to i split. */
static inline const struct field *
record_field(struct record *r, int i)
{
	if (i < r->split_from || i >= r->nsplit)
		record_split(r, i, i);
	return &r->fields[i];
}
void record_write(const struct record *r);


/* ---- reader.c: the one record loop, and the rules of a history ---- */

/* What a program is to see of a history (see dc-format(5), HISTORY). */
struct view {
	const char *asof;               /* NULL: today (DC_TODAY, TZ) */
	int history;                    /* every version */
	int part, nparts;               /* --part K/N; nparts 0: all */
	off_t length;                   /* > 0: the file's first bytes only */
};
/* The long options every reader takes (--asof, --history, --part):
 * their getopt_long values. */
enum { VIEW_ASOF = 0x100, VIEW_HISTORY, VIEW_PART };
/* Their lines for --help. */
extern const char view_usage[];
/* Take option opt (with its argument); 0 when it is not one of them. */
int view_option(struct view *v, int opt, const char *arg);

enum read_mode {
	READ_PLAIN,                     /* not a history: every record */
	READ_REDUCE,                    /* a history, read twice for its state */
	READ_STATE,                     /* a state (its note says so) */
	READ_VERSIONS                   /* every version, as asked */
};

struct id_table;

struct reader {
	struct input in;
	struct view view;
	enum read_mode mode;
	const char *day;                /* the state's day */
	uint32_t daykey;
	char state_day[11], today[11];
	int idf, datef, notef;          /* fields id, date, note, or -1 */
	int whole;                      /* 0: a history from a pipe, which
	                                 * may be a part of one */
	uint64_t seq;                   /* records read */
	uint64_t *holds;                /* READ_REDUCE: bit per record */
	struct id_table *seen;          /* READ_STATE: ids met */
	struct needle *want;            /* reader_want */
	/* -j N (parallel.c): the first reading of a history replaces each
	 * offset split_at[k] by the start of the first record at or after
	 * it, and says in split_seq[k] how many records are before. */
	off_t *split_at;
	uint64_t *split_seq;
	int nsplit, splits_met;
	struct buf note;
};

/* Open the inputs (as input_open) and get ready to hand out the records
 * v asks for; dies on a history the view cannot be taken of. */
void reader_open(struct reader *rd, int nfiles, char **files,
    const struct view *v);
/* The first reading of a history, when the program is ready for it
 * (it has checked its arguments against the header): a program that
 * writes as it reads calls it before its first output, so that a bad
 * record is found before anything is written.  reader_next calls it
 * when it was not. */
void reader_prepare(struct reader *rd);
/* The next record to see, in input order, or NULL at the end. */
struct record *reader_next(struct reader *rd);
/* The caller wants only records whose line holds nd's bytes (dc-grep,
 * when every selected line holds them): reader_next may pass over the
 * others, which are checked all the same.  NULL: every record. */
void reader_want(struct reader *rd, struct needle *nd);
/* The note for a program's output of the records it saw, selected when
 * it kept only some of them (dc-grep): NULL, "dc:state DAY" or
 * "dc:versions". */
const char *reader_note(struct reader *rd, int selected);
/* The note for counts of the records seen: NULL, "dc:part K/N", or
 * "dc:piped" (counts of a history read from a pipe, which may have been
 * cut apart: dc-count --merge refuses them). */
const char *reader_count_note(struct reader *rd);
void reader_close(struct reader *rd);

/* The rules of a history, for every program that applies them. */
/* Hash of an id, as --part K/N uses it. */
uint64_t id_hash(const char *p, size_t n);
/* A date as YYYYMMDD (0 when p is not a date). */
uint32_t date_key(const char *p, size_t n);
/* Whether a record dated date, read after the one held (if held) of
 * its id, dated held_date, is the id's state as of day instead. */
int state_replaces(uint32_t day, uint32_t date, int held, uint32_t held_date);
/* Whether r ends its id: every field but id, date and note (-1 when
 * there is none) is empty, and there is such a field. */
int is_end_record(struct record *r, int idf, int datef, int notef);

/* ---- group.c: grouping records (dc-count, dc-budget) ---- */

/* Resolve "a,b,c" against h (dying on an unknown or empty name),
 * appending the indices to *idx after its first n; returns the count. */
int field_list(const struct header *h, const char *list, int **idx, int n);
/* Append the canonical raw form of a raw field: one spelling a value. */
void field_canonical(const char *p, size_t n, struct buf *b);
/* The same of field f of r, told at once when r's line is plain. */
void record_canonical(const struct record *r, const struct field *f,
    struct buf *b);
/* Widen first..last (field indices; last -1: none yet) to hold field
 * i: the span a program asks record_fields for. */
void field_span(int *first, int *last, int i);
/* The canonical raw values of fields idx[0..n) of r joined by TAB: the
 * span of the line that holds them when it is that already, else made
 * in key; *len its length.  Valid while r and key are. */
const char *group_key(struct record *r, const int *idx, int n,
    struct buf *key, size_t *len);
/* Entry indices of t (keys made by group_key of nfields fields) in
 * order, field by field: empty values, then integers by value, then
 * text in Vietnamese alphabetical order.  Caller frees. */
size_t *group_order(const struct table *t, int nfields);
/* Stable sort of indices; cmp gets ctx and two elements of v. */
void sort_stable(size_t *v, size_t n, int (*cmp)(const void *, size_t, size_t),
    const void *ctx);
void out_int64(int64_t v);
/* Die when two names of an output header are equal. */
void header_check_unique(char **names, int n);

#endif
