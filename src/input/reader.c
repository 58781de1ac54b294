/* reader.c: dumps to batches, through zlib and libcsv.
 *
 * The input is split into physical lines here and each line is fed to
 * libcsv on its own, so that every message can name the line where its
 * record starts, and so that reading can stop at the first fatal error. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#endif
#include "input/reader.h"

#include <csv.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/clones.h"
#include "core/grow.h"
#include "core/loss.h"
#include "input/csv/numparse.h"
#include "core/status.h"
#include "core/strset.h"

#define BATCH 4096
#define USUAL_CLASS_IDS 100 /* the class ids usual_row reads: 0 to 99 */
#define READ_MIN (64u << 10) /* read when at least this much is free */
#define MAX_LINE ((size_t)256 << 20)

#define FL_SMALL_IDS 65536
#define FL_MAX_CUTS 256 /* lines with more fields go to libcsv */
#define FL_SHORT_FIELDS 16 /* the most fields short_lines reads */
#define FL_SHORT_BATCH 64  /* the lines it splits before it reads them */
#define FL_INDEX_BYTES 8192 /* the block scan's window, a multiple of 64 */
#define FL_FIELD_ROOM 48 /* the bytes from a field's start the padded parsers
                          * may read */

enum role { ROLE_SCORE, ROLE_LABEL, ROLE_IMAGE, ROLE_CLASS, ROLE_BG, ROLE_COUNT,
            ROLE_WIDE /* score column k of a wide dump */ };

static const char *const logit_names[] = {"logit", "logits", "x", NULL};
static const char *const prob_names[] = {"score", "prob", "p", NULL};
static const char *const label_names[] = {"label", "target", "y", NULL};
static const char *const image_names[] = {"image_id", "image", "img", NULL};
static const char *const class_names[] = {"class", "class_id", "cls", NULL};
static const char *const wide_logit_prefixes[] = {"logit_", "logits_", NULL};
static const char *const wide_prob_prefixes[] = {"prob_", "score_", NULL};
static const char *const background_names[] = {"background", "bg", NULL};

struct fl_reader {
    fl_reader_opts o;
    int wide; /* short_lines may use AVX2 and BMI2 */
    uint64_t next_image;
    fl_strset *images;  /* ids seen in the current file */
    fl_strset *classes;   /* class ids of every file, interned */
    /* A worker's: the reader whose class numbers its batches carry (its
     * classes are numbered there, under lock, when first met), and the
     * number there of each of its own classes, plus 1 (0: none yet). */
    fl_reader *numbering;
    pthread_mutex_t *numbering_lock;
    uint32_t *class_number;
    size_t class_number_cap;
#ifdef FL_NUM_AVX2
    fl_num_avx2_k nk; /* the AVX2 parser's constants, and exact64 */
#endif
    uint32_t *small_class; /* class index + 1 of small numeric ids, 0: new */
    size_t small_class_cap; /* at least USUAL_CLASS_IDS */
    char **image_names;   /* by ordinal, with keep_image_names */
    size_t image_names_cap;
    size_t wide_k;
    fl_error first_skip;
    int have_skip;
    unsigned char classes_of[256]; /* byte classes for the fast scan */
    /* Field ends: cuts of the line being scanned, seps of the block scan's
     * window (delimiters and newlines), each after a UINT32_MAX, so that
     * field i of a line whose ends are e begins at e[i - 1] + 1. */
    uint32_t cuts_at[FL_MAX_CUTS + 1];
    uint32_t seps_at[FL_INDEX_BYTES + 1 + 8]; /* 8: see flatten */
    uint32_t lines_at[FL_INDEX_BYTES + 4]; /* the window's newlines */
    size_t n;
    double x[BATCH];
    unsigned char pos[BATCH];
    uint64_t img[BATCH];
    uint32_t klass[BATCH];
};

typedef struct text {
    char *s;
    size_t len, cap;
    /* for text_eq_word: the first bytes, up to 8, and the shift that drops
     * the bytes of a word past len (64 when len is 0 or over 8) */
    uint64_t word;
    unsigned word_shift;
} text;

struct part_job;

typedef struct file_state {
    fl_reader *r;
    const char *name;
    fl_counts *counts;
    fl_batch_sink sink;
    void *ctx;
    fl_error *err;
    int status;
    uint64_t line, row_line, data_rows;
    int in_record, header_done; /* in_record: libcsv holds an open one */
    size_t record_bytes;        /* in its lines so far */
    int csv_idle_pstate; /* libcsv's state between records */
    size_t field;
    char **names;
    size_t nnames, names_cap;
    long col[ROLE_COUNT];
    struct need {
        size_t col;
        enum role role;
        size_t k; /* ROLE_WIDE: which score */
    } *need;      /* the columns read, in column order */
    int nneed;
    size_t wide_k;       /* K score columns of a wide dump, else 0 */
    long *wide_col;
    double *wide_x;      /* the row's K scores, then the background's */
    uint32_t *wide_class;
    uint32_t bg_class;   /* softmax: the class of background anchors */
    int score_is_prob;
    int plain; /* long format: plain_row may take rows */
    int long_numbers; /* usual_lines: its loop for long numbers */
    int fed_csv; /* fast_line gave a line to libcsv */
    /* the row being read */
    const char *readable; /* its fields' bytes may be read up to here (48
                           * past a field for the padded parser), or NULL
                           * (libcsv's copy of a field) */
    double x;
    int label;
    uint64_t row_clamped;
    int row_bad;
    char row_msg[sizeof ((fl_error *)0)->msg];
    text row_image, row_class;
    int row_image_same, row_class_same; /* the row's id is the current one */
    long row_class_num; /* the row's class as a small number, or -1 */
    uint32_t row_class_idx, last_class_idx;
    /* the image being read */
    text image;
    int have_image;
    uint64_t image_ordinal;
    text last_class;
    /* reading in parts */
    int header_only;       /* stop after the header */
    int borrowed_header;   /* need[] and wide_class[] belong to the
                              main thread's state */
    struct part_job *job;  /* the stretch this state reads, or NULL */
    uint64_t job_ordinal;  /* image of the job's last example, or
                              UINT64_MAX before its first */
} file_state;

/* Byte classes for the fast scan. */
enum { C_PLAIN, C_DELIM, C_NEWLINE, C_SPECIAL };

static void init_classes(unsigned char *cls, char delim)
{
    memset(cls, C_PLAIN, 256);
    cls['"'] = C_SPECIAL;
    cls['\r'] = C_SPECIAL;
    cls['\n'] = C_NEWLINE;
    cls[(unsigned char)delim] = C_DELIM;
}

const char *fl_reader_display_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

