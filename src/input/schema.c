/* schema.c: which column plays which role, from the header's names.
 *
 * Columns are found by name, case-insensitively, or named by the options;
 * a wide dump's K score columns by their prefix and number.  Whatever the
 * format, it hands the header's names here one by one and then asks for
 * the roles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/input.h"
#include "input/schema.h"

static const char *const logit_names[] = {"logit", "logits", "x", NULL};
static const char *const prob_names[] = {"score", "prob", "p", NULL};
static const char *const label_names[] = {"label", "target", "y", NULL};
static const char *const image_names[] = {"image_id", "image", "img", NULL};
static const char *const class_names[] = {"class", "class_id", "cls", NULL};
static const char *const wide_logit_prefixes[] = {"logit_", "logits_", NULL};
static const char *const wide_prob_prefixes[] = {"prob_", "score_", NULL};
static const char *const background_names[] = {"background", "bg", NULL};

void fl_schema_add_name(fl_file *fs, const char *s, size_t len)
{
    fl_schema *sc = fs->schema;
    if (sc->nnames == sc->names_cap) {
        size_t cap = sc->names_cap ? 2 * sc->names_cap : 16;
        char **p = realloc(sc->names, cap * sizeof *p);
        if (!p) {
            fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
            return;
        }
        sc->names = p;
        sc->names_cap = cap;
    }
    char *name = malloc(len + 1);
    if (!name) {
        fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
        return;
    }
    if (len)
        memcpy(name, s, len);
    name[len] = '\0';
    sc->names[sc->nnames++] = name;
}

/* Return the index of the column called name, -1 if none, -2 (after
 * reporting) if it appears more than once. */
static long find_column(fl_file *fs, const char *name)
{
    fl_schema *sc = fs->schema;
    long found = -1;
    for (size_t i = 0; i < sc->nnames; i++) {
        if (strcasecmp(sc->names[i], name) != 0)
            continue;
        if (found >= 0) {
            fl_file_fatal(fs, FL_EDATA, fs->row_line,
                          "column '%s' appears more than once in the header",
                          name);
            return -2;
        }
        found = (long)i;
    }
    return found;
}

static long find_any(fl_file *fs, const char *const *names)
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
static long resolve(fl_file *fs, const char *override, const char *option,
                    const char *const *names)
{
    if (!override)
        return find_any(fs, names);
    long c = find_column(fs, override);
    if (c == -1)
        fl_file_fatal(fs, FL_EDATA, fs->row_line,
                      "no column '%s' in the header (%s)", override, option);
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
    if (n == 0 || n > 6 || (d[0] == '0' && n > 1) ||
        strspn(d, "0123456789") != n)
        return -1;
    return strtol(d, NULL, 10);
}

/* Find the columns prefix0 .. prefix{K-1}; return K, 0 when there is none,
 * -1 after reporting a gap or a repeat. */
static long find_wide(fl_file *fs, const char *prefix)
{
    fl_schema *sc = fs->schema;
    long k = 0, max = -1;
    for (size_t i = 0; i < sc->nnames; i++) {
        long j = wide_index(sc->names[i], prefix);
        if (j >= 0) {
            k++;
            max = j > max ? j : max;
        }
    }
    if (k == 0)
        return 0;
    sc->wide_col = malloc((size_t)(max + 1) * sizeof *sc->wide_col);
    if (!sc->wide_col) {
        fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
        return -1;
    }
    for (long j = 0; j <= max; j++)
        sc->wide_col[j] = -1;
    for (size_t i = 0; i < sc->nnames; i++) {
        long j = wide_index(sc->names[i], prefix);
        if (j < 0)
            continue;
        if (sc->wide_col[j] >= 0) {
            fl_file_fatal(fs, FL_EDATA, fs->row_line,
                          "column '%s' appears more than once in the header",
                          sc->names[i]);
            return -1;
        }
        sc->wide_col[j] = (long)i;
    }
    for (long j = 0; j <= max; j++)
        if (sc->wide_col[j] < 0) {
            fl_file_fatal(fs, FL_EDATA, fs->row_line,
                          "wide columns %s0..%s%ld lack %s%ld", prefix, prefix,
                          max, prefix, j);
            return -1;
        }
    return k;
}

