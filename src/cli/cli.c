/* cli.c: messages, option values, inputs and output for every command. */
#define _DEFAULT_SOURCE /* strcasecmp */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli/suggest.h"
#include "output/report.h"
#include "input/csv/numparse.h"
#include "input/pipe.h"
#include "core/status.h"

void fl_cli_error(const char *file, uint64_t line, const char *fmt, ...)
{
    va_list ap;
    fputs("flstat: ", stderr);
    if (file && line)
        fprintf(stderr, "%s:%llu: ", file, (unsigned long long)line);
    else if (file)
        fprintf(stderr, "%s: ", file);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int fl_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "flstat: %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'flstat %s --help' for more information.\n", cmd);
    return FL_EXIT_USAGE;
}

int fl_print_usage(const char *usage)
{
    fputs(usage, stdout);
    return fl_finish_output(stdout);
}

int fl_opt_real(const char *cmd, const char *opt, const char *arg, double lo,
                int lo_open, double hi, int hi_open, double *out)
{
    double v;
    enum fl_num st = fl_parse_double(arg, strlen(arg), &v);
    if (st == FL_NUM_RANGE || st == FL_NUM_NONFINITE)
        return fl_usage_error(cmd, "%s: '%s' is not a finite number", opt, arg);
    if (st != FL_NUM_OK)
        return fl_usage_error(cmd, "%s: '%s' is not a number", opt, arg);
    if (v < lo || (lo_open && v == lo) || v > hi || (hi_open && v == hi)) {
        char range[96];
        if (isinf(hi))
            snprintf(range, sizeof range, "%s %g", lo_open ? ">" : ">=", lo);
        else
            snprintf(range, sizeof range, "in %c%g, %g%c", lo_open ? '(' : '[',
                     lo, hi, hi_open ? ')' : ']');
        return fl_usage_error(cmd, "%s: '%s' is out of range (must be %s)",
                              opt, arg, range);
    }
    *out = v;
    return 0;
}

int fl_opt_count(const char *cmd, const char *opt, const char *arg,
                 uint64_t min, uint64_t max, uint64_t *out)
{
    const char *p = arg;
    uint64_t v = 0;
    if (*p == '+')
        p++;
    if (!*p)
        return fl_usage_error(cmd, "%s: '%s' is not a whole number", opt, arg);
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return fl_usage_error(cmd, "%s: '%s' is not a whole number >= 0",
                                  opt, arg);
        unsigned d = (unsigned)(*p - '0');
        if (v > (max - d) / 10)
            return fl_usage_error(cmd, "%s: '%s' is too large (at most %llu)",
                                  opt, arg, (unsigned long long)max);
        v = 10 * v + d;
    }
    if (v < min)
        return fl_usage_error(cmd, "%s: '%s' is out of range (must be >= %llu)",
                              opt, arg, (unsigned long long)min);
    *out = v;
    return 0;
}

/* The long options word (up to any '=') may have meant, as a phrase
 * ("'--gamma'" or "'--label' or '--labels'") in buf; NULL when none is
 * close.  *ambiguous: word abbreviates two options or more, which
 * getopt_long refuses (the hint then names them). */
static const char *long_hint(const char *word, const struct option *longopts,
                             char *buf, size_t cap, int *ambiguous)
{
    const char *names[128] = {0}; /* more than any command has */
    size_t n = 0, pick[FL_SUGGEST_MAX], begun = 0;
    size_t len = strcspn(word, "=");
    for (; longopts[n].name && n < sizeof names / sizeof *names; n++) {
        names[n] = longopts[n].name;
        begun += len > 0 && strncmp(names[n], word, len) == 0;
    }
    *ambiguous = begun > 1;
    size_t k = fl_suggest_pick(word, len, names, n, pick);
    return k ? fl_suggest_phrase(buf, cap, "--", names, pick, k) : NULL;
}

/* getopt_long returned '?' or ':' (opterr off): name what was wrong the
 * way the user wrote it.  Inside a cluster (-qZ) optind still points at the
 * cluster, so a short option is named by optopt; a value is missing only
 * from the last argument. */