fl_reader *fl_reader_new(const fl_reader_opts *o)
{
    fl_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->o = *o;
#ifdef FL_NUM_AVX2
    r->wide = !o->no_avx2 && __builtin_cpu_supports("avx2") &&
              __builtin_cpu_supports("bmi2");
    r->nk = fl_num_avx2_consts();
#endif
    init_classes(r->classes_of, o->delim);
    r->cuts_at[0] = UINT32_MAX;
    r->seps_at[0] = UINT32_MAX;
    r->images = fl_strset_new();
    r->classes = fl_strset_new();
    /* every class id of one or two digits has its slot from the start:
     * usual_row looks one up without a bound */
    r->small_class = fl_grow_to(NULL, &r->small_class_cap,
                                sizeof *r->small_class, USUAL_CLASS_IDS - 1);
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

static void set_error(fl_error *e, const char *file, uint64_t line,
                      const char *fmt, ...)
{
    va_list ap;
    snprintf(e->file, sizeof e->file, "%s", file);
    e->line = line;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

/* Stop reading with status; the first fatal error wins. */
static void fatal(file_state *fs, int status, uint64_t line, const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));

static void fatal(file_state *fs, int status, uint64_t line, const char *fmt,
                  ...)
{
    if (fs->status != FL_OK)
        return;
    va_list ap;
    fs->status = status;
    snprintf(fs->err->file, sizeof fs->err->file, "%s", fs->name);
    fs->err->line = line;
    va_start(ap, fmt);
    vsnprintf(fs->err->msg, sizeof fs->err->msg, fmt, ap);
    va_end(ap);
}

/* Quote a field for a message: at most 40 bytes, unprintable bytes as '?'. */
static void quote_field(char *dst, size_t cap, const char *s, size_t len)
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

/* Record why the current row is bad; the first reason wins. */
static void row_error(file_state *fs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void row_error(file_state *fs, const char *fmt, ...)
{
    if (fs->row_bad)
        return;
    va_list ap;
    fs->row_bad = 1;
    va_start(ap, fmt);
    vsnprintf(fs->row_msg, sizeof fs->row_msg, fmt, ap);
    va_end(ap);
}

static int text_set(text *t, const char *s, size_t len)
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

/* Return the dense index of class id s[0, len) in *index, adding it when
 * new: a worker's, the main reader's index, so that every thread's batches
 * number classes alike (in the order threads first meet them: a report
 * ranks its keys by name where their shares tie). */
static int intern_class(fl_reader *r, const char *s, size_t len, uint32_t *index)
{
    size_t i;
    if (r->numbering) { /* room first, so that a new class gets its slot */
        uint32_t *t = fl_grow_to(r->class_number, &r->class_number_cap,
                                 sizeof *t, fl_strset_size(r->classes));
        if (!t)
            return FL_ENOMEM;
        r->class_number = t;
    }
    int added = fl_strset_intern(r->classes, s, len, &i);
    if (added < 0)
        return FL_ENOMEM;
    if (!r->numbering) {
        *index = (uint32_t)i;
        return FL_OK;
    }
    if (added) /* slots count from 1: 0 is a class not numbered yet */
        r->class_number[i] = 0;
    if (r->class_number[i] == 0) {
        uint32_t g;
        pthread_mutex_lock(r->numbering_lock);
        int st = intern_class(r->numbering, s, len, &g);
        pthread_mutex_unlock(r->numbering_lock);
        if (st != FL_OK)
            return st;
        r->class_number[i] = g + 1;
    }
    *index = r->class_number[i] - 1;
    return FL_OK;
}

/* Remember id as the name of image ordinal ord, when asked to. */
static int keep_image_name(fl_reader *r, uint64_t ord, const char *id,
                           size_t len)
{
    if (!r->o.keep_image_names)
        return FL_OK;
    char **names = fl_grow_to(r->image_names, &r->image_names_cap,
                              sizeof *names, ord);
    if (!names)
        return FL_ENOMEM;
    r->image_names = names;
    r->image_names[ord] = malloc(len + 1);
    if (!r->image_names[ord])
        return FL_ENOMEM;
    memcpy(r->image_names[ord], id, len);
    r->image_names[ord][len] = '\0';
    return FL_OK;
}

/* Remember the id of the image just given an ordinal, when asked to. */
static int name_image(file_state *fs, const char *id, size_t len)
{
    return keep_image_name(fs->r, fs->image_ordinal, id, len);
}

/* ---- header ---- */

static void header_field(file_state *fs, const char *s, size_t len)
{
    if (fs->nnames == fs->names_cap) {
        size_t cap = fs->names_cap ? 2 * fs->names_cap : 16;
        char **p = realloc(fs->names, cap * sizeof *p);
        if (!p) {
            fatal(fs, FL_ENOMEM, 0, "out of memory");
            return;
        }
        fs->names = p;
        fs->names_cap = cap;
    }
    char *name = malloc(len + 1);
    if (!name) {
        fatal(fs, FL_ENOMEM, 0, "out of memory");
        return;
    }
    if (len)
        memcpy(name, s, len);
    name[len] = '\0';
    fs->names[fs->nnames++] = name;
}

/* Return the index of the column called name, -1 if none, -2 (after
 * reporting) if it appears more than once. */
static long find_column(file_state *fs, const char *name)
{
    long found = -1;
    for (size_t i = 0; i < fs->nnames; i++) {
        if (strcasecmp(fs->names[i], name) != 0)
            continue;
        if (found >= 0) {
            fatal(fs, FL_EDATA, fs->row_line,
                  "column '%s' appears more than once in the header", name);
            return -2;
        }
        found = (long)i;
    }
    return found;
}

static long find_any(file_state *fs, const char *const *names)
{
    for (; *names; names++) {
        long c = find_column(fs, *names);
        if (c != -1)
            return c;
    }
    return -1;
}

/* Find a column from the override, or else from the names tried.  Return its
 * index, or -1 when absent (an absent override is an error here). */
static long resolve(file_state *fs, const char *override, const char *option,
                    const char *const *names)
{
    if (!override)
        return find_any(fs, names);
    long c = find_column(fs, override);
    if (c == -1)
        fatal(fs, FL_EDATA, fs->row_line, "no column '%s' in the header (%s)",
              override, option);
    return c;
}

/* Return the number in name after prefix (case-insensitive), written
 * canonically, or -1. */
static long wide_index(const char *name, const char *prefix)
{
    size_t plen = strlen(prefix);
    if (strncasecmp(name, prefix, plen) != 0)
        return -1;
    const char *d = name + plen;
    size_t n = strlen(d);
    if (n == 0 || n > 6 || (d[0] == '0' && n > 1) || strspn(d, "0123456789") != n)
        return -1;
    return strtol(d, NULL, 10);
}

/* Find the columns prefix0 .. prefix{K-1}; return K, 0 when there is none,
 * -1 after reporting a gap or a repeat. */
static long find_wide(file_state *fs, const char *prefix)
{
    long k = 0, max = -1;
    for (size_t i = 0; i < fs->nnames; i++) {
        long j = wide_index(fs->names[i], prefix);
        if (j >= 0) {
            k++;
            max = j > max ? j : max;
        }
    }
    if (k == 0)
        return 0;
    fs->wide_col = malloc((size_t)(max + 1) * sizeof *fs->wide_col);
    if (!fs->wide_col) {
        fatal(fs, FL_ENOMEM, 0, "out of memory");
        return -1;
    }
    for (long j = 0; j <= max; j++)
        fs->wide_col[j] = -1;
    for (size_t i = 0; i < fs->nnames; i++) {
        long j = wide_index(fs->names[i], prefix);
        if (j < 0)
            continue;
        if (fs->wide_col[j] >= 0) {
            fatal(fs, FL_EDATA, fs->row_line,
                  "column '%s' appears more than once in the header",
                  fs->names[i]);
            return -1;
        }
        fs->wide_col[j] = (long)i;
    }
    for (long j = 0; j <= max; j++)
        if (fs->wide_col[j] < 0) {
            fatal(fs, FL_EDATA, fs->row_line,
                  "wide columns %s0..%s%ld lack %s%ld", prefix, prefix, max,
                  prefix, j);
            return -1;
        }
    return k;
}

/* The background logit of a softmax dump: --background, else PREFIXbg,
 * else background or bg.  Return 1, or -1 after an error. */
static int resolve_background(file_state *fs, const char *prefix)
{
    const fl_reader_opts *o = &fs->r->o;
    long c = -1;
    if (fs->score_is_prob) {
        fatal(fs, FL_EDATA, fs->row_line, "--softmax reads logits, not "
              "probabilities");
        return -1;
    }
    if (o->cols.background) {
        c = resolve(fs, o->cols.background, "--background", background_names);
    } else {
        for (size_t i = 0; i < fs->nnames && c < 0; i++) {
            size_t plen = strlen(prefix);
            if (strncasecmp(fs->names[i], prefix, plen) == 0 &&
                strcasecmp(fs->names[i] + plen, "bg") == 0)
                c = (long)i;
        }
        if (c < 0)
            c = find_any(fs, background_names);
        if (c == -1)
            fatal(fs, FL_EDATA, fs->row_line, "--softmax needs a background "
                  "logit column (%sbg, background or bg; or --background)",
                  prefix);
    }
    if (c < 0)
        return -1;
    fs->col[ROLE_BG] = c;
    if (intern_class(fs->r, "background", 10, &fs->bg_class) != FL_OK) {
        fatal(fs, FL_ENOMEM, 0, "out of memory");
        return -1;
    }
    return 1;
}

/* Is the file wide?  Forced by --wide or --wide-prob, else when it has no
 * long-format score column but has logit_0.. or prob_0.. columns.  Return
 * 1 when wide (columns set), 0 when long, -1 after an error. */
static int resolve_wide(file_state *fs)
{
    const fl_reader_opts *o = &fs->r->o;
    const char *forced = o->wide ? o->wide : o->wide_prob;
    long k = 0;
    if (forced) {
        k = find_wide(fs, forced);
        if (k == 0)
            fatal(fs, FL_EDATA, fs->row_line, "no columns %s0, %s1, ... in the "
                  "header (%s)", forced, forced, o->wide ? "--wide" : "--wide-prob");
        fs->score_is_prob = !o->wide;
    } else {
        if (o->cols.logit || o->cols.prob || find_any(fs, logit_names) != -1 ||
            find_any(fs, prob_names) != -1)
            return 0;
        for (const char *const *p = wide_logit_prefixes; *p && k == 0; p++)
            k = find_wide(fs, forced = *p);
        for (const char *const *p = wide_prob_prefixes; *p && k == 0; p++) {
            k = find_wide(fs, forced = *p);
            fs->score_is_prob = 1;
        }
    }
    if (k <= 0)
        return k < 0 || o->wide || o->wide_prob ? -1 : 0;
    fs->wide_k = (size_t)k;
    fs->r->wide_k = (size_t)k;
    fs->counts->wide_k = (uint64_t)k;
    fs->counts->labels_mmdet = o->labels == FL_LABELS_MMDET;
    fs->wide_x = calloc((size_t)k + 1, sizeof *fs->wide_x);
    fs->wide_class = calloc((size_t)k, sizeof *fs->wide_class);
    if (!fs->wide_x || !fs->wide_class) {
        fatal(fs, FL_ENOMEM, 0, "out of memory");
        return -1;
    }
    for (long j = 0; j < k; j++) {
        char name[24];
        int n = snprintf(name, sizeof name, "%ld", j);
        if (intern_class(fs->r, name, (size_t)n, &fs->wide_class[j]) != FL_OK) {
            fatal(fs, FL_ENOMEM, 0, "out of memory");
            return -1;
        }
    }
    return o->softmax ? resolve_background(fs, forced) : 1;
}

static void resolve_score(file_state *fs)
{
    const fl_columns *c = &fs->r->o.cols;
    long score;
    if (c->prob) {
        score = resolve(fs, c->prob, "--prob", prob_names);
        fs->score_is_prob = 1;
    } else {
        score = resolve(fs, c->logit, "--logit", logit_names);
        if (score == -1 && !c->logit) {
            score = find_any(fs, prob_names);
            fs->score_is_prob = 1;
        }
    }
    if (score == -1 && !c->logit && !c->prob)
        fatal(fs, FL_EDATA, fs->row_line, "no logit column (logit, logits, x) "
              "and no probability column (score, prob, p)");
    fs->col[ROLE_SCORE] = score;
}

/* The columns read, in the order they appear. */
static void list_needed(file_state *fs)
{
    fs->need = malloc((ROLE_COUNT + fs->wide_k) * sizeof *fs->need);
    if (!fs->need) {
        fatal(fs, FL_ENOMEM, 0, "out of memory");
        return;
    }
    for (size_t i = 0; i < fs->nnames; i++) {
        for (int k = 0; k < ROLE_COUNT; k++)
            if (fs->col[k] == (long)i)
                fs->need[fs->nneed++] = (struct need){i, (enum role)k, 0};
        for (size_t k = 0; k < fs->wide_k; k++)
            if (fs->wide_col[k] == (long)i)
                fs->need[fs->nneed++] = (struct need){i, ROLE_WIDE, k};
    }
}

static void resolve_columns(file_state *fs)
{
    const fl_columns *c = &fs->r->o.cols;
    for (int k = 0; k < ROLE_COUNT; k++)
        fs->col[k] = -1;
    int wide = resolve_wide(fs);
    if (wide == 0 && fs->r->o.softmax)
        fatal(fs, FL_EDATA, fs->row_line, "--softmax needs a wide dump (K "
              "logit columns and a background logit)");
    if (wide == 0)
        resolve_score(fs);
    long label = resolve(fs, c->label, "--label", label_names);
    if (label == -1 && !c->label)
        fatal(fs, FL_EDATA, fs->row_line, "no label column (label, target, y)");
    fs->col[ROLE_LABEL] = label;
    fs->col[ROLE_IMAGE] = resolve(fs, c->image, "--image", image_names);
    if (wide == 0)
        fs->col[ROLE_CLASS] = resolve(fs, c->klass, "--class", class_names);
    if (fs->status != FL_OK)
        return;
    fs->header_done = 1;
    fs->plain = fs->wide_k == 0;
    list_needed(fs);
    if (fs->col[ROLE_IMAGE] < 0) {
        fs->image_ordinal = fs->r->next_image++;
        fs->counts->images++;
        fs->counts->files_without_image++;
        if (name_image(fs, fs->name, strlen(fs->name)) != FL_OK)
            fatal(fs, FL_ENOMEM, 0, "out of memory");
    }
}

/* ---- data rows ---- */

/* fl_parse_decimal_padded (the bytes up to s + 48 may be read) with AVX2
 * where the reader has it, for scores parsed one by one. */
#ifdef FL_NUM_AVX2
FL_TARGET_AVX2 static int parse_padded_avx2(const fl_reader *r, const char *s,
                                            size_t len, double *out)
{
    return fl_parse_decimal_avx2(&r->nk, s, len, out);
}
#endif

/* The score at s[0, len) by the padded parsers, when the field lies in the
 * input buffer with 48 bytes of it after s (fs->readable): return 1 with
 * *out set, 0 to leave it to fl_parse_double. */
static inline int parse_in_buffer(const file_state *fs, const char *s,
                                  size_t len, double *out)
{
    if (!fs->readable || s + FL_FIELD_ROOM > fs->readable)
        return 0;
#ifdef FL_NUM_AVX2
    if (fs->r->wide)
        return parse_padded_avx2(fs->r, s, len, out);
#endif
    return fl_parse_decimal_padded(s, len, out);
}

static const char *const num_problem[] = {
    [FL_NUM_JUNK] = "is not a number",
    [FL_NUM_RANGE] = "is out of range",
    [FL_NUM_NONFINITE] = "is not finite",
};

static void parse_score(file_state *fs, const char *s, size_t len, double *dst)
{
    const char *what = fs->score_is_prob ? "probability" : "logit";
    char q[64];
    double v;
    enum fl_num st = FL_NUM_OK;
    /* a wide dump's many scores go through here: the padded parser where
     * the bytes after the field may be read */
    if (!parse_in_buffer(fs, s, len, &v))
        st = fl_parse_double(s, len, &v);
    if (st == FL_NUM_EMPTY) {
        row_error(fs, "empty %s", what);
        return;
    }
    if (st != FL_NUM_OK) {
        quote_field(q, sizeof q, s, len);
        row_error(fs, "%s '%s' %s", what, q, num_problem[st]);
        return;
    }
    if (fs->score_is_prob) {
        if (!(v >= 0.0 && v <= 1.0)) {
            quote_field(q, sizeof q, s, len);
            row_error(fs, "probability '%s' is outside [0, 1]", q);
            return;
        }
        int clamped;
        v = fl_logit_from_prob(v, fs->r->o.eps, &clamped);
        fs->row_clamped += (uint64_t)clamped;
    }
    *dst = v;
}

/* A wide dump's label: the anchor's class under the label convention. */
static void parse_class_label(file_state *fs, const char *s, size_t len,
                              enum fl_num st, double v)
{
    long k = (long)fs->wide_k;
    int detectron = fs->r->o.labels == FL_LABELS_DETECTRON;
    if (st != FL_NUM_OK || v != floor(v) || v < -1 || v > (double)k) {
        char q[64];
        quote_field(q, sizeof q, s, len);
        if (detectron)
            row_error(fs, "label '%s' is not a class of --labels detectron "
                          "(-1 ignored, 0 background, 1..%ld)", q, k);
        else
            row_error(fs, "label '%s' is not a class of --labels mmdet "
                          "(-1 ignored, 0..%ld, %ld background)", q, k - 1, k);
        return;
    }
    fs->label = (int)v;
}

static void parse_label(file_state *fs, const char *s, size_t len)
{
    if (len == 1 && (s[0] == '0' || s[0] == '1') && !fs->wide_k) {
        fs->label = s[0] - '0';
        return;
    }
    if (len == 2 && s[0] == '-' && s[1] == '1' && !fs->wide_k) {
        fs->label = -1;
        return;
    }
    double v;
    enum fl_num st = fl_parse_double(s, len, &v);
    if (st == FL_NUM_EMPTY) {
        row_error(fs, "empty label");
        return;
    }
    if (fs->wide_k) {
        parse_class_label(fs, s, len, st, v);
        return;
    }
    if (st != FL_NUM_OK || !(v == 1.0 || v == 0.0 || v == -1.0)) {
        char q[64];
        quote_field(q, sizeof q, s, len);
        row_error(fs, "label '%s' is not 1, 0 or -1", q);
        return;
    }
    fs->label = (int)v;
}

/* Compare an id field with the current one in place, and copy it only when
 * it differs: ids change far less often than rows. */
static void note_id(file_state *fs, const text *current, text *row, int *same,
                    const char *s, size_t len)
{
    *same = current->s && current->len == len && memcmp(current->s, s, len) == 0;
    if (!*same && text_set(row, s, len) != FL_OK)
        fatal(fs, FL_ENOMEM, 0, "out of memory");
}

/* Return a class id written as a small number (no sign, no leading zero),
 * or -1: those are counted in a bitmap, without hashing.  Inline, and one
 * or two digits without the loop: most class ids. */
FL_ALWAYS_INLINE long small_id(const char *s, size_t len)
{
    if (len == 0 || len > 5)
        return -1;
    unsigned d0 = (unsigned char)s[0] - '0', d1;
    if (len == 1)
        return d0 < 10 ? (long)d0 : -1;
    if (len == 2) /* no leading zero */
        return d0 - 1 < 9 && (d1 = (unsigned char)s[1] - '0') < 10
                   ? (long)(10 * d0 + d1)
                   : -1;
    if (s[0] == '0')
        return -1;
    long n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        n = 10 * n + (s[i] - '0');
    }
    return n < FL_SMALL_IDS ? n : -1;
}

static void role_field(file_state *fs, const struct need *nd, const char *s,
                       size_t len)
{
    switch (nd->role) {
    case ROLE_SCORE:
        parse_score(fs, s, len, &fs->x);
        break;
    case ROLE_WIDE:
        parse_score(fs, s, len, &fs->wide_x[nd->k]);
        break;
    case ROLE_BG:
        parse_score(fs, s, len, &fs->wide_x[fs->wide_k]);
        break;
    case ROLE_LABEL:
        parse_label(fs, s, len);
        break;
    case ROLE_IMAGE:
        note_id(fs, &fs->image, &fs->row_image, &fs->row_image_same, s, len);
        break;
    case ROLE_CLASS:
        fs->row_class_num = small_id(s, len);
        if (fs->row_class_num < 0)
            note_id(fs, &fs->last_class, &fs->row_class, &fs->row_class_same,
                    s, len);
        break;
    case ROLE_COUNT:
        break;
    }
}

static void data_field(file_state *fs, const char *s, size_t len)
{
    for (int k = 0; k < fs->nneed; k++)
        if (fs->need[k].col == fs->field)
            role_field(fs, &fs->need[k], s, len);
}

static void on_field(void *s, size_t len, void *data)
{
    file_state *fs = data;
    if (fs->status != FL_OK)
        return;
    if (!s)
        s = "";
    if (!fs->header_done)
        header_field(fs, s, len);
    else if (fs->field < fs->nnames)
        data_field(fs, s, len);
    fs->field++;
}

static int flush_batch(file_state *fs)
{
    fl_reader *r = fs->r;
    if (r->n == 0)
        return FL_OK;
    fl_batch b = {r->n, r->x, r->pos, r->img, r->klass};
    r->n = 0;
    return fs->sink(fs->ctx, &b);
}

static void image_again(file_state *fs, const char *id, size_t len,
                        uint64_t line)
{
    char q[64];
    quote_field(q, sizeof q, id, len);
    fatal(fs, FL_EDATA, line, "image '%s' appears again after other images "
          "(flstat needs each image's rows together: sort the dump by image)",
          q);
}

static int job_note_run(file_state *fs);
static int job_note_example(file_state *fs);

/* The image of an accepted row: a new ordinal when the id changes, and an
 * error when an id comes back after another, since per-image selection
 * needs each image's rows together. */
static int track_image(file_state *fs)
{
    if (fs->col[ROLE_IMAGE] < 0)
        return FL_OK;
    if (fs->row_image_same)
        return FL_OK;
    int added = fl_strset_add(fs->r->images, fs->row_image.s, fs->row_image.len);
    if (added < 0)
        return FL_ENOMEM;
    if (added == 0) {
        image_again(fs, fs->row_image.s, fs->row_image.len, fs->row_line);
        return FL_EDATA;
    }
    if (fs->job && job_note_run(fs) != FL_OK)
        return FL_ENOMEM;
    if (text_set(&fs->image, fs->row_image.s, fs->row_image.len) != FL_OK)
        return FL_ENOMEM;
    fs->have_image = 1;
    fs->image_ordinal = fs->r->next_image++;
    fs->counts->images++;
    return name_image(fs, fs->row_image.s, fs->row_image.len);
}

/* The class index of an accepted row: small numbers through a table, other
 * ids through the set, and only when they differ from the last. */
static int track_class(file_state *fs)
{
    fl_reader *r = fs->r;
    if (fs->col[ROLE_CLASS] < 0) {
        fs->row_class_idx = FL_NO_CLASS;
        return FL_OK;
    }
    if (fs->row_class_num >= 0) {
        size_t v = (size_t)fs->row_class_num;
        uint32_t *t = fl_grow_to(r->small_class, &r->small_class_cap,
                                 sizeof *t, v);
        if (!t)
            return FL_ENOMEM;
        r->small_class = t;
        if (t[v] == 0) {
            char name[16];
            int n = snprintf(name, sizeof name, "%ld", fs->row_class_num);
            uint32_t idx;
            if (intern_class(r, name, (size_t)n, &idx) != FL_OK)
                return FL_ENOMEM;
            t[v] = idx + 1;
        }
        fs->row_class_idx = t[v] - 1;
        return FL_OK;
    }
    if (fs->row_class_same) {
        fs->row_class_idx = fs->last_class_idx;
        return FL_OK;
    }
    if (intern_class(r, fs->row_class.s, fs->row_class.len, &fs->row_class_idx) != FL_OK)
        return FL_ENOMEM;
    fs->last_class_idx = fs->row_class_idx;
    return text_set(&fs->last_class, fs->row_class.s, fs->row_class.len);
}

static inline int text_eq(const text *t, const char *s, size_t len)
{
    if (t->len != len)
        return 0;
    if (__builtin_expect(len <= 8, 1)) { /* ids are mostly short */
        for (size_t i = 0; i < len; i++)
            if (t->s[i] != s[i])
                return 0;
        return 1;
    }
    if (len > 16)
        return memcmp(t->s, s, len) == 0;
    /* two words that overlap (a COCO id: 12 digits) */
    uint64_t a[2], b[2];
    memcpy(&a[0], t->s, 8), memcpy(&a[1], t->s + len - 8, 8);
    memcpy(&b[0], s, 8), memcpy(&b[1], s + len - 8, 8);
    return ((a[0] ^ b[0]) | (a[1] ^ b[1])) == 0;
}

/* Whether text_eq_word compares t with an id of len bytes: they are of
 * the same length, 1 to 8 bytes. */
FL_ALWAYS_INLINE int text_is_word(const text *t, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return t->len == len && t->word_shift < 64;
#else
    (void)t, (void)len;
    return 0;
#endif
}

/* text_eq of t and the id at s, where text_is_word and the 8 bytes at s
 * may be read, past the id too: one word's compare, the bytes past the id
 * shifted out. */
FL_ALWAYS_INLINE int text_eq_word(const text *t, const char *s)
{
    uint64_t w;
    memcpy(&w, s, sizeof w);
    return ((w ^ t->word) << t->word_shift) == 0;
}

/* The index of a class id already met, as track_class finds it: a small
 * number through the table, another id when it is the last one.  Return 0
 * when the id needs track_class. */
FL_ALWAYS_INLINE int known_class(const file_state *fs, const char *s,
                                 size_t len, uint32_t *klass)
{
    const fl_reader *r = fs->r;
    /* one digit, the common class id, tested here: through small_id, the
     * compiler merges its results and tests them again (s is a field of
     * plain_field's, never empty) */
    unsigned d = (unsigned char)s[0] - '0';
    long v = len == 1 && d < 10 ? (long)d : small_id(s, len);
    if (v >= 0) {
        if ((size_t)v >= r->small_class_cap || r->small_class[v] == 0)
            return 0;
        *klass = r->small_class[v] - 1;
        return 1;
    }
    if (!fs->last_class.s || !text_eq(&fs->last_class, s, len))
        return 0;
    *klass = fs->last_class_idx;
    return 1;
}

static void skip_row(file_state *fs)
{
    fl_reader *r = fs->r;
    fs->counts->skipped++;
    if (!r->have_skip) {
        set_error(&r->first_skip, fs->name, fs->row_line, "%s", fs->row_msg);
        r->have_skip = 1;
    }
}

/* Whether the example to hand on next is the first of its image in this
 * stretch (job_note_example notes it). */
static inline int note_due(const file_state *fs)
{
    return fs->job && fs->image_ordinal != fs->job_ordinal;
}

/* Hand an example on; return FL_OK, or fs->status after fatal (a caller
 * in a loop tests the value it has, not fs->status, which a call the loop
 * makes could have changed). */
static inline int push_example(file_state *fs, double x, int positive,
                               uint32_t klass)
{
    fl_reader *r = fs->r;
    int st;
    /* the same image as the stretch's last example: nothing to note */
    if (note_due(fs) && job_note_example(fs) != FL_OK) {
        fatal(fs, FL_ENOMEM, 0, "out of memory");
        return fs->status;
    }
    /* all read before the byte store, which could alias them */
    size_t n = r->n;
    uint64_t image = fs->image_ordinal;
    r->x[n] = x;
    r->img[n] = image;
    r->klass[n] = klass;
    r->pos[n] = (unsigned char)positive;
    r->n = n + 1;
    if (n + 1 == BATCH && (st = flush_batch(fs)) != FL_OK) {
        fatal(fs, st, 0, "out of memory");
        return fs->status;
    }
    return FL_OK;
}

/* Examples of plain rows kept apart, all of the current image, and
 * handed on in one go by push_examples: in a loop of rows, stores to fs's
 * arrays (a byte's could alias anything) would make the compiler load
 * again, after each, what the next row reads. */
typedef struct example_run {
    double x[FL_SHORT_BATCH];
    uint32_t klass[FL_SHORT_BATCH];
    unsigned char pos[FL_SHORT_BATCH];
} example_run;

/* Hand on the first m examples of e, as m calls of push_example would;
 * return FL_OK, or fs->status after fatal. */
static int push_examples(file_state *fs, const example_run *e, size_t m)
{
    fl_reader *r = fs->r;
    if (m && note_due(fs) && job_note_example(fs) != FL_OK) {
        fatal(fs, FL_ENOMEM, 0, "out of memory");
        return fs->status;
    }
    for (size_t done = 0; done < m;) {
        size_t n = r->n, k = m - done < BATCH - n ? m - done : BATCH - n;
        memcpy(r->x + n, e->x + done, k * sizeof *r->x);
        memcpy(r->klass + n, e->klass + done, k * sizeof *r->klass);
        memcpy(r->pos + n, e->pos + done, k);
        for (size_t i = 0; i < k; i++)
            r->img[n + i] = fs->image_ordinal;
        r->n = n + k;
        done += k;
        int st;
        if (r->n == BATCH && (st = flush_batch(fs)) != FL_OK) {
            fatal(fs, st, 0, "out of memory");
            return fs->status;
        }
    }
    return FL_OK;
}

/* A softmax anchor is one example: the margin of its true output. */
static void accept_softmax(file_state *fs, long pos)
{
    size_t k = fs->wide_k, t = pos >= 0 ? (size_t)pos : k;
    double margin = fl_softmax_margin(fs->wide_x, k + 1, t);
    if (pos >= 0)
        fs->counts->positives++;
    else
        fs->counts->negatives++;
    push_example(fs, pos >= 0 ? margin : -margin, pos >= 0,
                 pos >= 0 ? fs->wide_class[pos] : fs->bg_class);
}

/* A wide row is K examples: k is positive when the anchor's class is k. */
static void accept_wide(file_state *fs)
{
    size_t k = fs->wide_k;
    long cls = fs->label; /* validated against the convention */
    long pos = fs->r->o.labels == FL_LABELS_DETECTRON ? cls - 1
               : cls == (long)k ? -1 : cls;
    if (cls < 0) {
        fs->counts->ignored += fs->r->o.softmax ? 1 : k;
        return;
    }
    if (fs->r->o.softmax) {
        accept_softmax(fs, pos);
        return;
    }
    fs->counts->positives += pos >= 0;
    fs->counts->negatives += k - (pos >= 0);
    for (size_t i = 0; i < k; i++)
        push_example(fs, fs->wide_x[i], (long)i == pos, fs->wide_class[i]);
}

static void accept_row(file_state *fs)
{
    int st = track_image(fs);
    if (st == FL_OK)
        st = track_class(fs);
    if (st != FL_OK) {
        if (st == FL_ENOMEM)
            fatal(fs, st, 0, "out of memory");
        return;
    }
    fs->counts->rows++;
    fs->counts->clamped += fs->row_clamped;
    if (fs->wide_k) {
        accept_wide(fs);
        return;
    }
    if (fs->label < 0) {
        fs->counts->ignored++;
        return;
    }
    if (fs->label == 1)
        fs->counts->positives++;
    else
        fs->counts->negatives++;
    push_example(fs, fs->x, fs->label, fs->row_class_idx);
}

/* A record is complete: validate it and hand it on, skip it, or stop. */
static void row_done(file_state *fs, size_t nfields)
{
    fs->field = 0;
    if (fs->status != FL_OK)
        return;
    if (!fs->header_done) {
        resolve_columns(fs);
        return;
    }
    fs->data_rows++;
    if (nfields != fs->nnames) {
        fs->row_bad = 0; /* the field count explains any other problem */
        row_error(fs, "expected %zu fields, found %zu", fs->nnames, nfields);
    }
    if (!fs->row_bad)
        accept_row(fs);
    else if (fs->r->o.skip_bad)
        skip_row(fs);
    else
        fatal(fs, FL_EDATA, fs->row_line, "%s", fs->row_msg);
    fs->row_bad = 0;
    fs->row_clamped = 0;
}

static void on_row(int c, void *data)
{
    (void)c;
    file_state *fs = data;
    row_done(fs, fs->field);
    fs->row_line = fs->line; /* where a record after it in the line begins */
}

/* ---- the stream ---- */

/* The longest line, and the longest record, the reader takes. */
static size_t record_limit(const fl_reader *r)
{
    return r->o.max_record ? r->o.max_record : MAX_LINE;
}

/* n bytes as words for a message: "256 MiB", or "1000 bytes". */
static const char *size_text(char *buf, size_t cap, size_t n)
{
    if (n % ((size_t)1 << 20) == 0)
        snprintf(buf, cap, "%zu MiB", n >> 20);
    else
        snprintf(buf, cap, "%zu bytes", n);
    return buf;
}

/* Is libcsv between records, as just after csv_init?  Only then may a line
 * bypass it: a bare carriage return can end a record inside a line and
 * leave the next one open. */
static int csv_idle(const file_state *fs, const struct csv_parser *csv)
{
    return csv->pstate == fs->csv_idle_pstate && csv->entry_pos == 0 &&
           !csv->quoted;
}


/* libcsv drops spaces and tabs around an unquoted field, but never the
 * delimiter itself. */
static int is_trimmed(char c, char delim)
{
    return (c == ' ' || c == '\t') && c != delim;
}

static void feed_line(file_state *fs, struct csv_parser *csv, const char *s,
                      size_t len);

/* What plain_row needs of the state, read once for many rows: the columns
 * of the roles (-1 when absent), and whether the score is a probability. */
typedef struct plain_cols {
    long score, label, image, klass;
    int prob;
} plain_cols;

static plain_cols plain_cols_of(const file_state *fs)
{
    return (plain_cols){fs->col[ROLE_SCORE], fs->col[ROLE_LABEL],
                        fs->col[ROLE_IMAGE], fs->col[ROLE_CLASS],
                        fs->score_is_prob};
}

/* Where a line's n fields are: field i ends at s + e[i] and begins after
 * the end before it (e[-1] + 1 wraps to 0 at the start of s).  checked: the
 * line is known to hold no empty field and no byte up to ' ' (the block
 * scan found none), else each field is tested. */
typedef struct line_at {
    const char *s;
    const uint32_t *e;
    size_t n;
    int checked;
} line_at;

/* Field i of a line: 1 when it is plain, not empty and with no blank at
 * either end (which libcsv would trim). */
FL_ALWAYS_INLINE int plain_field(const line_at *ln, long i, const char **fb,
                                 size_t *len)
{
    uint32_t b = ln->e[i - 1] + 1, e = ln->e[i];
    *fb = ln->s + b;
    *len = e - b;
    return ln->checked || (e > b && (unsigned char)ln->s[b] > ' ' &&
                           (unsigned char)ln->s[e - 1] > ' ');
}

/* A plain row's label of len bytes at s: 1 with *label 1, 0, or -1
 * (ignored); else 0, for the general path to read it (and report it). */
FL_ALWAYS_INLINE int plain_label(const char *s, size_t len, int *label)
{
    if (len == 1 && (s[0] == '0' || s[0] == '1'))
        *label = s[0] - '0';
    else if (len == 2 && s[0] == '-' && s[1] == '1')
        *label = -1;
    else
        return 0;
    return 1;
}

/* An example read from a plain row. */
typedef struct plain_ex {
    double x;
    int label; /* 1, 0, or -1: ignored */
    int clamped;
    uint32_t klass;
} plain_ex;

/* The common row of a long dump, read whole without role_field and
 * row_done (with fl_parse_decimal_avx2 and its constants nk when wide;
 * usual: the columns are known to be an image, a class and logits (1) or
 * probabilities (2)):
 * every field plain (no blank at either end), the score a decimal of the
 * fast path, the label 0, 1 or -1, the image the current one and the class
 * one seen before.  Return 1 with the row's example in *ex,
 * and nothing else changed; 0 to leave the row to fast_fields, which reads
 * any row (and reports what is wrong).  The bytes up to readable may be
 * read, past the line too; readable NULL: the FL_FIELD_ROOM bytes from
 * each field's start may be read (short_lines_with sees to it). */
FL_ALWAYS_INLINE int plain_row(const file_state *fs, const plain_cols *pc,
                            const line_at *ln, const char *readable,
                            int wide, const fl_num_avx2_k *nk, int usual,
                            plain_ex *ex)
{
    const char *fb;
    size_t len;
    double x, near_end;
    (void)wide, (void)nk; /* without AVX2: fl_parse_decimal_padded */
    ex->clamped = 0;
    ex->klass = FL_NO_CLASS;
    /* near_end, not x, goes to the out-of-line parser: where the parsers
     * below are inline (SSE2 and AVX2), x's address reaches no call */
    if (!plain_field(ln, pc->score, &fb, &len))
        return 0;
    if (readable && fb + FL_FIELD_ROOM > readable) {
        if (!fl_parse_decimal_fast(fb, len, &near_end))
            return 0;
        x = near_end;
    } else if (!(
#ifdef FL_NUM_AVX2
                   wide ? fl_parse_decimal_avx2(nk, fb, len, &x) :
#endif
                        fl_parse_decimal_padded(fb, len, &x))) {
        return 0;
    }
    ex->x = x;
    if (usual ? usual == 2 : pc->prob) {
        if (!(ex->x >= 0.0 && ex->x <= 1.0))
            return 0;
        ex->x = fl_logit_from_prob(ex->x, fs->r->o.eps, &ex->clamped);
    }
    if (!plain_field(ln, pc->label, &fb, &len) ||
        !plain_label(fb, len, &ex->label))
        return 0;
    if (usual || pc->image >= 0) {
        if (!plain_field(ln, pc->image, &fb, &len))
            return 0;
        if (!readable && text_is_word(&fs->image, len)) {
            if (!text_eq_word(&fs->image, fb))
                return 0;
        } else if (!fs->image.s || !text_eq(&fs->image, fb, len)) {
            return 0;
        }
    }
    return (!usual && pc->klass < 0) ||
           (plain_field(ln, pc->klass, &fb, &len) &&
            known_class(fs, fb, len, &ex->klass));
}

/* Counts of plain rows, kept apart and added to fs's in one go (the
 * negatives are the rows neither positive nor ignored). */
typedef struct plain_counts {
    uint64_t rows, positives, ignored, clamped;
} plain_counts;

/* Count the plain row's example, and hand it on unless ignored; return
 * what push_example does. */
static inline int take_plain(file_state *fs, const plain_ex *ex,
                             plain_counts *c)
{
    c->rows++;
    c->clamped += (uint64_t)ex->clamped;
    if (ex->label < 0) {
        c->ignored++;
        return FL_OK;
    }
    c->positives += (uint64_t)ex->label;
    return push_example(fs, ex->x, ex->label, ex->klass);
}

/* take_plain, the example kept in e for push_examples. */
FL_ALWAYS_INLINE void keep_plain(const plain_ex *ex, plain_counts *c,
                                 example_run *e, size_t *kept)
{
    c->rows++;
    c->clamped += (uint64_t)ex->clamped;
    if (ex->label < 0) {
        c->ignored++;
        return;
    }
    c->positives += (uint64_t)ex->label;
    e->x[*kept] = ex->x;
    e->klass[*kept] = ex->klass;
    e->pos[*kept] = (unsigned char)ex->label;
    ++*kept;
}

/* Add c to fs's counts, and zero it. */
static void add_plain_counts(file_state *fs, plain_counts *c)
{
    fl_counts *k = fs->counts;
    fs->data_rows += c->rows;
    k->rows += c->rows;
    k->positives += c->positives;
    k->negatives += c->rows - c->positives - c->ignored;
    k->ignored += c->ignored;
    k->clamped += c->clamped;
    *c = (plain_counts){0};
}

/* Hand the needed fields of a scanned line to role_field, with libcsv's
 * trimming, and close the row.  cuts[i] is where field i ends, after
 * cuts[-1], UINT32_MAX; the bytes up to readable may be read. */
static void fast_fields(file_state *fs, const char *s, const uint32_t *cuts,
                        size_t nfields, const char *readable)
{
    char delim = fs->r->o.delim;
    fs->row_line = fs->line;
    fs->readable = readable;
    int wide_logits = fs->wide_k && !fs->score_is_prob;
    for (int k = 0; k < fs->nneed; k++) {
        const struct need *nd = &fs->need[k];
        size_t i = nd->col;
        if (i >= nfields) /* a short row: row_done reports its field count */
            break;
        /* cuts[-1] for field 0: a signed index, as size_t's i - 1 would
         * wrap the pointer */
        const char *fb = s + (uint32_t)(cuts[(ptrdiff_t)i - 1] + 1);
        const char *fe = s + cuts[i];
        /* a wide dump's logits, most of its fields, without role_field's
         * calls where the padded parser takes them (no blank, a decimal) */
        if (wide_logits && nd->role == ROLE_WIDE &&
            parse_in_buffer(fs, fb, (size_t)(fe - fb), &fs->wide_x[nd->k]))
            continue;
        /* (unsigned char)c <= ' ' first: fields rarely start or end blank */
        while (fb < fe && (unsigned char)*fb <= ' ' && is_trimmed(*fb, delim))
            fb++;
        while (fe > fb && (unsigned char)fe[-1] <= ' ' &&
               is_trimmed(fe[-1], delim))
            fe--;
        role_field(fs, nd, fb, (size_t)(fe - fb));
    }
    fs->readable = NULL;
    row_done(fs, nfields);
}

/* What a scan of one line found. */
typedef struct scan {
    size_t end;     /* index of the newline, or the length when none */
    size_t ndelims; /* delimiters before it */
    int special;    /* a quote, or a carriage return not before the newline */
} scan;

/* Note delimiter i; keep the first max positions in cuts. */
static inline void cut_at(scan *sc, uint32_t *cuts, size_t max, size_t i)
{
    if (sc->ndelims < max)
        cuts[sc->ndelims] = (uint32_t)i;
    sc->ndelims++;
}

static void scan_tail(const unsigned char *cls, const char *s, size_t len,
                      size_t i, uint32_t *cuts, size_t max, scan *sc)
{
    for (; i < len; i++) {
        unsigned c = cls[(unsigned char)s[i]];
        if (c == C_PLAIN)
            continue;
        if (c == C_NEWLINE)
            break;
        if (c == C_DELIM)
            cut_at(sc, cuts, max, i);
        else
            sc->special = 1;
    }
    sc->end = i;
}

#ifdef __SSE2__
/* Classify 32 bytes at a time: masks of delimiters, newlines, and quotes or
 * carriage returns, with the scalar loop for the last few bytes. */
static void scan_line(const fl_reader *r, const char *s, size_t len,
                      uint32_t *cuts, size_t max, scan *sc)
{
    const __m128i vd = _mm_set1_epi8(r->o.delim), vn = _mm_set1_epi8('\n');
    const __m128i vq = _mm_set1_epi8('"'), vr = _mm_set1_epi8('\r');
    size_t i = 0;
    *sc = (scan){0};
    /* 32 bytes a step (two loads), so that most rows take one */
    for (; i + 32 <= len; i += 32) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 16));
        uint32_t nl = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vn)) |
                      (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(w, vn)) << 16;
        uint32_t d = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd)) |
                     (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(w, vd)) << 16;
        uint32_t q = (uint32_t)_mm_movemask_epi8(_mm_or_si128(
                         _mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vr))) |
                     (uint32_t)_mm_movemask_epi8(_mm_or_si128(
                         _mm_cmpeq_epi8(w, vq), _mm_cmpeq_epi8(w, vr)))
                         << 16;
        if (nl) {
            uint32_t before = (nl & -nl) - 1;
            d &= before;
            q &= before;
        }
        for (; d; d &= d - 1)
            cut_at(sc, cuts, max, i + (size_t)__builtin_ctz(d));
        sc->special |= q != 0;
        if (nl) {
            sc->end = i + (size_t)__builtin_ctz(nl);
            return;
        }
    }
    scan_tail(r->classes_of, s, len, i, cuts, max, sc);
}
#else
static void scan_line(const fl_reader *r, const char *s, size_t len,
                      uint32_t *cuts, size_t max, scan *sc)
{
    *sc = (scan){0};
    scan_tail(r->classes_of, s, len, 0, cuts, max, sc);
}
#endif

