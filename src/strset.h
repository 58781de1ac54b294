/* strset.h: a set of byte strings (image and class ids). */
#ifndef FL_STRSET_H
#define FL_STRSET_H

#include <stddef.h>

typedef struct fl_strset fl_strset;

/* Return an empty set, or NULL when out of memory.  Free with
 * fl_strset_free. */
fl_strset *fl_strset_new(void);

/* Free s and its strings; s may be NULL. */
void fl_strset_free(fl_strset *s);

/* Add the len bytes at key.  Return 1 when added, 0 when already present,
 * FL_ENOMEM (negative) when out of memory. */
int fl_strset_add(fl_strset *s, const char *key, size_t len);

/* Return the number of strings in s. */
size_t fl_strset_size(const fl_strset *s);

/* Remove every string, keeping the storage for reuse. */
void fl_strset_clear(fl_strset *s);

#endif
