/* numparse.h: strict number parsing for dump fields. */
#ifndef FL_NUMPARSE_H
#define FL_NUMPARSE_H

#include <stddef.h>

#include "core/clones.h"

/* The powers of ten that are exact doubles, and the signs, that the
 * parsers below multiply or divide by (Clinger's fast path). */
static const double fl_num_pow10_exact[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};
static const double fl_num_sign[2] = {1.0, -1.0};

/* m / 10^frac, negated when neg, for m up to 2^53 and frac up to 22: both
 * exact doubles, one rounding (Clinger's fast path; times -1.0, not a
 * branch: the sign is as unpredictable as the data).  An integer under
 * 2^63 becomes a double in one signed conversion, so callers cast it. */
static inline double fl_num_scaled(double m, unsigned frac, unsigned neg)
{
    return m / fl_num_pow10_exact[frac] * fl_num_sign[neg];
}

#include <float.h>
#include <stdint.h>
#include <string.h>

#if LDBL_MANT_DIG == 64 && (defined(__x86_64__) || defined(__i386__))
#define FL_NUM_EXTENDED 1
/* 10^0 to 10^27, exact in x87's 64-bit significand (5^27 < 2^64). */
static const long double fl_num_pow10_extended[28] = {
    1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
    1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
    1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};

/* The 11 bits of v's 64-bit significand below a double's last: 0x400 when
 * v lies halfway between two doubles, 0 when it is one (which it may be
 * only as rounded to fewer bits: see fl_num_extended_is_exact). */
static inline unsigned fl_num_below_double(long double v)
{
    uint64_t significand; /* the first 8 bytes of the x87 format */
    memcpy(&significand, &v, sizeof significand);
    return (unsigned)(significand & 0x7FF);
}
#endif

/* Whether long double arithmetic keeps x87's 64 bits here: 0 where there
 * is none, or an emulator carries it in 53 (valgrind does), or the
 * precision control is set to 53 or 24 bits.  (The arguments that a
 * result rounded there once is exact then fail.) */
int fl_num_extended_is_exact(void);

enum fl_num {
    FL_NUM_OK,
    FL_NUM_EMPTY,     /* nothing but white space */
    FL_NUM_JUNK,      /* not a decimal number as a whole */
    FL_NUM_RANGE,     /* magnitude too large for a double */
    FL_NUM_NONFINITE  /* nan or inf spelled out */
};

/* Parse the len bytes at s (no NUL byte needed after them) as one decimal
 * number (sign, digits with a point, exponent; nan and inf are numbers but
 * not finite; hexadecimal is not a decimal), spaces, tabs, CR and LF
 * allowed around it, and store it in *out.  Return
 * FL_NUM_OK or the reason it is not a finite double; *out is then unset.
 * Values too small for a double round to zero or a subnormal: that is no
 * error.  The result is the C locale's strtod's, to the bit. */
enum fl_num fl_parse_double(const char *s, size_t len, double *out);

/* The exact fast path of fl_parse_double alone: return 1 and store the
 * value when s[0, len) is a decimal it takes (sign, at most 19 digits
 * after any leading zeros, a small exponent, no white space), else 0
 * (then ask fl_parse_double). */
int fl_parse_decimal_fast(const char *s, size_t len, double *out);

/* fl_parse_decimal_fast, to the bit, faster: may read the 48 bytes from s
 * whatever len (they need not belong to the field).  The common shape
 * (3 to 16 bytes: up to 8 digits, a point, up to 8 digits) is inline here,
 * since it runs once a row; fl_parse_decimal_padded_general takes the rest.
 *
 * The field's bytes are classed 16 at a time (which are digits, is the one
 * other a point), and its digits are summed eight at a time as the eight
 * bytes of one 64-bit word, the first byte lowest: no loop and no branch
 * per digit. */
#if defined(__SSE2__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#include <emmintrin.h>

int fl_parse_decimal_padded_general(const char *s, size_t len, double *out);

#define FL_NUM_ONES 0x0101010101010101ULL

/* fl_parse_decimal_padded_general into *out through a local: the inline
 * parsers below then never hand out's address to a call, so the caller's
 * variable can stay in a register. */
FL_ALWAYS_INLINE int fl_num_general(const char *s, size_t len, double *out)
{
    double v;
    int ok = fl_parse_decimal_padded_general(s, len, &v);
    if (ok)
        *out = v;
    return ok;
}

