/* registry.h: schemas and the write side of a registry */
#ifndef DC_REGISTRY_H
#define DC_REGISTRY_H

#include <sys/types.h>
#include "record.h"

/* ---- schema.c: registry schemas ---- */

enum ftype { T_TEXT, T_INT, T_DECIMAL, T_MONEY, T_DATE, T_ENUM, T_ID, T_CCCD };

struct schema_field {
	char *name;
	enum ftype type;
	int required;
	char **values;                  /* enum values; NULL-terminated */
	int nvalues;
	struct table valueset;          /* the enum values, to look up */
	char *prefix;                   /* id prefix, e.g. "P" */
	char *deflt;                    /* "" none, "today", "next", or literal */
	char *label;
};

struct schema {
	char *file;
	int n, cap;
	struct schema_field *f;
	struct table names;             /* name -> its index in f */
};

/* "dir/people.tsv" -> "dir/people.schema" (caller frees). */
char *schema_path_for(const char *registry);
/* The same with another suffix: ".journal", ".batches". */
char *sibling_path(const char *registry, const char *suffix);
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
/* The name of a type as schemas write it: "date", "enum"... */
const char *ftype_name(enum ftype t);
/* For a message about a name not found: the one of names[0..n) that
 * name most likely means (the same but for case or Vietnamese marks,
 * or one or two slips of the keyboard away), or NULL. */
const char *nearest_name(char *const *names, int n, const char *name);

/* ---- registry.c: the rules of a registry's ids (dc-add, dc-check) ---- */

/* A registry is a history of ids: one record per id and date (two on
 * one day leave that day's state undecided), and one id per cccd (a
 * national ID belongs to one person).  Both are kept here, for every
 * program that applies them. */
struct id_rules {
	struct table dates;             /* "id\tdate" -> struct first_date */
	struct table cccds;             /* cccd -> struct first_cccd */
	struct table others;            /* "cccd\tid" of another id -> count */
	struct buf ids;                 /* the ids first_cccd points into */
	struct buf key;
};
void rules_init(struct id_rules *ru);
void rules_free(struct id_rules *ru);
/* Note a record of id dated date, at line.  Returns how many records
 * the id has on that date, this one included (more than 1 breaks the
 * rule); the line of the first in *first. */
long rules_date(struct id_rules *ru, const char *id, size_t idlen,
    const char *date, size_t datelen, long line, long *first);
/* Note cccd under id, at line.  Returns 0 when the cccd is new or was
 * first recorded under id; else how many times it has now been met
 * under this other id (1: the first), with the id it was first recorded
 * under in *first_id and that line in *first. */
long rules_cccd(struct id_rules *ru, const char *cccd, size_t cccdlen,
    const char *id, size_t idlen, long line, struct field *first_id,
    long *first);

/* ---- registry.c: the write side of a registry (dc-add) ---- */


/* Append the whole of a small file (a schema, a journal) to b: 1, or 0
 * when it does not exist; dies when it cannot be read. */
int read_whole(const char *path, struct buf *b);

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
	size_t next;                    /* the id's record kept after it,
	                                 * + 1; 0 when none */
	int ended;                      /* it is an end record */
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
	int note_col;                   /* -1 when none */
	struct id_rules rules;          /* the ids, dates and cccds so far */
	struct field *split;            /* s->n fields, to split a kept line */
	struct table wanted;            /* by id: struct chain */
	struct kept *kept;              /* every record of the ids wanted */
	size_t nkept, keptcap;
	struct buf lines;               /* the lines kept points into */
};
/* fd: from registry_lock; its size is noted, where a failed append cuts
 * the file back to. */
void registry_init(struct registry *reg, const char *name, int fd,
    const struct schema *s);
/* Open for appending and take a write lock on the whole file, held
 * until exit; undo a batch that was cut off.  Returns the descriptor,
 * for registry_init. */
int registry_lock(const char *name);
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
/* The record of a wanted id that an update dated date carries over
 * from: its state that day (state_replaces: the newest record dated on
 * or before date, of several on that date the later line); date NULL:
 * the newest of all.  NULL when there is none: *known says whether id
 * has any record kept; *end is the end record (is_end_record) that is
 * its state that day, or NULL when it is not ended.
 * Valid until the next registry_keep. */
const struct kept *registry_asof(const struct registry *reg, const char *id,
    size_t idlen, const char *date, size_t datelen, int *known,
    const struct kept **end);
/* Keep line as the latest record of id, which was wanted. */
void registry_keep(struct registry *reg, const char *id, size_t idlen,
    const char *line, size_t len, const char *file, long lineno);
struct field kept_field(const struct registry *reg, const struct kept *k,
    int i);
/* Field i of a record line known to have it (one checked before). */
struct field line_field(const char *line, size_t len, int i);
/* All of b, all or nothing (commit_batch), logged under key. */
void registry_append(struct registry *reg, const struct batch *b,
    const char *key);
void registry_free(struct registry *reg);

/* ---- journal.c: batches all or nothing, and the batches log ---- */

/* fsync the directory holding path, so that a file's creation or
 * removal there survives a power cut.  -1 with errno on failure. */
int sync_dir(const char *path);
/* Holding the write lock on fd: undo a batch that was cut off, saying
 * so, and remove its journal. */
void registry_recover(const char *registry, int fd);
/* Holding the write lock: append text (records lines, size bytes being
 * there before) under a journal, log it under key, and commit; on any
 * failure undo it all and die saying so. */
void commit_batch(const char *registry, int fd, off_t size, const char *text,
    size_t len, size_t records, const char *key);

/* A batch the log holds. */
struct logged_batch {
	off_t start, bytes;             /* where it is in the registry */
	char time[40];                  /* when it was added */
	char sha256[65];
	long lineno;                    /* its line in the log */
	char *text;                     /* its lines (caller frees) */
	size_t len;
};
/* The newest batch logged under key: 1 when found and still in the
 * registry, in *lb; -1 when found but the registry no longer holds it
 * there; 0 when not logged. */
int registry_find_batch(const char *registry, int fd, const char *key,
    struct logged_batch *lb);

#endif
