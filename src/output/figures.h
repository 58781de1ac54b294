/* figures.h: the data file and the gnuplot script of each figure: sweep's
 * heatmap and lines, curves' Figure 1, cdf's Figure 4, gradhist's GHM
 * histogram.  Each writes PREFIX.dat, then PREFIX.gp, each whole or not at
 * all (see plot.h). */
#ifndef FL_FIGURES_H
#define FL_FIGURES_H

#include <stddef.h>

#include "core/cdf.h"
#include "core/curves.h"
#include "core/gradhist.h"
#include "core/sweep.h"

/* What a figure needs besides its numbers.  title names the input. */
typedef struct fl_figure_files {
    const char *prefix; /* PREFIX: no control characters (fl_gp_string_ok) */
    const char *title;
    char failed[4096];  /* the file that could not be written */
} fl_figure_files;

/* Each returns FL_OK; FL_EIO with errno set and f->failed naming the file
 * that could not be written; or FL_EINVAL when PREFIX is too long for a
 * path. */
int fl_figure_sweep(fl_figure_files *f, const fl_sweep *s,
                    const double *alpha, size_t nalpha);
int fl_figure_curves(fl_figure_files *f, const fl_curve_point *pts,
                     size_t ngamma, size_t npt);
int fl_figure_cdf(fl_figure_files *f, const fl_cdf_result *r);
int fl_figure_gradhist(fl_figure_files *f, const fl_gradhist_row *rows,
                       size_t nbins, double gamma, int alpha_on,
                       double alpha);

#endif
