/* lines_avx2.c: the CSV line readers for AVX2 and BMI2, which csv.c
 * picks where the processor has them: the short-line loops, and the loop
 * of the usual five columns (image, anchor, class, score, label) in their
 * usual order, whose columns and current image are constants. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "input/csv/csv_file.h"
#include "input/csv/lines.h"
#include "input/input.h"

#ifdef FL_NUM_AVX2
/* One copy of short_lines_with for each kind of dump, each a function of
 * its own: inlined into one, they share a register allocation, and each
 * loses by it.  The usual five (image, anchor, class, score, label) have
 * their n known. */
#define FL_SHORT_LINES(name, usual, fields)                                \
    FL_TARGET_AVX2 __attribute__((noinline)) static size_t name(           \
        csv_file *cf, const char *s, size_t len, size_t batches)           \
    {                                                                      \
        return short_lines_with(cf, s, len, 1, usual, fields, batches);    \
    }
FL_SHORT_LINES(short_avx2_logits5, 1, 5)
FL_SHORT_LINES(short_avx2_probs5, 2, 5)
FL_SHORT_LINES(short_avx2_logits, 1, 0)
FL_SHORT_LINES(short_avx2_probs, 2, 0)
FL_SHORT_LINES(short_avx2_any, 0, 0)
#undef FL_SHORT_LINES

/* What usual_row compares a row with: the current image's id, of 1 to 8
 * bytes as a word and the shift that drops the bytes past it (see
 * text_eq_word), of 9 to 16 as its first 8 bytes and its last 8 (at
 * tail_at); the small class ids' table, the bytes of row_masks_avx2 and
 * of fl_parse_decimal_avx2. */
typedef struct usual_row_k {
    uint64_t word, tail;
    unsigned shift;
    size_t id_len, tail_at;
    const uint32_t *cls; /* FL_USUAL_CLASS_IDS at least */
    const row_bytes *rk;
    const fl_num_avx2_k *nk;
    const char *last_wide; /* the last row start 64 bytes may be masked
                            * at (a row with a long number, say), or NULL */
} usual_row_k;

/* The row at p of the usual five in their usual order, with a logit (or
 * with prob a probability, in [0, 1]), when it is short and plain
 * (short_row: its newline within 32 bytes, or 64 with long_id, or with
 * long_num where p is at most k->last_wide), its image the current one (of
 * 1 to 8 bytes, or with long_id 9 to 16), its class a small number seen
 * before and its number of fl_parse_decimal_avx2_common's shape (or with
 * long_num _long's too): return its bytes with the newline and set *x,
 * *klass and *label (1, 0, or -1: ignored), and *slow to 1 where it took
 * long_num's wider row or longer number; else return 0.  The 32 +
 * FL_FIELD_ROOM bytes at p may be read, and 64 + FL_FIELD_ROOM with
 * long_id or up to k->last_wide. */
