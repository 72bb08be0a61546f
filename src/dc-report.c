/* dc-report: write an office's reports from its registries, templates
 * and figure definitions.  See dc-report(1) and dc-report(5). */
/* realpath(3) is of the XSI part of POSIX. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"
#include "select.h"

enum { OPT_CALENDAR = 0x200, OPT_SOURCES, OPT_FIGURES, OPT_EXPLAIN,
    OPT_SHOW_CCCD, OPT_VERSION };

static const char shortopts[] = ":p:r:o:hy:d:s:";

static const struct option longopts[] = {
	{ "period", required_argument, NULL, 'p' },
	{ "report", required_argument, NULL, 'r' },
	{ "office", required_argument, NULL, 'o' },
	{ "calendar", no_argument, NULL, OPT_CALENDAR },
	{ "sources", no_argument, NULL, OPT_SOURCES },
	{ "figures", no_argument, NULL, OPT_FIGURES },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "show-cccd", no_argument, NULL, OPT_SHOW_CCCD },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static const char usage_text[] =
    "Cách dùng: dc-report [-p KỲ] [-r BÁO_CÁO] [--calendar] [-o ĐƠN_VỊ]\n"
    "                     [--sources] [--figures] [--explain] [--show-cccd] THƯ_MỤC...\n"
    "Lập báo cáo của đơn vị từ các sổ trong THƯ_MỤC (nhiều thư mục: cộng số\n"
    "liệu của các đơn vị, như tỉnh tổng hợp các huyện).\n"
    "  -p, --period KỲ    kỳ báo cáo: 2024 (năm), 2024-06 (tháng), 2024-Q3 (quý),\n"
    "                     2024-H1, 2024-H2 (6 tháng), 2024-9M (9 tháng);\n"
    "                     mặc định: năm gần nhất đã khóa sổ\n"
    "      --calendar     kỳ theo lịch (1/1-31/12) thay vì khóa sổ ngày 14\n"
    "  -r, --report TÊN   mẫu báo cáo: annual, periodic, funding, hoặc đường dẫn\n"
    "                     tệp mẫu (mặc định: annual cho năm, periodic cho kỳ khác)\n"
    "  -o, --office DIR   thiết đặt, mẫu và số liệu lấy từ DIR (mặc định: thư mục đầu)\n"
    "      --sources      in độ dài và SHA-256 của từng sổ mà báo cáo đọc (cuối\n"
    "                     mỗi báo cáo mẫu cũng ghi), thay cho báo cáo\n"
    "      --figures      in các số liệu (TSV) thay cho báo cáo\n"
    "      --explain      in lệnh dc-* tính từng số liệu, để kiểm tra\n"
    "      --show-cccd    in đủ số CCCD (mặc định: che)\n"
    "  -h, --help         in hướng dẫn này\n"
    "      --version      in phiên bản\n"
    "Sổ được kiểm tra (dc-check) trước; có lỗi thì không in gì, mã thoát 2.\n"
    "Xem dc-report(1) và dc-report(5).\n";

struct options {
	const char *period, *report, *office;
	int calendar, sources, figures, explain, show_cccd;
};

static int reported;            /* the output is out: no closing message */

struct audit;
static int audit_end(struct audit *a);
static struct audit *pending_audit;

static void
closing_message(void)
{
	if (reported)
		return;
	if (pending_audit)
		audit_end(pending_audit);
	fprintf(stderr, "dc-report: không lập được báo cáo; không in gì.\n");
}

/* A usage error, in the clerks' language: what is wrong, then where to
 * read how to write it. */
static void
usage_vi(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nXem '%s --help'.\n", progname);
	reported = 1;                   /* nothing was begun */
	dc_exit(2);
}

/* What getopt_long meant by ':' or '?' (opterr is 0). */
static void
option_vi(int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		usage_vi("tùy chọn '%s' cần một giá trị", arg);
	if (optopt && strncmp(arg, "--", 2) != 0)
		usage_vi("không có tùy chọn '-%c'", optopt);
	usage_vi("không có tùy chọn '%s' (hoặc nó không nhận giá trị)", arg);
}

