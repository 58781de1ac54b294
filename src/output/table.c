/* table.c: tidy tables in every output format. */
#include "output/table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"

struct fl_table {
    size_t ncols;
    const char *const *names;
    size_t nrows, cap;
    fl_value *cells;
};

static const char *const format_names[] = {
    [FL_FMT_TABLE] = "table", [FL_FMT_CSV] = "csv", [FL_FMT_TSV] = "tsv",
    [FL_FMT_JSON] = "json",   [FL_FMT_MD] = "md",
};

int fl_format_parse(const char *name, enum fl_format *out)
{
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
        if (strcmp(name, format_names[i]) == 0) {
            *out = (enum fl_format)i;
            return 0;
        }
    return -1;
}

fl_value fl_str(const char *s)
{
    return (fl_value){.kind = FL_KIND_STR, .s = s};
}

fl_value fl_numtext(const char *s)
{
    return (fl_value){.kind = FL_KIND_STR, .s = s, .right = 1};
}

fl_value fl_uint(uint64_t u)
{
    return (fl_value){.kind = FL_KIND_UINT, .u = u};
}

fl_value fl_real(double d)
{
    return (fl_value){.kind = FL_KIND_REAL, .d = d, .missing = isnan(d)};
}

fl_table *fl_table_new(size_t ncols, const char *const *names)
{
    fl_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ncols = ncols;
    t->names = names;
    return t;
}

void fl_table_free(fl_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        if (t->cells[i].kind == FL_KIND_STR)
            free((char *)t->cells[i].s);
    free(t->cells);
    free(t);
}

size_t fl_table_rows(const fl_table *t)
{
    return t->nrows;
}

int fl_table_add(fl_table *t, const fl_value *row)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 32;
        fl_value *c = realloc(t->cells, cap * t->ncols * sizeof *c);
        if (!c)
            return FL_ENOMEM;
        t->cells = c;
        t->cap = cap;
    }
    fl_value *dst = t->cells + t->nrows * t->ncols;
    for (size_t j = 0; j < t->ncols; j++) {
        dst[j] = row[j];
        if (row[j].kind != FL_KIND_STR)
            continue;
        dst[j].s = strdup(row[j].s ? row[j].s : "");
        if (!dst[j].s) {
            while (j-- > 0)
                if (dst[j].kind == FL_KIND_STR)
                    free((char *)dst[j].s);
            return FL_ENOMEM;
        }
    }
    t->nrows++;
    return FL_OK;
}

/* Format v into buf for fmt; return buf. */
static const char *format_value(const fl_value *v, enum fl_format fmt,
                                char *buf, size_t cap)
{
    int human = fmt == FL_FMT_TABLE || fmt == FL_FMT_MD;
    if (v->missing)
        return fmt == FL_FMT_JSON ? "null" : human ? "-" : "";
    switch (v->kind) {
    case FL_KIND_STR:
        return v->s;
    case FL_KIND_UINT:
        snprintf(buf, cap, "%llu", (unsigned long long)v->u);
        return buf;
    case FL_KIND_REAL:
        snprintf(buf, cap, human ? "%.6g" : "%.17g", v->d);
        return buf;
    }
    return "";
}

static void write_csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void write_delimited(const fl_table *t, FILE *out, char delim)
{
    char buf[64];
    for (size_t j = 0; j < t->ncols; j++) {
        if (j)
            fputc(delim, out);
        fputs(t->names[j], out);
    }
    fputc('\n', out);
    for (size_t i = 0; i < t->nrows; i++) {
        const fl_value *row = t->cells + i * t->ncols;
        for (size_t j = 0; j < t->ncols; j++) {
            const char *s = format_value(&row[j], FL_FMT_CSV, buf, sizeof buf);
            if (j)
                fputc(delim, out);
            if (delim == ',')
                write_csv_field(out, s);
            else
                fputs(s, out);
        }
        fputc('\n', out);
    }
}

void fl_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

void fl_json_real(FILE *out, double d)
{
    if (isfinite(d))
        fprintf(out, "%.17g", d);
    else
        fputs("null", out);
}

static void write_json(const fl_table *t, FILE *out)
{
    char buf[64];
    fputc('[', out);
    for (size_t i = 0; i < t->nrows; i++) {
        const fl_value *row = t->cells + i * t->ncols;
        fputs(i ? ",\n  {" : "\n  {", out);
        for (size_t j = 0; j < t->ncols; j++) {
            if (j)
                fputs(", ", out);
            fl_json_string(out, t->names[j]);
            fputs(": ", out);
            if (row[j].kind == FL_KIND_STR && !row[j].missing)
                fl_json_string(out, row[j].s);
            else
                fputs(format_value(&row[j], FL_FMT_JSON, buf, sizeof buf), out);
        }
        fputc('}', out);
    }
    fputs(t->nrows ? "\n]" : "]", out);
}

/* Aligned text or markdown: strings to the left, numbers to the right. */
static void write_aligned(const fl_table *t, FILE *out, int md)
{
    char buf[64];
    size_t *w = calloc(t->ncols, sizeof *w);
    if (!w) {
        write_delimited(t, out, '\t'); /* degrade, never lose the output */
        return;
    }
    for (size_t j = 0; j < t->ncols; j++)
        w[j] = strlen(t->names[j]);
    for (size_t i = 0; i < t->nrows; i++)
        for (size_t j = 0; j < t->ncols; j++) {
            size_t n = strlen(format_value(&t->cells[i * t->ncols + j],
                                           FL_FMT_TABLE, buf, sizeof buf));
            if (n > w[j])
                w[j] = n;
        }
    for (size_t j = 0; j < t->ncols; j++) {
        int left = t->nrows == 0 || (t->cells[j].kind == FL_KIND_STR &&
                                     !t->cells[j].right);
        fprintf(out, md ? "| %*s " : j ? "  %*s" : "%*s",
                left ? -(int)w[j] : (int)w[j], t->names[j]);
    }
    fputs(md ? "|\n" : "\n", out);
    if (md) {
        for (size_t j = 0; j < t->ncols; j++) {
            int left = t->nrows == 0 || (t->cells[j].kind == FL_KIND_STR &&
                                         !t->cells[j].right);
            fputs("| ", out);
            for (size_t k = 0; k < w[j]; k++)
                fputc(k + 1 == w[j] && !left ? ':' : '-', out);
            fputc(' ', out);
        }
        fputs("|\n", out);
    }
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < t->ncols; j++) {
            const fl_value *v = &t->cells[i * t->ncols + j];
            int left = v->kind == FL_KIND_STR && !v->right;
            const char *s = format_value(v, FL_FMT_TABLE, buf, sizeof buf);
            fprintf(out, md ? "| %*s " : j ? "  %*s" : "%*s",
                    left ? -(int)w[j] : (int)w[j], s);
        }
        fputs(md ? "|\n" : "\n", out);
    }
    free(w);
}

int fl_table_write(const fl_table *t, enum fl_format fmt, FILE *out)
{
    switch (fmt) {
    case FL_FMT_CSV:
        write_delimited(t, out, ',');
        break;
    case FL_FMT_TSV:
        write_delimited(t, out, '\t');
        break;
    case FL_FMT_JSON:
        write_json(t, out);
        break;
    case FL_FMT_MD:
        write_aligned(t, out, 1);
        break;
    case FL_FMT_TABLE:
        write_aligned(t, out, 0);
        break;
    }
    return ferror(out) ? FL_EIO : FL_OK;
}
