/* suggest.c: edit distance and the choice of suggestions (suggest.h). */
#include "cli/suggest.h"

#include <stdio.h>
#include <string.h>

static size_t min2(size_t x, size_t y)
{
    return x < y ? x : y;
}

size_t fl_suggest_distance(const char *a, size_t alen, const char *b,
                           size_t blen)
{
    /* three rows of the table: i - 2, i - 1 and i */
    size_t rows[3][FL_SUGGEST_MAX_LEN + 1];
    if (alen > FL_SUGGEST_MAX_LEN || blen > FL_SUGGEST_MAX_LEN)
        return (size_t)-1;
    for (size_t j = 0; j <= blen; j++)
        rows[0][j] = j;
    for (size_t i = 1; i <= alen; i++) {
        size_t *cur = rows[i % 3], *up = rows[(i - 1) % 3],
               *up2 = rows[(i + 1) % 3];
        cur[0] = i;
        for (size_t j = 1; j <= blen; j++) {
            size_t d = up[j - 1] + (a[i - 1] != b[j - 1]);
            d = min2(d, min2(up[j], cur[j - 1]) + 1);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1])
                d = min2(d, up2[j - 2] + 1);
            cur[j] = d;
        }
    }
    return rows[alen % 3][blen];
}

/* The names word is a prefix of, into pick; how many (up to n). */
static size_t prefix_picks(const char *word, size_t len,
                           const char *const *names, size_t n, size_t *pick)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(names[i], word, len) == 0) {
            if (k < FL_SUGGEST_MAX)
                pick[k] = i;
            k++;
        }
    return k;
}

/* The names at the smallest distance from word when it is close enough. */
static size_t near_picks(const char *word, size_t len,
                         const char *const *names, size_t n, size_t *pick)
{
    size_t best = (size_t)-1, k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t d = fl_suggest_distance(word, len, names[i], strlen(names[i]));
        if (d < best) {
            best = d;
            k = 0;
        }
        if (d == best) {
            if (k < FL_SUGGEST_MAX)
                pick[k] = i;
            k++;
        }
    }
    return best <= 2 && 2 * best < len ? k : 0;
}

size_t fl_suggest_pick(const char *word, size_t len, const char *const *names,
                       size_t n, size_t pick[FL_SUGGEST_MAX])
{
    if (len == 0)
        return 0;
    size_t k = prefix_picks(word, len, names, n, pick);
    if (k == 0)
        k = near_picks(word, len, names, n, pick);
    return k <= FL_SUGGEST_MAX ? k : 0;
}

char *fl_suggest_phrase(char *buf, size_t cap, const char *prefix,
                        const char *const *names, const size_t *pick,
                        size_t npick)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < npick && used < cap; i++) {
        const char *sep = i == 0 ? "" : i + 1 == npick ? " or " : ", ";
        int w = snprintf(buf + used, cap - used, "%s'%s%s'", sep, prefix,
                         names[pick[i]]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}
