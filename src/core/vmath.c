/* vmath.c: vectorizable exp on (-inf, 0] and log1p on [0, 1].
 *
 * exp: x = k ln2 + r with |r| <= ln2/2 (ln2 split in two so that k ln2_hi
 * is exact), exp(r) by its Taylor series to degree 13 (truncation below
 * 1e-17 relative), and 2^k applied in two halves so that results down in
 * the subnormal range round once.
 * log1p: log1p(x) = 2 atanh(s) with s = x / (2 + x) in [0, 1/3], that is
 * 2s + 2s^3 P(s^2), P(u) = 1/3 + u/5 + u^2/7 + ..., with P by a polynomial
 * of degree 10 fitted on [0, 1/9] (Chebyshev interpolation in 50-digit
 * arithmetic, mpmath's chebyfit): off by under 2.1e-17 with its
 * coefficients rounded to doubles, which moves the result by under 2.3e-18
 * relative.  (P's Taylor series needs degree 17 for that.) */
#include "core/vmath.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/clones.h"

/* Each loop below is FL_CLONES, built for AVX2 too (four doubles a step):
 * both builds give the same bits, since each element is computed alone,
 * with the same operations in the same order.  exp and log1p are built a
 * third time, for AVX2 with FMA, which the file's -ffp-contract=fast lets
 * the compiler use for a multiply and an add (their polynomials take half
 * the steps): there the last bit may differ.  The other builds have no FMA
 * to contract into. */

