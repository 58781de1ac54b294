/* format.h: what an input format provides, and the table of formats.
 *
 * A format turns a file's bytes into rows.  Everything else is shared:
 * the source (source.h: files, pipes, gzip), the schema (schema.c: which
 * column plays which role, from the names the format reads), the rows
 * (rows.c: validation, counts, batches), the numbering of images and
 * classes (number.c), and reading in parts on several threads (split.h:
 * the main thread cuts the input into stretches that end with a record,
 * workers read them, their results merge in input order).
 *
 * How to add a format:
 *   1. Make a folder src/input/NAME/ with NAME.c (and NAME.h if its files
 *      share things): a `const fl_format fl_format_NAME` defining the
 *      operations below.  It reads its header into the schema's names
 *      (fl_schema_add_name) and calls fl_schema_resolve, then fills each
 *      row (fl_file's x or wide_x, label, row_image, row_class) and calls
 *      fl_row_done, or pushes examples itself (fl_push_example) and counts
 *      them (fl_count_rows).  Errors go through fl_file_fatal and
 *      fl_row_error, with f->row_line the record's position.
 *   2. Add its row to FL_FORMATS below, before csv (the last takes what
 *      no other sniffs), and its folder to the Makefile's source list if
 *      the wildcard there does not reach it.
 *   3. Tests: tests/unit/check_NAME.c and CLI cases; a fuzz harness. */
#ifndef FL_FORMAT_H
#define FL_FORMAT_H

#include "input/input.h"
#include "input/source.h"
#include "input/split.h"

typedef struct fl_format {
    const char *name;
    /* Whether the first n bytes of a regular file (up to 16; fewer when
     * the file is shorter) are of this format.  NULL: whatever no format
     * before it takes. */
    int (*sniff)(const unsigned char *head, size_t n);
    /* Read the file from src into f, to its end or its first fatal error,
     * on this thread; where parts is not NULL and threads > 1, the body
     * may be read in parts (fl_split_read) once the schema is known. */
    void (*read)(fl_file *f, fl_source *src, const fl_parts *parts,
                 int threads);
    /* The main thread, in parts: fill st with the next stretch (about want
     * bytes, ending with a record; what follows the cut is kept in carry).
     * Return FL_OK, or a status after fatal. */
    int (*fill)(fl_file *f, fl_source *src, fl_inbuf *carry, fl_stretch *st,
                size_t want);
    /* A worker, in parts: read stretch st into f, which holds the main
     * thread's schema, fresh counts and ids, and positions counted from
     * the stretch's start. */
    void (*read_stretch)(fl_file *f, const fl_stretch *st);
    /* Free what the format keeps in a reader (r->csv, say); NULL when it
     * keeps nothing. */
    void (*reader_free)(fl_reader *r);
} fl_format;

#define FL_FORMATS(X) X(csv)

#define FL_FORMAT_DECLARE(name) extern const fl_format fl_format_##name;
FL_FORMATS(FL_FORMAT_DECLARE)
#undef FL_FORMAT_DECLARE

/* Return the format of a file whose first n bytes are head (n 0: a pipe,
 * which cannot be peeked at). */
const fl_format *fl_format_of(const unsigned char *head, size_t n);

/* Call every format's reader_free on r. */
void fl_formats_reader_free(fl_reader *r);

#endif
