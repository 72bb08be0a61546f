/* gen: deterministic benchmark data for dc-tools.
 *
 *	gen people|cases|budget N
 *	gen history N IDS
 *	gen district SEED N DIR
 *
 * writes a record file of N records with the header of the registry's
 * schema (fixtures/binhluc-2024/NAME.schema) to standard output.
 * history is a people history: N records of IDS ids, N/IDS versions
 * each (see history_line).  district writes a whole district office
 * into DIR (see district below).  The
 * same N gives the same bytes on every machine: the random numbers come
 * from our own generator, never from rand(3).  Values look like a
 * district's registries: the 17 communes of Bình Lục in NFC, names with
 * diacritics, 12-digit CCCD numbers, grams with three decimals, money
 * in đồng; a few notes carry the escapes \t and \\.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <errno.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PEOPLE_HEADER "id\tdate\tname\tsex\tbirth\tcccd\tcommune\tstatus\t" \
	"present\ttreatment\tprior\tdrugs\tdetermined\t" \
	"rehab_start\trehab_end\tnote\n"
#define CASES_HEADER "id\tdate\topened\tkind\toffence\tdefendants\tstate\t" \
	"heroin_g\tsynthetic_g\tfine\tcommune\texemplary\tnote\n"
#define BUDGET_HEADER "id\tdate\tyear\tproject\ttitle\tkind\tamount\t" \
	"source\tnote\n"

static const char *communes[] = {
	"Ngọc Lũ", "Bình Nghĩa", "Trung Lương", "Tiêu Động", "An Lão",
	"Bối Cầu", "Vũ Bản", "An Ninh", "Bồ Đề", "Tràng An", "Đồng Du",
	"Hưng Công", "La Sơn", "Đồn Xá", "Mỹ Thọ", "An Nội", "Bình Mỹ",
};
static const char *families[] = {
	"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ",
	"Ngô", "Đinh", "Dương", "Lý", "Trịnh", "Đào", "Lương", "Mai", "Tạ",
};
static const char *middles_male[] = {
	"Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Trọng", "Xuân",
	"Thanh", "Văn", "Văn", "Ngọc",
};
static const char *givens_male[] = {
	"Hải", "Tài", "Quyết", "Kiên", "Hùng", "Dũng", "Tuấn", "Long", "Nam",
	"Thắng", "Cường", "Phúc", "Hưng", "Sơn", "Tùng", "Đạt", "Khánh",
	"Lộc", "Mạnh", "Thành", "Trường", "Việt", "Hiếu", "Nghĩa", "Quân",
	"Tiến", "Toàn", "Vinh", "Bình", "Huy", "Đông", "Thịnh",
};
static const char *givens_female[] = {
	"Hoa", "Lan", "Hương", "Thảo", "Ngọc", "Dung", "Huyền", "Nga",
	"Yến", "Trang",
};
static const char *treatments[] = {
	"khong", "gia_dinh", "cong_dong", "methadone", "bat_buoc", "tu_nguyen",
};
static const char *drugs[] = {
	"heroin", "ma túy đá", "heroin, ma túy đá", "ketamine", "MDMA",
	"cần sa",
};
static const char *people_notes[] = {
	"Điều trị Methadone tại Trung tâm Y tế huyện",
	"Chuyển đến từ xã Ngọc Lũ",
	"Đang cai nghiện tại Cơ sở cai nghiện tỉnh Hà Nam",
	"Tạm trú:\\tthôn 3, nhà ông Trịnh",
	"Hồ sơ lưu tại C:\\\\CAH\\\\2024",
	"Test dương tính ngày 12/5",
};
static const char *offences[] = {
	"tang_tru", "tang_tru", "tang_tru", "mua_ban", "van_chuyen",
	"to_chuc_su_dung", "chua_chap",
};
static const char *case_states[] = {
	"dang_dieu_tra", "ket_thuc", "ket_thuc", "ket_thuc", "tam_dinh_chi",
	"dinh_chi",
};
static const char *case_notes[] = {
	"Khởi tố vụ án", "Bắt quả tang", "Chuyển Viện kiểm sát đề nghị truy tố",
	"Thu giữ:\\theroin và ma túy đá",
};
static const char *projects[] = {
	"", "Dự án 1", "Dự án 2", "Dự án 3", "Phương án 02",
};
static const char *titles[] = {
	"",
	"Xây dựng xã, phường, thị trấn không ma túy",
	"Đấu tranh phòng, chống tội phạm về ma túy",
	"Chuyển hóa địa bàn trọng điểm về ma túy",
	"Phòng ngừa trên các tuyến trọng điểm",
};
static const char *budget_kinds[] = { "cap", "bo_sung", "du_kien", "chi" };
static const char *sources[] = {
	"QĐ 1234/QĐ-UBND", "Báo cáo CAH", "KH 56/KH-BCĐ", "", "", "",
};

/* splitmix64: tiny, fast and the same everywhere. */
static uint64_t rng_state = 0x243f6a8885a308d3u;

static uint64_t
rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* A number in [0, n); the modulo bias is irrelevant for test data. */
static unsigned long
pick(unsigned long n)
{
	return (unsigned long)(rng_next() % n);
}

static int
chance(int percent)
{
	return (int)pick(100) < percent;
}

/* One big output buffer: printf per field would make the generator
 * slower than the programs it feeds. */
static char outbuf[1 << 16];
static size_t outlen;

static void
flush_out(void)
{
	if (fwrite(outbuf, 1, outlen, stdout) != outlen) {
		perror("gen: write");
		exit(2);
	}
	outlen = 0;
}

static void
put(const char *s)
{
	size_t n = strlen(s);

	if (outlen + n > sizeof outbuf)
		flush_out();
	memcpy(outbuf + outlen, s, n);
	outlen += n;
}

static void
tab(const char *s)
{
	put("\t");
	put(s);
}

static void
space(const char *s)
{
	put(" ");
	put(s);
}

static void
putnum(const char *fmt, long long v)
{
	char tmp[64];

	snprintf(tmp, sizeof tmp, fmt, v);
	put(tmp);
}

