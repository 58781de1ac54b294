/* lines.h: the CSV line readers' templates: plain rows, read without
 * libcsv, and the short-line loop, built once per instruction set
 * (lines_sse2.c, lines_avx2.c) over the primitives of simd_sse2.h and
 * simd_avx2.h.  A plain row is one whose fields need none of libcsv's
 * rules (no quote, no blank to trim) and whose values the common paths
 * read (a decimal score, a label 0, 1 or -1, the current image, a class
 * met before); any other row is left to the general path, which reads
 * it, or reports what is wrong, as libcsv would. */
#ifndef FL_LINES_H
#define FL_LINES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/clones.h"
#include "core/loss.h"
#include "input/csv/csv_file.h"
#include "input/csv/numparse.h"
#include "input/csv/simd_avx2.h"
#include "input/csv/simd_sse2.h"
#include "input/input.h"

#define FL_SHORT_FIELDS 16 /* the most fields the short-line loop reads */
#define FL_SHORT_BATCH 64  /* the lines it splits before it reads them */

/* Examples of plain rows kept apart, all of the current image, and
 * handed on in one go by fl_csv_push_run: in a loop of rows, stores to fs's
 * arrays (a byte's could alias anything) would make the compiler load
 * again, after each, what the next row reads. */
typedef struct example_run {
    double x[FL_SHORT_BATCH];
    uint32_t klass[FL_SHORT_BATCH];
    unsigned char pos[FL_SHORT_BATCH];
} example_run;


/* Hand on the first m examples of e, as m calls of fl_push_example would;
 * return FL_OK, or fs->status after fatal (lines_sse2.c). */
int fl_csv_push_run(fl_file *fs, const example_run *e, size_t m);

/* What plain_row needs of the state, read once for many rows: the columns
 * of the roles (-1 when absent), and whether the score is a probability. */
typedef struct plain_cols {
    long score, label, image, klass;
    int prob;
} plain_cols;

static inline plain_cols plain_cols_of(const fl_file *fs)
{
    const fl_schema *sc = fs->schema;
    return (plain_cols){sc->col[ROLE_SCORE], sc->col[ROLE_LABEL],
                        sc->col[ROLE_IMAGE], sc->col[ROLE_CLASS],
                        sc->score_is_prob};
}

/* Where a line's n fields are: field i ends at s + e[i] and begins after
 * the end before it (e[-1] + 1 wraps to 0 at the start of s).  checked: the
 * line is known to hold no empty field and no byte up to ' ' (the block
 * scan found none), else each field is tested. */
typedef struct line_at {
    const char *s;
    const uint32_t *e;
    size_t n;
    int checked;
} line_at;

/* Field i of a line: 1 when it is plain, not empty and with no blank at
 * either end (which libcsv would trim). */
FL_ALWAYS_INLINE int plain_field(const line_at *ln, long i, const char **fb,
                                 size_t *len)
{
    uint32_t b = ln->e[i - 1] + 1, e = ln->e[i];
    *fb = ln->s + b;
    *len = e - b;
    return ln->checked || (e > b && (unsigned char)ln->s[b] > ' ' &&
                           (unsigned char)ln->s[e - 1] > ' ');
}

/* A plain row's label of len bytes at s: 1 with *label 1, 0, or -1
 * (ignored); else 0, for the general path to read it (and report it). */
FL_ALWAYS_INLINE int plain_label(const char *s, size_t len, int *label)
{
    if (len == 1 && (s[0] == '0' || s[0] == '1'))
        *label = s[0] - '0';
    else if (len == 2 && s[0] == '-' && s[1] == '1')
        *label = -1;
    else
        return 0;
    return 1;
}

/* An example read from a plain row. */
typedef struct plain_ex {
    double x;
    int label; /* 1, 0, or -1: ignored */
    int clamped;
    uint32_t klass;
} plain_ex;

