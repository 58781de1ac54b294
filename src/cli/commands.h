/* commands.h: every subcommand, one file each (cmd_NAME.c): its entry point
 * and its --help text, for the command table in main.c.
 *
 * How to add a command:
 *  1. write src/cli/cmd_NAME.c with int fl_cmd_NAME(int argc, char **argv)
 *     (argv[0] is "NAME") and const char fl_NAME_usage[], the whole --help
 *     text: every option it takes, as the others lay it out.  Parse with
 *     fl_getopt (cli.h), which answers -h and --help with that text and
 *     reports unknown options; report errors with fl_cli_error or
 *     fl_usage_error; return FL_EXIT_OK, FL_EXIT_DATA or FL_EXIT_USAGE and
 *     end output with fl_finish_output, which checks that stdout took it;
 *  2. declare both here, and add {"NAME", fl_cmd_NAME, fl_NAME_usage,
 *     "one line"} to fl_commands in main.c: 'flstat help' lists it and
 *     'flstat help NAME' prints its usage;
 *  3. keep the work in src/core (arrays in, status codes out) and the
 *     printing in src/output: the command only wires them to the terminal;
 *  4. document it in man/flstat.1 and README.md, and test it in
 *     tests/cli/test_NAME.sh (exact stdout, stderr and exit status). */
#ifndef FL_COMMANDS_H
#define FL_COMMANDS_H

int fl_cmd_summarize(int argc, char **argv);
extern const char fl_summarize_usage[];
int fl_cmd_simulate(int argc, char **argv);
extern const char fl_simulate_usage[];

int fl_cmd_sweep(int argc, char **argv);
extern const char fl_sweep_usage[];
int fl_cmd_curves(int argc, char **argv);
extern const char fl_curves_usage[];
int fl_cmd_cdf(int argc, char **argv);
extern const char fl_cdf_usage[];
int fl_cmd_gradhist(int argc, char **argv);
extern const char fl_gradhist_usage[];

#endif