FL_ALWAYS_INLINE unsigned usual_row(const char *p, const usual_row_k *k,
                                    int long_id, int prob, int long_num,
                                    double *x, uint32_t *klass, int *label,
                                    int *slow)
{
    uint32_t m[3];
    row_masks_avx2(p, k->rk, &m[0], &m[1], &m[2]);
    uint64_t nl = m[0], d = m[1], low = m[2];
    if (long_id) {
        row_masks_avx2(p + 32, k->rk, &m[0], &m[1], &m[2]);
        nl |= (uint64_t)m[0] << 32;
        d |= (uint64_t)m[1] << 32;
        low |= (uint64_t)m[2] << 32;
    }
    if (long_num && !long_id && !nl && k->last_wide && p <= k->last_wide) {
        row_masks_avx2(p + 32, k->rk, &m[0], &m[1], &m[2]);
        nl = (uint64_t)m[0] << 32;
        d |= (uint64_t)m[1] << 32;
        low |= (uint64_t)m[2] << 32;
        *slow = 1;
    }
    if (!nl)
        return 0;
    unsigned end, used = plain_line_end(p, nl, &d, low, &end);
    if (!used)
        return 0;
    /* an empty field fails a test below (of its length, or the parser's),
     * but for the anchor, which is not read */
    if (__builtin_popcountll(d) != 4)
        return 0;
    /* the first and last from either end, the middle two from the first
     * dropped: no chain of four */
    unsigned e0 = (unsigned)__builtin_ctzll(d);
    unsigned e3 = 63u ^ (unsigned)__builtin_clzll(d);
    uint64_t mid = d & (d - 1);
    unsigned e1 = (unsigned)__builtin_ctzll(mid);
    unsigned e2 = (unsigned)__builtin_ctzll(mid & (mid - 1));
    uint64_t w, t;
    memcpy(&w, p, sizeof w);
    if (long_id) {
        memcpy(&t, p + k->tail_at, sizeof t);
        if (e0 != k->id_len || w != k->word || t != k->tail)
            return 0;
    } else if (e0 != k->id_len || ((w ^ k->word) << k->shift) != 0) {
        return 0;
    }
    if (!plain_label(p + e3 + 1, end - e3 - 1, label))
        return 0;
    /* a class id of one or two digits (as small_id reads them) */
    const char *cb = p + e1 + 1;
    unsigned v = (unsigned char)cb[0] - '0', d1 = (unsigned char)cb[1] - '0';
    if (e2 - e1 == 3 && v - 1 < 9 && d1 < 10)
        v = 10 * v + d1;
    else if (e2 - e1 != 2 || v >= 10)
        return 0;
    if (k->cls[v] == 0)
        return 0;
    *klass = k->cls[v] - 1;
    const char *f = p + e2 + 1;
    size_t flen = e3 - e2 - 1;
    if (!fl_parse_decimal_avx2_common(k->nk, f, flen, x)) {
        if (!long_num || !fl_parse_decimal_avx2_long(k->nk, f, flen, x))
            return 0;
        *slow = 1;
    }
    if (prob && !(*x >= 0.0 && *x <= 1.0))
        return 0;
    return used;
}

/* usual_row's constants for the rows in the len bytes at s, of the
 * current image (of 1 to 8 bytes, or with long_id 9 to 16), with bytes as
 * the row_bytes. */
FL_ALWAYS_INLINE usual_row_k usual_row_consts(const csv_file *cf,
                                              const char *s, size_t len,
                                              int long_id, row_bytes *bytes)
{
    const fl_reader *r = cf->f.r;
    const fl_text *id = &cf->f.image;
    usual_row_k k = {id->word, 0, id->word_shift, id->len, 0, r->small_class,
                     row_bytes_of(bytes, r->o.delim), &cf->k->nk,
                     len >= 64 + FL_FIELD_ROOM
                         ? s + len - (64 + FL_FIELD_ROOM)
                         : NULL};
    if (long_id) {
        k.tail_at = id->len - 8;
        memcpy(&k.tail, id->s + k.tail_at, sizeof k.tail);
    }
    return k;
}

/* The usual five in their usual order with logits (prob: with
 * probabilities), as short_lines_with reads them but in one loop with
 * AVX2, for the rows usual_row takes: the columns and the current image
 * are constants there, and the examples go straight to the batch, so that
 * the loop keeps its state in registers.  (A run's probabilities become
 * logits after it, where the calls to log are.)  Return the bytes
 * consumed, which end at the first row it leaves (to short_lines_with,
 * which reads any plain row), or with long_num after a full batch without
 * a long number.  The loop for long numbers (long_num) is another: the
 * registers that their parser takes slow the common one.  Each picks the
 * other for the next call (cf->long_numbers): the common loop when the
 * row it left has a long number that the other takes, the other after a
 * full batch without one. */
