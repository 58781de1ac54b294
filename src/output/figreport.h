/* figreport.h: the reports of sweep, curves, cdf and gradhist in every
 * format (tables for people, tidy csv/tsv/md, json). */
#ifndef FL_FIGREPORT_H
#define FL_FIGREPORT_H

#include <stddef.h>
#include <stdio.h>

#include "core/cdf.h"
#include "core/curves.h"
#include "core/gradhist.h"
#include "output/report.h"
#include "core/summary.h"
#include "core/sweep.h"
#include "output/table.h"

/* The inputs a report names, and what they held. */
typedef struct fl_report_inputs {
    const char *const *paths;
    size_t n;
    const fl_counts *counts;
} fl_report_inputs;

/* Each writes its report to out in format fmt and returns FL_OK,
 * FL_ENOMEM, or FL_EIO when writing failed (errno tells why). */

/* One row per (gamma, alpha) over the nalpha alphas, with the balancing
 * alphas of each gamma. */
int fl_sweep_report(const fl_sweep *s, const double *alpha, size_t nalpha,
                    const fl_report_inputs *in, enum fl_format fmt,
                    FILE *out);

/* One row per (gamma, p_t) of pts (gamma-major, ngamma x npt). */
int fl_curves_report(const fl_curve_point *pts, size_t ngamma, size_t npt,
                     int alpha_on, double alpha, enum fl_format fmt,
                     FILE *out);

/* The curves (csv, tsv, json) and the headlines (table, md, json). */
int fl_cdf_report(const fl_cdf_result *r, const fl_report_inputs *in,
                  enum fl_format fmt, FILE *out);

/* One row per bin of h, rows as fl_gradhist_rows fills them. */
int fl_gradhist_report(const fl_gradhist *h, const fl_gradhist_row *rows,
                       const fl_report_inputs *in, enum fl_format fmt,
                       FILE *out);

/* Write the sweep of s (with fl_sweep_set_by) per key: for every key,
 * gamma and alpha, the key's focal loss, its share of the whole input's
 * focal loss in that cell, and the shares of its loss and |gradient| by
 * group (easy negatives first).  Keys in decreasing share of the first
 * cell (first gamma, first alpha), the first top of them (0: all); tidy
 * formats lead with a column named "class" or "image".  Return FL_OK,
 * FL_ENOMEM, or FL_EIO when writing failed. */
int fl_sweep_report_by(const fl_sweep *s, const double *alpha, size_t nalpha,
                       const fl_report_inputs *in, enum fl_format fmt,
                       size_t top, fl_key_name name, void *name_ctx,
                       FILE *out);

#endif