static int bad_option(const char *cmd, int c, char **argv,
                      const char *shortopts, const struct option *longopts)
{
    const char *a = argv[optind - 1];
    int is_long = strncmp(a, "--", 2) == 0;
    if (c == ':')
        return is_long ? fl_usage_error(cmd, "option '%s' needs a value", a)
                       : fl_usage_error(cmd, "option '-%c' needs a value",
                                        optopt);
    if (optopt > 0 && optopt < 256 && !strchr(shortopts, optopt))
        return fl_usage_error(cmd, "unknown option '-%c'", optopt);
    const char *eq = strchr(a, '=');
    if (optopt != 0 && is_long && eq) /* --quiet=1 */
        return fl_usage_error(cmd, "option '%.*s' takes no value",
                              (int)(eq - a), a);
    char buf[256];
    int ambiguous = 0;
    const char *hint =
        is_long ? long_hint(a + 2, longopts, buf, sizeof buf, &ambiguous)
                : NULL;
    const char *what = ambiguous ? "ambiguous" : "unknown";
    if (hint)
        return fl_usage_error(cmd, "%s option '%s'; did you mean %s?", what,
                              a, hint);
    return fl_usage_error(cmd, "%s option '%s'", what, a);
}

int fl_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
              const struct option *longopts, int help_code,
              int (*each)(void *ctx, int c, const char *arg), void *ctx)
{
    int c;
    opterr = 0;
    /* 0, not 1: glibc then also forgets where it was inside a cluster of
     * short options, should an earlier parse in this process stop there */
    optind = 0;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == help_code || c == 'h')
            return -1;
        if (c == '?' || c == ':')
            return bad_option(cmd, c, argv, shortopts, longopts);
        int st = each(ctx, c, optarg);
        if (st != 0)
            return st;
    }
    return 0;
}

/* Whether the environment variable name is set, and not to 0. */
static int env_on(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

/* The reader's test switches (reader.h), which the tests set through the
 * environment and nothing else sets: FLSTAT_LIBCSV_ONLY runs every input
 * through libcsv, FLSTAT_NO_AVX2 takes the SSE2 line readers where AVX2
 * would do, FLSTAT_PART_BYTES cuts inputs read on several threads into
 * parts this small, FLSTAT_MAX_RECORD gives up on a record at this many
 * bytes (a test of an endless record then needs a few MiB). */
static fl_reader_test test_switches(void)
{
    fl_reader_test t = {0};
    const char *part = getenv("FLSTAT_PART_BYTES");
    const char *rec = getenv("FLSTAT_MAX_RECORD");
    t.no_fast_path = env_on("FLSTAT_LIBCSV_ONLY");
    t.no_avx2 = env_on("FLSTAT_NO_AVX2");
    t.part_bytes = part ? strtoul(part, NULL, 10) : 0;
    t.max_record = rec ? strtoul(rec, NULL, 10) : 0;
    return t;
}

void fl_input_opts_init(fl_input_opts *o)
{
    memset(o, 0, sizeof *o);
    o->reader.delim = ',';
    o->reader.eps = 1e-12;
    fl_params_default(&o->params);
    o->format = FL_FMT_TABLE;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o->threads = cores > 1 ? (uint64_t)cores : 1;
}

static int parse_delim(const char *cmd, const char *arg, char *out)
{
    if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
        *out = '\t';
    else if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n' &&
             arg[0] != '\r')
        *out = arg[0];
    else
        return fl_usage_error(cmd, "--delim: '%s' is not one character "
                                   "(or 'tab')", arg);
    return 0;
}

static int loss_option(const char *cmd, fl_params *p, int c, const char *arg)
{
    switch (c) {
    case 'a':
    case FL_OPT_ALPHA:
        if (strcasecmp(arg, "off") == 0 || strcasecmp(arg, "none") == 0) {
            p->alpha_on = 0;
            return 0;
        }
        p->alpha_on = 1;
        return fl_opt_real(cmd, "--alpha", arg, 0, 0, 1, 0, &p->alpha);
    case FL_OPT_NO_ALPHA:
        p->alpha_on = 0;
        return 0;
    case 'g':
    case FL_OPT_GAMMA:
        return fl_opt_real(cmd, "--gamma", arg, 0, 0, INFINITY, 0, &p->gamma);
    case FL_OPT_STAR_GAMMA:
        return fl_opt_real(cmd, "--star-gamma", arg, 0, 1, INFINITY, 0,
                           &p->star_gamma);
    case FL_OPT_STAR_BETA:
        return fl_opt_real(cmd, "--star-beta", arg, -INFINITY, 0, INFINITY, 0,
                           &p->star_beta);
    case FL_OPT_OHEM_BATCH:
        return fl_opt_count(cmd, "--ohem-batch", arg, 0, (uint64_t)1 << 40,
                            &p->ohem_batch);
    case FL_OPT_OHEM_RATIO:
        return fl_opt_real(cmd, "--ohem-ratio", arg, 0, 0, INFINITY, 0,
                           &p->ohem_ratio);
    case FL_OPT_EASY:
        return fl_opt_real(cmd, "--easy", arg, 0, 0, 1, 0, &p->easy);
    }
    return -1;
}

