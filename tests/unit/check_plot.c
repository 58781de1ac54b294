/* check_plot.c: files whole or not at all; gnuplot strings. */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "output/plot.h"
#include "core/status.h"
#include "testutil.h"

static int fill_text(void *ctx, FILE *out)
{
    fputs(ctx, out);
    return ferror(out) ? -1 : 0;
}

static int fill_fails(void *ctx, FILE *out)
{
    fputs(ctx, out); /* half written, then a failure */
    errno = ENOSPC;
    return -1;
}

static void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

START_TEST(test_atomic_write)
{
    char dir[] = "/tmp/flstat-plot-XXXXXX", path[64], buf[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/f.gp", dir);
    ck_assert_int_eq(fl_plot_write_file(path, fill_text, "one\n"), FL_OK);
    slurp(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "one\n");
    /* a failed write leaves the old file as it was, and nothing beside it */
    ck_assert_int_eq(fl_plot_write_file(path, fill_fails, "two\n"), FL_EIO);
    ck_assert_int_eq(errno, ENOSPC);
    slurp(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "one\n");
    ck_assert_int_eq(entries(dir), 1);
    ck_assert_int_eq(fl_plot_write_file(path, fill_text, "three\n"), FL_OK);
    slurp(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "three\n");
    unlink(path);
    /* no directory: an error, no file */
    snprintf(path, sizeof path, "%s/no/f.gp", dir);
    ck_assert_int_eq(fl_plot_write_file(path, fill_text, "x"), FL_EIO);
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_gp_string)
{
    char buf[64] = "";
    FILE *f = fmemopen(buf, sizeof buf, "w");
    fl_gp_string(f, "it's a\tb\\c");
    fclose(f);
    ck_assert_str_eq(buf, "'it''s a?b\\c'");
    ck_assert_int_eq(fl_gp_string_ok("plain 'quoted' name"), 1);
    ck_assert_int_eq(fl_gp_string_ok("new\nline"), 0);
}
END_TEST

START_TEST(test_render_names)
{
    enum fl_render r;
    ck_assert_int_eq(fl_render_parse("svg", &r), 0);
    ck_assert_int_eq(r, FL_RENDER_SVG);
    ck_assert_int_eq(fl_render_parse("PNG", &r), -1);
    ck_assert_int_eq(fl_render_parse("", &r), -1);
    ck_assert_str_eq(fl_render_name(FL_RENDER_PDF), "pdf");
}
END_TEST

Suite *plot_suite(void)
{
    Suite *s = suite_create("plot");
    TCase *tc = tcase_create("plot");
    tcase_add_test(tc, test_atomic_write);
    tcase_add_test(tc, test_gp_string);
    tcase_add_test(tc, test_render_names);
    suite_add_tcase(s, tc);
    return s;
}