static void
tabnum(const char *fmt, long long v)
{
	put("\t");
	putnum(fmt, v);
}

static void
tabdate(int year_from, int years)
{
	char tmp[32];

	snprintf(tmp, sizeof tmp, "\t%04d-%02d-%02d",
	    year_from + (int)pick(years), 1 + (int)pick(12), 1 + (int)pick(28));
	put(tmp);
}

/* Grams with three decimals, e.g. 12.243; zero is written "0". */
static void
tabgrams(int percent_nonzero, long max_milligrams)
{
	long mg;
	char tmp[48];

	if (!chance(percent_nonzero)) {
		put("\t0");
		return;
	}
	mg = 1 + (long)pick(max_milligrams);
	snprintf(tmp, sizeof tmp, "\t%ld.%03ld", mg / 1000, mg % 1000);
	put(tmp);
}

/* A CCCD is 035 (Hà Nam), a century and sex digit, the year of birth
 * and six digits; the six digits step through a permutation of 0..999999
 * so that no number repeats, as dc-check demands. */
static void
tabcccd(int male, int born)
{
	static long issued[2][100];
	long serial = issued[male][born % 100]++;
	int digit = (born >= 2000 ? 2 : 0) + !male;

	tabnum("%012lld", 35000000000LL + digit * 100000000LL +
	    (born % 100) * 1000000LL + (serial * 7919 + 4321) % 1000000);
}

/* Ngọc Lũ, the key commune, holds a tenth of the records. */
static const char *
pick_commune(void)
{
	if (chance(10))
		return communes[0];
	return communes[1 + pick(NELEM(communes) - 1)];
}

static const char *
pick_status(void)
{
	unsigned long r = pick(100);

	if (r < 20)
		return "nghien";
	if (r < 35)
		return "su_dung";
	if (r < 40)
		return "nghi_nghien";
	if (r < 95)
		return "nghi_su_dung";
	return "sau_cai";
}

static void
person(long i)
{
	int male = chance(93);
	int born = 1960 + (int)pick(46);
	const char *status = pick_status();
	int addict = strcmp(status, "nghien") == 0;

	putnum("P%06lld", i);
	tabdate(2015, 10);
	tab(families[pick(NELEM(families))]);
	if (male) {
		space(middles_male[pick(NELEM(middles_male))]);
		space(givens_male[pick(NELEM(givens_male))]);
	} else {
		space("Thị");
		space(givens_female[pick(NELEM(givens_female))]);
	}
	tab(male ? "nam" : "nu");
	tabdate(born, 1);
	if (chance(85))
		tabcccd(male, born);
	else
		put("\t");
	tab(pick_commune());
	tab(status);
	tab(chance(80) ? "co" : "khong");
	tab(addict ? treatments[pick(NELEM(treatments))] : "");
	tab(chance(80) ? "" : chance(50) ? "ma_tuy" : "khac");
	tab(addict || chance(15) ? drugs[pick(NELEM(drugs))] : "");
	if (addict)
		tabdate(2012, 13);
	else
		put("\t");
	put(addict && chance(20) ? "\t2023-06-01\t2024-06-01" : "\t\t");
	tab(chance(5) ? people_notes[pick(NELEM(people_notes))] : "");
	put("\n");
}

static void
a_case(long i)
{
	int criminal = chance(85);

	putnum("V%06lld", i);
	tabdate(2015, 10);
	tabdate(2015, 10);
	tab(criminal ? "hinh_su" : "hanh_chinh");
	tab(offences[pick(NELEM(offences))]);
	tabnum("%lld", criminal ? 1 + (long long)pick(4) : 1);
	tab(criminal ? case_states[pick(NELEM(case_states))] : "xu_phat");
	tabgrams(40, 500000);
	tabgrams(50, 300000);
	tabnum("%lld", criminal ? 0 : 500000 * (1 + (long long)pick(20)));
	tab(pick_commune());
	tab(criminal && chance(10) ? "co" : "khong");
	tab(chance(20) ? case_notes[pick(NELEM(case_notes))] : "");
	put("\n");
}

/* Amounts up to 10^9 đồng, and on one line in a thousand (among the
 * first two million) a national roll-up of 10^15 to 3*10^15 with all
 * its digits: group sums then pass 2^53, where a double can no longer
 * hold every integer, while the grand total stays far below INT64_MAX
 * whatever N is. */
static long long
budget_amount(long i)
{
	if (i % 1000 == 500 && i <= 2000000)
		return 1000000000000000LL + (long long)(rng_next() %
		    2000000000000000ULL);
	return 1000LL * (1 + (long long)pick(1000000));
}

static void
budget_line(long i)
{
	unsigned long p = pick(NELEM(projects));

	putnum("B%06lld", i);
	tabdate(2019, 6);
	tabnum("%lld", 2019 + (long long)pick(6));
	tab(projects[p]);
	tab(chance(10) ? titles[p] : "");
	tab(budget_kinds[pick(NELEM(budget_kinds))]);
	tabnum("%lld", budget_amount(i));
	tab(sources[pick(NELEM(sources))]);
	tab(chance(1) ? "Chuyển khoản:\\tKBNN \\\\ Bình Lục" : "");
	put("\n");
}

/* ---- gen history N IDS ------------------------------------------------
 *
 * Record j (from 0) is a version of id number k = j % IDS, taken through
 * a fixed permutation of 0..IDS-1: the versions of an id lie exactly IDS
 * lines apart, so a history of 250,000 ids × 4 versions holds each id
 * once in every quarter of the file.  An id's name, sex, birth and CCCD
 * stay the same in every version; its status is drawn anew each time
 * and it moves to another commune in 30% of its updates.  Its dates
 * increase: the first in 2015 or later, each next one 1 to 300 days
 * after it, all on or before 2024-12-13, the day before the pinned
 * DC_TODAY of the tests and the bench.  No end records. */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
