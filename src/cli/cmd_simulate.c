/* cmd_simulate.c: flstat simulate. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "core/simulate.h"
#include "core/status.h"
#include "output/writer.h"

const char fl_simulate_usage[] =
    "usage: flstat simulate [OPTION]... [-o FILE]\n"
    "\n"
    "Write a synthetic long-format dump (image_id,anchor,class,logit,label)\n"
    "whose truth is known, for summarize and the other commands to read:\n"
    "  flstat simulate --preset init | flstat summarize -\n"
    "Each image has its own counts of positive and ignored examples, drawn\n"
    "around the expected fractions and placed at random; each logit is drawn\n"
    "from a normal distribution chosen by the example's label (negatives:\n"
    "easy or hard).\n"
    "\n"
    "Shape:\n"
    "      --images N       images (default 1)\n"
    "      --anchors N      anchors per image (default 100000, as in the paper)\n"
    "      --classes N      classes: one row per anchor and class (default 1)\n"
    "      --pos-frac P     expected share of positive examples (default 0.001)\n"
    "      --ign-frac P     expected share of ignored examples (default 0.001)\n"
    "      --spread S       coefficient of variation across images of the share\n"
    "                       of positive and ignored examples (default 0: the\n"
    "                       same multinomial for every image)\n"
    "\n"
    "Scores: a preset, then any parameter on its own (means in [-1000, 1000],\n"
    "standard deviations in [0, 100]):\n"
    "      --preset NAME    init: every logit near the prior bias -log(99)\n"
    "                       (the paper's initialization, pi = 0.01);\n"
    "                       midway: part-way through training;\n"
    "                       converged: a trained detector (the default)\n"
    "      --neg-mean M     easy negatives' mean   --neg-sd S   and deviation\n"
    "      --hard-frac F    share of the negatives that are hard, in [0, 1]\n"
    "      --hard-mean M    hard negatives' mean   --hard-sd S  and deviation\n"
    "      --pos-mean M     positives' mean        --pos-sd S   and deviation\n"
    "      --ign-mean M     ignored examples' mean --ign-sd S   and deviation\n"
    "\n"
    "Output:\n"
    "  -o, --output FILE    write FILE (gzip-compressed when its name ends in\n"
    "                       .gz), whole or not at all; default or '-': standard\n"
    "                       output\n"
    "      --seed N         the generator's seed, 1 to 4294967295; without it a\n"
    "                       seed is drawn and printed on standard error\n"
    "  -h, --help           show this help and exit\n"
    "\n"
    "The same options and seed give the same bytes on every machine.  Logits\n"
    "are written with six decimals.  'man flstat' lists the presets'\n"
    "parameters and what each is meant to show.\n"
    "\n"
    "Exit status: 0 success, 1 I/O failure, 2 usage error.\n"
    "Example: flstat simulate --images 50 --seed 7 -o run.csv.gz\n";

enum {
    OPT_IMAGES = FL_OPT_LAST, OPT_ANCHORS, OPT_CLASSES, OPT_POS_FRAC,
    OPT_IGN_FRAC, OPT_SPREAD, OPT_PRESET, OPT_HARD_FRAC, OPT_SEED,
    OPT_HELP, OPT_MEAN, /* then one mean and one sd per component */
    OPT_SD = OPT_MEAN + FL_SIM_NCOMP
};

/* The options that set one component's mean or sd, by component. */
static const char *const mean_opts[FL_SIM_NCOMP] = {
    [FL_SIM_EASY_NEG] = "neg-mean", [FL_SIM_HARD_NEG] = "hard-mean",
    [FL_SIM_POS] = "pos-mean",      [FL_SIM_IGN] = "ign-mean"};
static const char *const sd_opts[FL_SIM_NCOMP] = {
    [FL_SIM_EASY_NEG] = "neg-sd", [FL_SIM_HARD_NEG] = "hard-sd",
    [FL_SIM_POS] = "pos-sd",      [FL_SIM_IGN] = "ign-sd"};

typedef struct sim_args {
    fl_sim_opts sim;
    enum fl_sim_preset preset;
    /* parameters given on their own, applied over the preset */
    int mean_given[FL_SIM_NCOMP], sd_given[FL_SIM_NCOMP], hard_given;
    double mean[FL_SIM_NCOMP], sd[FL_SIM_NCOMP], hard_frac;
    int seed_given;
    const char *output;
} sim_args;

static int positive_count(const char *opt, const char *arg, uint64_t max,
                          uint64_t *out)
{
    return fl_opt_count("simulate", opt, arg, 1, max, out);
}

/* Every real option of simulate is a closed range [lo, hi]. */
static int real_in(const char *opt, const char *arg, double lo, double hi,
                   double *out)
{
    return fl_opt_real("simulate", opt, arg, lo, 0, hi, 0, out);
}

