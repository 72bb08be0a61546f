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

#endif