static const uint64_t fl_num_pow10_int[9] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

/* A bit for each of the 16 bytes at p that is a digit. */
static inline unsigned fl_num_digit_mask(const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    __m128i small = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
    return (unsigned)_mm_movemask_epi8(small);
}

static inline uint64_t fl_num_load8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* The value of the first n (1 to 8) bytes of v, all digits. */
static inline uint64_t fl_num_eight_digits_of(uint64_t v, unsigned n)
{
    v = (v - 0x30 * FL_NUM_ONES) << (8 * (8 - n)); /* zeros before */
    v = v * 10 + (v >> 8);                          /* pairs */
    return ((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32)) +
            ((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32))) >>
           32;
}

FL_ALWAYS_INLINE int fl_parse_decimal_padded(const char *s, size_t len,
                                             double *out)
{
    /* an empty field (s[0] may be read) goes to the general path */
    int neg = s[0] == '-';
    const char *p = s + (neg || s[0] == '+');
    unsigned n = (unsigned)(len - (size_t)(p - s));
    if (n - 3 > 13) /* 3 to 16 bytes: one mask of 16 classes them all */
        return fl_num_general(s, len, out);
    /* The common shape, 1 to 8 digits, a point, 1 to 8 digits, without a
     * branch on the digits' counts: both words summed side by side. */
    uint32_t other =
        ~fl_num_digit_mask(p) & (((uint32_t)1 << n) - 1) & 0xFFFF;
    unsigned digits = (unsigned)__builtin_ctz(other | (uint32_t)1 << 31);
    unsigned frac = n - digits - 1;
    if (digits - 1 > 7 || frac - 1 > 7 || (other & (other - 1)) ||
        p[digits] != '.')
        return fl_num_general(s, len, out);
    uint64_t m;
    if (digits + frac <= 8) { /* one word: the point's byte dropped */
        uint64_t before = ((uint64_t)1 << (8 * digits)) - 1;
        m = fl_num_eight_digits_of((fl_num_load8(p) & before) |
                                       (fl_num_load8(p + 1) & ~before),
                                   digits + frac);
    } else {
        m = fl_num_eight_digits_of(fl_num_load8(p), digits) *
                fl_num_pow10_int[frac] +
            fl_num_eight_digits_of(fl_num_load8(p + digits + 1), frac);
    }
    /* m < 10^16 but may exceed 2^53: then the general path rounds it */
    if (m > ((uint64_t)1 << 53))
        return fl_num_general(s, len, out);
    *out = fl_num_scaled((double)(int64_t)m, frac, (unsigned)neg);
    return 1;
}
#else
static inline int fl_parse_decimal_padded(const char *s, size_t len,
                                          double *out)
{
    return fl_parse_decimal_fast(s, len, out);
}
#endif

#ifdef FL_AVX2
#define FL_NUM_AVX2 1
#include <immintrin.h>

/* The bytes fl_parse_decimal_avx2 compares with, and whether x87's
 * results of 64 bits may be trusted (fl_num_extended_is_exact, asked once
 * by whoever makes a copy of fl_num_avx2_k_value; 0 there). */
typedef struct fl_num_avx2_k {
    __m128i zero, nine, point;
    int exact64;
} fl_num_avx2_k;

/* 16 bytes from 16 - k: the mask of the bytes from k on (k in 0 to 16),
 * one load where a compare with k would take three steps */
static const signed char fl_num_from_at[32] = {
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};

static const fl_num_avx2_k fl_num_avx2_k_value = {
    {0x3030303030303030LL, 0x3030303030303030LL},
    {0x0909090909090909LL, 0x0909090909090909LL},
    {0x2E2E2E2E2E2E2E2ELL, 0x2E2E2E2E2E2E2E2ELL},
    0};

/* A copy of fl_num_avx2_k_value with exact64 asked: a caller keeps one
 * (a loop of calls then reads the constants from memory, and does not
 * build them again in each pass from immediates, as it would from their
 * known values). */
static inline fl_num_avx2_k fl_num_avx2_consts(void)
{
    fl_num_avx2_k c = fl_num_avx2_k_value;
    c.exact64 = fl_num_extended_is_exact();
    return c;
}

/* 16 zeroing indices, then 0 to 15: 16 bytes from D on shuffle the first
 * D bytes last, zeros before them */
