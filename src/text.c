/* text.c: UTF-8 checking, Vietnamese and Unicode text: folding, sort
 * keys, case mapping, display width and normalization (NFC).
 * Vietnamese text arrives precomposed (NFC) or as base letters plus
 * combining marks (NFD); every function here treats the two forms
 * alike.  The Unicode data is in unidata.c, written by
 * src/unicode/gen-tables.pl; ASCII and the Vietnamese letters never
 * need to look it up. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "text.h"

/* ---- UTF-8 ---- */

/* Length of the well-formed sequence at p, or 0: bad lead byte, bad
 * continuation, overlong form, surrogate, beyond U+10FFFF, truncated. */
static inline size_t
utf8_valid_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;              /* overlong */
		if (c == 0xED)
			hi = 0x9F;              /* UTF-16 surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;              /* overlong */
		if (c == 0xF4)
			hi = 0x8F;              /* beyond U+10FFFF */
	} else {
		return 0;
	}
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

static int
utf8_fail(size_t at, const char *what, size_t *bad, const char **why)
{
	if (bad)
		*bad = at;
	if (why)
		*why = what;
	return 0;
}

/* Check whole characters from p[i] on until at least p[stop] (a
 * character may run past it).  Returns where it stopped, or (size_t)-1
 * with *at set to the first bad byte. */
size_t
utf8_chars(const unsigned char *p, size_t n, size_t i, size_t stop, size_t *at)
{
	size_t len;

	for (; i < stop && i < n; i += len)
		if (p[i] == 0 || (len = utf8_valid_len(p + i, n - i)) == 0) {
			*at = i;
			return (size_t)-1;
		}
	return i;
}

int
utf8_check(const char *s, size_t n, size_t *bad, const char **why)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t at = 0, i = 0;

	i = utf8_blocks(p, n, &at);
	if (i != (size_t)-1)
		i = utf8_chars(p, n, i, n, &at);
	if (i == (size_t)-1)
		return utf8_fail(at, p[at] ? "invalid UTF-8" : "NUL byte", bad, why);
	return 1;
}

size_t
utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = n ? utf8_valid_len(p, n) : 0;

	switch (len) {
	case 1:
		*cp = p[0];
		break;
	case 2:
		*cp = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
		break;
	case 3:
		*cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 |
		    (p[2] & 0x3F);
		break;
	case 4:
		*cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
		    (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
		break;
	default:                        /* checked input never gets here */
		*cp = 0xFFFD;
		len = 1;
	}
	return len;
}

