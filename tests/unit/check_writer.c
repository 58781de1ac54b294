/* check_writer.c: the logit text against strtod and printf, whole files
 * against text built independently with printf, and the all-or-nothing
 * rule for files. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/simulate.h"
#include "core/status.h"
#include "testutil.h"
#include "output/writer.h"

/* The text of units reads back as the double units / 1e6 (the nearest to
 * the six-decimal number: both operands of that one division are exact), and
 * is what printf's %.6f prints for that double. */
static void check_logit_text(int64_t units)
{
    char buf[FL_WRITER_LOGIT_MAX + 1], want[64];
    size_t n = fl_writer_format_logit(buf, units);
    ck_assert_uint_le(n, FL_WRITER_LOGIT_MAX);
    buf[n] = '\0';
    double x = (double)units / FL_SIM_LOGIT_SCALE;
    char *end;
    double back = strtod(buf, &end);
    ck_assert_msg(*end == '\0' && back == x, "%" PRId64 ": '%s' reads %.17g",
                  units, buf, back);
    /* below 1e9 a double's ulp is under 1e-6, so %.6f recovers the text */
    if (llabs(units) < INT64_C(1000000000000000)) {
        snprintf(want, sizeof want, "%.6f", x);
        if (strcmp(want, "-0.000000") == 0)
            strcpy(want, "0.000000");
        ck_assert_str_eq(buf, want);
    }
}

START_TEST(test_logit_text)
{
    static const int64_t special[] = {0, 1, -1, 9, -10, 999999, -999999,
                                      1000000, -1000000, 1000001, 4595120,
                                      -4595120, 123456789012345,
                                      -(INT64_C(1) << 53) + 1};
    for (size_t i = 0; i < sizeof special / sizeof *special; i++)
        check_logit_text(special[i]);
    uint64_t state = 2463534242u;
    for (int i = 0; i < 300000; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        /* magnitudes from 1 to 2^53 - 1, both signs */
        int bits = 1 + (int)(state % 53);
        int64_t u = (int64_t)((state >> 11) >> (53 - bits));
        check_logit_text(state & 1 ? -u : u);
    }
    char buf[FL_WRITER_LOGIT_MAX + 1];
    buf[fl_writer_format_logit(buf, INT64_MIN)] = '\0';
    ck_assert_str_eq(buf, "-9223372036854.775808");
}
END_TEST

/* A fresh directory under the build's temporary space, and its cleanup. */
static char dir[256];

static void make_dir(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/check_writer.XXXXXX", t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static int dir_entries(void)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void remove_dir(const char *file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    unlink(path);
    ck_assert_int_eq(dir_entries(), 0);
    ck_assert_int_eq(rmdir(dir), 0);
}

/* Read a whole file, plain or gzip-compressed, into a NUL-terminated buffer. */
static char *slurp(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    int k;
    while ((k = gzread(f, s + n, (unsigned)(cap - n - 1))) > 0) {
        n += (size_t)k;
        if (cap - n - 1 == 0)
            ck_assert_ptr_nonnull(s = realloc(s, cap *= 2));
    }
    ck_assert_int_eq(k, 0);
    ck_assert_int_eq(gzclose(f), Z_OK);
    s[n] = '\0';
    *len = n;
    return s;
}

/* Write a small simulation to name in dir and compare it with printf's
 * rendering of the same rows. */
static void check_file(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    fl_sim_opts o;
    fl_sim_opts_default(&o);
    o.images = 3;
    o.anchors = 2000; /* 6000 rows: several of the writer's chunks below */
    o.classes = 2;
    o.pos_frac = o.ign_frac = 0.1;
    fl_sim *s = NULL;
    ck_assert_int_eq(fl_sim_new(&o, &s), FL_OK);
    fl_writer *w = NULL;
    ck_assert_int_eq(fl_writer_open(path, &w), FL_OK);
    size_t cap = 1 << 20, len = 0;
    char *want = malloc(cap);
    len += (size_t)snprintf(want, cap, "image_id,anchor,class,logit,label\n");
    fl_sim_row rows[1000];
    size_t n;
    while ((n = fl_sim_fill(s, rows, 1000)) > 0) {
        ck_assert_int_eq(fl_writer_rows(w, rows, n), FL_OK);
        for (size_t i = 0; i < n; i++) {
            double x = (double)rows[i].logit_units / 1e6;
            len += (size_t)snprintf(want + len, cap - len,
                                    "%" PRIu64 ",%" PRIu64 ",%" PRIu64
                                    ",%.6f,%d\n",
                                    rows[i].image, rows[i].anchor,
                                    rows[i].klass, x == 0 ? 0.0 : x,
                                    rows[i].label);
        }
    }
    fl_sim_free(s);
    /* nothing under the final name before the commit */
    ck_assert_int_eq(access(path, F_OK), -1);
    ck_assert_int_eq(fl_writer_commit(w), FL_OK);
    size_t got_len;
    char *got = slurp(path, &got_len);
    ck_assert_uint_eq(got_len, len);
    ck_assert(memcmp(got, want, len) == 0);
    free(got);
    free(want);
    ck_assert_int_eq(dir_entries(), 1); /* no temporary file left */
}

START_TEST(test_plain_file)
{
    make_dir();
    check_file("out.csv");
    remove_dir("out.csv");
}
END_TEST

START_TEST(test_gzip_file)
{
    make_dir();
    check_file("out.csv.gz");
    char path[512];
    snprintf(path, sizeof path, "%s/out.csv.gz", dir);
    FILE *f = fopen(path, "rb");
    unsigned char magic[2] = {0};
    ck_assert_uint_eq(fread(magic, 1, 2, f), 2);
    fclose(f);
    ck_assert(magic[0] == 0x1f && magic[1] == 0x8b);
    remove_dir("out.csv.gz");
}
END_TEST

START_TEST(test_abort_leaves_nothing)
{
    make_dir();
    char path[512];
    snprintf(path, sizeof path, "%s/old.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("precious\n", f);
    fclose(f);
    fl_writer *w = NULL;
    ck_assert_int_eq(fl_writer_open(path, &w), FL_OK);
    fl_sim_row row = {.logit_units = -5, .label = -1};
    ck_assert_int_eq(fl_writer_rows(w, &row, 1), FL_OK);
    fl_writer_abort(w);
    fl_writer_abort(NULL);
    size_t n;
    char *s = slurp(path, &n);
    ck_assert_str_eq(s, "precious\n"); /* the old file is untouched */
    free(s);
    remove_dir("old.csv");
}
END_TEST

START_TEST(test_open_fails)
{
    fl_writer *w = (fl_writer *)&w;
    errno = 0;
    ck_assert_int_eq(fl_writer_open("/nonexistent-flstat-dir/x.csv", &w),
                     FL_EIO);
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_ptr_null(w);
}
END_TEST

Suite *writer_suite(void)
{
    Suite *s = suite_create("writer");
    TCase *tc = tcase_create("writer");
    tcase_add_test(tc, test_logit_text);
    tcase_add_test(tc, test_plain_file);
    tcase_add_test(tc, test_gzip_file);
    tcase_add_test(tc, test_abort_leaves_nothing);
    tcase_add_test(tc, test_open_fails);
    suite_add_tcase(s, tc);
    return s;
}
