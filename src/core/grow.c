/* grow.c: grow-to-fit arrays. */
#include "core/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *fl_grow_to(void *arr, size_t *cap, size_t elem, size_t index)
{
    if (index < *cap)
        return arr;
    size_t n = *cap ? *cap : 64;
    while (n <= index) {
        if (n > SIZE_MAX / 2)
            return NULL;
        n *= 2;
    }
    if (n > SIZE_MAX / elem)
        return NULL;
    char *p = realloc(arr, n * elem);
    if (!p)
        return NULL;
    memset(p + *cap * elem, 0, (n - *cap) * elem);
    *cap = n;
    return p;
}