/* A line that ends in "\r\n" and has no other carriage return or quote is
 * still plain. */
static int only_crlf(const char *s, size_t end)
{
    return end > 0 && s[end - 1] == '\r' && !memchr(s, '"', end) &&
           !memchr(s, '\r', end - 1);
}

/* Scan the line at s[0, len) once.  A line with no quote and no carriage
 * return but before its newline is read here, with libcsv's semantics
 * (split at the delimiter, trim spaces and tabs, skip a blank line); any
 * other goes to libcsv.  Return the bytes consumed, or 0 when the buffer
 * holds no whole line (unless at_eof). */
static size_t fast_line(file_state *fs, struct csv_parser *csv, const char *s,
                        size_t len, int at_eof)
{
    uint32_t *cuts = fs->r->cuts_at + 1;
    size_t max = fs->nnames < FL_MAX_CUTS ? fs->nnames : FL_MAX_CUTS;
    scan sc;
    scan_line(fs->r, s, len, cuts, max, &sc);
    if (sc.end == len && !at_eof)
        return 0;
    size_t used = sc.end < len ? sc.end + 1 : len;
    size_t end = sc.end;
    if (sc.special && only_crlf(s, end))
        sc.special = 0;
    if (end > 0 && s[end - 1] == '\r')
        end--;
    size_t nfields = sc.ndelims + 1;
    if (sc.special || end > UINT32_MAX || nfields > max) {
        feed_line(fs, csv, s, used); /* libcsv, or a field count error */
        fs->fed_csv = 1;
        return used;
    }
    fs->line++;
    size_t b = 0;
    while (nfields == 1 && b < end && is_trimmed(s[b], fs->r->o.delim))
        b++;
    if (b < end || nfields > 1) { /* libcsv skips a line of blanks */
        cuts[nfields - 1] = (uint32_t)end;
        line_at ln = {s, cuts, nfields, 0};
        plain_cols pc = plain_cols_of(fs);
        plain_ex ex;
        if (fs->plain && nfields == fs->nnames &&
            plain_row(fs, &pc, &ln, s + len, 0, NULL, 0, &ex)) {
            plain_counts c = {0};
            fs->row_line = fs->line;
            take_plain(fs, &ex, &c);
            add_plain_counts(fs, &c);
        } else {
            fast_fields(fs, s, cuts, nfields, s + len);
        }
    }
    return used;
}

