/* report.c: summarize's tables, json document and human summary. */
#include "output/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "input/labels.h"

const char *const fl_report_columns[FL_REPORT_NCOLS] = {
    "loss", "group", "count", "loss_sum", "loss_share",
    "grad_sum", "grad_share", "loss_per_pos",
};

/* One row of a report, its shares already divided. */
typedef struct row {
    enum fl_loss loss;
    int group; /* -1: all */
    fl_cell cell;
    double loss_sum, loss_share, grad_sum, grad_share, per_pos;
} row;

static double ratio(double a, double b)
{
    return b != 0.0 ? a / b : NAN;
}

/* The row of loss and group (-1: all) over cells, with positives for the
 * loss per positive. */
static row cells_row(const fl_cell cells[FL_LOSS_COUNT][FL_GROUP_COUNT],
                     uint64_t positives, enum fl_loss loss, int group)
{
    fl_cell total = {0};
    for (int g = 0; g < FL_GROUP_COUNT; g++)
        fl_cell_merge(&total, &cells[loss][g]);
    row r = {.loss = loss, .group = group};
    r.cell = group < 0 ? total : cells[loss][group];
    r.loss_sum = fl_ksum_value(&r.cell.loss);
    r.grad_sum = fl_ksum_value(&r.cell.grad);
    r.loss_share = ratio(r.loss_sum, fl_ksum_value(&total.loss));
    r.grad_share = ratio(r.grad_sum, fl_ksum_value(&total.grad));
    r.per_pos = ratio(r.loss_sum, (double)positives);
    return r;
}

/* A softmax report leaves out the sigmoid-only losses (FL*). */
static int loss_shown(const fl_summary *s, int loss)
{
    return !(s->params.softmax &&
             (fl_loss_info_of((enum fl_loss)loss)->flags & FL_LOSS_SIGMOID));
}

static row make_row(const fl_summary *s, const fl_counts *c,
                    enum fl_loss loss, int group)
{
    return cells_row(s->cell, c->positives, loss, group);
}

static const char *group_label(int group)
{
    return group < 0 ? "all" : fl_group_name((enum fl_group)group);
}

fl_table *fl_report_table(const fl_summary *s, const fl_counts *c)
{
    fl_table *t = fl_table_new(FL_REPORT_NCOLS, fl_report_columns);
    if (!t)
        return NULL;
    for (int k = 0; k < FL_LOSS_COUNT; k++)
        for (int g = -1; g < FL_GROUP_COUNT && loss_shown(s, k); g++) {
            row r = make_row(s, c, (enum fl_loss)k, g);
            fl_value v[FL_REPORT_NCOLS] = {
                fl_str(fl_loss_name(r.loss)), fl_str(group_label(g)),
                fl_uint(r.cell.count),        fl_real(r.loss_sum),
                fl_real(r.loss_share),        fl_real(r.grad_sum),
                fl_real(r.grad_share),        fl_real(r.per_pos),
            };
            if (fl_table_add(t, v) != FL_OK) {
                fl_table_free(t);
                return NULL;
            }
        }
    return t;
}

/* ---- json ---- */

static void json_uint(FILE *out, const char *key, uint64_t v, int last)
{
    fprintf(out, "    \"%s\": %llu%s\n", key, (unsigned long long)v,
            last ? "" : ",");
}

static void json_param(FILE *out, const char *key, double v, int last)
{
    fprintf(out, "    \"%s\": ", key);
    fl_json_real(out, v);
    fputs(last ? "\n" : ",\n", out);
}

static const char *ohem_mode_name(enum fl_ohem_mode m)
{
    return m == FL_OHEM_TOP ? "top" : m == FL_OHEM_RATIO ? "ratio" : "ssd";
}

const char *fl_report_score_name(char *buf, size_t cap, const fl_counts *c)
{
    if (c->wide_k)
        snprintf(buf, cap, "%s0..%s%llu", c->score_column, c->score_column,
                 (unsigned long long)(c->wide_k - 1));
    else
        snprintf(buf, cap, "%s", c->score_column);
    return buf;
}

