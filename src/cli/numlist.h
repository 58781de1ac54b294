/* numlist.h: lists of reals given on the command line (--gamma 0,0.5,2 or
 * --alpha 0.1:0.9:0.2).  No I/O. */
#ifndef FL_NUMLIST_H
#define FL_NUMLIST_H

#include <stddef.h>

/* Parse s, either comma-separated numbers or START:STOP:STEP (START <= STOP,
 * STEP > 0: START, START + STEP, ... up to STOP, STOP included when the
 * steps reach it to within a billionth of a step).  Range values are
 * rounded to 15 significant digits, so that 0:1:0.1 yields 0.3 and not
 * 0.30000000000000004.  The values are sorted ascending and duplicates are
 * dropped.  At most max values are accepted.
 * Return FL_OK with a malloc'd array in *out (the caller frees it) and its
 * length in *n (at least 1); FL_EINVAL with a lower-case reason in
 * why[0..cap) and *out untouched; or FL_ENOMEM. */
int fl_numlist_parse(const char *s, size_t max, double **out, size_t *n,
                     char *why, size_t cap);

#endif
