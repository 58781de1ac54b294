/* fuzz_reader.c: any bytes as a dump, through the reader, the summary and
 * the report.  The first byte picks the options.  Every input is read three
 * times: with the fast line reader, with libcsv alone, and in parts of a few
 * bytes on two threads: status, message, line, counts and totals must agree
 * (totals from parts to 1e-12; counts of a failed read are not reported). */
#define _GNU_SOURCE /* memfd_create */
#include <math.h>
#include <stdint.h>

#include "fuzz.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/parts.h"
#include "input/reader.h"
#include "output/report.h"
#include "core/status.h"
#include "core/summary.h"

typedef struct outcome {
    int status;
    fl_error err;
    fl_counts counts;
    double ce, focal, ohem;
} outcome;

static int add(void *ctx, const fl_batch *b)
{
    return fl_summary_add(ctx, b);
}

enum run_mode { RUN_FAST, RUN_LIBCSV, RUN_PARTS };

/* Bits 2 and 5 of flags pick a wide dump's label convention; bit 2 alone
 * picked detectron or mmdet when the seeds were made. */
static enum fl_labels label_convention(uint8_t flags)
{
    static const enum fl_labels conv[4] = {
        FL_LABELS_DETECTRON, FL_LABELS_MMDET, FL_LABELS_TORCHVISION,
        FL_LABELS_DETECTRON2};
    return conv[((flags >> 2) & 1) | ((flags >> 4) & 2)];
}

/* Read path with the options flags picks: with the fast line reader, with
 * libcsv alone, or in parts of part_bytes on two threads (and the line
 * readers without AVX2, so that the fast run's AVX2 ones meet them). */
static outcome run(const char *path, uint8_t flags, enum run_mode mode,
                   size_t part_bytes)
{
    outcome o;
    memset(&o, 0, sizeof o);
    fl_reader_opts ro = {.delim = flags & 1 ? ';' : ',', .eps = 1e-12,
                         .skip_bad = (flags >> 1) & 1,
                         .labels = label_convention(flags),
                         .softmax = (flags >> 3) & 1,
                         .keep_image_names = mode != RUN_PARTS};
    fl_reader_test rt = {.no_fast_path = mode == RUN_LIBCSV,
                         .no_avx2 = mode == RUN_PARTS,
                         .part_bytes = part_bytes};
    fl_params p;
    fl_params_default(&p);
    p.ohem_mode = (enum fl_ohem_mode)((flags >> 4) % 3);
    p.ohem_batch = p.ohem_mode == FL_OHEM_SSD ? 0 : 3;
    p.ohem_ratio = 2;
    p.softmax = ro.softmax;
    enum fl_by by = mode == RUN_PARTS ? FL_BY_NONE : (enum fl_by)((flags >> 6) % 3);
    fl_summary *s = fl_summary_new_by(&p, by);
    fl_reader *r = fl_reader_new(&ro, &rt);
    if (!s || !r)
        abort();
    fl_parts parts = fl_summary_parts(s);
    o.status = mode == RUN_PARTS
                   ? fl_reader_read_parts(r, path, &parts, 2, &o.counts, &o.err)
                   : fl_reader_read(r, path, add, s, &o.counts, &o.err);
    if (o.status == FL_OK && fl_summary_finish(s) == FL_OK &&
        o.counts.positives + o.counts.negatives > 0) {
        fl_cell c;
        fl_summary_total(s, FL_LOSS_CE, &c);
        o.ce = fl_ksum_value(&c.loss);
        fl_summary_total(s, FL_LOSS_FOCAL, &c);
        o.focal = fl_ksum_value(&c.loss);
        fl_summary_total(s, FL_LOSS_OHEM, &c);
        o.ohem = fl_ksum_value(&c.loss);
        FILE *devnull = fopen("/dev/null", "w");
        for (int fmt = FL_FMT_TABLE; fmt <= FL_FMT_MD; fmt++)
            fl_report_write(s, &o.counts, (const char *const *)&path, 1,
                            (enum fl_format)fmt, devnull);
        fclose(devnull);
    }
    fl_reader_free(r);
    fl_summary_free(s);
    return o;
}

static int close_to(double a, double b)
{
    return a == b || fabs(a - b) <= 1e-12 * fabs(b) || (a != a && b != b);
}

static int same(double a, double b)
{
    return a == b || (a != a && b != b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int fd = memfd_create("dump", 0);
    if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
        abort();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    outcome fast = run(path, data[0], RUN_FAST, 0);
    outcome slow = run(path, data[0], RUN_LIBCSV, 0);
    outcome parts = run(path, data[0], RUN_PARTS, 1 + size % 37);
    close(fd);
    if (fast.status != parts.status || fast.err.line != parts.err.line ||
        strcmp(fast.err.msg, parts.err.msg) != 0 ||
        (fast.status == FL_OK &&
         memcmp(&fast.counts, &parts.counts, sizeof fast.counts) != 0) ||
        !close_to(parts.ce, fast.ce) || !close_to(parts.focal, fast.focal) ||
        !close_to(parts.ohem, fast.ohem)) {
        fprintf(stderr, "one thread and parts disagree: %d %d | %llu:%s | %llu:%s\n",
                fast.status, parts.status, (unsigned long long)fast.err.line,
                fast.err.msg, (unsigned long long)parts.err.line, parts.err.msg);
        abort();
    }
    if (fast.status != slow.status || fast.err.line != slow.err.line ||
        strcmp(fast.err.msg, slow.err.msg) != 0 ||
        memcmp(&fast.counts, &slow.counts, sizeof fast.counts) != 0 ||
        !same(fast.ce, slow.ce) || !same(fast.focal, slow.focal) ||
        !same(fast.ohem, slow.ohem)) {
        fprintf(stderr, "fast and libcsv readers disagree: %d %d | %llu:%s | %llu:%s\n",
                fast.status, slow.status, (unsigned long long)fast.err.line,
                fast.err.msg, (unsigned long long)slow.err.line, slow.err.msg);
        abort();
    }
    return 0;
}