#ifdef __SSE2__
/* A bit for each of the 64 bytes whose mask byte in v is set. */
static inline uint64_t mask64(__m128i v0, __m128i v1, __m128i v2, __m128i v3)
{
    return (uint64_t)(uint16_t)_mm_movemask_epi8(v0) |
           (uint64_t)(uint16_t)_mm_movemask_epi8(v1) << 16 |
           (uint64_t)(uint16_t)_mm_movemask_epi8(v2) << 32 |
           (uint64_t)(uint16_t)_mm_movemask_epi8(v3) << 48;
}

/* A bit for each of the 64 bytes in v equal to c. */
static inline uint64_t eq_mask(const __m128i v[4], __m128i c)
{
    return mask64(_mm_cmpeq_epi8(v[0], c), _mm_cmpeq_epi8(v[1], c),
                  _mm_cmpeq_epi8(v[2], c), _mm_cmpeq_epi8(v[3], c));
}

/* The bits of what block_lines leaves to others among the 64 bytes in v
 * (then those at s + 64, of which len remain, follow), when some are
 * quotes or bytes up to ' ' other than newlines and delimiters: quotes,
 * such bytes but for a carriage return before a newline, and such a
 * carriage return after a separator (m, and sep_before for the byte before
 * v), which ends an empty field. */
static uint64_t block_stops(const __m128i v[4], const __m128i low[4],
                            uint64_t nl, uint64_t m, uint64_t sep_before,
                            const char *s, size_t len)
{
    uint64_t cr = eq_mask(v, _mm_set1_epi8('\r')) & nl >> 1;
    if (len > 64 && s[64] == '\n')
        cr |= eq_mask(v, _mm_set1_epi8('\r')) & (uint64_t)1 << 63;
    return eq_mask(v, _mm_set1_epi8('"')) |
           (mask64(low[0], low[1], low[2], low[3]) & ~cr) |
           (cr & (m << 1 | sep_before));
}

/* Append base plus the position of each bit of m at out, and return how
 * many: stride at a time, without a branch per bit, the ones past the last
 * being garbage that out's room of stride more holds and that later bits
 * overwrite.  (m | 1 << 63: __builtin_ctzll(0) is undefined.) */
static inline size_t flatten(uint32_t *out, uint64_t m, uint32_t base,
                             int stride)
{
    size_t count = (size_t)__builtin_popcountll(m);
    for (size_t k = 0; k < count; k += (size_t)stride)
#pragma GCC unroll 8
        for (int j = 0; j < stride; j++) {
            out[k + (size_t)j] =
                base + (uint32_t)__builtin_ctzll(m | (uint64_t)1 << 63);
            m &= m - 1;
        }
    return count;
}

/* Note where the separators (delimiters and newlines) of s are, and apart
 * where its newlines are, 64 bytes at a time, in whole blocks of at most
 * FL_INDEX_BYTES, up to the first line that holds what block_stops finds or
 * an empty field (a separator after a separator, or at s).  s begins a
 * line.  Return how many newlines were noted, and in *seps how many
 * separators (the entries past them are garbage). */
FL_CLONES static size_t index_lines(fl_reader *r, const char *s, size_t len,
                                    size_t *seps)
{
    const __m128i vd = _mm_set1_epi8(r->o.delim), vn = _mm_set1_epi8('\n');
    const __m128i vq = _mm_set1_epi8('"'), vsp = _mm_set1_epi8(' ');
    uint32_t *sep = r->seps_at + 1, *nl = r->lines_at;
    size_t w = len < FL_INDEX_BYTES ? len & ~(size_t)63 : FL_INDEX_BYTES;
    size_t ns = 0, nn = 0;
    uint64_t sep_before = 1; /* as if a newline came before s */
    for (size_t i = 0; i < w; i += 64) {
        __m128i v[4], d[4], low[4], q[4];
#pragma GCC unroll 4
        for (int k = 0; k < 4; k++) {
            v[k] = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 16 * (size_t)k));
            d[k] = _mm_cmpeq_epi8(v[k], vd);
            /* bytes up to ' ', but for newlines and delimiters */
            low[k] = _mm_andnot_si128(
                _mm_or_si128(d[k], _mm_cmpeq_epi8(v[k], vn)),
                _mm_cmpeq_epi8(_mm_min_epu8(v[k], vsp), v[k]));
            q[k] = _mm_or_si128(_mm_cmpeq_epi8(v[k], vq), low[k]);
        }
        uint64_t n = eq_mask(v, vn);
        uint64_t m = mask64(d[0], d[1], d[2], d[3]) | n;
        uint64_t stop = m & (m << 1 | sep_before);
        /* mostly no quote and no blank: one test shows it */
        __m128i any = _mm_or_si128(_mm_or_si128(q[0], q[1]),
                                   _mm_or_si128(q[2], q[3]));
        if (_mm_movemask_epi8(any))
            stop |= block_stops(v, low, n, m, sep_before, s + i, len - i);
        if (stop) { /* the lines from the one holding it are not noted */
            n &= (stop & -stop) - 1;
            w = i; /* this block is the last */
        }
        sep_before = m >> 63;
        ns += flatten(sep + ns, m, (uint32_t)i, 8);
        nn += flatten(nl + nn, n, (uint32_t)i, 4);
    }
    *seps = ns;
    return nn;
}

/* Read the lines of s[0, len) that index_lines finds whole, plain and with
 * the header's number of fields, as fast_line would; return the bytes
 * consumed, which end at the first line left to fast_line. */
static size_t block_lines(file_state *fs, const char *s, size_t len)
{
    fl_reader *r = fs->r;
    size_t seps, lines = index_lines(r, s, len, &seps), n = fs->nnames;
    uint32_t *e = r->seps_at + 1;
    size_t start = 0, k = 0;
    plain_cols pc = plain_cols_of(fs);
    plain_counts c = {0};
    for (; k < lines; k++, e += n) {
        uint32_t nl = r->lines_at[k];
        /* the line's n-th separator is its newline: n fields */
        if ((size_t)(e - (r->seps_at + 1)) + n > seps || e[n - 1] != nl)
            break;
        int cr = s[nl - 1] == '\r';
        e[n - 1] -= (uint32_t)cr; /* the last field ends before it */
        line_at ln = {s, e, n, 1};
        plain_ex ex;
        if (fs->plain && plain_row(fs, &pc, &ln, s + len, 0, NULL, 0, &ex)) {
            take_plain(fs, &ex, &c);
        } else {
            uint32_t *cuts = r->cuts_at + 1;
            for (size_t i = 0; i < n; i++)
                cuts[i] = e[i] - (uint32_t)start;
            fs->line += k + 1;
            add_plain_counts(fs, &c);
            fast_fields(fs, s + start, cuts, n, s + len);
            fs->line -= k + 1; /* counted below with the plain ones */
        }
        e[n - 1] = nl;
        start = nl + 1;
        if (fs->status != FL_OK) {
            k++;
            break;
        }
    }
    fs->line += k;
    fs->row_line = fs->line;
    add_plain_counts(fs, &c);
    return start;
}

