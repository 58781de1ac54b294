/* split.c: one input read on several threads, in stretches merged in
 * input order (split.h). */
#include "input/split.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "input/format.h"
#include "input/input.h"

#define PART_BYTES ((size_t)4 << 20)
#define PARTS_IN_FLIGHT ((size_t)48 << 20) /* bytes held by 2N parts, at most */
#define PART_BYTES_MIN ((size_t)64 << 10)

/* Where an image's rows begin in a stretch: its id is run_ids[off, off+len). */
typedef struct run {
    size_t off, len;
    uint64_t line;
} run;

/* A stretch of the input that begins and ends with a record, and what
 * reading it found (lines counted from its start). */
typedef struct fl_job {
    fl_stretch st;
    uint64_t index;
    int done;
    void *part;
    int status;
    fl_error err, skip;
    int have_skip;
    fl_counts counts;
    uint64_t lines, data_rows;
    fl_text run_ids;
    run *runs;
    size_t nruns, runs_cap;
    fl_text first_ex, last_ex; /* images of its first and last examples */
    int has_examples;
} fl_job;

typedef struct splitter {
    fl_file *fs; /* the main thread's, holding the schema */
    const struct fl_format *fmt;
    const fl_parts *parts;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    fl_job *jobs;
    size_t njobs;
    uint64_t filled, taken, merged;
    size_t part_bytes;
    int closed, stop;
    int nthreads;
    pthread_t *threads;
    fl_reader **readers; /* one per thread */
    /* merging */
    uint64_t line_base;
    fl_text last_run, last_ex;
    int have_last_run, have_last_ex;
} splitter;

typedef struct worker {
    splitter *sp;
    fl_reader *r;
} worker;

int fl_split_note_run(fl_file *fs)
{
    fl_job *j = fs->job;
    run *v = fl_grow_to(j->runs, &j->runs_cap, sizeof *v, j->nruns);
    if (!v)
        return FL_ENOMEM;
    j->runs = v;
    size_t off = j->run_ids.len, len = fs->row_image.len;
    if (j->run_ids.cap < off + len + 1) {
        size_t cap = 2 * (off + len + 1);
        char *p = realloc(j->run_ids.s, cap);
        if (!p)
            return FL_ENOMEM;
        j->run_ids.s = p;
        j->run_ids.cap = cap;
    }
    memcpy(j->run_ids.s + off, fs->row_image.s, len);
    j->run_ids.len += len;
    j->runs[j->nruns++] = (run){off, len, fs->row_line};
    return FL_OK;
}

/* The image of an example, noted when it is the stretch's first or a new
 * one, tells whether an image crosses the cut between two stretches. */
int fl_split_note_example(fl_file *fs)
{
    fl_job *j = fs->job;
    if (j->has_examples && fs->image_ordinal == fs->job_ordinal)
        return FL_OK;
    const char *id = fs->image.s ? fs->image.s : "";
    size_t len = fs->schema->col[ROLE_IMAGE] >= 0 ? fs->image.len : 0;
    if (!j->has_examples && fl_text_set(&j->first_ex, id, len) != FL_OK)
        return FL_ENOMEM;
    j->has_examples = 1;
    fs->job_ordinal = fs->image_ordinal;
    return fl_text_set(&j->last_ex, id, len);
}

int fl_split_read_failed(fl_file *fs, fl_stretch *st)
{
    if (fs->status == FL_ENOMEM)
        return fs->status;
    st->read_status = fs->status;
    st->read_err = *fs->err;
    st->last = 1;
    fs->status = FL_OK;
    return FL_OK;
}

void fl_split_stretch_end(fl_file *fs, const fl_stretch *st)
{
    if (st->read_status && fs->status == FL_OK) {
        fs->status = st->read_status;
        *fs->err = st->read_err;
    }
}

/* A reading state for stretch j on a worker thread: the main state's
 * schema, fresh row and image state, j's own counts and error. */
