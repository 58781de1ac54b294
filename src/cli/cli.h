/* cli.h: what every subcommand shares: messages, exit statuses, the input
 * options, progress on stderr and checked output. */
#ifndef FL_CLI_H
#define FL_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "core/loss.h"
#include "core/summary.h"
#include "input/reader.h"
#include "output/table.h"

enum { FL_EXIT_OK = 0, FL_EXIT_DATA = 1, FL_EXIT_USAGE = 2 };

#define FL_VERSION "0.1.0"

typedef struct fl_command {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the command's name */
    const char *usage;                  /* the whole --help text */
    const char *summary;                /* one line for 'flstat help' */
    const struct option *longopts;      /* what run hands getopt_long */
    const char *shortopts;              /* the same */
} fl_command;

/* Print "flstat: FILE:LINE: message" (FILE and LINE left out when NULL or 0)
 * on stderr. */
void fl_cli_error(const char *file, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Print "flstat: CMD: message" and a hint to --help on stderr; return
 * FL_EXIT_USAGE. */
int fl_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print a command's --help text to stdout; return the exit status. */
int fl_print_usage(const char *usage);

/* Parse arg as a finite real in [lo, hi] (lo excluded when lo_open, hi
 * when hi_open) for option opt.  Return 0, or report a usage error and
 * return FL_EXIT_USAGE. */
int fl_opt_real(const char *cmd, const char *opt, const char *arg, double lo,
                int lo_open, double hi, int hi_open, double *out);

/* Parse arg as a whole number in [min, max].  As fl_opt_real. */
int fl_opt_count(const char *cmd, const char *opt, const char *arg,
                 uint64_t min, uint64_t max, uint64_t *out);

/* The options every command that reads dumps takes. */
typedef struct fl_input_opts {
    fl_reader_opts reader;
    fl_params params;
    enum fl_format format;
    int quiet;
    int ratio_given; /* --ohem-ratio was given */
    int delim_given; /* --delim was given */
    uint64_t threads; /* that parse and compute, in parts or in a pipe */
} fl_input_opts;

/* Option codes of the shared options, beyond any character. */
enum {
    FL_OPT_ALPHA = 256, FL_OPT_NO_ALPHA, FL_OPT_GAMMA, FL_OPT_EASY,
    FL_OPT_STAR_GAMMA, FL_OPT_STAR_BETA, FL_OPT_OHEM_BATCH, FL_OPT_OHEM_RATIO,
    FL_OPT_EPS, FL_OPT_FORMAT, FL_OPT_LOGIT, FL_OPT_PROB, FL_OPT_LABEL,
    FL_OPT_IMAGE, FL_OPT_CLASS, FL_OPT_DELIM, FL_OPT_SKIP_BAD, FL_OPT_QUIET,
    FL_OPT_HELP, FL_OPT_WIDE, FL_OPT_WIDE_PROB, FL_OPT_LABELS, FL_OPT_SOFTMAX,
    FL_OPT_BACKGROUND, FL_OPT_THREADS, FL_OPT_LAST
};

/* getopt_long entries for the shared options, to put in a command's table. */
#define FL_INPUT_LONGOPTS                                          \
    {"format", required_argument, NULL, FL_OPT_FORMAT},            \
    {"logit", required_argument, NULL, FL_OPT_LOGIT},              \
    {"prob", required_argument, NULL, FL_OPT_PROB},                \
    {"label", required_argument, NULL, FL_OPT_LABEL},              \
    {"image", required_argument, NULL, FL_OPT_IMAGE},              \
    {"class", required_argument, NULL, FL_OPT_CLASS},              \
    {"delim", required_argument, NULL, FL_OPT_DELIM},              \
    {"eps", required_argument, NULL, FL_OPT_EPS},                  \
    {"easy", required_argument, NULL, FL_OPT_EASY},                \
    {"skip-bad", no_argument, NULL, FL_OPT_SKIP_BAD},              \
    {"quiet", no_argument, NULL, FL_OPT_QUIET},                    \
    {"wide", required_argument, NULL, FL_OPT_WIDE},                \
    {"wide-prob", required_argument, NULL, FL_OPT_WIDE_PROB},      \
    {"labels", required_argument, NULL, FL_OPT_LABELS},            \
    {"softmax", no_argument, NULL, FL_OPT_SOFTMAX},                \
    {"background", required_argument, NULL, FL_OPT_BACKGROUND},    \
    {"threads", required_argument, NULL, FL_OPT_THREADS},          \
    {"help", no_argument, NULL, FL_OPT_HELP}

/* The loss parameters' entries. */
#define FL_LOSS_LONGOPTS                                           \
    {"alpha", required_argument, NULL, FL_OPT_ALPHA},              \
    {"no-alpha", no_argument, NULL, FL_OPT_NO_ALPHA},              \
    {"gamma", required_argument, NULL, FL_OPT_GAMMA},              \
    {"star-gamma", required_argument, NULL, FL_OPT_STAR_GAMMA},    \
    {"star-beta", required_argument, NULL, FL_OPT_STAR_BETA},      \
    {"ohem-batch", required_argument, NULL, FL_OPT_OHEM_BATCH},    \
    {"ohem-ratio", required_argument, NULL, FL_OPT_OHEM_RATIO}

/* Run getopt_long over argv (from argv[1]) with shortopts and longopts, and
 * hand every option to each(ctx, code, its argument).  Return 0 when each
 * took them all (optind then indexes the operands), -1 at the option whose
 * code is help_code or at -h (when shortopts holds 'h': every command's
 * do), or the first non-zero status of each; unknown options and missing
 * values are reported here as usage errors of cmd. */
int fl_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
              const struct option *longopts, int help_code,
              int (*each)(void *ctx, int c, const char *arg), void *ctx);

