/* cmd_sweep.c: flstat sweep. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_figure.h"
#include "cli/commands.h"
#include "output/figreport.h"
#include "core/parts.h"
#include "core/status.h"
#include "core/sweep.h"

const char fl_sweep_usage[] =
    "usage: flstat sweep [OPTION]... [FILE]...\n"
    "\n"
    "Focal loss over a grid of gammas and alphas (the paper's Table 1) in one\n"
    "pass: for every (gamma, alpha), the loss sum, the loss per positive, and\n"
    "the share of the loss and of the summed |dFL/dx| from easy negatives, hard\n"
    "negatives, easy positives and hard positives; for every gamma, the alpha\n"
    "at which positives and negatives carry equal loss, and equal |gradient|.\n"
    "The work per example grows with the number of gammas, not of alphas.\n"
    "FILE is a CSV dump as for summarize; '-' or no FILE reads standard input.\n"
    "\n"
    "Grid (LIST: comma-separated values, or START:STOP:STEP):\n"
    "  -g, --gamma LIST     gammas, each >= 0 (default 0,0.1,0.2,0.5,1,2,5)\n"
    "  -a, --alpha LIST     alphas, each in [0, 1]\n"
    "                       (default 0.1,0.25,0.5,0.75,0.9,0.99,0.999)\n"
    "      --easy T         an example is easy when p_t > T (default 0.5)\n"
    "\n"
    "Breakdowns:\n"
    "      --by KEY         per class or per image (KEY class or image): each\n"
    "                       key's loss, share of the input's loss and group\n"
    "                       shares for every (gamma, alpha), keys by their\n"
    "                       share of the first cell's loss\n"
    "      --top N          only the N keys with the largest shares\n"
    "\n"
    "Input:\n"
    "      --logit COL, --prob COL, --eps E, --label COL, --image COL,\n"
    "      --class COL, --delim C, --skip-bad, --wide PREFIX, --wide-prob\n"
    "      PREFIX, --labels CONV, --softmax, --background COL, --threads N\n"
    "                       as for summarize\n"
    "\n"
    "Output:\n"
    "  -f, --format F       table (default), csv, tsv, json or md\n"
    "      --plot PREFIX    write PREFIX.dat and PREFIX.gp, a gnuplot script:\n"
    "                       a heatmap of the easy-negative loss share over\n"
    "                       gamma x alpha, and that share against gamma\n"
    "      --render FMT     run gnuplot (FLSTAT_GNUPLOT, else from PATH) on\n"
    "                       PREFIX.gp to make PREFIX.FMT: png, svg or pdf\n"
    "  -q, --quiet          no progress display on a terminal\n"
    "  -h, --help           show this help and exit\n"
    "\n"
    "csv and tsv have one row per (gamma, alpha) with the columns\n"
    "gamma,alpha,loss_sum,loss_per_pos,easy_neg_loss_share,hard_neg_loss_share,\n"
    "easy_pos_loss_share,hard_pos_loss_share,easy_neg_grad_share,\n"
    "hard_neg_grad_share,easy_pos_grad_share,hard_pos_grad_share,grad_sum,\n"
    "balance_alpha_loss,balance_alpha_grad.\n"
    "\n"
    "Exit status: 0 success, 1 bad data or I/O failure, 2 usage error.\n"
    "Example: flstat sweep --gamma 0:5:0.5 --plot sweep --render png run.csv\n";

static const double default_gamma[] = {0, 0.1, 0.2, 0.5, 1, 2, 5};
static const double default_alpha[] = {0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999};
#define MAX_GAMMAS 1000
#define MAX_ALPHAS 100000

typedef struct sweep_opts {
    fl_input_opts in;
    fl_figure_opts fig;
    double *gamma, *alpha; /* NULL: the defaults */
    size_t ngamma, nalpha;
    enum fl_by by;
    uint64_t top;
} sweep_opts;

enum { OPT_BY = FL_OPT_LAST + 128, OPT_TOP };

typedef struct sweep_ctx {
    fl_sweep *s;
    fl_reader *reader;
} sweep_ctx;

static const char *key_name(void *ctx, uint64_t key)
{
    const sweep_ctx *sc = ctx;
    if (sc->s->by == FL_BY_CLASS)
        return fl_reader_class_name(sc->reader, (uint32_t)key);
    return fl_reader_image_name(sc->reader, key);
}