/* The masks of the 32 bytes at s that short_row reads: a bit for each
 * newline in *nl, each delimiter in *d, and in *low each byte up to ' '
 * and each quote (what a plain row holds only as a delimiter, the newline
 * and a carriage return before it). */
FL_ALWAYS_INLINE void row_masks(const char *s, char delim, uint32_t *nl,
                                uint32_t *d, uint32_t *low)
{
    const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n');
    const __m128i vq = _mm_set1_epi8('"'), vsp = _mm_set1_epi8(' ');
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + 16));
    __m128i la = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(a, vsp), a),
                              _mm_cmpeq_epi8(a, vq));
    __m128i lb = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(b, vsp), b),
                              _mm_cmpeq_epi8(b, vq));
    *nl = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, vn)) |
          (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, vn)) << 16;
    *d = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, vd)) |
         (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, vd)) << 16;
    *low = (uint32_t)_mm_movemask_epi8(la) |
           (uint32_t)_mm_movemask_epi8(lb) << 16;
}

#ifdef FL_NUM_AVX2
/* The bytes row_masks_avx2 compares with, 32 of each. */
typedef struct row_bytes {
    _Alignas(32) unsigned char nl[32];
    unsigned char delim[32], space[32], quote[32];
} row_bytes;

/* Fill k, and return it behind a pointer the compiler cannot follow: in a
 * loop, the bytes are then read from memory, not built again from
 * immediates in each pass as the compiler would from their known values. */
static const row_bytes *row_bytes_of(row_bytes *k, char delim)
{
    memset(k->nl, '\n', sizeof k->nl);
    memset(k->delim, delim, sizeof k->delim);
    memset(k->space, ' ', sizeof k->space);
    memset(k->quote, '"', sizeof k->quote);
    const row_bytes *c = k;
    __asm__("" : "+r"(c) : : "memory");
    return c;
}

/* row_masks in one 32-byte vector, comparing with k. */
FL_TARGET_AVX2 static inline void row_masks_avx2(const char *s,
                                                 const row_bytes *k,
                                                 uint32_t *nl, uint32_t *d,
                                                 uint32_t *low)
{
#define FL_ROW_K(b) _mm256_load_si256((const __m256i *)(const void *)k->b)
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)s);
    __m256i l = _mm256_or_si256(
        _mm256_cmpeq_epi8(_mm256_min_epu8(v, FL_ROW_K(space)), v),
        _mm256_cmpeq_epi8(v, FL_ROW_K(quote)));
    *nl = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, FL_ROW_K(nl)));
    *d = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, FL_ROW_K(delim)));
    *low = (uint32_t)_mm256_movemask_epi8(l);
#undef FL_ROW_K
}
#endif

/* The end of the line at s from its masks (row_masks, a bit for each of
 * up to 64 bytes at s; nl not 0), when no quote and no byte up to ' ' lies
 * in it but a carriage return before the newline: return the bytes of the
 * line with its newline, set *end to where its last field ends and keep
 * in *d the delimiters before it; else return 0. */
FL_ALWAYS_INLINE unsigned plain_line_end(const char *s, uint64_t nl,
                                         uint64_t *d, uint64_t low,
                                         unsigned *end)
{
    unsigned e = (unsigned)__builtin_ctzll(nl);
    uint64_t before = ((uint64_t)1 << e) - 1;
    *d &= before;
    low &= before & ~*d; /* a tab delimiter is not a blank */
    *end = e;
    if (low) { /* only a carriage return ending the line */
        if (low != (uint64_t)1 << (e - 1) || s[e - 1] != '\r')
            return 0;
        *end = e - 1;
    }
    return e + 1;
}

/* Where the fields of the line at s end, from its masks (row_masks, a
 * bit for each of up to 64 bytes at s), when it is short and plain: its
 * newline among those bytes, n fields, none empty, no quote and no byte up
 * to ' ' in them (a carriage return may end the line).  Return the bytes
 * of the line with its newline and set e[0, n), else return 0. */
FL_ALWAYS_INLINE size_t short_row(const char *s, uint64_t nl, uint64_t d,
                                  uint64_t low, size_t n, uint32_t *e)
{
    unsigned end, used = plain_line_end(s, nl, &d, low, &end);
    if (!used)
        return 0;
    uint64_t ends = d | (uint64_t)1 << end;
    /* n - 1 delimiters, and no field end at 0 or right after another */
    if ((size_t)__builtin_popcountll(d) != n - 1 || (ends & (ends << 1 | 1)))
        return 0;
    if (n <= 8) { /* the n bits of ends, no loop: in from the count */
        uint32_t *at = e;
        switch (n) {
#define FL_NEXT_END                          \
    *at++ = (uint32_t)__builtin_ctzll(ends); \
    ends &= ends - 1;                        \
    __attribute__((fallthrough))
        case 8: FL_NEXT_END;
        case 7: FL_NEXT_END;
        case 6: FL_NEXT_END;
        case 5: FL_NEXT_END;
        case 4: FL_NEXT_END;
        case 3: FL_NEXT_END;
        case 2: FL_NEXT_END;
#undef FL_NEXT_END
        default: *at = end;
        }
        return used;
    }
    for (size_t i = 0; i < n; i++) { /* the same, in a loop */
        e[i] = (uint32_t)__builtin_ctzll(ends);
        ends &= ends - 1;
    }
    return used;
}

/* row_masks of the 32 bytes at s into m (the newlines, delimiters and odd
 * bytes), with AVX2 when wide. */
FL_ALWAYS_INLINE void masks_of_32(const char *s, int wide, const void *rk,
                                  char delim, uint32_t m[3])
{
    (void)wide, (void)rk;
#ifdef FL_NUM_AVX2
    if (wide)
        row_masks_avx2(s, rk, &m[0], &m[1], &m[2]);
    else
#endif
        row_masks(s, delim, &m[0], &m[1], &m[2]);
}

/* The masks short_row reads for the line at s, of which len bytes may be
 * read (at least 32 + FL_FIELD_ROOM): of 32 bytes, or of 64 when the
 * newline is not among the first 32 and 64 + FL_FIELD_ROOM may be read.
 * Return 0 when no newline is among them.  So FL_FIELD_ROOM bytes from
 * the start of any field of the line may be read. */
FL_ALWAYS_INLINE int line_masks(const char *s, size_t len, int wide,
                                const void *rk, char delim, uint64_t *nl,
                                uint64_t *d, uint64_t *low)
{
    uint32_t m[3];
    masks_of_32(s, wide, rk, delim, m);
    *nl = m[0], *d = m[1], *low = m[2];
    if (__builtin_expect(m[0] != 0, 1))
        return 1;
    if (len < 64 + FL_FIELD_ROOM)
        return 0;
    /* hidden, so that the compiler does not load k's bytes into registers
     * for both halves, where the first alone compares with memory */
    __asm__("" : "+r"(rk));
    masks_of_32(s + 32, wide, rk, delim, m);
    *nl = (uint64_t)m[0] << 32;
    *d |= (uint64_t)m[1] << 32;
    *low |= (uint64_t)m[2] << 32;
    return *nl != 0;
}

/* Read the short plain lines at the start of s[0, len) (see short_row)
 * whose row plain_row reads, without an index (wide: with AVX2); return
 * the bytes consumed, which end at the first line left to the others.
 * The lines are split FL_SHORT_BATCH at a time, then their rows read: two
 * loops that each keep their state in registers, as one could not; at
 * most batches such batches. */
FL_ALWAYS_INLINE size_t short_lines_with(file_state *fs, const char *s,
                                         size_t len, int wide, int usual,
                                         size_t fields, size_t batches)
{
    size_t n = fields ? fields : fs->nnames, done = 0;
    uint32_t cuts[FL_SHORT_BATCH][FL_SHORT_FIELDS + 1];
    size_t start[FL_SHORT_BATCH + 1];
    plain_cols pc = plain_cols_of(fs);
    plain_counts c = {0};
    char delim = fs->r->o.delim;
    const fl_num_avx2_k *nk = NULL;
    if (!fs->plain || n > FL_SHORT_FIELDS)
        return 0;
    const void *rk = NULL;
    example_run ex_run;
#ifdef FL_NUM_AVX2
    row_bytes bytes;
    if (wide) {
        rk = row_bytes_of(&bytes, delim);
        nk = &fs->r->nk;
    }
#endif
    /* while the last batch was full and its rows all read */
    for (size_t m = FL_SHORT_BATCH; m == FL_SHORT_BATCH && batches--;) {
        size_t at = done, used;
        for (m = 0; m < FL_SHORT_BATCH && len - at >= 32 + FL_FIELD_ROOM;
             m++, at += used) {
            uint64_t nl, d, low;
            if (!line_masks(s + at, len - at, wide, rk, delim, &nl, &d, &low) ||
                !(used = short_row(s + at, nl, d, low, n, cuts[m] + 1)))
                break;
            cuts[m][0] = UINT32_MAX;
            start[m] = at;
        }
        start[m] = at;
        size_t kept = 0;
        for (size_t i = 0; i < m; i++) {
            line_at ln = {s + start[i], cuts[i] + 1, n, 1};
            plain_ex ex;
            if (!plain_row(fs, &pc, &ln, NULL, wide, nk, usual, &ex)) {
                m = 0;
                break;
            }
            done = start[i + 1];
            keep_plain(&ex, &c, &ex_run, &kept);
        }
        if (push_examples(fs, &ex_run, kept) != FL_OK)
            break;
    }
    fs->line += c.rows;
    fs->row_line = fs->line;
    add_plain_counts(fs, &c);
    return done;
}

/* The usual long dump, an image and a class column: 1 with logits, 2 with
 * probabilities; else 0. */
static int usual_columns(const file_state *fs)
{
    if (fs->col[ROLE_IMAGE] < 0 || fs->col[ROLE_CLASS] < 0)
        return 0;
    return fs->score_is_prob ? 2 : 1;
}

/* One copy of short_lines_with for each kind of dump, each a function of
 * its own: inlined into one, they share a register allocation, and each
 * loses by it. */
#define FL_SHORT_LINES(name, target, wide, usual, fields)                  \
    target __attribute__((noinline)) static size_t name(                   \
        file_state *fs, const char *s, size_t len, size_t batches)         \
    {                                                                      \
        return short_lines_with(fs, s, len, wide, usual, fields, batches); \
    }

#ifdef FL_NUM_AVX2
/* the usual five (image, anchor, class, score, label): n known */
FL_SHORT_LINES(short_avx2_logits5, FL_TARGET_AVX2, 1, 1, 5)
FL_SHORT_LINES(short_avx2_probs5, FL_TARGET_AVX2, 1, 2, 5)
FL_SHORT_LINES(short_avx2_logits, FL_TARGET_AVX2, 1, 1, 0)
FL_SHORT_LINES(short_avx2_probs, FL_TARGET_AVX2, 1, 2, 0)
FL_SHORT_LINES(short_avx2_any, FL_TARGET_AVX2, 1, 0, 0)
#endif
FL_SHORT_LINES(short_sse2_logits, , 0, 1, 0)
FL_SHORT_LINES(short_sse2_probs, , 0, 2, 0)
FL_SHORT_LINES(short_sse2_any, , 0, 0, 0)
#undef FL_SHORT_LINES

#ifdef FL_NUM_AVX2
/* What usual_row compares a row with: the current image's id, of 1 to 8
 * bytes as a word and the shift that drops the bytes past it (see
 * text_eq_word), of 9 to 16 as its first 8 bytes and its last 8 (at
 * tail_at); the small class ids' table, the bytes of row_masks_avx2 and
 * of fl_parse_decimal_avx2. */
typedef struct usual_row_k {
    uint64_t word, tail;
    unsigned shift;
    size_t id_len, tail_at;
    const uint32_t *cls; /* USUAL_CLASS_IDS at least */
    const row_bytes *rk;
    const fl_num_avx2_k *nk;
    const char *last_wide; /* the last row start 64 bytes may be masked
                            * at (a row with a long number, say), or NULL */
} usual_row_k;

/* The row at p of the usual five in their usual order, with a logit (or
 * with prob a probability, in [0, 1]), when it is short and plain
 * (short_row: its newline within 32 bytes, or 64 with long_id, or with
 * long_num where p is at most k->last_wide), its image the current one (of
 * 1 to 8 bytes, or with long_id 9 to 16), its class a small number seen
 * before and its number of fl_parse_decimal_avx2_common's shape (or with
 * long_num _long's too): return its bytes with the newline and set *x,
 * *klass and *label (1, 0, or -1: ignored), and *slow to 1 where it took
 * long_num's wider row or longer number; else return 0.  The 32 +
 * FL_FIELD_ROOM bytes at p may be read, and 64 + FL_FIELD_ROOM with
 * long_id or up to k->last_wide. */
FL_ALWAYS_INLINE unsigned usual_row(const char *p, const usual_row_k *k,
                                    int long_id, int prob, int long_num,
                                    double *x, uint32_t *klass, int *label,
                                    int *slow)
{
    uint32_t m[3];
    row_masks_avx2(p, k->rk, &m[0], &m[1], &m[2]);
    uint64_t nl = m[0], d = m[1], low = m[2];
    if (long_id) {
        row_masks_avx2(p + 32, k->rk, &m[0], &m[1], &m[2]);
        nl |= (uint64_t)m[0] << 32;
        d |= (uint64_t)m[1] << 32;
        low |= (uint64_t)m[2] << 32;
    }
    if (long_num && !long_id && !nl && k->last_wide && p <= k->last_wide) {
        row_masks_avx2(p + 32, k->rk, &m[0], &m[1], &m[2]);
        nl = (uint64_t)m[0] << 32;
        d |= (uint64_t)m[1] << 32;
        low |= (uint64_t)m[2] << 32;
        *slow = 1;
    }
    if (!nl)
        return 0;
    unsigned end, used = plain_line_end(p, nl, &d, low, &end);
    if (!used)
        return 0;
    /* an empty field fails a test below (of its length, or the parser's),
     * but for the anchor, which is not read */
    if (__builtin_popcountll(d) != 4)
        return 0;
    /* the first and last from either end, the middle two from the first
     * dropped: no chain of four */
    unsigned e0 = (unsigned)__builtin_ctzll(d);
    unsigned e3 = 63u ^ (unsigned)__builtin_clzll(d);
    uint64_t mid = d & (d - 1);
    unsigned e1 = (unsigned)__builtin_ctzll(mid);
    unsigned e2 = (unsigned)__builtin_ctzll(mid & (mid - 1));
    uint64_t w, t;
    memcpy(&w, p, sizeof w);
    if (long_id) {
        memcpy(&t, p + k->tail_at, sizeof t);
        if (e0 != k->id_len || w != k->word || t != k->tail)
            return 0;
    } else if (e0 != k->id_len || ((w ^ k->word) << k->shift) != 0) {
        return 0;
    }
    if (!plain_label(p + e3 + 1, end - e3 - 1, label))
        return 0;
    /* a class id of one or two digits (as small_id reads them) */
    const char *cb = p + e1 + 1;
    unsigned v = (unsigned char)cb[0] - '0', d1 = (unsigned char)cb[1] - '0';
    if (e2 - e1 == 3 && v - 1 < 9 && d1 < 10)
        v = 10 * v + d1;
    else if (e2 - e1 != 2 || v >= 10)
        return 0;
    if (k->cls[v] == 0)
        return 0;
    *klass = k->cls[v] - 1;
    const char *f = p + e2 + 1;
    size_t flen = e3 - e2 - 1;
    if (!fl_parse_decimal_avx2_common(k->nk, f, flen, x)) {
        if (!long_num || !fl_parse_decimal_avx2_long(k->nk, f, flen, x))
            return 0;
        *slow = 1;
    }
    if (prob && !(*x >= 0.0 && *x <= 1.0))
        return 0;
    return used;
}

