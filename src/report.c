/* report.c: summarize's tables, json document and human summary. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

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

static row make_row(const fl_summary *s, const fl_counts *c,
                    enum fl_loss loss, int group)
{
    fl_cell total;
    fl_summary_total(s, loss, &total);
    row r = {.loss = loss, .group = group};
    r.cell = group < 0 ? total : s->cell[loss][group];
    r.loss_sum = fl_ksum_value(&r.cell.loss);
    r.grad_sum = fl_ksum_value(&r.cell.grad);
    r.loss_share = ratio(r.loss_sum, fl_ksum_value(&total.loss));
    r.grad_share = ratio(r.grad_sum, fl_ksum_value(&total.grad));
    r.per_pos = ratio(r.loss_sum, (double)c->positives);
    return r;
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
        for (int g = -1; g < FL_GROUP_COUNT; g++) {
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

static void json_params(FILE *out, const fl_params *p)
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
    json_param(out, "eps", p->eps, 1);
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
    json_uint(out, "skipped", c->skipped, 1);
    fputs("  },\n", out);
}

static void write_json(const fl_summary *s, const fl_counts *c,
                       const char *const *inputs, size_t ninputs,
                       const fl_table *t, FILE *out)
{
    fputs("{\n  \"command\": \"summarize\",\n  \"inputs\": [", out);
    for (size_t i = 0; i < ninputs; i++) {
        if (i)
            fputs(", ", out);
        fl_json_string(out, inputs[i]);
    }
    fputs("],\n", out);
    json_params(out, &s->params);
    json_counts(out, c);
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
    fprintf(out, "\nrows:    %llu: %llu examples (%llu positive, %llu negative), "
                 "%llu ignored; %llu images",
            (unsigned long long)c->rows,
            (unsigned long long)(c->positives + c->negatives),
            (unsigned long long)c->positives, (unsigned long long)c->negatives,
            (unsigned long long)c->ignored, (unsigned long long)c->images);
    if (c->classes)
        fprintf(out, ", %llu classes", (unsigned long long)c->classes);
    if (c->clamped)
        fprintf(out, "; %llu probabilities clamped", (unsigned long long)c->clamped);
    if (c->skipped)
        fprintf(out, "; %llu bad rows skipped", (unsigned long long)c->skipped);
    if (c->files_without_image)
        fputs(c->files == 1 ? "\n         (no image column: the whole input is one image)"
                            : "\n         (a file without an image column is one image)",
              out);
    fputs("\nlosses:  ", out);
    if (p->alpha_on)
        fprintf(out, "alpha %g, ", p->alpha);
    else
        fputs("alpha off, ", out);
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
        for (int g = -1; g < FL_GROUP_COUNT; g++) {
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
        return ferror(out) ? -1 : 0;
    }
    fl_table *t = fl_report_table(s, c);
    if (!t)
        return FL_ENOMEM;
    if (fmt == FL_FMT_JSON)
        write_json(s, c, inputs, ninputs, t, out);
    else
        fl_table_write(t, fmt, out);
    fl_table_free(t);
    return ferror(out) ? -1 : 0;
}

void fl_report_json_counts(FILE *out, const fl_counts *c)
{
    json_counts(out, c);
}

const char *fl_report_pct(char *buf, size_t cap, double share)
{
    return pct(buf, cap, share);
}