static void job_state(fl_file *fs, const splitter *sp, fl_reader *r,
                      fl_job *j)
{
    const fl_file *m = sp->fs;
    *fs = (fl_file){.r = r, .name = m->name, .counts = &j->counts,
                    .sink = sp->parts->add, .ctx = j->part, .err = &j->err,
                    .header_done = 1, .schema = m->schema,
                    .image_ordinal = 0, /* see merge_runs */ .job = j,
                    .job_ordinal = UINT64_MAX};
}

/* Read stretch j into a new part, as fl_reader_read would read it. */
static void run_job(splitter *sp, fl_reader *r, fl_job *j)
{
    fl_file fs;
    size_t k = sp->fs->schema->wide_k;
    j->part = sp->parts->part_new(sp->parts->whole, j->index);
    if (!j->part) {
        j->status = FL_ENOMEM;
        fl_set_error(&j->err, sp->fs->name, 0, "out of memory");
        return;
    }
    r->n = 0;
    r->have_skip = 0;
    r->next_image = 0; /* a part numbers its images from 0 */
    fl_strset_clear(r->images);
    job_state(&fs, sp, r, j);
    /* a wide dump's row of scores is the job's own */
    if (k && !(fs.wide_x = calloc(k + 1, sizeof *fs.wide_x))) {
        j->status = FL_ENOMEM;
        fl_set_error(&j->err, sp->fs->name, 0, "out of memory");
        return;
    }
    sp->fmt->read_stretch(&fs, &j->st);
    int st = fs.status == FL_OK ? fl_flush_batch(&fs) : FL_OK;
    if (st != FL_OK)
        fl_file_fatal(&fs, st, 0, "out of memory");
    j->status = fs.status;
    j->lines = fs.line;
    j->data_rows = fs.data_rows;
    j->have_skip = r->have_skip;
    j->skip = r->first_skip;
    fl_file_free(&fs);
}

static void *work(void *arg)
{
    worker *w = arg;
    splitter *sp = w->sp;
    pthread_mutex_lock(&sp->lock);
    for (;;) {
        while (sp->taken == sp->filled && !sp->closed)
            pthread_cond_wait(&sp->cond, &sp->lock);
        if (sp->taken == sp->filled)
            break;
        fl_job *j = &sp->jobs[sp->taken++ % sp->njobs];
        int stop = sp->stop;
        pthread_mutex_unlock(&sp->lock);
        if (!stop)
            run_job(sp, w->r, j);
        pthread_mutex_lock(&sp->lock);
        j->done = 1;
        pthread_cond_broadcast(&sp->cond);
    }
    pthread_mutex_unlock(&sp->lock);
    free(w);
    return NULL;
}

static void counts_add(fl_counts *into, const fl_counts *from)
{
    into->rows += from->rows;
    into->positives += from->positives;
    into->negatives += from->negatives;
    into->ignored += from->ignored;
    into->images += from->images;
    into->clamped += from->clamped;
    into->skipped += from->skipped;
    into->logits_outside_unit |= from->logits_outside_unit;
}

/* Check j's images against those of the stretches before (an image may
 * only go on across the cut), and number them as one thread would: set
 * *first to the ordinal of j's first (the part numbered its own from 0; a
 * file without an image column is one image, the main thread's).  Return
 * 0, or -1 after fatal. */
