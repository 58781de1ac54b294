/* simd_sse2.h: the SSE2 primitives of the CSV line readers: the masks of
 * 32 bytes that the short-row readers take a row from, and the scan of one
 * line for its delimiters (scalar where there is no SSE2). */
#ifndef FL_SIMD_SSE2_H
#define FL_SIMD_SSE2_H

#include <stddef.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/clones.h"
#include "input/csv/csv_file.h"

/* What a scan of one line found. */
typedef struct scan {
    size_t end;     /* index of the newline, or the length when none */
    size_t ndelims; /* delimiters before it */
    int special;    /* a quote, or a carriage return not before the newline */
} scan;

/* Note delimiter i; keep the first max positions in cuts. */
static inline void cut_at(scan *sc, uint32_t *cuts, size_t max, size_t i)
{
    if (sc->ndelims < max)
        cuts[sc->ndelims] = (uint32_t)i;
    sc->ndelims++;
}

static inline void scan_tail(const unsigned char *cls, const char *s,
                             size_t len, size_t i, uint32_t *cuts, size_t max,
                             scan *sc)
{
    for (; i < len; i++) {
        unsigned c = cls[(unsigned char)s[i]];
        if (c == FL_C_PLAIN)
            continue;
        if (c == FL_C_NEWLINE)
            break;
        if (c == FL_C_DELIM)
            cut_at(sc, cuts, max, i);
        else
            sc->special = 1;
    }
    sc->end = i;
}

#ifdef __SSE2__
/* Classify 32 bytes at a time: masks of delimiters, newlines, and quotes or
 * carriage returns, with the scalar loop for the last few bytes. */
static inline void scan_line(const fl_csv_scratch *k, char delim,
                             const char *s, size_t len, uint32_t *cuts,
                             size_t max, scan *sc)
{
    const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n');
    const __m128i vq = _mm_set1_epi8('"'), vr = _mm_set1_epi8('\r');
    size_t i = 0;
    *sc = (scan){0};
    /* 32 bytes a step (two loads), so that most rows take one */
    for (; i + 32 <= len; i += 32) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i w =
            _mm_loadu_si128((const __m128i *)(const void *)(s + i + 16));
        uint32_t nl = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vn)) |
                      (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(w, vn)) << 16;
        uint32_t d = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd)) |
                     (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(w, vd)) << 16;
        uint32_t q = (uint32_t)_mm_movemask_epi8(_mm_or_si128(
                         _mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vr))) |
                     (uint32_t)_mm_movemask_epi8(_mm_or_si128(
                         _mm_cmpeq_epi8(w, vq), _mm_cmpeq_epi8(w, vr)))
                         << 16;
        if (nl) {
            uint32_t before = (nl & -nl) - 1;
            d &= before;
            q &= before;
        }
        for (; d; d &= d - 1)
            cut_at(sc, cuts, max, i + (size_t)__builtin_ctz(d));
        sc->special |= q != 0;
        if (nl) {
            sc->end = i + (size_t)__builtin_ctz(nl);
            return;
        }
    }
    scan_tail(k->classes_of, s, len, i, cuts, max, sc);
}
#else
static inline void scan_line(const fl_csv_scratch *k, char delim,
                             const char *s, size_t len, uint32_t *cuts,
                             size_t max, scan *sc)
{
    (void)delim;
    *sc = (scan){0};
    scan_tail(k->classes_of, s, len, 0, cuts, max, sc);
}
#endif

#ifdef __SSE2__
/* The masks of the 32 bytes at s that short_row reads: a bit for each
 * newline in *nl, each delimiter in *d, and in *low each byte up to ' '
 * and each quote (what a plain row holds only as a delimiter, the newline
 * and a carriage return before it). */
FL_ALWAYS_INLINE void row_masks(const char *s, char delim, uint32_t *nl,
                                uint32_t *d, uint32_t *low)
{
    const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n');
    const __m128i vq = _mm_set1_epi8('"'), vsp = _mm_set1_epi8(' ');
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + 16));
    __m128i la = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(a, vsp), a),
                              _mm_cmpeq_epi8(a, vq));
    __m128i lb = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(b, vsp), b),
                              _mm_cmpeq_epi8(b, vq));
    *nl = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, vn)) |
          (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, vn)) << 16;
    *d = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, vd)) |
         (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, vd)) << 16;
    *low = (uint32_t)_mm_movemask_epi8(la) |
           (uint32_t)_mm_movemask_epi8(lb) << 16;
}
#endif

#endif
