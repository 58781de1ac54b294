/* fuzz_numparse.c: fl_parse_double against the C library's strtod: the
 * same double, or both refuse (with white space around allowed, and nan,
 * inf and hexadecimal refused); the padded fast parsers (the AVX2 one
 * where the processor has it) against the plain. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>

#include "fuzz.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/csv/numparse.h"

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 512)
        return 0;
    char s[520];
    memcpy(s, data, size);
    s[size] = '\0';
    double got;
    enum fl_num st = fl_parse_double(s, size, &got);

    /* the padded fast parser takes what the plain one takes, to the bit
     * (s has 48 bytes to read whatever size) */
    double fast = 0, padded = 0;
    int f1 = fl_parse_decimal_fast(s, size, &fast);
    int f2 = fl_parse_decimal_padded(s, size, &padded);
    if (f1 != f2 || (f1 && memcmp(&fast, &padded, sizeof fast) != 0)) {
        fprintf(stderr, "'%s': fast %d %.17g, padded %d %.17g\n", s, f1, fast,
                f2, padded);
        abort();
    }
#ifdef FL_NUM_AVX2
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2")) {
        double wide = 0;
        fl_num_avx2_k nk = fl_num_avx2_consts();
        int f3 = fl_parse_decimal_avx2(&nk, s, size, &wide);
        if (f1 != f3 || (f1 && memcmp(&fast, &wide, sizeof fast) != 0)) {
            fprintf(stderr, "'%s': fast %d %.17g, avx2 %d %.17g\n", s, f1,
                    fast, f3, wide);
            abort();
        }
    }
#endif

    /* strtod over the same bytes, trimmed, as the whole field */
    size_t a = 0, b = size;
    while (a < b && blank(s[a]))
        a++;
    while (b > a && blank(s[b - 1]))
        b--;
    char t[520];
    memcpy(t, s + a, b - a);
    t[b - a] = '\0';
    char *end;
    errno = 0;
    double want = strtod(t, &end);
    const char *d = t + (t[0] == '+' || t[0] == '-');
    int hex = d[0] == '0' && (d[1] == 'x' || d[1] == 'X');
    int ok = b > a && end == t + (b - a) && memchr(t, '\0', b - a) == NULL &&
             isfinite(want) && !isspace((unsigned char)t[0]) && !hex;
    /* a NaN is not finite, never out of range (strtod's ERANGE after a
     * long nan(...) payload notwithstanding) */
    if (!ok && st == FL_NUM_RANGE && end == t + (b - a) && isnan(want))
        abort();
    if (ok != (st == FL_NUM_OK) || (ok && memcmp(&got, &want, sizeof got) != 0)) {
        fprintf(stderr, "'%s': fl_parse_double %d %.17g, strtod %.17g\n", t,
                st, got, want);
        abort();
    }
    return 0;
}
