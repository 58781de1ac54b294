/* check_grow.c: grow-to-fit arrays keep their elements and zero new ones. */
#include <stdint.h>
#include <stdlib.h>

#include "core/grow.h"
#include "testutil.h"

START_TEST(test_grow_keeps_and_zeroes)
{
    size_t cap = 0;
    uint32_t *a = fl_grow_to(NULL, &cap, sizeof *a, 0);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(cap, 64);
    for (size_t i = 0; i < cap; i++) {
        ck_assert_uint_eq(a[i], 0);
        a[i] = (uint32_t)i + 1;
    }
    ck_assert_ptr_eq(fl_grow_to(a, &cap, sizeof *a, 63), a); /* fits */
    a = fl_grow_to(a, &cap, sizeof *a, 1000);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(cap, 1024);
    for (size_t i = 0; i < cap; i++)
        ck_assert_uint_eq(a[i], i < 64 ? i + 1 : 0);
    free(a);
}
END_TEST

START_TEST(test_grow_overflow)
{
    size_t cap = 64;
    char *a = malloc(64);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_null(fl_grow_to(a, &cap, 1, SIZE_MAX));
    ck_assert_ptr_null(fl_grow_to(a, &cap, SIZE_MAX / 8, 64));
    ck_assert_uint_eq(cap, 64); /* unchanged, a still ours */
    free(a);
}
END_TEST

Suite *grow_suite(void)
{
    Suite *s = suite_create("grow");
    TCase *tc = tcase_create("grow");
    tcase_add_test(tc, test_grow_keeps_and_zeroes);
    tcase_add_test(tc, test_grow_overflow);
    suite_add_tcase(s, tc);
    return s;
}