FL_ALWAYS_INLINE size_t usual_lines_with(csv_file *cf, const char *s,
                                         size_t len, int long_id, int prob,
                                         int long_num)
{
    fl_file *fs = &cf->f;
    fl_reader *r = fs->r;
    size_t room = (long_id ? 64 : 32) + FL_FIELD_ROOM;
    if (!fs->schema->plain || len < room)
        return 0;
    row_bytes bytes;
    usual_row_k k = usual_row_consts(cf, s, len, long_id, &bytes);
    const uint64_t image = fs->image_ordinal;
    const double eps = r->o.eps;
    int noted = !fl_note_due(fs);
    const char *p = s, *last = s + len - room;
    size_t n = r->n;
    uint64_t stored = 0, positives = 0, ignored = 0, clamped = 0;
    /* the rows, in runs without a call: each ends at a row left, at a full
     * batch, or at the first example of an image not yet noted */
    for (int left = 0; !left;) {
        size_t from = n, stop = noted ? FL_BATCH : n + 1, slow_rows = 0;
        while (n < stop) {
            double x;
            uint32_t klass;
            int label, slow = 0;
            unsigned used = p <= last ? usual_row(p, &k, long_id, prob,
                                                  long_num, &x, &klass,
                                                  &label, &slow)
                                      : 0;
            if (!used) {
                left = 1;
                break;
            }
            slow_rows += (size_t)slow;
            p += used;
            /* an ignored row's probability is counted too, as elsewhere */
            if (prob)
                clamped += x < eps || x > 1.0 - eps;
            if (__builtin_expect(label < 0, 0)) {
                ignored++;
                continue;
            }
            r->x[n] = x;
            r->klass[n] = klass;
            r->pos[n] = (unsigned char)label;
            n++;
        }
        /* the run's image, positives and rows after it: values the loop
         * need not keep */
        for (size_t i = from; i < n; i++)
            r->img[i] = image;
        for (size_t i = from; i < n; i++)
            positives += r->pos[i];
        stored += n - from;
        for (size_t i = from; prob && i < n; i++) {
            int c;
            r->x[i] = fl_logit_from_prob(r->x[i], eps, &c);
        }
        r->n = n;
        if (!noted && n > from) {
            if (fl_split_note_example(fs) != FL_OK) {
                fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
                break;
            }
            noted = 1;
        }
        int st, full = n == FL_BATCH;
        if (full && (st = fl_flush_batch(fs)) != FL_OK) {
            fl_file_fatal(fs, st, 0, "out of memory");
            break;
        }
        n = r->n;
        if (long_num && full && !slow_rows) {
            cf->long_numbers = 0;
            break;
        }
    }
    r->n = n;
    uint64_t rows = stored + ignored;
    plain_counts c = {rows, positives, ignored, clamped};
    fs->line += rows;
    fs->row_line = fs->line;
    add_plain_counts(fs, &c);
    return (size_t)(p - s);
}

/* usual_lines_with for an image id of 1 to 8 bytes and of 9 to 16, with
 * logits and with probabilities, for common and long numbers: one
 * function each, so that each keeps its own registers. */
#define FL_USUAL_LINES(name, long_id, prob, long_num)                      \
    FL_TARGET_AVX2 __attribute__((noinline)) static size_t name(           \
        csv_file *cf, const char *s, size_t len)                           \
    {                                                                      \
        return usual_lines_with(cf, s, len, long_id, prob, long_num);      \
    }
FL_USUAL_LINES(usual_logits_word, 0, 0, 0)
FL_USUAL_LINES(usual_logits_two_words, 1, 0, 0)
FL_USUAL_LINES(usual_probs_word, 0, 1, 0)
FL_USUAL_LINES(usual_probs_two_words, 1, 1, 0)
FL_USUAL_LINES(usual_logits_word_long, 0, 0, 1)
FL_USUAL_LINES(usual_logits_two_words_long, 1, 0, 1)
FL_USUAL_LINES(usual_probs_word_long, 0, 1, 1)
FL_USUAL_LINES(usual_probs_two_words_long, 1, 1, 1)
#undef FL_USUAL_LINES

