/* select.h: OHEM and SSD hard-example selection, per image (SPEC section 3).
 *
 * Examples arrive in input order, tagged with their image; an image ends when
 * one with another tag arrives or at fl_select_flush.  Within an image the
 * examples are ranked by CE, highest first, ties in input order.  Memory:
 * FL_OHEM_TOP and FL_OHEM_RATIO keep bounded heaps (at most 2 B entries of
 * 32 bytes); FL_OHEM_SSD must see an image's positive count before choosing
 * its negatives, so it keeps 16 bytes for every negative of the current
 * image (24 with a keep callback), and at its end a heap of the ones it
 * keeps, when it keeps fewer than all. */
#ifndef FL_SELECT_H
#define FL_SELECT_H

#include <stdint.h>

#include "core/loss.h"
#include "core/summary_cell.h"

typedef struct fl_select fl_select;

/* Called with every kept example's key (see fl_select_add), CE, |dCE/dx|
 * and group. */
typedef void (*fl_select_keep)(void *ctx, uint64_t key, double ce, double grad,
                               enum fl_group group);

/* Return a selector that adds the CE and |dCE/dx| of every kept example to
 * out[group], and tells keep (when not NULL) about each, or NULL when out of
 * memory.  out must outlive the selector.  Free with fl_select_free. */
fl_select *fl_select_new(const fl_params *p, fl_cell out[FL_GROUP_COUNT],
                         fl_select_keep keep, void *keep_ctx);

/* Free s and everything it holds; s may be NULL. */
void fl_select_free(fl_select *s);

/* Offer one non-ignored example of image to the selection; key is handed
 * back to keep if it is kept.  Return FL_OK, or FL_ENOMEM (the example, or
 * the choice among the negatives of the image it ends, is lost and the
 * selector must be freed). */
int fl_select_add(fl_select *s, uint64_t image, double ce, double grad,
                  enum fl_group group, uint64_t key);

/* fl_select_add over n examples, in order: example i is of image[i], with
 * ce[i], grad[i], group[i] and key[i].  Return FL_OK, or FL_ENOMEM as
 * fl_select_add does. */
int fl_select_add_many(fl_select *s, size_t n, const uint64_t *image,
                       const double *ce, const double *grad,
                       const unsigned char *group, const uint64_t *key);

/* Close the current image (and a held first one): add their kept examples
 * to the output.  Return FL_OK, or FL_ENOMEM (SSD mode, with negatives to
 * choose among: some kept examples are lost and the selector must be
 * freed). */
int fl_select_flush(fl_select *s);

/* Make s the selector of one part of a longer input read in parts: its
 * first image may have begun in the part before, so when it ends it is
 * held, not selected from, and so is the last one at the end; both wait for
 * fl_select_merge.  Ties rank by input order: seq_base orders this part's
 * examples after those of every part before it, and with the part's
 * examples added stays under 2^62 (an entry keeps its group beside it). */
void fl_select_hold_first(fl_select *s, uint64_t seq_base);

/* Add base to the key of every example s holds (of images not yet
 * selected from): a part's image ordinals (as keys, in a breakdown by
 * image) becoming the whole's. */
void fl_select_shift_keys(fl_select *s, uint64_t base);

/* Fold src, the selector of the part of the input that follows everything
 * folded into dst so far, into dst: continues is 1 when src's first image
 * is dst's current one (the image crosses the cut between the parts).
 * Images that end are selected from into dst's output; src's last image
 * stays open in dst.  src's own output is not touched (the caller adds its
 * cells), and src is left empty.  Return FL_OK, or FL_ENOMEM (dst must then
 * be freed). */
int fl_select_merge(fl_select *dst, fl_select *src, int continues);

#endif
