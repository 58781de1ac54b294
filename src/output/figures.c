/* figures.c: data and gnuplot scripts of the four figures. */
#include "output/figures.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/plot.h"
#include "core/status.h"

/* What the fill callbacks see. */
typedef struct fig {
    fl_figure_files *f;
    const char *dat; /* PREFIX.dat */
    const fl_sweep *sweep;
    const double *alpha;
    size_t nalpha;
    const fl_curve_point *curve;
    size_t ngamma, npt;
    const fl_cdf_result *cdf;
    const fl_gradhist_row *rows;
    size_t nbins;
    double gamma;
    int alpha_on;
    double alpha1;
} fig;

/* A number in a data file: full precision; NaN as gnuplot's NaN. */
static void num(FILE *out, double v, const char *sep)
{
    if (isnan(v))
        fputs("NaN", out);
    else
        fprintf(out, "%.17g", v);
    fputs(sep, out);
}

static int done(FILE *out)
{
    return ferror(out) ? FL_EIO : FL_OK;
}

static int write_pair(fl_figure_files *f, fig *g, fl_plot_fill dat,
                      fl_plot_fill gp)
{
    size_t n = strlen(f->prefix);
    if (n + 5 > sizeof f->failed)
        return FL_EINVAL;
    char dat_path[sizeof f->failed];
    snprintf(dat_path, sizeof dat_path, "%s.dat", f->prefix);
    g->f = f;
    g->dat = dat_path;
    if (fl_plot_write_file(dat_path, dat, g) != FL_OK) {
        snprintf(f->failed, sizeof f->failed, "%s", dat_path);
        return FL_EIO;
    }
    snprintf(f->failed, sizeof f->failed, "%s.gp", f->prefix);
    if (fl_plot_write_file(f->failed, gp, g) != FL_OK)
        return FL_EIO;
    f->failed[0] = '\0';
    return FL_OK;
}

/* title 'TEXT' at the top of a multiplot of rows x cols panels */
static void multiplot(FILE *out, const char *title, int rows, int cols)
{
    fprintf(out, "set multiplot layout %d,%d title ", rows, cols);
    fl_gp_string(out, title);
    fputs(" font ',11'\n", out);
}

/* set xtics or ytics to the n values v, at 0 .. n-1 */
static void index_tics(FILE *out, const char *axis, const double *v, size_t n)
{
    fprintf(out, "set %s (", axis);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s'%g' %zu", i ? ", " : "", v[i], i);
    fputs(")\n", out);
}

/* ---- sweep ---- */

static void sweep_row(FILE *out, const fig *g, size_t gi, size_t ai)
{
    fl_sweep_cell c;
    fl_sweep_cell_at(g->sweep, gi, g->alpha[ai], &c);
    fprintf(out, "%zu %zu ", gi, ai);
    num(out, c.gamma, " ");
    num(out, c.alpha, " ");
    num(out, c.loss_share[FL_GROUP_EASY_NEG], " ");
    num(out, c.grad_share[FL_GROUP_EASY_NEG], " ");
    num(out, c.loss_per_pos, "\n");
}

/* Index 0: the grid, gamma-major, for the heatmap; index 1 + j: alpha j's
 * row over the gammas, for its line. */
static int sweep_dat(void *ctx, FILE *out)
{
    const fig *g = ctx;
    size_t ng = g->sweep->ngamma;
    fl_gp_comment(out, g->f->title);
    fputs("# index 0: the grid; index 1 + j: alpha number j over gamma\n"
          "# gamma_index alpha_index gamma alpha easy_neg_loss_share "
          "easy_neg_grad_share loss_per_pos\n", out);
    for (size_t gi = 0; gi < ng; gi++) {
        if (gi)
            fputc('\n', out);
        for (size_t ai = 0; ai < g->nalpha; ai++)
            sweep_row(out, g, gi, ai);
    }
    for (size_t ai = 0; ai < g->nalpha; ai++) {
        fputs("\n\n", out);
        for (size_t gi = 0; gi < ng; gi++)
            sweep_row(out, g, gi, ai);
    }
    return done(out);
}

/* Log scale for the lines only when every share is positive. */
static int sweep_all_positive(const fig *g)
{
    for (size_t gi = 0; gi < g->sweep->ngamma; gi++)
        for (size_t ai = 0; ai < g->nalpha; ai++) {
            fl_sweep_cell c;
            fl_sweep_cell_at(g->sweep, gi, g->alpha[ai], &c);
            if (!(c.loss_share[FL_GROUP_EASY_NEG] > 0))
                return 0;
        }
    return 1;
}

