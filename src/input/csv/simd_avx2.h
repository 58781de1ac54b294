/* simd_avx2.h: the AVX2 primitive of the CSV line readers: the masks of
 * 32 bytes in one vector, compared with bytes kept in memory. */
#ifndef FL_SIMD_AVX2_H
#define FL_SIMD_AVX2_H

#include <stdint.h>
#include <string.h>

#include "core/clones.h"
#include "input/csv/numparse.h"

#ifdef FL_NUM_AVX2
/* The bytes row_masks_avx2 compares with, 32 of each. */
typedef struct row_bytes {
    _Alignas(32) unsigned char nl[32];
    unsigned char delim[32], space[32], quote[32];
} row_bytes;

/* Fill k, and return it behind a pointer the compiler cannot follow: in a
 * loop, the bytes are then read from memory, not built again from
 * immediates in each pass as the compiler would from their known values. */
static const row_bytes *row_bytes_of(row_bytes *k, char delim)
{
    memset(k->nl, '\n', sizeof k->nl);
    memset(k->delim, delim, sizeof k->delim);
    memset(k->space, ' ', sizeof k->space);
    memset(k->quote, '"', sizeof k->quote);
    const row_bytes *c = k;
    __asm__("" : "+r"(c) : : "memory");
    return c;
}

/* row_masks in one 32-byte vector, comparing with k. */
FL_TARGET_AVX2 static inline void row_masks_avx2(const char *s,
                                                 const row_bytes *k,
                                                 uint32_t *nl, uint32_t *d,
                                                 uint32_t *low)
{
#define FL_ROW_K(b) _mm256_load_si256((const __m256i *)(const void *)k->b)
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)s);
    __m256i l = _mm256_or_si256(
        _mm256_cmpeq_epi8(_mm256_min_epu8(v, FL_ROW_K(space)), v),
        _mm256_cmpeq_epi8(v, FL_ROW_K(quote)));
    *nl = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, FL_ROW_K(nl)));
    *d = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, FL_ROW_K(delim)));
    *low = (uint32_t)_mm256_movemask_epi8(l);
#undef FL_ROW_K
}
#endif

#endif
