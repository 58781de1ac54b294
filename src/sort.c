/* sort.c: LSD radix sort of doubles by their bit patterns.
 *
 * Flipping the sign bit of a positive double, and every bit of a negative
 * one, makes unsigned integer order the numeric order.  Six passes of 11
 * bits then sort in O(n), where a comparison sort of 87 million values (a
 * cdf over a 2 GB dump) spends most of the run.  11 bits, not 16: a pass
 * scatters to 2048 places, which caches and TLBs follow, not 65536 (1.4x
 * faster in all, for the two more passes).  One read counts every pass's
 * digits; a pass whose digit is the same for every value is skipped. */
#include "sort.h"

#include <gsl/gsl_sort.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DIGITS 11
#define BUCKETS (1u << DIGITS)
#define PASSES ((64 + DIGITS - 1) / DIGITS)
#define SMALL 4096 /* below this, a comparison sort wins */

static uint64_t key_of(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

static double double_of(uint64_t k)
{
    uint64_t u = k >> 63 ? k & ~(UINT64_C(1) << 63) : ~k;
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* Scatter a into b by the digit at shift, from that digit's counts. */
static void scatter(const uint64_t *a, uint64_t *b, size_t n, unsigned shift,
                    size_t *count)
{
    size_t sum = 0;
    for (size_t d = 0; d < BUCKETS; d++) {
        size_t c = count[d];
        count[d] = sum;
        sum += c;
    }
    for (size_t i = 0; i < n; i++)
        b[count[(a[i] >> shift) & (BUCKETS - 1)]++] = a[i];
}

void fl_sort_doubles(double *v, size_t n)
{
    uint64_t *a = n >= SMALL ? malloc(n * sizeof *a) : NULL;
    uint64_t *b = a ? malloc(n * sizeof *b) : NULL;
    size_t(*count)[BUCKETS] = b ? calloc(PASSES, sizeof *count) : NULL;
    if (!count) {
        free(a);
        free(b);
        gsl_sort(v, 1, n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t k = key_of(v[i]);
        a[i] = k;
        for (unsigned p = 0; p < PASSES; p++)
            count[p][(k >> (p * DIGITS)) & (BUCKETS - 1)]++;
    }
    for (unsigned p = 0; p < PASSES; p++) {
        unsigned shift = p * DIGITS;
        if (count[p][(a[0] >> shift) & (BUCKETS - 1)] == n)
            continue; /* every key has this digit */
        scatter(a, b, n, shift, count[p]);
        uint64_t *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = double_of(a[i]);
    free(a);
    free(b);
    free(count);
}
