/* table.c: string-keyed hash tables for groups, ids and other sets. */
#include <stdlib.h>
#include <string.h>

#include "util.h"

void
table_init(struct table *t, size_t valsize)
{
	memset(t, 0, sizeof *t);
	t->valsize = valsize;
}

/* Eight bytes a step, each mixed in with a multiply and a shift: group
 * keys are hashed once per record, so a byte-at-a-time hash shows.  The
 * last bytes of a key of 8 or more are its last 8, loaded at once (they
 * may overlap the step before): no loop over the tail. */
static uint64_t
load8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

static uint64_t
hash_bytes(const char *p, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n, w = 0;
	size_t i;

	if (n >= 8) {
		for (i = 0; n - i > 8; i += 8) {
			h = (h ^ load8(p + i)) * 0xFF51AFD7ED558CCDULL;
			h ^= h >> 32;
		}
		w = load8(p + n - 8);
	} else {
		for (i = 0; i < n; i++)
			w |= (uint64_t)(unsigned char)p[i] << (8 * i);
	}
	h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
	return h ^ (h >> 29);
}

/* Keys are short (a few fields): compared here, 8 bytes a step, not by
 * a call. */
static int
same_bytes(const char *a, const char *b, size_t n)
{
	size_t i;

	if (n >= 8) {
		for (i = 0; n - i > 8; i += 8)
			if (load8(a + i) != load8(b + i))
				return 0;
		return load8(a + n - 8) == load8(b + n - 8);
	}
	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static size_t
probe(const struct table *t, const char *key, size_t len, uint64_t h)
{
	size_t mask = t->nslots - 1, i = (size_t)h & mask;

	for (;; i = (i + 1) & mask) {
		const struct table_entry *e;

		if (t->slots[i] == 0)
			return i;
		e = &t->entries[t->slots[i] - 1];
		if (e->hash == h && e->len == len &&
		    same_bytes(t->keys.p + e->key, key, len))
			return i;
	}
}

static void
rehash(struct table *t)
{
	size_t i, mask;

	t->nslots = t->nslots ? t->nslots * 2 : 64;
	free(t->slots);
	t->slots = calloc(t->nslots, sizeof *t->slots);
	if (!t->slots)
		die("out of memory");
	mask = t->nslots - 1;
	for (i = 0; i < t->n; i++) {
		size_t s = (size_t)t->entries[i].hash & mask;

		while (t->slots[s])
			s = (s + 1) & mask;
		t->slots[s] = i + 1;
	}
}

long
table_find(const struct table *t, const char *key, size_t len)
{
	size_t s;

	if (t->n == 0)
		return -1;
	s = probe(t, key, len, hash_bytes(key, len));
	return t->slots[s] ? (long)t->slots[s] - 1 : -1;
}

size_t
table_put(struct table *t, const char *key, size_t len, int *created)
{
	uint64_t h = hash_bytes(key, len);
	struct table_entry *e;
	size_t s;

	/* Keep the load under one half: probes stay short. */
	if (2 * (t->n + 1) > t->nslots)
		rehash(t);
	s = probe(t, key, len, h);
	if (created)
		*created = t->slots[s] == 0;
	if (t->slots[s])
		return t->slots[s] - 1;
	if (t->n == t->entcap) {
		t->entcap = t->entcap ? 2 * t->entcap : 64;
		t->entries = xrealloc(t->entries, t->entcap * sizeof *t->entries);
		t->values = xrealloc(t->values, t->entcap * (t->valsize ? t->valsize : 1));
	}
	e = &t->entries[t->n];
	e->key = t->keys.len;
	e->len = len;
	e->hash = h;
	buf_put(&t->keys, key, len);
	memset(t->values + t->n * t->valsize, 0, t->valsize);
	t->slots[s] = ++t->n;
	return t->n - 1;
}

const char *
table_key(const struct table *t, size_t i, size_t *len)
{
	*len = t->entries[i].len;
	return t->keys.p + t->entries[i].key;
}

void *
table_value(const struct table *t, size_t i)
{
	return t->values + i * t->valsize;
}

void
table_free(struct table *t)
{
	free(t->slots);
	free(t->entries);
	free(t->values);
	buf_free(&t->keys);
	memset(t, 0, sizeof *t);
}