/* The UTF-8 bytes of cp at out (room for 4); returns how many. */
static size_t
encode_utf8(uint32_t cp, char *out)
{
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

void
utf8_encode(uint32_t cp, struct buf *b)
{
	char out[4];

	buf_put(b, out, encode_utf8(cp, out));
}

/* ---- Unicode look-ups (the tables are in unidata.c) ---- */

static int
range_cmp(const void *key, const void *elem)
{
	uint32_t cp = *(const uint32_t *)key;
	const struct uni_range *r = elem;

	return cp < r->first ? -1 : cp > r->last;
}

/* The entry of a range table (each entry starts with its range) that
 * holds cp, or NULL. */
static const void *
range_find(uint32_t cp, const void *table, size_t n, size_t size)
{
	return bsearch(&cp, table, n, size, range_cmp);
}

/* Simple case folding, and the base letter of a letter whose marks
 * -i ignores (gen-tables.pl builds the table). */
static uint32_t
unicode_fold(uint32_t cp)
{
	const struct uni_fold *f = range_find(cp, uni_fold, uni_nfold,
	    sizeof uni_fold[0]);

	if (!f)
		return cp;
	if (f->step == 0)
		return (uint32_t)f->delta;
	if ((cp - f->r.first) % f->step != 0)
		return cp;
	return (uint32_t)((int32_t)cp + f->delta);
}

/* How a non-ASCII code point counts in display width (U_ bits).  Below
 * U+0300 only © ® and the soft hyphen are not plain one-column text,
 * nor is any Vietnamese letter of U+1EA0..U+1EF9 (gen-tables.pl checks
 * both): no look-up for them. */
static unsigned
width_class(uint32_t cp)
{
	const struct uni_width *w;

	if (cp < 0xA9 || (cp > 0xAE && cp < 0x300) ||
	    (cp >= 0x1EA0 && cp <= 0x1EF9))
		return 0;
	w = range_find(cp, uni_width, uni_nwidth, sizeof uni_width[0]);
	return w ? w->what : 0;
}

/* ---- the Vietnamese letters ---- */

enum mod { MOD_NONE, MOD_BREVE, MOD_CIRCUMFLEX, MOD_HORN, MOD_STROKE, NMOD };

struct letter_row {
	char base;
	enum mod mod;
	const char *small, *capital;
};

/* Each letter in tone order: none, huyền, hỏi, ngã, sắc, nặng. */
static const struct letter_row vn_rows[] = {
	{ 'a', MOD_NONE,       "aàảãáạ", "AÀẢÃÁẠ" },
	{ 'a', MOD_BREVE,      "ăằẳẵắặ", "ĂẰẲẴẮẶ" },
	{ 'a', MOD_CIRCUMFLEX, "âầẩẫấậ", "ÂẦẨẪẤẬ" },
	{ 'd', MOD_STROKE,     "đ",      "Đ" },
	{ 'e', MOD_NONE,       "eèẻẽéẹ", "EÈẺẼÉẸ" },
	{ 'e', MOD_CIRCUMFLEX, "êềểễếệ", "ÊỀỂỄẾỆ" },
	{ 'i', MOD_NONE,       "iìỉĩíị", "IÌỈĨÍỊ" },
	{ 'o', MOD_NONE,       "oòỏõóọ", "OÒỎÕÓỌ" },
	{ 'o', MOD_CIRCUMFLEX, "ôồổỗốộ", "ÔỒỔỖỐỘ" },
	{ 'o', MOD_HORN,       "ơờởỡớợ", "ƠỜỞỠỚỢ" },
	{ 'u', MOD_NONE,       "uùủũúụ", "UÙỦŨÚỤ" },
	{ 'u', MOD_HORN,       "ưừửữứự", "ƯỪỬỮỨỰ" },
	{ 'y', MOD_NONE,       "yỳỷỹýỵ", "YỲỶỸÝỴ" },
};

/* Latin letters with marks Vietnamese does not use (names of foreign
 * places and people): they fold and sort as their base letter. */
static const struct letter_row foreign_rows[] = {
	{ 'a', MOD_NONE, "äåāą",    "ÄÅĀĄ" },
	{ 'c', MOD_NONE, "çćĉċč",   "ÇĆĈĊČ" },
	{ 'd', MOD_NONE, "ď",       "Ď" },
	{ 'e', MOD_NONE, "ëēĕėęě",  "ËĒĔĖĘĚ" },
	{ 'g', MOD_NONE, "ĝğġģ",    "ĜĞĠĢ" },
	{ 'h', MOD_NONE, "ĥħ",      "ĤĦ" },
	{ 'i', MOD_NONE, "îïīĭį",   "ÎÏĪĬĮ" },
	{ 'j', MOD_NONE, "ĵ",       "Ĵ" },
	{ 'k', MOD_NONE, "ķ",       "Ķ" },
	{ 'l', MOD_NONE, "ĺļľŀł",   "ĹĻĽĿŁ" },
	{ 'n', MOD_NONE, "ñńņň",    "ÑŃŅŇ" },
	{ 'o', MOD_NONE, "öøōŏő",   "ÖØŌŎŐ" },
	{ 'r', MOD_NONE, "ŕŗř",     "ŔŖŘ" },
	{ 's', MOD_NONE, "śŝşš",    "ŚŜŞŠ" },
	{ 't', MOD_NONE, "ţťŧ",     "ŢŤŦ" },
	{ 'u', MOD_NONE, "ûüūŭůűų", "ÛÜŪŬŮŰŲ" },
	{ 'w', MOD_NONE, "ŵ",       "Ŵ" },
	{ 'y', MOD_NONE, "ÿŷ",      "ŸŶ" },
	{ 'z', MOD_NONE, "źżž",     "ŹŻŽ" },
};

/* Alphabetical order; f j w z only appear in foreign words. */
static const char vn_alphabet[] = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";

struct letter {
	char base;                      /* 'a'..'z'; 0: not a known letter */
	unsigned char mod, tone, capital, foreign;
	uint32_t other_case;            /* the same letter in the other case */
};

/* The letters live in two ranges of code points: ASCII to U+01B0 and
 * the Vietnamese block U+1EA0..U+1EF9. */
enum {
	LOW_FIRST = 0x41, LOW_LAST = 0x1B0,
	HIGH_FIRST = 0x1EA0, HIGH_LAST = 0x1EF9,
	NLOW = LOW_LAST - LOW_FIRST + 1,
	NSLOT = NLOW + HIGH_LAST - HIGH_FIRST + 1
};

/* Built once, on first use, from the readable rows above; constant
 * after that. */
static struct letter letters[NSLOT];
static unsigned char alphabet_rank[26][NMOD];   /* 1-based; 0: none */
static int letters_ready;

static struct letter *
letter_slot(uint32_t cp)
{
	if (cp >= LOW_FIRST && cp <= LOW_LAST)
		return &letters[cp - LOW_FIRST];
	if (cp >= HIGH_FIRST && cp <= HIGH_LAST)
		return &letters[NLOW + cp - HIGH_FIRST];
	return NULL;
}

static void
set_letter(uint32_t cp, char base, int mod, int tone, int capital,
    int foreign, uint32_t other_case)
{
	struct letter *l = letter_slot(cp);

	l->base = base;
	l->mod = (unsigned char)mod;
	l->tone = (unsigned char)tone;
	l->capital = (unsigned char)capital;
	l->foreign = (unsigned char)foreign;
	l->other_case = other_case;
}

static void
add_row(const struct letter_row *r, int foreign)
{
	const char *s = r->small, *c = r->capital;
	size_t ns = strlen(s), nc = strlen(c), k;
	uint32_t small, capital;
	int tone;

	for (tone = 0; ns > 0 && nc > 0; tone++) {
		k = utf8_decode(s, ns, &small);
		s += k, ns -= k;
		k = utf8_decode(c, nc, &capital);
		c += k, nc -= k;
		set_letter(small, r->base, r->mod, foreign ? 0 : tone, 0,
		    foreign, capital);
		set_letter(capital, r->base, r->mod, foreign ? 0 : tone, 1,
		    foreign, small);
	}
}

static void
build_letters(void)
{
	const char *s = vn_alphabet;
	size_t n = strlen(s), i, k;
	const struct letter *l;
	uint32_t cp;
	char c;

	for (c = 'a'; c <= 'z'; c++) {
		set_letter((uint32_t)c, c, MOD_NONE, 0, 0, 0, (uint32_t)c - 32);
		set_letter((uint32_t)c - 32, c, MOD_NONE, 0, 1, 0, (uint32_t)c);
	}
	for (i = 0; i < sizeof vn_rows / sizeof vn_rows[0]; i++)
		add_row(&vn_rows[i], 0);
	for (i = 0; i < sizeof foreign_rows / sizeof foreign_rows[0]; i++)
		add_row(&foreign_rows[i], 1);
	for (i = 1; n > 0; i++) {
		k = utf8_decode(s, n, &cp);
		s += k, n -= k;
		l = letter_slot(cp);
		alphabet_rank[l->base - 'a'][l->mod] = (unsigned char)i;
	}
	letters_ready = 1;
}

/* inline: the folding loop calls it for every letter */
static inline const struct letter *
letter_of(uint32_t cp)
{
	const struct letter *l;

	if (!letters_ready)
		build_letters();
	l = letter_slot(cp);
	return l && l->base ? l : NULL;
}

static int
is_mark(uint32_t cp)
{
	return cp >= 0x300 && cp <= 0x36F;
}

/* ---- folding and case ---- */

static int decomp_cmp(const void *key, const void *elem);

/* cp's canonical decomposition, or NULL when it has none. */
static const struct uni_decomp *
decomposition(uint32_t cp)
{
	return cp < 0xC0 ? NULL : bsearch(&cp, uni_decomp, uni_ndecomp,
	    sizeof uni_decomp[0], decomp_cmp);
}

/* What a code point without a decomposition folds to: a mark of
 * U+0300..U+036F to nothing (0), anything else by the Unicode table,
 * and then to its base letter if that is one of the tables' (ø, o). */
static uint32_t
fold_plain(uint32_t cp)
{
	const struct letter *l;

	if (is_mark(cp))
		return 0;
	cp = unicode_fold(cp);
	l = letter_of(cp);
	return l ? (uint32_t)l->base : cp;
}

/* Append the fold of one code point, written as p[0..k). */
static char *
fold_one(uint32_t cp, const char *p, size_t k, char *out)
{
	const struct letter *l = letter_of(cp);
	uint32_t folded;

	if (l) {
		*out++ = l->base;
	} else if ((folded = fold_plain(cp)) == cp) {
		memcpy(out, p, k);
		out += k;
	} else if (folded != 0) {
		out += encode_utf8(folded, out);
	}
	return out;
}

/* A character with a canonical decomposition folds as the decomposition
 * does, a code point at a time, so that it folds alike precomposed and
 * decomposed (U+FA98, a compatibility ideograph, as U+6EDB; the Tibetan
 * U+0F52 as U+0F51 U+0FB7, whose mark folding keeps). */
static char *
fold_decomposed(const struct uni_decomp *d, char *out)
{
	char one[4];
	int j;

	for (j = 0; j < d->len; j++) {
		uint32_t cp = uni_decomp_cp[d->start + j];

		out = fold_one(cp, one, encode_utf8(cp, one), out);
	}
	return out;
}

void
vn_fold(const char *p, size_t n, struct buf *b)
{
	const struct uni_decomp *d;
	unsigned char c;
	uint32_t cp;
	size_t i = 0, k;
	char *out;

	/* A fold is at most half as long again (gen-tables.pl checks it):
	 * Ⱥ, two bytes, folds to ⱥ, three; a decomposition may be longer,
	 * and makes room for itself. */
	buf_grow(b, n + n / 2);
	out = b->p + b->len;
	while (i < n) {
		c = (unsigned char)p[i];
		if (c < 0x80) {
			*out++ = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
			continue;
		}
		k = utf8_decode(p + i, n - i, &cp);
		i += k;
		if (letter_of(cp) || (d = decomposition(cp)) == NULL) {
			out = fold_one(cp, p + i - k, k, out);
			continue;
		}
		b->len = (size_t)(out - b->p);
		buf_grow(b, 4 * (size_t)d->len + (n - i) + (n - i) / 2);
		out = fold_decomposed(d, b->p + b->len);
	}
	b->len = (size_t)(out - b->p);
}

/* Case-map the character at p; NFD marks that follow are left as they
 * are, so only the base letter changes.  Returns bytes used. */
static size_t
put_case(const char *p, size_t n, int capital, struct buf *b)
{
	const struct letter *l;
	uint32_t cp;
	size_t k;
	char c = p[0];

	if ((unsigned char)c < 0x80) {
		if (capital && c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		else if (!capital && c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		buf_putc(b, c);
		return 1;
	}
	k = utf8_decode(p, n, &cp);
	l = letter_of(cp);
	if (l && l->capital != capital)
		utf8_encode(l->other_case, b);
	else
		buf_put(b, p, k);
	return k;
}

void
vn_upper(const char *p, size_t n, struct buf *b)
{
	size_t i = 0;

	while (i < n)
		i += put_case(p + i, n - i, 1, b);
}

void
vn_lower(const char *p, size_t n, struct buf *b)
{
	size_t i = 0;

	while (i < n)
		i += put_case(p + i, n - i, 0, b);
}

static int
is_punct(uint32_t cp)
{
	if (cp < 0x80)
		return cp <= ' ' || (strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
		    (int)cp) != NULL);
	return (cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
	    (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F);
}

/* Capital first letter, after any leading spaces and punctuation
 * ("“ấy”" -> "“Ấy”"); the rest is kept as written. */
void
vn_capitalize(const char *p, size_t n, struct buf *b)
{
	uint32_t cp;
	size_t i = 0, k;

	while (i < n) {
		k = utf8_decode(p + i, n - i, &cp);
		if (letter_of(cp)) {
			i += put_case(p + i, n - i, 1, b);
			break;
		}
		if (cp == 0 || !is_punct(cp))
			break;
		buf_put(b, p + i, k);
		i += k;
	}
	buf_put(b, p + i, n - i);
}

/* ---- sort keys ---- */

/* One character with the combining marks that follow it.  Vietnamese
 * marks are merged into the letter, so NFC and NFD give the same one. */
struct element {
	uint32_t cp;
	const struct letter *letter;    /* NULL: not a letter */
	int mod, tone;
};

static int
mark_tone(uint32_t m)
{
	switch (m) {
	case 0x300: return 1;           /* huyền */
	case 0x309: return 2;           /* hỏi */
	case 0x303: return 3;           /* ngã */
	case 0x301: return 4;           /* sắc */
	case 0x323: return 5;           /* nặng */
	}
	return 0;
}

static int
mark_mod(uint32_t m)
{
	switch (m) {
	case 0x306: return MOD_BREVE;
	case 0x302: return MOD_CIRCUMFLEX;
	case 0x31B: return MOD_HORN;
	}
	return MOD_NONE;
}

/* Merge combining mark m into e when it makes a Vietnamese letter. */
static int
merge_mark(struct element *e, uint32_t m)
{
	const struct letter *l = e->letter;
	int tone = mark_tone(m), mod = mark_mod(m);

	if (!l || l->foreign)
		return 0;
	if (tone && !e->tone && strchr("aeiouy", l->base)) {
		e->tone = tone;
		return 1;
	}
	if (mod && !e->mod && alphabet_rank[l->base - 'a'][mod]) {
		e->mod = mod;
		return 1;
	}
	return 0;
}

/* vn_sortkey reserves room for the whole key first: per input byte at
 * most 4 bytes at level 1 (a stray invalid byte), 1 at levels 2 and 3,
 * 2 at level 4. */
static void
put_key(struct buf *b, int c)
{
	b->p[b->len++] = (char)c;
}

/* Bytes for cp that keep code point order, none below 0x80. */
static void
put_cp(struct buf *b, int lead, uint32_t cp)
{
	put_key(b, lead);
	put_key(b, 0x80 | (cp >> 14 & 0x7F));
	put_key(b, 0x80 | (cp >> 7 & 0x7F));
	put_key(b, 0x80 | (cp & 0x7F));
}

/* Reads an element; marks that do not merge go to strays, when given.
 * Returns bytes used. */
static size_t
read_element(const char *p, size_t n, struct element *e, struct buf *strays)
{
	size_t i, k;
	uint32_t m;

	if ((unsigned char)p[0] < 0x80) {
		e->cp = (unsigned char)p[0];
		i = 1;
	} else {
		i = utf8_decode(p, n, &e->cp);
	}
	e->letter = letter_of(e->cp);
	e->mod = e->letter ? e->letter->mod : MOD_NONE;
	e->tone = e->letter ? e->letter->tone : 0;
	/* U+0300..U+036F all start with byte 0xCC or 0xCD */
	while (i < n && (p[i] == '\xCC' || p[i] == '\xCD')) {
		k = utf8_decode(p + i, n - i, &m);
		if (!merge_mark(e, m) && strays)
			put_cp(strays, 0x04, m);
		i += k;
	}
	return i;
}

/* Every weight is 0x02 or more, so LEVEL_END sorts a shorter level
 * first and the key holds no NUL.  Primary weights: ASCII other than
 * letters (space, digits, punctuation) in ASCII order, then other
 * punctuation, then the letters in alphabetical order, then the rest
 * (other scripts) in code point order. */
enum {
	LEVEL_END = 0x01, PUNCT_LEAD = 0x81, LETTER_FIRST = 0x82,
	OTHER_LEAD = 0xF0, FOREIGN_LEAD = 0x03
};

static void
put_primary(struct buf *b, const struct element *e)
{
	const struct letter *l = e->letter;

	if (l)
		put_key(b, LETTER_FIRST - 1 +
		    alphabet_rank[l->base - 'a'][l->foreign ? MOD_NONE : e->mod]);
	else if (e->cp < 0x80)
		put_key(b, e->cp ? (int)e->cp + 1 : 0x02);
	else
		put_cp(b, is_punct(e->cp) ? PUNCT_LEAD : OTHER_LEAD, e->cp);
}

/* Level 1 letters, 2 tones, 3 case, 4 what is left to tell strings
 * apart: foreign letters and marks that are not Vietnamese.  Each
 * element gives one weight at each level, so levels 2 to 4 only break
 * ties between equal strings of the level before. */
static void
put_level(const char *p, size_t n, int level, struct buf *b)
{
	struct element e;
	size_t i = 0;

	while (i < n) {
		i += read_element(p + i, n - i, &e, level == 4 ? b : NULL);
		if (level == 1)
			put_primary(b, &e);
		else if (level == 2)
			put_key(b, 0x02 + e.tone);
		else if (level == 3)
			put_key(b, 0x02 + (e.letter && e.letter->capital));
		else if (e.letter && e.letter->foreign)
			put_cp(b, FOREIGN_LEAD, e.cp);
		else
			put_key(b, 0x02);
	}
	put_key(b, LEVEL_END);
}

static int is_nfc(const char *p, size_t n);

void
vn_sortkey(const char *p, size_t n, struct buf *b)
{
	struct buf nfc = { 0 };
	int level;

	/* One text, one key, however its letters are written: the key of
	 * its NFC form (a copy only for the rare text not in NFC). */
	if (!is_nfc(p, n)) {
		vn_nfc(p, n, &nfc);
		p = nfc.p;
		n = nfc.len;
	}
	buf_grow(b, 8 * n + 4);
	for (level = 1; level <= 4; level++)
		put_level(p, n, level, b);
	buf_free(&nfc);
}

/* ---- display width ---- */

/* The glyph being measured: what its first character is, and the
 * columns it takes so far. */
struct glyph {
	unsigned what;
	int cols;
	int joining;                    /* a ZWJ after a pictograph */
	int flag_open;                  /* one regional indicator so far */
};

/* The columns code point cp adds to the glyph g, or starts a new one
 * with.  Emoji sequences take the two columns of one glyph: what a ZWJ
 * joins, a skin tone, the second regional indicator of a flag; VS16
 * makes a one-column emoji (❤, or a digit of a keycap) two. */
static int
glyph_add(struct glyph *g, uint32_t cp, unsigned what)
{
	if (cp == 0xFE0F && (g->what & U_EMOJI) && g->cols == 1) {
		g->cols = 2;
		return 1;
	}
	if (cp == 0x200D) {
		g->joining = (g->what & U_PICTO) != 0;
		return 0;
	}
	if (what & U_ZERO)
		return 0;
	if ((g->joining && (what & U_PICTO)) ||
	    ((what & U_MODIFIER) && (g->what & U_PICTO)) ||
	    ((what & U_REGIONAL) && g->flag_open)) {
		g->joining = g->flag_open = 0;
		g->what = what & ~U_MODIFIER;
		return 0;
	}
	g->what = what;
	g->cols = what & U_WIDE ? 2 : 1;
	g->joining = 0;
	g->flag_open = (what & U_REGIONAL) != 0;
	return g->cols;
}

size_t
display_width(const char *p, size_t n)
{
	struct glyph g = { 0, 0, 0, 0 };
	size_t i = 0, start, width = 0;
	unsigned char c;
	uint32_t cp;

	while (i < n) {
		if ((unsigned char)p[i] < 0x80) {
			start = i;
			while (i < n && (unsigned char)p[i] < 0x80)
				i++;
			width += i - start;
			/* the ASCII emoji: a keycap is a digit, # or * and VS16 */
			c = (unsigned char)p[i - 1];
			g.what = c == '#' || c == '*' || (c >= '0' && c <= '9') ?
			    U_EMOJI : 0;
			g.cols = 1;
			g.joining = g.flag_open = 0;
			continue;
		}
		i += utf8_decode(p + i, n - i, &cp);
		width += (size_t)glyph_add(&g, cp, width_class(cp));
	}
	return width;
}

/* ---- normalization form C ---- */

/* Hangul syllables are composed of jamo by a rule, not a table. */
enum {
	S_BASE = 0xAC00, L_BASE = 0x1100, V_BASE = 0x1161, T_BASE = 0x11A7,
	L_COUNT = 19, V_COUNT = 21, T_COUNT = 28,
	N_COUNT = V_COUNT * T_COUNT, S_COUNT = L_COUNT * N_COUNT
};

/* The NFC data of cp, or NULL for a starter (class 0) that may stay as
 * it is.  Below U+0300 and in U+1E00..U+1EFF (the Vietnamese letters)
 * every code point is one (gen-tables.pl checks it): no look-up. */
static const struct uni_nfc *
nfc_data(uint32_t cp)
{
	if (cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF))
		return NULL;
	return range_find(cp, uni_nfc, uni_nnfc, sizeof uni_nfc[0]);
}

/* The quick check of UAX #15: 1 when p[0..n) is surely in NFC (almost
 * all text: one pass, a compare a byte), 0 when it must be normalized
 * to know. */
static int
is_nfc(const char *p, size_t n)
{
	const struct uni_nfc *d;
	size_t i = 0;
	uint32_t cp;
	int last = 0;

	while (i < n) {
		/* bytes below 0xCC belong to code points below U+0300; E1 B8
		 * to E1 BB start U+1E00..U+1EFF */
		if ((unsigned char)p[i] < 0xCC) {
			while (++i < n && (unsigned char)p[i] < 0xCC)
				;
			last = 0;
			continue;
		}
		if (p[i] == '\xE1' && ((unsigned char)p[i + 1] & 0xFC) == 0xB8) {
			last = 0;
			i += 3;
			continue;
		}
		i += utf8_decode(p + i, n - i, &cp);
		d = nfc_data(cp);
		if (d && (d->qc != 0 || (d->ccc != 0 && last > d->ccc)))
			return 0;
		last = d ? d->ccc : 0;
	}
	return 1;
}

/* Text being normalized: code points with their combining class, and
 * their place, which keeps the sort of the marks stable. */
struct nfc_char {
	uint32_t cp;
	int ccc;
	size_t pos;
};
struct nfc_text {
	struct nfc_char *c;
	size_t len, cap;
};

static void
nfc_push(struct nfc_text *t, uint32_t cp)
{
	const struct uni_nfc *d = nfc_data(cp);

	if (t->len == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->c = xrealloc(t->c, t->cap * sizeof *t->c);
	}
	t->c[t->len].cp = cp;
	t->c[t->len].ccc = d ? d->ccc : 0;
	t->c[t->len].pos = t->len;
	t->len++;
}

static int
decomp_cmp(const void *key, const void *elem)
{
	uint32_t cp = *(const uint32_t *)key;
	const struct uni_decomp *d = elem;

	return cp < d->cp ? -1 : cp > d->cp;
}

/* Append the full canonical decomposition of cp. */
static void
decompose(uint32_t cp, struct nfc_text *t)
{
	const struct uni_decomp *d;
	uint32_t s = cp - S_BASE;
	int i;

	if (cp >= S_BASE && s < S_COUNT) {
		nfc_push(t, L_BASE + s / N_COUNT);
		nfc_push(t, V_BASE + s % N_COUNT / T_COUNT);
		if (s % T_COUNT)
			nfc_push(t, T_BASE + s % T_COUNT);
		return;
	}
	d = cp < 0xC0 ? NULL : bsearch(&cp, uni_decomp, uni_ndecomp,
	    sizeof uni_decomp[0], decomp_cmp);
	if (!d) {
		nfc_push(t, cp);
		return;
	}
	for (i = 0; i < d->len; i++)
		nfc_push(t, uni_decomp_cp[d->start + i]);
}

static int
mark_order(const void *a, const void *b)
{
	const struct nfc_char *x = a, *y = b;

	if (x->ccc != y->ccc)
		return x->ccc < y->ccc ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Canonical order: each run of marks (class not 0) sorted by class,
 * marks of a class kept in the order typed.  qsort, so that a long run
 * costs n log n, not n squared. */
static void
reorder(struct nfc_text *t)
{
	size_t i = 0, j;

	while (i < t->len) {
		if (t->c[i].ccc == 0) {
			i++;
			continue;
		}
		for (j = i; j < t->len && t->c[j].ccc != 0; j++)
			;
		if (j - i > 1)
			qsort(t->c + i, j - i, sizeof *t->c, mark_order);
		i = j;
	}
}

static int
pair_cmp(const void *key, const void *elem)
{
	const struct uni_pair *k = key, *p = elem;

	if (k->first != p->first)
		return k->first < p->first ? -1 : 1;
	return k->second < p->second ? -1 : k->second > p->second;
}

/* The primary composite of a and b, or 0. */
static uint32_t
composite(uint32_t a, uint32_t b)
{
	struct uni_pair key;
	const struct uni_pair *p;

	if (a >= L_BASE && a < L_BASE + L_COUNT &&
	    b >= V_BASE && b < V_BASE + V_COUNT)
		return S_BASE + ((a - L_BASE) * V_COUNT + b - V_BASE) * T_COUNT;
	if (a >= S_BASE && a < S_BASE + S_COUNT && (a - S_BASE) % T_COUNT == 0 &&
	    b > T_BASE && b < T_BASE + T_COUNT)
		return a + (b - T_BASE);
	key.first = a;
	key.second = b;
	p = bsearch(&key, uni_pair, uni_npair, sizeof uni_pair[0], pair_cmp);
	return p ? p->composite : 0;
}

/* Canonical composition: a character joins the last starter unless a
 * character between them is a starter or has a class as high as its
 * own (the text is in canonical order, so the last one tells). */
static void
compose(struct nfc_text *t)
{
	size_t i, out = 0, starter = 0;
	int have = 0, last = 0;
	uint32_t c;

	for (i = 0; i < t->len; i++) {
		struct nfc_char ch = t->c[i];

		if (have && (last == 0 || last < ch.ccc) &&
		    (c = composite(t->c[starter].cp, ch.cp)) != 0) {
			t->c[starter].cp = c;
			continue;
		}
		if (ch.ccc == 0) {
			starter = out;
			have = 1;
		}
		last = ch.ccc;
		t->c[out++] = ch;
	}
	t->len = out;
}

void
vn_nfc(const char *p, size_t n, struct buf *b)
{
	struct nfc_text t = { NULL, 0, 0 };
	uint32_t cp;
	size_t i;

	if (n == 0)
		return;
	if (is_nfc(p, n)) {
		buf_put(b, p, n);
		return;
	}
	for (i = 0; i < n; ) {
		i += utf8_decode(p + i, n - i, &cp);
		decompose(cp, &t);
	}
	reorder(&t);
	compose(&t);
	for (i = 0; i < t.len; i++)
		utf8_encode(t.c[i].cp, b);
	free(t.c);
}

char *
read_text_file(const char *path)
{
	struct buf b = { 0 };
	const char *why;
	size_t n, bad;
	FILE *fp = fopen(path, "r");

	if (!fp)
		die("%s: %s", path, strerror(errno));
	do {
		buf_grow(&b, 4096);
		n = fread(b.p + b.len, 1, 4096, fp);
		b.len += n;
	} while (n > 0);
	if (ferror(fp))
		die("%s: %s", path, strerror(errno));
	fclose(fp);
	/* Legacy 8-bit Vietnamese would come out mangled: refuse it. */
	if (!utf8_check(b.p, b.len, &bad, &why))
		die("%s: %s at byte %zu", path, why, bad + 1);
	return (char *)buf_cstr(&b);
}
