/* summary.h: the summarize core: every loss, split by group, over a stream
 * of examples (SPEC sections 1 to 3).  No I/O. */
#ifndef FL_SUMMARY_H
#define FL_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "core/batch.h"
#include "core/loss.h"
#include "core/loss_terms.h"
#include "core/summary_cell.h"

#define FL_SUMMARY_CHUNK FL_CHUNK /* examples whose terms are computed together */

/* Breakdowns: the same cells per class or per image. */
enum fl_by { FL_BY_NONE, FL_BY_CLASS, FL_BY_IMAGE };

typedef struct fl_key_cells {
    fl_cell cell[FL_LOSS_COUNT][FL_GROUP_COUNT];
} fl_key_cells;

typedef struct fl_summary {
    fl_params params;
    fl_cell cell[FL_LOSS_COUNT][FL_GROUP_COUNT];
    struct fl_select *select;
    struct terms *terms; /* scratch for fl_summary_add */
    enum fl_by by;
    fl_key_cells *keys;  /* by key (class index or image ordinal): whole
                          * after fl_summary_finish */
    size_t nkeys, keys_cap;
    struct key_sums *pending; /* by key: sums not yet in keys' cells */
    size_t pending_cap;
    uint64_t key_base;   /* by image, a part's: its image 0's ordinal */
    int failed;          /* an allocation failed in a callback */
} fl_summary;

/* Return a summary for parameters p, or NULL when out of memory.  Free with
 * fl_summary_free. */
fl_summary *fl_summary_new(const fl_params *p);

/* The same, also keeping every cell per class or per image (by); memory
 * then grows with the number of keys.  A class breakdown needs batches
 * with class indices: examples without one are in no key. */
fl_summary *fl_summary_new_by(const fl_params *p, enum fl_by by);

/* Free s; s may be NULL. */
void fl_summary_free(fl_summary *s);

/* Add a batch of examples.  Return FL_OK, or FL_ENOMEM (s is then unusable
 * but must still be freed). */
int fl_summary_add(fl_summary *s, const fl_batch *b);

/* Close the last image's selection and fold the keys' held-back sums into
 * their cells; call once after the last batch.  Return FL_OK, or FL_ENOMEM
 * when a breakdown could not grow or SSD's choice had no memory. */
int fl_summary_finish(fl_summary *s);

/* Make s the summary of one part of an input read in parts (on several
 * threads, or on several machines): part numbers the parts in input order,
 * from 0, under 2^32 - 1 (a part holding under 2^32 examples).  Its first
 * and last images stay open for fl_summary_merge. */
void fl_summary_hold_first(fl_summary *s, uint64_t part);

/* Make s, a part's summary whose images were numbered from 0, one whose
 * image first is the whole input's image ordinal first (a breakdown by
 * image keeps their keys so when merged). */
void fl_summary_number_images(fl_summary *s, uint64_t first);

/* Fold src, the summary of the part of the input that follows everything
 * folded into dst so far, into dst; continues is 1 when src's first image
 * (of a non-ignored example) is dst's last one.  Counts and selections come
 * out exactly as from one summary of the whole input, sums to rounding.
 * src is left without open images; free it after.  Return FL_OK, or
 * FL_ENOMEM (dst must then be freed). */
int fl_summary_merge(fl_summary *dst, fl_summary *src, int continues);

/* Store in *out the union of loss's four groups (the "all" row). */
void fl_summary_total(const fl_summary *s, enum fl_loss loss, fl_cell *out);

#endif