int fl_input_option(const char *cmd, fl_input_opts *o, int c, const char *arg)
{
    fl_columns *cols = &o->reader.cols;
    switch (c) {
    case 'f':
    case FL_OPT_FORMAT:
        if (fl_format_parse(arg, &o->format) != 0)
            return fl_usage_error(cmd, "--format: '%s' is not one of table, "
                                       "csv, tsv, json, md", arg);
        return 0;
    case FL_OPT_LOGIT: cols->logit = arg; return 0;
    case FL_OPT_PROB: cols->prob = arg; return 0;
    case FL_OPT_LABEL: cols->label = arg; return 0;
    case FL_OPT_IMAGE: cols->image = arg; return 0;
    case FL_OPT_CLASS: cols->klass = arg; return 0;
    case FL_OPT_DELIM:
        o->delim_given = 1;
        return parse_delim(cmd, arg, &o->reader.delim);
    case FL_OPT_EPS:
        if (fl_opt_real(cmd, "--eps", arg, 0, 1, 0.5, 1, &o->params.eps))
            return FL_EXIT_USAGE;
        o->reader.eps = o->params.eps;
        return 0;
    case FL_OPT_SKIP_BAD: o->reader.skip_bad = 1; return 0;
    case FL_OPT_WIDE: o->reader.wide = arg; return 0;
    case FL_OPT_SOFTMAX:
        o->reader.softmax = 1;
        o->params.softmax = 1;
        return 0;
    case FL_OPT_BACKGROUND: cols->background = arg; return 0;
    case FL_OPT_THREADS: {
        uint64_t n;
        if (fl_opt_count(cmd, "--threads", arg, 1, 1024, &n))
            return FL_EXIT_USAGE;
        o->threads = n;
        return 0;
    }
    case FL_OPT_WIDE_PROB: o->reader.wide_prob = arg; return 0;
    case FL_OPT_LABELS: {
        char choices[96];
        o->reader.labels = fl_labels_find(arg);
        if (o->reader.labels == FL_LABELS_NONE)
            return fl_usage_error(cmd, "--labels: '%s' is not %s", arg,
                                  fl_labels_choices(choices, sizeof choices));
        return 0;
    }
    case 'q':
    case FL_OPT_QUIET: o->quiet = 1; return 0;
    case FL_OPT_OHEM_RATIO:
        o->ratio_given = 1;
        break;
    }
    return loss_option(cmd, &o->params, c, arg);
}

int fl_input_opts_finish(const char *cmd, fl_input_opts *o)
{
    fl_params *p = &o->params;
    if (o->reader.cols.logit && o->reader.cols.prob)
        return fl_usage_error(cmd, "--logit and --prob exclude each other");
    if (o->reader.cols.background && !o->reader.softmax)
        return fl_usage_error(cmd, "--background goes with --softmax");
    if (o->reader.softmax && o->reader.wide_prob)
        return fl_usage_error(cmd, "--softmax reads logits: --wide, not "
                                   "--wide-prob");
    if (o->reader.wide && o->reader.wide_prob)
        return fl_usage_error(cmd, "--wide and --wide-prob exclude each other");
    if ((o->reader.wide || o->reader.wide_prob) &&
        (o->reader.cols.logit || o->reader.cols.prob || o->reader.cols.klass))
        return fl_usage_error(cmd, "--wide and --wide-prob exclude --logit, "
                                   "--prob and --class");
    if (!o->ratio_given)
        p->ohem_mode = FL_OHEM_TOP;
    else
        p->ohem_mode = p->ohem_batch ? FL_OHEM_RATIO : FL_OHEM_SSD;
    if (p->ohem_batch == 0 && !o->ratio_given)
        return fl_usage_error(cmd, "--ohem-batch 0 (the SSD rule) needs "
                                   "--ohem-ratio");
    return 0;
}

