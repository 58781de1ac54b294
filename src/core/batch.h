/* batch.h: what the input layer hands the core: batches of examples, the
 * counts of what was read, and the interface of a result computed in
 * parts and merged in input order. */
#ifndef FL_BATCH_H
#define FL_BATCH_H

#include <stddef.h>
#include <stdint.h>

/* A block of examples as the reader hands them over.  Ignored examples are
 * never in a batch; image is an ordinal that changes when the image does. */
typedef struct fl_batch {
    size_t n;
    const double *x;
    const unsigned char *positive; /* 1 positive, 0 negative */
    const uint64_t *image;
    const uint32_t *klass; /* dense class index, FL_NO_CLASS without one */
} fl_batch;

#define FL_NO_CLASS UINT32_MAX

/* What the input held, filled by the reader. */
typedef struct fl_counts {
    uint64_t rows;      /* data rows read and accepted */
    uint64_t positives;
    uint64_t negatives;
    uint64_t ignored;   /* label -1 */
    uint64_t images;    /* distinct images; a file without an image column is one */
    uint64_t classes;   /* distinct values of the class column, if any */
    uint64_t clamped;   /* probabilities clamped to [eps, 1 - eps] */
    uint64_t skipped;   /* bad rows skipped under --skip-bad */
    uint64_t files;
    uint64_t files_without_image; /* files that had no image column */
    uint64_t wide_k;    /* K score columns per anchor in wide files, else 0 */
    int labels;         /* a wide dump's label convention (enum fl_labels) */
    /* How the first file's scores were read: their column (a wide dump's
     * prefix, "logit_"), and whether as probabilities. */
    char score_column[64];
    int score_is_prob;
    /* 1 when an example read as a logit lies outside [0, 1]; 0 when every
     * one might be a probability. */
    int logits_outside_unit;
} fl_counts;

/* Called with each batch; returns FL_OK or an fl_status to stop reading. */
typedef int (*fl_batch_sink)(void *ctx, const fl_batch *b);

/* A result that can be computed in parts, one per stretch of the input,
 * and merged in input order (fl_summary_hold_first and fl_summary_merge,
 * say): what lets the reader read on several threads. */
typedef struct fl_parts {
    void *whole; /* the result parts are merged into */
    /* Return a new, empty part for stretch number part (from 0 in input
     * order), or NULL when out of memory.  Called on reader threads. */
    void *(*part_new)(void *whole, uint64_t part);
    /* Add a batch to a part (or, read on one thread, to whole). */
    fl_batch_sink add;
    /* Fold part into whole, in input order; continues is 1 when part's
     * first example is of the image of whole's last.  Return FL_OK or an
     * fl_status. */
    int (*merge)(void *whole, void *part, int continues);
    void (*part_free)(void *part); /* takes NULL */
    /* Before merge, when the part read images or examples (it numbered
     * its images from 0; a file without an image column is one image):
     * their numbers as one thread gives them begin at first.  May be NULL
     * (numbers that the result does not keep). */
    void (*number_images)(void *part, uint64_t first);
} fl_parts;

#endif
