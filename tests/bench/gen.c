/* gen: deterministic benchmark data for dc-tools.
 *
 *	gen people|cases|budget N
 *	gen history N IDS
 *
 * writes a record file of N records with the header of the registry's
 * schema (fixtures/binhluc-2024/NAME.schema) to standard output.
 * history is a people history: N records of IDS ids, N/IDS versions
 * each (see history_line).  The
 * same N gives the same bytes on every machine: the random numbers come
 * from our own generator, never from rand(3).  Values look like a
 * district's registries: the 17 communes of Bình Lục in NFC, names with
 * diacritics, 12-digit CCCD numbers, grams with three decimals, money
 * in đồng; a few notes carry the escapes \t and \\.
 */
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PEOPLE_HEADER "id\tdate\tname\tsex\tbirth\tcccd\tcommune\tstatus\t" \
	"present\ttreatment\tprior\tdrugs\tdetermined\t" \
	"rehab_start\trehab_end\tnote\n"

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

static void
usage(void)
{
	fputs("usage: gen people|cases|budget N | gen history N IDS\n",
	    stderr);
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
		header = "id\tdate\topened\tkind\toffence\tdefendants\tstate\t"
		    "heroin_g\tsynthetic_g\tfine\tcommune\texemplary\tnote\n";
		one = a_case;
	} else if (strcmp(argv[1], "budget") == 0) {
		header = "id\tdate\tyear\tproject\ttitle\tkind\tamount\t"
		    "source\tnote\n";
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
