/* fuzz-text: UTF-8 and Vietnamese text (text.c) over arbitrary bytes.
 *
 * The UTF-8 check of every code path this build has (DC_SIMD) must
 * find what the plain reference finds, at the same byte.  On the valid
 * part of the input: NFC is idempotent; folding and display width see
 * NFD and NFC alike, and so do sort keys where NFC composes every mark; folding is idempotent; case mapping
 * keeps text valid UTF-8. */
#include "fuzz.h"
#include "text.h"

static struct buf nfc, nfc2, a, b;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init("fuzz-text");
	return 0;
}

/* The UTF-8 check of each path against the plain reference; returns the
 * length of the valid prefix. */
static size_t
check_utf8(const unsigned char *p, size_t n)
{
	const char *want_why = NULL, *why;
	long want = plain_utf8_problem(p, n, &want_why);
	size_t bad;
	int k, ok;

	for (k = SIMD_PORTABLE; k <= SIMD_LAST; k++) {
		if (!simd_use((enum simd)k))
			continue;
		bad = (size_t)-1;
		why = NULL;
		ok = utf8_check((const char *)p, n, &bad, &why);
		fuzz_assert(ok == (want < 0), "UTF-8 check differs from the reference");
		if (!ok)
			fuzz_assert(bad == (size_t)want && strcmp(why, want_why) == 0,
			    "UTF-8 check finds another byte or problem");
	}
	return want < 0 ? n : (size_t)want;
}

static void
valid_utf8(const struct buf *t, const char *what)
{
	fuzz_assert(utf8_check(t->p ? t->p : "", t->len, NULL, NULL), what);
}

/* Whether p holds a combining mark (U+0300..U+036F).  Sort keys are
 * the same for NFD and NFC where NFC composes every mark, as it does
 * Vietnamese; marks left over (two tones on a letter, a horn on an e)
 * are not Vietnamese, and their keys may differ: a known limit. */
static int
has_marks(const char *p, size_t n)
{
	size_t i, len;
	uint32_t cp;

	for (i = 0; i < n; i += len) {
		len = utf8_decode(p + i, n - i, &cp);
		if (cp >= 0x300 && cp <= 0x36F)
			return 1;
	}
	return 0;
}

/* Whether p holds a combining mark (ccc > 0) folding does not drop,
 * outside U+0300..U+036F: Hebrew points, kana voicing marks...  Folding
 * compares those as written (dc-format(5), UNICODE), so NFD and NFC of
 * such text may fold apart: a known limit. */
static int
has_other_marks(const char *p, size_t n)
{
	size_t i, len, k;
	uint32_t cp;

	for (i = 0; i < n; i += len) {
		len = utf8_decode(p + i, n - i, &cp);
		if (cp >= 0x300 && cp <= 0x36F)
			continue;
		for (k = 0; k < uni_nnfc; k++)
			if (cp >= uni_nfc[k].r.first && cp <= uni_nfc[k].r.last &&
			    uni_nfc[k].ccc != 0)
				return 1;
	}
	return 0;
}

/* Whether p holds a conjoining Hangul jamo (U+1100..U+11FF): NFC makes
 * a syllable of it, which folding compares as written (dc-format(5),
 * UNICODE): a known limit, as for the marks above. */
static int
has_jamo(const char *p, size_t n)
{
	size_t i, len;
	uint32_t cp;

	for (i = 0; i < n; i += len) {
		len = utf8_decode(p + i, n - i, &cp);
		if (cp >= 0x1100 && cp <= 0x11FF)
			return 1;
	}
	return 0;
}

static void
check_text(const char *p, size_t n)
{
	nfc.len = nfc2.len = a.len = b.len = 0;
	vn_nfc(p, n, &nfc);
	valid_utf8(&nfc, "NFC made invalid UTF-8");
	vn_nfc(nfc.p, nfc.len, &nfc2);
	fuzz_assert(buf_equal(&nfc, &nfc2), "NFC is not idempotent");

	vn_fold(p, n, &a);
	vn_fold(nfc.p, nfc.len, &b);
	valid_utf8(&a, "folding made invalid UTF-8");
	fuzz_assert(buf_equal(&a, &b) || has_other_marks(nfc.p, nfc.len) ||
	    has_jamo(p, n), "NFD and NFC fold apart");
	b.len = 0;
	vn_fold(a.p, a.len, &b);
	fuzz_assert(buf_equal(&a, &b), "folding is not idempotent");

	a.len = b.len = 0;
	vn_sortkey(p, n, &a);
	vn_sortkey(nfc.p, nfc.len, &b);
	fuzz_assert(buf_equal(&a, &b) || has_marks(nfc.p, nfc.len), "NFD and NFC sort apart");

	fuzz_assert(display_width(p, n) == display_width(nfc.p, nfc.len),
	    "NFD and NFC differ in width");
	fuzz_assert(display_width(p, n) <= 2 * n, "wider than two columns a byte");

	a.len = 0;
	vn_upper(p, n, &a);
	valid_utf8(&a, "upper case made invalid UTF-8");
	a.len = 0;
	vn_lower(p, n, &a);
	valid_utf8(&a, "lower case made invalid UTF-8");
	a.len = 0;
	vn_capitalize(p, n, &a);
	valid_utf8(&a, "capitalizing made invalid UTF-8");
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	size_t valid = check_utf8(data, size);

	simd_use(SIMD_PORTABLE);
	check_text((const char *)data, valid);
	return 0;
}