static long
days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
tabday(long z)
{
	long era, doe, yoe, y, doy, mp, d, m;
	char tmp[64];

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	snprintf(tmp, sizeof tmp, "\t%04ld-%02ld-%02ld", y, m, d);
	put(tmp);
}

#define MAX_GAP 300

static long *last_day;          /* per id: the date of its last version */
static unsigned char *where;    /* per id: its commune, an index */

static unsigned long
gcd(unsigned long a, unsigned long b)
{
	while (b != 0) {
		unsigned long t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* The fixed fields of id number k, from a generator of its own, so
 * that every version repeats them without storing them. */
static void
history_person(unsigned long k, int *male)
{
	uint64_t saved = rng_state;
	int born;

	rng_state = 0x9e3779b97f4a7c15u * (k + 1) ^ 0x13198a2e03707344u;
	*male = chance(93);
	born = 1960 + (int)pick(46);
	tab(families[pick(NELEM(families))]);
	if (*male) {
		space(middles_male[pick(NELEM(middles_male))]);
		space(givens_male[pick(NELEM(givens_male))]);
	} else {
		space("Thị");
		space(givens_female[pick(NELEM(givens_female))]);
	}
	tab(*male ? "nam" : "nu");
	tabdate(born, 1);
	if (chance(85))
		tabnum("%012lld", 35000000000LL +
		    ((born >= 2000 ? 2 : 0) + !*male) * 100000000LL +
		    (born % 100) * 1000000LL + (long long)(k * 7919 + 4321) % 1000000);
	else
		put("\t");
	rng_state = saved;
}

static void
history_line(unsigned long k, unsigned long version, unsigned long versions)
{
	long first = days_from_civil(2015, 1, 1);
	long last = days_from_civil(2024, 12, 13) - (long)(versions - 1) * MAX_GAP;
	long day;
	const char *status;
	int male, addict;

	if (version == 0) {
		day = first + (long)pick((unsigned long)(last - first + 1));
		where[k] = (unsigned char)(chance(10) ? 0 :
		    1 + pick(NELEM(communes) - 1));
	} else {
		day = last_day[k] + 1 + (long)pick(MAX_GAP);
		if (chance(30))
			where[k] = (unsigned char)((where[k] + 1 +
			    pick(NELEM(communes) - 1)) % NELEM(communes));
	}
	last_day[k] = day;
	status = pick_status();
	addict = strcmp(status, "nghien") == 0;
	putnum("P%06lld", (long long)k + 1);
	tabday(day);
	history_person(k, &male);
	tab(communes[where[k]]);
	tab(status);
	tab(chance(80) ? "co" : "khong");
	tab(addict ? treatments[pick(NELEM(treatments))] : "");
	tab(chance(80) ? "" : chance(50) ? "ma_tuy" : "khac");
	tab(addict || chance(15) ? drugs[pick(NELEM(drugs))] : "");
	if (addict)
		tabdate(2012, 3);
	else
		put("\t");
	put(addict && chance(20) ? "\t2013-06-01\t2014-06-01" : "\t\t");
	tab(chance(5) ? people_notes[pick(NELEM(people_notes))] : "");
	put("\n");
}

static void
history(long n, long ids)
{
	unsigned long versions = (unsigned long)((n + ids - 1) / ids);
	unsigned long step = 7919, j, k;

	while (gcd(step, (unsigned long)ids) != 1)
		step++;
	last_day = malloc((size_t)ids * sizeof *last_day);
	where = malloc((size_t)ids);
	if (last_day == NULL || where == NULL) {
		perror("gen");
		exit(2);
	}
	for (j = 0; j < (unsigned long)n; j++) {
		k = (j % (unsigned long)ids) * step % (unsigned long)ids;
		history_line(k, j / (unsigned long)ids, versions);
	}
}

/* ---- gen district SEED N DIR -------------------------------------------
 *
 * A whole district office in DIR, as fixtures/binhluc-2024 is one: the
 * six registries people, tests, cases, communes, activities and budget,
 * and the office's settings (report.tsv), each with its schema copied
 * beside it from fixtures/binhluc-2024 (GEN_SCHEMAS=DIR for another
 * place; run from the top of the tree).  About N records in all: 72
 * commune records (18 units, one a year 2021-2024), 2% budget lines, 4%
 * activities, 9% case records, 28% tests and the rest people.  The same
 * SEED and N give the same bytes; districts of other SEEDs are other
 * people, with ids from P000001 in each, as real offices number them.
 *
 * Every record is dated 2022-12-01 to 2024-12-14 (the communes' yearly
 * records apart: 31 December of 2021-2023, and 2024-12-14), nothing
 * after the DC_TODAY of the tests and the bench, and each file is in
 * the order of its dates, as dc-add appends; ids are numbered in the
 * order they first appear.  People are a history: about 30% of the ids
 * have 2 to 4 versions (15 to 254 days apart) in which the status moves
 * as a case file does (a user found addicted, sent to compulsory rehab,
 * back under post-rehab management, relapsing), the commune or the
 * presence changes, and a few ids end (an end record: moved away,
 * died).  Cases
 * are opened, and most are concluded 10 to 179 days later by a second
 * version.  Each budget year's ke_khai totals, per project and for the
 * year, equal the sum of its cap and bo_sung lines, so dc-budget --check
 * finds nothing.  CCCD numbers start with 000, a province code no
 * province has, and are unique in a district and, for SEEDs that differ
 * modulo 10, across districts of fewer than 100,000 people. */

#define TESTS_HEADER "id\tdate\tperson\tcommune\tresult\tnote\n"
#define COMMUNES_HEADER "id\tdate\tname\tkind\tdrug\tkey\tstation_ok\tnote\n"
#define ACTIVITIES_HEADER "id\tdate\tkind\tcommune\tquantity\tnote\n"
#define REPORT_HEADER "key\tvalue\n"

/* A record to write: its date, the number of its id (or its place in
 * the plan) and its version; files are written in this order. */
struct event {
	long day;
	unsigned long k, ver;
};

static int
event_order(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->k != y->k)
		return x->k < y->k ? -1 : 1;
	return (x->ver > y->ver) - (x->ver < y->ver);
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL) {
		perror("gen");
		exit(2);
	}
	return p;
}

