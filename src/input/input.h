/* input.h: the input layer's own types, shared by its modules and formats.
 *
 * A reader (fl_reader) reads files one after another; each file being read
 * has an fl_file: its schema (which column plays which role), the row being
 * read, the current image, its counts and its first error.  A format
 * (format.h) turns the file's bytes into rows, and hands each row to
 * rows.c, or (its fast paths) examples straight to the batch through the
 * inline helpers below, which must then keep the same counts.  Nothing
 * here is for use outside src/input: reader.h is the layer's interface. */
#ifndef FL_INPUT_H
#define FL_INPUT_H

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "core/clones.h"
#include "core/status.h"
#include "core/strset.h"
#include "input/reader.h"

#define FL_BATCH 4096       /* examples handed on at a time */
#define FL_USUAL_CLASS_IDS 100 /* class ids with a slot from the start: 0-99 */
#define FL_SMALL_IDS 65536  /* class ids counted without hashing: 0-65535 */

/* A copy of bytes that is compared often: an image or a class id. */
typedef struct fl_text {
    char *s;
    size_t len, cap;
    /* for fl_text_eq_word: the first bytes, up to 8, and the shift that
     * drops the bytes of a word past len (64 when len is 0 or over 8) */
    uint64_t word;
    unsigned word_shift;
} fl_text;

/* The roles a column plays.  ROLE_COUNT ends the roles of long dumps. */
enum fl_role { ROLE_SCORE, ROLE_LABEL, ROLE_IMAGE, ROLE_CLASS, ROLE_BG,
               ROLE_COUNT, ROLE_WIDE /* score column k of a wide dump */ };

/* A column that is read, and what for. */
typedef struct fl_need {
    size_t col;
    enum fl_role role;
    size_t k; /* ROLE_WIDE: which score */
} fl_need;

/* What the header says: the column names and their roles.  Read on the
 * main thread; the threads that read in parts share it, read-only. */
typedef struct fl_schema {
    char **names;
    size_t nnames, names_cap;
    long col[ROLE_COUNT]; /* each role's column, -1 when absent */
    fl_need *need;        /* the columns read, in column order */
    int nneed;
    size_t wide_k;        /* K score columns of a wide dump, else 0 */
    long *wide_col;       /* their columns, by class */
    uint32_t *wide_class; /* their class numbers */
    uint32_t bg_class;    /* softmax: the class of background anchors */
    int score_is_prob;
    const char *wide_prefix; /* the prefix its score columns were found by */
    int plain;            /* long format: the plain-row paths may read it */
} fl_schema;

struct fl_job;

struct fl_reader {
    fl_reader_opts o;
    fl_reader_test test;
    int avx2;            /* the processor has AVX2 and BMI2, and it is used */
    uint64_t next_image;
    fl_strset *images;   /* ids seen in the current file */
    fl_strset *classes;  /* class ids of every file, interned */
    /* A worker's: the reader whose class numbers its batches carry (its
     * classes are numbered there, under lock, when first met), and the
     * number there of each of its own classes, plus 1 (0: none yet). */
    fl_reader *numbering;
    pthread_mutex_t *numbering_lock;
    uint32_t *class_number;
    size_t class_number_cap;
    uint32_t *small_class; /* class index + 1 of small numeric ids, 0: new */
    size_t small_class_cap; /* at least FL_USUAL_CLASS_IDS */
    char **image_names;   /* by ordinal, with keep_image_names */
    size_t image_names_cap;
    size_t wide_k;
    fl_error first_skip;
    int have_skip;
    void *csv; /* the CSV format's scratch (csv/csv.h), made when first used */
    /* the batch being filled */
    size_t n;
    double x[FL_BATCH];
    unsigned char pos[FL_BATCH];
    uint64_t img[FL_BATCH];
    uint32_t klass[FL_BATCH];
};

/* A file being read, whatever its format. */
typedef struct fl_file {
    fl_reader *r;
    const char *name;
    fl_counts *counts;
    fl_batch_sink sink;
    void *ctx;
    fl_error *err;
    int status;          /* the first fatal error's, else FL_OK */
    /* positions: the line read last, the one the current record began on,
     * and the data rows read */
    uint64_t line, row_line, data_rows;
    int header_done;     /* the schema is known */
    fl_schema *schema;   /* the file's, or (in parts) the main thread's */
    fl_schema own;       /* where a file's own schema is kept */
    double *wide_x;      /* the row's K scores, then the background's */
    /* the row being read */
    double x;
    int label;
    uint64_t row_clamped;
    int row_bad;
    char row_msg[sizeof ((fl_error *)0)->msg];
    fl_text row_image, row_class;
    int row_image_same, row_class_same; /* the row's id is the current one */
    long row_class_num; /* the row's class as a small number, or -1 */
    uint32_t row_class_idx, last_class_idx;
    /* the image being read */
    fl_text image;
    int have_image;
    uint64_t image_ordinal;
    fl_text last_class;
    /* reading in parts */
    struct fl_job *job;    /* the stretch this state reads, or NULL */
    uint64_t job_ordinal;  /* image of the job's last example, or
                              UINT64_MAX before its first */
} fl_file;

