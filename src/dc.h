/* dc.h: the shared core of dc-tools.  See dc-format(5). */
#ifndef DC_H
#define DC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DC_VERSION "0.1.0"

/* ---- util.c: errors, memory, growable buffers, buffered stdout ---- */

extern const char *progname;

void dc_setprog(const char *argv0);
void die(const char *fmt, ...);                  /* "prog: msg", exit 2 */
void die_at(const char *file, long line, const char *fmt, ...);
void warn(const char *fmt, ...);
void warn_at(const char *file, long line, const char *fmt, ...);
void print_version(void);                       /* "prog (dc-tools) 0.1.0" */

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

struct buf {
	char *p;
	size_t len, cap;
};
void buf_grow(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *p, size_t n);
/* Inline: text filters append a byte at a time. */
static inline void
buf_putc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->p[b->len++] = c;
}
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* A value short enough to quote in a message (a 1 MB field must not make
 * a 1 MB line): cut at 60 bytes on a character boundary, "..." added.
 * Returns b's text. */
const char *quote_value(const char *p, size_t n, struct buf *b);
const char *buf_cstr(struct buf *b);            /* NUL-terminates, returns p */
/* Append items joined by ", ", as messages list fields and values. */
void buf_join(struct buf *b, char *const *items, int n);
void buf_free(struct buf *b);

/* Buffered standard output: write(2) in large blocks, die on error. */
void out_write(const void *p, size_t n);
void out_putc(char c);
void out_puts(const char *s);
void out_flush(void);

/* ---- escape.c: field escapes \t \n \r \\ ---- */

/* Append the unescaped value of a raw field to b. */
void unescape(const char *p, size_t n, struct buf *b);
/* Append raw (escaped) form of a value to b. */
void escape(const char *p, size_t n, struct buf *b);
void out_escaped(const char *p, size_t n);

/* ---- record.c: reading record files ---- */

struct field {
	const char *p;                  /* raw (escaped) bytes */
	size_t len;
};

struct header {
	int n;
	char **names;                   /* NUL-terminated copies */
	char *line;                     /* the header line, no newline */
	size_t linelen;
};

struct record {
	const char *line;               /* raw line without newline/CR */
	size_t len;
	const char *file;               /* name for messages */
	long lineno;
	const char *bad;                /* with input.keep_bad: what is wrong */
	int nfields;                    /* from the header */
	int nsplit;                     /* fields split so far */
	struct field *fields;           /* valid up to nsplit */
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
	size_t checked;                 /* bytes before this are valid UTF-8 */
	size_t bad_at;                  /* where bad_why was found */
	const char *bad_why;
	int eof;
	long lineno;
	/* keep_bad 1: return bad records (rec.bad set) instead of dying,
	 * and skip with a warning a file that cannot be opened or whose
	 * header is unusable.  2: the same, but a header's problem is not
	 * warned about: header_problem and header_line hold it (for the
	 * last such file) for the caller to report, as dc-check does. */
	int keep_bad;
	int unreadable;                 /* with keep_bad: files not opened */
	const char *header_problem;
	long header_line;
	int had_header;                 /* header of the first file read */
	struct header hdr;
	struct record rec;              /* storage reused for every record */
};

/* Open the inputs; "-" or no file is standard input.  Reads the first
 * header.  Dies (exit 2) on a bad header, unless keep_bad. */
void input_open(struct input *in, int nfiles, char **files, int keep_bad);
/* Read one open descriptor from where it stands (the caller keeps and
 * closes it: dc-add reads the registry it holds locked).  name is for
 * messages.  Takes no lock. */
void input_open_fd(struct input *in, int fd, const char *name, int keep_bad);
/* Next record, or NULL at the end of all inputs. */
struct record *input_next(struct input *in);
void input_close(struct input *in);

int header_index(const struct header *h, const char *name);  /* -1 if none */
/* Like header_index but dies listing the fields when name is unknown. */
int header_need(const struct header *h, const char *name);
void header_write(const struct header *h);

/* Field i of r, splitting lazily: only as far as needed. */
const struct field *record_field(struct record *r, int i);
void record_write(const struct record *r);


/* ---- text.c: UTF-8 and Vietnamese text ---- */