static int sweep_gp(void *ctx, FILE *out)
{
    const fig *g = ctx;
    const fl_sweep *s = g->sweep;
    fl_gp_begin(out, g->f->title, g->f->prefix, g->dat, 1100, 480);
    multiplot(out, g->f->title, 1, 2);
    fputs("set title 'easy-negative share of the focal loss (%)'\n"
          "set xlabel 'gamma'\nset ylabel 'alpha'\nunset grid\n"
          "set palette defined (0 '#fff7ec', 1 '#fdbb84', 2 '#d7301f', 3 '#7f0000')\n"
          "set cblabel 'easy-negative loss share (%)'\n", out);
    index_tics(out, "xtics", s->gamma, s->ngamma);
    index_tics(out, "ytics", g->alpha, g->nalpha);
    fprintf(out, "set xrange [-0.5:%zu.5]\nset yrange [-0.5:%zu.5]\n",
            s->ngamma - 1, g->nalpha - 1);
    fputs("plot DAT index 0 using 1:2:(100*$5) with image, \\\n"
          "     DAT index 0 using 1:2:(sprintf('%.3g', 100*$5)) "
          "with labels font ',8'\n\n", out);
    fputs("set title 'easy-negative share against gamma'\n"
          "set ylabel 'easy-negative share of the loss (%)'\n"
          "set xtics auto\nset ytics auto\nset grid\n"
          "set xrange [*:*]\nset yrange [*:*]\n"
          "set key outside right title 'alpha'\n", out);
    if (sweep_all_positive(g))
        fputs("set logscale y\n", out);
    fputs("plot ", out);
    for (size_t ai = 0; ai < g->nalpha; ai++)
        fprintf(out, "%sDAT index %zu using 3:(100*$5) with linespoints "
                     "pt 7 ps 0.6 title '%g'",
                ai ? ", \\\n     " : "", ai + 1, g->alpha[ai]);
    fputs("\n", out);
    fl_gp_end(out);
    return done(out);
}

int fl_figure_sweep(fl_figure_files *f, const fl_sweep *s,
                    const double *alpha, size_t nalpha)
{
    fig g = {.sweep = s, .alpha = alpha, .nalpha = nalpha};
    return write_pair(f, &g, sweep_dat, sweep_gp);
}

/* ---- curves ---- */

static int curves_dat(void *ctx, FILE *out)
{
    const fig *g = ctx;
    fl_gp_comment(out, g->f->title);
    fputs("# index i: gamma number i\n# p_t ce fl grad\n", out);
    for (size_t i = 0; i < g->ngamma; i++) {
        fprintf(out, "%s# gamma %g\n", i ? "\n\n" : "", g->curve[i * g->npt].gamma);
        for (size_t j = 0; j < g->npt; j++) {
            const fl_curve_point *c = &g->curve[i * g->npt + j];
            num(out, c->pt, " ");
            num(out, c->ce, " ");
            num(out, c->fl, " ");
            num(out, c->grad, "\n");
        }
    }
    return done(out);
}

static void curves_plot(FILE *out, const fig *g, int column)
{
    fputs("plot ", out);
    for (size_t i = 0; i < g->ngamma; i++)
        fprintf(out, "%sDAT index %zu using 1:%d with lines lw 2 "
                     "title 'gamma = %g'",
                i ? ", \\\n     " : "", i, column,
                g->curve[i * g->npt].gamma);
    fputs("\n", out);
}

static int curves_gp(void *ctx, FILE *out)
{
    const fig *g = ctx;
    fl_gp_begin(out, g->f->title, g->f->prefix, g->dat, 1100, 460);
    multiplot(out, g->f->title, 1, 2);
    fputs("set title 'focal loss against p_t'\n"
          "set xlabel 'probability of the ground-truth class p_t'\n"
          "set ylabel 'loss'\nset xrange [0:1]\nset yrange [0:5]\n"
          "set key top right\n", out);
    curves_plot(out, g, 3);
    fputs("\nset title 'gradient a positive receives'\n"
          "set ylabel 'dFL/dx'\nset yrange [*:*]\nset key bottom right\n",
          out);
    curves_plot(out, g, 4);
    fl_gp_end(out);
    return done(out);
}

int fl_figure_curves(fl_figure_files *f, const fl_curve_point *pts,
                     size_t ngamma, size_t npt)
{
    fig g = {.curve = pts, .ngamma = ngamma, .npt = npt};
    return write_pair(f, &g, curves_dat, curves_gp);
}

/* ---- cdf ---- */

/* Blocks: the positives' curve of every gamma, then the negatives'; an
 * empty group has none. */
static int cdf_dat(void *ctx, FILE *out)
{
    const fig *g = ctx;
    const fl_cdf_result *r = g->cdf;
    int first = 1;
    fl_gp_comment(out, g->f->title);
    fputs("# one block per group (positives first) and gamma\n"
          "# fraction loss_share\n", out);
    for (int side = 1; side >= 0; side--)
        for (size_t gi = 0; gi < r->ngamma; gi++) {
            size_t n = r->npts[2 * gi + side];
            const fl_cdf_point *p = r->pts + (2 * gi + side) * r->max_points;
            if (n == 0)
                continue;
            fprintf(out, "%s# %s, gamma %g\n", first ? "" : "\n\n",
                    side ? "positives" : "negatives", r->gamma[gi]);
            first = 0;
            for (size_t i = 0; i < n; i++) {
                num(out, p[i].fraction, " ");
                num(out, p[i].share, "\n");
            }
        }
    return done(out);
}