static void
refuse_old(int c, const char *arg)
{
	if (c == 'y')
		usage_vi("-y đã bỏ: viết -p %s (năm khóa sổ ngày 14/12; thêm "
		    "--calendar cho năm theo lịch)", arg);
	if (c == 'd')
		usage_vi("-d đã bỏ: số liệu tính đến ngày cuối kỳ; viết -p KỲ "
		    "(ví dụ -p %.4s), và --calendar cho kỳ theo lịch", arg);
	usage_vi("-s đã bỏ: viết -r %s", strcmp(arg, "situation") == 0 ?
	    "annual" : arg);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->period = optarg; break;
		case 'r': o->report = optarg; break;
		case 'o': o->office = optarg; break;
		case OPT_CALENDAR: o->calendar = 1; break;
		case OPT_SOURCES: o->sources = 1; break;
		case OPT_FIGURES: o->figures = 1; break;
		case OPT_EXPLAIN: o->explain = 1; break;
		case OPT_SHOW_CCCD: o->show_cccd = 1; break;
		case 'h':
			fputs(usage_text, stdout);
			reported = 1;
			dc_exit(0);
			break;
		case OPT_VERSION:
			print_version();
			reported = 1;
			dc_exit(0);
			break;
		case 'y': case 'd': case 's': refuse_old(c, optarg); break;
		default: option_vi(c, argv);
		}
	}
}

/* ---- where things are ---- */

/* The directory of this program (to find dc-check and the shipped
 * templates beside it). */
static char *
program_dir(const char *argv0)
{
	const char *path = getenv("PATH"), *colon;
	struct buf b = { 0 };

	char *real;

	if (strchr(argv0, '/'))
		buf_puts(&b, argv0);
	for (; !b.len && path && *path; path = colon + 1) {
		colon = strchr(path, ':');
		b.len = 0;
		buf_put(&b, path, colon ? (size_t)(colon - path) : strlen(path));
		buf_puts(&b, "/dc-report");
		if (access(buf_cstr(&b), X_OK) != 0)
			b.len = 0;
		if (!colon)
			break;
	}
	if (!b.len) {
		buf_free(&b);
		return xstrdup(".");
	}
	/* A link to the program (stow, /usr/local/bin) is followed to the
	 * directory beside which its templates are installed. */
	if ((real = realpath(buf_cstr(&b), NULL))) {
		buf_free(&b);
		*strrchr(real, '/') = '\0';
		return real;
	}
	*strrchr(b.p, '/') = '\0';
	return b.p;
}

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The shipped figures and templates: $DC_REPORT_LIB, else installed
 * beside the programs, else in the checkout they were built in. */
static char *
shipped_dir(const char *bindir)
{
	static const char *const tails[] = { "/../share/dc-tools/report",
	    "/../src/report" };
	const char *env = getenv("DC_REPORT_LIB");
	struct buf b = { 0 };
	size_t i;

	if (env && *env)
		return xstrdup(env);
	for (i = 0; i < sizeof tails / sizeof *tails; i++) {
		b.len = 0;
		buf_puts(&b, bindir);
		buf_puts(&b, tails[i]);
		if (is_dir(buf_cstr(&b)))
			return b.p;
	}
	die("không tìm thấy mẫu báo cáo đi kèm (%s/../share/dc-tools/report); "
	    "đặt DC_REPORT_LIB", bindir);
	return NULL;
}

/* ---- the audit first ---- */

/* dc-check --future on each office's registries, all at once and while
 * the figures are computed (on the other core); any problem stops the
 * report before anything is written (audit_end). */
struct audit {
	pid_t *pid;                     /* NULL: over */
	int *fd;                        /* each one's messages */
	const char **dir;               /* each one's office */
	int n;
};

/* Run dc-check --future with the files of argv (after its name); its
 * messages go to a temporary file, *fd. */