static inline uint64_t bits_of(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static inline double double_of(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static inline double exp_neg(double x)
{
    const double log2e = 1.4426950408889634;
    const double ln2_hi = 6.93147180369123816490e-01; /* 32 bits: k ln2_hi exact */
    const double ln2_lo = 1.90821492927058770002e-10;
    const double shifter = 6755399441055744.0; /* 1.5 * 2^52: round to integer */
    x = x < -746.0 ? -746.0 : x;
    double t = x * log2e + shifter;
    double kd = t - shifter;
    double r = (x - kd * ln2_hi) - kd * ln2_lo;
    /* 1/4! + r/5! + ... + r^9/13! in Estrin's tree, which the pipelines
     * overlap */
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double a = 1.0 / 24.0 + r * (1.0 / 120.0), b = 1.0 / 720.0 + r * (1.0 / 5040.0);
    double c = 1.0 / 40320.0 + r * (1.0 / 362880.0);
    double d = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
    double e = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
    double q = (a + r2 * b) + r4 * (c + r2 * d) + r8 * e;
    /* 1 + (r + r^2 (1/2 + r/6 + r^2 q)): the two last sums round at most
     * as much as Horner's two last steps, in a shallower tree */
    double h = r2 * ((0.5 + r * (1.0 / 6.0)) + r2 * q);
    double p = 1.0 + (r + h);
    /* k sits in the low bits of t; keep to unsigned 64-bit integer
     * arithmetic, which vectorizes: k + 2048 is positive, so a logical
     * shift halves it. */
    uint64_t kb = bits_of(t) - bits_of(shifter) + 2048;
    uint64_t k1 = kb >> 1, k2 = kb - k1; /* each half of k, plus 1024 */
    return p * double_of((k1 - 1024 + 1023) << 52) *
           double_of((k2 - 1024 + 1023) << 52);
}

static inline double log1p_unit(double x)
{
    double s = x / (2.0 + x);
    double s2 = s * s;
    /* P(s2) as two Horner chains in s2^2, of the even and the odd terms,
     * which the pipelines run side by side */
    static const double c[11] = {
        0x1.5555555555555p-2, 0x1.9999999999944p-3, 0x1.2492492499d46p-3,
        0x1.c71c71bedea97p-4, 0x1.745d19937b1fcp-4, 0x1.3b13515f6f9efp-4,
        0x1.111abdc8abe16p-4, 0x1.e0a2d581ab68fp-5, 0x1.bc37f0140c19ep-5,
        0x1.32e0d25c9c761p-5, 0x1.401d3e65cdc48p-4};
    double y2 = s2 * s2;
    double pe = c[10], po = c[9];
#pragma GCC unroll 5
    for (int j = 4; j >= 0; j--) {
        pe = pe * y2 + c[2 * j];
        po = j > 0 ? po * y2 + c[2 * j - 1] : po;
    }
    double p = pe + s2 * po;
    /* 2s + 2s^3 p(s^2): the small term last, so s keeps its precision */
    return 2.0 * s + 2.0 * s * s2 * p;
}

FL_CLONES
void fl_vexp_neg_nofma(const double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = exp_neg(x[i]);
}

FL_CLONES
void fl_vlog1p_unit_nofma(const double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = log1p_unit(x[i]);
}

typedef void array_fn(const double *x, double *y, size_t n);

#ifdef FL_AVX2
FL_TARGET_FMA static void vexp_neg_fma(const double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = exp_neg(x[i]);
}

FL_TARGET_FMA static void vlog1p_unit_fma(const double *x, double *y,
                                          size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = log1p_unit(x[i]);
}

/* with_fma where the processor has AVX2 and FMA, else without */
static array_fn *pick(array_fn *with_fma, array_fn *without)
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
               ? with_fma
               : without;
}
#else
#define pick(with_fma, without) (without)
#endif

void fl_vexp_neg(const double *x, double *y, size_t n)
{
    pick(vexp_neg_fma, fl_vexp_neg_nofma)(x, y, n);
}

void fl_vlog1p_unit(const double *x, double *y, size_t n)
{
    pick(vlog1p_unit_fma, fl_vlog1p_unit_nofma)(x, y, n);
}

FL_CLONES
void fl_vsigmoid_terms(const double *x, const unsigned char *positive,
                       size_t n, const fl_vterms *t)
{
    double *e = t->e ? t->e : t->lq; /* exp(-|x_t|) */
    for (size_t i = 0; i < n; i++) {
        t->xt[i] = !positive || positive[i] ? x[i] : -x[i];
        e[i] = -fabs(t->xt[i]);
    }
    fl_vexp_neg(e, e, n);
    for (size_t i = 0; i < n; i++) {
        double xt = t->xt[i], inv = 1.0 / (1.0 + e[i]);
        t->pt[i] = xt >= 0 ? inv : e[i] * inv;
        t->qt[i] = xt >= 0 ? e[i] * inv : inv;
    }
    fl_vlog1p_unit(e, t->lq, n);
    for (size_t i = 0; i < n; i++) {
        double l = t->lq[i];
        t->ce[i] = (t->xt[i] < 0 ? -t->xt[i] : 0.0) + l;
        t->lq[i] = (t->xt[i] > 0 ? t->xt[i] : 0.0) + l;
    }
}

FL_CLONES
void fl_vsoftplus_neg(const double *z, const double *e, size_t n, double *sp,
                      double *q)
{
    for (size_t i = 0; i < n; i++) {
        double inv = 1.0 / (1.0 + e[i]);
        q[i] = z[i] >= 0 ? e[i] * inv : inv;
    }
    fl_vlog1p_unit(e, sp, n);
    for (size_t i = 0; i < n; i++)
        sp[i] += z[i] < 0 ? -z[i] : 0.0;
}

/* With a = |x_t| and z = 2 x_t + b: where z and x_t have the same sign,
 * |z| = 2a + b sign(z), so exp(-|z|) = e^2 exp(-b sign(z)); where not,
 * |z| = b sign(z) - 2a, and it is exp(-b sign(z)) / e^2.  The quotient
 * comes only where 2a < |b|, so e^2 > exp(-16) there.  The product is
 * taken as (e k) e: e k >= e^2 k, so it stays normal wherever the result
 * is (e^2 alone need not: b < 0 and 2a > 708). */
FL_CLONES
void fl_vexp_neg_star2(const double *xt, const double *e, double beta,
                       size_t n, double *out)
{
    double down = exp(-beta), up = exp(beta); /* the factor for z >= 0, < 0 */
    for (size_t i = 0; i < n; i++) {
        double z = 2.0 * xt[i] + beta;
        double k = z >= 0 ? down : up;
        out[i] = (z >= 0) == (xt[i] >= 0) ? (e[i] * k) * e[i]
                                          : k / (e[i] * e[i]);
    }
}

FL_CLONES
void fl_vmodulating(double gamma, const double *q, const double *lq,
                    double *out, size_t n)
{
    if (gamma == 0.0) {
        for (size_t i = 0; i < n; i++)
            out[i] = 1.0;
    } else if (gamma == 1.0) {
        memmove(out, q, n * sizeof *out);
    } else if (gamma == 2.0) {
        for (size_t i = 0; i < n; i++)
            out[i] = q[i] * q[i];
    } else {
        for (size_t i = 0; i < n; i++)
            out[i] = -gamma * lq[i];
        fl_vexp_neg(out, out, n);
    }
}

/* Four examples a step, as vectors: one pass adds every array's step,
 * masked to the lanes of group 0 (the easy negatives, most examples), and
 * lists the steps that hold another group; a second adds those steps to
 * the other groups.  Lane j of a vector sums the examples j mod 4 of the
 * step; a masked-off lane adds +0.0, which leaves a sum of non-negative
 * terms as it is. */
#if defined(__GNUC__)
typedef double v4d __attribute__((vector_size(32)));
typedef long long v4l __attribute__((vector_size(32)));

enum { GROUP_BLOCK = 256 }; /* examples whose mixed steps are listed at once */

/* The sum of v's lanes. */
FL_ALWAYS_INLINE double lane_sum(v4d v)
{
    return (v[0] + v[1]) + (v[2] + v[3]);
}

/* The count that minus holds: each lane is minus the examples it counted
 * (a true mask is -1). */
FL_ALWAYS_INLINE uint64_t lane_count(v4l minus)
{
    return (uint64_t)-(minus[0] + minus[1] + minus[2] + minus[3]);
}

/* The sums of groups 1 to 3 over the c mixed steps listed in step (of
 * the examples from t[k] and group), added to out and count. */
FL_ALWAYS_INLINE void mixed_sums(const double *const t[FL_VSUMS],
                                 const unsigned char *group,
                                 const unsigned *step, size_t c,
                                 double out[FL_VSUMS][4], uint64_t count[4])
{
    v4l mask[GROUP_BLOCK / 4][3], minus[3] = {{0}};
    for (size_t i = 0; i < c; i++) {
        const unsigned char *g = group + 4 * (size_t)step[i];
        v4l v = {g[0], g[1], g[2], g[3]};
        for (long long q = 1; q < 4; q++) {
            mask[i][q - 1] = v == (v4l){q, q, q, q};
            minus[q - 1] += mask[i][q - 1]; /* a lane in group q is -1 */
        }
    }
    for (int q = 1; q < 4; q++)
        count[q] += lane_count(minus[q - 1]);
    for (int k = 0; k < FL_VSUMS; k++) {
        v4d acc[3] = {{0}};
        for (size_t i = 0; i < c; i++) {
            v4d v;
            memcpy(&v, t[k] + 4 * (size_t)step[i], sizeof v);
            for (int q = 0; q < 3; q++)
                acc[q] += (v4d)((v4l)v & mask[i][q]);
        }
        for (int q = 1; q < 4; q++)
            out[k][q] += lane_sum(acc[q - 1]);
    }
}

/* Add the sums of the m examples from `from` (m a multiple of 4, at most
 * GROUP_BLOCK) to out and count. */
FL_ALWAYS_INLINE void block_sums(const double *const t[FL_VSUMS],
                                 const unsigned char *group, size_t from,
                                 size_t m, double out[FL_VSUMS][4],
                                 uint64_t count[4])
{
    v4d acc[FL_VSUMS] = {{0}};
    v4l minus = {0};
    unsigned mixed[GROUP_BLOCK / 4];
    size_t c = 0;
    const double *tk[FL_VSUMS]; /* in registers, the loop unrolled */
    memcpy(tk, t, sizeof tk);
    for (size_t j = from / 4; j < (from + m) / 4; j++) {
        const unsigned char *g = group + 4 * j;
        v4l zero = (v4l){g[0], g[1], g[2], g[3]} == (v4l){0, 0, 0, 0};
        minus += zero;
#pragma GCC unroll 6
        for (int k = 0; k < FL_VSUMS; k++) {
            v4d v;
            memcpy(&v, tk[k] + 4 * j, sizeof v);
            acc[k] += (v4d)((v4l)v & zero);
        }
        uint32_t any;
        memcpy(&any, g, sizeof any);
        mixed[c] = (unsigned)j;
        c += any != 0;
    }
    for (int k = 0; k < FL_VSUMS; k++)
        out[k][0] += lane_sum(acc[k]);
    count[0] += lane_count(minus);
    mixed_sums(t, group, mixed, c, out, count);
}

FL_CLONES
void fl_vgroup_sums(const double *const t[FL_VSUMS], const unsigned char *group,
                    size_t n, double out[FL_VSUMS][4], uint64_t count[4])
{
    size_t whole = n - n % 4;
    for (size_t from = 0; from < whole; from += GROUP_BLOCK) {
        size_t m = whole - from < GROUP_BLOCK ? whole - from : GROUP_BLOCK;
        block_sums(t, group, from, m, out, count);
    }
    for (size_t i = whole; i < n; i++) {
        count[group[i]]++;
        for (int k = 0; k < FL_VSUMS; k++)
            out[k][group[i]] += t[k][i];
    }
}
#else
void fl_vgroup_sums(const double *const t[FL_VSUMS], const unsigned char *group,
                    size_t n, double out[FL_VSUMS][4], uint64_t count[4])
{
    for (size_t i = 0; i < n; i++) {
        count[group[i]]++;
        for (int k = 0; k < FL_VSUMS; k++)
            out[k][group[i]] += t[k][i];
    }
}
#endif