static const char *district_dir;
static long day_first, day_last;        /* 2022-12-01, 2024-12-14 */
static uint64_t seed_base;
static unsigned long seed_no;

static long
any_day(void)
{
	return day_first + (long)pick((unsigned long)(day_last - day_first + 1));
}

/* Values fixed for one thing (a person's name, a case's seizures),
 * drawn again from the same generator at each of its versions. */
static void
entity_rng(unsigned salt, unsigned long k)
{
	rng_state = seed_base ^ (0x9e3779b97f4a7c15u * (k + 1)) ^
	    ((uint64_t)salt << 56);
	(void)rng_next();
}

static void
tabday_or_empty(long day)
{
	if (day == 0)
		put("\t");
	else
		tabday(day);
}

static void
tab_mg(long mg)
{
	char tmp[48];

	if (mg == 0)
		snprintf(tmp, sizeof tmp, "\t0");
	else
		snprintf(tmp, sizeof tmp, "\t%ld.%03ld", mg / 1000, mg % 1000);
	put(tmp);
}

/* The schema of the registry being written, read when it is opened so
 * that a missing or changed schema stops gen before it writes. */
static char *schema_text;
static size_t schema_len;

/* The schema's field names, one a line after its header, must be the
 * header the generator writes: a schema changed in fixtures/ without the
 * generator would make every record wrong. */
static void
load_schema(const char *name, const char *header)
{
	const char *from = getenv("GEN_SCHEMAS");
	char path[4096], *fields, *line, *end, *tab_at;
	size_t cap = 1 << 14, r, nf = 0;
	FILE *f;

	if (from == NULL || *from == '\0')
		from = "fixtures/binhluc-2024";
	snprintf(path, sizeof path, "%s/%s.schema", from, name);
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "gen: %s: %s (run from the top of the tree, "
		    "or set GEN_SCHEMAS)\n", path, strerror(errno));
		exit(2);
	}
	schema_text = xcalloc(cap, 1);
	schema_len = 0;
	while ((r = fread(schema_text + schema_len, 1, cap - 1 - schema_len, f)) > 0) {
		schema_len += r;
		if (schema_len == cap - 1 &&
		    (schema_text = realloc(schema_text, cap *= 2)) == NULL) {
			perror("gen");
			exit(2);
		}
	}
	fclose(f);
	schema_text[schema_len] = '\0';
	/* the first field of each line after the schema's header */
	fields = xcalloc(schema_len + 2, 1);
	line = strchr(schema_text, '\n');
	for (line = line ? line + 1 : schema_text + schema_len; *line != '\0';
	    line = end) {
		end = strchr(line, '\n');
		end = end ? end + 1 : line + strlen(line);
		if ((tab_at = memchr(line, '\t', (size_t)(end - line))) == NULL)
			continue;
		memcpy(fields + nf, line, (size_t)(tab_at - line));
		nf += (size_t)(tab_at - line);
		fields[nf++] = '\t';
	}
	if (nf > 0)
		fields[nf - 1] = '\n';
	if (nf != strlen(header) || memcmp(fields, header, nf) != 0) {
		fprintf(stderr, "gen: %s: its fields are not those gen writes "
		    "(%.*s): change gen.c with the schema\n", path,
		    (int)strlen(header) - 1, header);
		exit(2);
	}
	free(fields);
}

static void
open_registry(const char *name, const char *header)
{
	char path[4096];

	load_schema(name, header);
	snprintf(path, sizeof path, "%s/%s.tsv", district_dir, name);
	if (freopen(path, "w", stdout) == NULL) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	put(header);
}

/* The registry written, its schema beside it, as it is. */
static void
close_registry(const char *name)
{
	char path[4096];
	FILE *f;

	flush_out();
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "gen: %s/%s.tsv: %s\n", district_dir, name,
		    strerror(errno));
		exit(2);
	}
	snprintf(path, sizeof path, "%s/%s.schema", district_dir, name);
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(schema_text, 1, schema_len, f) != schema_len || fclose(f) != 0) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	free(schema_text);
	schema_text = NULL;
}

/* ---- people ---- */

enum { S_NGHIEN, S_SU_DUNG, S_NGHI_NGHIEN, S_NGHI_SU_DUNG, S_SAU_CAI };
static const char *statuses[] = {
	"nghien", "su_dung", "nghi_nghien", "nghi_su_dung", "sau_cai",
};
enum { T_KHONG, T_GIA_DINH, T_CONG_DONG, T_METHADONE, T_BAT_BUOC, T_TU_NGUYEN };
static const char *priors[] = { "khong", "ma_tuy", "khac" };
static const char *district_drugs[] = {
	"heroin", "ma túy đá", "heroin; ma túy đá", "ma túy đá; ketamine",
	"ketamine", "MDMA", "cần sa",
};
/* Notes with the escapes of the format: \t, \\ and \n. */
static const char *district_notes[] = {
	"Tạm trú:\\tthôn 3, nhà ông Trịnh",
	"Hồ sơ lưu tại C:\\\\CAH\\\\2024",
	"Đã về địa phương\\nCập nhật theo rà soát",
	"Chuyển đến từ xã khác trong huyện",
};

struct person {
	long first;                     /* the date of its first record */
	long determined, rehab_start, rehab_end;        /* 0: none */
	int born;
	unsigned char versions, commune, commune0, status, treatment;
	unsigned char present, prior, drugs;    /* drugs: index + 1, 0 none */
};

static struct person *people;
static unsigned long npeople;

