/* check_numparse.c: strict parsing, its verdicts and its values. */
#include <gsl/gsl_rng.h>
#include <string.h>

#include "input/csv/numparse.h"
#include "testutil.h"

static enum fl_num parse(const char *s, double *v)
{
    return fl_parse_double(s, strlen(s), v);
}

START_TEST(test_values)
{
    static const struct {
        const char *s;
        double v;
    } ok[] = {
        {"0", 0},         {"-0", -0.0},     {"1.5", 1.5},
        {" 2.25 ", 2.25}, {"+3", 3},        {"-1e-3", -1e-3},
        {"1E2", 100},     {".5", 0.5},      {"5.", 5},
        {"1e-400", 0},    {"-11.763768936765141", -11.763768936765141},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        double v = NAN;
        ck_assert_int_eq(parse(ok[i].s, &v), FL_NUM_OK);
        ck_assert_msg(v == ok[i].v, "%s -> %.17g", ok[i].s, v);
    }
}
END_TEST

START_TEST(test_verdicts)
{
    double v;
    ck_assert_int_eq(parse("", &v), FL_NUM_EMPTY);
    ck_assert_int_eq(parse("  ", &v), FL_NUM_EMPTY);
    ck_assert_int_eq(parse("abc", &v), FL_NUM_JUNK);
    ck_assert_int_eq(parse("1.5x", &v), FL_NUM_JUNK);
    ck_assert_int_eq(parse("1 2", &v), FL_NUM_JUNK);
    ck_assert_int_eq(parse("--1", &v), FL_NUM_JUNK);
    ck_assert_int_eq(parse("true", &v), FL_NUM_JUNK);
    ck_assert_int_eq(parse("nan", &v), FL_NUM_NONFINITE);
    ck_assert_int_eq(parse("-inf", &v), FL_NUM_NONFINITE);
    ck_assert_int_eq(parse("Infinity", &v), FL_NUM_NONFINITE);
    ck_assert_int_eq(parse("1e400", &v), FL_NUM_RANGE);
    ck_assert_int_eq(parse("-1e999", &v), FL_NUM_RANGE);
    /* an embedded NUL ends nothing: the whole field must be a number */
    ck_assert_int_eq(fl_parse_double("1\0002", 3, &v), FL_NUM_JUNK);
}
END_TEST

/* The parser agrees with strtod to the bit on decimals of every shape,
 * and reads no further than the length it is given. */
START_TEST(test_against_strtod)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 21);
    char buf[128], tmp[128];
    for (int i = 0; i < 300000; i++) {
        double u = gsl_rng_uniform(r) - 0.5;
        unsigned a = (unsigned)gsl_rng_uniform_int(r, 1000000);
        int w = (int)gsl_rng_uniform_int(r, 22), w2 = (int)gsl_rng_uniform_int(r, 22);
        switch (i % 7) {
        case 0: snprintf(buf, 64, "%.17g", u * pow(10, w - 11)); break;
        case 1: snprintf(buf, 64, "%.*f", w % 18, u * 1e3); break;
        case 2: snprintf(buf, 64, "%u.%0*ue%d", a % 1000, w % 12 + 1, a, w2 - 11); break;
        case 3: snprintf(buf, 64, "%0*u.%0*u", w + 1, a, w2 + 1, a); break;
        case 4: snprintf(buf, 64, "%.6f", ldexp(u, -w)); break;
        case 5: snprintf(buf, 64, "-%u.%u9x", a % 100, a); break;
        default: snprintf(buf, 64, "%+.15e", u * 1e-3); break;
        }
        size_t len = strlen(buf);
        memcpy(tmp, buf, len + 1);
        memset(buf + len, '7', 20); /* digits past the field */
        char *end;
        double want = strtod(tmp, &end), got, got2;
        int ok = *end == '\0';
        enum fl_num st = fl_parse_double(buf, len, &got);
        enum fl_num st2 = fl_parse_double(tmp, len, &got2);
        ck_assert_msg((st == FL_NUM_OK) == ok && (st2 == FL_NUM_OK) == ok, "%s", tmp);
        if (ok)
            ck_assert_msg(memcmp(&got, &want, sizeof want) == 0 &&
                              memcmp(&got2, &want, sizeof want) == 0,
                          "%s: %.17g %.17g, strtod %.17g", tmp, got, got2, want);
    }
    gsl_rng_free(r);
}
END_TEST

