/* numlist.c: comma lists and START:STOP:STEP ranges of reals. */
#include "cli/numlist.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/csv/numparse.h"
#include "core/status.h"

/* Parse the len bytes at s as one finite number. */
static int parse_one(const char *s, size_t len, double *v, char *why,
                     size_t cap)
{
    char buf[64];
    if (len >= sizeof buf) {
        snprintf(why, cap, "'%.*s...' is not a number", 20, s);
        return FL_EINVAL;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    enum fl_num st = fl_parse_double(buf, len, v);
    if (st == FL_NUM_EMPTY)
        snprintf(why, cap, "an empty value");
    else if (st == FL_NUM_RANGE || st == FL_NUM_NONFINITE)
        snprintf(why, cap, "'%s' is not a finite number", buf);
    else if (st != FL_NUM_OK)
        snprintf(why, cap, "'%s' is not a number", buf);
    return st == FL_NUM_OK ? FL_OK : FL_EINVAL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sort v and drop repeated values; return the new length. */
static size_t sort_unique(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || v[i] != v[m - 1])
            v[m++] = v[i];
    return m;
}

/* The shortest decimal of up to 15 digits near v: a range's values are
 * meant as decimals, and start + i * step is off by an ulp or so. */
static double decimal15(double v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.15g", v);
    return strtod(buf, NULL);
}

static int parse_range(const char *s, size_t max, double **out, size_t *n,
                       char *why, size_t cap)
{
    const char *c1 = strchr(s, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    double start, stop, step;
    if (!c2 || strchr(c2 + 1, ':')) {
        snprintf(why, cap, "a range is START:STOP:STEP");
        return FL_EINVAL;
    }
    if (parse_one(s, (size_t)(c1 - s), &start, why, cap) ||
        parse_one(c1 + 1, (size_t)(c2 - c1 - 1), &stop, why, cap) ||
        parse_one(c2 + 1, strlen(c2 + 1), &step, why, cap))
        return FL_EINVAL;
    if (!(step > 0) || stop < start) {
        snprintf(why, cap, "a range needs STEP > 0 and START <= STOP");
        return FL_EINVAL;
    }
    double steps = floor((stop - start) / step + 1e-9);
    if (!(steps < (double)max)) {
        snprintf(why, cap, "more than %zu values", max);
        return FL_EINVAL;
    }
    size_t count = (size_t)steps + 1;
    double *v = malloc(count * sizeof *v);
    if (!v)
        return FL_ENOMEM;
    for (size_t i = 0; i < count; i++)
        v[i] = decimal15(start + (double)i * step);
    if (v[count - 1] > stop) /* the tolerance let the last step overshoot */
        v[count - 1] = stop;
    *n = sort_unique(v, count);
    *out = v;
    return FL_OK;
}

static int parse_commas(const char *s, size_t max, double **out, size_t *n,
                        char *why, size_t cap)
{
    size_t count = 1;
    for (const char *p = s; *p; p++)
        count += *p == ',';
    if (count > max) {
        snprintf(why, cap, "more than %zu values", max);
        return FL_EINVAL;
    }
    double *v = malloc(count * sizeof *v);
    if (!v)
        return FL_ENOMEM;
    const char *p = s;
    for (size_t i = 0; i < count; i++) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (parse_one(p, len, &v[i], why, cap) != FL_OK) {
            free(v);
            return FL_EINVAL;
        }
        p += len + 1;
    }
    *n = sort_unique(v, count);
    *out = v;
    return FL_OK;
}

int fl_numlist_parse(const char *s, size_t max, double **out, size_t *n,
                     char *why, size_t cap)
{
    if (strchr(s, ':'))
        return parse_range(s, max, out, n, why, cap);
    return parse_commas(s, max, out, n, why, cap);
}