/* usual_row's constants for the rows in the len bytes at s, of the
 * current image (of 1 to 8 bytes, or with long_id 9 to 16), with bytes as
 * the row_bytes. */
FL_ALWAYS_INLINE usual_row_k usual_row_consts(const file_state *fs,
                                              const char *s, size_t len,
                                              int long_id, row_bytes *bytes)
{
    const fl_reader *r = fs->r;
    const text *id = &fs->image;
    usual_row_k k = {id->word, 0, id->word_shift, id->len, 0, r->small_class,
                     row_bytes_of(bytes, r->o.delim), &r->nk,
                     len >= 64 + FL_FIELD_ROOM
                         ? s + len - (64 + FL_FIELD_ROOM)
                         : NULL};
    if (long_id) {
        k.tail_at = id->len - 8;
        memcpy(&k.tail, id->s + k.tail_at, sizeof k.tail);
    }
    return k;
}

/* The usual five in their usual order with logits (prob: with
 * probabilities), as short_lines_with reads them but in one loop with
 * AVX2, for the rows usual_row takes: the columns and the current image
 * are constants there, and the examples go straight to the batch, so that
 * the loop keeps its state in registers.  (A run's probabilities become
 * logits after it, where the calls to log are.)  Return the bytes
 * consumed, which end at the first row it leaves (to short_lines_with,
 * which reads any plain row), or with long_num after a full batch without
 * a long number.  The loop for long numbers (long_num) is another: the
 * registers that their parser takes slow the common one.  Each picks the
 * other for the next call (fs->long_numbers): the common loop when the
 * row it left has a long number that the other takes, the other after a
 * full batch without one. */
FL_ALWAYS_INLINE size_t usual_lines_with(file_state *fs, const char *s,
                                         size_t len, int long_id, int prob,
                                         int long_num)
{
    fl_reader *r = fs->r;
    size_t room = (long_id ? 64 : 32) + FL_FIELD_ROOM;
    if (!fs->plain || len < room)
        return 0;
    row_bytes bytes;
    usual_row_k k = usual_row_consts(fs, s, len, long_id, &bytes);
    const uint64_t image = fs->image_ordinal;
    const double eps = r->o.eps;
    int noted = !note_due(fs);
    const char *p = s, *last = s + len - room;
    size_t n = r->n;
    uint64_t stored = 0, positives = 0, ignored = 0, clamped = 0;
    /* the rows, in runs without a call: each ends at a row left, at a full
     * batch, or at the first example of an image not yet noted */
    for (int left = 0; !left;) {
        size_t from = n, stop = noted ? BATCH : n + 1, slow_rows = 0;
        while (n < stop) {
            double x;
            uint32_t klass;
            int label, slow = 0;
            unsigned used = p <= last ? usual_row(p, &k, long_id, prob,
                                                  long_num, &x, &klass,
                                                  &label, &slow)
                                      : 0;
            if (!used) {
                left = 1;
                break;
            }
            slow_rows += (size_t)slow;
            p += used;
            /* an ignored row's probability is counted too, as elsewhere */
            if (prob)
                clamped += x < eps || x > 1.0 - eps;
            if (__builtin_expect(label < 0, 0)) {
                ignored++;
                continue;
            }
            r->x[n] = x;
            r->klass[n] = klass;
            r->pos[n] = (unsigned char)label;
            n++;
        }
        /* the run's image, positives and rows after it: values the loop
         * need not keep */
        for (size_t i = from; i < n; i++)
            r->img[i] = image;
        for (size_t i = from; i < n; i++)
            positives += r->pos[i];
        stored += n - from;
        for (size_t i = from; prob && i < n; i++) {
            int c;
            r->x[i] = fl_logit_from_prob(r->x[i], eps, &c);
        }
        r->n = n;
        if (!noted && n > from) {
            if (job_note_example(fs) != FL_OK) {
                fatal(fs, FL_ENOMEM, 0, "out of memory");
                break;
            }
            noted = 1;
        }
        int st, full = n == BATCH;
        if (full && (st = flush_batch(fs)) != FL_OK) {
            fatal(fs, st, 0, "out of memory");
            break;
        }
        n = r->n;
        if (long_num && full && !slow_rows) {
            fs->long_numbers = 0;
            break;
        }
    }
    r->n = n;
    uint64_t rows = stored + ignored;
    plain_counts c = {rows, positives, ignored, clamped};
    fs->line += rows;
    fs->row_line = fs->line;
    add_plain_counts(fs, &c);
    return (size_t)(p - s);
}

/* usual_lines_with for an image id of 1 to 8 bytes and of 9 to 16, with
 * logits and with probabilities, for common and long numbers: one
 * function each, so that each keeps its own registers. */
#define FL_USUAL_LINES(name, long_id, prob, long_num)                      \
    FL_TARGET_AVX2 __attribute__((noinline)) static size_t name(           \
        file_state *fs, const char *s, size_t len)                         \
    {                                                                      \
        return usual_lines_with(fs, s, len, long_id, prob, long_num);      \
    }
FL_USUAL_LINES(usual_logits_word, 0, 0, 0)
FL_USUAL_LINES(usual_logits_two_words, 1, 0, 0)
FL_USUAL_LINES(usual_probs_word, 0, 1, 0)
FL_USUAL_LINES(usual_probs_two_words, 1, 1, 0)
FL_USUAL_LINES(usual_logits_word_long, 0, 0, 1)
FL_USUAL_LINES(usual_logits_two_words_long, 1, 0, 1)
FL_USUAL_LINES(usual_probs_word_long, 0, 1, 1)
FL_USUAL_LINES(usual_probs_two_words_long, 1, 1, 1)
#undef FL_USUAL_LINES

/* Whether the row at s (of the len bytes there), the one usual_lines_with
 * without long_num left, has a number that it takes with long_num: a call
 * apart, once a row left. */
FL_TARGET_AVX2 __attribute__((noinline)) static int
takes_long_number(const file_state *fs, const char *s, size_t len,
                  int long_id, int prob)
{
    if (!fs->plain || len < 64 + FL_FIELD_ROOM)
        return 0;
    row_bytes bytes;
    usual_row_k k = usual_row_consts(fs, s, len, long_id, &bytes);
    double x;
    uint32_t klass;
    int label, slow = 0;
    return usual_row(s, &k, long_id, prob, 1, &x, &klass, &label, &slow) &&
           slow;
}

/* The rows usual_lines_with reads at s, for the current image's id. */
static size_t usual_lines(file_state *fs, const char *s, size_t len, int prob)
{
    typedef size_t loop(file_state *, const char *, size_t);
    static loop *const with[2][2][2] = { /* [prob][long id][long numbers] */
        {{usual_logits_word, usual_logits_word_long},
         {usual_logits_two_words, usual_logits_two_words_long}},
        {{usual_probs_word, usual_probs_word_long},
         {usual_probs_two_words, usual_probs_two_words_long}}};
    if (!fs->image.s || fs->image.len == 0 || fs->image.len > 16)
        return 0;
    int long_id = fs->image.len > 8;
    size_t got = with[prob != 0][long_id][fs->long_numbers](fs, s, len);
    if (!fs->long_numbers && fs->status == FL_OK &&
        takes_long_number(fs, s + got, len - got, long_id, prob))
        fs->long_numbers = 1;
    return got;
}

/* usual_lines, then a batch of short_lines_with from the row it leaves,
 * and so on while either reads a line. */
FL_TARGET_AVX2 static size_t usual_then_short(file_state *fs, const char *s,
                                              size_t len, int prob)
{
    size_t done = 0;
    for (;;) {
        size_t got = usual_lines(fs, s + done, len - done, prob);
        done += got;
        if (fs->status != FL_OK)
            return done;
        /* one batch of lines, and usual_lines again after the row it left */
        size_t more = prob ? short_avx2_probs5(fs, s + done, len - done, 1)
                           : short_avx2_logits5(fs, s + done, len - done, 1);
        done += more;
        if (fs->status != FL_OK || !more)
            return done;
    }
}
#endif

/* Whether the columns are the usual five in their usual order: image,
 * anchor, class, score and label. */
static int usual_order(const file_state *fs)
{
    return fs->nnames == 5 && fs->col[ROLE_IMAGE] == 0 &&
           fs->col[ROLE_CLASS] == 2 && fs->col[ROLE_SCORE] == 3 &&
           fs->col[ROLE_LABEL] == 4;
}

static size_t short_lines(file_state *fs, const char *s, size_t len)
{
    int usual = usual_columns(fs), five = fs->nnames == 5;
    size_t all = SIZE_MAX; /* batches: while they are full */
#ifdef FL_NUM_AVX2
    if (fs->r->wide) {
        if (usual && five && usual_order(fs))
            return usual_then_short(fs, s, len, usual == 2);
        return usual == 1   ? five ? short_avx2_logits5(fs, s, len, all)
                                   : short_avx2_logits(fs, s, len, all)
               : usual == 2 ? five ? short_avx2_probs5(fs, s, len, all)
                                   : short_avx2_probs(fs, s, len, all)
                            : short_avx2_any(fs, s, len, all);
    }
#endif
    (void)five;
    return usual == 1   ? short_sse2_logits(fs, s, len, all)
           : usual == 2 ? short_sse2_probs(fs, s, len, all)
                        : short_sse2_any(fs, s, len, all);
}
#endif

/* fast_line over the lines of s[0, len) while it may read them: until one
 * is incomplete, or goes to libcsv, or reading stops.  Return the bytes
 * consumed (0 when the first line is incomplete). */
static size_t fast_lines(file_state *fs, struct csv_parser *csv, const char *s,
                         size_t len, int at_eof)
{
    size_t done = 0;
    int shorts_stopped = 0;
    fs->fed_csv = 0;
    while (done < len) {
#ifdef __SSE2__
        if (fs->nnames >= 2 && fs->nnames <= FL_MAX_CUTS) {
            /* A line short_lines leaves (a new image, say) goes to
             * fast_line alone; when the line after it is left too, the
             * lines are likely long: block_lines reads a window of them. */
            size_t got = short_lines(fs, s + done, len - done);
            done += got;
            if (fs->status != FL_OK || done == len)
                break;
            if (!got && shorts_stopped)
                done += block_lines(fs, s + done, len - done);
            if (fs->status != FL_OK || done == len)
                break;
            shorts_stopped = !got;
        }
#endif
        size_t used = fast_line(fs, csv, s + done, len - done, at_eof);
        done += used;
        /* a line libcsv read may leave a record open */
        if (!used || fs->status != FL_OK)
            break;
        if (fs->fed_csv) {
            if (!csv_idle(fs, csv))
                break;
            fs->fed_csv = 0;
        }
    }
    return done;
}

/* The record begun at fs->row_line runs on past the limit: most likely a
 * quote opened a field that no quote closes. */
static void record_too_long(file_state *fs)
{
    char lim[32];
    fatal(fs, FL_EDATA, fs->row_line,
          "record longer than %s (is a closing quote missing?)",
          size_text(lim, sizeof lim, record_limit(fs->r)));
}

static void feed_line(file_state *fs, struct csv_parser *csv, const char *s,
                      size_t len)
{
    fs->line++;
    /* A UTF-8 byte-order mark goes before libcsv sees it: in front of a
     * quoted header name it would make that quote a malformed one. */
    if (!fs->header_done && fs->line == 1 && len >= 3 &&
        memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        len -= 3;
    }
    /* A record left open by earlier lines (a quoted field holding
     * newlines) goes on; else one that begins here begins on this line. */
    if (!fs->in_record) {
        fs->row_line = fs->line;
        fs->record_bytes = 0;
    }
    fs->record_bytes += len;
    if (fs->record_bytes > record_limit(fs->r)) {
        record_too_long(fs);
        return;
    }
    size_t used = csv_parse(csv, s, len, on_field, on_row, fs);
    fs->in_record = !csv_idle(fs, csv);
    if (used == len)
        return;
    if (csv_error(csv) == CSV_ENOMEM)
        fatal(fs, FL_ENOMEM, 0, "out of memory");
    else
        fatal(fs, FL_EDATA, fs->line, "malformed CSV: a quote inside an unquoted field or after a "
              "closing quote");
}

/* Feed every complete line of buf[0, len) (every line, at the end of the
 * input); return the bytes consumed.  *clean counts the bytes at the start
 * of buf already known to hold no newline, so that a long line arriving
 * read by read is searched once, not once per read. */
static size_t feed_lines(file_state *fs, struct csv_parser *csv,
                         const char *buf, size_t len, int at_eof,
                         size_t *clean)
{
    size_t start = 0;
    while (fs->status == FL_OK && start < len &&
           !(fs->header_only && fs->header_done)) {
        size_t skip = start == 0 ? *clean : 0;
        int fast = fs->header_done && csv_idle(fs, csv) &&
                   !fs->r->o.no_fast_path;
        if (fast && skip == 0) { /* fast_line finds the newline itself */
            size_t used = fast_lines(fs, csv, buf + start, len - start, at_eof);
            if (!used) {
                *clean = len - start;
                return start;
            }
            start += used;
            continue;
        }
        const char *nl = memchr(buf + start + skip, '\n', len - start - skip);
        if (!nl && !at_eof) {
            *clean = len - start;
            return start;
        }
        if (fast) {
            size_t used = fast_line(fs, csv, buf + start, len - start, at_eof);
            if (!used) /* cannot happen: a newline is there, or the end */
                break;
            start += used;
            continue;
        }
        size_t end = nl ? (size_t)(nl - buf) + 1 : len;
        feed_line(fs, csv, buf + start, end - start);
        start = end;
    }
    *clean = 0;
    return start;
}

typedef struct source {
    gzFile gz;
    int fd;
    uint64_t total;
    uint64_t inflated;
} source;

/* Let a pipe hold 1 MiB where the system allows it (64 KiB by default):
 * the writer and this reader then take turns a sixteenth as often (reading
 * a 2 GB dump through `cat |`: 3.03 -> 2.89 s, medians of six alternated
 * runs).  Nothing is lost when it cannot. */