/* Name, sex, birth and CCCD: the same in every version of id k. */
static void
person_identity(unsigned long k, struct person *p, int print)
{
	uint64_t saved = rng_state;
	int male, born;
	long serial;

	entity_rng(1, k);
	male = chance(92);
	born = chance(4) ? 2004 + (int)pick(4) : 1960 + (int)pick(44);
	p->born = born;
	if (print) {
		tab(families[pick(NELEM(families))]);
		if (male) {
			space(middles_male[pick(NELEM(middles_male))]);
			space(givens_male[pick(NELEM(givens_male))]);
		} else {
			space("Thị");
			space(givens_female[pick(NELEM(givens_female))]);
		}
		tab(male ? "nam" : "nu");
		tabdate(born, 1);
		/* a permutation of the six digits: unique while the district
		 * has fewer than 10^6 people, and SEED's tenth of them */
		serial = (long)(((seed_no % 10) * 100000 + k) % 1000000 * 7919 % 1000000);
		if (chance(85))
			tabnum("%012lld", ((born >= 2000 ? 2 : 0) + !male) * 100000000LL +
			    (born % 100) * 1000000LL + serial);
		else
			put("\t");
	}
	rng_state = saved;
}

static void
addict_treatment(struct person *p, long day)
{
	unsigned long r = pick(100);

	p->treatment = r < 35 ? T_KHONG : r < 65 ? T_METHADONE : r < 85 ?
	    T_BAT_BUOC : r < 91 ? T_GIA_DINH : r < 96 ? T_CONG_DONG : T_TU_NGUYEN;
	if (p->treatment == T_BAT_BUOC) {
		p->rehab_start = day - (long)pick(15);
		if (p->rehab_start < p->determined)
			p->rehab_start = p->determined;
		p->rehab_end = 0;
	}
}

/* Found addicted on day (long before it, in a first record). */
static const char *
become_addict(struct person *p, long day, int first)
{
	long earliest = days_from_civil(p->born + 15, 1, 1);

	p->status = S_NGHIEN;
	p->determined = day - (long)pick(first ? 1500 : 20);
	if (p->determined < earliest)
		p->determined = earliest < day ? earliest : day;
	p->rehab_start = p->rehab_end = 0;
	if (p->drugs == 0)
		p->drugs = (unsigned char)(1 + pick(NELEM(district_drugs)));
	addict_treatment(p, day);
	return first ? NULL : "Xác định tình trạng nghiện";
}

static void
person_first(struct person *p, long day)
{
	unsigned long r = pick(100);

	p->commune = p->commune0 = (unsigned char)(chance(10) ? 0 :
	    1 + pick(NELEM(communes) - 1));
	p->prior = (unsigned char)(chance(80) ? 0 : 1 + pick(2));
	p->drugs = chance(60) ? (unsigned char)(1 + pick(NELEM(district_drugs))) : 0;
	p->treatment = T_KHONG;
	if (r < 25) {
		become_addict(p, day, 1);
	} else if (r < 37) {
		p->status = S_SU_DUNG;
	} else if (r < 40) {
		p->status = S_NGHI_NGHIEN;
	} else if (r < 95) {
		p->status = S_NGHI_SU_DUNG;
	} else {
		p->status = S_SAU_CAI;
		if (chance(60)) {
			p->rehab_end = day - (long)pick(300);
			p->rehab_start = p->rehab_end - 365 - (long)pick(365);
			p->determined = p->rehab_start - (long)pick(100);
		}
	}
}

/* The next version of a person: what changed, and the note saying so. */
static const char *
person_update(struct person *p, long day)
{
	unsigned long r = pick(100);
	const char *note = NULL;

	switch (p->status) {
	case S_NGHI_SU_DUNG:
	case S_NGHI_NGHIEN:
		if (r < 30)
			p->status = S_SU_DUNG, note = "Test dương tính";
		else if (r < 50)
			note = become_addict(p, day, 0);
		break;
	case S_SU_DUNG:
		if (r < 45)
			note = become_addict(p, day, 0);
		else if (r < 60)
			p->status = S_NGHI_SU_DUNG;
		break;
	case S_NGHIEN:
		if (p->treatment == T_BAT_BUOC && r < 65) {
			p->status = S_SAU_CAI;
			p->treatment = T_KHONG;
			p->rehab_end = day;
			note = "Quản lý sau cai nghiện 2 năm";
		} else if (p->treatment != T_BAT_BUOC && r < 25) {
			p->status = S_SAU_CAI;
			p->treatment = T_KHONG;
		} else if (p->treatment != T_BAT_BUOC) {
			addict_treatment(p, day);
		}
		break;
	case S_SAU_CAI:
		if (r < 25)
			note = become_addict(p, day, 0);
		break;
	}
	if (chance(15))
		p->commune = (unsigned char)((p->commune + 1 +
		    pick(NELEM(communes) - 1)) % NELEM(communes));
	return note;
}

/* The note of a version that changed nothing worth a word. */
static const char *
person_note(const struct person *p)
{
	if (p->treatment == T_BAT_BUOC)
		return "Cơ sở cai nghiện ma túy tỉnh";
	if (p->treatment == T_METHADONE)
		return "Điều trị Methadone tại Trung tâm Y tế huyện";
	if (!p->present && chance(50))
		return "Đi làm ăn xa";
	return chance(3) ? district_notes[pick(NELEM(district_notes))] : "";
}

static void
person_line(unsigned long k, unsigned long ver, long day)
{
	struct person *p = &people[k];
	const char *note;

	putnum("P%06lld", (long long)k + 1);
	tabday(day);
	if (ver > 0 && ver + 1 == p->versions && chance(4)) {
		/* an end record: every field but id, date and note empty */
		put("\t\t\t\t\t\t\t\t\t\t\t\t\t");
		tab(chance(70) ? "Chuyển đi nơi khác" : "Đã chết");
		put("\n");
		return;
	}
	if (ver == 0) {
		person_identity(k, p, 0);
		person_first(p, day);
		note = chance(10) ? "Phát hiện mới" : NULL;
	} else {
		note = person_update(p, day);
	}
	p->present = p->treatment == T_BAT_BUOC || p->treatment == T_TU_NGUYEN ?
	    0 : !chance(10);
	if (note == NULL)
		note = person_note(p);
	person_identity(k, p, 1);
	tab(communes[p->commune]);
	tab(statuses[p->status]);
	tab(p->present ? "co" : "khong");
	tab(treatments[p->treatment]);
	tab(priors[p->prior]);
	tab(p->drugs && p->status != S_NGHI_SU_DUNG ?
	    district_drugs[p->drugs - 1] : "");
	tabday_or_empty(p->determined);
	tabday_or_empty(p->rehab_start);
	tabday_or_empty(p->rehab_end);
	tab(note);
	put("\n");
}

