/* check_suggest.c: the edit distance and the choice of suggestions, with
 * values worked out by hand. */
#include <string.h>

#include "cli/suggest.h"
#include "testutil.h"

static size_t dist(const char *a, const char *b)
{
    size_t d = fl_suggest_distance(a, strlen(a), b, strlen(b));
    /* the distance is symmetric */
    ck_assert_uint_eq(fl_suggest_distance(b, strlen(b), a, strlen(a)), d);
    return d;
}

START_TEST(test_distance)
{
    ck_assert_uint_eq(dist("", ""), 0);
    ck_assert_uint_eq(dist("abc", ""), 3);        /* three deletions */
    ck_assert_uint_eq(dist("gamma", "gamma"), 0);
    ck_assert_uint_eq(dist("gama", "gamma"), 1);  /* one insertion */
    ck_assert_uint_eq(dist("sumarize", "summarize"), 1);
    ck_assert_uint_eq(dist("Gamma", "gamma"), 1); /* case matters */
    ck_assert_uint_eq(dist("kitten", "sitting"), 3); /* k/s, e/i, +g */
    ck_assert_uint_eq(dist("flaw", "lawn"), 2);   /* -f, +n */
    ck_assert_uint_eq(dist("top", "tx"), 2);      /* o/x, -p */
}
END_TEST

/* A swap of two neighbours is one edit; a swapped pair edited again is not
 * (optimal string alignment): ca -> abc takes 3, not Damerau's 2. */
START_TEST(test_distance_swaps)
{
    ck_assert_uint_eq(dist("ab", "ba"), 1);
    ck_assert_uint_eq(dist("gmama", "gamma"), 1);  /* m,a swapped */
    ck_assert_uint_eq(dist("cuvres", "curves"), 1);
    ck_assert_uint_eq(dist("cfd", "cdf"), 1);
    ck_assert_uint_eq(dist("abcd", "badc"), 2);    /* two swaps */
    ck_assert_uint_eq(dist("ca", "abc"), 3);
}
END_TEST

START_TEST(test_distance_too_long)
{
    char longer[FL_SUGGEST_MAX_LEN + 2];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    ck_assert_uint_eq(dist(longer, "a"), (size_t)-1);
    longer[FL_SUGGEST_MAX_LEN] = '\0'; /* 64 characters: still measured */
    ck_assert_uint_eq(dist(longer, "a"), FL_SUGGEST_MAX_LEN - 1);
}
END_TEST

static const char *const commands[] = {"summarize", "simulate", "sweep",
                                       "curves",    "cdf",      "gradhist",
                                       "help"};
#define NCOMMANDS (sizeof commands / sizeof *commands)

/* The picks for word among names, as the names joined by spaces. */
static const char *picks(const char *word, const char *const *names,
                         size_t n)
{
    static char out[256];
    size_t pick[FL_SUGGEST_MAX];
    size_t k = fl_suggest_pick(word, strlen(word), names, n, pick);
    out[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        strcat(out, i ? " " : "");
        strcat(out, names[pick[i]]);
    }
    return out;
}

START_TEST(test_pick_near)
{
    ck_assert_str_eq(picks("sumarize", commands, NCOMMANDS), "summarize");
    ck_assert_str_eq(picks("swep", commands, NCOMMANDS), "sweep");
    ck_assert_str_eq(picks("cfd", commands, NCOMMANDS), "cdf");
    ck_assert_str_eq(picks("hepl", commands, NCOMMANDS), "help");
    ck_assert_str_eq(picks("Curves", commands, NCOMMANDS), "curves");
    ck_assert_str_eq(picks("xyz", commands, NCOMMANDS), "");
    ck_assert_str_eq(picks("", commands, NCOMMANDS), "");
}
END_TEST

/* Close means d <= 2 and 2 d < the word's length. */
START_TEST(test_pick_threshold)
{
    static const char *const opts[] = {"gamma", "pt", "top"};
    ck_assert_str_eq(picks("gxmxa", opts, 3), "gamma"); /* 2, 4 < 5 */
    ck_assert_str_eq(picks("gxxxa", opts, 3), "");      /* 3 */
    ck_assert_str_eq(picks("gxxa", opts, 3), "");       /* 2, 4 = 4 */
    ck_assert_str_eq(picks("px", opts, 3), "");         /* 1, 2 = 2 */
    ck_assert_str_eq(picks("tx", opts, 3), "");         /* 2 from top */
    ck_assert_str_eq(picks("tpo", opts, 3), "top");     /* a swap: 1 */
}
END_TEST

/* A prefix wins over any distance, and names at the same distance all
 * come, in their order, up to FL_SUGGEST_MAX. */
START_TEST(test_pick_prefix_and_ties)
{
    static const char *const wide[] = {"wise", "wide", "wide-prob"};
    ck_assert_str_eq(picks("wid", wide, 3), "wide wide-prob");
    ck_assert_str_eq(picks("sum", commands, NCOMMANDS), "summarize");
    ck_assert_str_eq(picks("s", commands, NCOMMANDS),
                     "summarize simulate sweep");
    static const char *const rhymes[] = {"bat", "cat", "hat", "mat", "pat"};
    ck_assert_str_eq(picks("rat", rhymes, 4), "bat cat hat mat");
    ck_assert_str_eq(picks("rat", rhymes, 5), ""); /* five: too many */
    ck_assert_str_eq(picks("at", rhymes, 5), "");  /* 1, 2 = 2 */
    static const char *const many[] = {"a1", "a2", "a3", "a4", "a5"};
    ck_assert_str_eq(picks("a", many, 4), "a1 a2 a3 a4");
    ck_assert_str_eq(picks("a", many, 5), "");
}
END_TEST

START_TEST(test_phrase)
{
    char buf[64];
    size_t one[] = {1}, two[] = {0, 2}, three[] = {0, 1, 2};
    ck_assert_str_eq(fl_suggest_phrase(buf, sizeof buf, "--", commands, one,
                                       1),
                     "'--simulate'");
    ck_assert_str_eq(fl_suggest_phrase(buf, sizeof buf, "", commands, two, 2),
                     "'summarize' or 'sweep'");
    ck_assert_str_eq(fl_suggest_phrase(buf, sizeof buf, "", commands, three,
                                       3),
                     "'summarize', 'simulate' or 'sweep'");
    ck_assert_str_eq(fl_suggest_phrase(buf, sizeof buf, "", commands, one, 0),
                     "");
    ck_assert_str_eq(fl_suggest_phrase(buf, 8, "", commands, three, 3),
                     "'summar");
}
END_TEST

Suite *suggest_suite(void)
{
    Suite *s = suite_create("suggest");
    TCase *tc = tcase_create("suggest");
    tcase_add_test(tc, test_distance);
    tcase_add_test(tc, test_distance_swaps);
    tcase_add_test(tc, test_distance_too_long);
    tcase_add_test(tc, test_pick_near);
    tcase_add_test(tc, test_pick_threshold);
    tcase_add_test(tc, test_pick_prefix_and_ties);
    tcase_add_test(tc, test_phrase);
    suite_add_tcase(s, tc);
    return s;
}
