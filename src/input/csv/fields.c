/* fields.c: each field of a CSV record to its role, as text to values. */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "core/loss.h"
#include "input/csv/csv_file.h"
#include "input/csv/numparse.h"
#include "input/input.h"

/* fl_parse_decimal_padded (the bytes up to s + 48 may be read) with AVX2
 * where the reader has it, for scores parsed one by one. */
#ifdef FL_NUM_AVX2
FL_TARGET_AVX2 static int parse_padded_avx2(const fl_csv_scratch *k,
                                            const char *s, size_t len,
                                            double *out)
{
    return fl_parse_decimal_avx2(&k->nk, s, len, out);
}
#endif

/* The score at s[0, len) by the padded parsers, when the field lies in the
 * input buffer with 48 bytes of it after s (cf->readable): return 1 with
 * *out set, 0 to leave it to fl_parse_double. */
static inline int parse_in_buffer(const csv_file *cf, const char *s,
                                  size_t len, double *out)
{
    if (!cf->readable || s + FL_FIELD_ROOM > cf->readable)
        return 0;
#ifdef FL_NUM_AVX2
    if (cf->f.r->avx2)
        return parse_padded_avx2(cf->k, s, len, out);
#endif
    return fl_parse_decimal_padded(s, len, out);
}

static const char *const num_problem[] = {
    [FL_NUM_JUNK] = "is not a number",
    [FL_NUM_RANGE] = "is out of range",
    [FL_NUM_NONFINITE] = "is not finite",
};

/* A score field that is its column's name: the header, again. */
static int is_header_again(const fl_file *fs, size_t col, const char *s,
                           size_t len)
{
    const char *name = fs->schema->names[col];
    return strlen(name) == len && memcmp(name, s, len) == 0;
}

static void parse_score(csv_file *cf, const char *s, size_t len, double *dst,
                        size_t col)
{
    fl_file *fs = &cf->f;
    const char *what = fs->schema->score_is_prob ? "probability" : "logit";
    char q[64];
    double v;
    enum fl_num st = FL_NUM_OK;
    /* a wide dump's many scores go through here: the padded parser where
     * the bytes after the field may be read */
    if (!parse_in_buffer(cf, s, len, &v))
        st = fl_parse_double(s, len, &v);
    if (st == FL_NUM_EMPTY) {
        fl_row_error(fs, "empty %s", what);
        return;
    }
    if (st == FL_NUM_JUNK && is_header_again(fs, col, s, len)) {
        fl_row_error(fs, "the header again, in the data (dumps joined with "
                         "cat?): keep the first file's header line only, or "
                         "give the files to flstat one by one");
        return;
    }
    if (st != FL_NUM_OK) {
        fl_quote_field(q, sizeof q, s, len);
        fl_row_error(fs, "%s '%s' %s", what, q, num_problem[st]);
        return;
    }
    if (fs->schema->score_is_prob) {
        if (!(v >= 0.0 && v <= 1.0)) {
            fl_quote_field(q, sizeof q, s, len);
            fl_row_error(fs, "probability '%s' is outside [0, 1]", q);
            return;
        }
        int clamped;
        v = fl_logit_from_prob(v, fs->r->o.eps, &clamped);
        fs->row_clamped += (uint64_t)clamped;
    }
    *dst = v;
}

/* A wide dump's label: under the label convention, the positive column,
 * or FL_LABEL_BACKGROUND or FL_LABEL_IGNORED. */
static void parse_class_label(fl_file *fs, const char *s, size_t len,
                              enum fl_num st, double v)
{
    enum fl_labels conv = fs->r->o.labels;
    size_t k = fs->schema->wide_k;
    long c = st == FL_NUM_OK ? fl_labels_classify(conv, v, k) : FL_LABEL_BAD;
    if (c == FL_LABEL_BAD) {
        char q[64];
        fl_quote_field(q, sizeof q, s, len);
        fl_row_error(fs, "label '%s' is not a code of --labels %s (%s; K = %zu)",
                     q, fl_labels_name(conv), fl_labels_numbering(conv), k);
        return;
    }
    fs->label = (int)c;
}

/* Whether s[0, len) is true or false, in any case: *label 1 or 0. */
static int is_bool(const char *s, size_t len, int *label)
{
    if (len == 4 && strncasecmp(s, "true", 4) == 0)
        *label = 1;
    else if (len == 5 && strncasecmp(s, "false", 5) == 0)
        *label = 0;
    else
        return 0;
    return 1;
}