static void cdf_panel(FILE *out, const fl_cdf_result *r, int side,
                      size_t *block)
{
    const char *who = side ? "positive" : "negative";
    fprintf(out, "set title '%s examples (%zu)'\n"
                 "set xlabel 'fraction of %s examples, easiest first'\n"
                 "set ylabel 'cumulative share of the %s loss'\n"
                 "set xrange [0:1]\nset yrange [0:1]\nset key top left\n",
            side ? "positive" : "negative", r->count[side], who, who);
    if (r->count[side] == 0) {
        fputs("plot -1\n", out);
        return;
    }
    fputs("plot ", out);
    for (size_t gi = 0; gi < r->ngamma; gi++)
        fprintf(out, "%sDAT index %zu using 1:2 with lines lw 2 "
                     "title 'gamma = %g'",
                gi ? ", \\\n     " : "", (*block)++, r->gamma[gi]);
    fputs("\n", out);
}

static int cdf_gp(void *ctx, FILE *out)
{
    const fig *g = ctx;
    size_t block = 0;
    fl_gp_begin(out, g->f->title, g->f->prefix, g->dat, 1100, 460);
    multiplot(out, g->f->title, 1, 2);
    cdf_panel(out, g->cdf, 1, &block);
    fputc('\n', out);
    cdf_panel(out, g->cdf, 0, &block);
    fl_gp_end(out);
    return done(out);
}

int fl_figure_cdf(fl_figure_files *f, const fl_cdf_result *r)
{
    fig g = {.cdf = r};
    return write_pair(f, &g, cdf_dat, cdf_gp);
}

/* ---- gradhist ---- */

static int gradhist_dat(void *ctx, FILE *out)
{
    const fig *g = ctx;
    fl_gp_comment(out, g->f->title);
    fputs("# g_lo g_hi g_mid neg_count pos_count ce_loss_share "
          "fl_loss_share ghm_loss_share\n", out);
    for (size_t k = 0; k < g->nbins; k++) {
        const fl_gradhist_row *r = &g->rows[k];
        num(out, r->g_lo, " ");
        num(out, r->g_hi, " ");
        num(out, (r->g_lo + r->g_hi) / 2, " ");
        fprintf(out, "%llu %llu ", (unsigned long long)r->neg,
                (unsigned long long)r->pos);
        num(out, r->ce_loss_share, " ");
        num(out, r->fl_loss_share, " ");
        num(out, r->ghm_loss_share, "\n");
    }
    return done(out);
}

static int gradhist_gp(void *ctx, FILE *out)
{
    const fig *g = ctx;
    uint64_t neg = 0, pos = 0;
    for (size_t k = 0; k < g->nbins; k++) {
        neg += g->rows[k].neg;
        pos += g->rows[k].pos;
    }
    fl_gp_begin(out, g->f->title, g->f->prefix, g->dat, 1100, 460);
    multiplot(out, g->f->title, 1, 2);
    fputs("set title 'examples per gradient-norm bin'\n"
          "set xlabel 'gradient norm g = |p - y|'\n"
          "set ylabel 'examples (log scale)'\n"
          "set xrange [0:1]\nset yrange [0.5:*]\nset logscale y\n"
          "set format y '%g'\nset key top center\n", out);
    fputs("plot ", out);
    if (neg)
        fputs("DAT using 3:($4 > 0 ? $4 : NaN) with linespoints pt 7 ps 0.6 "
              "lw 2 title 'negatives'", out);
    if (pos)
        fprintf(out, "%sDAT using 3:($5 > 0 ? $5 : NaN) with linespoints "
                     "pt 7 ps 0.6 lw 2 title 'positives'",
                neg ? ", \\\n     " : "");
    fputs("\n\nset title 'share of the loss per bin'\n"
          "set ylabel 'share of the total loss (log scale)'\n"
          "set yrange [*:*]\nset key top center\n", out);
    fputs("plot DAT using 3:($6 > 0 ? $6 : NaN) with linespoints pt 7 ps 0.6 "
          "lw 2 title 'CE', \\\n", out);
    fprintf(out, "     DAT using 3:($7 > 0 ? $7 : NaN) with linespoints pt 7 "
                 "ps 0.6 lw 2 title 'FL (gamma %g, alpha ", g->gamma);
    if (g->alpha_on)
        fprintf(out, "%g)', \\\n", g->alpha1);
    else
        fputs("off)', \\\n", out);
    fputs("     DAT using 3:($8 > 0 ? $8 : NaN) with linespoints pt 7 ps 0.6 "
          "lw 2 title 'GHM-C'\n", out);
    fl_gp_end(out);
    return done(out);
}

int fl_figure_gradhist(fl_figure_files *f, const fl_gradhist_row *rows,
                       size_t nbins, double gamma, int alpha_on,
                       double alpha)
{
    fig g = {.rows = rows, .nbins = nbins, .gamma = gamma,
             .alpha_on = alpha_on, .alpha1 = alpha};
    return write_pair(f, &g, gradhist_dat, gradhist_gp);
}
