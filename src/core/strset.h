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

/* Add the len bytes at key if absent; store in *index its number, counted
 * from 0 in the order strings were first added.  Return 1 when added, 0
 * when already present, FL_ENOMEM (negative) when out of memory. */
int fl_strset_intern(fl_strset *s, const char *key, size_t len, size_t *index);

/* Return string number index (NUL-terminated, owned by s), or NULL when
 * there is none.  Valid until s is cleared or freed. */
const char *fl_strset_at(const fl_strset *s, size_t index);

/* Return the length of string number index (which may hold NUL bytes),
 * or 0 when there is none. */
size_t fl_strset_len(const fl_strset *s, size_t index);

/* Return the number of strings in s. */
size_t fl_strset_size(const fl_strset *s);

/* Remove every string, keeping the storage for reuse. */
void fl_strset_clear(fl_strset *s);

#endif
