/* cmd_summarize.c: flstat summarize. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "core/parts.h"
#include "output/report.h"
#include "core/status.h"
#include "core/summary.h"

const char fl_summarize_usage[] =
    "usage: flstat summarize [OPTION]... [FILE]...\n"
    "\n"
    "Report, for cross-entropy (ce), alpha-balanced CE (alpha_ce), focal loss\n"
    "(focal), FL* (focal_star) and CE over the examples OHEM keeps (ohem), the\n"
    "loss and the summed |dL/dx| of easy negatives, hard negatives, easy\n"
    "positives and hard positives, with their shares and the loss per positive.\n"
    "FILE is a long-format CSV dump (one row per anchor-class example), plain or\n"
    "gzip-compressed; '-' or no FILE reads standard input.  Several files are\n"
    "summarized together.\n"
    "\n"
    "Losses:\n"
    "  -a, --alpha A        alpha-balancing weight in [0, 1] (default 0.25);\n"
    "                       'off' weighs every example 1\n"
    "      --no-alpha       the same as --alpha off\n"
    "  -g, --gamma G        focusing parameter, >= 0 (default 2)\n"
    "      --star-gamma G   FL* gamma, > 0 (default 2)\n"
    "      --star-beta B    FL* beta (default 1)\n"
    "      --easy T         an example is easy when p_t > T, T in [0, 1]\n"
    "                       (default 0.5)\n"
    "\n"
    "Hard-example selection, per image, ranked by CE:\n"
    "      --ohem-batch B   keep the B highest-CE examples (default 128)\n"
    "      --ohem-ratio R   with B > 0: at most floor(B/(1+R)) positives, then\n"
    "                       negatives up to B (R = 3 is OHEM 1:3); with B = 0:\n"
    "                       SSD's rule, every positive and the floor(R x P)\n"
    "                       highest-CE negatives\n"
    "\n"
    "Input:\n"
    "      --logit COL      the logit column (default: logit, logits or x)\n"
    "      --prob COL       read probabilities from COL (default when there is\n"
    "                       no logit column: score, prob or p)\n"
    "      --eps E          clamp probabilities to [E, 1-E] (default 1e-12)\n"
    "      --label COL      the label column: 1, 0, -1 ignored (default: label,\n"
    "                       target or y)\n"
    "      --image COL      the image column (default: image_id, image or img);\n"
    "                       without one, a file is one image\n"
    "      --class COL      the class column (default: class, class_id or cls);\n"
    "                       its distinct values are counted\n"
    "      --delim C        field delimiter: one character or 'tab' (default ,)\n"
    "      --wide PREFIX    wide dump: one row per anchor, logits in PREFIX0 ..\n"
    "                       PREFIX{K-1} (found as logit_0.. by default when\n"
    "                       there is no logit column), the label its class\n"
    "      --wide-prob PREFIX  the same with probabilities (default prob_0..)\n"
    "      --labels CONV    how a wide dump's labels number the classes; needed\n"
    "                       for a wide dump, never guessed:\n"
    "                         torchvision  0..K-1 classes, -1 background,\n"
    "                                      -2 ignored\n"
    "                         detectron    0 background, 1..K classes,\n"
    "                                      -1 ignored\n"
    "                         detectron2, mmdet  0..K-1 classes, K\n"
    "                                      background, -1 ignored\n"
    "      --softmax        a wide dump with a background logit (PREFIXbg,\n"
    "                       background or bg): softmax focal loss, one example\n"
    "                       per anchor, p_t over the K classes and background\n"
    "      --background COL the background logit column for --softmax\n"
    "      --skip-bad       skip malformed rows, count them and report the first\n"
    "\n"
    "Breakdowns:\n"
    "      --by KEY         the report per class or per image (KEY class or\n"
    "                       image), keys by their share of the focal loss\n"
    "      --top N          only the N keys with the largest shares\n"
    "\n"
    "Output:\n"
    "  -f, --format F       table (default), csv, tsv, json or md\n"
    "  -q, --quiet          no progress display on a terminal\n"
    "      --threads N      threads that parse and compute (default: the\n"
    "                       online cores); the same results on any number\n"
    "  -h, --help           show this help and exit\n"
    "\n"
    "csv and tsv have one row per (loss, group) with the columns\n"
    "loss,group,count,loss_sum,loss_share,grad_sum,grad_share,loss_per_pos.\n"
    "\n"
    "Exit status: 0 success, 1 bad data or I/O failure, 2 usage error.\n"
    "Example: flstat simulate --seed 7 | flstat summarize --alpha 0.25 --gamma 2 -\n";

typedef struct summarize_ctx {
    fl_summary *s;
    fl_reader *reader;
    enum fl_by by;
} summarize_ctx;

typedef struct summarize_opts {
    fl_input_opts in;
    enum fl_by by;
    uint64_t top;
} summarize_opts;

enum { OPT_BY = FL_OPT_LAST, OPT_TOP };

static int own_option(summarize_opts *so, int c, const char *arg)
{
    if (c == OPT_TOP)
        return fl_opt_count("summarize", "--top", arg, 0, UINT32_MAX, &so->top);
    if (strcmp(arg, "class") == 0)
        so->by = FL_BY_CLASS;
    else if (strcmp(arg, "image") == 0)
        so->by = FL_BY_IMAGE;
    else
        return fl_usage_error("summarize", "--by: '%s' is not class or image",
                              arg);
    return 0;
}

static int option(void *ctx, int c, const char *arg)
{
    summarize_opts *so = ctx;
    return c >= OPT_BY ? own_option(so, c, arg)
                       : fl_input_option("summarize", &so->in, c, arg);
}

/* The options, for getopt_long and the command table. */
const struct option fl_summarize_longopts[] = {
    FL_INPUT_LONGOPTS, FL_LOSS_LONGOPTS,
    {"by", required_argument, NULL, OPT_BY},
    {"top", required_argument, NULL, OPT_TOP},
    {NULL, 0, NULL, 0}};
