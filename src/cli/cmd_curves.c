/* cmd_curves.c: flstat curves. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/cli_figure.h"
#include "cli/commands.h"
#include "core/curves.h"
#include "output/figreport.h"
#include "core/status.h"

const char fl_curves_usage[] =
    "usage: flstat curves [OPTION]...\n"
    "\n"
    "The paper's Figure 1: cross-entropy and focal loss against the probability\n"
    "of the ground-truth class p_t, for each gamma, and dFL/dx, the gradient a\n"
    "positive with that p_t receives.  Reads no input.\n"
    "\n"
    "Options (LIST: comma-separated values, or START:STOP:STEP):\n"
    "  -g, --gamma LIST     gammas, each >= 0 (default 0,0.5,1,2,5)\n"
    "  -a, --alpha A        weigh the positive's FL and gradient by A in [0, 1]\n"
    "                       (default off, as in the figure)\n"
    "      --no-alpha       the same as --alpha off\n"
    "      --pt LIST        the p_t values, each in (0, 1]\n"
    "                       (default 0.005:1:0.005, 200 values)\n"
    "  -f, --format F       table (default), csv, tsv, json or md\n"
    "      --plot PREFIX    write PREFIX.dat and PREFIX.gp, a gnuplot script:\n"
    "                       FL and dFL/dx against p_t, one line per gamma\n"
    "      --render FMT     run gnuplot (FLSTAT_GNUPLOT, else from PATH) on\n"
    "                       PREFIX.gp to make PREFIX.FMT: png, svg or pdf\n"
    "  -h, --help           show this help and exit\n"
    "\n"
    "csv and tsv have one row per (gamma, p_t) with the columns\n"
    "p_t,gamma,ce,fl,grad.\n"
    "\n"
    "Exit status: 0 success, 1 I/O failure, 2 usage error.\n"
    "Example: flstat curves --plot fig1 --render svg\n";

static const double default_gamma[] = {0, 0.5, 1, 2, 5};
#define MAX_GAMMAS 1000
#define MAX_PT 1000000

typedef struct curves_opts {
    enum fl_format format;
    fl_figure_opts fig;
    int alpha_on;
    double alpha;
    double *gamma, *pt; /* NULL: the defaults */
    size_t ngamma, npt;
} curves_opts;

static int alpha_option(curves_opts *o, int c, const char *arg)
{
    if (c == FL_OPT_NO_ALPHA || strcasecmp(arg, "off") == 0 ||
        strcasecmp(arg, "none") == 0) {
        o->alpha_on = 0;
        return 0;
    }
    o->alpha_on = 1;
    return fl_opt_real("curves", "--alpha", arg, 0, 0, 1, 0, &o->alpha);
}

static int option(void *ctx, int c, const char *arg)
{
    curves_opts *o = ctx;
    switch (c) {
    case 'g':
    case FL_OPT_GAMMA:
        return fl_opt_list("curves", "--gamma", arg, 0, INFINITY, MAX_GAMMAS,
                           &o->gamma, &o->ngamma);
    case FL_OPT_PT:
        return fl_opt_list("curves", "--pt", arg, 0, 1, MAX_PT, &o->pt,
                           &o->npt);
    case 'a':
    case FL_OPT_ALPHA:
    case FL_OPT_NO_ALPHA:
        return alpha_option(o, c, arg);
    case 'f':
    case FL_OPT_FORMAT:
        if (fl_format_parse(arg, &o->format) != 0)
            return fl_usage_error("curves", "--format: '%s' is not one of "
                                            "table, csv, tsv, json, md", arg);
        return 0;
    }
    int st = fl_figure_option("curves", &o->fig, c, arg);
    if (st < 0)
        return fl_usage_error("curves", "unknown option");
    return st;
}

/* The options, for getopt_long and the command table. */
const struct option fl_curves_longopts[] = {
    FL_FIGURE_LONGOPTS,
    {"gamma", required_argument, NULL, FL_OPT_GAMMA},
    {"alpha", required_argument, NULL, FL_OPT_ALPHA},
    {"no-alpha", no_argument, NULL, FL_OPT_NO_ALPHA},
    {"pt", required_argument, NULL, FL_OPT_PT},
    {"format", required_argument, NULL, FL_OPT_FORMAT},
    {"help", no_argument, NULL, FL_OPT_HELP},
    {NULL, 0, NULL, 0}};
const char fl_curves_shortopts[] = ":a:g:f:h";

static int parse_args(int argc, char **argv, curves_opts *o)
{
    int st = fl_getopt("curves", argc, argv, fl_curves_shortopts,
                       fl_curves_longopts, FL_OPT_HELP, option, o);
    if (st != 0)
        return st;
    if (optind < argc)
        return fl_usage_error("curves", "reads no FILE ('%s')", argv[optind]);
    if (o->pt && o->pt[0] == 0)
        return fl_usage_error("curves", "--pt: '0' is out of range (must be in "
                                        "(0, 1]: CE is infinite at p_t = 0)");
    return fl_figure_opts_finish("curves", &o->fig);
}

/* The default p_t: 0.005, 0.01, ..., 1. */
static int default_pt(curves_opts *o)
{
    o->npt = 200;
    o->pt = malloc(o->npt * sizeof *o->pt);
    if (!o->pt)
        return FL_ENOMEM;
    for (size_t j = 0; j < o->npt; j++)
        o->pt[j] = (double)(j + 1) / 200.0;
    return FL_OK;
}

static int curves(curves_opts *o)
{
    const double *gamma = o->gamma ? o->gamma : default_gamma;
    size_t ngamma = o->gamma ? o->ngamma
                             : sizeof default_gamma / sizeof *default_gamma;
    fl_curve_point *pts = NULL;
    if ((o->pt || default_pt(o) == FL_OK))
        pts = malloc(ngamma * o->npt * sizeof *pts);
    if (!pts) {
        fl_cli_error(NULL, 0, "out of memory");
        return FL_EXIT_DATA;
    }
    int status = FL_EXIT_OK;
    if (fl_curves_eval(gamma, ngamma, o->pt, o->npt, o->alpha_on, o->alpha,
                       pts) != FL_OK) {
        fl_cli_error(NULL, 0, "--pt: a p_t is out of (0, 1]");
        status = FL_EXIT_USAGE;
    } else {
        status = fl_report_done(fl_curves_report(pts, ngamma, o->npt,
                                                 o->alpha_on, o->alpha,
                                                 o->format, stdout));
    }
    if (status == FL_EXIT_OK && o->fig.prefix) {
        fl_figure_files f = {.prefix = o->fig.prefix};
        char title[128];
        if (o->alpha_on)
            snprintf(title, sizeof title, "flstat curves: focal loss, alpha %g "
                                          "(Lin et al., Figure 1)", o->alpha);
        else
            snprintf(title, sizeof title, "flstat curves: focal loss "
                                          "(Lin et al., Figure 1)");
        f.title = title;
        status = fl_figure_finish(&o->fig, &f,
                                  fl_figure_curves(&f, pts, ngamma, o->npt));
    }
    free(pts);
    return status;
}

int fl_cmd_curves(int argc, char **argv)
{
    curves_opts o = {.format = FL_FMT_TABLE, .alpha = 0.25};
    int st = parse_args(argc, argv, &o);
    if (st < 0) {
        st = fl_print_usage(fl_curves_usage);
    } else if (st == 0) {
        st = curves(&o);
    }
    free(o.gamma);
    free(o.pt);
    return st;
}