static void parse_label(fl_file *fs, const char *s, size_t len)
{
    fl_schema *sc = fs->schema;
    if (len == 1 && (s[0] == '0' || s[0] == '1') && !sc->wide_k) {
        fs->label = s[0] - '0';
        return;
    }
    if (len == 2 && s[0] == '-' && s[1] == '1' && !sc->wide_k) {
        fs->label = -1;
        return;
    }
    if (!sc->wide_k && is_bool(s, len, &fs->label)) /* pandas writes */
        return;
    double v;
    enum fl_num st = fl_parse_double(s, len, &v);
    if (st == FL_NUM_EMPTY) {
        fl_row_error(fs, "empty label");
        return;
    }
    if (sc->wide_k) {
        parse_class_label(fs, s, len, st, v);
        return;
    }
    if (st != FL_NUM_OK || !(v == 1.0 || v == 0.0 || v == -1.0)) {
        char q[64];
        fl_quote_field(q, sizeof q, s, len);
        fl_row_error(fs, "label '%s' is not 1, 0 or -1 (or true, false)", q);
        return;
    }
    fs->label = (int)v;
}

/* Compare an id field with the current one in place, and copy it only when
 * it differs: ids change far less often than rows. */
static void note_id(fl_file *fs, const fl_text *current, fl_text *row,
                    int *same, const char *s, size_t len)
{
    *same =
        current->s && current->len == len && memcmp(current->s, s, len) == 0;
    if (!*same && fl_text_set(row, s, len) != FL_OK)
        fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
}

static void role_field(csv_file *cf, const fl_need *nd, const char *s,
                       size_t len)
{
    fl_file *fs = &cf->f;
    switch (nd->role) {
    case ROLE_SCORE:
        parse_score(cf, s, len, &fs->x, nd->col);
        break;
    case ROLE_WIDE:
        parse_score(cf, s, len, &fs->wide_x[nd->k], nd->col);
        break;
    case ROLE_BG:
        parse_score(cf, s, len, &fs->wide_x[fs->schema->wide_k],
                    nd->col);
        break;
    case ROLE_LABEL:
        parse_label(fs, s, len);
        break;
    case ROLE_IMAGE:
        note_id(fs, &fs->image, &fs->row_image, &fs->row_image_same, s, len);
        break;
    case ROLE_CLASS:
        fs->row_class_num = fl_small_id(s, len);
        if (fs->row_class_num < 0)
            note_id(fs, &fs->last_class, &fs->row_class, &fs->row_class_same,
                    s, len);
        break;
    case ROLE_COUNT:
        break;
    }
}

void fl_csv_data_field(csv_file *cf, const char *s, size_t len)
{
    const fl_schema *sc = cf->f.schema;
    for (int k = 0; k < sc->nneed; k++)
        if (sc->need[k].col == cf->field)
            role_field(cf, &sc->need[k], s, len);
}

/* libcsv drops spaces and tabs around an unquoted field, but never the
 * delimiter itself. */
static int is_trimmed(char c, char delim)
{
    return (c == ' ' || c == '\t') && c != delim;
}

void fl_csv_fast_fields(csv_file *cf, const char *s, const uint32_t *cuts,
                        size_t nfields, const char *readable)
{
    fl_file *fs = &cf->f;
    char delim = fs->r->o.delim;
    fs->row_line = fs->line;
    cf->readable = readable;
    int wide_logits = fs->schema->wide_k && !fs->schema->score_is_prob;
    for (int k = 0; k < fs->schema->nneed; k++) {
        const fl_need *nd = &fs->schema->need[k];
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
            parse_in_buffer(cf, fb, (size_t)(fe - fb), &fs->wide_x[nd->k]))
            continue;
        /* (unsigned char)c <= ' ' first: fields rarely start or end blank */
        while (fb < fe && (unsigned char)*fb <= ' ' && is_trimmed(*fb, delim))
            fb++;
        while (fe > fb && (unsigned char)fe[-1] <= ' ' &&
               is_trimmed(fe[-1], delim))
            fe--;
        role_field(cf, nd, fb, (size_t)(fe - fb));
    }
    cf->readable = NULL;
    cf->field = 0;
    fl_row_done(fs, nfields);
}

