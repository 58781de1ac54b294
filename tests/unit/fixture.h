/* fixture.h: a synthetic batch of examples for the unit tests: logits over
 * several orders of magnitude (extremes included), about 5% positives. */
#ifndef FL_FIXTURE_H
#define FL_FIXTURE_H

#include <stdint.h>
#include <stdlib.h>

#include "core/summary.h"

typedef struct fl_fixture {
    size_t n;
    double *x;
    unsigned char *positive;
    uint64_t *image;
    uint32_t *klass; /* NULL until fl_fixture_classes */
    fl_batch batch;
} fl_fixture;

/* A reproducible generator, independent of the C library's rand. */
static inline double fl_fixture_uniform(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*state >> 11) / 9007199254740992.0;
}

/* Fill f with n examples from seed; free with fl_fixture_free. */
static inline void fl_fixture_make(fl_fixture *f, size_t n, uint64_t seed)
{
    static const double extremes[] = {-800, -60, -45, 45, 60, 700};
    f->n = n;
    f->x = malloc(n * sizeof *f->x);
    f->positive = malloc(n);
    f->image = calloc(n, sizeof *f->image);
    f->klass = NULL;
    for (size_t i = 0; i < n; i++) {
        int pos = fl_fixture_uniform(&seed) < 0.05;
        double u = fl_fixture_uniform(&seed);
        /* most negatives easy (low logit), positives spread */
        double x = pos ? 6 * u - 2 : -8 * u * u - 3 * u + 2.5 * (u > 0.97);
        if (i % 97 == 13)
            x = extremes[(i / 97) % 6];
        f->x[i] = x;
        f->positive[i] = (unsigned char)pos;
    }
    f->batch = (fl_batch){.n = n, .x = f->x, .positive = f->positive,
                          .image = f->image};
}

/* Give f's examples class indices 0 to k - 1 in short runs (f->klass,
 * and in its batch), and FL_NO_CLASS to one example in 97. */
static inline void fl_fixture_classes(fl_fixture *f, uint32_t k)
{
    f->klass = malloc(f->n * sizeof *f->klass);
    for (size_t i = 0; i < f->n; i++)
        f->klass[i] = i % 97 == 5 ? FL_NO_CLASS
                                  : (uint32_t)((i / 7 + i % 3) % k);
    f->batch.klass = f->klass;
}

/* Hand f's examples to add in batches of 1, 300, 4096, 37, 9000 and the
 * rest; return FL_OK (0) or add's first other status. */
static inline int fl_fixture_add_in_pieces(const fl_fixture *f,
                                           int (*add)(void *, const fl_batch *),
                                           void *ctx)
{
    const uint32_t *klass = f->klass;
    static const size_t sizes[] = {1, 300, 4096, 37, 9000};
    for (size_t from = 0, j = 0; from < f->n; j++) {
        size_t n = f->n - from;
        if (j < sizeof sizes / sizeof *sizes && sizes[j] < n)
            n = sizes[j];
        fl_batch b = {n, f->x + from, f->positive + from, f->image + from,
                      klass ? klass + from : NULL};
        int st = add(ctx, &b);
        if (st != 0)
            return st;
        from += n;
    }
    return 0;
}

static inline void fl_fixture_free(fl_fixture *f)
{
    free(f->x);
    free(f->positive);
    free(f->image);
    free(f->klass);
}

#endif
