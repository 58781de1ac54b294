/* pipe.c: a bounded ring of batch copies between two threads. */
#include "input/pipe.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"

#define SLOTS 4
#define SLOT_ROWS 4096

typedef struct slot {
    size_t n;
    double x[SLOT_ROWS];
    unsigned char positive[SLOT_ROWS];
    uint64_t image[SLOT_ROWS];
    uint32_t klass[SLOT_ROWS];
    int has_class;
} slot;

struct fl_pipe {
    int (*sink)(void *ctx, const fl_batch *b);
    void *ctx;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t filled, emptied;
    size_t head, tail; /* slots put and taken, counted from the start */
    int done;          /* no more puts */
    int status;        /* the first failing sink call's */
    slot slots[SLOTS];
};

static void consume(fl_pipe *p, const slot *s)
{
    fl_batch b = {s->n, s->x, s->positive, s->image,
                  s->has_class ? s->klass : NULL};
    int st = p->sink(p->ctx, &b);
    if (st != FL_OK) {
        pthread_mutex_lock(&p->lock);
        if (p->status == FL_OK)
            p->status = st;
        pthread_mutex_unlock(&p->lock);
    }
}

static void *run(void *arg)
{
    fl_pipe *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->tail == p->head && !p->done)
            pthread_cond_wait(&p->filled, &p->lock);
        if (p->tail == p->head)
            break;
        slot *s = &p->slots[p->tail % SLOTS];
        int ok = p->status == FL_OK; /* after a failure, only drain */
        pthread_mutex_unlock(&p->lock);
        if (ok)
            consume(p, s);
        pthread_mutex_lock(&p->lock);
        p->tail++;
        pthread_cond_signal(&p->emptied);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

fl_pipe *fl_pipe_new(int (*sink)(void *ctx, const fl_batch *b), void *ctx)
{
    fl_pipe *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->sink = sink;
    p->ctx = ctx;
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p);
        return NULL;
    }
    pthread_cond_init(&p->filled, NULL);
    pthread_cond_init(&p->emptied, NULL);
    if (pthread_create(&p->thread, NULL, run, p) != 0) {
        pthread_cond_destroy(&p->filled);
        pthread_cond_destroy(&p->emptied);
        pthread_mutex_destroy(&p->lock);
        free(p);
        return NULL;
    }
    return p;
}

/* Copy b[from, from + n) into the next free slot. */
static int put_part(fl_pipe *p, const fl_batch *b, size_t from, size_t n)
{
    pthread_mutex_lock(&p->lock);
    while (p->head - p->tail == SLOTS && p->status == FL_OK)
        pthread_cond_wait(&p->emptied, &p->lock);
    int st = p->status;
    pthread_mutex_unlock(&p->lock);
    if (st != FL_OK)
        return st;
    slot *s = &p->slots[p->head % SLOTS];
    s->n = n;
    memcpy(s->x, b->x + from, n * sizeof *s->x);
    memcpy(s->positive, b->positive + from, n);
    memcpy(s->image, b->image + from, n * sizeof *s->image);
    s->has_class = b->klass != NULL;
    if (b->klass)
        memcpy(s->klass, b->klass + from, n * sizeof *s->klass);
    pthread_mutex_lock(&p->lock);
    p->head++;
    pthread_cond_signal(&p->filled);
    pthread_mutex_unlock(&p->lock);
    return FL_OK;
}

int fl_pipe_put(void *pipe, const fl_batch *b)
{
    fl_pipe *p = pipe;
    for (size_t from = 0; from < b->n; from += SLOT_ROWS) {
        size_t n = b->n - from < SLOT_ROWS ? b->n - from : SLOT_ROWS;
        int st = put_part(p, b, from, n);
        if (st != FL_OK)
            return st;
    }
    return FL_OK;
}

int fl_pipe_finish(fl_pipe *p)
{
    if (!p)
        return FL_OK;
    pthread_mutex_lock(&p->lock);
    p->done = 1;
    pthread_cond_signal(&p->filled);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    int st = p->status;
    pthread_cond_destroy(&p->filled);
    pthread_cond_destroy(&p->emptied);
    pthread_mutex_destroy(&p->lock);
    free(p);
    return st;
}