#if defined(__x86_64__) && defined(__LDBL_MANT_DIG__) && __LDBL_MANT_DIG__ == 64
#define HAVE_X87_PRECISION 1
/* Set the x87 unit's precision control (0: 24 bits, 2: 53, 3: 64) and
 * return the control word before. */
static unsigned short x87_precision(unsigned pc)
{
    unsigned short old, cw;
    __asm__ volatile("fnstcw %0" : "=m"(old));
    cw = (unsigned short)((old & ~0x300u) | pc << 8);
    __asm__ volatile("fldcw %0" : : "m"(cw));
    return old;
}

static void x87_restore(unsigned short cw)
{
    __asm__ volatile("fldcw %0" : : "m"(cw));
}
#endif

/* Decimals of 17 to 19 digits (the shortest form of most doubles, and
 * numpy's %.18e), whose digits pass 2^53: the parser agrees with strtod to
 * the bit, also on decimals next to a halfway point between two doubles
 * and on the halfway points themselves, which it leaves to strtod; and so
 * it does where the x87 unit's precision control is set to 53 bits (2) or
 * 24 (0), not the 64 (3) its exact path needs: there a result can be
 * rounded twice (digits of 2^63 or more are loaded with an addition that
 * rounds too), and must go to strtod.  Valgrind, which also rounds to 53
 * bits, runs the CLI tests on such numbers. */
static void check_long_digits(unsigned pc)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 17);
    static const char *const fixed[] = {
        "9007199254740993",  "9007199254740995", "-4.5053732618209388",
        "18446744073709551615", "9999999999999999999", "1.0000000000000001",
        "0.30000000000000004", "123456789012345678e-27", "4.4501477170144023e-8"};
    char buf[64];
    for (int i = 0; i < 200000 + (int)(sizeof fixed / sizeof *fixed); i++) {
        int k = i - 200000;
        double d = ldexp(gsl_rng_uniform_pos(r), (int)gsl_rng_uniform_int(r, 60) - 30);
        long double half = ((long double)d + nextafter(d, INFINITY)) / 2;
        if (k >= 0)
            snprintf(buf, sizeof buf, "%s", fixed[k]);
        else if (i % 4 == 0)
            snprintf(buf, sizeof buf, "%.17g", -d);
        else if (i % 4 == 1)
            snprintf(buf, sizeof buf, "%.18e", d);
        else if (i % 4 == 2) /* 19 digits next to the halfway point */
            snprintf(buf, sizeof buf, "%.18Le", half);
        else { /* halfway points themselves: odd integers past 2^53, and
                * 2^60 + 128 + multiples of 256 */
            uint64_t bits = (uint64_t)gsl_rng_get(r) << 20 ^ gsl_rng_get(r);
            uint64_t m = i % 8 == 3 ? (1ULL << 53) | (bits & ((1ULL << 53) - 1)) | 1
                                    : (1ULL << 60) + ((bits & ((1ULL << 52) - 1)) << 8) + 128;
            snprintf(buf, sizeof buf, "%llu", (unsigned long long)m);
        }
        double want = strtod(buf, NULL), got;
        enum fl_num st;
#ifdef HAVE_X87_PRECISION
        unsigned short cw = x87_precision(pc);
        st = fl_parse_double(buf, strlen(buf), &got);
        x87_restore(cw);
#else
        (void)pc;
        st = fl_parse_double(buf, strlen(buf), &got);
#endif
        ck_assert_msg(st == FL_NUM_OK, "%s", buf);
        ck_assert_msg(memcmp(&got, &want, sizeof want) == 0,
                      "%s (precision %u): %.17g, strtod %.17g", buf, pc, got,
                      want);
    }
    gsl_rng_free(r);
}

