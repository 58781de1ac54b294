/* suggest.h: "did you mean": an edit distance, and the names a misspelled
 * command or option may have meant.  No I/O, no allocation. */
#ifndef FL_SUGGEST_H
#define FL_SUGGEST_H

#include <stddef.h>

/* Words longer than this have no distance; at most this many names are
 * suggested at once. */
enum { FL_SUGGEST_MAX_LEN = 64, FL_SUGGEST_MAX = 4 };

/* The optimal string alignment distance (Damerau-Levenshtein, no substring
 * edited twice) between a[0..alen) and b[0..blen): the fewest insertions,
 * deletions, substitutions and swaps of two adjacent characters that turn
 * a into b.  Case matters.  Return it, or (size_t)-1 when alen or blen
 * exceeds FL_SUGGEST_MAX_LEN.  Never fails otherwise. */
size_t fl_suggest_distance(const char *a, size_t alen, const char *b,
                           size_t blen);

/* Choose among names[0..n) those word[0..len) may have meant: every name
 * word is a prefix of, when there is one; else every name at the smallest
 * distance d, when d <= 2 and 2 d < len.  Store their indexes, in names'
 * order, in pick.  Return how many: 0 when len is 0, when none is close
 * or when more than FL_SUGGEST_MAX are. */
size_t fl_suggest_pick(const char *word, size_t len, const char *const *names,
                       size_t n, size_t pick[FL_SUGGEST_MAX]);

/* Write the picked names, each led by prefix and quoted, as a phrase:
 * "'a'", "'a' or 'b'", "'a', 'b' or 'c'".  buf (cap > 0 bytes) is always
 * terminated, the phrase cut when it does not fit.  Return buf, which the
 * caller owns. */
char *fl_suggest_phrase(char *buf, size_t cap, const char *prefix,
                        const char *const *names, const size_t *pick,
                        size_t npick);

#endif
