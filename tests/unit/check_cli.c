/* check_cli.c: the shared option loop. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"
#include "testutil.h"

static int count_q(void *ctx, int c, const char *arg)
{
    (void)arg;
    if (c == 'q')
        ++*(int *)ctx;
    return 0;
}

/* A parse that stops inside a cluster (-qZq: Z is unknown) leaves nothing
 * behind for the next parse in the same process. */
START_TEST(test_getopt_twice)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 1},
                                             {NULL, 0, NULL, 0}};
    char a0[] = "flstat", a1[] = "-qZq", b1[] = "--help";
    char *first[] = {a0, a1, NULL}, *second[] = {a0, b1, NULL};
    int q = 0;
    FILE *saved = stderr;
    stderr = fopen("/dev/null", "w"); /* the usage message */
    int st = fl_getopt("test", 2, first, "q", longopts, 1, count_q, &q);
    fclose(stderr);
    stderr = saved;
    ck_assert_int_eq(st, FL_EXIT_USAGE);
    ck_assert_int_eq(q, 1);
    q = 0; /* not the q left over after the Z */
    ck_assert_int_eq(fl_getopt("test", 2, second, "q", longopts, 1, count_q, &q), -1);
    ck_assert_int_eq(q, 0);
}
END_TEST

Suite *cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("cli");
    tcase_add_test(tc, test_getopt_twice);
    suite_add_tcase(s, tc);
    return s;
}
