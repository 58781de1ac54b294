/* writer.h: write long-format dumps (image_id,anchor,class,logit,label),
 * the reader's counterpart, for flstat simulate.
 *
 * Numbers are written by hand, not by printf: whole numbers in decimal and
 * logits with exactly six decimals (a logit is a whole number of 1e-6, see
 * simulate.h), so the text is exact, the same in every locale, and fast.
 * A file is written whole or not at all: rows go to a temporary file beside
 * it, renamed over it by fl_writer_commit. */
#ifndef FL_WRITER_H
#define FL_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "core/simulate.h"

/* The header row, newline included. */
#define FL_WRITER_HEADER "image_id,anchor,class,logit,label\n"

/* The longest text fl_writer_format_logit writes. */
#define FL_WRITER_LOGIT_MAX 28

typedef struct fl_writer fl_writer;

/* Start a dump at path (NULL or "-": standard output, never compressed),
 * gzip-compressed when path ends in ".gz", and write its header.  Return
 * FL_OK with *out set; FL_EIO (errno tells why; nothing is left behind) or
 * FL_ENOMEM, with *out NULL.  End with fl_writer_commit or
 * fl_writer_abort. */
int fl_writer_open(const char *path, fl_writer **out);

/* Return the name of the temporary file w writes until fl_writer_commit
 * renames it, or NULL when w writes standard output.  Owned by w. */
const char *fl_writer_temp_path(const fl_writer *w);

/* Append n rows.  Return FL_OK, or FL_EIO (errno tells why). */
int fl_writer_rows(fl_writer *w, const fl_sim_row *rows, size_t n);

/* Finish the dump: flush, close, and rename the temporary file to its name.
 * Return FL_OK, or FL_EIO (errno tells why) after removing the temporary
 * file.  Frees w either way. */
int fl_writer_commit(fl_writer *w);

/* Give up: close and remove the temporary file, free w.  w may be NULL. */
void fl_writer_abort(fl_writer *w);

/* Write logit_units / 1e6 to buf with exactly six decimals ("-4.595120",
 * "0.000001"; never "-0.000000"), no NUL.  Return the length, at most
 * FL_WRITER_LOGIT_MAX. */
size_t fl_writer_format_logit(char *buf, int64_t logit_units);

#endif
