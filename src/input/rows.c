/* rows.c: a row's values to examples: counts, images, classes, batches.
 *
 * A long dump's row is one example; a wide dump's is K, one per class,
 * positive in the anchor's class; a softmax anchor is one, the margin of
 * its true output.  Whatever the format, it fills the row and calls
 * fl_row_done. */
#include "core/loss.h"
#include "input/input.h"
#include "input/schema.h"

static void skip_row(fl_file *fs)
{
    fl_reader *r = fs->r;
    fs->counts->skipped++;
    if (!r->have_skip) {
        fl_set_error(&r->first_skip, fs->name, fs->row_line, "%s", fs->row_msg);
        r->have_skip = 1;
    }
}


/* A softmax anchor is one example: the margin of its true output. */
static void accept_softmax(fl_file *fs, long pos)
{
    fl_schema *sc = fs->schema;
    size_t k = sc->wide_k, t = pos >= 0 ? (size_t)pos : k;
    double margin = fl_softmax_margin(fs->wide_x, k + 1, t);
    if (pos >= 0)
        fs->counts->positives++;
    else
        fs->counts->negatives++;
    fl_push_example(fs, pos >= 0 ? margin : -margin, pos >= 0,
                 pos >= 0 ? sc->wide_class[pos] : sc->bg_class);
}

/* A wide row is K examples: k is positive when the anchor's class is k. */
static void accept_wide(fl_file *fs)
{
    fl_schema *sc = fs->schema;
    size_t k = sc->wide_k;
    long pos = fs->label; /* a column, or FL_LABEL_BACKGROUND or _IGNORED */
    if (pos == FL_LABEL_IGNORED) {
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
        fl_push_example(fs, fs->wide_x[i], (long)i == pos, sc->wide_class[i]);
}

static void accept_row(fl_file *fs)
{
    int st = fl_number_row_image(fs);
    if (st == FL_OK)
        st = fl_number_row_class(fs);
    if (st != FL_OK) {
        if (st == FL_ENOMEM)
            fl_file_fatal(fs, st, 0, "out of memory");
        return;
    }
    fs->counts->rows++;
    fs->counts->clamped += fs->row_clamped;
    if (fs->schema->wide_k) {
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
    fl_push_example(fs, fs->x, fs->label, fs->row_class_idx);
}

void fl_row_done(fl_file *fs, size_t nfields)
{
    fl_schema *sc = fs->schema;
    if (fs->status != FL_OK)
        return;
    if (!fs->header_done) {
        fl_schema_resolve(fs);
        return;
    }
    fs->data_rows++;
    if (nfields != sc->nnames) {
        fs->row_bad = 0; /* the field count explains any other problem */
        fl_row_error(fs, "expected %zu fields, found %zu", sc->nnames, nfields);
    }
    if (!fs->row_bad)
        accept_row(fs);
    else if (fs->r->o.skip_bad)
        skip_row(fs);
    else
        fl_file_fatal(fs, FL_EDATA, fs->row_line, "%s", fs->row_msg);
    fs->row_bad = 0;
    fs->row_clamped = 0;
}