/* Plan the ids and their versions, number the ids in the order of their
 * first records, write every record in the order of the dates. */
static void
district_people(unsigned long records)
{
	struct event *ev = xcalloc(records, sizeof *ev), *firsts;
	unsigned long n = 0, ids = 0, i, *number;
	long day;

	while (n < records) {
		unsigned long r = pick(100), v;
		unsigned long versions = r < 62 ? 1 : r < 84 ? 2 : r < 94 ? 3 : 4;

		day = any_day();
		for (v = 0; v < versions && n < records && day <= day_last; v++) {
			ev[n].day = day;
			ev[n].k = ids;
			ev[n++].ver = v;
			day += 15 + (long)pick(240);
		}
		ids++;
	}
	firsts = xcalloc(ids, sizeof *firsts);
	for (i = 0; i < n; i++)
		if (ev[i].ver == 0)
			firsts[ev[i].k] = ev[i];
	qsort(firsts, ids, sizeof *firsts, event_order);
	number = xcalloc(ids, sizeof *number);
	people = xcalloc(ids, sizeof *people);
	npeople = ids;
	for (i = 0; i < ids; i++) {
		number[firsts[i].k] = i;
		people[i].first = firsts[i].day;
	}
	for (i = 0; i < n; i++) {
		ev[i].k = number[ev[i].k];
		if (ev[i].ver + 1 > people[ev[i].k].versions)
			people[ev[i].k].versions = (unsigned char)(ev[i].ver + 1);
	}
	qsort(ev, n, sizeof *ev, event_order);
	open_registry("people", PEOPLE_HEADER);
	for (i = 0; i < n; i++)
		person_line(ev[i].k, ev[i].ver, ev[i].day);
	close_registry("people");
	free(number);
	free(firsts);
	free(ev);
}

/* ---- tests ---- */

/* Tests of the report years 2023 and 2024 (15 December of the year
 * before to 14 December), which the test plans in activities count;
 * most fall in the autumn campaigns, 15/10 to 14/12. */
static unsigned long year_tests[2];

static int
report_year_of(long day)
{
	int y;

	for (y = 0; y < 2; y++)
		if (day >= days_from_civil(2022 + y, 12, 15) &&
		    day <= days_from_civil(2023 + y, 12, 14))
			return y;
	return -1;
}

