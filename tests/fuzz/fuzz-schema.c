/* fuzz-schema: loading a schema (schema.c) from arbitrary bytes.  What
 * loads must make sense: every field found by its name, an enum's
 * values valid for it, a default valid for its field; values of every
 * type are judged without a crash. */
#include "fuzz.h"
#include "registry.h"

static struct schema schema;

static const char *const samples[] = {
	"", "0", "-1", "1.5", "1.500.000", "12,5", "2024-02-29", "2023-02-29",
	"P000001", "V12", "000087564031", "00008756403", "nam", "Ngọc Lũ",
	"today", "next", "a\\tb", "99999999999999999999", "-0.000000000000000001",
};

static void
check_schema(const struct schema *s)
{
	struct buf names = { 0 };
	size_t k;
	int i, j;

	fuzz_assert(s->n > 0, "a schema of no fields loaded");
	for (i = 0; i < s->n; i++) {
		const struct schema_field *f = &s->f[i];

		fuzz_assert(schema_index(s, f->name) == i, "a field not found by its name");
		fuzz_assert(nearest_name(s->f[0].name ? &s->f[0].name : NULL, 0, f->name) == NULL,
		    "a name near one of no names");
		if (f->type == T_ENUM)
			for (j = 0; j < f->nvalues; j++)
				fuzz_assert(value_problem(f, f->values[j],
				    strlen(f->values[j])) == NULL,
				    "an enum's value is not valid for it");
		fuzz_assert(ftype_name(f->type) != NULL, "a type without a name");
		for (k = 0; k < sizeof samples / sizeof *samples; k++)
			value_problem(f, samples[k], strlen(samples[k]));
		value_problem(f, f->deflt, strlen(f->deflt));
		value_problem(f, f->label, strlen(f->label));
	}
	schema_names(s, &names);
	fuzz_assert(names.len > 0, "no names listed");
	buf_free(&names);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init("fuzz-schema");
	read_size = 256;                /* small leftovers of a load that dies */
	return 0;
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *path;

	fuzz_file(data, size, &path);
	if (setjmp(fuzz_back)) {
		fuzz_close_left();      /* its memory is left, as die() leaves it */
		return 0;
	}
	schema_load(path, &schema);
	check_schema(&schema);
	schema_free(&schema);
	return 0;
}
