/* runner.c: runs every Check suite listed in suites.def. */
#include <check.h>
#include <stdlib.h>

#include "testutil.h"

#define FL_SUITE(name) Suite *name##_suite(void);
#include "suites.def"
#undef FL_SUITE

int main(void)
{
    SRunner *sr = srunner_create(NULL);
#define FL_SUITE(name) srunner_add_suite(sr, name##_suite());
#include "suites.def"
#undef FL_SUITE
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
