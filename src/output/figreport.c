/* figreport.c: tables and json documents of the figure commands. */
#include "output/figreport.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "output/report.h"
#include "core/status.h"

/* ---- shared ---- */

static int add_row(fl_table *t, const fl_value *v)
{
    return fl_table_add(t, v);
}

/* Write t in fmt (not json) and free it. */
static int write_table(fl_table *t, enum fl_format fmt, FILE *out)
{
    fl_table_write(t, fmt, out);
    fl_table_free(t);
    return ferror(out) ? FL_EIO : FL_OK;
}

static void json_head(FILE *out, const char *cmd, const fl_report_inputs *in)
{
    fprintf(out, "{\n  \"command\": \"%s\",\n", cmd);
    if (!in)
        return;
    fputs("  \"inputs\": [", out);
    for (size_t i = 0; i < in->n; i++) {
        if (i)
            fputs(", ", out);
        fl_json_string(out, in->paths[i]);
    }
    fputs("],\n", out);
}

static void json_reals(FILE *out, const char *key, const double *v, size_t n,
                       const char *end)
{
    fprintf(out, "    \"%s\": [", key);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", out);
        fl_json_real(out, v[i]);
    }
    fprintf(out, "]%s\n", end);
}

static void json_real(FILE *out, const char *key, double v, const char *end)
{
    fprintf(out, "    \"%s\": ", key);
    fl_json_real(out, v);
    fprintf(out, "%s\n", end);
}

/* Write t as the json member key, then close the document or not. */
static void json_table(FILE *out, const char *key, const fl_table *t,
                       int last)
{
    fprintf(out, "  \"%s\": ", key);
    fl_table_write(t, FL_FMT_JSON, out);
    fputs(last ? "\n}\n" : ",\n", out);
}

static void human_inputs(FILE *out, const fl_report_inputs *in)
{
    const fl_counts *c = in->counts;
    fprintf(out, "input:   %s", in->n ? in->paths[0] : "-");
    if (in->n > 1)
        fprintf(out, " and %zu more", in->n - 1);
    fprintf(out, "\nrows:    %llu: %llu examples (%llu positive, %llu "
                 "negative), %llu ignored",
            (unsigned long long)c->rows,
            (unsigned long long)(c->positives + c->negatives),
            (unsigned long long)c->positives, (unsigned long long)c->negatives,
            (unsigned long long)c->ignored);
    if (c->clamped)
        fprintf(out, "; %llu probabilities clamped",
                (unsigned long long)c->clamped);
    if (c->skipped)
        fprintf(out, "; %llu bad rows skipped", (unsigned long long)c->skipped);
    fputc('\n', out);
}

/* ---- sweep ---- */

static const char *const sweep_columns[] = {
    "gamma", "alpha", "loss_sum", "loss_per_pos",
    "easy_neg_loss_share", "hard_neg_loss_share", "easy_pos_loss_share",
    "hard_pos_loss_share", "easy_neg_grad_share", "hard_neg_grad_share",
    "easy_pos_grad_share", "hard_pos_grad_share", "grad_sum",
    "balance_alpha_loss", "balance_alpha_grad",
};
#define SWEEP_NCOLS (sizeof sweep_columns / sizeof *sweep_columns)

static fl_table *sweep_table(const fl_sweep *s, const double *alpha,
                             size_t nalpha)
{
    fl_table *t = fl_table_new(SWEEP_NCOLS, sweep_columns);
    for (size_t gi = 0; t && gi < s->ngamma; gi++) {
        fl_sweep_balance b;
        fl_sweep_balance_at(s, gi, &b);
        for (size_t ai = 0; ai < nalpha; ai++) {
            fl_sweep_cell c;
            fl_sweep_cell_at(s, gi, alpha[ai], &c);
            fl_value v[SWEEP_NCOLS] = {
                fl_real(c.gamma), fl_real(c.alpha), fl_real(c.loss_sum),
                fl_real(c.loss_per_pos),
            };
            for (int g = 0; g < FL_GROUP_COUNT; g++) {
                v[4 + g] = fl_real(c.loss_share[g]);
                v[8 + g] = fl_real(c.grad_share[g]);
            }
            v[12] = fl_real(c.grad_sum);
            v[13] = fl_real(b.alpha_loss);
            v[14] = fl_real(b.alpha_grad);
            if (add_row(t, v) != FL_OK) {
                fl_table_free(t);
                return NULL;
            }
        }
    }
    return t;
}

