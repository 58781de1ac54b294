/* numparse.c: strict number parsing, the C locale's strtod underneath. */
#include "numparse.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

enum fl_num fl_parse_double(const char *s, size_t len, double *out)
{
    size_t a = 0, b = len;
    while (a < b && is_blank(s[a]))
        a++;
    while (b > a && is_blank(s[b - 1]))
        b--;
    if (a == b)
        return FL_NUM_EMPTY;

    char *end;
    errno = 0;
    double v = strtod(s + a, &end);
    if (end != s + b)
        return FL_NUM_JUNK;
    if (isnan(v) || isinf(v))
        return errno == ERANGE ? FL_NUM_RANGE : FL_NUM_NONFINITE;
    *out = v;
    return FL_NUM_OK;
}