static const signed char fl_num_last[32] = {
    -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128,
    -128, -128, -128, -128, -128, 0,    1,    2,    3,    4,    5,
    6,    7,    8,    9,    10,   11,   12,   13,   14,   15};

/* The number the 16 digit values (0 to 9) of x spell, the first byte
 * the highest: three multiply-adds (16 digits stay under 2^64). */
FL_TARGET_AVX2 static inline uint64_t fl_num_sixteen_digits(__m128i x)
{
    __m128i t = _mm_maddubs_epi16(x, _mm_setr_epi8(10, 1, 10, 1, 10, 1, 10, 1,
                                                   10, 1, 10, 1, 10, 1, 10, 1));
    t = _mm_madd_epi16(t, _mm_setr_epi16(100, 1, 100, 1, 100, 1, 100, 1));
    t = _mm_packus_epi32(t, t);
    t = _mm_madd_epi16(t, _mm_setr_epi16(10000, 1, 10000, 1, 0, 0, 0, 0));
    return (uint64_t)(uint32_t)_mm_cvtsi128_si32(t) * 100000000 +
           (uint32_t)_mm_extract_epi32(t, 1);
}

/* fl_parse_decimal_avx2's own path alone: return 1 with *out set for a
 * field of its common shape (below), else 0 with *out as it was; no call,
 * so that a loop around it keeps its state in registers. */
FL_TARGET_AVX2 static inline int
fl_parse_decimal_avx2_common(const fl_num_avx2_k *c, const char *s,
                             size_t len, double *out)
{
    /* a plus sign, rare, is the general path's, as is an empty field */
    unsigned neg = s[0] == '-', n = (unsigned)len - neg;
    const char *p = s + neg;
    if (n - 3 > 13)
        return 0;
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i d = _mm_sub_epi8(v, c->zero);
    uint32_t all = ((uint32_t)1 << n) - 1;
    uint32_t digits = (uint32_t)_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_min_epu8(d, c->nine), d));
    uint32_t point =
        (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c->point)) & all;
    unsigned k = (unsigned)__builtin_ctz(point | (uint32_t)1 << 31);
    /* one point, a digit before it and after it, digits else */
    if (((digits | point) & all) != all || (point & (point - 1)) ||
        k - 1 > n - 3)
        return 0;
    unsigned frac = n - 1 - k;
    __m128i from = _mm_loadu_si128(
        (const __m128i *)(const void *)(fl_num_from_at + 16 - k));
    __m128i closed = _mm_blendv_epi8(d, _mm_srli_si128(d, 1), from);
    __m128i x = _mm_shuffle_epi8(
        closed, _mm_loadu_si128(
                    (const __m128i *)(const void *)(fl_num_last + n - 1)));
    *out = fl_num_scaled((double)(int64_t)fl_num_sixteen_digits(x), frac,
                         neg);
    return 1;
}

#ifdef FL_NUM_EXTENDED
/* fl_parse_decimal_avx2's path for the longer decimals that print a double
 * in full (Python's repr: up to 17 significant digits, after "0." and
 * zeros in a probability): return 1 with *out set for a field of 17 to 28
 * bytes after any minus sign (so at most 26 digits after the point: 10^26
 * is exact), digits and a point after one, with at most 19 digits from the
 * first that is not 0 and at most 16 of them before the point; else 0.  No
 * call.  The first 16 of those digits (or all, right-aligned) are closed
 * up over any point among them and summed as in _common, the last (up to
 * 3) appended, and the integer (under 10^19 < 2^64) divided by the power
 * of ten: as a double where both are exact (up to 2^53 and 10^22, as in
 * _common), else in x87's 64-bit significand, where both are exact: one
 * rounding there, one more to a double.  That is the correctly rounded
 * double unless the first left the quotient halfway between two doubles (then
 * the 11 bits below the double's last are 0x400), or the unit does not
 * keep 64 bits (c->exact64 0; where a result's 11 bits are 0 it may have
 * been rounded at 53): those return 0 too (numparse.c's scale_extended
 * has the argument). */