const char fl_summarize_shortopts[] = ":a:g:f:qh";

static int parse_args(int argc, char **argv, summarize_opts *so)
{
    int st = fl_getopt("summarize", argc, argv, fl_summarize_shortopts,
                       fl_summarize_longopts, FL_OPT_HELP, option, so);
    if (st != 0)
        return st;
    if (so->top && so->by == FL_BY_NONE)
        return fl_usage_error("summarize", "--top needs --by");
    return fl_input_opts_finish("summarize", &so->in);
}

static const char *key_name(void *ctx, uint64_t key)
{
    const summarize_ctx *sc = ctx;
    if (sc->by == FL_BY_CLASS)
        return fl_reader_class_name(sc->reader, (uint32_t)key);
    return fl_reader_image_name(sc->reader, key);
}

static int write_report(const summarize_opts *so, summarize_ctx *sc,
                        const fl_counts *counts, char **paths, int npaths)
{
    const char *const *inputs = (const char *const *)paths;
    int st = so->by == FL_BY_NONE
                 ? fl_report_write(sc->s, counts, inputs, (size_t)npaths,
                                   so->in.format, stdout)
                 : fl_report_write_by(sc->s, counts, inputs, (size_t)npaths,
                                      so->in.format, (size_t)so->top, key_name,
                                      sc, stdout);
    return fl_report_done(st);
}

static int summarize(summarize_opts *so, char **paths, int npaths)
{
    fl_counts counts = {0};
    summarize_ctx sc = {.by = so->by};
    sc.s = fl_summary_new_by(&so->in.params, so->by);
    if (!sc.s) {
        fl_cli_error(NULL, 0, "out of memory");
        return FL_EXIT_DATA;
    }
    so->in.reader.keep_image_names = so->by == FL_BY_IMAGE;
    fl_parts parts = fl_summary_parts(sc.s);
    int status = fl_read_inputs_parts(&so->in, paths, npaths, &parts, &counts,
                                      &sc.reader);
    if (status == FL_EXIT_OK && fl_summary_finish(sc.s) != FL_OK) {
        fl_cli_error(NULL, 0, "out of memory");
        status = FL_EXIT_DATA;
    }
    if (status == FL_EXIT_OK)
        status = fl_check_counts(&counts, "to summarize", so->by);
    if (status == FL_EXIT_OK)
        status = write_report(so, &sc, &counts, paths, npaths);
    fl_reader_free(sc.reader);
    fl_summary_free(sc.s);
    return status;
}

int fl_cmd_summarize(int argc, char **argv)
{
    summarize_opts o = {.by = FL_BY_NONE};
    fl_input_opts_init(&o.in);
    int st = parse_args(argc, argv, &o);
    if (st < 0)
        return fl_print_usage(fl_summarize_usage);
    char **paths;
    int npaths;
    if (st == 0)
        st = fl_input_paths("summarize", argc, argv, &paths, &npaths);
    return st ? st : summarize(&o, paths, npaths);
}
