/* csv_file.h: the CSV format's own state, shared by its files.
 *
 * csv.c drives a file through libcsv line by line, so that every message
 * names the line its record starts on, and cuts the input for parts;
 * fields.c gives each field to its role; the fast line readers read the
 * rows that need no quoting rules themselves, with libcsv's results:
 * lines_sse2.c (SSE2, the baseline of x86-64) and lines_avx2.c (AVX2 and
 * BMI2, chosen at run time), built from the templates of lines.h over the
 * primitives of simd_sse2.h and simd_avx2.h. */
#ifndef FL_CSV_FILE_H
#define FL_CSV_FILE_H

#include <csv.h>
#include <stdint.h>

#include "input/csv/numparse.h"
#include "input/input.h"

#define FL_MAX_LINE ((size_t)256 << 20) /* the longest line read */
#define FL_MAX_CUTS 256     /* lines with more fields go to libcsv */
#define FL_INDEX_BYTES 8192 /* the block scan's window, a multiple of 64 */
#define FL_FIELD_ROOM 48    /* the bytes from a field's start the padded
                             * parsers may read */

/* What the CSV format keeps in a reader (r->csv): tables and scratch. */
typedef struct fl_csv_scratch {
    unsigned char classes_of[256]; /* byte classes for the scalar scan */
    /* Field ends: cuts of the line being scanned, seps of the block scan's
     * window (delimiters and newlines), each after a UINT32_MAX, so that
     * field i of a line whose ends are e begins at e[i - 1] + 1. */
    uint32_t cuts_at[FL_MAX_CUTS + 1];
    uint32_t seps_at[FL_INDEX_BYTES + 1 + 8]; /* 8: see flatten */
    uint32_t lines_at[FL_INDEX_BYTES + 4];    /* the window's newlines */
#ifdef FL_NUM_AVX2
    fl_num_avx2_k nk; /* the AVX2 parser's constants, and exact64 */
#endif
} fl_csv_scratch;

/* A CSV file being read: the file, and how far libcsv and the line
 * readers are in it.  f comes first: a csv_file is read as its fl_file. */
typedef struct csv_file {
    fl_file f;
    fl_csv_scratch *k;     /* f.r's */
    struct csv_parser *csv;
    int in_record;         /* libcsv holds an open record */
    size_t record_bytes;   /* in its lines so far */
    int csv_idle_pstate;   /* libcsv's state between records */
    size_t field;          /* the field libcsv hands over next */
    int header_only;       /* stop after the header */
    int long_numbers;      /* the usual rows' loop for long numbers */
    int fed_csv;           /* fast_line gave a line to libcsv */
    /* the bytes of the row being read may be read up to here (48 past a
     * field for the padded parser), or NULL (libcsv's copy of a field) */
    const char *readable;
} csv_file;

/* Byte classes for the scalar scan. */
enum { FL_C_PLAIN, FL_C_DELIM, FL_C_NEWLINE, FL_C_SPECIAL };

/* ---- fields.c ---- */

/* Hand field s[0, len) of the record libcsv is reading to its role. */
void fl_csv_data_field(csv_file *cf, const char *s, size_t len);

/* Hand the needed fields of a line scanned by the fast readers to their
 * roles, with libcsv's trimming, and close the row.  cuts[i] is where
 * field i ends, after cuts[-1], UINT32_MAX; the bytes up to readable may
 * be read. */
void fl_csv_fast_fields(csv_file *cf, const char *s, const uint32_t *cuts,
                        size_t nfields, const char *readable);

/* ---- the fast line readers ---- */

/* Read the short plain lines at the start of s[0, len) (no quote, no
 * blank at a field's end, the header's number of fields) whose rows the
 * plain-row paths take; return the bytes consumed, which end at the first
 * line left to the others.  _avx2 only where f.r->avx2. */
size_t fl_csv_short_lines_sse2(csv_file *cf, const char *s, size_t len);
size_t fl_csv_short_lines_avx2(csv_file *cf, const char *s, size_t len);

/* Read the whole plain lines of s[0, len) that a block scan of up to
 * FL_INDEX_BYTES finds, with the header's number of fields; return the
 * bytes consumed, which end at the first line left to the others. */
size_t fl_csv_block_lines(csv_file *cf, const char *s, size_t len);

#endif
