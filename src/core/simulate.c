/* simulate.c: the generator behind flstat simulate. */
#include "core/simulate.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"

/* A fused multiply-add would round differently from a multiply and an add,
 * and the logits must come out the same on every machine. */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

/* -log(99) = log(pi / (1 - pi)) for pi = 0.01: the paper's prior bias. */
#define PRIOR_BIAS -4.595119850134590

static const char *const preset_names[FL_SIM_NPRESETS] = {
    [FL_SIM_INIT] = "init",
    [FL_SIM_MIDWAY] = "midway",
    [FL_SIM_CONVERGED] = "converged",
};

static const char *const comp_names[FL_SIM_NCOMP] = {
    [FL_SIM_EASY_NEG] = "easy_neg",
    [FL_SIM_HARD_NEG] = "hard_neg",
    [FL_SIM_POS] = "pos",
    [FL_SIM_IGN] = "ign",
};

/* The presets, in the order of enum fl_sim_comp: mean, sd, and the share of
 * hard negatives.  The man page lists and explains them. */
static const struct {
    double mean[FL_SIM_NCOMP], sd[FL_SIM_NCOMP], hard_frac;
} presets[FL_SIM_NPRESETS] = {
    [FL_SIM_INIT] = {{PRIOR_BIAS, PRIOR_BIAS, PRIOR_BIAS, PRIOR_BIAS},
                     {0.1, 0.1, 0.1, 0.1}, 0.0},
    [FL_SIM_MIDWAY] = {{-5.0, -1.5, -0.5, -2.5}, {1.0, 1.0, 1.5, 1.5}, 0.05},
    [FL_SIM_CONVERGED] = {{-9.0, -2.0, 1.5, -2.0}, {1.5, 1.5, 2.0, 2.0}, 0.01},
};

struct fl_sim {
    fl_sim_opts o;
    gsl_rng *rng;
    uint64_t per_image; /* anchors x classes */
    uint64_t image;     /* the image being produced */
    uint64_t index;     /* its next example */
    uint64_t anchor, klass;
    int started;        /* the image's counts are drawn */
    uint64_t pos_left, ign_left;
    uint32_t hard_cut;  /* a negative is hard when a 32-bit draw is below */
    int all_hard;
    int have_spare;     /* the polar method makes normals in pairs */
    double spare;
};

const char *fl_sim_preset_name(enum fl_sim_preset p)
{
    return (unsigned)p < FL_SIM_NPRESETS ? preset_names[p] : NULL;
}

int fl_sim_preset_parse(const char *name, enum fl_sim_preset *out)
{
    for (int p = 0; p < FL_SIM_NPRESETS; p++)
        if (strcmp(name, preset_names[p]) == 0) {
            *out = (enum fl_sim_preset)p;
            return 0;
        }
    return -1;
}

const char *fl_sim_comp_name(enum fl_sim_comp c)
{
    return (unsigned)c < FL_SIM_NCOMP ? comp_names[c] : NULL;
}

void fl_sim_model_preset(fl_sim_model *m, enum fl_sim_preset p)
{
    memcpy(m->mean, presets[p].mean, sizeof m->mean);
    memcpy(m->sd, presets[p].sd, sizeof m->sd);
    m->hard_frac = presets[p].hard_frac;
}

void fl_sim_opts_default(fl_sim_opts *o)
{
    memset(o, 0, sizeof *o);
    o->images = 1;
    o->anchors = 100000;
    o->classes = 1;
    o->pos_frac = 0.001;
    o->ign_frac = 0.001;
    o->spread = 0.0;
    fl_sim_model_preset(&o->model, FL_SIM_CONVERGED);
    o->seed = 1;
}

double fl_sim_max_spread(double pos_frac, double ign_frac)
{
    double t = pos_frac + ign_frac;
    return t > 0 && t < 1 ? sqrt((1 - t) / t) : 0.0;
}

static int in_range(double v, double lo, double hi)
{
    return v >= lo && v <= hi; /* false for NaN */
}