START_TEST(test_long_digits)
{
    check_long_digits(3);
    check_long_digits(2);
    check_long_digits(0);
}
END_TEST

/* The padded parsers (the AVX2 one too, where the processor has it) take
 * what the fast one takes, to the bit, whatever follows the field: digits,
 * a point, a delimiter, junk. */
START_TEST(test_padded)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    static const char alphabet[] = "0123456789012345678901234567890123456789"
                                   "..--+eE,\n x";
    char buf[128];
    int taken = 0;
    for (int i = 0; i < 400000; i++) {
        size_t len = (size_t)gsl_rng_uniform_int(r, 27);
        for (size_t k = 0; k < 64; k++)
            buf[k] = alphabet[gsl_rng_uniform_int(r, sizeof alphabet - 1)];
        if (i % 3 == 0) { /* shaped like a dump's logit */
            snprintf(buf, 64, "%.*f", (int)gsl_rng_uniform_int(r, 18),
                     (gsl_rng_uniform(r) - 0.5) * pow(10, (double)gsl_rng_uniform_int(r, 12)));
            len = strlen(buf);
            buf[len] = alphabet[gsl_rng_uniform_int(r, sizeof alphabet - 1)];
        }
        double a = 0, b = 0;
        int fa = fl_parse_decimal_fast(buf, len, &a);
        int fb = fl_parse_decimal_padded(buf, len, &b);
        ck_assert_msg(fa == fb, "'%.*s': fast %d, padded %d", (int)len, buf, fa, fb);
        if (fa)
            ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "'%.*s': %.17g, %.17g",
                          (int)len, buf, a, b);
#ifdef FL_NUM_AVX2
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2")) {
            double c = 0;
            fl_num_avx2_k nk = fl_num_avx2_consts();
            int fc = fl_parse_decimal_avx2(&nk, buf, len, &c);
            ck_assert_msg(fa == fc, "'%.*s': fast %d, avx2 %d", (int)len, buf, fa, fc);
            if (fa)
                ck_assert_msg(memcmp(&a, &c, sizeof a) == 0,
                              "'%.*s': %.17g, avx2 %.17g", (int)len, buf, a, c);
        }
#endif
        taken += fa;
    }
    ck_assert_int_gt(taken, 100000); /* the cases are not all refused */
    gsl_rng_free(r);
}
END_TEST

#ifdef FL_NUM_AVX2
#ifdef FL_NUM_EXTENDED
/* fl_parse_decimal_avx2_long under the x87 precision control pc (where it
 * can be set), its constants made there (exact64 as the unit then is, or
 * with wrong, 1 whatever it is): 0 or strtod's double to the bit. */
static int long_parse(const char *s, size_t len, unsigned pc, int wrong,
                      double *out)
{
#ifdef HAVE_X87_PRECISION
    unsigned short cw = x87_precision(pc);
#else
    (void)pc;
#endif
    fl_num_avx2_k nk = fl_num_avx2_consts();
    if (wrong)
        nk.exact64 = 1;
    int ok = fl_parse_decimal_avx2_long(&nk, s, len, out);
#ifdef HAVE_X87_PRECISION
    x87_restore(cw);
#endif
    return ok;
}

/* The long path of the AVX2 parser (fields of 17 to 28 bytes, up to 19
 * digits after any leading zeros, a point between digits; Python's repr of
 * a double, a probability too): what it takes is strtod's double to the
 * bit, whatever follows the field, also next to and at a halfway point
 * between two doubles and where the x87 unit keeps 53 bits or 24 (it must
 * then refuse what it cannot round right, told so by exact64: with exact64
 * wrongly 1 there, some results are wrong); at 64 bits it takes nearly all
 * of Python's shapes. */