static const char *const sweep_human_columns[] = {
    "gamma", "alpha", "loss sum", "per pos", "loss: easy_neg", "hard_neg",
    "easy_pos", "hard_pos", "|grad|: easy_neg", "hard_neg", "easy_pos",
    "hard_pos",
};

static const char *const balance_columns[] = {
    "gamma", "pos loss", "neg loss", "alpha: equal loss", "pos |grad|",
    "neg |grad|", "alpha: equal |grad|",
};
#define BALANCE(f) offsetof(fl_sweep_balance, f)
static const size_t balance_fields[] = {
    BALANCE(gamma),    BALANCE(pos_loss), BALANCE(neg_loss),
    BALANCE(alpha_loss), BALANCE(pos_grad), BALANCE(neg_grad),
    BALANCE(alpha_grad),
};
static const char *const balance_json_columns[] = {
    "gamma", "balance_alpha_loss", "balance_alpha_grad", "pos_loss",
    "neg_loss", "pos_grad", "neg_grad",
};
static const size_t balance_json_fields[] = {
    BALANCE(gamma),    BALANCE(alpha_loss), BALANCE(alpha_grad),
    BALANCE(pos_loss), BALANCE(neg_loss),   BALANCE(pos_grad),
    BALANCE(neg_grad),
};
#undef BALANCE

/* A table of each gamma's balance (fl_sweep_balance_at): column k named
 * names[k] shows the field at offset field[k].  NULL when out of memory. */
static fl_table *balance_table(const fl_sweep *s, const char *const *names,
                               const size_t *field)
{
    fl_table *b = fl_table_new(7, names);
    for (size_t gi = 0; b && gi < s->ngamma; gi++) {
        fl_sweep_balance x;
        fl_sweep_balance_at(s, gi, &x);
        fl_value v[7];
        for (int k = 0; k < 7; k++) {
            double d;
            memcpy(&d, (const char *)&x + field[k], sizeof d);
            v[k] = fl_real(d);
        }
        if (add_row(b, v) != FL_OK) {
            fl_table_free(b);
            b = NULL;
        }
    }
    return b;
}

static int sweep_human(const fl_sweep *s, const double *alpha, size_t nalpha,
                       const fl_report_inputs *in, FILE *out)
{
    fl_table *t = fl_table_new(12, sweep_human_columns);
    char p[8][32];
    for (size_t gi = 0; t && gi < s->ngamma; gi++)
        for (size_t ai = 0; ai < nalpha; ai++) {
            fl_sweep_cell c;
            fl_sweep_cell_at(s, gi, alpha[ai], &c);
            fl_value v[12] = {
                fl_real(c.gamma), fl_real(c.alpha), fl_real(c.loss_sum),
                fl_real(c.loss_per_pos),
            };
            for (int g = 0; g < FL_GROUP_COUNT; g++) {
                v[4 + g] = fl_numtext(fl_report_pct(p[g], 32, c.loss_share[g]));
                v[8 + g] = fl_numtext(fl_report_pct(p[4 + g], 32, c.grad_share[g]));
            }
            if (add_row(t, v) != FL_OK) {
                fl_table_free(t);
                return FL_ENOMEM;
            }
        }
    fl_table *b = t ? balance_table(s, balance_columns, balance_fields) : NULL;
    if (!b) {
        fl_table_free(t);
        return FL_ENOMEM;
    }
    human_inputs(out, in);
    fprintf(out, "groups:  easy when p_t > %g\n\nfocal loss, and the share "
                 "of the loss and of |dFL/dx| from each group:\n", s->easy);
    fl_table_write(t, FL_FMT_TABLE, out);
    fputs("\nthe alpha at which positives and negatives carry equal "
          "(alpha-weighted) loss or |gradient|,\nfrom the unweighted sums of "
          "each side:\n", out);
    fl_table_write(b, FL_FMT_TABLE, out);
    fl_table_free(t);
    fl_table_free(b);
    return ferror(out) ? FL_EIO : FL_OK;
}

