/* reader.h: read dumps (SPEC section 4) into batches: the input layer's
 * interface.
 *
 * Any format of format.h's table (CSV with a header row, long or wide),
 * plain or gzip-compressed (detected from the data, not the name), from a
 * path or "-" for standard input.  Columns are found
 * by name, case-insensitively; rows are validated and handed on in batches
 * of non-ignored examples.  Nothing is printed: failures come back as a
 * status and an fl_error. */
#ifndef FL_READER_H
#define FL_READER_H

#include <stdint.h>

#include "input/labels.h"

#include "core/batch.h"

/* Column names given on the command line; NULL means "discover". */
typedef struct fl_columns {
    const char *logit;
    const char *prob;
    const char *label;
    const char *image;
    const char *klass;
    const char *background; /* a wide dump's background logit (--softmax) */
} fl_columns;


typedef struct fl_reader_opts {
    fl_columns cols;
    /* Wide format: K score columns PREFIX0..PREFIX{K-1}, one row per anchor.
     * NULL: found by the prefixes logit_ and logits_ (prob_, score_ for
     * probabilities) when the file has no long-format score column. */
    const char *wide;
    const char *wide_prob;
    /* How a wide dump's labels number the classes (labels.h); a wide dump
     * read with FL_LABELS_NONE is refused (FL_EINVAL). */
    enum fl_labels labels;
    /* A wide dump with a background logit column is read as softmax
     * anchors: one example per anchor, its logit the true output's margin
     * (fl_softmax_margin), positive for a class, negative for the
     * background (whose examples carry the class "background"). */
    int softmax;
    int keep_image_names; /* for fl_reader_image_name */
    char delim;
    int skip_bad;
    double eps;
    /* Called after every block read: bytes of the file consumed so far and
     * its size (0 when unknown, as for a pipe).  May be NULL. */
    void (*progress)(void *ctx, const char *name, uint64_t done,
                     uint64_t total);
    void *progress_ctx;
} fl_reader_opts;

/* Switches for the tests alone, never set by a user: they take paths a
 * user's input reaches only on other machines or at other sizes, so that
 * the tests can compare them.  Zero: as a user's run. */
typedef struct fl_reader_test {
    /* Feed every line to libcsv, even those the reader splits faster
     * itself with the same result. */
    int no_fast_path;
    /* Use no AVX2 code where the processor has it. */
    int no_avx2;
    /* Bytes in a part read on a thread (fl_reader_read_parts); 0 means
     * 4 MiB: small values cut inputs in many places. */
    size_t part_bytes;
    /* The longest record (a quoted field may hold newlines) before the
     * reader gives up; 0 means 256 MiB. */
    size_t max_record;
} fl_reader_test;

/* Where and why reading stopped.  line is 0 when the error has no line. */
typedef struct fl_error {
    char file[256];
    uint64_t line;
    char msg[256];
} fl_error;

typedef struct fl_reader fl_reader;

/* Return a reader for options o and test switches t (both copied; t may be
 * NULL; the column names are not, and must outlive the reader), or NULL
 * when out of memory.  Free with fl_reader_free. */
fl_reader *fl_reader_new(const fl_reader_opts *o, const fl_reader_test *t);

/* Free r; r may be NULL. */
void fl_reader_free(fl_reader *r);

/* Read the file at path ("-": standard input) and hand its examples to sink,
 * adding to *counts.  Image ordinals continue across calls.  Return FL_OK;
 * FL_EDATA or FL_EIO with *err filled; FL_ENOMEM; or what sink returned.
 * Under skip_bad, the first skipped row's error is kept: see
 * fl_reader_first_skip. */
int fl_reader_read(fl_reader *r, const char *path, fl_batch_sink sink,
                   void *ctx, fl_counts *counts, fl_error *err);

/* Read path as fl_reader_read does, into parts->whole, on threads threads:
 * the main thread reads blocks of about 4 MiB that end where a record does
 * (after a newline outside quotes) and the others parse and compute them
 * into parts, merged in order.  A result, every message and its line are
 * the same as on one thread, sums to rounding.  Return as
 * fl_reader_read. */
int fl_reader_read_parts(fl_reader *r, const char *path, const fl_parts *parts,
                         int threads, fl_counts *counts, fl_error *err);

/* Return the error of the first row skipped so far, or NULL if none was. */
const fl_error *fl_reader_first_skip(const fl_reader *r);

/* Return the id of class index (as batches carry it), or NULL.  A wide
 * dump's classes are named by their column's number: "0" .. "K-1".  Read
 * on one thread, classes are numbered in the order of the input; in parts
 * (fl_reader_read_parts), in the order the threads first met them, the
 * same in every thread's batches. */
const char *fl_reader_class_name(const fl_reader *r, uint32_t index);

/* Return the id of image ordinal (a file without an image column is named
 * by the file), or NULL when unknown or keep_image_names was not set. */
const char *fl_reader_image_name(const fl_reader *r, uint64_t ordinal);

/* Return the number of score columns of the last wide file read, or 0 when
 * it was in long format. */
size_t fl_reader_wide_k(const fl_reader *r);

/* Return the name used for path in messages ("<stdin>" for "-"). */
const char *fl_reader_display_name(const char *path);

#endif
