/* numparse.c: strict number parsing.
 *
 * Most fields in a dump are short decimals such as -4.505373 or
 * -4.5053732618209388.  When the digits fit in 2^53 and the power of ten
 * is at most 22 in magnitude, both are exact doubles and one
 * multiplication or division rounds correctly (Clinger's fast path), so
 * the result equals strtod's.  Up to 19 digits, not counting leading
 * zeros (the shortest form of most doubles has 17), and a power of ten up
 * to 27 are exact in x87's 64-bit significand, where one operation rounds
 * once more and a check of the bits it rounded to tells when the double
 * is still exact (see scale_extended).  Everything else (more digits,
 * large exponents, nan, hex, junk) goes to the C locale's strtod. */
#include "input/csv/numparse.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}


#ifdef FL_NUM_EXTENDED
int fl_num_extended_is_exact(void)
{
    volatile long double top = 18446744073709551616.0L, one = 1.0L;
    return top - one != top; /* 2^64 - 1 needs all 64 bits */
}

/* m times 10^e10 (m < 2^64, |e10| <= 27) rounded once to a 64-bit
 * significand (both factors are exact there), then to a double.  The
 * second rounding gives the correctly rounded double unless the first
 * landed exactly halfway between two doubles (the 11 bits below the
 * double's last are 10000000000): the exact value may have been on
 * either side, so that case goes to strtod.  Where the unit rounds to
 * fewer bits, those 11 bits are all zero in every result; that is common
 * at 64 bits too (a decimal of 18 or 19 digits lies within a few 64-bit
 * units of its double), so only then is the unit checked, and a unit that
 * does not keep 64 bits leaves the result to strtod.  Return 1 with *out
 * set, or 0. */
static int scale_extended(uint64_t m, int e10, int neg, double *out)
{
    if (e10 < -27 || e10 > 27)
        return 0;
    long double v = (long double)m;
    v = e10 < 0 ? v / fl_num_pow10_extended[-e10]
                : v * fl_num_pow10_extended[e10];
    unsigned below = fl_num_below_double(v);
    if (below == 0x400 || (below == 0 && !fl_num_extended_is_exact()))
        return 0;
    double d = (double)v;
    *out = neg ? -d : d;
    return 1;
}
#else
int fl_num_extended_is_exact(void)
{
    return 0;
}

static int scale_extended(uint64_t m, int e10, int neg, double *out)
{
    (void)m, (void)e10, (void)neg, (void)out;
    return 0;
}
#endif

/* m times 10^e10, negated when neg: exactly when m and the power of ten
 * are exact doubles (Clinger's fast path), else through scale_extended.
 * Return 1 with *out set, or 0 to defer to strtod. */
static int scale_decimal(uint64_t m, int e10, int neg, double *out)
{
    double v = (double)m;
    if (m > ((uint64_t)1 << 53))
        return scale_extended(m, e10, neg, out);
    if (m != 0) {
        if (e10 < -22 || e10 > 22)
            return scale_extended(m, e10, neg, out);
        v = e10 < 0 ? v / fl_num_pow10_exact[-e10]
                    : v * fl_num_pow10_exact[e10];
    }
    *out = neg ? -v : v;
    return 1;
}

/* Return 1 and set *out when s[0, len) is a decimal the fast path can take
 * exactly; 0 to defer to strtod. */
static int parse_fast(const char *s, size_t len, double *out)
{
    const char *p = s, *end = s + len;
    int neg = 0;
    if (p < end && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    uint64_t m = 0;
    size_t sig = 0; /* digits from the first that is not 0: m's */
    const char *int_start = p;
    for (unsigned d; p < end && (d = (unsigned)(*p - '0')) < 10; p++) {
        sig += (m | d) != 0;
        m = 10 * m + d;
    }
    size_t digits = (size_t)(p - int_start);
    int scale = 0;
    if (p < end && *p == '.') {
        const char *frac_start = ++p;
        for (unsigned d; p < end && (d = (unsigned)(*p - '0')) < 10; p++) {
            sig += (m | d) != 0;
            m = 10 * m + d;
        }
        scale = -(int)(p - frac_start);
        digits += (size_t)(p - frac_start);
    }
    if (digits == 0 || sig > 19)
        return 0;
    int e = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        int eneg = 0;
        p++;
        if (p < end && (*p == '-' || *p == '+'))
            eneg = *p++ == '-';
        const char *exp_start = p;
        for (unsigned d; p < end && (d = (unsigned)(*p - '0')) < 10 &&
                         p - exp_start < 4;
             p++)
            e = 10 * e + (int)d;
        if (p == exp_start || p - exp_start >= 4)
            return 0;
        e = eneg ? -e : e;
    }
    if (p != end)
        return 0;
    return scale_decimal(m, e + scale, neg, out);
}