static int component_option(sim_args *a, int c, const char *arg)
{
    char opt[32];
    if (c >= OPT_MEAN && c < OPT_SD) {
        int k = c - OPT_MEAN;
        snprintf(opt, sizeof opt, "--%s", mean_opts[k]);
        a->mean_given[k] = 1;
        return real_in(opt, arg, -FL_SIM_MAX_MEAN, FL_SIM_MAX_MEAN,
                       &a->mean[k]);
    }
    int k = c - OPT_SD;
    if (k < 0 || k >= FL_SIM_NCOMP)
        return fl_usage_error("simulate", "unknown option");
    snprintf(opt, sizeof opt, "--%s", sd_opts[k]);
    a->sd_given[k] = 1;
    return real_in(opt, arg, 0, FL_SIM_MAX_SD, &a->sd[k]);
}

static int one_option(sim_args *a, int c, const char *arg)
{
    fl_sim_opts *o = &a->sim;
    uint64_t seed;
    switch (c) {
    case OPT_IMAGES:
        return positive_count("--images", arg, UINT64_MAX, &o->images);
    case OPT_ANCHORS:
        return positive_count("--anchors", arg, FL_SIM_MAX_EXAMPLES,
                              &o->anchors);
    case OPT_CLASSES:
        return positive_count("--classes", arg, FL_SIM_MAX_EXAMPLES,
                              &o->classes);
    case OPT_POS_FRAC:
        return real_in("--pos-frac", arg, 0, 1, &o->pos_frac);
    case OPT_IGN_FRAC:
        return real_in("--ign-frac", arg, 0, 1, &o->ign_frac);
    case OPT_SPREAD:
        return real_in("--spread", arg, 0, INFINITY, &o->spread);
    case OPT_PRESET:
        if (fl_sim_preset_parse(arg, &a->preset) != 0)
            return fl_usage_error("simulate", "--preset: '%s' is not one of "
                                              "init, midway, converged", arg);
        return 0;
    case OPT_HARD_FRAC:
        a->hard_given = 1;
        return real_in("--hard-frac", arg, 0, 1, &a->hard_frac);
    case OPT_SEED:
        if (positive_count("--seed", arg, UINT32_MAX, &seed))
            return FL_EXIT_USAGE;
        o->seed = (uint32_t)seed;
        a->seed_given = 1;
        return 0;
    case 'o':
        a->output = arg;
        return 0;
    }
    return component_option(a, c, arg);
}

/* What only the whole command line can tell. */
static int check_together(const fl_sim_opts *o)
{
    if (o->pos_frac + o->ign_frac > 1)
        return fl_usage_error("simulate", "--pos-frac and --ign-frac: %g + %g "
                              "is more than 1", o->pos_frac, o->ign_frac);
    if (o->anchors > FL_SIM_MAX_EXAMPLES / o->classes)
        return fl_usage_error("simulate", "--anchors x --classes: more than "
                              "%u examples in an image", FL_SIM_MAX_EXAMPLES);
    double max = fl_sim_max_spread(o->pos_frac, o->ign_frac);
    if (o->spread > 0 && max == 0)
        return fl_usage_error("simulate", "--spread needs --pos-frac + "
                              "--ign-frac strictly between 0 and 1");
    if (o->spread > 0 && !(o->spread < max))
        return fl_usage_error("simulate", "--spread: %g is too large for these "
                              "fractions (must be < %g)", o->spread, max);
    return 0;
}

static int option(void *ctx, int c, const char *arg)
{
    return one_option(ctx, c, arg) != 0 ? FL_EXIT_USAGE : 0;
}

/* The options, for getopt_long and the command table. */
const struct option fl_simulate_longopts[] = {
    {"images", required_argument, NULL, OPT_IMAGES},
    {"anchors", required_argument, NULL, OPT_ANCHORS},
    {"classes", required_argument, NULL, OPT_CLASSES},
    {"pos-frac", required_argument, NULL, OPT_POS_FRAC},
    {"ign-frac", required_argument, NULL, OPT_IGN_FRAC},
    {"spread", required_argument, NULL, OPT_SPREAD},
    {"preset", required_argument, NULL, OPT_PRESET},
    {"hard-frac", required_argument, NULL, OPT_HARD_FRAC},
    {"seed", required_argument, NULL, OPT_SEED},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, OPT_HELP},
    {"neg-mean", required_argument, NULL, OPT_MEAN + FL_SIM_EASY_NEG},
    {"hard-mean", required_argument, NULL, OPT_MEAN + FL_SIM_HARD_NEG},
    {"pos-mean", required_argument, NULL, OPT_MEAN + FL_SIM_POS},
    {"ign-mean", required_argument, NULL, OPT_MEAN + FL_SIM_IGN},
    {"neg-sd", required_argument, NULL, OPT_SD + FL_SIM_EASY_NEG},
    {"hard-sd", required_argument, NULL, OPT_SD + FL_SIM_HARD_NEG},
    {"pos-sd", required_argument, NULL, OPT_SD + FL_SIM_POS},
    {"ign-sd", required_argument, NULL, OPT_SD + FL_SIM_IGN},
    {NULL, 0, NULL, 0}};
const char fl_simulate_shortopts[] = ":o:h";