/* The background logit of a softmax dump: --background, else PREFIXbg,
 * else background or bg.  Return 1, or -1 after an error. */
static int resolve_background(fl_file *fs, const char *prefix)
{
    fl_schema *sc = fs->schema;
    const fl_reader_opts *o = &fs->r->o;
    long c = -1;
    if (sc->score_is_prob) {
        fl_file_fatal(fs, FL_EDATA, fs->row_line,
                      "--softmax reads logits, not "
                      "probabilities");
        return -1;
    }
    if (o->cols.background) {
        c = resolve(fs, o->cols.background, "--background", background_names);
    } else {
        for (size_t i = 0; i < sc->nnames && c < 0; i++) {
            size_t plen = strlen(prefix);
            if (strncasecmp(sc->names[i], prefix, plen) == 0 &&
                strcasecmp(sc->names[i] + plen, "bg") == 0)
                c = (long)i;
        }
        if (c < 0)
            c = find_any(fs, background_names);
        if (c == -1)
            fl_file_fatal(
                fs, FL_EDATA, fs->row_line,
                "--softmax needs a background "
                "logit column (%sbg, background or bg; or --background)",
                prefix);
    }
    if (c < 0)
        return -1;
    sc->col[ROLE_BG] = c;
    if (fl_number_class(fs->r, "background", 10, &sc->bg_class) != FL_OK) {
        fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
        return -1;
    }
    return 1;
}

/* Is the file wide?  Forced by --wide or --wide-prob, else when it has no
 * long-format score column but has logit_0.. or prob_0.. columns.  Return
 * 1 when wide (columns set), 0 when long, -1 after an error. */
static int resolve_wide(fl_file *fs)
{
    fl_schema *sc = fs->schema;
    const fl_reader_opts *o = &fs->r->o;
    const char *forced = o->wide ? o->wide : o->wide_prob;
    long k = 0;
    if (forced) {
        k = find_wide(fs, forced);
        if (k == 0)
            fl_file_fatal(fs, FL_EDATA, fs->row_line,
                          "no columns %s0, %s1, ... in the "
                          "header (%s)",
                          forced, forced, o->wide ? "--wide" : "--wide-prob");
        sc->score_is_prob = !o->wide;
    } else {
        if (o->cols.logit || o->cols.prob || find_any(fs, logit_names) != -1 ||
            find_any(fs, prob_names) != -1)
            return 0;
        for (const char *const *p = wide_logit_prefixes; *p && k == 0; p++)
            k = find_wide(fs, forced = *p);
        for (const char *const *p = wide_prob_prefixes; *p && k == 0; p++) {
            k = find_wide(fs, forced = *p);
            sc->score_is_prob = 1;
        }
    }
    if (k <= 0)
        return k < 0 || o->wide || o->wide_prob ? -1 : 0;
    sc->wide_k = (size_t)k;
    sc->wide_prefix = forced;
    fs->r->wide_k = (size_t)k;
    fs->counts->wide_k = (uint64_t)k;
    fs->counts->labels = (int)o->labels;
    if (o->labels == FL_LABELS_NONE) {
        char choices[96];
        fl_file_fatal(fs, FL_EINVAL, 0,
                      "a wide dump (%s0..%s%ld) needs --labels %s: how its "
                      "label column numbers the classes, the background "
                      "and ignored anchors (see 'man flstat')",
                      forced, forced, k - 1,
                      fl_labels_choices(choices, sizeof choices));
        return -1;
    }
    fs->wide_x = calloc((size_t)k + 1, sizeof *fs->wide_x);
    sc->wide_class = calloc((size_t)k, sizeof *sc->wide_class);
    if (!fs->wide_x || !sc->wide_class) {
        fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
        return -1;
    }
    for (long j = 0; j < k; j++) {
        char name[24];
        int n = snprintf(name, sizeof name, "%ld", j);
        if (fl_number_class(fs->r, name, (size_t)n, &sc->wide_class[j]) !=
            FL_OK) {
            fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
            return -1;
        }
    }
    return o->softmax ? resolve_background(fs, forced) : 1;
}

