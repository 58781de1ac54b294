/* numparse.h: strict number parsing for dump fields. */
#ifndef FL_NUMPARSE_H
#define FL_NUMPARSE_H

#include <stddef.h>

enum fl_num {
    FL_NUM_OK,
    FL_NUM_EMPTY,     /* nothing but white space */
    FL_NUM_JUNK,      /* not a decimal number as a whole */
    FL_NUM_RANGE,     /* magnitude too large for a double */
    FL_NUM_NONFINITE  /* nan or inf spelled out */
};

/* Parse the len bytes at s (no NUL byte needed after them) as one decimal
 * number (sign, digits with a point, exponent; nan and inf are numbers but
 * not finite; hexadecimal is not a decimal), spaces, tabs, CR and LF
 * allowed around it, and store it in *out.  Return
 * FL_NUM_OK or the reason it is not a finite double; *out is then unset.
 * Values too small for a double round to zero or a subnormal: that is no
 * error.  The result is the C locale's strtod's, to the bit. */
enum fl_num fl_parse_double(const char *s, size_t len, double *out);

/* The exact fast path of fl_parse_double alone: return 1 and store the
 * value when s[0, len) is a decimal it takes (sign, at most 19 digits, a
 * small exponent, no white space), else 0 (then ask fl_parse_double). */
int fl_parse_decimal_fast(const char *s, size_t len, double *out);

/* fl_parse_decimal_fast, to the bit, faster: may read the 48 bytes from s
 * whatever len (they need not belong to the field). */
int fl_parse_decimal_padded(const char *s, size_t len, double *out);

#endif