static void json_params(FILE *out, const fl_params *p, const fl_counts *c)
{
    fputs("  \"parameters\": {\n", out);
    json_param(out, "alpha", p->alpha_on ? p->alpha : NAN, 0);
    json_param(out, "gamma", p->gamma, 0);
    json_param(out, "easy", p->easy, 0);
    json_param(out, "star_gamma", p->star_gamma, 0);
    json_param(out, "star_beta", p->star_beta, 0);
    fprintf(out, "    \"ohem_mode\": \"%s\",\n", ohem_mode_name(p->ohem_mode));
    json_uint(out, "ohem_batch", p->ohem_batch, 0);
    json_param(out, "ohem_ratio",
               p->ohem_mode == FL_OHEM_TOP ? NAN : p->ohem_ratio, 0);
    json_param(out, "eps", p->eps, 0);
    fprintf(out, "    \"softmax\": %s,\n", p->softmax ? "true" : "false");
    if (c->wide_k)
        fprintf(out, "    \"labels\": \"%s\"\n", fl_labels_name(c->labels));
    else
        fputs("    \"labels\": null\n", out);
    fputs("  },\n", out);
}

static void json_counts(FILE *out, const fl_counts *c)
{
    fputs("  \"counts\": {\n", out);
    json_uint(out, "rows", c->rows, 0);
    json_uint(out, "examples", c->positives + c->negatives, 0);
    json_uint(out, "positives", c->positives, 0);
    json_uint(out, "negatives", c->negatives, 0);
    json_uint(out, "ignored", c->ignored, 0);
    json_uint(out, "images", c->images, 0);
    json_uint(out, "classes", c->classes, 0);
    json_uint(out, "clamped", c->clamped, 0);
    json_uint(out, "wide_k", c->wide_k, 0);
    json_uint(out, "skipped", c->skipped, 1);
    fputs("  },\n", out);
}

static void write_json_doc(const fl_summary *s, const fl_counts *c,
                           const char *const *inputs, size_t ninputs,
                           const fl_table *t, FILE *out)
{
    fputs("{\n  \"command\": \"summarize\",\n  \"inputs\": [", out);
    for (size_t i = 0; i < ninputs; i++) {
        if (i)
            fputs(", ", out);
        fl_json_string(out, inputs[i]);
    }
    char name[160];
    fputs("],\n  \"scores\": {\"column\": ", out);
    fl_json_string(out, fl_report_score_name(name, sizeof name, c));
    fprintf(out, ", \"read_as\": \"%s\"},\n",
            c->score_is_prob ? "probabilities" : "logits");
    json_params(out, &s->params, c);
    json_counts(out, c);
    if (s->by != FL_BY_NONE)
        fprintf(out, "  \"by\": \"%s\",\n", s->by == FL_BY_IMAGE ? "image" : "class");
    fputs("  \"rows\": ", out);
    fl_table_write(t, FL_FMT_JSON, out);
    fputs("\n}\n", out);
}

/* ---- for people ---- */

/* A share as a percentage with about three significant digits. */
static const char *pct(char *buf, size_t cap, double share)
{
    double v = 100.0 * share;
    if (isnan(v))
        snprintf(buf, cap, "-");
    else if (v > 99.95 && v < 100.0) /* never round a part up to the whole */
        snprintf(buf, cap, v < 99.995 ? "%.2f%%" : ">99.99%%", v);
    else if (v == 0.0 || v >= 10.0)
        snprintf(buf, cap, "%.1f%%", v);
    else if (v >= 0.1)
        snprintf(buf, cap, "%.2f%%", v);
    else
        snprintf(buf, cap, "%.2g%%", v);
    return buf;
}

