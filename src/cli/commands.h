/* commands.h: every subcommand, one file each (cmd_NAME.c): its entry point
 * and its --help text, for the command table in main.c. */
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
