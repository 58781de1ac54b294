/* cmd_cdf.c: flstat cdf. */
#include <math.h>
#include <stdlib.h>

#include "core/cdf.h"
#include "cli/cli.h"
#include "cli/cli_figure.h"
#include "cli/commands.h"
#include "output/figreport.h"
#include "core/parts.h"
#include "core/status.h"

const char fl_cdf_usage[] =
    "usage: flstat cdf [OPTION]... [FILE]...\n"
    "\n"
    "The paper's Figure 4 on your dump: for each gamma, positives and negatives\n"
    "apart, sorted by focal loss, easiest first: the cumulative share of the\n"
    "group's loss against the fraction of the group's examples, from exact\n"
    "order statistics.  Headlines: the share of the positive loss carried by\n"
    "the hardest 20% of positives, and of the negative loss by the hardest 1%\n"
    "and 10% of negatives (the hardest fraction q of n examples: the ceil(q n)\n"
    "with the highest loss).  The shares do not depend on alpha.\n"
    "Keeps 8 bytes per non-ignored example (16 at most while reading),\n"
    "whatever the number of gammas.\n"
    "FILE is a CSV dump as for summarize; '-' or no FILE reads standard input.\n"
    "\n"
    "Options (LIST: comma-separated values, or START:STOP:STEP):\n"
    "  -g, --gamma LIST     gammas, each >= 0 (default 0,0.5,1,2)\n"
    "      --points N       at most N points per curve, N >= 2 (default 200)\n"
    "\n"
    "Input:\n"
    "      --logit COL, --prob COL, --eps E, --label COL, --image COL,\n"
    "      --class COL, --delim C, --skip-bad, --wide PREFIX, --wide-prob\n"
    "      PREFIX, --labels CONV, --softmax, --background COL, --easy P,\n"
    "      --threads N\n"
    "                       as for summarize\n"
    "\n"
    "Output:\n"
    "  -f, --format F       table (default) and md: the headlines; csv and tsv:\n"
    "                       the curves; json: both\n"
    "      --plot PREFIX    write PREFIX.dat and PREFIX.gp, a gnuplot script:\n"
    "                       the curves of positives and of negatives\n"
    "      --render FMT     run gnuplot (FLSTAT_GNUPLOT, else from PATH) on\n"
    "                       PREFIX.gp to make PREFIX.FMT: png, svg or pdf\n"
    "  -q, --quiet          no progress display on a terminal\n"
    "  -h, --help           show this help and exit\n"
    "\n"
    "csv and tsv have one row per curve point with the columns\n"
    "gamma,group,fraction,loss_share (group pos or neg).\n"
    "\n"
    "Exit status: 0 success, 1 bad data or I/O failure, 2 usage error.\n"
    "Example: flstat cdf --plot fig4 --render png run.csv\n";

static const double default_gamma[] = {0, 0.5, 1, 2};
#define MAX_GAMMAS 100

typedef struct cdf_opts {
    fl_input_opts in;
    fl_figure_opts fig;
    double *gamma; /* NULL: the defaults */
    size_t ngamma;
    uint64_t points;
} cdf_opts;

static int option(void *ctx, int c, const char *arg)
{
    cdf_opts *o = ctx;
    if (c == 'g' || c == FL_OPT_GAMMA)
        return fl_opt_list("cdf", "--gamma", arg, 0, INFINITY, MAX_GAMMAS,
                           &o->gamma, &o->ngamma);
    if (c == FL_OPT_POINTS)
        return fl_opt_count("cdf", "--points", arg, 2, FL_CDF_MAX_POINTS,
                            &o->points);
    return fl_dump_figure_option("cdf", &o->in, &o->fig, c, arg);
}

/* The options, for getopt_long and the command table. */
const struct option fl_cdf_longopts[] = {
    FL_INPUT_LONGOPTS, FL_FIGURE_LONGOPTS,
    {"gamma", required_argument, NULL, FL_OPT_GAMMA},
    {"points", required_argument, NULL, FL_OPT_POINTS},
    {NULL, 0, NULL, 0}};
const char fl_cdf_shortopts[] = ":g:f:qh";

static int parse_args(int argc, char **argv, cdf_opts *o)
{
    int st = fl_getopt("cdf", argc, argv, fl_cdf_shortopts,
                       fl_cdf_longopts, FL_OPT_HELP, option, o);
    return st ? st : fl_dump_figure_finish("cdf", &o->in, &o->fig);
}

static int output(const cdf_opts *o, const fl_cdf_result *r, char **paths,
                  int npaths, const fl_counts *counts)
{
    fl_report_inputs in = {(const char *const *)paths, (size_t)npaths, counts};
    int st = fl_report_done(fl_cdf_report(r, &in, o->in.format, stdout));
    fl_figure_out f;
    if (st != FL_EXIT_OK || !fl_figure_begin(&o->fig, &f, "cdf", paths, npaths))
        return st;
    return fl_figure_finish(&o->fig, &f.files, fl_figure_cdf(&f.files, r));
}

static int cdf(cdf_opts *o, char **paths, int npaths)
{
    const double *gamma = o->gamma ? o->gamma : default_gamma;
    size_t ngamma = o->gamma ? o->ngamma
                             : sizeof default_gamma / sizeof *default_gamma;
    fl_counts counts = {0};
    fl_cdf *c = fl_cdf_new();
    if (!c) {
        fl_cli_error(NULL, 0, "out of memory");
        return FL_EXIT_DATA;
    }
    fl_parts parts = fl_cdf_parts(c);
    int status = fl_read_inputs_parts(&o->in, paths, npaths, &parts, &counts,
                                      NULL);
    if (status == FL_EXIT_OK)
        status = fl_check_counts(&counts, NULL, FL_BY_NONE);
    fl_cdf_result *r = NULL;
    if (status == FL_EXIT_OK) {
        fl_cdf_finish(c, o->in.threads > 1 ? 2 : 1);
        r = fl_cdf_result_new(c, gamma, ngamma, (size_t)o->points);
        if (!r) {
            fl_cli_error(NULL, 0, "out of memory");
            status = FL_EXIT_DATA;
        }
    }
    fl_cdf_free(c); /* before the output: the curves hold what it is for */
    if (status == FL_EXIT_OK)
        status = output(o, r, paths, npaths, &counts);
    fl_cdf_result_free(r);
    return status;
}

int fl_cmd_cdf(int argc, char **argv)
{
    cdf_opts o = {.points = 200};
    fl_input_opts_init(&o.in);
    int st = parse_args(argc, argv, &o);
    char **paths;
    int npaths;
    if (st < 0) {
        st = fl_print_usage(fl_cdf_usage);
    } else if (st == 0) {
        st = fl_input_paths("cdf", argc, argv, &paths, &npaths);
        if (st == 0)
            st = cdf(&o, paths, npaths);
    }
    free(o.gamma);
    return st;
}