static int sweep_json(const fl_sweep *s, const double *alpha, size_t nalpha,
                      const fl_report_inputs *in, fl_table *t, FILE *out)
{
    fl_table *b = balance_table(s, balance_json_columns, balance_json_fields);
    if (!b) {
        fl_table_free(t);
        return FL_ENOMEM;
    }
    json_head(out, "sweep", in);
    fputs("  \"parameters\": {\n", out);
    json_real(out, "easy", s->easy, ",");
    json_reals(out, "gammas", s->gamma, s->ngamma, ",");
    json_reals(out, "alphas", alpha, nalpha, "");
    fputs("  },\n", out);
    fl_report_json_counts(out, in->counts);
    json_table(out, "rows", t, 0);
    json_table(out, "balance", b, 1);
    fl_table_free(t);
    fl_table_free(b);
    return ferror(out) ? FL_EIO : FL_OK;
}

int fl_sweep_report(const fl_sweep *s, const double *alpha, size_t nalpha,
                    const fl_report_inputs *in, enum fl_format fmt, FILE *out)
{
    if (fmt == FL_FMT_TABLE)
        return sweep_human(s, alpha, nalpha, in, out);
    fl_table *t = sweep_table(s, alpha, nalpha);
    if (!t)
        return FL_ENOMEM;
    if (fmt == FL_FMT_JSON)
        return sweep_json(s, alpha, nalpha, in, t, out);
    return write_table(t, fmt, out);
}

/* ---- sweep by key ---- */

static const char *const sweep_by_columns[2][14] = {
    {"class", "gamma", "alpha", "loss_sum", "total_loss_share",
     "easy_neg_loss_share", "hard_neg_loss_share", "easy_pos_loss_share",
     "hard_pos_loss_share", "easy_neg_grad_share", "hard_neg_grad_share",
     "easy_pos_grad_share", "hard_pos_grad_share", "loss_per_pos"},
    {"image", "gamma", "alpha", "loss_sum", "total_loss_share",
     "easy_neg_loss_share", "hard_neg_loss_share", "easy_pos_loss_share",
     "hard_pos_loss_share", "easy_neg_grad_share", "hard_neg_grad_share",
     "easy_pos_grad_share", "hard_pos_grad_share", "loss_per_pos"},
};

static int sweep_key_rows(const fl_sweep *s, const double *alpha,
                          size_t nalpha, uint64_t key, const char *name,
                          fl_table *t)
{
    for (size_t gi = 0; gi < s->ngamma; gi++)
        for (size_t ai = 0; ai < nalpha; ai++) {
            fl_sweep_cell c, all;
            if (fl_sweep_key_cell_at(s, key, gi, alpha[ai], &c) != 0)
                return FL_OK;
            fl_sweep_cell_at(s, gi, alpha[ai], &all);
            fl_value v[14] = {
                fl_str(name ? name : "?"), fl_real(c.gamma), fl_real(c.alpha),
                fl_real(c.loss_sum),
                fl_real(all.loss_sum != 0 ? c.loss_sum / all.loss_sum : NAN),
                fl_real(c.loss_share[0]), fl_real(c.loss_share[1]),
                fl_real(c.loss_share[2]), fl_real(c.loss_share[3]),
                fl_real(c.grad_share[0]), fl_real(c.grad_share[1]),
                fl_real(c.grad_share[2]), fl_real(c.grad_share[3]),
                fl_real(c.loss_per_pos),
            };
            if (add_row(t, v) != FL_OK)
                return FL_ENOMEM;
        }
    return FL_OK;
}