/* The common row of a long dump, read whole without role_field and
 * row_done (with fl_parse_decimal_avx2 and its constants nk when wide;
 * usual: the columns are known to be an image, a class and logits (1) or
 * probabilities (2)):
 * every field plain (no blank at either end), the score a decimal of the
 * fast path, the label 0, 1 or -1, the image the current one and the class
 * one seen before.  Return 1 with the row's example in *ex,
 * and nothing else changed; 0 to leave the row to fast_fields, which reads
 * any row (and reports what is wrong).  The bytes up to readable may be
 * read, past the line too; readable NULL: the FL_FIELD_ROOM bytes from
 * each field's start may be read (short_lines_with sees to it). */
FL_ALWAYS_INLINE int plain_row(const fl_file *fs, const plain_cols *pc,
                            const line_at *ln, const char *readable,
                            int wide, const fl_num_avx2_k *nk, int usual,
                            plain_ex *ex)
{
    const char *fb;
    size_t len;
    double x, near_end;
    (void)wide, (void)nk; /* without AVX2: fl_parse_decimal_padded */
    ex->clamped = 0;
    ex->klass = FL_NO_CLASS;
    /* near_end, not x, goes to the out-of-line parser: where the parsers
     * below are inline (SSE2 and AVX2), x's address reaches no call */
    if (!plain_field(ln, pc->score, &fb, &len))
        return 0;
    if (readable && fb + FL_FIELD_ROOM > readable) {
        if (!fl_parse_decimal_fast(fb, len, &near_end))
            return 0;
        x = near_end;
    } else if (!(
#ifdef FL_NUM_AVX2
                   wide ? fl_parse_decimal_avx2(nk, fb, len, &x) :
#endif
                        fl_parse_decimal_padded(fb, len, &x))) {
        return 0;
    }
    ex->x = x;
    if (usual ? usual == 2 : pc->prob) {
        if (!(ex->x >= 0.0 && ex->x <= 1.0))
            return 0;
        ex->x = fl_logit_from_prob(ex->x, fs->r->o.eps, &ex->clamped);
    }
    if (!plain_field(ln, pc->label, &fb, &len) ||
        !plain_label(fb, len, &ex->label))
        return 0;
    if (usual || pc->image >= 0) {
        if (!plain_field(ln, pc->image, &fb, &len))
            return 0;
        if (!readable && fl_text_is_word(&fs->image, len)) {
            if (!fl_text_eq_word(&fs->image, fb))
                return 0;
        } else if (!fs->image.s || !fl_text_eq(&fs->image, fb, len)) {
            return 0;
        }
    }
    return (!usual && pc->klass < 0) ||
           (plain_field(ln, pc->klass, &fb, &len) &&
            fl_known_class(fs, fb, len, &ex->klass));
}

/* Counts of plain rows, kept apart and added to fs's in one go (the
 * negatives are the rows neither positive nor ignored). */
typedef struct plain_counts {
    uint64_t rows, positives, ignored, clamped;
} plain_counts;

/* Count the plain row's example, and hand it on unless ignored; return
 * what push_example does. */
static inline int take_plain(fl_file *fs, const plain_ex *ex,
                             plain_counts *c)
{
    c->rows++;
    c->clamped += (uint64_t)ex->clamped;
    if (ex->label < 0) {
        c->ignored++;
        return FL_OK;
    }
    c->positives += (uint64_t)ex->label;
    return fl_push_example(fs, ex->x, ex->label, ex->klass);
}

/* take_plain, the example kept in e for push_examples. */
FL_ALWAYS_INLINE void keep_plain(const plain_ex *ex, plain_counts *c,
                                 example_run *e, size_t *kept)
{
    c->rows++;
    c->clamped += (uint64_t)ex->clamped;
    if (ex->label < 0) {
        c->ignored++;
        return;
    }
    c->positives += (uint64_t)ex->label;
    e->x[*kept] = ex->x;
    e->klass[*kept] = ex->klass;
    e->pos[*kept] = (unsigned char)ex->label;
    ++*kept;
}