FL_TARGET_AVX2 static inline int
fl_parse_decimal_avx2_long(const fl_num_avx2_k *c, const char *s, size_t len,
                           double *out)
{
    unsigned neg = s[0] == '-', n = (unsigned)len - neg;
    const char *p = s + neg;
    if (n - 17 > 11)
        return 0;
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i d = _mm256_sub_epi8(v, _mm256_broadcastsi128_si256(c->zero));
    uint32_t all = ((uint32_t)1 << n) - 1;
    uint32_t digits = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
        _mm256_min_epu8(d, _mm256_broadcastsi128_si256(c->nine)), d));
    uint32_t point = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
                         v, _mm256_broadcastsi128_si256(c->point))) &
                     all;
    uint32_t zeros = (uint32_t)_mm256_movemask_epi8(
                         _mm256_cmpeq_epi8(d, _mm256_setzero_si256())) &
                     all;
    unsigned k = (unsigned)__builtin_ctz(point | (uint32_t)1 << 31);
    /* the first digit that is not 0 (n: none), and where the point falls
     * among the digits from there (16 when it comes before them) */
    unsigned lead = (unsigned)__builtin_ctz(~(zeros | point));
    unsigned at = k >= lead ? k - lead : 16;
    unsigned sig = n - lead - (k >= lead), frac = n - 1 - k;
    if (((digits | point) & all) != all || (point & (point - 1)) ||
        k - 1 > n - 2 || sig - 1 > 18 || at > 16)
        return 0;
    const char *q = p + lead;
    __m128i from = _mm_loadu_si128(
        (const __m128i *)(const void *)(fl_num_from_at + 16 - at));
    __m128i closed = _mm_blendv_epi8(
        _mm_loadu_si128((const __m128i *)(const void *)q),
        _mm_loadu_si128((const __m128i *)(const void *)(q + 1)), from);
    unsigned first = sig < 16 ? sig : 16;
    __m128i x = _mm_shuffle_epi8(
        _mm_sub_epi8(closed, c->zero),
        _mm_loadu_si128((const __m128i *)(const void *)(fl_num_last + first)));
    uint64_t m = fl_num_sixteen_digits(x);
    /* the 3 bytes after the first 16 digits, digits as far as sig reaches,
     * appended without a branch on their count (the others are read too,
     * and their sums dropped) */
    const unsigned char *t = (const unsigned char *)q + 16 + (k >= lead);
    uint64_t m1 = m * 10 + (uint64_t)(t[0] - '0');
    uint64_t m2 = m1 * 10 + (uint64_t)(t[1] - '0');
    uint64_t m3 = m2 * 10 + (uint64_t)(t[2] - '0');
    unsigned r = sig - first;
    m = r == 0 ? m : r == 1 ? m1 : r == 2 ? m2 : m3;
    if (m <= (uint64_t)1 << 53 && frac <= 22) {
        *out = fl_num_scaled((double)(int64_t)m, frac, neg);
        return 1;
    }
    long double x87 = (long double)m / fl_num_pow10_extended[frac];
    unsigned below = fl_num_below_double(x87);
    if (below == 0x400 || (below == 0 && !c->exact64))
        return 0;
    *out = (double)x87 * fl_num_sign[neg];
    return 1;
}
#else
/* Without x87's 64-bit significand no long path: the general one takes
 * those numbers. */
FL_TARGET_AVX2 static inline int
fl_parse_decimal_avx2_long(const fl_num_avx2_k *c, const char *s, size_t len,
                           double *out)
{
    (void)c, (void)s, (void)len, (void)out;
    return 0;
}
#endif

/* fl_parse_decimal_avx2's own paths, without its call to the general one */
FL_TARGET_AVX2 static inline int fl_parse_decimal_avx2_own(
    const fl_num_avx2_k *c, const char *s, size_t len, double *out)
{
    return fl_parse_decimal_avx2_common(c, s, len, out) ||
           fl_parse_decimal_avx2_long(c, s, len, out);
}

/* fl_parse_decimal_padded for a processor with AVX2 and BMI2 (the caller
 * asks __builtin_cpu_supports), to the bit, given fl_num_avx2_consts(): a
 * field of 3 to 16 bytes with a point between digits has its digits closed
 * up over the point, placed last in 16 bytes and summed in three
 * multiply-adds (15 digits stay under 2^53); any other goes to the
 * general path. */
FL_TARGET_AVX2 static inline int
fl_parse_decimal_avx2(const fl_num_avx2_k *c, const char *s, size_t len,
                      double *out)
{
    return fl_parse_decimal_avx2_own(c, s, len, out) ||
           fl_num_general(s, len, out);
}
#else
typedef struct fl_num_avx2_k fl_num_avx2_k; /* none but on x86-64 */
#endif

#endif