int fl_sweep_report_by(const fl_sweep *s, const double *alpha, size_t nalpha,
                       const fl_report_inputs *in, enum fl_format fmt,
                       size_t top, fl_key_name name, void *name_ctx,
                       FILE *out)
{
    fl_key_rank *r = malloc((s->nkeys ? s->nkeys : 1) * sizeof *r);
    if (!r)
        return FL_ENOMEM;
    size_t n = 0;
    fl_sweep_cell all, c;
    fl_sweep_cell_at(s, 0, alpha[0], &all);
    for (uint64_t k = 0; k < s->nkeys; k++)
        if (fl_sweep_key_cell_at(s, k, 0, alpha[0], &c) == 0)
            r[n++] = (fl_key_rank){
                k, all.loss_sum != 0 ? c.loss_sum / all.loss_sum : 0, NULL};
    fl_key_ranks_sort(r, n, name, name_ctx);
    if (top && top < n)
        n = top;
    fl_table *t = fl_table_new(14, sweep_by_columns[s->by == FL_BY_IMAGE]);
    int st = t ? FL_OK : FL_ENOMEM;
    for (size_t i = 0; i < n && st == FL_OK; i++)
        st = sweep_key_rows(s, alpha, nalpha, r[i].key, name(name_ctx, r[i].key), t);
    free(r);
    if (st != FL_OK) {
        fl_table_free(t);
        return st;
    }
    if (fmt != FL_FMT_JSON)
        return write_table(t, fmt, out);
    json_head(out, "sweep", in);
    fprintf(out, "  \"by\": \"%s\",\n  \"rows\": ",
            s->by == FL_BY_IMAGE ? "image" : "class");
    fl_table_write(t, FL_FMT_JSON, out);
    fputs("\n}\n", out);
    fl_table_free(t);
    return ferror(out) ? FL_EIO : FL_OK;
}

/* ---- curves ---- */

static const char *const curves_columns[] = {"p_t", "gamma", "ce", "fl",
                                             "grad"};

int fl_curves_report(const fl_curve_point *pts, size_t ngamma, size_t npt,
                     int alpha_on, double alpha, enum fl_format fmt,
                     FILE *out)
{
    fl_table *t = fl_table_new(5, curves_columns);
    for (size_t i = 0; t && i < ngamma * npt; i++) {
        const fl_curve_point *c = &pts[i];
        fl_value v[5] = {fl_real(c->pt), fl_real(c->gamma), fl_real(c->ce),
                         fl_real(c->fl), fl_real(c->grad)};
        if (add_row(t, v) != FL_OK) {
            fl_table_free(t);
            t = NULL;
        }
    }
    if (!t)
        return FL_ENOMEM;
    if (fmt != FL_FMT_JSON) {
        if (fmt == FL_FMT_TABLE) {
            if (alpha_on)
                fprintf(out, "focal loss of a positive weighed alpha %g; grad "
                             "is dFL/dx\n\n", alpha);
            else
                fputs("focal loss with alpha off; grad is dFL/dx of a "
                      "positive\n\n", out);
        }
        return write_table(t, fmt, out);
    }
    double *g = malloc((ngamma ? ngamma : 1) * sizeof *g);
    if (!g) {
        fl_table_free(t);
        return FL_ENOMEM;
    }
    for (size_t i = 0; i < ngamma; i++)
        g[i] = pts[i * npt].gamma;
    json_head(out, "curves", NULL);
    fputs("  \"parameters\": {\n", out);
    json_real(out, "alpha", alpha_on ? alpha : NAN, ",");
    json_reals(out, "gammas", g, ngamma, "");
    fputs("  },\n", out);
    json_table(out, "rows", t, 1);
    free(g);
    fl_table_free(t);
    return ferror(out) ? FL_EIO : FL_OK;
}

