/* commands.c: the command table, flstat's own usage and flstat help. */
#include "cli/commands.h"
#include "cli/suggest.h"

#include <string.h>

static int cmd_help(int argc, char **argv);

static const char help_usage[] =
    "usage: flstat help [COMMAND]\n"
    "\n"
    "Show the list of commands, or the help of COMMAND: the same text as\n"
    "'flstat COMMAND --help' and 'flstat COMMAND -h'.\n"
    "\n"
    "  -h, --help           show this help and exit\n"
    "\n"
    "Exit status: 0 success, 2 usage error (no such COMMAND).\n";

static const struct option help_longopts[] = {
    {"help", no_argument, NULL, FL_OPT_HELP}, {NULL, 0, NULL, 0}};
static const char help_shortopts[] = ":h";

const fl_command fl_commands[] = {
    {"summarize", fl_cmd_summarize, fl_summarize_usage,
     "loss and gradient shares of easy/hard negatives/positives, every loss",
     fl_summarize_longopts, fl_summarize_shortopts},
    {"simulate", fl_cmd_simulate, fl_simulate_usage,
     "synthetic dumps from known score models (init, midway, converged)",
     fl_simulate_longopts, fl_simulate_shortopts},
    {"sweep", fl_cmd_sweep, fl_sweep_usage,
     "focal loss shares over a gamma x alpha grid, and the balancing alphas",
     fl_sweep_longopts, fl_sweep_shortopts},
    {"curves", fl_cmd_curves, fl_curves_usage,
     "the paper's Figure 1: CE and FL against p_t, with dFL/dx",
     fl_curves_longopts, fl_curves_shortopts},
    {"cdf", fl_cmd_cdf, fl_cdf_usage,
     "the paper's Figure 4: cumulative loss of the hardest examples",
     fl_cdf_longopts, fl_cdf_shortopts},
    {"gradhist", fl_cmd_gradhist, fl_gradhist_usage,
     "gradient-norm histogram (GHM): where CE, FL and GHM-C put the loss",
     fl_gradhist_longopts, fl_gradhist_shortopts},
    {"help", cmd_help, help_usage, "show the help of a command",
     help_longopts, help_shortopts},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};

const fl_command *fl_find_command(const char *name)
{
    for (const fl_command *c = fl_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

int fl_main_usage(FILE *out)
{
    fputs("usage: flstat COMMAND [OPTION]... [FILE]...\n"
          "       flstat help COMMAND | flstat --version\n"
          "\n"
          "Class imbalance in dense object detectors: cross-entropy, focal\n"
          "loss, FL* and OHEM on per-anchor dumps.\n"
          "\n"
          "Commands:\n", out);
    for (const fl_command *c = fl_commands; c->name; c++)
        fprintf(out, "  %-10s  %s\n", c->name, c->summary);
    fputs("\nSee 'flstat help COMMAND' and man flstat.\n", out);
    return out == stdout ? fl_finish_output(stdout) : FL_EXIT_USAGE;
}

/* The commands name may have meant, as a phrase ("'summarize'"), in buf;
 * NULL when none is close. */
static const char *command_hint(const char *name, char *buf, size_t cap)
{
    const char *names[sizeof fl_commands / sizeof *fl_commands];
    size_t n = 0, pick[FL_SUGGEST_MAX];
    for (const fl_command *c = fl_commands; c->name; c++)
        names[n++] = c->name;
    size_t k = fl_suggest_pick(name, strlen(name), names, n, pick);
    return k ? fl_suggest_phrase(buf, cap, "", names, pick, k) : NULL;
}

int fl_unknown_command(const char *name)
{
    char buf[256];
    const char *hint = command_hint(name, buf, sizeof buf);
    if (hint)
        fprintf(stderr, "flstat: '%s' is not a command; did you mean %s? "
                        "(see 'flstat help')\n", name, hint);
    else
        fprintf(stderr, "flstat: '%s' is not a command; see 'flstat help'\n",
                name);
    return FL_EXIT_USAGE;
}

/* help has no option but -h and --help, which fl_getopt stops at. */
static int no_option(void *ctx, int c, const char *arg)
{
    (void)ctx, (void)c, (void)arg;
    return 0;
}

static int cmd_help(int argc, char **argv)
{
    int st = fl_getopt("help", argc, argv, help_shortopts, help_longopts,
                       FL_OPT_HELP, no_option, NULL);
    if (st < 0)
        return fl_print_usage(help_usage);
    if (st != 0)
        return st;
    if (optind == argc)
        return fl_main_usage(stdout);
    if (argc - optind > 1)
        return fl_usage_error("help", "one command at a time");
    const fl_command *c = fl_find_command(argv[optind]);
    if (c)
        return fl_print_usage(c->usage);
    char buf[256];
    const char *hint = command_hint(argv[optind], buf, sizeof buf);
    if (hint)
        return fl_usage_error("help", "no command '%s'; did you mean %s?",
                              argv[optind], hint);
    return fl_usage_error("help", "no command '%s'", argv[optind]);
}
