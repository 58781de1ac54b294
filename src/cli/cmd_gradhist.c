/* cmd_gradhist.c: flstat gradhist. */
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/cli_figure.h"
#include "cli/commands.h"
#include "output/figreport.h"
#include "core/gradhist.h"
#include "core/parts.h"
#include "core/status.h"

const char fl_gradhist_usage[] =
    "usage: flstat gradhist [OPTION]... [FILE]...\n"
    "\n"
    "The gradient-norm distribution behind GHM (Li et al., AAAI 2019): the\n"
    "norm g = |p - y| = 1 - p_t in [0, 1], in equal bins.  Per bin: the\n"
    "negatives and positives in it, their share of all negatives and of all\n"
    "positives, and the share of the total loss and of the total |gradient|\n"
    "under CE, under focal loss (--alpha, --gamma) and under GHM-C's\n"
    "reweighting (an example weighs valid examples / examples in its bin /\n"
    "non-empty bins; no momentum).  It shows where the easy examples pile up\n"
    "and how each loss redistributes them.\n"
    "FILE is a CSV dump as for summarize; '-' or no FILE reads standard input.\n"
    "\n"
    "Options:\n"
    "      --bins N         N equal bins, 1 to 100000 (default 30)\n"
    "  -a, --alpha A        FL's alpha in [0, 1] (default 0.25); 'off' weighs\n"
    "                       every example 1\n"
    "      --no-alpha       the same as --alpha off\n"
    "  -g, --gamma G        FL's gamma, >= 0 (default 2)\n"
    "\n"
    "Input:\n"
    "      --logit COL, --prob COL, --eps E, --label COL, --image COL,\n"
    "      --class COL, --delim C, --skip-bad, --wide PREFIX, --wide-prob\n"
    "      PREFIX, --labels CONV, --softmax, --background COL, --easy P,\n"
    "      --threads N\n"
    "                       as for summarize\n"
    "\n"
    "Output:\n"
    "  -f, --format F       table (default), csv, tsv, json or md\n"
    "      --plot PREFIX    write PREFIX.dat and PREFIX.gp, a gnuplot script:\n"
    "                       examples per bin on a log scale, and each loss's\n"
    "                       share per bin\n"
    "      --render FMT     run gnuplot (FLSTAT_GNUPLOT, else from PATH) on\n"
    "                       PREFIX.gp to make PREFIX.FMT: png, svg or pdf\n"
    "  -q, --quiet          no progress display on a terminal\n"
    "  -h, --help           show this help and exit\n"
    "\n"
    "csv and tsv have one row per bin with the columns\n"
    "bin,g_lo,g_hi,neg_count,pos_count,ce_loss_share,ce_grad_share,\n"
    "fl_loss_share,fl_grad_share,ghm_loss_share,ghm_grad_share,neg_share,\n"
    "pos_share,ghm_weight.\n"
    "\n"
    "Exit status: 0 success, 1 bad data or I/O failure, 2 usage error.\n"
    "Example: flstat gradhist --plot ghm --render png run.csv\n";

#define MAX_BINS 100000

typedef struct gradhist_opts {
    fl_input_opts in;
    fl_figure_opts fig;
    uint64_t bins;
} gradhist_opts;

static int option(void *ctx, int c, const char *arg)
{
    gradhist_opts *o = ctx;
    if (c == FL_OPT_BINS)
        return fl_opt_count("gradhist", "--bins", arg, 1, MAX_BINS, &o->bins);
    return fl_dump_figure_option("gradhist", &o->in, &o->fig, c, arg);
}

/* The options, for getopt_long and the command table. */
const struct option fl_gradhist_longopts[] = {
    FL_INPUT_LONGOPTS, FL_FIGURE_LONGOPTS,
    {"alpha", required_argument, NULL, FL_OPT_ALPHA},
    {"no-alpha", no_argument, NULL, FL_OPT_NO_ALPHA},
    {"gamma", required_argument, NULL, FL_OPT_GAMMA},
    {"bins", required_argument, NULL, FL_OPT_BINS},
    {NULL, 0, NULL, 0}};
const char fl_gradhist_shortopts[] = ":a:g:f:qh";

static int parse_args(int argc, char **argv, gradhist_opts *o)
{
    int st = fl_getopt("gradhist", argc, argv, fl_gradhist_shortopts,
                       fl_gradhist_longopts, FL_OPT_HELP, option, o);
    return st ? st : fl_dump_figure_finish("gradhist", &o->in, &o->fig);
}

static int output(const gradhist_opts *o, const fl_gradhist *h,
                  const fl_gradhist_row *rows, char **paths, int npaths,
                  const fl_counts *counts)
{
    fl_report_inputs in = {(const char *const *)paths, (size_t)npaths, counts};
    int st = fl_report_done(
        fl_gradhist_report(h, rows, &in, o->in.format, stdout));
    fl_figure_out f;
    if (st != FL_EXIT_OK ||
        !fl_figure_begin(&o->fig, &f, "gradhist", paths, npaths))
        return st;
    const fl_params *p = &h->params;
    return fl_figure_finish(&o->fig, &f.files,
                            fl_figure_gradhist(&f.files, rows, h->nbins,
                                               p->gamma, p->alpha_on,
                                               p->alpha));
}

static int gradhist(gradhist_opts *o, char **paths, int npaths)
{
    fl_counts counts = {0};
    fl_gradhist *h = fl_gradhist_new(&o->in.params, (size_t)o->bins);
    fl_gradhist_row *rows = malloc((size_t)o->bins * sizeof *rows);
    if (!h || !rows) {
        fl_gradhist_free(h);
        free(rows);
        fl_cli_error(NULL, 0, "out of memory");
        return FL_EXIT_DATA;
    }
    fl_parts parts = fl_gradhist_parts(h);
    int status = fl_read_inputs_parts(&o->in, paths, npaths, &parts, &counts,
                                      NULL);
    if (status == FL_EXIT_OK)
        status = fl_check_counts(&counts, NULL, FL_BY_NONE);
    if (status == FL_EXIT_OK) {
        fl_gradhist_rows(h, rows);
        status = output(o, h, rows, paths, npaths, &counts);
    }
    fl_gradhist_free(h);
    free(rows);
    return status;
}

int fl_cmd_gradhist(int argc, char **argv)
{
    gradhist_opts o = {.bins = 30};
    fl_input_opts_init(&o.in);
    int st = parse_args(argc, argv, &o);
    char **paths;
    int npaths;
    if (st < 0)
        return fl_print_usage(fl_gradhist_usage);
    if (st != 0)
        return st;
    st = fl_input_paths("gradhist", argc, argv, &paths, &npaths);
    return st ? st : gradhist(&o, paths, npaths);
}
