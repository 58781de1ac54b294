/* testutil.h: helpers shared by the unit tests. */
#ifndef FL_TESTUTIL_H
#define FL_TESTUTIL_H

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define FL_SUITE(name) Suite *name##_suite(void);
#include "suites.def"
#undef FL_SUITE

/* Assert that got agrees with want to a relative rel (absolute abs near 0). */
#define ck_assert_close(got, want, rel, abs_tol)                               \
    do {                                                                       \
        double g_ = (got), w_ = (want);                                        \
        ck_assert_msg(fabs(g_ - w_) <= (abs_tol) ||                            \
                          fabs(g_ - w_) <= (rel) * fabs(w_),                   \
                      "%s = %.17g, want %.17g", #got, g_, w_);                 \
    } while (0)

/* Return the path of reference file name (FLSTAT_REFERENCE, else
 * tests/reference) in a static buffer. */
static inline const char *fl_test_reference(const char *name)
{
    static char path[4096];
    const char *dir = getenv("FLSTAT_REFERENCE");
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/reference",
             name);
    return path;
}

#endif