/* Returns 1 when p[0..n) is valid UTF-8 with no NUL; else 0 and the
 * byte offset of the first problem in *bad and its kind in *why. */
int utf8_check(const char *p, size_t n, size_t *bad, const char **why);
/* Decode one code point; returns bytes used (>=1).  Input is valid. */
size_t utf8_decode(const char *p, size_t n, uint32_t *cp);
void utf8_encode(uint32_t cp, struct buf *b);

/* Accent- and case-insensitive form, as Vietnamese users type:
 * "Ngọc Lũ" and its NFD form both fold to "ngoc lu"; đ folds to d. */
void vn_fold(const char *p, size_t n, struct buf *b);
/* A byte string whose memcmp order is Vietnamese alphabetical order. */
void vn_sortkey(const char *p, size_t n, struct buf *b);
/* Case mapping for Vietnamese letters (precomposed and ASCII). */
void vn_upper(const char *p, size_t n, struct buf *b);
void vn_lower(const char *p, size_t n, struct buf *b);
void vn_capitalize(const char *p, size_t n, struct buf *b);
/* Compose Vietnamese letters typed as base letter plus combining marks
 * (NFD) into the precomposed letters of NFC; other text is left as it
 * is.  Input must be valid UTF-8. */
void vn_nfc(const char *p, size_t n, struct buf *b);
/* Terminal columns: combining marks take none. */
size_t display_width(const char *p, size_t n);

/* ---- number.c: exact numbers, dates, Vietnamese number words ---- */

/* NUM_PRECISION: a sum within int64 range whose decimals int64 cannot
 * hold all of (12345678901 + 0.000000000000000001). */
enum { NUM_OK = 0, NUM_SYNTAX = -1, NUM_RANGE = -2, NUM_PRECISION = -3 };

/* Optional '-', then digits only.  */
int parse_int64(const char *p, size_t n, int64_t *v);
int add_int64(int64_t *acc, int64_t v);          /* NUM_RANGE on overflow */

/* Exact decimal: value = units / 10^scale, scale 0..18.  parse_decimal
 * drops trailing fraction zeros: "12.100" is 121 at scale 1. */
struct decimal {
	int64_t units;
	int scale;
};
int parse_decimal(const char *p, size_t n, struct decimal *d);
/* NUM_RANGE when the whole part overflows, else NUM_PRECISION. */
int decimal_add(struct decimal *acc, struct decimal v);
void decimal_format(struct decimal d, struct buf *b);    /* "12.243" */

/* Share part/whole in percent, one decimal, half away from zero: "68.2". */
void percent_format(int64_t part, int64_t whole, struct buf *b);

/* 1530 -> "1.530"; accepts an optional '-' and a fraction ("12.5" ->
 * "12,5"); the thousand separator is '.', the decimal one ','.  Leading
 * zeros go ("0007" -> "7") and zero has no sign ("-0" -> "0"). */
void vn_number(const char *p, size_t n, struct buf *b);
/* Vietnamese words for v: 21 -> "hai mươi mốt". */
void number_words(int64_t v, struct buf *b);

/* Compare two numbers of any length exactly (-1, 0, 1 in *result);
 * returns 0 when either is not a number ("-"? digits ["." digits]). */
int number_cmp(const char *a, size_t an, const char *b, size_t bn, int *result);

/* YYYY-MM-DD, a real calendar date. */
int parse_date(const char *p, size_t n, int *y, int *m, int *d);
void today(char out[11]);                       /* local date, YYYY-MM-DD */

/* ---- asof.c: the state of a history on one day ---- */

/* Read all of in (which must have fields id and date, else die listing
 * the fields) and call fn for the newest record of each id dated on or
 * before day (on equal dates the later line wins), in input order.
 * Returns how many calls returned non-zero. */
long asof_each(struct input *in, const char *day,
    int (*fn)(struct record *r, void *ctx), void *ctx);
/* The index of the id field; dies unless h has fields id and date. */
int asof_fields(const struct header *h);
/* Die unless day is a real YYYY-MM-DD date (for --asof). */
void asof_check_day(const char *day);

/* ---- table.c: hash tables keyed by byte strings ---- */