/* Add c to fs's counts, and zero it. */
static inline void add_plain_counts(fl_file *fs, plain_counts *c)
{
    fl_count_rows(fs, c->rows, c->positives, c->ignored, c->clamped);
    *c = (plain_counts){0};
}

#ifdef __SSE2__
/* The end of the line at s from its masks (row_masks, a bit for each of
 * up to 64 bytes at s; nl not 0), when no quote and no byte up to ' ' lies
 * in it but a carriage return before the newline: return the bytes of the
 * line with its newline, set *end to where its last field ends and keep
 * in *d the delimiters before it; else return 0. */
FL_ALWAYS_INLINE unsigned plain_line_end(const char *s, uint64_t nl,
                                         uint64_t *d, uint64_t low,
                                         unsigned *end)
{
    unsigned e = (unsigned)__builtin_ctzll(nl);
    uint64_t before = ((uint64_t)1 << e) - 1;
    *d &= before;
    low &= before & ~*d; /* a tab delimiter is not a blank */
    *end = e;
    if (low) { /* only a carriage return ending the line */
        if (low != (uint64_t)1 << (e - 1) || s[e - 1] != '\r')
            return 0;
        *end = e - 1;
    }
    return e + 1;
}

/* Where the fields of the line at s end, from its masks (row_masks, a
 * bit for each of up to 64 bytes at s), when it is short and plain: its
 * newline among those bytes, n fields, none empty, no quote and no byte up
 * to ' ' in them (a carriage return may end the line).  Return the bytes
 * of the line with its newline and set e[0, n), else return 0. */
FL_ALWAYS_INLINE size_t short_row(const char *s, uint64_t nl, uint64_t d,
                                  uint64_t low, size_t n, uint32_t *e)
{
    unsigned end, used = plain_line_end(s, nl, &d, low, &end);
    if (!used)
        return 0;
    uint64_t ends = d | (uint64_t)1 << end;
    /* n - 1 delimiters, and no field end at 0 or right after another */
    if ((size_t)__builtin_popcountll(d) != n - 1 || (ends & (ends << 1 | 1)))
        return 0;
    if (n <= 8) { /* the n bits of ends, no loop: in from the count */
        uint32_t *at = e;
        switch (n) {
#define FL_NEXT_END                          \
    *at++ = (uint32_t)__builtin_ctzll(ends); \
    ends &= ends - 1;                        \
    __attribute__((fallthrough))
        case 8: FL_NEXT_END;
        case 7: FL_NEXT_END;
        case 6: FL_NEXT_END;
        case 5: FL_NEXT_END;
        case 4: FL_NEXT_END;
        case 3: FL_NEXT_END;
        case 2: FL_NEXT_END;
#undef FL_NEXT_END
        default: *at = end;
        }
        return used;
    }
    for (size_t i = 0; i < n; i++) { /* the same, in a loop */
        e[i] = (uint32_t)__builtin_ctzll(ends);
        ends &= ends - 1;
    }
    return used;
}

/* row_masks of the 32 bytes at s into m (the newlines, delimiters and odd
 * bytes), with AVX2 when wide. */
FL_ALWAYS_INLINE void masks_of_32(const char *s, int wide, const void *rk,
                                  char delim, uint32_t m[3])
{
    (void)wide, (void)rk;
#ifdef FL_NUM_AVX2
    if (wide)
        row_masks_avx2(s, rk, &m[0], &m[1], &m[2]);
    else
#endif
        row_masks(s, delim, &m[0], &m[1], &m[2]);
}

/* The masks short_row reads for the line at s, of which len bytes may be
 * read (at least 32 + FL_FIELD_ROOM): of 32 bytes, or of 64 when the
 * newline is not among the first 32 and 64 + FL_FIELD_ROOM may be read.
 * Return 0 when no newline is among them.  So FL_FIELD_ROOM bytes from
 * the start of any field of the line may be read. */