/* ---- progress on a terminal ---- */

typedef struct progress {
    int on;
    double start, last;
    int drawn;
} progress;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void human_bytes(char *buf, size_t cap, double b)
{
    const char *unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < 4) {
        b /= 1024;
        u++;
    }
    snprintf(buf, cap, u ? "%.1f %s" : "%.0f %s", b, unit[u]);
}

static void show_progress(void *ctx, const char *name, uint64_t done,
                          uint64_t total)
{
    progress *pr = ctx;
    double t = now();
    if (t - pr->last < 0.25 || t - pr->start < 0.5)
        return;
    pr->last = t;
    double rate = (double)done / (t - pr->start);
    char d[32], tot[32], r[32];
    human_bytes(d, sizeof d, (double)done);
    human_bytes(r, sizeof r, rate);
    fprintf(stderr, "\r\033[K%s: %s", name, d);
    if (total) {
        human_bytes(tot, sizeof tot, (double)total);
        fprintf(stderr, " of %s (%.0f%%)", tot, 100.0 * (double)done / (double)total);
    }
    fprintf(stderr, ", %s/s", r);
    if (total && rate > 0 && done <= total)
        fprintf(stderr, ", %.0f s left", (double)(total - done) / rate);
    pr->drawn = 1;
}

int fl_read_inputs(fl_input_opts *o, char **paths, int npaths,
                   fl_batch_sink sink, void *ctx, fl_counts *counts)
{
    return fl_read_inputs_keep(o, paths, npaths, sink, ctx, counts, NULL);
}

int fl_read_inputs_keep(fl_input_opts *o, char **paths, int npaths,
                        fl_batch_sink sink, void *ctx, fl_counts *counts,
                        fl_reader **reader)
{
    fl_parts serial = {.whole = ctx, .add = sink};
    return fl_read_inputs_parts(o, paths, npaths, &serial, counts, reader);
}

/* Whether every path is named NAME.tsv or NAME.tsv.gz: tab-separated
 * then, unless --delim says otherwise. */
static int all_tsv(char **paths, int npaths)
{
    for (int i = 0; i < npaths; i++) {
        size_t n = strlen(paths[i]);
        const char *p = paths[i];
        if (!(n > 4 && strcmp(p + n - 4, ".tsv") == 0) &&
            !(n > 7 && strcmp(p + n - 7, ".tsv.gz") == 0))
            return 0;
    }
    return npaths > 0;
}

/* Scores read as logits that all lie in [0, 1], a hundred or more, are
 * likely probabilities: say so, and how to read them as such (the numbers
 * stand, exit status 0). */
enum { FL_PROB_WARN_MIN = 100 };
static void warn_probabilities(const fl_counts *c)
{
    if (c->score_is_prob || c->logits_outside_unit ||
        c->positives + c->negatives < FL_PROB_WARN_MIN)
        return;
    const char *col = c->score_column;
    char name[160];
    if (c->wide_k)
        fl_cli_error(NULL, 0, "warning: every score of %s lies in [0, 1]: if "
                              "they are probabilities, read them with "
                              "--wide-prob %s",
                     fl_report_score_name(name, sizeof name, c), col);
    else
        fl_cli_error(NULL, 0, "warning: every logit of column '%s' lies in "
                              "[0, 1]: if they are probabilities, read them "
                              "with --prob %s", col, col);
}

/* Read paths[i] with r, in parts when parts can merge. */
static int read_one(fl_input_opts *o, fl_reader *r, const char *path,
                    const fl_parts *parts, fl_batch_sink sink, void *ctx,
                    fl_counts *counts, fl_error *err)
{
    if (parts->merge && o->threads > 1)
        return fl_reader_read_parts(r, path, parts, (int)o->threads, counts,
                                    err);
    return fl_reader_read(r, path, sink, ctx, counts, err);
}