static void human_header(const fl_summary *s, const fl_counts *c,
                         const char *const *inputs, size_t ninputs, FILE *out)
{
    const fl_params *p = &s->params;
    fprintf(out, "input:   %s", ninputs ? inputs[0] : "-");
    if (ninputs > 1)
        fprintf(out, " and %zu more", ninputs - 1);
    char name[160];
    fprintf(out, "\nscores:  %s, read as %s",
            fl_report_score_name(name, sizeof name, c),
            c->score_is_prob ? "probabilities" : "logits");
    fprintf(out, "\nrows:    %llu%s: %llu examples (%llu positive, %llu negative), "
                 "%llu ignored; %llu image%s",
            (unsigned long long)c->rows, c->wide_k ? " anchors" : "",
            (unsigned long long)(c->positives + c->negatives),
            (unsigned long long)c->positives, (unsigned long long)c->negatives,
            (unsigned long long)c->ignored, (unsigned long long)c->images,
            c->images == 1 ? "" : "s");
    if (c->classes)
        fprintf(out, ", %llu class%s", (unsigned long long)c->classes,
                c->classes == 1 ? "" : "es");
    if (c->clamped)
        fprintf(out, "; %llu probabilit%s clamped", (unsigned long long)c->clamped,
                c->clamped == 1 ? "y" : "ies");
    if (c->skipped)
        fprintf(out, "; %llu bad row%s skipped", (unsigned long long)c->skipped,
                c->skipped == 1 ? "" : "s");
    if (c->wide_k && p->softmax)
        fprintf(out, "\nsoftmax: over %llu classes and the background, one example "
                     "per anchor (no FL*)", (unsigned long long)c->wide_k);
    if (c->wide_k)
        fprintf(out, "\nwide:    %llu scores per anchor; labels %s (%s)",
                (unsigned long long)c->wide_k, fl_labels_name(c->labels),
                fl_labels_numbering(c->labels));
    if (c->files_without_image)
        fputs(c->files == 1 ? "\n         (no image column: the whole input is one image)"
                            : "\n         (a file without an image column is one image)",
              out);
    fputs("\nlosses:  ", out);
    if (p->alpha_on)
        fprintf(out, "alpha %g, ", p->alpha);
    else
        fputs("alpha off, ", out);
    if (p->softmax)
        fprintf(out, "gamma %g; easy when p_t > %g\nohem:    ", p->gamma, p->easy);
    else
        fprintf(out, "gamma %g; FL* gamma %g, beta %g; easy when p_t > %g\nohem:    ",
                p->gamma, p->star_gamma, p->star_beta, p->easy);
    switch (p->ohem_mode) {
    case FL_OHEM_TOP:
        fprintf(out, "the %llu highest-CE examples of each image\n",
                (unsigned long long)p->ohem_batch);
        break;
    case FL_OHEM_RATIO:
        fprintf(out, "%llu per image, at most %.0f positives (ratio 1:%g)\n",
                (unsigned long long)p->ohem_batch,
                floor((double)p->ohem_batch / (1.0 + p->ohem_ratio)), p->ohem_ratio);
        break;
    case FL_OHEM_SSD:
        fprintf(out, "SSD: every positive and the top %g x positives negatives "
                     "of each image\n", p->ohem_ratio);
        break;
    }
    fputc('\n', out);
}

static const char *const human_columns[] = {
    "loss", "group", "count", "loss sum", "per pos", "loss %", "|grad| sum", "grad %",
};

static int human_table(const fl_summary *s, const fl_counts *c, FILE *out)
{
    fl_table *t = fl_table_new(8, human_columns);
    if (!t)
        return FL_ENOMEM;
    for (int k = 0; k < FL_LOSS_COUNT; k++)
        for (int g = -1; g < FL_GROUP_COUNT && loss_shown(s, k); g++) {
            row r = make_row(s, c, (enum fl_loss)k, g);
            char a[32], b[32];
            fl_value v[8] = {
                fl_str(g < 0 ? fl_loss_name(r.loss) : ""),
                fl_str(group_label(g)), fl_uint(r.cell.count),
                fl_real(r.loss_sum), fl_real(r.per_pos),
                fl_numtext(pct(a, sizeof a, r.loss_share)),
                fl_real(r.grad_sum), fl_numtext(pct(b, sizeof b, r.grad_share)),
            };
            if (fl_table_add(t, v) != FL_OK) {
                fl_table_free(t);
                return FL_ENOMEM;
            }
        }
    fl_table_write(t, FL_FMT_TABLE, out);
    fl_table_free(t);
    return FL_OK;
}