static int merge_runs(splitter *sp, fl_job *j, uint64_t *first)
{
    fl_file *fs = sp->fs;
    fl_reader *r = fs->r;
    *first =
        fs->schema->col[ROLE_IMAGE] < 0 ? fs->image_ordinal : r->next_image;
    for (size_t i = 0; i < j->nruns; i++) {
        const char *id = j->run_ids.s + j->runs[i].off;
        size_t len = j->runs[i].len;
        if (i == 0 && sp->have_last_run && fl_text_eq(&sp->last_run, id, len)) {
            j->counts.images--; /* counted before the cut */
            *first = r->next_image - 1;
            continue;
        }
        int added = fl_strset_add(r->images, id, len);
        if (added < 0)
            fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
        else if (added == 0)
            fl_number_image_again(fs, id, len, sp->line_base + j->runs[i].line);
        if (added <= 0)
            return -1;
        if (fl_number_keep_image_name(r, r->next_image++, id, len) != FL_OK) {
            fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
            return -1;
        }
    }
    if (j->nruns == 0)
        return 0;
    const run *last = &j->runs[j->nruns - 1];
    sp->have_last_run = 1;
    if (fl_text_set(&sp->last_run, j->run_ids.s + last->off, last->len) !=
        FL_OK) {
        fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
        return -1;
    }
    return 0;
}

/* Fold stretch j, the next in input order, into the main state. */
static void merge_job(splitter *sp, fl_job *j)
{
    fl_file *fs = sp->fs;
    uint64_t first_image;
    if (fs->status != FL_OK || merge_runs(sp, j, &first_image) < 0)
        return;
    if (j->status != FL_OK) {
        fs->status = j->status;
        *fs->err = j->err;
        if (j->err.line)
            fs->err->line += sp->line_base;
        return;
    }
    fl_reader *r = fs->r;
    if (j->have_skip && !r->have_skip) {
        r->first_skip = j->skip;
        r->first_skip.line += sp->line_base;
        r->have_skip = 1;
    }
    counts_add(fs->counts, &j->counts);
    fs->data_rows += j->data_rows;
    int continues = j->has_examples && sp->have_last_ex &&
                    fl_text_eq(&sp->last_ex, j->first_ex.s, j->first_ex.len);
    if ((j->nruns || j->has_examples) && sp->parts->number_images)
        sp->parts->number_images(j->part, first_image);
    int st = sp->parts->merge(sp->parts->whole, j->part, continues);
    if (st != FL_OK)
        fl_file_fatal(fs, st, 0, "out of memory");
    if (j->has_examples) {
        sp->have_last_ex = 1;
        if (fl_text_set(&sp->last_ex, j->last_ex.s, j->last_ex.len) != FL_OK)
            fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
    }
    sp->line_base += j->lines;
}

/* Wait for the oldest stretch not merged, merge it and free its slot. */
static void merge_next(splitter *sp)
{
    fl_job *j = &sp->jobs[sp->merged % sp->njobs];
    pthread_mutex_lock(&sp->lock);
    while (!j->done)
        pthread_cond_wait(&sp->cond, &sp->lock);
    pthread_mutex_unlock(&sp->lock);
    merge_job(sp, j);
    sp->parts->part_free(j->part);
    j->part = NULL;
    sp->merged++;
    if (sp->fs->status != FL_OK) {
        pthread_mutex_lock(&sp->lock);
        sp->stop = 1;
        pthread_mutex_unlock(&sp->lock);
    }
}

/* Empty slot j for stretch index, keeping its buffers. */
static void job_reset(fl_job *j, uint64_t index)
{
    fl_job keep = *j;
    *j = (fl_job){.st = {.buf = keep.st.buf, .cap = keep.st.cap},
                  .index = index, .run_ids = keep.run_ids, .runs = keep.runs,
                  .runs_cap = keep.runs_cap, .first_ex = keep.first_ex,
                  .last_ex = keep.last_ex, .status = FL_OK};
    j->run_ids.len = 0;
}

static void job_free(fl_job *j)
{
    free(j->st.buf);
    free(j->run_ids.s);
    free(j->runs);
    free(j->first_ex.s);
    free(j->last_ex.s);
}

