/* lines_sse2.c: the CSV line readers for SSE2, the baseline of x86-64:
 * the short-line loops, the block scan of long lines, and the run of
 * examples they hand on.  Without SSE2 (another processor) there is
 * nothing here: csv.c reads every line through fast_line and libcsv. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "input/csv/csv_file.h"
#include "input/csv/lines.h"
#include "input/input.h"

#ifdef __SSE2__
int fl_csv_push_run(fl_file *fs, const example_run *e, size_t m)
{
    fl_reader *r = fs->r;
    if (m && fl_note_due(fs) && fl_split_note_example(fs) != FL_OK) {
        fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
        return fs->status;
    }
    for (size_t done = 0; done < m;) {
        size_t n = r->n, k = m - done < FL_BATCH - n ? m - done : FL_BATCH - n;
        memcpy(r->x + n, e->x + done, k * sizeof *r->x);
        memcpy(r->klass + n, e->klass + done, k * sizeof *r->klass);
        memcpy(r->pos + n, e->pos + done, k);
        for (size_t i = 0; i < k; i++)
            r->img[n + i] = fs->image_ordinal;
        r->n = n + k;
        done += k;
        int st;
        if (r->n == FL_BATCH && (st = fl_flush_batch(fs)) != FL_OK) {
            fl_file_fatal(fs, st, 0, "out of memory");
            return fs->status;
        }
    }
    return FL_OK;
}

/* A bit for each of the 64 bytes whose mask byte in v is set. */
static inline uint64_t mask64(__m128i v0, __m128i v1, __m128i v2, __m128i v3)
{
    return (uint64_t)(uint16_t)_mm_movemask_epi8(v0) |
           (uint64_t)(uint16_t)_mm_movemask_epi8(v1) << 16 |
           (uint64_t)(uint16_t)_mm_movemask_epi8(v2) << 32 |
           (uint64_t)(uint16_t)_mm_movemask_epi8(v3) << 48;
}

/* A bit for each of the 64 bytes in v equal to c. */
static inline uint64_t eq_mask(const __m128i v[4], __m128i c)
{
    return mask64(_mm_cmpeq_epi8(v[0], c), _mm_cmpeq_epi8(v[1], c),
                  _mm_cmpeq_epi8(v[2], c), _mm_cmpeq_epi8(v[3], c));
}

/* The bits of what block_lines leaves to others among the 64 bytes in v
 * (then those at s + 64, of which len remain, follow), when some are
 * quotes or bytes up to ' ' other than newlines and delimiters: quotes,
 * such bytes but for a carriage return before a newline, and such a
 * carriage return after a separator (m, and sep_before for the byte before
 * v), which ends an empty field. */
static uint64_t block_stops(const __m128i v[4], const __m128i low[4],
                            uint64_t nl, uint64_t m, uint64_t sep_before,
                            const char *s, size_t len)
{
    uint64_t cr = eq_mask(v, _mm_set1_epi8('\r')) & nl >> 1;
    if (len > 64 && s[64] == '\n')
        cr |= eq_mask(v, _mm_set1_epi8('\r')) & (uint64_t)1 << 63;
    return eq_mask(v, _mm_set1_epi8('"')) |
           (mask64(low[0], low[1], low[2], low[3]) & ~cr) |
           (cr & (m << 1 | sep_before));
}

/* Append base plus the position of each bit of m at out, and return how
 * many: stride at a time, without a branch per bit, the ones past the last
 * being garbage that out's room of stride more holds and that later bits
 * overwrite.  (m | 1 << 63: __builtin_ctzll(0) is undefined.) */
static inline size_t flatten(uint32_t *out, uint64_t m, uint32_t base,
                             int stride)
{
    size_t count = (size_t)__builtin_popcountll(m);
    for (size_t k = 0; k < count; k += (size_t)stride)
#pragma GCC unroll 8
        for (int j = 0; j < stride; j++) {
            out[k + (size_t)j] =
                base + (uint32_t)__builtin_ctzll(m | (uint64_t)1 << 63);
            m &= m - 1;
        }
    return count;
}

/* Note where the separators (delimiters and newlines) of s are, and apart
 * where its newlines are, 64 bytes at a time, in whole blocks of at most
 * FL_INDEX_BYTES, up to the first line that holds what block_stops finds or
 * an empty field (a separator after a separator, or at s).  s begins a
 * line.  Return how many newlines were noted, and in *seps how many
 * separators (the entries past them are garbage). */