/* The finding the tool exists for, in one sentence per group of interest. */
static void human_headline(const fl_summary *s, const fl_counts *c, FILE *out)
{
    uint64_t examples = c->positives + c->negatives;
    row ce = make_row(s, c, FL_LOSS_CE, FL_GROUP_EASY_NEG);
    row fl = make_row(s, c, FL_LOSS_FOCAL, FL_GROUP_EASY_NEG);
    row ohem = make_row(s, c, FL_LOSS_OHEM, -1);
    row ce_all = make_row(s, c, FL_LOSS_CE, -1);
    char a[32], b[32], d[32], e[32], f[32];

    fprintf(out, "\neasy negatives: %s of examples, %s of CE loss and %s of its "
                 "gradient; under FL %s and %s\n",
            pct(a, sizeof a, ratio((double)ce.cell.count, (double)examples)),
            pct(b, sizeof b, ce.loss_share), pct(d, sizeof d, ce.grad_share),
            pct(e, sizeof e, fl.loss_share), pct(f, sizeof f, fl.grad_share));
    fprintf(out, "OHEM keeps %llu of %llu examples (%s) and %s of the CE loss\n",
            (unsigned long long)ohem.cell.count, (unsigned long long)examples,
            pct(a, sizeof a, ratio((double)ohem.cell.count, (double)examples)),
            pct(b, sizeof b, ratio(ohem.loss_sum, ce_all.loss_sum)));
}

int fl_report_write(const fl_summary *s, const fl_counts *c,
                    const char *const *inputs, size_t ninputs,
                    enum fl_format fmt, FILE *out)
{
    if (fmt == FL_FMT_TABLE) {
        human_header(s, c, inputs, ninputs, out);
        if (human_table(s, c, out) != FL_OK)
            return FL_ENOMEM;
        human_headline(s, c, out);
        return ferror(out) ? FL_EIO : FL_OK;
    }
    fl_table *t = fl_report_table(s, c);
    if (!t)
        return FL_ENOMEM;
    if (fmt == FL_FMT_JSON)
        write_json_doc(s, c, inputs, ninputs, t, out);
    else
        fl_table_write(t, fmt, out);
    fl_table_free(t);
    return ferror(out) ? FL_EIO : FL_OK;
}

/* ---- breakdowns ---- */

/* Ids in a sensible order: ids of digits by value (then as strings:
 * "07" after "7"), others as strings. */
static int cmp_ids(const char *a, const char *b)
{
    size_t la = strspn(a, "0123456789"), lb = strspn(b, "0123456789");
    if (la && lb && !a[la] && !b[lb]) {
        size_t za = strspn(a, "0"), zb = strspn(b, "0");
        za -= za == la, zb -= zb == lb; /* "0" keeps its digit */
        if (la - za != lb - zb)
            return la - za < lb - zb ? -1 : 1;
        int c = strcmp(a + za, b + zb);
        if (c)
            return c;
    }
    return strcmp(a, b);
}

/* A share to rank by: to 40 bits (12 digits), so that shares that differ
 * only by the order their sums were added in (a part's on another thread)
 * tie, and their keys rank by id; NaN (no loss at all) below every share. */
static double rank_share(double share)
{
    if (isnan(share))
        return -INFINITY;
    if (share == 0 || isinf(share))
        return share;
    int e;
    double m = frexp(share, &e);
    return ldexp(nearbyint(ldexp(m, 40)), e - 40);
}

static int cmp_rank(const void *pa, const void *pb)
{
    const fl_key_rank *a = pa, *b = pb;
    if (a->share != b->share)
        return a->share > b->share ? -1 : 1;
    int c = a->name && b->name ? cmp_ids(a->name, b->name) : 0;
    if (c)
        return c;
    return a->key < b->key ? -1 : a->key > b->key;
}