int fl_sim_opts_check(const fl_sim_opts *o)
{
    if (o->images < 1 || o->anchors < 1 || o->classes < 1 || o->seed < 1 ||
        o->anchors > FL_SIM_MAX_EXAMPLES / o->classes)
        return FL_EINVAL;
    if (!in_range(o->pos_frac, 0, 1) || !in_range(o->ign_frac, 0, 1) ||
        o->pos_frac + o->ign_frac > 1)
        return FL_EINVAL;
    if (!in_range(o->spread, 0, INFINITY) ||
        (o->spread > 0 &&
         !(o->spread < fl_sim_max_spread(o->pos_frac, o->ign_frac))))
        return FL_EINVAL;
    const fl_sim_model *m = &o->model;
    if (!in_range(m->hard_frac, 0, 1))
        return FL_EINVAL;
    for (int c = 0; c < FL_SIM_NCOMP; c++)
        if (!in_range(m->mean[c], -FL_SIM_MAX_MEAN, FL_SIM_MAX_MEAN) ||
            !in_range(m->sd[c], 0, FL_SIM_MAX_SD))
            return FL_EINVAL;
    return FL_OK;
}

int fl_sim_new(const fl_sim_opts *o, fl_sim **out)
{
    *out = NULL;
    if (fl_sim_opts_check(o) != FL_OK)
        return FL_EINVAL;
    gsl_set_error_handler_off();
    fl_sim *s = calloc(1, sizeof *s);
    if (!s)
        return FL_ENOMEM;
    s->o = *o;
    /* MT19937 by name, never GSL_RNG_TYPE: the seed alone fixes the bytes */
    s->rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!s->rng) {
        free(s);
        return FL_ENOMEM;
    }
    gsl_rng_set(s->rng, o->seed);
    s->per_image = o->anchors * o->classes;
    /* below 1, hard_frac x 2^32 is exact and below 2^32 */
    s->all_hard = o->model.hard_frac >= 1;
    s->hard_cut =
        s->all_hard ? 0 : (uint32_t)(o->model.hard_frac * 4294967296.0);
    *out = s;
    return FL_OK;
}

void fl_sim_free(fl_sim *s)
{
    if (!s)
        return;
    gsl_rng_free(s->rng);
    free(s);
}

/* ln 2 in two parts (fdlibm's split): e * LN2_HI is exact for every
 * exponent of a double. */
#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define SQRT_HALF 0.70710678118654752440

double fl_sim_log(double x)
{
    if (!(x > 0) || !isfinite(x))
        return NAN;
    int e;
    double m = frexp(x, &e); /* exact: x = m 2^e, m in [0.5, 1) */
    if (m < SQRT_HALF) {
        m *= 2;
        e--;
    }
    /* log m = 2 atanh(f) = 2 (f + f^3/3 + f^5/5 + ...), |f| < 0.172: the
     * terms past f^23/23 are below 2^-60 of the first */
    double f = (m - 1) / (m + 1), f2 = f * f;
    double t = 1.0 / 23;
    static const double odd[] = {1.0 / 21, 1.0 / 19, 1.0 / 17, 1.0 / 15,
                                 1.0 / 13, 1.0 / 11, 1.0 / 9,  1.0 / 7,
                                 1.0 / 5,  1.0 / 3};
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++)
        t = t * f2 + odd[i];
    double tail = 2 * f * f2 * t; /* 2 (f^3/3 + f^5/5 + ...) */
    return (double)e * LN2_HI + (2 * f + (tail + (double)e * LN2_LO));
}

/* A uniform deviate in [0, 1) with 53 random bits, from two draws. */
static double uniform53(gsl_rng *r)
{
    uint32_t a = (uint32_t)gsl_rng_get(r) >> 5;
    uint32_t b = (uint32_t)gsl_rng_get(r) >> 6;
    return ((double)a * 67108864.0 + (double)b) / 9007199254740992.0;
}

