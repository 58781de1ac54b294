/* simulate.h: synthetic detector dumps whose truth is known (issue 4).
 *
 * Every image has anchors x classes examples.  Its counts of positive,
 * ignored and negative examples are drawn (a multinomial, optionally with
 * an image-to-image spread), and placed at random.  Each example's logit
 * is drawn from a normal component chosen by its label: positives, ignored
 * examples, and negatives split between an easy and a hard component.
 *
 * The same options and seed give the same rows on every machine: the
 * uniform deviates come from GSL's MT19937, and every logit is computed
 * with +, -, *, / and sqrt only (exactly rounded by IEEE 754 everywhere),
 * then rounded to a whole number of 1 / FL_SIM_LOGIT_SCALE.  No I/O. */
#ifndef FL_SIMULATE_H
#define FL_SIMULATE_H

#include <stddef.h>
#include <stdint.h>

/* Logits are multiples of 1 / FL_SIM_LOGIT_SCALE (six decimals). */
#define FL_SIM_LOGIT_SCALE 1000000

/* Bounds on the parameters, so that every logit is finite and its scaled
 * value is exact in a double: |mean| <= FL_SIM_MAX_MEAN, sd <= FL_SIM_MAX_SD,
 * anchors x classes <= FL_SIM_MAX_EXAMPLES per image. */
#define FL_SIM_MAX_MEAN 1000.0
#define FL_SIM_MAX_SD 100.0
#define FL_SIM_MAX_EXAMPLES 4294967295u

/* The mixture's components, each a normal distribution of logits. */
enum fl_sim_comp {
    FL_SIM_EASY_NEG, /* the bulk of the negatives */
    FL_SIM_HARD_NEG, /* a share hard_frac of the negatives */
    FL_SIM_POS,
    FL_SIM_IGN,
    FL_SIM_NCOMP
};

typedef struct fl_sim_model {
    double mean[FL_SIM_NCOMP];
    double sd[FL_SIM_NCOMP];
    double hard_frac; /* the share of negatives drawn from FL_SIM_HARD_NEG */
} fl_sim_model;

/* The named score models. */
enum fl_sim_preset {
    FL_SIM_INIT,      /* the paper's prior initialization (section 4.1) */
    FL_SIM_MIDWAY,    /* part-way through training */
    FL_SIM_CONVERGED, /* a trained detector */
    FL_SIM_NPRESETS
};

typedef struct fl_sim_opts {
    uint64_t images;   /* >= 1 */
    uint64_t anchors;  /* per image, >= 1 */
    uint64_t classes;  /* rows per anchor, >= 1 */
    double pos_frac;   /* expected share of positive examples */
    double ign_frac;   /* expected share of ignored examples */
    double spread;     /* coefficient of variation across images of the
                          share of examples that are positive or ignored;
                          0: every image's counts from the same multinomial */
    fl_sim_model model;
    uint32_t seed;     /* >= 1 (MT19937 maps 0 to its default seed) */
} fl_sim_opts;

/* One row of a dump.  logit == logit_units / FL_SIM_LOGIT_SCALE, the double
 * nearest to the six-decimal number a writer prints. */
typedef struct fl_sim_row {
    uint64_t image;
    uint64_t anchor;
    uint64_t klass;
    int64_t logit_units;
    double logit;
    int label;             /* 1 positive, 0 negative, -1 ignored */
    enum fl_sim_comp comp; /* the component the logit was drawn from */
} fl_sim_row;

typedef struct fl_sim fl_sim;

/* Return the name of preset p ("init", "midway", "converged"), or NULL when
 * out of range. */
const char *fl_sim_preset_name(enum fl_sim_preset p);

/* Store the preset called name in *out and return 0, or return -1 when there
 * is none. */
int fl_sim_preset_parse(const char *name, enum fl_sim_preset *out);

/* Fill m with preset p's parameters. */
void fl_sim_model_preset(fl_sim_model *m, enum fl_sim_preset p);

/* Return the name of component c ("easy_neg", "hard_neg", "pos", "ign"), or
 * NULL when out of range. */
const char *fl_sim_comp_name(enum fl_sim_comp c);

/* Fill o with the defaults: 1 image of 100000 anchors, 1 class, positive
 * and ignored fractions 0.001, no spread, the converged model, seed 1. */
void fl_sim_opts_default(fl_sim_opts *o);

/* Return the largest spread (exclusive) that fractions pos and ign allow:
 * sqrt((1 - t) / t) with t = pos + ign, or 0 when t is 0 or 1. */
double fl_sim_max_spread(double pos_frac, double ign_frac);

/* Check o against every bound above.  Return FL_OK or FL_EINVAL. */
int fl_sim_opts_check(const fl_sim_opts *o);

/* Return a generator for o (copied) in *out and FL_OK; FL_EINVAL when o
 * fails fl_sim_opts_check, FL_ENOMEM when out of memory (*out is then
 * NULL).  Free with fl_sim_free. */
int fl_sim_new(const fl_sim_opts *o, fl_sim **out);

/* Free s; s may be NULL. */
void fl_sim_free(fl_sim *s);

/* Write the next rows, at most cap, into rows, image by image, anchor by
 * anchor, class by class.  Return how many were written: 0 once every row
 * has been produced. */
size_t fl_sim_fill(fl_sim *s, fl_sim_row *rows, size_t cap);

/* Return log(x) for finite x > 0, to within 2 ulp, computed with +, -, *, /
 * and frexp only, so that it gives the same bits on every machine (the C
 * library's log need not).  Return NaN for x <= 0 or not finite. */
double fl_sim_log(double x);

#endif
