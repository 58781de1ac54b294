/* main.c: flstat's entry point: --version, --help, or a command. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

int main(int argc, char **argv)
{
    if (argc < 2)
        return fl_main_usage(stderr);
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("flstat %s\n", FL_VERSION);
        return fl_finish_output(stdout);
    }
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        return fl_main_usage(stdout);
    const fl_command *c = fl_find_command(name);
    if (!c)
        return fl_unknown_command(name);
    return c->run(argc - 1, argv + 1);
}
