/* commands.h: every subcommand, one file each (cmd_NAME.c): its entry point,
 * its --help text and its options; and the command table (commands.c).
 *
 * How to add a command:
 *  1. write src/cli/cmd_NAME.c with int fl_cmd_NAME(int argc, char **argv)
 *     (argv[0] is "NAME") and const char fl_NAME_usage[], the whole --help
 *     text: every option it takes, as the others lay it out.  Parse with
 *     fl_getopt (cli.h), which answers -h and --help with that text and
 *     reports unknown options; report errors with fl_cli_error or
 *     fl_usage_error; return FL_EXIT_OK, FL_EXIT_DATA or FL_EXIT_USAGE and
 *     end output with fl_finish_output, which checks that stdout took it;
 *  2. declare it, its usage and its options (fl_NAME_longopts,
 *     fl_NAME_shortopts) here, and add its row to fl_commands in
 *     commands.c: 'flstat help' lists it and 'flstat help NAME' prints
 *     its usage;
 *  3. keep the work in src/core (arrays in, status codes out) and the
 *     printing in src/output: the command only wires them to the terminal;
 *  4. document it in man/flstat.1 and README.md, and test it in
 *     tests/cli/test_NAME.sh (exact stdout, stderr and exit status). */
#ifndef FL_COMMANDS_H
#define FL_COMMANDS_H

#include <stdio.h>

#include "cli/cli.h"

int fl_cmd_summarize(int argc, char **argv);
extern const char fl_summarize_usage[];
extern const struct option fl_summarize_longopts[];
extern const char fl_summarize_shortopts[];

int fl_cmd_simulate(int argc, char **argv);
extern const char fl_simulate_usage[];
extern const struct option fl_simulate_longopts[];
extern const char fl_simulate_shortopts[];

int fl_cmd_sweep(int argc, char **argv);
extern const char fl_sweep_usage[];
extern const struct option fl_sweep_longopts[];
extern const char fl_sweep_shortopts[];

int fl_cmd_curves(int argc, char **argv);
extern const char fl_curves_usage[];
extern const struct option fl_curves_longopts[];
extern const char fl_curves_shortopts[];

int fl_cmd_cdf(int argc, char **argv);
extern const char fl_cdf_usage[];
extern const struct option fl_cdf_longopts[];
extern const char fl_cdf_shortopts[];

int fl_cmd_gradhist(int argc, char **argv);
extern const char fl_gradhist_usage[];
extern const struct option fl_gradhist_longopts[];
extern const char fl_gradhist_shortopts[];

/* Every command, help last, ended by an entry whose name is NULL. */
extern const fl_command fl_commands[];

/* The command called name, or NULL. */
const fl_command *fl_find_command(const char *name);

/* Report on stderr that name is not a command, with the commands it may
 * have meant ("did you mean 'summarize'?"); return FL_EXIT_USAGE. */
int fl_unknown_command(const char *name);

/* Print flstat's usage and the list of commands on out.  Return the exit
 * status: that of writing it on stdout, else FL_EXIT_USAGE. */
int fl_main_usage(FILE *out);

#endif
