/* fuzz_options.c: any option words through the shared option parser and
 * the checks of the whole command line.  The input is a list of words
 * separated by NUL bytes: an option code (a byte) and its argument.
 * Usage errors are expected: make fuzz runs it with -close_fd_mask=2. */
#include <stdint.h>

#include "fuzz.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    if (!copy)
        abort();
    memcpy(copy, data, size);
    copy[size] = '\0';
    fl_input_opts o;
    fl_input_opts_init(&o);
    const char *p = copy, *end = copy + size;
    while (p < end) {
        int code = FL_OPT_ALPHA + (unsigned char)*p % (FL_OPT_LAST - FL_OPT_ALPHA);
        const char *arg = p + 1 <= end ? p + 1 : end;
        int st = fl_input_option("fuzz", &o, code, arg);
        if (st != 0 && st != -1 && st != FL_EXIT_USAGE)
            abort();
        p = arg + strlen(arg) + 1;
    }
    if (fl_input_opts_finish("fuzz", &o) == 0) {
        fl_params *q = &o.params;
        if (!(q->gamma >= 0 && q->alpha >= 0 && q->alpha <= 1 && q->easy >= 0 &&
              q->easy <= 1 && q->star_gamma > 0 && q->eps > 0 && q->eps < 0.5 &&
              q->ohem_ratio >= 0 && o.threads >= 1))
            abort(); /* an accepted value out of its range */
    }
    free(copy);
    return 0;
}