/* ---- cdf ---- */

static const char *const cdf_columns[] = {"gamma", "group", "fraction",
                                          "loss_share"};
static const char *const top_columns[] = {"gamma", "pos_top20_share",
                                          "neg_top1_share", "neg_top10_share"};

static fl_table *cdf_table(const fl_cdf_result *r)
{
    fl_table *t = fl_table_new(4, cdf_columns);
    for (size_t gi = 0; t && gi < r->ngamma; gi++)
        for (int side = 1; side >= 0; side--) {
            size_t n = r->npts[2 * gi + side];
            const fl_cdf_point *p = r->pts + (2 * gi + side) * r->max_points;
            for (size_t i = 0; i < n; i++) {
                fl_value v[4] = {fl_real(r->gamma[gi]),
                                 fl_str(side ? "pos" : "neg"),
                                 fl_real(p[i].fraction), fl_real(p[i].share)};
                if (add_row(t, v) != FL_OK) {
                    fl_table_free(t);
                    return NULL;
                }
            }
        }
    return t;
}

static fl_table *top_table(const fl_cdf_result *r)
{
    fl_table *t = fl_table_new(4, top_columns);
    for (size_t gi = 0; t && gi < r->ngamma; gi++) {
        fl_value v[4] = {fl_real(r->gamma[gi]), fl_real(r->top[3 * gi]),
                         fl_real(r->top[3 * gi + 1]),
                         fl_real(r->top[3 * gi + 2])};
        if (add_row(t, v) != FL_OK) {
            fl_table_free(t);
            return NULL;
        }
    }
    return t;
}

static const char *const cdf_human_columns[] = {
    "gamma", "hardest 20% of positives", "hardest 1% of negatives",
    "hardest 10% of negatives",
};

static int cdf_human(const fl_cdf_result *r, const fl_report_inputs *in,
                     enum fl_format fmt, FILE *out)
{
    fl_table *t = fl_table_new(4, cdf_human_columns);
    for (size_t gi = 0; t && gi < r->ngamma; gi++) {
        char a[32], b[32], c[32];
        fl_value v[4] = {
            fl_real(r->gamma[gi]),
            fl_numtext(fl_report_pct(a, sizeof a, r->top[3 * gi])),
            fl_numtext(fl_report_pct(b, sizeof b, r->top[3 * gi + 1])),
            fl_numtext(fl_report_pct(c, sizeof c, r->top[3 * gi + 2])),
        };
        if (add_row(t, v) != FL_OK) {
            fl_table_free(t);
            t = NULL;
        }
    }
    if (!t)
        return FL_ENOMEM;
    if (fmt == FL_FMT_TABLE) {
        human_inputs(out, in);
        fputs("\nshare of the group's focal loss carried by its hardest "
              "examples:\n", out);
    }
    return write_table(t, fmt, out);
}

int fl_cdf_report(const fl_cdf_result *r, const fl_report_inputs *in,
                  enum fl_format fmt, FILE *out)
{
    if (fmt == FL_FMT_TABLE || fmt == FL_FMT_MD)
        return cdf_human(r, in, fmt, out);
    fl_table *t = cdf_table(r);
    if (!t)
        return FL_ENOMEM;
    if (fmt != FL_FMT_JSON)
        return write_table(t, fmt, out);
    fl_table *top = top_table(r);
    if (!top) {
        fl_table_free(t);
        return FL_ENOMEM;
    }
    json_head(out, "cdf", in);
    fputs("  \"parameters\": {\n", out);
    json_reals(out, "gammas", r->gamma, r->ngamma, ",");
    fprintf(out, "    \"points\": %zu\n  },\n", r->max_points);
    fl_report_json_counts(out, in->counts);
    json_table(out, "headlines", top, 0);
    json_table(out, "rows", t, 1);
    fl_table_free(t);
    fl_table_free(top);
    return ferror(out) ? FL_EIO : FL_OK;
}