static int parse_args(int argc, char **argv, sim_args *a)
{
    int st = fl_getopt("simulate", argc, argv, fl_simulate_shortopts,
                       fl_simulate_longopts, OPT_HELP, option, a);
    if (st != 0)
        return st;
    if (optind < argc)
        return fl_usage_error("simulate", "unexpected argument '%s' (the "
                              "output file goes after -o)", argv[optind]);
    fl_sim_model *m = &a->sim.model;
    fl_sim_model_preset(m, a->preset);
    for (int k = 0; k < FL_SIM_NCOMP; k++) {
        if (a->mean_given[k])
            m->mean[k] = a->mean[k];
        if (a->sd_given[k])
            m->sd[k] = a->sd[k];
    }
    if (a->hard_given)
        m->hard_frac = a->hard_frac;
    return check_together(&a->sim);
}

/* A seed in [1, 2^32 - 1] from the system's entropy, else the clock. */
static uint32_t draw_seed(void)
{
    uint32_t v = 0;
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f || fread(&v, sizeof v, 1, f) != 1) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        v = (uint32_t)ts.tv_nsec * 2654435761u ^ (uint32_t)ts.tv_sec ^
            (uint32_t)getpid() << 16;
    }
    if (f)
        fclose(f);
    return v % UINT32_MAX + 1;
}

static int report_io(const char *path, const char *what)
{
    const char *name = path && strcmp(path, "-") != 0 ? path : NULL;
    if (errno == EPIPE && !name) /* as fl_finish_output */
        return FL_EXIT_DATA;
    if (errno == ENOMEM)
        fl_cli_error(NULL, 0, "out of memory");
    else
        fl_cli_error(name, 0, "%s: %s", what, strerror(errno));
    return FL_EXIT_DATA;
}

/* The temporary file being written, for the signal handler: flstat's one
 * piece of static state, since a handler can reach nothing else. */
static char pending_tmp[4096];
static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP};

/* Remove the temporary file and die of sig as if not caught (SA_RESETHAND
 * restored the default; sig, blocked here, arrives on return). */
static void remove_tmp(int sig)
{
    if (pending_tmp[0])
        unlink(pending_tmp);
    raise(sig);
}

/* Remove tmp if a fatal signal comes before the dump is renamed; NULL to
 * stop.  Signals the caller ignores stay ignored. */
static void guard_tmp(const char *tmp)
{
    if (tmp && strlen(tmp) >= sizeof pending_tmp)
        return;
    pending_tmp[0] = '\0';
    if (tmp)
        memcpy(pending_tmp, tmp, strlen(tmp) + 1);
    for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++) {
        struct sigaction old, sa = {.sa_flags = SA_RESETHAND};
        sa.sa_handler = tmp ? remove_tmp : SIG_DFL;
        sigemptyset(&sa.sa_mask);
        if (sigaction(fatal_signals[i], NULL, &old) == 0 &&
            old.sa_handler != SIG_IGN)
            sigaction(fatal_signals[i], &sa, NULL);
    }
}

static int generate(const sim_args *a)
{
    enum { CHUNK = 4096 };
    fl_sim *s = NULL;
    fl_sim_row *rows = malloc(CHUNK * sizeof *rows);
    int st = rows ? fl_sim_new(&a->sim, &s) : FL_ENOMEM;
    if (st == FL_EINVAL) {
        free(rows);
        return fl_usage_error("simulate", "the options are out of range");
    }
    if (st != FL_OK) {
        free(rows);
        fl_cli_error(NULL, 0, "out of memory");
        return FL_EXIT_DATA;
    }
    fl_writer *w = NULL;
    if (fl_writer_open(a->output, &w) != FL_OK) {
        fl_sim_free(s);
        free(rows);
        return report_io(a->output, "cannot create");
    }
    size_t n;
    if (fl_writer_temp_path(w))
        guard_tmp(fl_writer_temp_path(w));
    while (st == FL_OK && (n = fl_sim_fill(s, rows, CHUNK)) > 0)
        st = fl_writer_rows(w, rows, n);
    fl_sim_free(s);
    free(rows);
    if (st != FL_OK) {
        int e = errno;
        fl_writer_abort(w);
        guard_tmp(NULL);
        errno = e;
        return report_io(a->output, "write error");
    }
    st = fl_writer_commit(w);
    guard_tmp(NULL);
    if (st != FL_OK)
        return report_io(a->output, "write error");
    return a->output && strcmp(a->output, "-") != 0 ? FL_EXIT_OK
                                                     : fl_finish_output(stdout);
}

int fl_cmd_simulate(int argc, char **argv)
{
    sim_args a = {.preset = FL_SIM_CONVERGED};
    fl_sim_opts_default(&a.sim);
    int st = parse_args(argc, argv, &a);
    if (st < 0)
        return fl_print_usage(fl_simulate_usage);
    if (st != 0)
        return st;
    if (!a.seed_given) {
        a.sim.seed = draw_seed();
        fl_cli_error(NULL, 0, "seed %" PRIu32 "; --seed %" PRIu32
                     " repeats this run", a.sim.seed, a.sim.seed);
    }
    return generate(&a);
}