static int option(void *ctx, int c, const char *arg)
{
    sweep_opts *o = ctx;
    if (c == OPT_TOP)
        return fl_opt_count("sweep", "--top", arg, 0, UINT32_MAX, &o->top);
    if (c == OPT_BY) {
        if (strcmp(arg, "class") == 0)
            o->by = FL_BY_CLASS;
        else if (strcmp(arg, "image") == 0)
            o->by = FL_BY_IMAGE;
        else
            return fl_usage_error("sweep", "--by: '%s' is not class or image",
                                  arg);
        return 0;
    }
    if (c == 'g' || c == FL_OPT_GAMMA)
        return fl_opt_list("sweep", "--gamma", arg, 0, INFINITY, MAX_GAMMAS,
                           &o->gamma, &o->ngamma);
    if (c == 'a' || c == FL_OPT_ALPHA)
        return fl_opt_list("sweep", "--alpha", arg, 0, 1, MAX_ALPHAS,
                           &o->alpha, &o->nalpha);
    return fl_dump_figure_option("sweep", &o->in, &o->fig, c, arg);
}

/* The options, for getopt_long and the command table. */
const struct option fl_sweep_longopts[] = {
    FL_INPUT_LONGOPTS, FL_FIGURE_LONGOPTS,
    {"gamma", required_argument, NULL, FL_OPT_GAMMA},
    {"alpha", required_argument, NULL, FL_OPT_ALPHA},
    {"by", required_argument, NULL, OPT_BY},
    {"top", required_argument, NULL, OPT_TOP},
    {NULL, 0, NULL, 0}};
const char fl_sweep_shortopts[] = ":a:g:f:qh";

static int parse_args(int argc, char **argv, sweep_opts *o)
{
    int st = fl_getopt("sweep", argc, argv, fl_sweep_shortopts,
                       fl_sweep_longopts, FL_OPT_HELP, option, o);
    if (st != 0)
        return st;
    if (o->top && o->by == FL_BY_NONE)
        return fl_usage_error("sweep", "--top needs --by");
    if (o->by != FL_BY_NONE && o->fig.prefix)
        return fl_usage_error("sweep", "--plot draws the whole input: leave "
                                       "out --by");
    return fl_dump_figure_finish("sweep", &o->in, &o->fig);
}

static int output(sweep_opts *o, sweep_ctx *sc, const double *alpha,
                  size_t nalpha, char **paths, int npaths,
                  const fl_counts *counts)
{
    const fl_sweep *s = sc->s;
    fl_report_inputs in = {(const char *const *)paths, (size_t)npaths, counts};
    int st = o->by == FL_BY_NONE
                 ? fl_sweep_report(s, alpha, nalpha, &in, o->in.format, stdout)
                 : fl_sweep_report_by(s, alpha, nalpha, &in, o->in.format,
                                      (size_t)o->top, key_name, sc, stdout);
    fl_figure_out f;
    if ((st = fl_report_done(st)) != FL_EXIT_OK ||
        !fl_figure_begin(&o->fig, &f, "sweep", paths, npaths))
        return st;
    return fl_figure_finish(&o->fig, &f.files,
                            fl_figure_sweep(&f.files, s, alpha, nalpha));
}

static int sweep(sweep_opts *o, char **paths, int npaths)
{
    const double *gamma = o->gamma ? o->gamma : default_gamma;
    const double *alpha = o->alpha ? o->alpha : default_alpha;
    size_t ngamma = o->gamma ? o->ngamma : sizeof default_gamma / sizeof *default_gamma;
    size_t nalpha = o->alpha ? o->nalpha : sizeof default_alpha / sizeof *default_alpha;
    fl_counts counts = {0};
    fl_sweep *s = fl_sweep_new(gamma, ngamma, o->in.params.easy);
    if (!s) {
        fl_cli_error(NULL, 0, "out of memory");
        return FL_EXIT_DATA;
    }
    sweep_ctx sc = {s, NULL};
    fl_sweep_set_by(s, o->by);
    o->in.reader.keep_image_names = o->by == FL_BY_IMAGE;
    fl_parts parts = fl_sweep_parts(s);
    int status = fl_read_inputs_parts(&o->in, paths, npaths, &parts, &counts,
                                      &sc.reader);
    if (status == FL_EXIT_OK)
        status = fl_check_counts(&counts, "to sweep", o->by);
    if (status == FL_EXIT_OK)
        status = output(o, &sc, alpha, nalpha, paths, npaths, &counts);
    fl_reader_free(sc.reader);
    fl_sweep_free(s);
    return status;
}

int fl_cmd_sweep(int argc, char **argv)
{
    sweep_opts o = {0};
    fl_input_opts_init(&o.in);
    int st = parse_args(argc, argv, &o);
    char **paths;
    int npaths;
    if (st < 0) {
        st = fl_print_usage(fl_sweep_usage);
    } else if (st == 0) {
        st = fl_input_paths("sweep", argc, argv, &paths, &npaths);
        if (st == 0)
            st = sweep(&o, paths, npaths);
    }
    free(o.gamma);
    free(o.alpha);
    return st;
}