/* ---- gradhist ---- */

static const char *const gradhist_columns[] = {
    "bin", "g_lo", "g_hi", "neg_count", "pos_count", "ce_loss_share",
    "ce_grad_share", "fl_loss_share", "fl_grad_share", "ghm_loss_share",
    "ghm_grad_share", "neg_share", "pos_share", "ghm_weight",
};
#define GRADHIST_NCOLS (sizeof gradhist_columns / sizeof *gradhist_columns)

static const char *const gradhist_human_columns[] = {
    "g from", "to", "negatives", "positives", "neg %", "pos %", "CE loss",
    "CE |grad|", "FL loss", "FL |grad|", "GHM loss", "GHM |grad|",
};

static fl_table *gradhist_table(const fl_gradhist *h,
                                const fl_gradhist_row *rows, int human)
{
    fl_table *t = human ? fl_table_new(12, gradhist_human_columns)
                        : fl_table_new(GRADHIST_NCOLS, gradhist_columns);
    for (size_t k = 0; t && k < h->nbins; k++) {
        const fl_gradhist_row *r = &rows[k];
        fl_value v[GRADHIST_NCOLS] = {
            fl_uint(k), fl_real(r->g_lo), fl_real(r->g_hi), fl_uint(r->neg),
            fl_uint(r->pos), fl_real(r->ce_loss_share),
            fl_real(r->ce_grad_share), fl_real(r->fl_loss_share),
            fl_real(r->fl_grad_share), fl_real(r->ghm_loss_share),
            fl_real(r->ghm_grad_share), fl_real(r->neg_share),
            fl_real(r->pos_share), fl_real(r->ghm_weight),
        };
        char p[8][32];
        const double share[8] = {
            r->neg_share, r->pos_share, r->ce_loss_share, r->ce_grad_share,
            r->fl_loss_share, r->fl_grad_share, r->ghm_loss_share,
            r->ghm_grad_share,
        };
        if (human) {
            for (int i = 0; i < 4; i++)
                v[i] = v[i + 1];
            for (int i = 0; i < 8; i++)
                v[4 + i] = fl_numtext(fl_report_pct(p[i], 32, share[i]));
        }
        if (add_row(t, v) != FL_OK) {
            fl_table_free(t);
            return NULL;
        }
    }
    return t;
}

int fl_gradhist_report(const fl_gradhist *h, const fl_gradhist_row *rows,
                       const fl_report_inputs *in, enum fl_format fmt,
                       FILE *out)
{
    const fl_params *p = &h->params;
    fl_table *t = gradhist_table(h, rows, fmt == FL_FMT_TABLE);
    if (!t)
        return FL_ENOMEM;
    if (fmt == FL_FMT_TABLE) {
        human_inputs(out, in);
        fputs("losses:  CE; FL with ", out);
        if (p->alpha_on)
            fprintf(out, "alpha %g, ", p->alpha);
        else
            fputs("alpha off, ", out);
        fprintf(out, "gamma %g; GHM-C weights valid / in bin / non-empty "
                     "bins\n\nexamples and the share of each loss and "
                     "|gradient| by gradient norm g = |p - y|:\n", p->gamma);
        return write_table(t, fmt, out);
    }
    if (fmt != FL_FMT_JSON)
        return write_table(t, fmt, out);
    json_head(out, "gradhist", in);
    fputs("  \"parameters\": {\n", out);
    json_real(out, "alpha", p->alpha_on ? p->alpha : NAN, ",");
    json_real(out, "gamma", p->gamma, ",");
    fprintf(out, "    \"bins\": %zu\n  },\n", h->nbins);
    fl_report_json_counts(out, in->counts);
    json_table(out, "rows", t, 1);
    fl_table_free(t);
    return ferror(out) ? FL_EIO : FL_OK;
}
