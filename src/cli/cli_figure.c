/* cli_figure.c: options, inputs and output of the figure commands. */
#include "cli/cli_figure.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/numlist.h"
#include "core/status.h"

int fl_figure_option(const char *cmd, fl_figure_opts *o, int c,
                     const char *arg)
{
    switch (c) {
    case FL_OPT_PLOT:
        if (!*arg)
            return fl_usage_error(cmd, "--plot: PREFIX is empty");
        if (!fl_gp_string_ok(arg))
            return fl_usage_error(cmd, "--plot: PREFIX holds a control "
                                       "character");
        o->prefix = arg;
        return 0;
    case FL_OPT_RENDER:
        if (fl_render_parse(arg, &o->render) != 0)
            return fl_usage_error(cmd, "--render: '%s' is not one of png, "
                                       "svg, pdf", arg);
        return 0;
    }
    return -1;
}

int fl_figure_opts_finish(const char *cmd, const fl_figure_opts *o)
{
    if (o->render != FL_RENDER_NONE && !o->prefix)
        return fl_usage_error(cmd, "--render needs --plot PREFIX");
    return 0;
}

int fl_opt_list(const char *cmd, const char *opt, const char *arg, double lo,
                double hi, size_t max, double **out, size_t *n)
{
    char why[128];
    double *v;
    size_t m;
    int st = fl_numlist_parse(arg, max, &v, &m, why, sizeof why);
    if (st == FL_ENOMEM) {
        fl_cli_error(NULL, 0, "out of memory");
        return FL_EXIT_DATA;
    }
    if (st != FL_OK)
        return fl_usage_error(cmd, "%s: '%s': %s", opt, arg, why);
    if (v[0] < lo || v[m - 1] > hi) {
        double bad = v[0] < lo ? v[0] : v[m - 1];
        free(v);
        if (isinf(hi))
            return fl_usage_error(cmd, "%s: '%g' is out of range (must be "
                                       ">= %g)", opt, bad, lo);
        return fl_usage_error(cmd, "%s: '%g' is out of range (must be in "
                                   "[%g, %g])", opt, bad, lo, hi);
    }
    free(*out);
    *out = v;
    *n = m;
    return 0;
}

int fl_dump_figure_option(const char *cmd, fl_input_opts *in,
                          fl_figure_opts *fig, int c, const char *arg)
{
    int st = fl_figure_option(cmd, fig, c, arg);
    return st < 0 ? fl_input_option(cmd, in, c, arg) : st;
}

int fl_dump_figure_finish(const char *cmd, fl_input_opts *in,
                          const fl_figure_opts *fig)
{
    int st = fl_input_opts_finish(cmd, in);
    return st ? st : fl_figure_opts_finish(cmd, fig);
}

int fl_figure_begin(const fl_figure_opts *o, fl_figure_out *out,
                    const char *cmd, char *const *paths, int npaths)
{
    if (!o->prefix)
        return 0;
    char *t = out->title;
    size_t cap = sizeof out->title;
    if (npaths < 1)
        snprintf(t, cap, "flstat %s", cmd);
    else if (npaths == 1)
        snprintf(t, cap, "flstat %s: %s", cmd, fl_reader_display_name(paths[0]));
    else
        snprintf(t, cap, "flstat %s: %s and %d more", cmd,
                 fl_reader_display_name(paths[0]), npaths - 1);
    out->files = (fl_figure_files){.prefix = o->prefix, .title = t};
    return 1;
}

int fl_figure_finish(const fl_figure_opts *o, const fl_figure_files *f,
                     int st)
{
    if (st == FL_EINVAL) {
        fl_cli_error(NULL, 0, "--plot: PREFIX is too long");
        return FL_EXIT_DATA;
    }
    if (st != FL_OK) {
        fl_cli_error(f->failed, 0, "cannot write: %s", strerror(errno));
        return FL_EXIT_DATA;
    }
    if (o->render == FL_RENDER_NONE)
        return FL_EXIT_OK;
    char script[sizeof f->failed + 8], output[sizeof f->failed + 8];
    char why[512];
    snprintf(script, sizeof script, "%s.gp", o->prefix);
    snprintf(output, sizeof output, "%s.%s", o->prefix,
             fl_render_name(o->render));
    fflush(stdout); /* gnuplot's messages come after what was printed */
    if (fl_plot_render(script, output, o->render, why, sizeof why) != FL_OK) {
        fl_cli_error(NULL, 0, "cannot render %s: %s; %s and %s.dat are "
                              "written", output, why, script, o->prefix);
        return FL_EXIT_DATA;
    }
    return FL_EXIT_OK;
}
