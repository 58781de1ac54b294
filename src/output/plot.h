/* plot.h: gnuplot scripts and their data, written whole or not at all, and
 * rendered by running gnuplot.  Nothing is printed: failures come back as a
 * status, with errno or a message. */
#ifndef FL_PLOT_H
#define FL_PLOT_H

#include <stddef.h>
#include <stdio.h>

enum fl_render { FL_RENDER_NONE, FL_RENDER_PNG, FL_RENDER_SVG, FL_RENDER_PDF };

/* Return the format called name ("png", "svg", "pdf") in *out and 0, or -1
 * when there is none. */
int fl_render_parse(const char *name, enum fl_render *out);

/* Return "png", "svg" or "pdf" ("" for FL_RENDER_NONE). */
const char *fl_render_name(enum fl_render r);

/* Writes a file's contents to out; returns 0, or -1 with errno set. */
typedef int (*fl_plot_fill)(void *ctx, FILE *out);

/* Write path through fill: into a new file beside it, then renamed over
 * path, so that path is either its old self or whole.  Return FL_OK, or
 * FL_EIO with errno set (no file left behind). */
int fl_plot_write_file(const char *path, fl_plot_fill fill, void *ctx);

/* Write s as a gnuplot single-quoted string; control characters, which
 * such a string cannot hold, become '?'. */
void fl_gp_string(FILE *out, const char *s);

/* Write s as a one-line comment, "# s", control characters as '?'. */
void fl_gp_comment(FILE *out, const char *s);

/* Return 1 when s can be written exactly by fl_gp_string (no control
 * character), else 0. */
int fl_gp_string_ok(const char *s);

/* Write the head of a script: comments saying what it draws and how to
 * render it, the terminal chosen by the first argument of 'gnuplot -c'
 * (png, svg or pdf; output in the second, else SCRIPT_BASE.FORMAT) at
 * width x height pixels, and DAT, the data file's name, as a variable. */
void fl_gp_begin(FILE *out, const char *what, const char *script_base,
                 const char *dat, int width, int height);

/* Write the tail of a script: close the multiplot and the output. */
void fl_gp_end(FILE *out);

/* Run gnuplot (FLSTAT_GNUPLOT when set and not empty, else gnuplot from
 * PATH; no shell) as 'gnuplot -c script FORMAT TMP', TMP a new file beside
 * output, and rename TMP to output when gnuplot succeeds.  gnuplot's
 * standard output goes to standard error, its standard input is
 * /dev/null.  Return FL_OK, or FL_EIO with a lower-case reason in
 * why[0..cap) (no output file left behind). */
int fl_plot_render(const char *script, const char *output, enum fl_render r,
                   char *why, size_t cap);

#endif