FL_ALWAYS_INLINE int line_masks(const char *s, size_t len, int wide,
                                const void *rk, char delim, uint64_t *nl,
                                uint64_t *d, uint64_t *low)
{
    uint32_t m[3];
    masks_of_32(s, wide, rk, delim, m);
    *nl = m[0], *d = m[1], *low = m[2];
    if (__builtin_expect(m[0] != 0, 1))
        return 1;
    if (len < 64 + FL_FIELD_ROOM)
        return 0;
    /* hidden, so that the compiler does not load k's bytes into registers
     * for both halves, where the first alone compares with memory */
    __asm__("" : "+r"(rk));
    masks_of_32(s + 32, wide, rk, delim, m);
    *nl = (uint64_t)m[0] << 32;
    *d |= (uint64_t)m[1] << 32;
    *low |= (uint64_t)m[2] << 32;
    return *nl != 0;
}

/* Read the short plain lines at the start of s[0, len) (see short_row)
 * whose row plain_row reads, without an index (wide: with AVX2); return
 * the bytes consumed, which end at the first line left to the others.
 * The lines are split FL_SHORT_BATCH at a time, then their rows read: two
 * loops that each keep their state in registers, as one could not; at
 * most batches such batches. */
FL_ALWAYS_INLINE size_t short_lines_with(csv_file *cf, const char *s,
                                         size_t len, int wide, int usual,
                                         size_t fields, size_t batches)
{
    fl_file *fs = &cf->f;
    size_t n = fields ? fields : fs->schema->nnames, done = 0;
    uint32_t cuts[FL_SHORT_BATCH][FL_SHORT_FIELDS + 1];
    size_t start[FL_SHORT_BATCH + 1];
    plain_cols pc = plain_cols_of(fs);
    plain_counts c = {0};
    char delim = fs->r->o.delim;
    const fl_num_avx2_k *nk = NULL;
    if (!fs->schema->plain || n > FL_SHORT_FIELDS)
        return 0;
    const void *rk = NULL;
    example_run ex_run;
#ifdef FL_NUM_AVX2
    row_bytes bytes;
    if (wide) {
        rk = row_bytes_of(&bytes, delim);
        nk = &cf->k->nk;
    }
#endif
    /* while the last batch was full and its rows all read */
    for (size_t m = FL_SHORT_BATCH; m == FL_SHORT_BATCH && batches--;) {
        size_t at = done, used;
        for (m = 0; m < FL_SHORT_BATCH && len - at >= 32 + FL_FIELD_ROOM;
             m++, at += used) {
            uint64_t nl, d, low;
            if (!line_masks(s + at, len - at, wide, rk, delim, &nl, &d, &low) ||
                !(used = short_row(s + at, nl, d, low, n, cuts[m] + 1)))
                break;
            cuts[m][0] = UINT32_MAX;
            start[m] = at;
        }
        start[m] = at;
        size_t kept = 0;
        for (size_t i = 0; i < m; i++) {
            line_at ln = {s + start[i], cuts[i] + 1, n, 1};
            plain_ex ex;
            if (!plain_row(fs, &pc, &ln, NULL, wide, nk, usual, &ex)) {
                m = 0;
                break;
            }
            done = start[i + 1];
            keep_plain(&ex, &c, &ex_run, &kept);
        }
        if (fl_csv_push_run(fs, &ex_run, kept) != FL_OK)
            break;
    }
    fs->line += c.rows;
    fs->row_line = fs->line;
    add_plain_counts(fs, &c);
    return done;
}

/* The usual long dump, an image and a class column: 1 with logits, 2 with
 * probabilities; else 0. */
static inline int usual_columns(const fl_file *fs)
{
    const fl_schema *sc = fs->schema;
    if (sc->col[ROLE_IMAGE] < 0 || sc->col[ROLE_CLASS] < 0)
        return 0;
    return sc->score_is_prob ? 2 : 1;
}
#endif

#endif