static void grow_pipe(int fd)
{
#ifdef F_SETPIPE_SZ
    (void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#else
    (void)fd;
#endif
}

static int open_source(file_state *fs, const char *path, source *src)
{
    int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        fatal(fs, FL_EIO, 0, "%s", strerror(e));
        return FL_EIO;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        fatal(fs, FL_EIO, 0, "is a directory");
        return FL_EIO;
    }
    if (S_ISFIFO(st.st_mode))
        grow_pipe(fd);
    src->fd = fd;
    src->total = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
    src->inflated = 0;
    src->gz = NULL;
    /* A regular file that is not gzip is read straight into our buffer
     * (zlib would copy it once more); pread leaves the offset alone.  A
     * pipe cannot be peeked at: zlib finds out for itself. */
    unsigned char magic[2];
    off_t at = S_ISREG(st.st_mode) ? lseek(fd, 0, SEEK_CUR) : -1;
    if (at >= 0 && !(pread(fd, magic, 2, at) == 2 && magic[0] == 0x1f &&
                     magic[1] == 0x8b))
        return FL_OK;
    src->gz = gzdopen(fd, "rb");
    if (!src->gz) {
        close(fd);
        fatal(fs, FL_ENOMEM, 0, "out of memory");
        return FL_ENOMEM;
    }
    gzbuffer(src->gz, 1u << 18);
    return FL_OK;
}

static void report_progress(file_state *fs, source *src)
{
    const fl_reader_opts *o = &fs->r->o;
    if (o->progress) {
        off_t at = src->total ? lseek(src->fd, 0, SEEK_CUR) : -1;
        o->progress(o->progress_ctx, fs->name,
                    at >= 0 ? (uint64_t)at : src->inflated, src->total);
    }
}

static long read_plain(file_state *fs, source *src, char *buf, size_t cap)
{
    ssize_t n;
    do
        n = read(src->fd, buf, cap);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        fatal(fs, FL_EIO, 0, "%s", strerror(errno));
        return -1;
    }
    src->inflated += (uint64_t)n;
    report_progress(fs, src);
    return (long)n;
}

/* Read up to cap bytes; return the count, 0 at the end, -1 on error. */
static long read_source(file_state *fs, source *src, char *buf, size_t cap)
{
    if (cap > (size_t)INT_MAX)
        cap = (size_t)INT_MAX;
    if (!src->gz)
        return read_plain(fs, src, buf, cap);
    int n = gzread(src->gz, buf, (unsigned)cap);
    int zerr = Z_OK;
    const char *msg = n <= 0 ? gzerror(src->gz, &zerr) : NULL;
    /* A stream cut short reads as an end of file with Z_BUF_ERROR. */
    if (n < 0 || zerr == Z_BUF_ERROR) {
        if (zerr == Z_ERRNO)
            fatal(fs, FL_EIO, 0, "%s", strerror(errno));
        else if (zerr == Z_BUF_ERROR)
            fatal(fs, FL_EIO, 0, "truncated gzip data");
        else {
            const char *why = strstr(msg, ": "); /* after zlib's "<fd:N>" */
            fatal(fs, FL_EIO, 0, "corrupt gzip data (%s)", why ? why + 2 : msg);
        }
        return -1;
    }
    src->inflated += (uint64_t)n;
    report_progress(fs, src);
    return n;
}

/* Bytes read but not yet fed.  clean: see feed_lines. */
typedef struct inbuf {
    char *buf;
    size_t cap, len, clean;
} inbuf;

/* Make room for a read of at least READ_MIN; 0 or -1 after fatal. */
static int inbuf_room(file_state *fs, inbuf *in)
{
    if (in->cap - in->len >= READ_MIN)
        return 0;
    if (in->cap >= MAX_LINE) {
        fatal(fs, FL_EDATA, fs->line + 1, "line longer than 256 MiB");
        return -1;
    }
    size_t cap = in->cap ? 2 * in->cap : 4 * READ_MIN;
    char *p = realloc(in->buf, cap);
    if (!p) {
        fatal(fs, FL_ENOMEM, 0, "out of memory");
        return -1;
    }
    in->buf = p;
    in->cap = cap;
    return 0;
}

/* Read and feed to the end of the input or the first fatal error, or (with
 * fs->header_only) until the header is read, the rest left in in.  Return
 * 1 when the input is used up or reading stopped, 0 after the header. */
static int pump(file_state *fs, source *src, struct csv_parser *csv, inbuf *in)
{
    for (;;) {
        if (inbuf_room(fs, in) < 0)
            return 1;
        long n = read_source(fs, src, in->buf + in->len, in->cap - in->len);
        if (n < 0)
            return 1;
        if (n == 0) {
            fs->header_only = 0; /* what follows a header without newline */
            feed_lines(fs, csv, in->buf, in->len, 1, &in->clean);
            return 1;
        }
        in->len += (size_t)n;
        size_t used = feed_lines(fs, csv, in->buf, in->len, 0, &in->clean);
        if (fs->status != FL_OK)
            return 1;
        memmove(in->buf, in->buf + used, in->len - used);
        in->len -= used;
        if (fs->header_only && fs->header_done)
            return 0;
    }
}

static void file_state_free(file_state *fs)
{
    for (size_t i = 0; fs->names && i < fs->nnames; i++)
        free(fs->names[i]);
    free(fs->names);
    free(fs->row_image.s);
    free(fs->row_class.s);
    free(fs->image.s);
    free(fs->last_class.s);
    if (!fs->borrowed_header) {
        free(fs->need);
        free(fs->wide_class);
    }
    free(fs->wide_col);
    free(fs->wide_x);
}

static void check_end(file_state *fs)
{
    if (fs->status != FL_OK)
        return;
    if (!fs->header_done)
        fatal(fs, FL_EDATA, 0, "empty input: no header row");
    else if (fs->data_rows == 0)
        fatal(fs, FL_EDATA, 0, "no data rows after the header");
    else {
        int st = flush_batch(fs);
        if (st != FL_OK)
            fatal(fs, st, 0, "out of memory");
    }
}

/* ---- reading in parts, on several threads ---- */

#define PART_BYTES ((size_t)4 << 20)
#define TAKE_BYTES ((size_t)256 << 10) /* read at a time into a part */
#define PARTS_IN_FLIGHT ((size_t)48 << 20) /* bytes held by 2N parts, at most */
#define PART_BYTES_MIN ((size_t)64 << 10)

/* Where an image's rows begin in a stretch: its id is run_ids[off, off+len). */
typedef struct run {
    size_t off, len;
    uint64_t line;
} run;

/* A stretch of the input that begins and ends with a record, and what
 * reading it found (lines counted from its start). */
typedef struct part_job {
    char *buf;
    size_t len, cap;
    uint64_t index;
    int last, too_long; /* ends the input; ends in a line too long */
    int too_long_record; /* ends the input in a record too long */
    int read_status;    /* the read after it failed so (FL_OK: did not) */
    fl_error read_err;
    int done;
    void *part;
    int status;
    fl_error err, skip;
    int have_skip;
    fl_counts counts;
    uint64_t lines, data_rows;
    text run_ids;
    run *runs;
    size_t nruns, runs_cap;
    text first_ex, last_ex; /* images of its first and last examples */
    int has_examples;
} part_job;

typedef struct splitter {
    file_state *fs; /* the main thread's, holding the header */
    const fl_parts *parts;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    part_job *jobs;
    size_t njobs;
    uint64_t filled, taken, merged;
    size_t part_bytes;
    int closed, stop;
    int nthreads;
    pthread_t *threads;
    fl_reader **readers; /* one per thread */
    /* merging */
    uint64_t line_base;
    text last_run, last_ex;
    int have_last_run, have_last_ex;
} splitter;

typedef struct worker {
    splitter *sp;
    fl_reader *r;
} worker;

static int job_note_run(file_state *fs)
{
    part_job *j = fs->job;
    run *v = fl_grow_to(j->runs, &j->runs_cap, sizeof *v, j->nruns);
    if (!v)
        return FL_ENOMEM;
    j->runs = v;
    size_t off = j->run_ids.len, len = fs->row_image.len;
    if (j->run_ids.cap < off + len + 1) {
        size_t cap = 2 * (off + len + 1);
        char *p = realloc(j->run_ids.s, cap);
        if (!p)
            return FL_ENOMEM;
        j->run_ids.s = p;
        j->run_ids.cap = cap;
    }
    memcpy(j->run_ids.s + off, fs->row_image.s, len);
    j->run_ids.len += len;
    j->runs[j->nruns++] = (run){off, len, fs->row_line};
    return FL_OK;
}

/* Note the image of an example when it is the stretch's first or a new
 * one, to tell whether an image crosses the cut between two stretches. */
static int job_note_example(file_state *fs)
{
    part_job *j = fs->job;
    if (j->has_examples && fs->image_ordinal == fs->job_ordinal)
        return FL_OK;
    const char *id = fs->image.s ? fs->image.s : "";
    size_t len = fs->col[ROLE_IMAGE] >= 0 ? fs->image.len : 0;
    if (!j->has_examples && text_set(&j->first_ex, id, len) != FL_OK)
        return FL_ENOMEM;
    j->has_examples = 1;
    fs->job_ordinal = fs->image_ordinal;
    return text_set(&j->last_ex, id, len);
}

/* libcsv's states with CSV_STRICT, as far as they tell where records end
 * (last_record_end); BROKEN is where libcsv stops with an error. */
enum csv_scan { SCAN_BETWEEN, SCAN_UNQUOTED, SCAN_QUOTED, SCAN_CLOSED,
                SCAN_SPACED, SCAN_BROKEN };

static int is_csv_space(unsigned char c, char delim)
{
    return (c == ' ' || c == '\t') && c != (unsigned char)delim;
}

/* The state after c in state st, as libcsv's csv_parse moves: a quote
 * opens a field only where the field begins, and after a closing quote
 * only a delimiter, an end of line, spaces or a doubled quote may come. */
static enum csv_scan scan_step(enum csv_scan st, unsigned char c, char delim)
{
    int ends = c == (unsigned char)delim || c == '\r' || c == '\n';
    switch (st) {
    case SCAN_BETWEEN:
        if (c == '"')
            return SCAN_QUOTED;
        return ends || is_csv_space(c, delim) ? SCAN_BETWEEN : SCAN_UNQUOTED;
    case SCAN_UNQUOTED:
        if (c == '"')
            return SCAN_BROKEN;
        return ends ? SCAN_BETWEEN : SCAN_UNQUOTED;
    case SCAN_QUOTED:
        return c == '"' ? SCAN_CLOSED : SCAN_QUOTED;
    case SCAN_CLOSED:
    case SCAN_SPACED:
        if (ends)
            return SCAN_BETWEEN;
        if (is_csv_space(c, delim))
            return SCAN_SPACED;
        return c == '"' && st == SCAN_CLOSED ? SCAN_QUOTED : SCAN_BROKEN;
    case SCAN_BROKEN: /* libcsv stopped: the reader reports this line */
        return c == '\n' ? SCAN_BETWEEN : SCAN_BROKEN;
    }
    return SCAN_BROKEN;
}

/* Return where the last record that ends in buf[0, len) ends (just after a
 * newline outside quotes), or 0 when none does; buf begins a record, and
 * holds a quote only if quoted.  A record libcsv refuses ends at its
 * line's end: reading stops there. */
static size_t last_record_end(const char *buf, size_t len, int quoted,
                              char delim)
{
    if (!quoted) {
        while (len > 0 && buf[len - 1] != '\n')
            len--;
        return len;
    }
    size_t end = 0;
    enum csv_scan st = SCAN_BETWEEN;
    for (size_t i = 0; i < len; i++) {
        st = scan_step(st, (unsigned char)buf[i], delim);
        if (buf[i] == '\n' && st == SCAN_BETWEEN)
            end = i + 1;
    }
    return end;
}

/* Does buf[0, len) end in a line longer than the one-thread reader takes? */
static int ends_too_long(const char *buf, size_t len)
{
    if (len < MAX_LINE - READ_MIN)
        return 0;
    for (size_t i = len - (MAX_LINE - READ_MIN); i < len; i++)
        if (buf[i] == '\n')
            return 0;
    return 1;
}

/* Make *buf hold at least cap bytes; a status after fatal. */
static int buf_fit(file_state *fs, char **buf, size_t *have, size_t cap)
{
    if (*have >= cap)
        return FL_OK;
    char *p = realloc(*buf, cap);
    if (!p) {
        fatal(fs, FL_ENOMEM, 0, "out of memory");
        return FL_ENOMEM;
    }
    *buf = p;
    *have = cap;
    return FL_OK;
}

/* Append up to n bytes to j: those carried over first, then a read.
 * Return the count, 0 at the end of the input, -1 after fatal. */
static long take(file_state *fs, source *src, inbuf *carry, part_job *j,
                 size_t n)
{
    if (carry->len == 0)
        return read_source(fs, src, j->buf + j->len, n);
    if (n > carry->len)
        n = carry->len;
    memcpy(j->buf + j->len, carry->buf, n);
    memmove(carry->buf, carry->buf + n, carry->len - n);
    carry->len -= n;
    return (long)n;
}

/* Put j's bytes from end on back in front of what is carried over. */
static int give_back(file_state *fs, inbuf *carry, part_job *j, size_t end)
{
    size_t rest = j->len - end;
    if (buf_fit(fs, &carry->buf, &carry->cap, carry->len + rest) != FL_OK)
        return fs->status;
    memmove(carry->buf + rest, carry->buf, carry->len);
    memcpy(carry->buf, j->buf + end, rest);
    carry->len += rest;
    j->len = end;
    return FL_OK;
}

/* A read failed after j's bytes: j becomes the last stretch and carries
 * the error, reported after j's whole lines are read (as one thread reads
 * every line before the failing read), unless they hold an error first. */
static int fail_job(file_state *fs, part_job *j)
{
    if (fs->status == FL_ENOMEM)
        return fs->status;
    j->read_status = fs->status;
    j->read_err = *fs->err;
    j->last = 1;
    fs->status = FL_OK;
    return FL_OK;
}

/* Fill j with the next stretch: about part_bytes, cut after its last whole
 * record (more while none ends); what follows the cut is carried over.
 * Return FL_OK, or a status after fatal. */
static int fill_job(file_state *fs, source *src, inbuf *carry, part_job *j,
                    size_t want)
{
    int quoted = 0;
    j->len = 0;
    for (;;) {
        if (buf_fit(fs, &j->buf, &j->cap, want) != FL_OK)
            return fs->status;
        while (j->len < want) {
            /* a read of a piece at a time, searched for quotes while it
             * is in cache; bytes carried over are taken at once (each take
             * moves the rest of them) */
            size_t piece = want - j->len < TAKE_BYTES || carry->len
                               ? want - j->len
                               : TAKE_BYTES;
            long n = take(fs, src, carry, j, piece);
            if (n < 0)
                return fail_job(fs, j);
            if (n == 0) {
                j->last = 1;
                return FL_OK;
            }
            quoted = quoted || memchr(j->buf + j->len, '"', (size_t)n);
            j->len += (size_t)n;
        }
        size_t end = last_record_end(j->buf, j->len, quoted, fs->r->o.delim);
        if (end > 0)
            return give_back(fs, carry, j, end);
        if (ends_too_long(j->buf, j->len)) {
            j->too_long = j->last = 1;
            return FL_OK;
        }
        size_t limit = record_limit(fs->r);
        if (j->len > limit) { /* its first record is longer than that */
            j->too_long_record = j->last = 1;
            return FL_OK;
        }
        want = want > limit / 2 ? limit + 1 : 2 * want;
    }
}