/* Open addressing; entries keep insertion order and stable indices, so a
 * caller holds indices, never pointers, across insertions.  Keys and
 * values live in a few large arrays: no allocation per entry. */
struct table_entry {
	size_t key, len;                /* offset and length in keys */
	uint64_t hash;
};

struct table {
	size_t n, nslots, entcap, valsize;
	size_t *slots;                  /* entry index + 1; 0 is empty */
	struct table_entry *entries;
	char *values;                   /* n * valsize bytes, zeroed on insert */
	struct buf keys;
};

void table_init(struct table *t, size_t valsize);
/* Index of key's entry, inserting it (value zeroed) when absent. */
size_t table_put(struct table *t, const char *key, size_t len, int *created);
long table_find(const struct table *t, const char *key, size_t len);
const char *table_key(const struct table *t, size_t i, size_t *len);
void *table_value(const struct table *t, size_t i);
void table_free(struct table *t);

/* ---- schema.c: registry schemas ---- */

enum ftype { T_TEXT, T_INT, T_DECIMAL, T_MONEY, T_DATE, T_ENUM, T_ID, T_CCCD };

struct schema_field {
	char *name;
	enum ftype type;
	int required;
	char **values;                  /* enum values; NULL-terminated */
	int nvalues;
	char *prefix;                   /* id prefix, e.g. "P" */
	char *deflt;                    /* "" none, "today", "next", or literal */
	char *label;
};

struct schema {
	char *file;
	int n;
	struct schema_field *f;
};

/* "dir/people.tsv" -> "dir/people.schema" (caller frees). */
char *schema_path_for(const char *registry);
void schema_load(const char *path, struct schema *s);    /* dies on error */
/* Schema for a registry: explicit path, or the one beside it. Returns 0
 * when there is none (and no explicit path was given). */
int schema_find(const char *registry, const char *explicit_path, struct schema *s);
int schema_index(const struct schema *s, const char *name);
/* NULL when the unescaped value v is valid for f, else a description
 * such as "is not a date" (static storage). Empty v is valid here;
 * required fields are checked by the caller. */
const char *value_problem(const struct schema_field *f, const char *v, size_t n);
void schema_free(struct schema *s);
/* Append the schema's field names joined by ", ", for messages. */
void schema_names(const struct schema *s, struct buf *b);

/* ---- registry.c: the write side of a registry (dc-add) ---- */

/* Write all of p, looping on short writes; -1 with errno on failure. */
int write_all(int fd, const char *p, size_t n);

/* A field whose default is "next": the next id of its prefix. */
int is_next_id(const struct schema_field *f);

/* Create registry (O_EXCL, mode 0600) holding only the header of s; with
 * schema_path, copy that schema beside it unless the same one is there.
 * Dies, leaving nothing behind, on any error. */
void registry_create(const char *registry, const struct schema *s,
    const char *schema_path);

/* Records to append, nf raw (escaped) values each, back to back in one
 * buffer: a bulk import of 100,000 records makes a few allocations. */
struct text_span {
	size_t off, len;                /* in text */
};
struct batch {
	int nf;
	size_t n, cap;
	struct buf text;
	struct text_span *vals;         /* value i of record r: vals[r * nf + i] */
	long *lineno;                   /* where record r was read */
};
void batch_init(struct batch *b, int nf);
/* A new record, every value empty; returns its index. */
size_t batch_add(struct batch *b, long lineno);
struct text_span *batch_span(const struct batch *b, size_t r, int i);
/* Point sp at v, escaped, at the end of the batch's text. */
void batch_set(struct batch *b, struct text_span *sp, const char *v, size_t n);
struct field batch_value(const struct batch *b, size_t r, int i);
/* Append record r as a line, without the newline. */
void batch_line(const struct batch *b, size_t r, struct buf *out);
void batch_move(struct batch *b, size_t to, size_t from);
void batch_free(struct batch *b);

/* A record of an id an update may carry fields over from. */
struct kept {
	size_t off, len;                /* its line, in registry.lines */
	size_t date, datelen;           /* its date, also there */
	const char *file;
	long lineno;
	size_t prev;                    /* the id's record kept before it,
	                                 * + 1; 0 when none */
};

