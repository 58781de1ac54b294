/* table.h: tidy tables written as aligned text, csv, tsv, json or markdown.
 *
 * A table is a list of rows with named, typed columns.  Machine formats
 * print reals at full precision (%.17g); a missing value (an undefined
 * share, say) is an empty csv/tsv field, a json null and "-" for people. */
#ifndef FL_TABLE_H
#define FL_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum fl_format { FL_FMT_TABLE, FL_FMT_CSV, FL_FMT_TSV, FL_FMT_JSON, FL_FMT_MD };

enum fl_kind { FL_KIND_STR, FL_KIND_UINT, FL_KIND_REAL };

typedef struct fl_value {
    enum fl_kind kind;
    int missing;
    int right;     /* align a string to the right, as a number */
    const char *s; /* FL_KIND_STR: copied by fl_table_add */
    uint64_t u;
    double d;
} fl_value;

typedef struct fl_table fl_table;

/* Return the format called name ("table", "csv", "tsv", "json", "md") in
 * *out and 0, or -1 when there is none. */
int fl_format_parse(const char *name, enum fl_format *out);

/* Return an empty table whose ncols column names (not copied; they must
 * outlive it) are names, or NULL when out of memory.  Free with
 * fl_table_free. */
fl_table *fl_table_new(size_t ncols, const char *const *names);

/* Free t; t may be NULL. */
void fl_table_free(fl_table *t);

/* Append a row of ncols values.  Return FL_OK or FL_ENOMEM. */
int fl_table_add(fl_table *t, const fl_value *row);

/* Return the number of rows. */
size_t fl_table_rows(const fl_table *t);

/* Write t to out as csv or tsv (with a header row), markdown, aligned text,
 * or a json array of objects (no trailing newline, to nest it).  Return
 * FL_OK, or FL_EIO when writing failed (errno tells why). */
int fl_table_write(const fl_table *t, enum fl_format fmt, FILE *out);

/* Value constructors. */
fl_value fl_str(const char *s);
fl_value fl_numtext(const char *s); /* a string aligned like a number */
fl_value fl_uint(uint64_t u);
fl_value fl_real(double d); /* a NaN becomes a missing value */

/* Write s as a json string literal. */
void fl_json_string(FILE *out, const char *s);

/* Write d as a json number, or null when it is not finite. */
void fl_json_real(FILE *out, double d);

#endif