/* A reading state for stretch j on a worker thread: the main state's
 * header, fresh row and image state, j's own counts and error. */
static void job_state(file_state *fs, const splitter *sp, fl_reader *r,
                      part_job *j)
{
    const file_state *m = sp->fs;
    *fs = (file_state){.r = r, .name = m->name, .counts = &j->counts,
                       .sink = sp->parts->add, .ctx = j->part, .err = &j->err,
                       .header_done = 1, .nnames = m->nnames,
                       .need = m->need, .nneed = m->nneed,
                       .borrowed_header = 1,
                       .score_is_prob = m->score_is_prob,
                       .plain = m->plain,
                       .wide_k = m->wide_k, .wide_class = m->wide_class,
                       .bg_class = m->bg_class,
                       .image_ordinal = 0, /* see merge_runs */ .job = j,
                       .job_ordinal = UINT64_MAX};
    memcpy(fs->col, m->col, sizeof fs->col);
}

/* Read stretch j into a new part, as fl_reader_read would read it. */
static void run_job(splitter *sp, fl_reader *r, part_job *j)
{
    file_state fs;
    struct csv_parser csv;
    j->part = sp->parts->part_new(sp->parts->whole, j->index);
    if (!j->part || csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI |
                                       CSV_APPEND_NULL) != 0) {
        j->status = FL_ENOMEM;
        set_error(&j->err, sp->fs->name, 0, "out of memory");
        return;
    }
    csv_set_delim(&csv, (unsigned char)r->o.delim);
    csv_set_blk_size(&csv, 1u << 20);
    r->n = 0;
    r->have_skip = 0;
    r->next_image = 0; /* a part numbers its images from 0 */
    fl_strset_clear(r->images);
    job_state(&fs, sp, r, j);
    /* a wide dump's row of scores is the job's own */
    if (fs.wide_k && !(fs.wide_x = calloc(fs.wide_k + 1, sizeof *fs.wide_x))) {
        j->status = FL_ENOMEM;
        set_error(&j->err, sp->fs->name, 0, "out of memory");
        csv_free(&csv);
        return;
    }
    fs.csv_idle_pstate = csv.pstate;
    size_t clean = 0;
    int at_eof = j->last && !j->too_long && !j->too_long_record &&
                 !j->read_status;
    feed_lines(&fs, &csv, j->buf, j->len, at_eof, &clean);
    if (j->too_long)
        fatal(&fs, FL_EDATA, fs.line + 1, "line longer than 256 MiB");
    if (j->too_long_record && fs.status == FL_OK)
        record_too_long(&fs);
    if (j->read_status && fs.status == FL_OK) {
        fs.status = j->read_status;
        *fs.err = j->read_err;
    }
    if (j->last && fs.status == FL_OK &&
        csv_fini(&csv, on_field, on_row, &fs) != 0)
        fatal(&fs, FL_EDATA, fs.row_line, "unterminated quoted field at the end of the input");
    int st = fs.status == FL_OK ? flush_batch(&fs) : FL_OK;
    if (st != FL_OK)
        fatal(&fs, st, 0, "out of memory");
    j->status = fs.status;
    j->lines = fs.line;
    j->data_rows = fs.data_rows;
    j->have_skip = r->have_skip;
    j->skip = r->first_skip;
    csv_free(&csv);
    file_state_free(&fs);
}

static void *work(void *arg)
{
    worker *w = arg;
    splitter *sp = w->sp;
    pthread_mutex_lock(&sp->lock);
    for (;;) {
        while (sp->taken == sp->filled && !sp->closed)
            pthread_cond_wait(&sp->cond, &sp->lock);
        if (sp->taken == sp->filled)
            break;
        part_job *j = &sp->jobs[sp->taken++ % sp->njobs];
        int stop = sp->stop;
        pthread_mutex_unlock(&sp->lock);
        if (!stop)
            run_job(sp, w->r, j);
        pthread_mutex_lock(&sp->lock);
        j->done = 1;
        pthread_cond_broadcast(&sp->cond);
    }
    pthread_mutex_unlock(&sp->lock);
    free(w);
    return NULL;
}

static void counts_add(fl_counts *into, const fl_counts *from)
{
    into->rows += from->rows;
    into->positives += from->positives;
    into->negatives += from->negatives;
    into->ignored += from->ignored;
    into->images += from->images;
    into->clamped += from->clamped;
    into->skipped += from->skipped;
}

/* Check j's images against those of the stretches before (an image may
 * only go on across the cut), and number them as one thread would: set
 * *first to the ordinal of j's first (the part numbered its own from 0; a
 * file without an image column is one image, the main thread's).  Return
 * 0, or -1 after fatal. */
static int merge_runs(splitter *sp, part_job *j, uint64_t *first)
{
    file_state *fs = sp->fs;
    fl_reader *r = fs->r;
    *first = fs->col[ROLE_IMAGE] < 0 ? fs->image_ordinal : r->next_image;
    for (size_t i = 0; i < j->nruns; i++) {
        const char *id = j->run_ids.s + j->runs[i].off;
        size_t len = j->runs[i].len;
        if (i == 0 && sp->have_last_run && text_eq(&sp->last_run, id, len)) {
            j->counts.images--; /* counted before the cut */
            *first = r->next_image - 1;
            continue;
        }
        int added = fl_strset_add(r->images, id, len);
        if (added < 0)
            fatal(fs, FL_ENOMEM, 0, "out of memory");
        else if (added == 0)
            image_again(fs, id, len, sp->line_base + j->runs[i].line);
        if (added <= 0)
            return -1;
        if (keep_image_name(r, r->next_image++, id, len) != FL_OK) {
            fatal(fs, FL_ENOMEM, 0, "out of memory");
            return -1;
        }
    }
    if (j->nruns == 0)
        return 0;
    const run *last = &j->runs[j->nruns - 1];
    sp->have_last_run = 1;
    if (text_set(&sp->last_run, j->run_ids.s + last->off, last->len) != FL_OK) {
        fatal(fs, FL_ENOMEM, 0, "out of memory");
        return -1;
    }
    return 0;
}

/* Fold stretch j, the next in input order, into the main state. */
static void merge_job(splitter *sp, part_job *j)
{
    file_state *fs = sp->fs;
    uint64_t first_image;
    if (fs->status != FL_OK || merge_runs(sp, j, &first_image) < 0)
        return;
    if (j->status != FL_OK) {
        fs->status = j->status;
        *fs->err = j->err;
        if (j->err.line)
            fs->err->line += sp->line_base;
        return;
    }
    fl_reader *r = fs->r;
    if (j->have_skip && !r->have_skip) {
        r->first_skip = j->skip;
        r->first_skip.line += sp->line_base;
        r->have_skip = 1;
    }
    counts_add(fs->counts, &j->counts);
    fs->data_rows += j->data_rows;
    int continues = j->has_examples && sp->have_last_ex &&
                    text_eq(&sp->last_ex, j->first_ex.s, j->first_ex.len);
    if ((j->nruns || j->has_examples) && sp->parts->number_images)
        sp->parts->number_images(j->part, first_image);
    int st = sp->parts->merge(sp->parts->whole, j->part, continues);
    if (st != FL_OK)
        fatal(fs, st, 0, "out of memory");
    if (j->has_examples) {
        sp->have_last_ex = 1;
        if (text_set(&sp->last_ex, j->last_ex.s, j->last_ex.len) != FL_OK)
            fatal(fs, FL_ENOMEM, 0, "out of memory");
    }
    sp->line_base += j->lines;
}

/* Wait for the oldest stretch not merged, merge it and free its slot. */
static void merge_next(splitter *sp)
{
    part_job *j = &sp->jobs[sp->merged % sp->njobs];
    pthread_mutex_lock(&sp->lock);
    while (!j->done)
        pthread_cond_wait(&sp->cond, &sp->lock);
    pthread_mutex_unlock(&sp->lock);
    merge_job(sp, j);
    sp->parts->part_free(j->part);
    j->part = NULL;
    sp->merged++;
    if (sp->fs->status != FL_OK) {
        pthread_mutex_lock(&sp->lock);
        sp->stop = 1;
        pthread_mutex_unlock(&sp->lock);
    }
}

/* Empty slot j for stretch index, keeping its buffers. */
static void job_reset(part_job *j, uint64_t index)
{
    part_job keep = *j;
    *j = (part_job){.buf = keep.buf, .cap = keep.cap, .index = index,
                    .run_ids = keep.run_ids, .runs = keep.runs,
                    .runs_cap = keep.runs_cap, .first_ex = keep.first_ex,
                    .last_ex = keep.last_ex, .status = FL_OK};
    j->run_ids.len = 0;
}

static void job_free(part_job *j)
{
    free(j->buf);
    free(j->run_ids.s);
    free(j->runs);
    free(j->first_ex.s);
    free(j->last_ex.s);
}

/* Start up to n workers; return how many started. */
static int start_workers(splitter *sp, int n)
{
    sp->threads = calloc((size_t)n, sizeof *sp->threads);
    sp->readers = calloc((size_t)n, sizeof *sp->readers);
    if (!sp->threads || !sp->readers)
        return 0;
    fl_reader_opts o = sp->fs->r->o;
    o.progress = NULL;
    o.keep_image_names = 0; /* the main thread names them as it merges */
    while (sp->nthreads < n) {
        fl_reader *r = fl_reader_new(&o);
        worker *w = malloc(sizeof *w);
        if (!r || !w) {
            fl_reader_free(r);
            free(w);
            break;
        }
        *w = (worker){sp, r};
        r->numbering = sp->fs->r;
        r->numbering_lock = &sp->lock;
        if (pthread_create(&sp->threads[sp->nthreads], NULL, work, w) != 0) {
            fl_reader_free(r);
            free(w);
            break;
        }
        sp->readers[sp->nthreads++] = r;
    }
    return sp->nthreads;
}

static void stop_workers(splitter *sp)
{
    pthread_mutex_lock(&sp->lock);
    sp->closed = 1;
    if (sp->fs->status != FL_OK)
        sp->stop = 1;
    pthread_cond_broadcast(&sp->cond);
    pthread_mutex_unlock(&sp->lock);
    while (sp->merged < sp->filled)
        merge_next(sp);
    for (int t = 0; t < sp->nthreads; t++)
        pthread_join(sp->threads[t], NULL);
    for (int t = 0; t < sp->nthreads; t++)
        fl_reader_free(sp->readers[t]);
}

/* Hand the stretches of the input to the workers, merging their parts in
 * input order as slots come free. */
static void split_input(splitter *sp, source *src, inbuf *carry)
{
    file_state *fs = sp->fs;
    for (uint64_t k = 0; fs->status == FL_OK; k++) {
        if (sp->filled - sp->merged == sp->njobs)
            merge_next(sp);
        if (fs->status != FL_OK)
            break;
        part_job *j = &sp->jobs[k % sp->njobs];
        job_reset(j, k);
        if (fill_job(fs, src, carry, j, sp->part_bytes) != FL_OK)
            break;
        pthread_mutex_lock(&sp->lock);
        sp->filled++;
        pthread_cond_broadcast(&sp->cond);
        pthread_mutex_unlock(&sp->lock);
        if (j->last)
            break;
    }
}

/* Read the rest of the input (after the header) in parts on threads.
 * Return 0, or -1 when no thread could start (nothing read then). */
static int read_in_parts(file_state *fs, source *src, inbuf *carry,
                         const fl_parts *parts, int threads)
{
    splitter sp = {.fs = fs, .parts = parts, .njobs = 2 * (size_t)threads,
                   .line_base = fs->line};
    /* 4 MiB parts, smaller with many threads so that memory stays bounded */
    sp.part_bytes = fs->r->o.part_bytes;
    if (!sp.part_bytes) {
        sp.part_bytes = PARTS_IN_FLIGHT / sp.njobs;
        sp.part_bytes = sp.part_bytes > PART_BYTES ? PART_BYTES
                        : sp.part_bytes < PART_BYTES_MIN ? PART_BYTES_MIN
                                                         : sp.part_bytes;
    }
    sp.jobs = calloc(sp.njobs, sizeof *sp.jobs);
    int ok = sp.jobs && pthread_mutex_init(&sp.lock, NULL) == 0;
    if (ok && pthread_cond_init(&sp.cond, NULL) != 0) {
        pthread_mutex_destroy(&sp.lock);
        ok = 0;
    }
    if (ok && start_workers(&sp, threads) > 0) {
        split_input(&sp, src, carry);
        stop_workers(&sp);
    }
    if (ok) {
        pthread_cond_destroy(&sp.cond);
        pthread_mutex_destroy(&sp.lock);
    }
    for (size_t i = 0; sp.jobs && i < sp.njobs; i++)
        job_free(&sp.jobs[i]);
    free(sp.jobs);
    free(sp.threads);
    free(sp.readers);
    free(sp.last_run.s);
    free(sp.last_ex.s);
    return sp.nthreads > 0 ? 0 : -1;
}

/* Can the rest of this file be read in parts?  Not when the header's
 * line held more than the header. */
static int can_split(const file_state *fs, const struct csv_parser *csv)
{
    return fs->status == FL_OK && fs->header_done && fs->data_rows == 0 &&
           csv_idle(fs, csv);
}

static int read_file(fl_reader *r, const char *path, fl_batch_sink sink,
                     void *ctx, const fl_parts *parts, int threads,
                     fl_counts *counts, fl_error *err)
{
    file_state fs = {.r = r, .name = fl_reader_display_name(path),
                     .counts = counts, .sink = sink, .ctx = ctx, .err = err};
    struct csv_parser csv;
    source src;
    inbuf in = {0};

    r->n = 0;
    r->wide_k = 0;
    fl_strset_clear(r->images);
    if (csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return FL_ENOMEM;
    csv_set_delim(&csv, (unsigned char)r->o.delim);
    /* libcsv grows a field by blk_size at a time: its default (128 bytes)
     * makes a field of megabytes cost quadratic copying */
    csv_set_blk_size(&csv, 1u << 20);
    fs.csv_idle_pstate = csv.pstate;
    if (open_source(&fs, path, &src) == FL_OK) {
        fs.header_only = parts && threads > 1;
        int end = pump(&fs, &src, &csv, &in);
        fs.header_only = 0;
        if (!end && can_split(&fs, &csv))
            end = read_in_parts(&fs, &src, &in, parts, threads) == 0;
        if (!end)
            pump(&fs, &src, &csv, &in);
        if (fs.status == FL_OK && csv_fini(&csv, on_field, on_row, &fs) != 0)
            fatal(&fs, FL_EDATA, fs.row_line, "unterminated quoted field at the end of the input");
        if ((src.gz ? gzclose(src.gz) != Z_OK : close(src.fd) != 0) &&
            fs.status == FL_OK)
            fatal(&fs, FL_EIO, 0, "%s", "read error");
        check_end(&fs);
    }
    free(in.buf);
    csv_free(&csv);
    file_state_free(&fs);
    counts->files++;
    counts->classes = fl_strset_size(r->classes);
    return fs.status;
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
