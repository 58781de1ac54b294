/* source.h: the bytes of an input: a file, a pipe or standard input, plain
 * or gzip-compressed (told from the data, not the name), read in blocks,
 * with progress; and a buffer of bytes read but not yet used.  Every
 * format reads through it; failures are reported on the file (fatal). */
#ifndef FL_SOURCE_H
#define FL_SOURCE_H

#include <stdint.h>
#include <zlib.h>

#include "input/input.h"

typedef struct fl_source {
    gzFile gz; /* NULL: read straight from fd */
    int fd;
    uint64_t total;    /* the file's size, 0 when unknown (a pipe) */
    uint64_t inflated; /* bytes read so far, after gzip */
} fl_source;

/* Open path ("-": standard input) for f.  Return FL_OK; FL_EIO or
 * FL_ENOMEM after fatal. */
int fl_source_open(fl_file *f, const char *path, fl_source *src);

/* Read up to cap bytes into buf.  Return the count, 0 at the end, -1
 * after fatal. */
long fl_source_read(fl_file *f, fl_source *src, char *buf, size_t cap);

/* Close src.  Return FL_OK, or FL_EIO when closing failed. */
int fl_source_close(fl_source *src);

/* Bytes read but not yet used, at the start of buf.  clean counts those
 * at its start already known to hold no newline (csv.c's). */
typedef struct fl_inbuf {
    char *buf;
    size_t cap, len, clean;
} fl_inbuf;

/* Make *buf hold at least cap bytes.  Return FL_OK, or FL_ENOMEM after
 * fatal. */
int fl_buf_fit(fl_file *f, char **buf, size_t *have, size_t cap);

/* Append up to n bytes at dst: those carried over in carry first, then a
 * read.  Return the count, 0 at the end of the input, -1 after fatal. */
long fl_source_take(fl_file *f, fl_source *src, fl_inbuf *carry, char *dst,
                    size_t n);

/* Put the rest bytes at from back in front of what carry holds.  Return
 * FL_OK, or FL_ENOMEM after fatal. */
int fl_source_give_back(fl_file *f, fl_inbuf *carry, const char *from,
                        size_t rest);

#endif
