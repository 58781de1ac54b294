/* cli_figure.h: what the figure commands (sweep, curves, cdf, gradhist)
 * share: lists of reals, --plot and --render, and writing and
 * rendering a figure with messages. */
#ifndef FL_CLI_FIGURE_H
#define FL_CLI_FIGURE_H

#include <stddef.h>

#include "cli/cli.h"
#include "output/figures.h"
#include "output/plot.h"

/* Option codes of the figure commands, clear of the shared ones. */
enum {
    FL_OPT_PLOT = FL_OPT_LAST + 64, FL_OPT_RENDER, FL_OPT_POINTS,
    FL_OPT_BINS, FL_OPT_PT
};

#define FL_FIGURE_LONGOPTS                                         \
    {"plot", required_argument, NULL, FL_OPT_PLOT},                \
    {"render", required_argument, NULL, FL_OPT_RENDER}

typedef struct fl_figure_opts {
    const char *prefix;    /* --plot PREFIX, or NULL */
    enum fl_render render; /* --render, or FL_RENDER_NONE */
} fl_figure_opts;

/* Apply --plot or --render.  Return 0 when applied, -1 when c is neither,
 * FL_EXIT_USAGE after reporting a bad value. */
int fl_figure_option(const char *cmd, fl_figure_opts *o, int c,
                     const char *arg);

/* Check the figure options together (--render needs --plot).  Return 0 or
 * FL_EXIT_USAGE. */
int fl_figure_opts_finish(const char *cmd, const fl_figure_opts *o);

/* Parse arg as a list of at most max reals in [lo, hi] (see numlist.h) for
 * option opt, into a malloc'd *out (the caller frees it) of *n values.
 * Return 0, or report the problem and return FL_EXIT_USAGE (or FL_EXIT_DATA
 * when out of memory). */
int fl_opt_list(const char *cmd, const char *opt, const char *arg, double lo,
                double hi, size_t max, double **out, size_t *n);

/* For sweep, cdf and gradhist, which read dumps: apply --plot, --render or
 * a shared input option.  Return as fl_figure_option and
 * fl_input_option do. */
int fl_dump_figure_option(const char *cmd, fl_input_opts *in,
                          fl_figure_opts *fig, int c, const char *arg);

/* After their options: fl_input_opts_finish, then fl_figure_opts_finish.
 * Return 0 or FL_EXIT_USAGE. */
int fl_dump_figure_finish(const char *cmd, fl_input_opts *in,
                          const fl_figure_opts *fig);

/* A figure's files and the room of its title. */
typedef struct fl_figure_out {
    fl_figure_files files; /* files.title points into title */
    char title[512];
} fl_figure_out;

/* Set out up for cmd's figure of paths ("flstat CMD: FIRST_INPUT[ and N
 * more]") when --plot was given.  Return 1 then, else 0. */
int fl_figure_begin(const fl_figure_opts *o, fl_figure_out *out,
                    const char *cmd, char *const *paths, int npaths);

/* Report the outcome st of an fl_figure_* call on f, then render PREFIX.gp
 * to PREFIX.FORMAT when asked.  Return FL_EXIT_OK or FL_EXIT_DATA. */
int fl_figure_finish(const fl_figure_opts *o, const fl_figure_files *f,
                     int st);

#endif