int fl_read_inputs_parts(fl_input_opts *o, char **paths, int npaths,
                         const fl_parts *parts, fl_counts *counts,
                         fl_reader **reader)
{
    fl_batch_sink sink = parts->add;
    void *ctx = parts->whole;
    if (reader)
        *reader = NULL;
    progress pr = {.on = !o->quiet && isatty(STDERR_FILENO)};
    if (pr.on) {
        o->reader.progress = show_progress;
        o->reader.progress_ctx = &pr;
    }
    if (!o->delim_given && all_tsv(paths, npaths))
        o->reader.delim = '\t';
    fl_reader_test test = test_switches();
    fl_reader *r = fl_reader_new(&o->reader, &test);
    if (!r) {
        fl_cli_error(NULL, 0, "out of memory");
        return FL_EXIT_DATA;
    }
    /* Without parts, two threads: the reader fills batches while the sink
     * computes. */
    fl_pipe *pipe = o->threads > 1 && !parts->merge ? fl_pipe_new(sink, ctx)
                                                    : NULL;
    if (pipe) {
        sink = fl_pipe_put;
        ctx = pipe;
    }
    int status = FL_EXIT_OK;
    for (int i = 0; i < npaths && status == FL_EXIT_OK; i++) {
        fl_error err = {0};
        pr.start = now();
        pr.last = pr.start;
        int st = read_one(o, r, paths[i], parts, sink, ctx, counts, &err);
        if (pr.drawn)
            fputs("\r\033[K", stderr);
        pr.drawn = 0;
        if (st == FL_ENOMEM)
            fl_cli_error(NULL, 0, "out of memory");
        else if (st != FL_OK)
            fl_cli_error(err.file, err.line, "%s", err.msg);
        if (st != FL_OK) /* FL_EINVAL: an option the input needs */
            status = st == FL_EINVAL ? FL_EXIT_USAGE : FL_EXIT_DATA;
    }
    if (fl_pipe_finish(pipe) != FL_OK && status == FL_EXIT_OK) {
        fl_cli_error(NULL, 0, "out of memory");
        status = FL_EXIT_DATA;
    }
    if (status == FL_EXIT_OK)
        warn_probabilities(counts);
    const fl_error *skip = fl_reader_first_skip(r);
    if (status == FL_EXIT_OK && skip)
        fl_cli_error(skip->file, skip->line, "skipped %llu bad row%s; the first: %s",
                 (unsigned long long)counts->skipped,
                 counts->skipped == 1 ? "" : "s", skip->msg);
    if (reader && status == FL_EXIT_OK)
        *reader = r;
    else
        fl_reader_free(r);
    return status;
}

int fl_finish_output(FILE *out)
{
    if (fflush(out) != 0 || ferror(out)) {
        /* a closed pipe with SIGPIPE ignored: the reader left on purpose
         * (as head does), and a message would only be noise */
        if (errno != EPIPE)
            fl_cli_error(NULL, 0, "write error: %s", strerror(errno));
        return FL_EXIT_DATA;
    }
    return FL_EXIT_OK;
}

int fl_input_paths(const char *cmd, int argc, char **argv, char ***paths,
                   int *npaths)
{
    static char *stdin_path[] = {"-"};
    *paths = argv + optind;
    *npaths = argc - optind;
    if (*npaths > 0)
        return 0;
    if (isatty(STDIN_FILENO))
        return fl_usage_error(cmd, "no input: give a FILE, or '-' to read a "
                                   "pipe");
    *paths = stdin_path;
    *npaths = 1;
    return 0;
}

int fl_report_done(int st)
{
    if (st == FL_ENOMEM) {
        fl_cli_error(NULL, 0, "out of memory");
        return FL_EXIT_DATA;
    }
    return fl_finish_output(stdout);
}

int fl_check_counts(const fl_counts *c, const char *to, enum fl_by by)
{
    if (c->positives + c->negatives == 0) {
        fl_cli_error(NULL, 0, "no examples%s%s: every row is ignored or "
                              "skipped", to ? " " : "", to ? to : "");
        return FL_EXIT_DATA;
    }
    if (by == FL_BY_CLASS && c->classes == 0) {
        fl_cli_error(NULL, 0, "--by class needs a class column (class, "
                              "class_id, cls) or a wide dump");
        return FL_EXIT_DATA;
    }
    return FL_EXIT_OK;
}
