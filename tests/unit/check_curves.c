/* check_curves.c: Figure 1 against the reference curves. */
#include <string.h>

#include "core/curves.h"
#include "core/status.h"
#include "testutil.h"

START_TEST(test_reference)
{
    FILE *f = fopen(fl_test_reference("curves-figure1.csv"), "r");
    ck_assert_msg(f != NULL, "cannot open the reference curves");
    char line[512];
    ck_assert(fgets(line, sizeof line, f) != NULL);
    ck_assert_str_eq(line, "p_t,gamma,ce,fl,dfl_dx_pos\n");
    double pt, gamma, ce, fl, dfl;
    int rows = 0;
    while (fscanf(f, "%lf,%lf,%lf,%lf,%lf", &pt, &gamma, &ce, &fl, &dfl) == 5) {
        fl_curve_point c;
        ck_assert_int_eq(fl_curves_eval(&gamma, 1, &pt, 1, 0, 0.25, &c), FL_OK);
        ck_assert(c.pt == pt && c.gamma == gamma);
        ck_assert_close(c.ce, ce, 1e-9, 1e-12);
        ck_assert_close(c.fl, fl, 1e-9, 1e-12);
        ck_assert_close(c.grad, dfl, 1e-9, 1e-12);
        /* alpha weighs the positive's loss and gradient, not CE */
        ck_assert_int_eq(fl_curves_eval(&gamma, 1, &pt, 1, 1, 0.25, &c), FL_OK);
        ck_assert_close(c.ce, ce, 1e-9, 1e-12);
        ck_assert_close(c.fl, 0.25 * fl, 1e-9, 1e-12);
        ck_assert_close(c.grad, 0.25 * dfl, 1e-9, 1e-12);
        rows++;
    }
    fclose(f);
    ck_assert_int_eq(rows, 50);
}
END_TEST

START_TEST(test_layout_and_limits)
{
    double gamma[] = {0, 0.5, 2};
    double pt[] = {0.25, 1};
    fl_curve_point c[6];
    ck_assert_int_eq(fl_curves_eval(gamma, 3, pt, 2, 0, 0, c), FL_OK);
    for (int i = 0; i < 3; i++) {
        ck_assert(c[2 * i].gamma == gamma[i] && c[2 * i].pt == 0.25);
        /* p_t = 1: no loss, no gradient, and no -0 */
        ck_assert(c[2 * i + 1].ce == 0 && c[2 * i + 1].fl == 0);
        ck_assert(c[2 * i + 1].grad == 0 && !signbit(c[2 * i + 1].grad));
        /* FL = (1 - p_t)^gamma CE = 0.75^gamma log 4 */
        ck_assert_close(c[2 * i].fl, pow(0.75, gamma[i]) * log(4.0), 1e-14, 0);
    }
    double bad[] = {0.5, 0};
    ck_assert_int_eq(fl_curves_eval(gamma, 1, bad, 2, 0, 0, c), FL_EINVAL);
    bad[1] = 1.5;
    ck_assert_int_eq(fl_curves_eval(gamma, 1, bad, 2, 0, 0, c), FL_EINVAL);
}
END_TEST

Suite *curves_suite(void)
{
    Suite *s = suite_create("curves");
    TCase *tc = tcase_create("curves");
    tcase_add_test(tc, test_reference);
    tcase_add_test(tc, test_layout_and_limits);
    suite_add_tcase(s, tc);
    return s;
}
