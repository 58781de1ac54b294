/* pipe.h: hand batches to a sink running on a thread of its own.
 *
 * The reader parses while the consumer computes: a two-stage pipeline.
 * Batches are copied into a ring of slots and consumed in order, so the
 * sink sees exactly the batches, in exactly the order, it would see
 * without the pipe, and results are the same to the bit. */
#ifndef FL_PIPE_H
#define FL_PIPE_H

#include "core/summary.h"

typedef struct fl_pipe fl_pipe;

/* Start a consumer thread that calls sink(ctx, batch) for every batch put
 * into the pipe.  Return the pipe, or NULL when out of memory or when no
 * thread could be started.  End it with fl_pipe_finish. */
fl_pipe *fl_pipe_new(int (*sink)(void *ctx, const fl_batch *b), void *ctx);

/* A batch sink (for fl_reader_read, with the pipe as ctx): copy b into the
 * pipe, waiting for a free slot.  Return FL_OK, or the status of a sink
 * call that failed, after which the pipe takes no more. */
int fl_pipe_put(void *pipe, const fl_batch *b);

/* Wait for every batch put to be consumed, stop the thread, free the pipe
 * (p may be NULL).  Return FL_OK or the first failing sink's status. */
int fl_pipe_finish(fl_pipe *p);

#endif
