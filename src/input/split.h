/* split.h: reading one input on several threads, whatever its format.
 *
 * The main thread cuts the input into stretches that end where a record
 * does (the format's fill), workers read a stretch each into a part of the
 * result (the format's read_stretch), and the main thread merges the parts
 * in input order: counts, errors and their lines, the first skipped row,
 * the images (an image may go on across a cut, never come back after
 * another) and their ordinals, as one thread would give them. */
#ifndef FL_SPLIT_H
#define FL_SPLIT_H

#include "input/input.h"
#include "input/source.h"

struct fl_format;

/* A stretch of the input, filled by the main thread. */
typedef struct fl_stretch {
    char *buf;
    size_t len, cap;
    int last;        /* it ends the input */
    int ending;      /* the format's note of why it ended early, 0 if not */
    int read_status; /* the read after it failed so (FL_OK: did not) */
    fl_error read_err;
} fl_stretch;

/* Read the rest of the input from src (carry holding bytes read but not
 * used) in parts on threads threads with format fmt, into parts->whole.
 * f is the main thread's file, its schema known.  Return 0, or -1 when no
 * thread could start (nothing read then: the caller reads on). */
int fl_split_read(fl_file *f, fl_source *src, fl_inbuf *carry,
                  const fl_parts *parts, int threads,
                  const struct fl_format *fmt);

/* The main thread's fill, when a read failed after st's bytes: st becomes
 * the last stretch and carries the error, reported after its records are
 * read (as one thread reads every line before the failing read).  Return
 * FL_OK, or f->status when it is FL_ENOMEM. */
int fl_split_read_failed(fl_file *f, fl_stretch *st);

/* A worker's read_stretch, after its records: report the read error st
 * carries, unless an error came first. */
void fl_split_stretch_end(fl_file *f, const fl_stretch *st);

#endif
