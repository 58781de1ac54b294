/* report.h: summarize's output in every format (SPEC section 5). */
#ifndef FL_REPORT_H
#define FL_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "core/summary.h"
#include "output/table.h"

/* The tidy columns, in order: loss, group, count, loss_sum, loss_share,
 * grad_sum, grad_share, loss_per_pos. */
extern const char *const fl_report_columns[];
#define FL_REPORT_NCOLS 8

/* Return the tidy table of s (one row per loss and group, "all" first), or
 * NULL when out of memory.  The caller frees it with fl_table_free. */
fl_table *fl_report_table(const fl_summary *s, const fl_counts *c);

/* Write the report of s over the named inputs to out in format fmt.
 * Return FL_OK, FL_ENOMEM, or FL_EIO when writing failed (errno tells
 * why). */
int fl_report_write(const fl_summary *s, const fl_counts *c,
                    const char *const *inputs, size_t ninputs,
                    enum fl_format fmt, FILE *out);

/* Names a breakdown's key (class index or image ordinal) for output. */
typedef const char *(*fl_key_name)(void *ctx, uint64_t key);

/* A breakdown's key and its share, for ranking. */
typedef struct fl_key_rank {
    uint64_t key;
    double share;     /* rounded by fl_key_ranks_sort */
    const char *name; /* set by fl_key_ranks_sort */
} fl_key_rank;

/* Sort the n ranks by decreasing share (to 12 digits; NaN last), equal
 * shares by their keys' names (ids of digits by value), then by key: an
 * order that neither the numbers the keys got (a class's depends on the
 * thread that met it first) nor the order of a sum's terms changes. */
void fl_key_ranks_sort(fl_key_rank *r, size_t n, fl_key_name name, void *ctx);

/* Write the breakdown of s (made with fl_summary_new_by) per key, keys in
 * decreasing share of the total focal loss, the first top of them (0: all).
 * The tidy formats lead with a column named after the breakdown ("class"
 * or "image") and add total_loss_share and total_grad_share, each row's
 * share of the whole input's total of its loss.  Return as
 * fl_report_write. */
int fl_report_write_by(const fl_summary *s, const fl_counts *c,
                       const char *const *inputs, size_t ninputs,
                       enum fl_format fmt, size_t top, fl_key_name name,
                       void *name_ctx, FILE *out);

/* For the other commands' reports.  Write the json "counts" member of c
 * (indented two spaces, with a trailing comma). */
void fl_report_json_counts(FILE *out, const fl_counts *c);

/* The score columns read, as the report names them ("logit", or a wide
 * dump's "logit_0..logit_4"), in buf (cap bytes, always terminated);
 * return buf. */
const char *fl_report_score_name(char *buf, size_t cap, const fl_counts *c);

/* Write share as a percentage of about three digits into buf (never
 * rounding a part up to 100%; "-" for NaN); return buf. */
const char *fl_report_pct(char *buf, size_t cap, double share);

#endif