START_TEST(test_avx2_long)
{
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi2"))
        return;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 23);
    static const char tails[] = "0123456789.,-e\n";
    char buf[96];
    int taken = 0, shaped = 0, wrong = 0;
    for (int i = 0; i < 300000; i++) {
        double d = (gsl_rng_uniform(r) - 0.5) *
                   pow(10, (double)gsl_rng_uniform_int(r, 16) - 3);
        if (i % 12 == 6) /* a probability below 0.1 */
            d = gsl_rng_uniform(r) *
                pow(10, -1 - (double)gsl_rng_uniform_int(r, 4));
        switch (i % 6) {
        case 0: snprintf(buf, 64, "%.17g", d); break;
        case 1: snprintf(buf, 64, "%.16g", d); break;
        case 2: /* 19 digits next to the halfway point after d */
            snprintf(buf, 64, "%.18Lf",
                     ((long double)d + nextafter(d, INFINITY)) / 2 / 1e6L);
            break;
        case 3: { /* 16 to 21 digits and up to 8 leading zeros, the point
                   * anywhere (two, or none) */
            int zeros = (int)gsl_rng_uniform_int(r, 9), n = 16 + zeros +
                        (int)gsl_rng_uniform_int(r, 6);
            for (int k = 0; k < n; k++)
                buf[k] = k < zeros ? '0'
                                   : (char)('0' + gsl_rng_uniform_int(r, 10));
            buf[gsl_rng_uniform_int(r, (unsigned long)n)] = '.';
            buf[n] = '\0';
            if (i % 12 == 3)
                buf[gsl_rng_uniform_int(r, (unsigned long)n)] = '.';
            break;
        }
        case 4:
            snprintf(buf, 64, "%.*f", 14 + (int)gsl_rng_uniform_int(r, 6), d);
            break;
        default: /* exact: trailing zeros, halves */
            snprintf(buf, 64, "%.17f",
                     ldexp((double)gsl_rng_uniform_int(r, 64), -6));
            break;
        }
        size_t len = strlen(buf);
        buf[len] = tails[gsl_rng_uniform_int(r, sizeof tails - 1)];
        memset(buf + len + 1, "79"[i % 2], 40);
        char *end;
        char field[64];
        memcpy(field, buf, len);
        field[len] = '\0';
        double want = strtod(field, &end);
        int number = end == field + len;
        /* Python's shapes of 17 bytes or more, no exponent */
        int python = number && i % 6 < 2 && !strchr(field, 'e') &&
                     len - (field[0] == '-') >= 17;
        shaped += python;
        for (unsigned pc = 0; pc <= 3; pc++) {
            if (pc == 1)
                continue; /* reserved */
            double got = 0;
            int ok = long_parse(buf, len, pc, 0, &got);
            ck_assert_msg(!ok || number, "'%s' taken", field);
            if (ok)
                ck_assert_msg(memcmp(&got, &want, sizeof want) == 0,
                              "'%s' (precision %u): %.17g, strtod %.17g", field,
                              pc, got, want);
            taken += ok && pc == 3 && python;
        }
        double bad = 0;
        wrong += long_parse(buf, len, 0, 1, &bad) &&
                 memcmp(&bad, &want, sizeof want) != 0;
    }
    /* at 64 bits, all but the rare halfway points */
    if (fl_num_extended_is_exact())
        ck_assert_int_ge(taken, shaped - shaped / 1000);
#ifdef HAVE_X87_PRECISION
    ck_assert_int_gt(wrong, 0);
#else
    (void)wrong;
#endif
    gsl_rng_free(r);
}
END_TEST
#endif
#endif

Suite *numparse_suite(void)
{
    Suite *s = suite_create("numparse");
    TCase *tc = tcase_create("numparse");
    tcase_add_test(tc, test_values);
    tcase_add_test(tc, test_verdicts);
    tcase_add_test(tc, test_against_strtod);
    tcase_add_test(tc, test_long_digits);
    tcase_add_test(tc, test_padded);
#if defined(FL_NUM_AVX2) && defined(FL_NUM_EXTENDED)
    tcase_add_test(tc, test_avx2_long);
#endif
    suite_add_tcase(s, tc);
    return s;
}