/* Whether the row at s (of the len bytes there), the one usual_lines_with
 * without long_num left, has a number that it takes with long_num: a call
 * apart, once a row left. */
FL_TARGET_AVX2 __attribute__((noinline)) static int
takes_long_number(const csv_file *cf, const char *s, size_t len,
                  int long_id, int prob)
{
    if (!cf->f.schema->plain || len < 64 + FL_FIELD_ROOM)
        return 0;
    row_bytes bytes;
    usual_row_k k = usual_row_consts(cf, s, len, long_id, &bytes);
    double x;
    uint32_t klass;
    int label, slow = 0;
    return usual_row(s, &k, long_id, prob, 1, &x, &klass, &label, &slow) &&
           slow;
}

/* The rows usual_lines_with reads at s, for the current image's id. */
static size_t usual_lines(csv_file *cf, const char *s, size_t len, int prob)
{
    const fl_file *fs = &cf->f;
    typedef size_t loop(csv_file *, const char *, size_t);
    static loop *const with[2][2][2] = { /* [prob][long id][long numbers] */
        {{usual_logits_word, usual_logits_word_long},
         {usual_logits_two_words, usual_logits_two_words_long}},
        {{usual_probs_word, usual_probs_word_long},
         {usual_probs_two_words, usual_probs_two_words_long}}};
    if (!fs->image.s || fs->image.len == 0 || fs->image.len > 16)
        return 0;
    int long_id = fs->image.len > 8;
    size_t got = with[prob != 0][long_id][cf->long_numbers](cf, s, len);
    if (!cf->long_numbers && fs->status == FL_OK &&
        takes_long_number(cf, s + got, len - got, long_id, prob))
        cf->long_numbers = 1;
    return got;
}

/* usual_lines, then a batch of short_lines_with from the row it leaves,
 * and so on while either reads a line. */
FL_TARGET_AVX2 static size_t usual_then_short(csv_file *cf, const char *s,
                                              size_t len, int prob)
{
    const fl_file *fs = &cf->f;
    size_t done = 0;
    for (;;) {
        size_t got = usual_lines(cf, s + done, len - done, prob);
        done += got;
        if (fs->status != FL_OK)
            return done;
        /* one batch of lines, and usual_lines again after the row it left */
        size_t more = prob ? short_avx2_probs5(cf, s + done, len - done, 1)
                           : short_avx2_logits5(cf, s + done, len - done, 1);
        done += more;
        if (fs->status != FL_OK || !more)
            return done;
    }
}

/* Whether the columns are the usual five in their usual order: image,
 * anchor, class, score and label. */
static int usual_order(const fl_schema *sc)
{
    return sc->nnames == 5 && sc->col[ROLE_IMAGE] == 0 &&
           sc->col[ROLE_CLASS] == 2 && sc->col[ROLE_SCORE] == 3 &&
           sc->col[ROLE_LABEL] == 4;
}

size_t fl_csv_short_lines_avx2(csv_file *cf, const char *s, size_t len)
{
    const fl_schema *sc = cf->f.schema;
    int usual = usual_columns(&cf->f), five = sc->nnames == 5;
    size_t all = SIZE_MAX; /* batches: while they are full */
    if (usual && five && usual_order(sc))
        return usual_then_short(cf, s, len, usual == 2);
    return usual == 1   ? five ? short_avx2_logits5(cf, s, len, all)
                               : short_avx2_logits(cf, s, len, all)
           : usual == 2 ? five ? short_avx2_probs5(cf, s, len, all)
                               : short_avx2_probs(cf, s, len, all)
                        : short_avx2_any(cf, s, len, all);
}
#else
size_t fl_csv_short_lines_avx2(csv_file *cf, const char *s, size_t len)
{
    return fl_csv_short_lines_sse2(cf, s, len);
}
#endif