/* Set o to the defaults. */
void fl_input_opts_init(fl_input_opts *o);

/* Apply shared option code c with argument arg (short options 'f', 'q',
 * 'a', 'g' map to their long twins).  Return 0 when applied, -1 when c is
 * not a shared option, FL_EXIT_USAGE after reporting a bad value. */
int fl_input_option(const char *cmd, fl_input_opts *o, int c, const char *arg);

/* Check what only the whole command line can tell (--prob with --logit,
 * the OHEM mode); set the OHEM mode.  Return 0 or FL_EXIT_USAGE. */
int fl_input_opts_finish(const char *cmd, fl_input_opts *o);

/* Read every input into the batch sink, with progress on a terminal, and
 * report errors and skipped rows on stderr.  Return FL_EXIT_OK or
 * FL_EXIT_DATA. */
int fl_read_inputs(fl_input_opts *o, char **paths, int npaths,
                   fl_batch_sink sink, void *ctx, fl_counts *counts);

/* The same, handing the reader (its class and image names) to the caller
 * in *reader, to be freed with fl_reader_free; *reader is NULL on failure. */
int fl_read_inputs_keep(fl_input_opts *o, char **paths, int npaths,
                        fl_batch_sink sink, void *ctx, fl_counts *counts,
                        fl_reader **reader);

/* The same, into a result that can be computed in parts (see fl_parts):
 * on o->threads threads when parts->merge is set and there are several,
 * else into parts->whole through parts->add (on two threads, a pipe).
 * reader may be NULL. */
int fl_read_inputs_parts(fl_input_opts *o, char **paths, int npaths,
                         const fl_parts *parts, fl_counts *counts,
                         fl_reader **reader);

/* Flush out and report a write error (silently for a closed pipe).
 * Return FL_EXIT_OK or FL_EXIT_DATA. */
int fl_finish_output(FILE *out);

/* Set *paths and *npaths to the FILE operands after getopt (standard input
 * when there are none and it is not a terminal).  Return 0 or
 * FL_EXIT_USAGE. */
int fl_input_paths(const char *cmd, int argc, char **argv, char ***paths,
                   int *npaths);

/* The end of a report written to stdout, st being what the fl_*_report
 * call returned: report FL_ENOMEM, else flush stdout (fl_finish_output).
 * Return FL_EXIT_OK or FL_EXIT_DATA. */
int fl_report_done(int st);

/* Whether what was read can be reported by a command (to: "to summarize",
 * say, or NULL): some example neither ignored nor skipped, and with
 * by == FL_BY_CLASS a class column.  Return FL_EXIT_OK, or FL_EXIT_DATA
 * after saying what is missing. */
int fl_check_counts(const fl_counts *c, const char *to, enum fl_by by);

#endif