/* A header read as one column that holds tabs or spaces was most likely
 * split by them (a TSV file, numpy's savetxt): the option that reads it. */
static const char *delim_hint(const fl_file *fs)
{
    const fl_schema *sc = fs->schema;
    if (sc->nnames != 1)
        return "";
    if (strchr(sc->names[0], '\t'))
        return "; the header holds tabs: is it tab-separated? (--delim tab)";
    if (strchr(sc->names[0], ' '))
        return "; the header holds spaces: is it space-separated, as numpy's "
               "savetxt writes? (--delim ' ')";
    return "";
}

static void resolve_score(fl_file *fs)
{
    fl_schema *sc = fs->schema;
    const fl_columns *c = &fs->r->o.cols;
    long score;
    if (c->prob) {
        score = resolve(fs, c->prob, "--prob", prob_names);
        sc->score_is_prob = 1;
    } else {
        score = resolve(fs, c->logit, "--logit", logit_names);
        if (score == -1 && !c->logit) {
            score = find_any(fs, prob_names);
            sc->score_is_prob = 1;
        }
    }
    if (score == -1 && !c->logit && !c->prob)
        fl_file_fatal(fs, FL_EDATA, fs->row_line,
                      "no logit column (logit, logits, x) "
                      "and no probability column (score, prob, p)%s",
                      delim_hint(fs));
    sc->col[ROLE_SCORE] = score;
}

/* The columns read, in the order they appear. */
static void list_needed(fl_file *fs)
{
    fl_schema *sc = fs->schema;
    sc->need = malloc((ROLE_COUNT + sc->wide_k) * sizeof *sc->need);
    if (!sc->need) {
        fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
        return;
    }
    for (size_t i = 0; i < sc->nnames; i++) {
        for (int k = 0; k < ROLE_COUNT; k++)
            if (sc->col[k] == (long)i)
                sc->need[sc->nneed++] = (fl_need){i, (enum fl_role)k, 0};
        for (size_t k = 0; k < sc->wide_k; k++)
            if (sc->wide_col[k] == (long)i)
                sc->need[sc->nneed++] = (fl_need){i, ROLE_WIDE, k};
    }
}

/* Note in the counts how the first file's scores are read, for the
 * report. */
static void note_score(fl_file *fs)
{
    fl_schema *sc = fs->schema;
    fl_counts *c = fs->counts;
    if (c->score_column[0])
        return;
    c->score_is_prob = sc->score_is_prob;
    snprintf(c->score_column, sizeof c->score_column, "%s",
             sc->wide_k ? sc->wide_prefix : sc->names[sc->col[ROLE_SCORE]]);
}

void fl_schema_resolve(fl_file *fs)
{
    fl_schema *sc = fs->schema;
    const fl_columns *c = &fs->r->o.cols;
    for (int k = 0; k < ROLE_COUNT; k++)
        sc->col[k] = -1;
    int wide = resolve_wide(fs);
    if (wide == 0 && fs->r->o.softmax)
        fl_file_fatal(fs, FL_EDATA, fs->row_line,
                      "--softmax needs a wide dump (K "
                      "logit columns and a background logit)");
    if (wide == 0)
        resolve_score(fs);
    long label = resolve(fs, c->label, "--label", label_names);
    if (label == -1 && !c->label)
        fl_file_fatal(fs, FL_EDATA, fs->row_line,
                      "no label column (label, target, y)");
    sc->col[ROLE_LABEL] = label;
    sc->col[ROLE_IMAGE] = resolve(fs, c->image, "--image", image_names);
    if (wide == 0)
        sc->col[ROLE_CLASS] = resolve(fs, c->klass, "--class", class_names);
    if (fs->status != FL_OK)
        return;
    fs->header_done = 1;
    note_score(fs);
    sc->plain = sc->wide_k == 0;
    list_needed(fs);
    if (sc->col[ROLE_IMAGE] < 0 && fl_number_file_image(fs) != FL_OK)
        fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
}