/* A registry being added to, and what it and the batch hold so far. */
struct registry {
	const char *name;
	const struct schema *s;
	int id_col, date_col, cccd_col; /* -1 when the schema has none */
	int fd;                         /* from registry_lock */
	off_t size;                     /* when locked: where a failed append
	                                 * cuts the file back to */
	int64_t *top;                   /* largest number of each 'next' field */
	struct table pairs;             /* "id\tdate" */
	struct table ids;
	struct table cccds;             /* value: index into ids */
	struct table wanted;            /* by id: its last record kept, + 1 */
	struct kept *kept;              /* every record of the ids wanted */
	size_t nkept, keptcap;
	struct buf lines;               /* the lines kept points into */
	struct buf key;
};
void registry_init(struct registry *reg, const char *name, const struct schema *s);
/* Open for appending and take a write lock on the whole file, held
 * until exit; note its size. */
void registry_lock(struct registry *reg);
/* Ask registry_scan to keep every record of id. */
void registry_want(struct registry *reg, const char *id, size_t len);
/* Read the locked registry through input_open_fd: its header must be
 * the schema's and every line whole, else die.  Notes each record as
 * the functions below do. */
void registry_scan(struct registry *reg);
/* Note the numbers of the ids of the 'next' fields of every record of b. */
void registry_note_batch(struct registry *reg, const struct batch *b);
/* Give record r of b the next ids its 'next' fields lack. */
void registry_fill_next(struct registry *reg, struct batch *b, size_t r);
/* Remember a record's (id, date) and, when given, its cccd's id. */
void registry_remember(struct registry *reg, const struct field *id,
    const struct field *date, const struct field *cccd);
/* Whether id already has a record dated date. */
int registry_has_record(struct registry *reg, const struct field *id,
    const struct field *date);
/* 1 and the id the cccd is recorded under in *id, or 0 when it is not. */
int registry_cccd_id(const struct registry *reg, const struct field *cccd,
    struct field *id);
/* The record of a wanted id that an update dated date carries over
 * from: its state that day, the newest record dated on or before date,
 * of several on that date the later line (as dc-grep --asof); date
 * NULL: the newest of all.  NULL when there is none; *known says
 * whether id has any record kept.
 * Valid until the next registry_keep. */
const struct kept *registry_asof(const struct registry *reg, const char *id,
    size_t idlen, const char *date, size_t datelen, int *known);
/* Keep line as the latest record of id, which was wanted. */
void registry_keep(struct registry *reg, const char *id, size_t idlen,
    const char *line, size_t len, const char *file, long lineno);
struct field kept_field(const struct registry *reg, const struct kept *k,
    int i);
/* All of b in one write with fsync; on failure cut the file back to
 * its size when locked, then die. */
void registry_append(struct registry *reg, const struct batch *b);
void registry_free(struct registry *reg);

/* ---- group.c: grouping records (dc-count, dc-budget) ---- */

/* Resolve "a,b,c" against h (dying on an unknown or empty name),
 * appending the indices to *idx after its first n; returns the count. */
int field_list(const struct header *h, const char *list, int **idx, int n);
/* Append the canonical raw form of a raw field: one spelling a value. */
void field_canonical(const char *p, size_t n, struct buf *b);
/* key = canonical raw values of fields idx[0..n) of r joined by TAB. */
void group_key(struct record *r, const int *idx, int n, struct buf *key);
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

/* ---- grid.c: aligned plain-text tables (dc-fmt --table) ---- */

/* Cells are added row by row, the first row being the column labels.
 * grid_write pads each column to its widest cell in terminal columns,
 * two spaces apart, with a rule of '-' under the labels; numbers, and
 * the label of a column of numbers only, go to the right. */
struct grid {
	struct buf text;                /* all cells, one after another */
	size_t *start;                  /* cell i: text[start[i] .. start[i+1]) */
	size_t ncells, cap;
	int ncols;
};
void grid_init(struct grid *g, int ncols);
/* The next cell, as shown: a TAB, CR or newline in it becomes a space. */
void grid_add(struct grid *g, const char *p, size_t n);
void grid_write(const struct grid *g);
void grid_free(struct grid *g);

#endif