/* ---- messages (reader.c) ---- */

/* Fill e with file, line and the formatted message. */
void fl_set_error(fl_error *e, const char *file, uint64_t line,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Stop reading f with status; the first fatal error wins. */
void fl_file_fatal(fl_file *f, int status, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Record why the current row is bad; the first reason wins. */
void fl_row_error(fl_file *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Quote a field for a message: at most 40 bytes, unprintable bytes as '?'. */
void fl_quote_field(char *dst, size_t cap, const char *s, size_t len);

/* Make *dst the file *src was (a format moves the file into a state of
 * its own that begins with an fl_file, and back): a copy whose schema, if
 * src's own, is dst's own. */
static inline void fl_file_move(fl_file *dst, const fl_file *src)
{
    *dst = *src;
    if (src->schema == &src->own)
        dst->schema = &dst->own;
}

/* Free what f holds (its own schema, ids and row); not f itself. */
void fl_file_free(fl_file *f);

/* ---- ids ---- */

/* Make t a copy of s[0, len).  Return FL_OK or FL_ENOMEM. */
int fl_text_set(fl_text *t, const char *s, size_t len);

static inline int fl_text_eq(const fl_text *t, const char *s, size_t len)
{
    if (t->len != len)
        return 0;
    if (__builtin_expect(len <= 8, 1)) { /* ids are mostly short */
        for (size_t i = 0; i < len; i++)
            if (t->s[i] != s[i])
                return 0;
        return 1;
    }
    if (len > 16)
        return memcmp(t->s, s, len) == 0;
    /* two words that overlap (a COCO id: 12 digits) */
    uint64_t a[2], b[2];
    memcpy(&a[0], t->s, 8), memcpy(&a[1], t->s + len - 8, 8);
    memcpy(&b[0], s, 8), memcpy(&b[1], s + len - 8, 8);
    return ((a[0] ^ b[0]) | (a[1] ^ b[1])) == 0;
}

/* Whether fl_text_eq_word compares t with an id of len bytes: they are of
 * the same length, 1 to 8 bytes. */
FL_ALWAYS_INLINE int fl_text_is_word(const fl_text *t, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return t->len == len && t->word_shift < 64;
#else
    (void)t, (void)len;
    return 0;
#endif
}

/* fl_text_eq of t and the id at s, where fl_text_is_word and the 8 bytes
 * at s may be read, past the id too: one word's compare, the bytes past
 * the id shifted out. */
FL_ALWAYS_INLINE int fl_text_eq_word(const fl_text *t, const char *s)
{
    uint64_t w;
    memcpy(&w, s, sizeof w);
    return ((w ^ t->word) << t->word_shift) == 0;
}

/* ---- numbering of images and classes (number.c) ---- */

/* Store in *index the dense index of class id s[0, len), adding it when
 * new: a worker's, in the main reader's numbering, so that every thread's
 * batches number classes alike.  Return FL_OK or FL_ENOMEM. */
int fl_number_class(fl_reader *r, const char *s, size_t len, uint32_t *index);

/* Remember id as the name of image ordinal ord, when asked to
 * (keep_image_names).  Return FL_OK or FL_ENOMEM. */
int fl_number_keep_image_name(fl_reader *r, uint64_t ord, const char *id,
                              size_t len);

/* Give a file without an image column its one image.  Return FL_OK or
 * FL_ENOMEM. */
int fl_number_file_image(fl_file *f);

/* The image of an accepted row: a new ordinal when the id changes.
 * Return FL_OK; FL_EDATA after fatal when an id comes back after another
 * (per-image selection needs each image's rows together); FL_ENOMEM. */
int fl_number_row_image(fl_file *f);

/* The class index of an accepted row, in f->row_class_idx.  Return FL_OK
 * or FL_ENOMEM. */
int fl_number_row_class(fl_file *f);

/* Report, with fatal, image id met again after other images at line. */
void fl_number_image_again(fl_file *f, const char *id, size_t len,
                           uint64_t line);

/* Return a class id written as a small number (no sign, no leading zero),
 * or -1: those are counted in a table, without hashing.  Inline, and one
 * or two digits without the loop: most class ids. */
FL_ALWAYS_INLINE long fl_small_id(const char *s, size_t len)
{
    if (len == 0 || len > 5)
        return -1;
    unsigned d0 = (unsigned char)s[0] - '0', d1;
    if (len == 1)
        return d0 < 10 ? (long)d0 : -1;
    if (len == 2) /* no leading zero */
        return d0 - 1 < 9 && (d1 = (unsigned char)s[1] - '0') < 10
                   ? (long)(10 * d0 + d1)
                   : -1;
    if (s[0] == '0')
        return -1;
    long n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        n = 10 * n + (s[i] - '0');
    }
    return n < FL_SMALL_IDS ? n : -1;
}

/* The index of a class id already met, as fl_number_row_class finds it: a
 * small number through the table, another id when it is the last one.
 * Return 0 when the id needs fl_number_row_class.  s is not empty. */
FL_ALWAYS_INLINE int fl_known_class(const fl_file *f, const char *s,
                                    size_t len, uint32_t *klass)
{
    const fl_reader *r = f->r;
    /* one digit, the common class id, tested here: through fl_small_id,
     * the compiler merges its results and tests them again */
    unsigned d = (unsigned char)s[0] - '0';
    long v = len == 1 && d < 10 ? (long)d : fl_small_id(s, len);
    if (v >= 0) {
        if ((size_t)v >= r->small_class_cap || r->small_class[v] == 0)
            return 0;
        *klass = r->small_class[v] - 1;
        return 1;
    }
    if (!f->last_class.s || !fl_text_eq(&f->last_class, s, len))
        return 0;
    *klass = f->last_class_idx;
    return 1;
}

/* ---- examples to batches ---- */

/* Note f's current image as that of an example of its stretch (split.c).
 * Return FL_OK or FL_ENOMEM. */
int fl_split_note_example(fl_file *f);

/* Note the start of a new image's rows in f's stretch (split.c).  Return
 * FL_OK or FL_ENOMEM. */
int fl_split_note_run(fl_file *f);

/* Note whether the batch holds a logit outside [0, 1], until one does: a
 * score column of probabilities read as logits is a trap the report warns
 * of.  Once one is found (in the first batch, for real logits) this costs
 * a test a batch. */
static inline void fl_note_logit_range(fl_file *f)
{
    fl_reader *r = f->r;
    if (f->schema->score_is_prob || f->counts->logits_outside_unit)
        return;
    int out = 0;
    for (size_t i = 0; i < r->n; i++)
        out |= !(r->x[i] >= 0.0 && r->x[i] <= 1.0);
    f->counts->logits_outside_unit = out;
}

/* Hand the batch on; return the sink's status. */
static inline int fl_flush_batch(fl_file *f)
{
    fl_reader *r = f->r;
    if (r->n == 0)
        return FL_OK;
    fl_note_logit_range(f);
    fl_batch b = {r->n, r->x, r->pos, r->img, r->klass};
    r->n = 0;
    return f->sink(f->ctx, &b);
}

/* Whether the example to hand on next is the first of its image in this
 * stretch (fl_split_note_example notes it). */
static inline int fl_note_due(const fl_file *f)
{
    return f->job && f->image_ordinal != f->job_ordinal;
}

/* Hand an example on; return FL_OK, or f->status after fatal (a caller
 * in a loop tests the value it has, not f->status, which a call the loop
 * makes could have changed). */
static inline int fl_push_example(fl_file *f, double x, int positive,
                                  uint32_t klass)
{
    fl_reader *r = f->r;
    int st;
    /* the same image as the stretch's last example: nothing to note */
    if (fl_note_due(f) && fl_split_note_example(f) != FL_OK) {
        fl_file_fatal(f, FL_ENOMEM, 0, "out of memory");
        return f->status;
    }
    /* all read before the byte store, which could alias them */
    size_t n = r->n;
    uint64_t image = f->image_ordinal;
    r->x[n] = x;
    r->img[n] = image;
    r->klass[n] = klass;
    r->pos[n] = (unsigned char)positive;
    r->n = n + 1;
    if (n + 1 == FL_BATCH && (st = fl_flush_batch(f)) != FL_OK) {
        fl_file_fatal(f, st, 0, "out of memory");
        return f->status;
    }
    return FL_OK;
}

/* ---- rows (rows.c) ---- */

/* A record of nfields fields is complete (the schema has nnames): accept
 * its row (f->x or f->wide_x, f->label, the ids noted), skip it
 * (skip_bad) or stop reading at it. */
void fl_row_done(fl_file *f, size_t nfields);

/* Add the rows a format's fast path read to f's counts: rows in all,
 * positives, ignored, clamped (the negatives are the rest). */
static inline void fl_count_rows(fl_file *f, uint64_t rows,
                                 uint64_t positives, uint64_t ignored,
                                 uint64_t clamped)
{
    fl_counts *k = f->counts;
    f->data_rows += rows;
    k->rows += rows;
    k->positives += positives;
    k->negatives += rows - positives - ignored;
    k->ignored += ignored;
    k->clamped += clamped;
}

#endif