/* strtod also skips any white space (\v and \f too) and reads hexadecimal:
 * neither is a decimal number. */
static int decimal_start(const char *s)
{
    const char *d = s + (s[0] == '+' || s[0] == '-');
    return !isspace((unsigned char)s[0]) &&
           !(d[0] == '0' && (d[1] == 'x' || d[1] == 'X'));
}

static enum fl_num parse_strtod(const char *s, size_t len, double *out)
{
    char small[128];
    char *buf = len < sizeof small ? small : malloc(len + 1);
    if (!buf)
        return FL_NUM_JUNK;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    enum fl_num st = FL_NUM_OK;
    if (end != buf + len || len == 0 || !decimal_start(buf))
        st = FL_NUM_JUNK;
    else if (isnan(v)) /* ERANGE too after a long nan(...) payload */
        st = FL_NUM_NONFINITE;
    else if (isinf(v))
        st = errno == ERANGE ? FL_NUM_RANGE : FL_NUM_NONFINITE;
    else
        *out = v;
    if (buf != small)
        free(buf);
    return st;
}

enum fl_num fl_parse_double(const char *s, size_t len, double *out)
{
    if (len && !is_blank(s[0]) && !is_blank(s[len - 1]) &&
        parse_fast(s, len, out))
        return FL_NUM_OK;
    size_t a = 0, b = len;
    while (a < b && is_blank(s[a]))
        a++;
    while (b > a && is_blank(s[b - 1]))
        b--;
    if (a == b)
        return FL_NUM_EMPTY;
    if (parse_fast(s + a, b - a, out))
        return FL_NUM_OK;
    return parse_strtod(s + a, b - a, out);
}

int fl_parse_decimal_fast(const char *s, size_t len, double *out)
{
    return parse_fast(s, len, out);
}

#if defined(__SSE2__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* The value of the first n (1 to 8) bytes at p, all digits. */
static inline uint64_t eight_digits(const char *p, unsigned n)
{
    return fl_num_eight_digits_of(fl_num_load8(p), n);
}

/* m followed by the n (at most 19) digits at p. */
static inline uint64_t append_digits(uint64_t m, const char *p, unsigned n)
{
    for (; n > 8; n -= 8, p += 8)
        m = m * fl_num_pow10_int[8] + eight_digits(p, 8);
    return n ? m * fl_num_pow10_int[n] + eight_digits(p, n) : m;
}

/* The general shape of fl_parse_decimal_padded (the common one is inline
 * in numparse.h): up to 19 digits with or without a point. */
int fl_parse_decimal_padded_general(const char *s, size_t len, double *out)
{
    int neg = s[0] == '-';
    const char *p = s + (neg || s[0] == '+');
    unsigned n = (unsigned)(len - (size_t)(p - s));
    if (n == 0 || n > 32)
        return parse_fast(s, len, out);
    uint32_t other = ~(fl_num_digit_mask(p) |
                       (uint32_t)fl_num_digit_mask(p + 16) << 16);
    if (n < 32)
        other &= ((uint32_t)1 << n) - 1;
    unsigned digits = n, frac = 0;
    if (other) { /* one point and digits, or the general path decides */
        digits = (unsigned)__builtin_ctz(other);
        if (p[digits] != '.' || (other & (other - 1)))
            return parse_fast(s, len, out);
        frac = n - digits - 1;
    }
    if (digits + frac == 0 || digits + frac > 19)
        return parse_fast(s, len, out);
    uint64_t m =
        append_digits(append_digits(0, p, digits), p + digits + 1, frac);
    return scale_decimal(m, -(int)frac, neg, out);
}

#endif
