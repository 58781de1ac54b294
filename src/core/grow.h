/* grow.h: arrays indexed by a key (a class, an image) that grow to fit. */
#ifndef FL_GROW_H
#define FL_GROW_H

#include <stddef.h>

/* Return arr, an array of *cap elements of elem bytes, grown to hold
 * element index: the capacity doubles (from 64) until it does, *cap is
 * updated and the new elements are zero bytes.  Return NULL when out of
 * memory or when the size would overflow; arr and *cap are then unchanged
 * (realloc's contract).  The caller frees the array. */
void *fl_grow_to(void *arr, size_t *cap, size_t elem, size_t index);

#endif