void fl_key_ranks_sort(fl_key_rank *r, size_t n, fl_key_name name, void *ctx)
{
    for (size_t i = 0; i < n; i++) {
        r[i].name = name(ctx, r[i].key);
        r[i].share = rank_share(r[i].share);
    }
    qsort(r, n, sizeof *r, cmp_rank);
}

static uint64_t key_positives(const fl_key_cells *k)
{
    return k->cell[FL_LOSS_CE][FL_GROUP_EASY_POS].count +
           k->cell[FL_LOSS_CE][FL_GROUP_HARD_POS].count;
}

static uint64_t key_examples(const fl_key_cells *k)
{
    uint64_t n = 0;
    for (int g = 0; g < FL_GROUP_COUNT; g++)
        n += k->cell[FL_LOSS_CE][g].count;
    return n;
}

/* The keys that hold examples, best first; *n gets their number.  NULL
 * when out of memory. */
static fl_key_rank *rank_keys(const fl_summary *s, fl_key_name name,
                              void *name_ctx, size_t *n)
{
    fl_key_rank *r = malloc((s->nkeys ? s->nkeys : 1) * sizeof *r);
    if (!r)
        return NULL;
    fl_cell total;
    fl_summary_total(s, FL_LOSS_FOCAL, &total);
    *n = 0;
    for (uint64_t k = 0; k < s->nkeys; k++) {
        if (key_examples(&s->keys[k]) == 0)
            continue;
        row kr = cells_row(s->keys[k].cell, 0, FL_LOSS_FOCAL, -1);
        r[(*n)++] = (fl_key_rank){k, ratio(kr.loss_sum,
                                           fl_ksum_value(&total.loss)), NULL};
    }
    fl_key_ranks_sort(r, *n, name, name_ctx);
    return r;
}

static const char *const by_columns[2][FL_REPORT_NCOLS + 3] = {
    {"class", "loss", "group", "count", "loss_sum", "loss_share", "grad_sum",
     "grad_share", "loss_per_pos", "total_loss_share", "total_grad_share"},
    {"image", "loss", "group", "count", "loss_sum", "loss_share", "grad_sum",
     "grad_share", "loss_per_pos", "total_loss_share", "total_grad_share"},
};

static fl_table *by_table(const fl_summary *s, const fl_key_rank *r, size_t n,
                          fl_key_name name, void *name_ctx)
{
    fl_table *t = fl_table_new(FL_REPORT_NCOLS + 3,
                               by_columns[s->by == FL_BY_IMAGE]);
    if (!t)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const fl_key_cells *k = &s->keys[r[i].key];
        const char *key = name(name_ctx, r[i].key);
        for (int l = 0; l < FL_LOSS_COUNT; l++) {
            if (!loss_shown(s, l))
                continue;
            fl_cell all;
            fl_summary_total(s, (enum fl_loss)l, &all);
            for (int g = -1; g < FL_GROUP_COUNT; g++) {
                row w = cells_row(k->cell, key_positives(k), (enum fl_loss)l, g);
                fl_value v[FL_REPORT_NCOLS + 3] = {
                    fl_str(key ? key : "?"), fl_str(fl_loss_name(w.loss)),
                    fl_str(group_label(g)), fl_uint(w.cell.count),
                    fl_real(w.loss_sum), fl_real(w.loss_share),
                    fl_real(w.grad_sum), fl_real(w.grad_share),
                    fl_real(w.per_pos),
                    fl_real(ratio(w.loss_sum, fl_ksum_value(&all.loss))),
                    fl_real(ratio(w.grad_sum, fl_ksum_value(&all.grad))),
                };
                if (fl_table_add(t, v) != FL_OK) {
                    fl_table_free(t);
                    return NULL;
                }
            }
        }
    }
    return t;
}