/* People registered on or before day: ids are numbered in that order. */
static unsigned long
people_by(long day)
{
	unsigned long lo = 0, hi = npeople;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (people[mid].first <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
district_tests(unsigned long records)
{
	struct event *ev = xcalloc(records, sizeof *ev);
	unsigned long i, known;
	int c;

	for (i = 0; i < records; i++) {
		ev[i].day = chance(60) ? days_from_civil(2023 + (int)pick(2), 10, 15) +
		    (long)pick(61) : any_day();
		ev[i].k = i;
	}
	qsort(ev, records, sizeof *ev, event_order);
	open_registry("tests", TESTS_HEADER);
	for (i = 0; i < records; i++) {
		int positive = chance(22);

		if ((c = report_year_of(ev[i].day)) >= 0)
			year_tests[c]++;
		putnum("T%06lld", (long long)i + 1);
		tabday(ev[i].day);
		known = people_by(ev[i].day);
		if (known > 0 && chance(70)) {
			unsigned long who = pick(known);

			tabnum("P%06lld", (long long)who + 1);
			tab(communes[people[who].commune0]);
		} else {
			put("\t");
			tab(pick_commune());
		}
		tab(positive ? "duong_tinh" : "am_tinh");
		tab(!positive ? "" : chance(45) ? "Methamphetamine" : "Morphine");
		put("\n");
	}
	close_registry("tests");
	free(ev);
}

/* ---- cases ---- */

struct case_facts {
	int criminal, exemplary;
	const char *offence, *outcome;
	long defendants, heroin_mg, synthetic_mg, fine;
	unsigned commune;
};

static void
case_facts(unsigned long k, struct case_facts *c)
{
	uint64_t saved = rng_state;
	unsigned long r;

	entity_rng(2, k);
	c->criminal = chance(88);
	c->offence = c->criminal ? offences[pick(NELEM(offences))] : "tang_tru";
	c->defendants = c->criminal ? 1 + (long)(chance(25) ? pick(4) : 0) : 1;
	c->heroin_mg = c->criminal && chance(25) ? 1 + (long)pick(50000) : 0;
	c->synthetic_mg = chance(c->criminal ? 60 : 30) ?
	    1 + (long)pick(c->criminal ? 30000 : 1000) : 0;
	c->commune = chance(10) ? 0 : 1 + (unsigned)pick(NELEM(communes) - 1);
	c->exemplary = c->criminal && chance(8);
	r = pick(100);
	c->outcome = !c->criminal ? "xu_phat" : r < 78 ? "ket_thuc" :
	    r < 88 ? "tam_dinh_chi" : "dinh_chi";
	c->fine = c->criminal ? 0 : 500000 * (1 + (long)pick(20));
	rng_state = saved;
}

static void
case_line(unsigned long k, unsigned long ver, long day, long opened)
{
	struct case_facts c;

	case_facts(k, &c);
	putnum("V%06lld", (long long)k + 1);
	tabday(day);
	tabday(opened);
	tab(c.criminal ? "hinh_su" : "hanh_chinh");
	tab(c.offence);
	tabnum("%lld", c.defendants);
	tab(ver == 0 ? "dang_dieu_tra" : c.outcome);
	tab_mg(c.heroin_mg);
	tab_mg(c.synthetic_mg);
	tabnum("%lld", ver == 0 ? 0 : c.fine);
	tab(communes[c.commune]);
	tab(c.exemplary ? "co" : "khong");
	if (ver == 0)
		tab(c.criminal ? "Khởi tố vụ án" : "Lập biên bản vi phạm");
	else if (!c.criminal)
		tab("Xử phạt vi phạm hành chính");
	else
		tab(strcmp(c.outcome, "ket_thuc") == 0 ?
		    "Kết thúc điều tra, chuyển VKS đề nghị truy tố" : "");
	put("\n");
}

static void
district_cases(unsigned long records)
{
	struct event *ev = xcalloc(records, sizeof *ev), *firsts;
	unsigned long n = 0, ncases = 0, i, *number;
	long *opened;

	while (n < records) {
		long day = any_day(), done = day + 10 + (long)pick(170);

		ev[n].day = day;
		ev[n].k = ncases;
		ev[n++].ver = 0;
		if (n < records && chance(80) && done <= day_last) {
			ev[n].day = done;
			ev[n].k = ncases;
			ev[n++].ver = 1;
		}
		ncases++;
	}
	firsts = xcalloc(ncases, sizeof *firsts);
	for (i = 0; i < n; i++)
		if (ev[i].ver == 0)
			firsts[ev[i].k] = ev[i];
	qsort(firsts, ncases, sizeof *firsts, event_order);
	number = xcalloc(ncases, sizeof *number);
	opened = xcalloc(ncases, sizeof *opened);
	for (i = 0; i < ncases; i++) {
		number[firsts[i].k] = i;
		opened[i] = firsts[i].day;
	}
	for (i = 0; i < n; i++)
		ev[i].k = number[ev[i].k];
	qsort(ev, n, sizeof *ev, event_order);
	open_registry("cases", CASES_HEADER);
	for (i = 0; i < n; i++)
		case_line(ev[i].k, ev[i].ver, ev[i].day, opened[ev[i].k]);
	close_registry("cases");
	free(opened);
	free(number);
	free(firsts);
	free(ev);
}

/* ---- communes: the 17 communes and the district medical centre ---- */

static void
district_communes(void)
{
	unsigned long units = NELEM(communes) + 1, u;
	int year, from[NELEM(communes) + 1];

	/* the year from which a unit's station qualifies (2025: not yet) */
	for (u = 0; u < units; u++) {
		uint64_t saved = rng_state;
		unsigned long r;

		entity_rng(4, u);
		r = pick(100);
		from[u] = r < 40 ? 2021 : r < 55 ? 2023 : r < 70 ? 2024 : 2025;
		rng_state = saved;
	}
	open_registry("communes", COMMUNES_HEADER);
	for (year = 2021; year <= 2024; year++) {
		for (u = 0; u < units; u++) {
			int centre = u == NELEM(communes), key = !centre && chance(12);

			putnum("X%06lld", (long long)u + 1);
			tabday(year < 2024 ? days_from_civil(year, 12, 31) : day_last);
			tab(centre ? "Trung tâm Y tế huyện" : communes[u]);
			tab(centre ? "huyen" : strcmp(communes[u], "Bình Mỹ") == 0 ?
			    "thi_tran" : "xa");
			tab(!centre && chance(92) ? "co" : "khong");
			tab(key ? "co" : "khong");
			tab(centre || year >= from[u] ? "co" : "khong");
			tab(centre ? "Cơ sở y tế tuyến huyện" :
			    key ? "Xã trọng điểm về ma túy" : "");
			put("\n");
		}
	}
	close_registry("communes");
}

/* ---- activities, and the test plans of 2023 and 2024 ---- */

static void
district_activities(unsigned long records)
{
	struct event *ev = xcalloc(records, sizeof *ev);
	unsigned long i;
	char note[128];

	for (i = 0; i < records; i++) {
		ev[i].k = i;
		if (i < 2) {            /* ver 1 + y: the plan of 2023 + y */
			ev[i].day = days_from_civil(2023 + (int)i, 10, 15);
			ev[i].ver = 1 + i;
		} else {
			ev[i].day = any_day();
		}
	}
	qsort(ev, records, sizeof *ev, event_order);
	open_registry("activities", ACTIVITIES_HEADER);
	for (i = 0; i < records; i++) {
		unsigned long r = pick(100);

		putnum("A%06lld", (long long)i + 1);
		tabday(ev[i].day);
		if (ev[i].ver > 0) {
			int y = 2023 + (int)ev[i].ver - 1;

			tab("ke_hoach_test");
			put("\t");
			tabnum("%lld", (long long)(year_tests[ev[i].ver - 1] * 5 / 4 +
			    pick(20)));
			snprintf(note, sizeof note, "Kế hoạch test năm %d, cao điểm "
			    "từ 15/10/%d đến 14/12/%d", y, y, y);
			tab(note);
		} else if (r < 45) {
			tab("luu_dong");
			tab(pick_commune());
			tabnum("%lld", 30 + (long long)pick(90));
			tab("Tuyên truyền lưu động");
		} else if (r < 65) {
			tab("to_roi");
			tab(pick_commune());
			tabnum("%lld", 200 + (long long)pick(2800));
			tab("Phát tờ rơi");
		} else if (chance(70)) {
			tab("noi_chuyen");
			tab(pick_commune());
			tabnum("%lld", 40 + (long long)pick(360));
			tab("Nói chuyện tại nhà văn hóa thôn");
		} else {
			tab("noi_chuyen");
			put("\t");
			tabnum("%lld", 200 + (long long)pick(600));
			tab("Nói chuyện chuyên đề tại trường THPT");
		}
		put("\n");
	}
	close_registry("activities");
	free(ev);
}

/* ---- budget: lines of 2023 and 2024, and the totals declared ---- */

enum { PROJECTS = 4, KE_KHAI = 2 * (PROJECTS + 1) };

static void
district_budget(unsigned long records)
{
	struct event *ev = xcalloc(records, sizeof *ev);
	unsigned long lines = records - KE_KHAI, i;
	long long funded[2][PROJECTS] = { { 0 } };
	static const char *kinds[] = { "cap", "bo_sung", "du_kien", "chi" };

	for (i = 0; i < records; i++) {
		ev[i].k = i;
		if (i < lines) {
			ev[i].day = day_first + (long)pick((unsigned long)(day_last - day_first));
		} else {        /* ver 1 + j: year j / 5, project j % 5 (4: all) */
			ev[i].ver = 1 + (i - lines);
			ev[i].day = ev[i].ver <= PROJECTS + 1 ?
			    days_from_civil(2024, 1, 15) : day_last;
		}
	}
	qsort(ev, records, sizeof *ev, event_order);
	open_registry("budget", BUDGET_HEADER);
	for (i = 0; i < records; i++) {
		putnum("B%06lld", (long long)i + 1);
		tabday(ev[i].day);
		if (ev[i].ver == 0) {
			unsigned long p = pick(PROJECTS), r = pick(100);
			long year;
			const char *kind = kinds[r < 35 ? 0 : r < 50 ? 1 : r < 60 ? 2 : 3];
			long long amount = 100000LL * (5 + (long long)pick(496));

			/* a line of December 2022 plans 2023 */
			year = ev[i].day < days_from_civil(2024, 1, 1) ? 2023 : 2024;
			if (r < 50)
				funded[year - 2023][p] += amount;
			tabnum("%lld", year);
			tab(projects[1 + p]);
			tab(chance(90) ? titles[1 + p] : "");
			tab(kind);
			tabnum("%lld", amount);
			tab(sources[pick(NELEM(sources))]);
			tab(chance(1) ? "Chuyển khoản:\\tKBNN \\\\ huyện" : "");
		} else {
			unsigned long j = ev[i].ver - 1, y = j / (PROJECTS + 1);
			unsigned long p = j % (PROJECTS + 1), q;
			long long total = 0;

			for (q = 0; q < PROJECTS; q++)
				if (p == PROJECTS || p == q)
					total += funded[y][q];
			tabnum("%lld", 2023 + (long long)y);
			tab(p < PROJECTS ? projects[1 + p] : "");
			tab(p < PROJECTS ? titles[1 + p] : "");
			tab("ke_khai");
			tabnum("%lld", total);
			tab("Báo cáo CAH");
			tab(p < PROJECTS ? "Tổng theo báo cáo" : "Tổng số tiền theo báo cáo");
		}
		put("\n");
	}
	close_registry("budget");
	free(ev);
}

static void
district(unsigned long seed, long n, const char *dir)
{
	unsigned long records = (unsigned long)n;
	unsigned long budget = records / 50, activities = records / 25;
	unsigned long cases = records * 9 / 100, tests = records * 28 / 100;
	unsigned long communes_n = 4 * (NELEM(communes) + 1);
	char name[64];

	district_dir = dir;
	seed_no = seed;
	seed_base = 0x243f6a8885a308d3u ^ (0x9e3779b97f4a7c15u * (seed + 1));
	rng_state = seed_base;
	day_first = days_from_civil(2022, 12, 1);
	day_last = days_from_civil(2024, 12, 14);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "gen: %s: %s\n", dir, strerror(errno));
		exit(2);
	}
	district_people(records - budget - activities - cases - tests -
	    communes_n);
	district_tests(tests);
	district_cases(cases);
	district_communes();
	district_activities(activities);
	district_budget(budget);
	open_registry("report", REPORT_HEADER);
	snprintf(name, sizeof name, "district\tMẫu %lu\n", seed);
	put(name);
	put("province\tHà Nam\n"
	    "issuer_parent\tỦy ban nhân dân huyện\n"
	    "issuer\tBan Chỉ đạo phòng, chống tội phạm huyện\n"
	    "number\t01/BC-BCĐ\nplace\tHà Nam\n"
	    "signer_title\tTRƯỞNG BAN\nsigner_name\tNguyễn Văn A\n"
	    "recipients\t- Lưu: VT.\n");
	close_registry("report");
	free(people);
	if (fclose(stdout) != 0) {
		perror("gen: write");
		exit(2);
	}
}