/* A standard normal deviate by Marsaglia's polar method, which needs only
 * a logarithm and a square root (GSL's samplers call the C library's). */
static double normal(fl_sim *s)
{
    if (s->have_spare) {
        s->have_spare = 0;
        return s->spare;
    }
    double v1, v2, w;
    do {
        v1 = 2 * uniform53(s->rng) - 1;
        v2 = 2 * uniform53(s->rng) - 1;
        w = v1 * v1 + v2 * v2;
    } while (w >= 1 || w == 0);
    double k = sqrt(-2 * fl_sim_log(w) / w);
    s->spare = v2 * k;
    s->have_spare = 1;
    return v1 * k;
}

/* Draw the image's counts: positives, then ignored among the rest.  With a
 * spread, the image's share of examples near objects (positive or ignored)
 * is a beta deviate with mean pos + ign and that coefficient of variation. */
static void start_image(fl_sim *s)
{
    double p = s->o.pos_frac, q = s->o.ign_frac, t = p + q;
    if (s->o.spread > 0) {
        double cv = s->o.spread;
        double k = (1 - t) / (t * cv * cv) - 1; /* > 0: fl_sim_opts_check */
        double ti = gsl_ran_beta(s->rng, t * k, (1 - t) * k);
        p = ti * (p / t);
        q = ti * (q / t);
    }
    unsigned n = (unsigned)s->per_image;
    unsigned pos = p > 0 ? gsl_ran_binomial(s->rng, p, n) : 0;
    unsigned ign = 0;
    if (q > 0 && pos < n)
        ign = gsl_ran_binomial(s->rng, p < 1 ? fmin(1, q / (1 - p)) : 1,
                               n - pos);
    s->pos_left = pos;
    s->ign_left = ign;
    s->index = s->anchor = s->klass = 0;
    s->started = 1;
}

/* The label of the next example: sampling without replacement among the
 * image's remaining examples places its counts at random. */
static int next_label(fl_sim *s)
{
    uint64_t marked = s->pos_left + s->ign_left;
    if (marked == 0)
        return 0;
    uint64_t left = s->per_image - s->index;
    /* no draw when one kind fills what is left; left < 2^32 (opts_check) */
    uint64_t r = s->pos_left == left || s->ign_left == left
                     ? 0 : gsl_rng_uniform_int(s->rng, left);
    if (r < s->pos_left) {
        s->pos_left--;
        return 1;
    }
    if (r < marked) {
        s->ign_left--;
        return -1;
    }
    return 0;
}

static enum fl_sim_comp pick_comp(fl_sim *s, int label)
{
    if (label == 1)
        return FL_SIM_POS;
    if (label == -1)
        return FL_SIM_IGN;
    if (s->all_hard)
        return FL_SIM_HARD_NEG;
    if (s->hard_cut == 0)
        return FL_SIM_EASY_NEG;
    return (uint32_t)gsl_rng_get(s->rng) < s->hard_cut ? FL_SIM_HARD_NEG
                                                       : FL_SIM_EASY_NEG;
}

size_t fl_sim_fill(fl_sim *s, fl_sim_row *rows, size_t cap)
{
    const fl_sim_model *m = &s->o.model;
    size_t k = 0;
    while (k < cap && s->image < s->o.images) {
        if (!s->started)
            start_image(s);
        fl_sim_row *row = rows + k++;
        row->image = s->image;
        row->anchor = s->anchor;
        row->klass = s->klass;
        row->label = next_label(s);
        row->comp = pick_comp(s, row->label);
        double x = m->mean[row->comp] + m->sd[row->comp] * normal(s);
        row->logit_units = llround(x * FL_SIM_LOGIT_SCALE);
        row->logit = (double)row->logit_units / FL_SIM_LOGIT_SCALE;
        s->index++;
        if (++s->klass == s->o.classes) {
            s->klass = 0;
            s->anchor++;
        }
        if (s->index == s->per_image) {
            s->image++;
            s->started = 0;
        }
    }
    return k;
}