static pid_t
audit_run(const char *prog, char **argv, int *fd)
{
	const char *tmp = getenv("TMPDIR");
	struct buf tpl = { 0 };
	pid_t pid;

	buf_printf(&tpl, "%s/dc-report-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if ((*fd = mkstemp(tpl.p)) < 0)
		die("%s: %s", tpl.p, strerror(errno));
	unlink(tpl.p);
	buf_free(&tpl);
	fflush(stderr);
	if ((pid = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(*fd, 1);
		dup2(*fd, 2);
		if (access(prog, X_OK) == 0)
			execv(prog, argv);
		else
			execvp("dc-check", argv);
		fprintf(stderr, "dc-report: dc-check: %s\n", strerror(errno));
		_exit(2);
	}
	return pid;
}

/* One more dc-check, of the office in dir. */
static void
audit_add(struct audit *a, const char *prog, char **argv, const char *dir)
{
	a->dir[a->n] = dir;
	a->pid[a->n] = audit_run(prog, argv, &a->fd[a->n]);
	a->n++;
}

/* The settings of dir, against the schema beside them, else the shipped
 * one: a misspelt key would silently be no setting. */
static void
audit_settings(struct audit *a, const char *prog, const char *dir,
    const char *shipped)
{
	struct buf settings = { 0 }, schema = { 0 };
	char *argv[6];

	buf_printf(&settings, "%s/report.tsv", dir);
	buf_printf(&schema, "%s/report.schema", dir);
	if (access(schema.p, F_OK) != 0) {
		schema.len = 0;
		buf_printf(&schema, "%s/report.schema", shipped);
	}
	if (access(settings.p, F_OK) == 0) {
		argv[0] = "dc-check";
		argv[1] = "--future";
		argv[2] = "-s";
		argv[3] = schema.p;
		argv[4] = settings.p;
		argv[5] = NULL;
		audit_add(a, prog, argv, dir);
	}
	buf_free(&settings);
	buf_free(&schema);
}

/* dc-check for each office counted (its registries, and its settings),
 * and for the settings of the writing office when it is none of them. */
static void
audit_begin(struct audit *a, struct office *o, int n, const char *writer,
    const char *bindir, const char *shipped)
{
	struct buf prog = { 0 };
	int i, k, nfiles = 0, counted = 0;
	char **argv;

	for (i = 0; i < n; i++)
		nfiles = o[i].nsrc > nfiles ? o[i].nsrc : nfiles;
	argv = xmalloc(sizeof *argv * (size_t)(nfiles + 3));
	a->pid = xmalloc(sizeof *a->pid * (size_t)(2 * n + 1));
	a->fd = xmalloc(sizeof *a->fd * (size_t)(2 * n + 1));
	a->dir = xmalloc(sizeof *a->dir * (size_t)(2 * n + 1));
	a->n = 0;
	pending_audit = a;
	buf_printf(&prog, "%s/dc-check", bindir);
	argv[0] = "dc-check";
	argv[1] = "--future";
	for (i = 0; i < n; i++) {
		for (k = 0; k < o[i].nsrc; k++)
			argv[k + 2] = o[i].src[k].path;
		argv[k + 2] = NULL;
		if (k > 0)
			audit_add(a, prog.p, argv, o[i].dir);
		audit_settings(a, prog.p, o[i].dir, shipped);
		counted |= strcmp(o[i].dir, writer) == 0;
	}
	if (!counted)
		audit_settings(a, prog.p, writer, shipped);
	free(argv);
	buf_free(&prog);
}

/* Wait for the audit; 1 when it found problems (they are written). */
static int
audit_end(struct audit *a)
{
	char block[4096];
	ssize_t got;
	int i, status, bad = 0;

	if (!a->pid)
		return 0;
	for (i = 0; i < a->n; i++) {
		while (waitpid(a->pid[i], &status, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			close(a->fd[i]);
			continue;
		}
		bad = 1;
		lseek(a->fd[i], 0, SEEK_SET);
		while ((got = read(a->fd[i], block, sizeof block)) > 0)
			fwrite(block, 1, (size_t)got, stderr);
		close(a->fd[i]);
		fprintf(stderr, "dc-report: %s: sổ có vấn đề (dc-check, ở trên)\n",
		    a->dir[i]);
	}
	free(a->pid);
	free(a->fd);
	free(a->dir);
	a->pid = NULL;
	return bad;
}

/* ---- outputs ---- */

static void
sources_text(const struct office *o, int n, struct buf *out)
{
	int i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < o[i].nsrc; k++)
			buf_printf(out, "%s\t%lld\t%s\n", o[i].src[k].path,
			    (long long)o[i].src[k].length, o[i].src[k].sha256);
}

/* A row's key: its fields' raw values joined by TAB, written as one
 * field (the TAB escaped). */
static void
put_key(struct buf *out, const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (key[i] == '\t')
			buf_puts(out, "\\t");
		else
			buf_putc(out, key[i]);
	}
	buf_putc(out, '\t');
}

static void
put_field(struct buf *out, const char *p, size_t n, char after)
{
	escape(p, n, out);
	buf_putc(out, after);
}

/* Every figure of an office (or the total), one row per figure row. */
static void
figures_rows(const struct report *r, const struct office *o, const char *name,
    struct buf *out)
{
	const struct definitions *d = r->d;
	struct buf v = { 0 };
	const char *key;
	size_t len, k;
	int i;

	for (i = 0; i < d->nfig; i++) {
		const struct figure *f = &d->fig[i];
		const struct fvalue *cur = &o->val[0][i], *prev = &o->val[1][i];
		size_t nrows = cur->rows.n;
		int scalar = f->nby == 0 && f->kind != FIG_YEARLY;

		for (k = 0; k < (scalar ? 1 : nrows); k++) {
			long row = scalar ? (nrows ? 0 : -1) : (long)cur->order[k];

			key = row >= 0 ? table_key(&cur->rows, (size_t)row, &len) : "";
			len = row >= 0 ? len : 0;
			put_field(out, name, strlen(name), '\t');
			put_field(out, f->name, strlen(f->name), '\t');
			put_key(out, key, len);
			v.len = 0;
			fvalue_text(f, cur, row, &v);
			put_field(out, v.p ? v.p : "", v.len, '\t');
			v.len = 0;
			fvalue_text(f, prev, scalar ? (prev->rows.n ? 0 : -1) :
			    table_find(&prev->rows, key, len), &v);
			put_field(out, v.p ? v.p : "", v.len, '\n');
		}
	}
	buf_free(&v);
}

static void
print_figures(const struct report *r, struct buf *out)
{
	int i;

	buf_puts(out, "office\tfigure\tkey\tvalue\tprev\n");
	for (i = 0; i < r->noffices; i++)
		figures_rows(r, &r->offices[i], r->offices[i].name, out);
	if (r->noffices > 1)
		figures_rows(r, r->total, "", out);
}

/* What the pipeline of f cannot say. */
static void
explain_notes(const struct definitions *d, const struct figure *f,
    struct buf *out)
{
	int i, k;

	for (i = 0; i < f->nby; i++)
		for (k = 0; k < d->nlab; k++)
			if (strcmp(d->lab[k].field, f->by[i]) == 0 && *d->lab[k].group &&
			    strcmp(d->lab[k].group, d->lab[k].value) != 0)
				buf_printf(out, "#   labels.tsv: %s=%s is counted as %s=%s\n",
				    f->by[i], d->lab[k].value, f->by[i], d->lab[k].group);
	if (f->kind == FIG_FLOW && strcmp(f->datefield, "date") == 0)
		buf_puts(out, "#   an id counts on the day of its first version, "
		    "not of a later correction (dc-report(5))\n");
	if (f->kind == FIG_FLOW && strcmp(f->datefield, "since") == 0)
		buf_puts(out, "#   an id counts on the day the selected state began, "
		    "not of a later correction (dc-report(5))\n");
}

static void
print_explain(const struct report *r, struct buf *out)
{
	int i, k, slot;

	for (k = 0; k < r->noffices; k++)
		for (slot = 0; slot < 2; slot++)
			for (i = 0; i < r->d->nfig; i++) {
				buf_printf(out, "# %s%s (%s)\n", r->d->fig[i].name,
				    slot ? "|prev" : "", r->d->fig[i].origin);
				explain_notes(r->d, &r->d->fig[i], out);
				figure_explain(&r->d->fig[i], &r->offices[k],
				    r->per[slot], out);
			}
}

/* ---- the report ---- */

static void
choose_period(struct period *p, const struct options *o, const struct setting *set,
    int nset, const char *today)
{
	const char *s = o->period ? o->period : setting_value(set, nset, "period");
	const char *close = setting_value(set, nset, "period_close");
	int calendar = o->calendar || (close && strcmp(close, "calendar") == 0);
	char year[8];

	if (close && strcmp(close, "calendar") != 0 && strcmp(close, "14") != 0)
		die("report.tsv: period_close '%s': phải là 14 hoặc calendar", close);
	if (!s) {
		/* The last year closed on or before today. */
		snprintf(year, sizeof year, "%.4s", today);
		period_parse(year, calendar, p);
		if (strcmp(p->end, today) > 0)
			period_earlier(p, 1, p);
		return;
	}
	if (!period_parse(s, calendar, p))
		usage_vi("%s '%s': kỳ phải là 2024, 2024-06, 2024-Q3, 2024-H1, "
		    "2024-H2 hoặc 2024-9M", o->period ? "-p" : "report.tsv: period", s);
	/* Its figures are those of its last day: a day to come is not known. */
	if (strcmp(p->end, today) > 0)
		die("kỳ %s chưa kết thúc: kỳ đến hết ngày %s, hôm nay là %s",
		    p->code, p->end, today);
}

/* An office counted twice would count its people twice. */
static void
same_office(char **dirs, int i)
{
	struct stat a, b;
	int k;

	stat(dirs[i], &a);
	for (k = 0; k < i; k++)
		if (stat(dirs[k], &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			die("%s và %s: cùng một thư mục, một đơn vị không được tính "
			    "hai lần", dirs[k], dirs[i]);
}

/* A registry linked into two offices would count its people twice. */
static void
shared_registry(const struct office *o, int i)
{
	int k, a, b;

	for (k = 0; k < i; k++)
		for (a = 0; a < o[i].nsrc; a++)
			for (b = 0; b < o[k].nsrc; b++)
				if (o[i].src[a].dev == o[k].src[b].dev &&
				    o[i].src[a].ino == o[k].src[b].ino)
					die("%s và %s: cùng một sổ trong hai đơn vị, không "
					    "được tính hai lần", o[k].src[b].path,
					    o[i].src[a].path);
}

/* "dir/" and "dir" are one office: paths in messages and sources
 * read "dir/people.tsv". */
static void
trim_slashes(char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
}

static void
open_offices(struct report *r, char **dirs, int n)
{
	int i, k;

	r->offices = xmalloc(sizeof *r->offices * (size_t)n);
	memset(r->offices, 0, sizeof *r->offices * (size_t)n);
	r->noffices = n;
	for (i = 0; i < n; i++) {
		struct office *o = &r->offices[i];
		struct setting *set;
		const char *name, *slash;
		int nset;

		trim_slashes(dirs[i]);
		if (!is_dir(dirs[i]))
			die("%s: không phải thư mục", dirs[i]);
		same_office(dirs, i);
		o->dir = dirs[i];
		settings_load(dirs[i], &set, &nset);
		name = setting_value(set, nset, "district");
		if (!name) {
			slash = strrchr(dirs[i], '/');
			name = slash && slash[1] ? slash + 1 : dirs[i];
		}
		o->name = xstrdup(name);
		settings_free(set, nset);
		office_sources(o, r->d);
		shared_registry(r->offices, i);
		for (k = 0; k < i; k++)
			if (strcmp(r->offices[k].name, o->name) == 0)
				die("%s và %s: hai đơn vị cùng tên '%s' (thiết đặt district "
				    "trong report.tsv)", r->offices[k].dir, o->dir, o->name);
	}
}

/* Names an office gives its figures must not hide its settings or the
 * built-in names of templates. */
static void
check_figure_names(const struct report *r)
{
	struct buf b = { 0 };
	int i;

	for (i = 0; i < r->d->nfig; i++) {
		const struct figure *f = &r->d->fig[i];
		int k, j;

		if (setting_value(r->set, r->nset, f->name) || builtin(r, f->name, &b) ||
		    strcmp(f->name, "office") == 0 || strcmp(f->name, "year") == 0)
			die("%s: số liệu '%s' trùng tên một thiết đặt hay tên có sẵn; "
			    "đặt tên khác", f->origin, f->name);
		/* Inside an {each}, a by field's name is the row's value. */
		for (k = 0; k < r->d->nfig; k++)
			for (j = 0; j < r->d->fig[k].nby; j++)
				if (strcmp(r->d->fig[k].by[j], f->name) == 0)
					die("%s: số liệu '%s' trùng tên trường 'by' của số liệu "
					    "'%s'; đặt tên khác", f->origin, f->name,
					    r->d->fig[k].name);
	}
	buf_free(&b);
}

/* Every office's figures, for this period and (when asked) the same
 * period a year earlier, and their sum over several offices. */
static void
compute(struct report *r, struct office *total, int earlier)
{
	int i, slot;

	for (i = 0; i < r->noffices; i++)
		for (slot = 0; slot <= earlier; slot++)
			office_compute(&r->offices[i], r->d, r->per[slot], slot);
	r->total = &r->offices[0];
	if (r->noffices == 1)
		return;
	r->total = total;
	for (i = 0; i < r->noffices; i++)
		for (slot = 0; slot <= earlier; slot++)
			office_add(total, &r->offices[i], r->d, slot);
}

static void
report_free(struct report *r, struct office *total, struct definitions *d)
{
	int i;

	for (i = 0; i < r->noffices; i++)
		office_free(&r->offices[i], d);
	free(r->offices);
	if (r->total == total)
		office_free(total, d);
	settings_free(r->set, r->nset);
	definitions_free(d);
}

int
main(int argc, char **argv)
{
	static struct definitions defs;
	struct options o = { 0 };
	struct report r;
	struct template t;
	struct period per[2];
	struct office total;
	struct audit audit;
	struct buf out = { 0 }, sources = { 0 };
	char *bindir, *shipped;
	const char *name;

	dc_setprog(argv[0]);
	selection_locale();
	atexit(closing_message);
	parse_options(argc, argv, &o);
	if (optind == argc)
		usage_vi("thiếu THƯ_MỤC của đơn vị");
	memset(&r, 0, sizeof r);
	memset(&total, 0, sizeof total);
	memset(&t, 0, sizeof t);
	bindir = program_dir(argv[0]);
	shipped = shipped_dir(bindir);
	if (!o.office)
		o.office = argv[optind];
	trim_slashes((char *)o.office);         /* argv's own storage */
	if (!is_dir(o.office))
		die("%s: không phải thư mục", o.office);

	/* The writing office: its settings, figures, period and template. */
	today(r.today);
	settings_load(o.office, &r.set, &r.nset);
	definitions_load(&defs, shipped, o.office);
	defs.show_cccd = o.show_cccd;
	r.d = &defs;
	r.used = defs.used;
	r.dirs[0] = o.office;
	r.dirs[1] = shipped;
	choose_period(&per[0], &o, r.set, r.nset, r.today);
	memcpy(per[0].today, r.today, sizeof per[0].today);
	period_earlier(&per[0], 1, &per[1]);
	r.per[0] = &per[0];
	r.per[1] = &per[1];
	check_figure_names(&r);
	name = o.report ? o.report : per[0].first == 1 && per[0].last == 12 ?
	    "annual" : "periodic";
	if (!o.figures && !o.explain) {
		template_load(&t, name, &r);
		template_check(&t, &r);
	} else
		memset(defs.used, 1, (size_t)defs.nfig);

	/* The offices counted: audited while their figures are computed. */
	open_offices(&r, argv + optind, argc - optind);
	audit_begin(&audit, r.offices, r.noffices, o.office, bindir, shipped);
	compute(&r, &total, t.uses_prev || o.figures);
	if (audit_end(&audit))
		dc_exit(2);

	/* All or nothing: the whole output is made before it is written. */
	sources_text(r.offices, r.noffices, &sources);
	r.sources = buf_cstr(&sources);
	if (o.figures)
		print_figures(&r, &out);
	else if (o.explain)
		print_explain(&r, &out);
	else if (o.sources)
		buf_puts(&out, sources.p);
	else
		template_render(&t, &r, &out);
	if (write_all(1, out.p ? out.p : "", out.len) < 0)
		die("đầu ra chuẩn: %s", strerror(errno));
	reported = 1;
	buf_free(&out);
	buf_free(&sources);
	template_free(&t);
	report_free(&r, &total, &defs);
	free(bindir);
	free(shipped);
	return 0;
}