static void
usage(void)
{
	fputs("usage: gen people|cases|budget N | gen history N IDS | "
	    "gen district SEED N DIR\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	void (*one)(long);
	const char *header;
	long n, i, ids;
	char *end;

	if (argc < 3)
		usage();
	if (strcmp(argv[1], "district") == 0) {
		unsigned long seed;

		if (argc != 5)
			usage();
		seed = strtoul(argv[2], &end, 10);
		if (*end != '\0' || argv[2][0] == '-' || argv[2][0] == '\0')
			usage();
		n = strtol(argv[3], &end, 10);
		/* a district, not a province: 1,000 to 1,000,000 records */
		if (*end != '\0' || n < 1000 || n > 1000000)
			usage();
		district(seed, n, argv[4]);
		return 0;
	}
	n = strtol(argv[2], &end, 10);
	if (*end != '\0' || n < 0)
		usage();
	if (strcmp(argv[1], "history") == 0) {
		if (argc != 4)
			usage();
		ids = strtol(argv[3], &end, 10);
		/* at most 10 versions: the last possible first date must
		 * stay after 2015-01-01 (see history_line) */
		if (*end != '\0' || ids <= 0 || ids > n || n > INT_MAX ||
		    (n + ids - 1) / ids > 10)
			usage();
		put(PEOPLE_HEADER);
		history(n, ids);
		flush_out();
		return fflush(stdout) == EOF ? 2 : 0;
	}
	if (argc != 3)
		usage();
	if (strcmp(argv[1], "people") == 0) {
		header = PEOPLE_HEADER;
		one = person;
	} else if (strcmp(argv[1], "cases") == 0) {
		header = CASES_HEADER;
		one = a_case;
	} else if (strcmp(argv[1], "budget") == 0) {
		header = BUDGET_HEADER;
		one = budget_line;
	} else {
		usage();
		return 2;
	}
	put(header);
	for (i = 1; i <= n; i++)
		one(i);
	flush_out();
	if (fflush(stdout) == EOF) {
		perror("gen: write");
		return 2;
	}
	return 0;
}
