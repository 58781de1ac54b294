/* strset.c: open addressing with linear probing and FNV-1a hashes. */
#include "core/strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"

typedef struct slot {
    char *key; /* NULL when empty */
    size_t len;
    uint64_t hash;
    size_t index; /* order of insertion */
} slot;

struct fl_strset {
    slot *slots;
    size_t cap; /* a power of two */
    size_t n;
    char **order; /* the keys in the order they were added */
    size_t *order_len;
    size_t order_cap;
};

static uint64_t fnv1a(const char *key, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 1099511628211ULL;
    }
    return h;
}

fl_strset *fl_strset_new(void)
{
    fl_strset *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cap = 64;
    s->slots = calloc(s->cap, sizeof *s->slots);
    if (!s->slots) {
        free(s);
        return NULL;
    }
    return s;
}

void fl_strset_clear(fl_strset *s)
{
    for (size_t i = 0; i < s->cap; i++) {
        free(s->slots[i].key);
        s->slots[i].key = NULL;
    }
    s->n = 0;
}

const char *fl_strset_at(const fl_strset *s, size_t index)
{
    return index < s->n ? s->order[index] : NULL;
}

size_t fl_strset_len(const fl_strset *s, size_t index)
{
    return index < s->n ? s->order_len[index] : 0;
}

void fl_strset_free(fl_strset *s)
{
    if (!s)
        return;
    fl_strset_clear(s);
    free(s->slots);
    free(s->order);
    free(s->order_len);
    free(s);
}

size_t fl_strset_size(const fl_strset *s)
{
    return s->n;
}

static slot *find(slot *slots, size_t cap, const char *key, size_t len,
                  uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);
    while (slots[i].key &&
           !(slots[i].hash == h && slots[i].len == len &&
             memcmp(slots[i].key, key, len) == 0))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static int grow(fl_strset *s)
{
    size_t cap = 2 * s->cap;
    slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return FL_ENOMEM;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i].key)
            *find(slots, cap, s->slots[i].key, s->slots[i].len,
                  s->slots[i].hash) = s->slots[i];
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
    return FL_OK;
}

int fl_strset_intern(fl_strset *s, const char *key, size_t len, size_t *index)
{
    if (2 * (s->n + 1) > s->cap && grow(s) != FL_OK)
        return FL_ENOMEM;
    if (s->n == s->order_cap) {
        size_t cap = s->order_cap ? 2 * s->order_cap : 64;
        char **order = realloc(s->order, cap * sizeof *order);
        if (order)
            s->order = order;
        size_t *lens = order ? realloc(s->order_len, cap * sizeof *lens) : NULL;
        if (!lens)
            return FL_ENOMEM;
        s->order_len = lens;
        s->order_cap = cap;
    }
    uint64_t h = fnv1a(key, len);
    slot *sl = find(s->slots, s->cap, key, len, h);
    if (sl->key) {
        *index = sl->index;
        return 0;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return FL_ENOMEM;
    memcpy(copy, key, len);
    copy[len] = '\0';
    *sl = (slot){copy, len, h, s->n};
    s->order[s->n] = copy;
    s->order_len[s->n] = len;
    *index = s->n++;
    return 1;
}

int fl_strset_add(fl_strset *s, const char *key, size_t len)
{
    size_t index;
    return fl_strset_intern(s, key, len, &index);
}
