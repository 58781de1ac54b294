/* reader.c: the reader's life, its messages, and a file from open to end. */
#include "input/reader.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/grow.h"
#include "input/csv/numparse.h"
#include "input/format.h"
#include "input/input.h"
#include "input/source.h"

const char *fl_reader_display_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

fl_reader *fl_reader_new(const fl_reader_opts *o, const fl_reader_test *t)
{
    fl_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->o = *o;
    if (t)
        r->test = *t;
#ifdef FL_NUM_AVX2
    r->avx2 = !r->test.no_avx2 && __builtin_cpu_supports("avx2") &&
              __builtin_cpu_supports("bmi2");
#endif
    r->images = fl_strset_new();
    r->classes = fl_strset_new();
    /* every class id of one or two digits has its slot from the start:
     * the usual rows' loop looks one up without a bound */
    r->small_class = fl_grow_to(NULL, &r->small_class_cap,
                                sizeof *r->small_class, FL_USUAL_CLASS_IDS - 1);
    if (!r->images || !r->classes || !r->small_class) {
        fl_reader_free(r);
        return NULL;
    }
    return r;
}

void fl_reader_free(fl_reader *r)
{
    if (!r)
        return;
    fl_formats_reader_free(r);
    fl_strset_free(r->images);
    fl_strset_free(r->classes);
    free(r->class_number);
    free(r->small_class);
    for (size_t i = 0; i < r->image_names_cap; i++)
        free(r->image_names[i]);
    free(r->image_names);
    free(r);
}

const char *fl_reader_class_name(const fl_reader *r, uint32_t index)
{
    return fl_strset_at(r->classes, index);
}

const char *fl_reader_image_name(const fl_reader *r, uint64_t ordinal)
{
    return ordinal < r->image_names_cap ? r->image_names[ordinal] : NULL;
}

size_t fl_reader_wide_k(const fl_reader *r)
{
    return r->wide_k;
}

const fl_error *fl_reader_first_skip(const fl_reader *r)
{
    return r->have_skip ? &r->first_skip : NULL;
}

void fl_set_error(fl_error *e, const char *file, uint64_t line, const char *fmt,
                  ...)
{
    va_list ap;
    snprintf(e->file, sizeof e->file, "%s", file);
    e->line = line;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

void fl_file_fatal(fl_file *f, int status, uint64_t line, const char *fmt, ...)
{
    if (f->status != FL_OK)
        return;
    va_list ap;
    f->status = status;
    snprintf(f->err->file, sizeof f->err->file, "%s", f->name);
    f->err->line = line;
    va_start(ap, fmt);
    vsnprintf(f->err->msg, sizeof f->err->msg, fmt, ap);
    va_end(ap);
}

void fl_quote_field(char *dst, size_t cap, const char *s, size_t len)
{
    size_t n = len < 40 ? len : 40, j = 0;
    for (size_t i = 0; i < n && j + 4 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[j++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (n < len && j + 4 < cap) {
        memcpy(dst + j, "...", 3);
        j += 3;
    }
    dst[j] = '\0';
}

void fl_row_error(fl_file *f, const char *fmt, ...)
{
    if (f->row_bad)
        return;
    va_list ap;
    f->row_bad = 1;
    va_start(ap, fmt);
    vsnprintf(f->row_msg, sizeof f->row_msg, fmt, ap);
    va_end(ap);
}

int fl_text_set(fl_text *t, const char *s, size_t len)
{
    if (len + 1 > t->cap) {
        size_t cap = len + 1 > 2 * t->cap ? len + 1 : 2 * t->cap;
        char *p = realloc(t->s, cap);
        if (!p)
            return FL_ENOMEM;
        t->s = p;
        t->cap = cap;
    }
    t->word = 0;
    t->word_shift = len - 1 < 8 ? 8 * (8 - (unsigned)len) : 64;
    if (len) {
        memcpy(t->s, s, len);
        memcpy(&t->word, s, len < 8 ? len : 8);
    }
    t->s[len] = '\0';
    t->len = len;
    return FL_OK;
}

void fl_file_free(fl_file *f)
{
    fl_schema *sc = &f->own;
    for (size_t i = 0; sc->names && i < sc->nnames; i++)
        free(sc->names[i]);
    free(sc->names);
    free(sc->need);
    free(sc->wide_class);
    free(sc->wide_col);
    free(f->row_image.s);
    free(f->row_class.s);
    free(f->image.s);
    free(f->last_class.s);
    free(f->wide_x);
}

/* What a file that was read whole must have had: a header and a row. */
static void check_end(fl_file *f)
{
    if (f->status != FL_OK)
        return;
    if (!f->header_done)
        fl_file_fatal(f, FL_EDATA, 0, "empty input: no header row");
    else if (f->data_rows == 0)
        fl_file_fatal(f, FL_EDATA, 0, "no data rows after the header");
    else {
        int st = fl_flush_batch(f);
        if (st != FL_OK)
            fl_file_fatal(f, st, 0, "out of memory");
    }
}

/* The format of the file open in src: told from its first bytes where it
 * is a regular file (pread leaves the offset alone), else the last. */
static const fl_format *format_of(const fl_source *src)
{
    unsigned char head[16];
    struct stat st;
    ssize_t n = 0;
    if (!src->gz && fstat(src->fd, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t at = lseek(src->fd, 0, SEEK_CUR);
        n = at >= 0 ? pread(src->fd, head, sizeof head, at) : 0;
    }
    return fl_format_of(head, n > 0 ? (size_t)n : 0);
}

static int read_file(fl_reader *r, const char *path, fl_batch_sink sink,
                     void *ctx, const fl_parts *parts, int threads,
                     fl_counts *counts, fl_error *err)
{
    fl_file f = {.r = r, .name = fl_reader_display_name(path),
                 .counts = counts, .sink = sink, .ctx = ctx, .err = err};
    fl_source src;
    f.schema = &f.own;
    r->n = 0;
    r->wide_k = 0;
    fl_strset_clear(r->images);
    if (fl_source_open(&f, path, &src) == FL_OK) {
        format_of(&src)->read(&f, &src, parts, threads);
        if (fl_source_close(&src) != FL_OK && f.status == FL_OK)
            fl_file_fatal(&f, FL_EIO, 0, "%s", "read error");
        check_end(&f);
    }
    fl_file_free(&f);
    counts->files++;
    counts->classes = fl_strset_size(r->classes);
    return f.status;
}

int fl_reader_read(fl_reader *r, const char *path, fl_batch_sink sink,
                   void *ctx, fl_counts *counts, fl_error *err)
{
    return read_file(r, path, sink, ctx, NULL, 1, counts, err);
}

int fl_reader_read_parts(fl_reader *r, const char *path, const fl_parts *parts,
                         int threads, fl_counts *counts, fl_error *err)
{
    return read_file(r, path, parts->add, parts->whole, parts, threads, counts,
                     err);
}