FL_CLONES static size_t index_lines(fl_csv_scratch *scratch, char delim,
                                    const char *s, size_t len, size_t *seps)
{
    const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n');
    const __m128i vq = _mm_set1_epi8('"'), vsp = _mm_set1_epi8(' ');
    uint32_t *sep = scratch->seps_at + 1, *nl = scratch->lines_at;
    size_t w = len < FL_INDEX_BYTES ? len & ~(size_t)63 : FL_INDEX_BYTES;
    size_t ns = 0, nn = 0;
    uint64_t sep_before = 1; /* as if a newline came before s */
    for (size_t i = 0; i < w; i += 64) {
        __m128i v[4], d[4], low[4], q[4];
#pragma GCC unroll 4
        for (int k = 0; k < 4; k++) {
            v[k] = _mm_loadu_si128(
                (const __m128i *)(const void *)(s + i + 16 * (size_t)k));
            d[k] = _mm_cmpeq_epi8(v[k], vd);
            /* bytes up to ' ', but for newlines and delimiters */
            low[k] = _mm_andnot_si128(
                _mm_or_si128(d[k], _mm_cmpeq_epi8(v[k], vn)),
                _mm_cmpeq_epi8(_mm_min_epu8(v[k], vsp), v[k]));
            q[k] = _mm_or_si128(_mm_cmpeq_epi8(v[k], vq), low[k]);
        }
        uint64_t n = eq_mask(v, vn);
        uint64_t m = mask64(d[0], d[1], d[2], d[3]) | n;
        uint64_t stop = m & (m << 1 | sep_before);
        /* mostly no quote and no blank: one test shows it */
        __m128i any = _mm_or_si128(_mm_or_si128(q[0], q[1]),
                                   _mm_or_si128(q[2], q[3]));
        if (_mm_movemask_epi8(any))
            stop |= block_stops(v, low, n, m, sep_before, s + i, len - i);
        if (stop) { /* the lines from the one holding it are not noted */
            n &= (stop & -stop) - 1;
            w = i; /* this block is the last */
        }
        sep_before = m >> 63;
        ns += flatten(sep + ns, m, (uint32_t)i, 8);
        nn += flatten(nl + nn, n, (uint32_t)i, 4);
    }
    *seps = ns;
    return nn;
}

/* As fast_line would, the lines index_lines finds whole and plain. */
size_t fl_csv_block_lines(csv_file *cf, const char *s, size_t len)
{
    fl_file *fs = &cf->f;
    fl_csv_scratch *r = cf->k;
    size_t seps, n = fs->schema->nnames;
    size_t lines = index_lines(r, fs->r->o.delim, s, len, &seps);
    uint32_t *e = r->seps_at + 1;
    size_t start = 0, k = 0;
    plain_cols pc = plain_cols_of(fs);
    plain_counts c = {0};
    for (; k < lines; k++, e += n) {
        uint32_t nl = r->lines_at[k];
        /* the line's n-th separator is its newline: n fields */
        if ((size_t)(e - (r->seps_at + 1)) + n > seps || e[n - 1] != nl)
            break;
        int cr = s[nl - 1] == '\r';
        e[n - 1] -= (uint32_t)cr; /* the last field ends before it */
        line_at ln = {s, e, n, 1};
        plain_ex ex;
        if (fs->schema->plain &&
            plain_row(fs, &pc, &ln, s + len, 0, NULL, 0, &ex)) {
            take_plain(fs, &ex, &c);
        } else {
            uint32_t *cuts = r->cuts_at + 1;
            for (size_t i = 0; i < n; i++)
                cuts[i] = e[i] - (uint32_t)start;
            fs->line += k + 1;
            add_plain_counts(fs, &c);
            fl_csv_fast_fields(cf, s + start, cuts, n, s + len);
            fs->line -= k + 1; /* counted below with the plain ones */
        }
        e[n - 1] = nl;
        start = nl + 1;
        if (fs->status != FL_OK) {
            k++;
            break;
        }
    }
    fs->line += k;
    fs->row_line = fs->line;
    add_plain_counts(fs, &c);
    return start;
}

/* One copy of short_lines_with for each kind of dump, each a function of
 * its own: inlined into one, they share a register allocation, and each
 * loses by it. */
#define FL_SHORT_LINES(name, usual)                                        \
    __attribute__((noinline)) static size_t name(                          \
        csv_file *cf, const char *s, size_t len, size_t batches)           \
    {                                                                      \
        return short_lines_with(cf, s, len, 0, usual, 0, batches);         \
    }
FL_SHORT_LINES(short_sse2_logits, 1)
FL_SHORT_LINES(short_sse2_probs, 2)
FL_SHORT_LINES(short_sse2_any, 0)
#undef FL_SHORT_LINES

size_t fl_csv_short_lines_sse2(csv_file *cf, const char *s, size_t len)
{
    int usual = usual_columns(&cf->f);
    size_t all = SIZE_MAX; /* batches: while they are full */
    return usual == 1   ? short_sse2_logits(cf, s, len, all)
           : usual == 2 ? short_sse2_probs(cf, s, len, all)
                        : short_sse2_any(cf, s, len, all);
}
#endif
