/* schema.h: the roles of a file's columns (schema.c), for the formats. */
#ifndef FL_SCHEMA_H
#define FL_SCHEMA_H

#include "input/input.h"

/* Add the next column's name, s[0, len), to f's schema (fatal when out of
 * memory). */
void fl_schema_add_name(fl_file *f, const char *s, size_t len);

/* Find every role's column among the names added, by the options or by
 * the usual names; a wide dump's score columns and their classes.  Set
 * f->header_done, or report what is missing or repeated with fatal at
 * f->row_line. */
void fl_schema_resolve(fl_file *f);

#endif