static const char *const by_human_columns[2][9] = {
    {"class", "examples", "positives", "CE loss", "CE |grad|", "FL loss",
     "FL |grad|", "OHEM kept", "easy neg FL"},
    {"image", "examples", "positives", "CE loss", "CE |grad|", "FL loss",
     "FL |grad|", "OHEM kept", "easy neg FL"},
};

/* One line per key: its shares of the whole input's totals, and how much of
 * its own focal loss its easy negatives carry. */
static int by_human(const fl_summary *s, const fl_counts *c, const fl_key_rank *r,
                    size_t n, size_t nall, fl_key_name name, void *name_ctx,
                    FILE *out)
{
    fl_table *t = fl_table_new(9, by_human_columns[s->by == FL_BY_IMAGE]);
    if (!t)
        return FL_ENOMEM;
    row ce_all = make_row(s, c, FL_LOSS_CE, -1), fl_all = make_row(s, c, FL_LOSS_FOCAL, -1);
    for (size_t i = 0; i < n; i++) {
        const fl_key_cells *k = &s->keys[r[i].key];
        row ce = cells_row(k->cell, 0, FL_LOSS_CE, -1);
        row fl = cells_row(k->cell, 0, FL_LOSS_FOCAL, -1);
        row oh = cells_row(k->cell, 0, FL_LOSS_OHEM, -1);
        row en = cells_row(k->cell, 0, FL_LOSS_FOCAL, FL_GROUP_EASY_NEG);
        char a[32], b[32], d[32], e[32], f[32];
        const char *key = name(name_ctx, r[i].key);
        fl_value v[9] = {
            fl_str(key ? key : "?"), fl_uint(key_examples(k)),
            fl_uint(key_positives(k)),
            fl_numtext(pct(a, sizeof a, ratio(ce.loss_sum, ce_all.loss_sum))),
            fl_numtext(pct(b, sizeof b, ratio(ce.grad_sum, ce_all.grad_sum))),
            fl_numtext(pct(d, sizeof d, ratio(fl.loss_sum, fl_all.loss_sum))),
            fl_numtext(pct(e, sizeof e, ratio(fl.grad_sum, fl_all.grad_sum))),
            fl_uint(oh.cell.count),
            fl_numtext(pct(f, sizeof f, en.loss_share)),
        };
        if (fl_table_add(t, v) != FL_OK) {
            fl_table_free(t);
            return FL_ENOMEM;
        }
    }
    fprintf(out, "by %s: %zu with examples, by share of the focal loss",
            s->by == FL_BY_IMAGE ? "image" : "class", nall);
    if (n < nall)
        fprintf(out, "; the first %zu", n);
    fputs(" (CE, FL: share of the input's total)\n\n", out);
    fl_table_write(t, FL_FMT_TABLE, out);
    fl_table_free(t);
    return FL_OK;
}

int fl_report_write_by(const fl_summary *s, const fl_counts *c,
                       const char *const *inputs, size_t ninputs,
                       enum fl_format fmt, size_t top, fl_key_name name,
                       void *name_ctx, FILE *out)
{
    size_t nall;
    fl_key_rank *r = rank_keys(s, name, name_ctx, &nall);
    if (!r)
        return FL_ENOMEM;
    size_t n = top && top < nall ? top : nall;
    int st = FL_OK;
    if (fmt == FL_FMT_TABLE) {
        human_header(s, c, inputs, ninputs, out);
        st = by_human(s, c, r, n, nall, name, name_ctx, out);
    } else {
        fl_table *t = by_table(s, r, n, name, name_ctx);
        if (!t) {
            st = FL_ENOMEM;
        } else if (fmt == FL_FMT_JSON) {
            write_json_doc(s, c, inputs, ninputs, t, out);
        } else {
            fl_table_write(t, fmt, out);
        }
        fl_table_free(t);
    }
    free(r);
    if (st != FL_OK)
        return st;
    return ferror(out) ? FL_EIO : FL_OK;
}

void fl_report_json_counts(FILE *out, const fl_counts *c)
{
    json_counts(out, c);
}

const char *fl_report_pct(char *buf, size_t cap, double share)
{
    return pct(buf, cap, share);
}