/* Start up to n workers; return how many started. */
static int start_workers(splitter *sp, int n)
{
    sp->threads = calloc((size_t)n, sizeof *sp->threads);
    sp->readers = calloc((size_t)n, sizeof *sp->readers);
    if (!sp->threads || !sp->readers)
        return 0;
    fl_reader_opts o = sp->fs->r->o;
    o.progress = NULL;
    o.keep_image_names = 0; /* the main thread names them as it merges */
    while (sp->nthreads < n) {
        fl_reader *r = fl_reader_new(&o, &sp->fs->r->test);
        worker *w = malloc(sizeof *w);
        if (!r || !w) {
            fl_reader_free(r);
            free(w);
            break;
        }
        *w = (worker){sp, r};
        r->numbering = sp->fs->r;
        r->numbering_lock = &sp->lock;
        if (pthread_create(&sp->threads[sp->nthreads], NULL, work, w) != 0) {
            fl_reader_free(r);
            free(w);
            break;
        }
        sp->readers[sp->nthreads++] = r;
    }
    return sp->nthreads;
}

static void stop_workers(splitter *sp)
{
    pthread_mutex_lock(&sp->lock);
    sp->closed = 1;
    if (sp->fs->status != FL_OK)
        sp->stop = 1;
    pthread_cond_broadcast(&sp->cond);
    pthread_mutex_unlock(&sp->lock);
    while (sp->merged < sp->filled)
        merge_next(sp);
    for (int t = 0; t < sp->nthreads; t++)
        pthread_join(sp->threads[t], NULL);
    for (int t = 0; t < sp->nthreads; t++)
        fl_reader_free(sp->readers[t]);
}

/* Hand the stretches of the input to the workers, merging their parts in
 * input order as slots come free. */
static void split_input(splitter *sp, fl_source *src, fl_inbuf *carry)
{
    fl_file *fs = sp->fs;
    for (uint64_t k = 0; fs->status == FL_OK; k++) {
        if (sp->filled - sp->merged == sp->njobs)
            merge_next(sp);
        if (fs->status != FL_OK)
            break;
        fl_job *j = &sp->jobs[k % sp->njobs];
        job_reset(j, k);
        if (sp->fmt->fill(fs, src, carry, &j->st, sp->part_bytes) != FL_OK)
            break;
        pthread_mutex_lock(&sp->lock);
        sp->filled++;
        pthread_cond_broadcast(&sp->cond);
        pthread_mutex_unlock(&sp->lock);
        if (j->st.last)
            break;
    }
}

int fl_split_read(fl_file *fs, fl_source *src, fl_inbuf *carry,
                  const fl_parts *parts, int threads, const fl_format *fmt)
{
    splitter sp = {.fs = fs,
                   .fmt = fmt,
                   .parts = parts,
                   .njobs = 2 * (size_t)threads,
                   .line_base = fs->line};
    /* 4 MiB parts, smaller with many threads so that memory stays bounded */
    sp.part_bytes = fs->r->test.part_bytes;
    if (!sp.part_bytes) {
        sp.part_bytes = PARTS_IN_FLIGHT / sp.njobs;
        sp.part_bytes = sp.part_bytes > PART_BYTES ? PART_BYTES
                        : sp.part_bytes < PART_BYTES_MIN ? PART_BYTES_MIN
                                                         : sp.part_bytes;
    }
    sp.jobs = calloc(sp.njobs, sizeof *sp.jobs);
    int ok = sp.jobs && pthread_mutex_init(&sp.lock, NULL) == 0;
    if (ok && pthread_cond_init(&sp.cond, NULL) != 0) {
        pthread_mutex_destroy(&sp.lock);
        ok = 0;
    }
    if (ok && start_workers(&sp, threads) > 0) {
        split_input(&sp, src, carry);
        stop_workers(&sp);
    }
    if (ok) {
        pthread_cond_destroy(&sp.cond);
        pthread_mutex_destroy(&sp.lock);
    }
    for (size_t i = 0; sp.jobs && i < sp.njobs; i++)
        job_free(&sp.jobs[i]);
    free(sp.jobs);
    free(sp.threads);
    free(sp.readers);
    free(sp.last_run.s);
    free(sp.last_ex.s);
    return sp.nthreads > 0 ? 0 : -1;
}
