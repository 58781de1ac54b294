/* check_reader.c: column discovery, CSV corners, validation with line
 * numbers, gzip, images. */
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "input/reader.h"
#include "core/status.h"
#include "testutil.h"

/* A reader's options and its test switches. */
typedef struct opts {
    fl_reader_opts r;
    fl_reader_test t;
} opts;

typedef struct got {
    size_t n;
    double x[64];
    int pos[64];
    uint64_t image[64];
} got;

static int sink(void *ctx, const fl_batch *b)
{
    got *g = ctx;
    for (size_t i = 0; i < b->n && g->n < 64; i++, g->n++) {
        g->x[g->n] = b->x[i];
        g->pos[g->n] = b->positive[i];
        g->image[g->n] = b->image[i];
    }
    return FL_OK;
}

static char *write_temp(const char *content, size_t len, int gz)
{
    static char path[64];
    strcpy(path, "/tmp/check_reader_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    if (gz) {
        gzFile z = gzdopen(fd, "wb");
        ck_assert_int_eq(gzwrite(z, content, (unsigned)len), (int)len);
        gzclose(z);
    } else {
        ck_assert_int_eq(write(fd, content, len), (ssize_t)len);
        close(fd);
    }
    return path;
}

typedef struct result {
    int status;
    fl_error err;
    fl_counts counts;
    got g;
    fl_error skip;
    int have_skip;
} result;

static result read_with(const char *content, const opts *o, int gz)
{
    result r;
    memset(&r, 0, sizeof r);
    char *path = write_temp(content, strlen(content), gz);
    fl_reader *rd = fl_reader_new(&o->r, &o->t);
    ck_assert_ptr_nonnull(rd);
    r.status = fl_reader_read(rd, path, sink, &r.g, &r.counts, &r.err);
    const fl_error *s = fl_reader_first_skip(rd);
    if (s) {
        r.skip = *s;
        r.have_skip = 1;
    }
    fl_reader_free(rd);
    unlink(path);
    return r;
}

static opts defaults(void)
{
    opts o;
    memset(&o, 0, sizeof o);
    o.r.delim = ',';
    o.r.eps = 1e-12;
    o.r.labels = FL_LABELS_DETECTRON; /* as the wide dumps here number them */
    return o;
}

static result read_csv(const char *content)
{
    opts o = defaults();
    return read_with(content, &o, 0);
}

#define ck_error(r, line_, msg_)                        \
    do {                                                \
        ck_assert_int_eq((r).status, FL_EDATA);         \
        ck_assert_uint_eq((r).err.line, (line_));       \
        ck_assert_str_eq((r).err.msg, (msg_));          \
    } while (0)

START_TEST(test_columns_by_name)
{
    result r = read_csv("Extra,TARGET,Logits\nq,1,2.5\nq,0,-1\nq,-1,3\n");
    ck_assert_int_eq(r.status, FL_OK);
    ck_assert_uint_eq(r.counts.rows, 3);
    ck_assert_uint_eq(r.counts.positives, 1);
    ck_assert_uint_eq(r.counts.negatives, 1);
    ck_assert_uint_eq(r.counts.ignored, 1);
    ck_assert_uint_eq(r.counts.images, 1);
    ck_assert_uint_eq(r.g.n, 2);
    ck_assert(r.g.x[0] == 2.5 && r.g.pos[0] == 1);
    ck_assert(r.g.x[1] == -1.0 && r.g.pos[1] == 0);
}
END_TEST

/* A wide dump's label under each convention: torchvision's dump of two
 * anchors (class 1, background) and the same anchors as detectron2 numbers
 * them give the same examples; without a convention the read is refused. */
START_TEST(test_wide_label_conventions)
{
    opts o = defaults();
    o.r.labels = FL_LABELS_TORCHVISION;
    result tv = read_with("label,logit_0,logit_1\n1,-2,3\n-1,0.5,-4\n-2,1,1\n",
                          &o, 0);
    ck_assert_int_eq(tv.status, FL_OK);
    o.r.labels = FL_LABELS_DETECTRON2;
    result d2 = read_with("label,logit_0,logit_1\n1,-2,3\n2,0.5,-4\n-1,1,1\n",
                          &o, 0);
    ck_assert_int_eq(d2.status, FL_OK);
    result *both[2] = {&tv, &d2};
    for (int i = 0; i < 2; i++) {
        result *r = both[i];
        ck_assert_uint_eq(r->counts.positives, 1);
        ck_assert_uint_eq(r->counts.negatives, 3);
        ck_assert_uint_eq(r->counts.ignored, 2); /* K examples of one anchor */
        ck_assert_uint_eq(r->g.n, 4);
        ck_assert(r->g.x[0] == -2 && r->g.pos[0] == 0);
        ck_assert(r->g.x[1] == 3 && r->g.pos[1] == 1);
        ck_assert(r->g.x[2] == 0.5 && r->g.pos[2] == 0);
        ck_assert(r->g.x[3] == -4 && r->g.pos[3] == 0);
    }
    o.r.labels = FL_LABELS_NONE;
    result none = read_with("label,logit_0,logit_1\n1,-2,3\n", &o, 0);
    ck_assert_int_eq(none.status, FL_EINVAL);
    ck_assert_str_eq(none.err.msg,
                     "a wide dump (logit_0..logit_1) needs --labels "
                     "torchvision, detectron, detectron2 or mmdet: how its "
                     "label column numbers the classes, the background and "
                     "ignored anchors (see 'man flstat')");
}
END_TEST

START_TEST(test_overrides)
{
    opts o = defaults();
    o.r.cols.logit = "s";
    o.r.cols.label = "lab";
    o.r.cols.image = "im";
    result r = read_with("logit,s,lab,im\n9,1.5,1,a\n9,2.5,0,b\n", &o, 0);
    ck_assert_int_eq(r.status, FL_OK);
    ck_assert(r.g.x[0] == 1.5 && r.g.x[1] == 2.5);
    ck_assert_uint_eq(r.counts.images, 2);
    ck_assert(r.g.image[0] != r.g.image[1]);
    o.r.cols.logit = "nope";
    r = read_with("logit,s,lab,im\n9,1.5,1,a\n", &o, 0);
    ck_error(r, 1, "no column 'nope' in the header (--logit)");
}
END_TEST

START_TEST(test_probabilities)
{
    result r = read_csv("label,score\n1,0.75\n0,0\n1,1\n");
    ck_assert_int_eq(r.status, FL_OK);
    ck_assert_close(r.g.x[0], log(3.0), 1e-15, 0);
    ck_assert_uint_eq(r.counts.clamped, 2);
    ck_assert_close(r.g.x[1], log(1e-12) - log1p(-1e-12), 1e-15, 0);
    r = read_csv("label,score\n1,0.5\n0,1.1\n");
    ck_error(r, 3, "probability '1.1' is outside [0, 1]");
    r = read_csv("label,score\n1,-0.1\n");
    ck_error(r, 2, "probability '-0.1' is outside [0, 1]");
}
END_TEST

START_TEST(test_csv_corners)
{
    /* BOM, CRLF, blank lines, quoted delimiter, quote and newline, and no
     * final newline */
    result r = read_csv("\xEF\xBB\xBFlogit,label,note\r\n"
                        "1,1,\"a,b\"\r\n"
                        "\r\n"
                        "2,0,\"say \"\"hi\"\"\"\r\n"
                        "3,0,\"two\nlines\"\n"
                        "\n"
                        "4,0,x");
    ck_assert_int_eq(r.status, FL_OK);
    ck_assert_uint_eq(r.g.n, 4);
    ck_assert(r.g.x[0] == 1 && r.g.x[1] == 2 && r.g.x[2] == 3 && r.g.x[3] == 4);
    /* the row after a quoted newline is reported at its own line */
    r = read_csv("logit,label,note\n1,1,\"two\nlines\"\nabc,0,x\n");
    ck_error(r, 4, "logit 'abc' is not a number");
    /* an error inside a multi-line record names the line where it starts */
    r = read_csv("logit,label,note\n1,1,a\nzz,1,\"two\nlines\"\n");
    ck_error(r, 3, "logit 'zz' is not a number");
}
END_TEST

START_TEST(test_bad_values)
{
    static const struct {
        const char *row, *msg;
    } cases[] = {
        {"abc,1", "logit 'abc' is not a number"},
        {"nan,1", "logit 'nan' is not finite"},
        {"inf,1", "logit 'inf' is not finite"},
        {"-inf,0", "logit '-inf' is not finite"},
        {"1e400,0", "logit '1e400' is out of range"},
        {",0", "empty logit"},
        {"1,2", "label '2' is not 1, 0 or -1 (or true, false)"},
        {"1,0.5", "label '0.5' is not 1, 0 or -1 (or true, false)"},
        {"1,yes", "label 'yes' is not 1, 0 or -1 (or true, false)"},
        {"1,", "empty label"},
        {"1", "expected 2 fields, found 1"},
        {"1,1,1", "expected 2 fields, found 3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[128];
        snprintf(buf, sizeof buf, "logit,label\n0.5,1\n%s\n", cases[i].row);
        result r = read_csv(buf);
        ck_error(r, 3, cases[i].msg);
    }
    /* labels written as reals are fine; 1e-400 is a tiny number */
    result r = read_csv("logit,label\n1e-400,1.0\n2,-1.0\n3,0.0\n");
    ck_assert_int_eq(r.status, FL_OK);
    ck_assert_uint_eq(r.counts.ignored, 1);
}
END_TEST

START_TEST(test_header_errors)
{
    result r = read_csv("");
    ck_error(r, 0, "empty input: no header row");
    r = read_csv("logit,label\n");
    ck_error(r, 0, "no data rows after the header");
    r = read_csv("\n\nlogit,foo\n1,1\n");
    ck_error(r, 3, "no label column (label, target, y)");
    r = read_csv("a,label\n1,1\n");
    ck_error(r, 1, "no logit column (logit, logits, x) and no probability "
                   "column (score, prob, p)");
    r = read_csv("logit,label,LOGIT\n1,1,2\n");
    ck_error(r, 1, "column 'logit' appears more than once in the header");
    r = read_csv("logit,label\n1,1\n\"unclosed,0\n");
    ck_error(r, 3, "unterminated quoted field at the end of the input");
    r = read_csv("logit,label\n1,1\n2\"x,0\n");
    ck_assert_int_eq(r.status, FL_EDATA);
    ck_assert_uint_eq(r.err.line, 3);
}
END_TEST

START_TEST(test_skip_bad)
{
    opts o = defaults();
    o.r.skip_bad = 1;
    result r = read_with("logit,label\n1,1\nx,0\n2,0\n3,7\n4\n", &o, 0);
    ck_assert_int_eq(r.status, FL_OK);
    ck_assert_uint_eq(r.counts.skipped, 3);
    ck_assert_uint_eq(r.counts.rows, 2);
    ck_assert_uint_eq(r.g.n, 2);
    ck_assert(r.have_skip);
    ck_assert_uint_eq(r.skip.line, 3);
    ck_assert_str_eq(r.skip.msg, "logit 'x' is not a number");
}
END_TEST

START_TEST(test_images)
{
    result r = read_csv("image_id,logit,label\n"
                        "a,1,1\na,2,0\nb,3,0\nb,4,-1\nc,5,0\n");
    ck_assert_int_eq(r.status, FL_OK);
    ck_assert_uint_eq(r.counts.images, 3);
    ck_assert(r.g.image[0] == r.g.image[1]);
    ck_assert(r.g.image[1] != r.g.image[2]);
    ck_assert(r.g.image[2] != r.g.image[3]);
    r = read_csv("image_id,logit,label\na,1,1\nb,2,0\na,3,0\n");
    ck_error(r, 4, "image 'a' appears again after other images (flstat needs "
                   "each image's rows together: sort the dump by image)");
}
END_TEST

START_TEST(test_gzip)
{
    opts o = defaults();
    const char *csv = "logit,label\n1.5,1\n-2,0\n";
    result r = read_with(csv, &o, 1);
    ck_assert_int_eq(r.status, FL_OK);
    ck_assert_uint_eq(r.g.n, 2);
    ck_assert(r.g.x[0] == 1.5 && r.g.x[1] == -2);

    /* a truncated gzip stream is an error, never a short read */
    char big[8192];
    size_t len = 0;
    len += (size_t)snprintf(big, sizeof big, "logit,label\n");
    while (len < sizeof big - 32)
        len += (size_t)snprintf(big + len, sizeof big - len, "%zu.25,0\n", len);
    char *path = write_temp(big, len, 1);
    FILE *f = fopen(path, "rb");
    char z[16384];
    size_t zn = fread(z, 1, sizeof z, f);
    fclose(f);
    unlink(path);
    char *cut = write_temp(z, zn / 2, 0);
    fl_reader *rd = fl_reader_new(&o.r, &o.t);
    result t;
    memset(&t, 0, sizeof t);
    int st = fl_reader_read(rd, cut, sink, &t.g, &t.counts, &t.err);
    fl_reader_free(rd);
    unlink(cut);
    ck_assert_int_eq(st, FL_EIO);
    ck_assert_msg(strstr(t.err.msg, "gzip") != NULL, "%s", t.err.msg);
}
END_TEST

START_TEST(test_unreadable)
{
    opts o = defaults();
    fl_reader *rd = fl_reader_new(&o.r, &o.t);
    result t;
    memset(&t, 0, sizeof t);
    int st = fl_reader_read(rd, "/nonexistent/x.csv", sink, &t.g, &t.counts,
                            &t.err);
    ck_assert_int_eq(st, FL_EIO);
    ck_assert_str_eq(t.err.msg, "No such file or directory");
    st = fl_reader_read(rd, "/tmp", sink, &t.g, &t.counts, &t.err);
    ck_assert_int_eq(st, FL_EIO);
    ck_assert_str_eq(t.err.msg, "is a directory");
    fl_reader_free(rd);
    fl_reader_free(NULL);
}
END_TEST

/* A parts harness: each part collects its examples, merged in order. */
static void *part_new(void *whole, uint64_t part)
{
    (void)whole;
    (void)part;
    return calloc(1, sizeof(got));
}

static int part_merge(void *whole, void *part, int continues)
{
    (void)continues;
    got *w = whole, *p = part;
    for (size_t i = 0; i < p->n && w->n < 64; i++, w->n++) {
        w->x[w->n] = p->x[i];
        w->pos[w->n] = p->pos[i];
    }
    return FL_OK;
}

/* Read content from a file on threads threads into parts (on one, into
 * parts->whole through parts->add); return the status. */
static int read_temp_parts(const char *content, const opts *o,
                           const fl_parts *parts, int threads,
                           fl_counts *counts, fl_error *err)
{
    char *path = write_temp(content, strlen(content), 0);
    fl_reader *rd = fl_reader_new(&o->r, &o->t);
    ck_assert_ptr_nonnull(rd);
    int st = threads > 1 ? fl_reader_read_parts(rd, path, parts, threads,
                                                counts, err)
                         : fl_reader_read(rd, path, parts->add, parts->whole,
                                          counts, err);
    fl_reader_free(rd);
    unlink(path);
    return st;
}

/* Read content as read_with does, on two threads in parts of 64 bytes. */
static result read_parts_with(const char *content, opts o)
{
    result r;
    memset(&r, 0, sizeof r);
    o.t.part_bytes = 64;
    fl_parts parts = {&r.g, part_new, sink, part_merge, free, NULL};
    r.status = read_temp_parts(content, &o, &parts, 2, &r.counts, &r.err);
    return r;
}

/* "logit,label,note\n0.5,1,\"" then note lines of 50 bytes up to bytes in
 * the record, its closing quote, and one more row. */
static char *long_record(size_t bytes)
{
    char *s = malloc(bytes + 64);
    ck_assert_ptr_nonnull(s);
    strcpy(s, "logit,label,note\n0.5,1,\"");
    size_t head = strlen("logit,label,note\n"), n = strlen(s);
    while (n - head + 50 + 3 <= bytes) { /* room for "\"\n" after it */
        memset(s + n, 'y', 49);
        s[n + 49] = '\n';
        n += 50;
    }
    strcpy(s + n, "\"\n-1,0,z\n");
    return s;
}

START_TEST(test_record_limit)
{
    opts o = defaults();
    o.t.max_record = 1000;
    for (int threads = 1; threads <= 2; threads++) {
        char *ok = long_record(1000), *bad = long_record(1100);
        result r = threads == 1 ? read_with(ok, &o, 0) : read_parts_with(ok, o);
        ck_assert_int_eq(r.status, FL_OK);
        ck_assert_uint_eq(r.g.n, 2);
        r = threads == 1 ? read_with(bad, &o, 0) : read_parts_with(bad, o);
        ck_error(r, 2, "record longer than 1000 bytes (is a closing quote missing?)");
        free(ok);
        free(bad);
    }
}
END_TEST

START_TEST(test_delimiter)
{
    opts o = defaults();
    o.r.delim = ';';
    result r = read_with("logit;label\n\"1,5\";1\n2;0\n", &o, 0);
    ck_error(r, 2, "logit '1,5' is not a number");
    r = read_with("logit;label\n1.5;1\n2;0\n", &o, 0);
    ck_assert_int_eq(r.status, FL_OK);
    ck_assert_uint_eq(r.g.n, 2);
}
END_TEST

/* Everything a read handed on, in order: a count, the sum of the scores,
 * and a hash of every example's bits; and, whatever the order and the
 * numbering of images and classes, which scores and labels (xhash), and
 * whatever the order, which scores, labels and classes (khash: class
 * numbers depend on the thread a class is first met on, but for a wide
 * dump's, which the header fixes). */
typedef struct digest {
    uint64_t n, positives, hash, xhash, khash;
    double sum;
} digest;

static int digest_sink(void *ctx, const fl_batch *b)
{
    digest *d = ctx;
    for (size_t i = 0; i < b->n; i++) {
        uint64_t bits;
        memcpy(&bits, &b->x[i], sizeof bits);
        uint64_t v[4] = {bits, b->positive[i], b->image[i], b->klass[i]};
        for (int k = 0; k < 4; k++)
            d->hash = (d->hash ^ v[k]) * 0x100000001B3ULL;
        d->xhash ^= (bits ^ b->positive[i]) * 0x9E3779B97F4A7C15ULL;
        d->khash ^= (bits ^ b->positive[i] ^ (uint64_t)b->klass[i] << 1) *
                    0xC2B2AE3D27D4EB4FULL;
        d->sum += b->x[i];
        d->positives += b->positive[i];
        d->n++;
    }
    return FL_OK;
}

typedef struct digested {
    int status;
    fl_error err;
    fl_counts counts;
    digest d;
} digested;

static void *digest_part_new(void *whole, uint64_t part)
{
    (void)whole;
    (void)part;
    return calloc(1, sizeof(digest));
}

static int digest_merge(void *whole, void *part, int continues)
{
    (void)continues;
    digest *w = whole, *p = part;
    w->n += p->n;
    w->positives += p->positives;
    w->xhash ^= p->xhash;
    w->khash ^= p->khash;
    return FL_OK;
}

/* Read content on threads threads (in parts of 50 bytes when more than
 * one). */
static digested read_digest_on(const char *content, opts o,
                               int threads)
{
    digested r;
    memset(&r, 0, sizeof r);
    o.t.part_bytes = 50;
    fl_parts parts = {&r.d, digest_part_new, digest_sink, digest_merge, free, NULL};
    r.status = read_temp_parts(content, &o, &parts, threads, &r.counts, &r.err);
    return r;
}

static digested read_digest(const char *content, opts o)
{
    return read_digest_on(content, o, 1);
}

/* a and b: the same status, error (line and message), counts and
 * examples. */
static void ck_same_outcome(const digested *a, const digested *b)
{
    ck_assert_int_eq(a->status, b->status);
    ck_assert_uint_eq(a->err.line, b->err.line);
    ck_assert_str_eq(a->err.msg, b->err.msg);
    ck_assert_mem_eq(&a->counts, &b->counts, sizeof a->counts);
    ck_assert_mem_eq(&a->d, &b->d, sizeof a->d);
}

/* Read content with the fast line readers (AVX2 where the processor has
 * it), with the SSE2 ones and with libcsv alone: the same outcome, which
 * is returned. */
static digested read_three_ways(const char *content, opts o)
{
    digested fast = read_digest(content, o);
    o.t.no_avx2 = 1;
    digested base = read_digest(content, o);
    o.t.no_fast_path = 1;
    digested slow = read_digest(content, o);
    ck_same_outcome(&fast, &slow);
    ck_same_outcome(&base, &fast);
    return fast;
}

/* A long dump whose rows differ in length, so that its newlines, carriage
 * returns and delimiters fall at every offset of the reader's 64-byte
 * blocks and across its windows; one row in every `odd` (if not 0) is one
 * the block scan must leave to the line reader or to libcsv: a quote, a
 * blank around a field or inside one, a lone carriage return, a wrong field
 * count, an empty field, an empty line.  The sum of the scores of the rows
 * that are plain is in *sum.  Fields are split by commas, then turned into
 * delim. */
static char *varied_dump(size_t rows, int crlf, unsigned odd, char delim,
                         double *sum)
{
    char *s = malloc(rows * 64 + 64), *p = s;
    ck_assert_ptr_nonnull(s);
    uint64_t g = 88172645463325252ULL;
    p += sprintf(p, "image_id,anchor,class,logit,label\n");
    *sum = 0;
    for (size_t i = 0; i < rows; i++) {
        g ^= g << 13, g ^= g >> 7, g ^= g << 17;
        long ip = (long)(g % 2000000) - 1000000, fr = (long)((g >> 40) % 1000);
        int label = (int)((g >> 20) % 3) - 1, digits = 1 + (int)((g >> 30) % 6);
        char score[40];
        snprintf(score, sizeof score, "%s%ld.%0*ld", ip < 0 ? "-" : "",
                 labs(ip) / 1000, digits, fr % (digits >= 3 ? 1000 : 10));
        const char *eol = crlf ? "\r\n" : "\n";
        unsigned kind = odd ? (unsigned)(g >> 50) % odd : 1;
        if (kind == 0) {
            switch ((g >> 8) % 8) {
            case 0: /* a quoted score: libcsv's */
                p += sprintf(p, "%zu,%zu,%d,\"%s\",%d%s", i / 300, i, 7, score,
                             label, eol);
                break;
            case 1: /* a blank before the label: trimmed by the line reader */
                p += sprintf(p, "%zu,%zu,%d,%s, %d%s", i / 300, i, 7, score,
                             label, eol);
                break;
            case 2: /* a lone carriage return inside a field */
                p += sprintf(p, "%zu,%zu\r9,%d,%s,%d%s", i / 300, i, 7, score,
                             label, eol);
                break;
            case 3: /* six fields */
                p += sprintf(p, "%zu,%zu,%d,%s,%d,x%s", i / 300, i, 7, score,
                             label, eol);
                break;
            case 4: /* an empty field, not read */
                p += sprintf(p, "%zu,,%d,%s,%d%s", i / 300, 7, score, label,
                             eol);
                break;
            case 5: /* an empty line */
                p += sprintf(p, "%s", eol);
                break;
            case 6: /* a tab inside a field not read */
                p += sprintf(p, "%zu,1\t2,%d,%s,%d%s", i / 300, 7, score,
                             label, eol);
                break;
            default: /* an empty label */
                p += sprintf(p, "%zu,%zu,%d,%s,%s", i / 300, i, 7, score, eol);
            }
            continue;
        }
        p += sprintf(p, "%zu,%zu,%d,%s,%d%s", i / 300, i, (int)((g >> 44) % 91),
                     score, label, eol);
        if (label >= 0)
            *sum += strtod(score, NULL);
    }
    for (char *c = s; *c; c++)
        if (*c == ',')
            *c = delim;
    return s;
}

/* The block scan against libcsv alone and against what was written. */
START_TEST(test_block_scan)
{
    for (int crlf = 0; crlf <= 2; crlf++) {
        double sum;
        char delim = crlf == 2 ? '\t' : ',';
        char *dump = varied_dump(20000, crlf == 1, 0, delim, &sum);
        opts o = defaults();
        o.r.delim = delim;
        digested fast = read_digest(dump, o);
        o.t.no_avx2 = 1; /* the SSE2 line readers */
        digested base = read_digest(dump, o);
        o.t.no_fast_path = 1;
        digested slow = read_digest(dump, o);
        ck_same_outcome(&base, &fast);
        ck_assert_msg(fast.status == FL_OK, "%llu: %s",
                      (unsigned long long)fast.err.line, fast.err.msg);
        ck_assert_int_eq(slow.status, FL_OK);
        ck_assert_uint_eq(fast.counts.rows, 20000);
        ck_assert_uint_eq(fast.d.n, fast.counts.positives + fast.counts.negatives);
        ck_assert_uint_eq(fast.d.positives, fast.counts.positives);
        ck_assert_uint_eq(fast.counts.images, 67);
        /* the sum in the same order: the same bits */
        ck_assert(fast.d.sum == sum);
        ck_same_outcome(&fast, &slow);
        free(dump);
    }
}
END_TEST

/* Rows the block scan leaves to others, in every position: the same
 * outcome as libcsv's, the same error and line, or the same skips. */
START_TEST(test_block_scan_odd_rows)
{
    for (int crlf = 0; crlf <= 1; crlf++)
        for (int skip = 0; skip <= 1; skip++)
            for (unsigned odd = 5; odd <= 400; odd *= 3) {
                double sum;
                char *dump = varied_dump(6000, crlf, odd, ',', &sum);
                opts o = defaults();
                o.r.skip_bad = skip;
                digested fast = read_digest(dump, o);
                o.t.no_fast_path = 1;
                digested slow = read_digest(dump, o);
                o.t.no_fast_path = 0;
                o.t.no_avx2 = 1; /* the SSE2 line readers */
                digested parts = read_digest_on(dump, o, 2);
                ck_same_outcome(&fast, &slow);
                /* on two threads: the same outcome, examples and counts */
                ck_assert_int_eq(parts.status, fast.status);
                ck_assert_uint_eq(parts.err.line, fast.err.line);
                ck_assert_str_eq(parts.err.msg, fast.err.msg);
                if (skip) {
                    ck_assert_mem_eq(&parts.counts, &fast.counts,
                                     sizeof fast.counts);
                    ck_assert_uint_eq(parts.d.n, fast.d.n);
                    ck_assert_uint_eq(parts.d.positives, fast.d.positives);
                    ck_assert_uint_eq(parts.d.xhash, fast.d.xhash);
                }
                if (!skip)
                    ck_assert_int_eq(fast.status, FL_EDATA);
                else
                    ck_assert_uint_gt(fast.counts.skipped, 0);
                free(dump);
            }
}
END_TEST

/* Parts of 1 MiB are read in pieces, each searched for quotes as it comes:
 * a quoted field with newlines in it that spans the first cut, its quote
 * in the fourth piece, must keep the cut out of it.  Two threads give one
 * thread's outcome; a cut at the last newline would split the field and
 * end in an error. */
START_TEST(test_parts_quote_late)
{
    enum { BYTES = 3 << 20, PART = 1 << 20 };
    char *s = malloc(BYTES + 64), *p = s;
    ck_assert_ptr_nonnull(s);
    p += sprintf(p, "logit,label,note\n");
    while (p - s < PART - 40)
        p += sprintf(p, "%d.25,%d,x\n", (int)(p - s) % 7, (int)(p - s) % 2);
    p += sprintf(p, "1.5,1,\"");
    while (p - s < PART + 200)
        p += sprintf(p, "a,\nb\n");
    p += sprintf(p, "\"\n");
    while (p - s < BYTES)
        p += sprintf(p, "-%d.5,%d,y\n", (int)(p - s) % 5, (int)(p - s) % 3 == 0);
    opts o = defaults();
    digested one = read_digest_on(s, o, 1);
    ck_assert_int_eq(one.status, FL_OK);
    digested two;
    memset(&two, 0, sizeof two);
    o.t.part_bytes = PART;
    fl_parts parts = {&two.d, digest_part_new, digest_sink, digest_merge, free, NULL};
    two.status = read_temp_parts(s, &o, &parts, 2, &two.counts, &two.err);
    ck_assert_int_eq(two.status, FL_OK);
    ck_assert_mem_eq(&two.counts, &one.counts, sizeof one.counts);
    ck_assert_uint_eq(two.d.n, one.d.n);
    ck_assert_uint_eq(two.d.xhash, one.d.xhash);
    free(s);
}
END_TEST

/* Lines of every length about the 32 and 64 bytes the short-row reader
 * looks at, with "\n" or "\r\n", comma or tab, each kind of odd byte (or
 * a digit that joins two fields) at each place the line allows, and the
 * last line with no newline: the same outcome as libcsv's, with and
 * without AVX2, and for the plain dumps the sum of what was written.  The
 * lines grow, or shrink from 64 bytes, so that the first odd byte (which
 * may stop the reading) falls in a delimiter, or in the anchor field,
 * which is not read, of a line short_lines reads. */
START_TEST(test_short_rows)
{
    static const char *const odd[] = {"", "\"", " ", "\r", "\t", ",", "5"};
    for (size_t k = 0; k < sizeof odd / sizeof *odd; k++)
        for (int crlf = 0; crlf <= 1; crlf++)
            for (int tab = 0; tab <= 3; tab++) { /* tab % 2: tab-delimited */
                char *dump = malloc(80 * 80 * 80), *p = dump;
                ck_assert_ptr_nonnull(dump);
                double sum = 0;
                p += sprintf(p, "image_id,anchor,class,logit,label\n");
                /* anchor: pad digits that make the line len bytes long */
                size_t rows = 0;
                /* 2, 3: from 64 bytes down, the first odd byte falling in
                 * the anchor field of a line short_lines reads */
                for (int l = 10; l <= (tab < 2 ? 72 : 64); l++)
                    for (int at = 0, len = tab < 2 ? l : 74 - l; at < 72; at++) {
                        rows++;
                        char line[128], score[16];
                        snprintf(score, sizeof score, "-%d.%03d", len, at);
                        int fixed = (int)strlen(score) + 8 + crlf;
                        int pad = len - fixed > 1 ? len - fixed : 1;
                        int n = snprintf(line, sizeof line, "3,%0*d,7,%s,%d%s",
                                         pad, at, score, at % 2,
                                         crlf ? "\r\n" : "\n");
                        ck_assert_int_lt(n, (int)sizeof line);
                        /* an odd byte at position at of one line in six */
                        if (*odd[k] && at % 6 == 5 && at < n - 1 - crlf)
                            line[at] = *odd[k];
                        else
                            sum += strtod(score, NULL);
                        p += sprintf(p, "%s", line);
                    }
                p -= 1 + crlf; /* the last line ends the input */
                *p = '\0';
                if (tab % 2)
                    for (char *c = dump; *c; c++)
                        *c = *c == ',' ? '\t' : *c == '\t' ? ',' : *c;
                for (int skip = 0; skip <= 1; skip++) {
                    opts o = defaults();
                    o.r.delim = tab % 2 ? '\t' : ',';
                    o.r.skip_bad = skip;
                    digested fast = read_digest(dump, o);
                    o.t.no_avx2 = 1; /* the SSE2 line readers */
                    digested base = read_digest(dump, o);
                    digested parts = read_digest_on(dump, o, 2);
                    o.t.no_fast_path = 1;
                    digested slow = read_digest(dump, o);
                    ck_same_outcome(&fast, &slow);
                    ck_same_outcome(&base, &fast);
                    ck_assert_int_eq(parts.status, fast.status);
                    if (fast.status == FL_OK)
                        ck_assert_uint_eq(parts.d.xhash, fast.d.xhash);
                    if (!*odd[k]) {
                        ck_assert_int_eq(fast.status, FL_OK);
                        ck_assert_uint_eq(fast.counts.rows, rows);
                        ck_assert(fast.d.sum == sum);
                    }
                }
                free(dump);
            }
}
END_TEST

/* Headers of 2 to 20 columns, the logit at each place before the label
 * (last) and the image first, or second when the logit is: lines of 9 to
 * 16 fields are split in a loop, of 2 to 8 without one, longer ones by the
 * block scan; the same outcome as libcsv's, with and without AVX2, and the
 * sum of what was written.  Unread columns hold "7". */
START_TEST(test_short_rows_widths)
{
    for (int cols = 2; cols <= 20; cols++)
        for (int lc = 0; lc <= cols - 2; lc++) {
            int ic = cols < 3 ? -1 : lc ? 0 : 1;
            char *dump = malloc(500 * (size_t)(2 * cols + 16) + 256), *p = dump;
            ck_assert_ptr_nonnull(dump);
            double sum = 0;
            for (int c = 0; c < cols; c++)
                p += sprintf(p, "%s%s", c ? "," : "",
                             c == cols - 1 ? "label"
                             : c == lc     ? "logit"
                             : c == ic     ? "image_id"
                                           : "other");
            p += sprintf(p, "\n");
            for (int i = 0; i < 500; i++) {
                char score[16];
                snprintf(score, sizeof score, "-%d.%02d", i % 13, i % 97);
                for (int c = 0; c < cols; c++)
                    p += sprintf(p, "%s%s", c ? "," : "",
                                 c == cols - 1 ? (i % 3 ? "0" : "1")
                                 : c == lc     ? score
                                 : c == ic     ? (i < 250 ? "4" : "5")
                                               : "7");
                p += sprintf(p, "\n");
                sum += strtod(score, NULL);
            }
            digested fast = read_three_ways(dump, defaults());
            ck_assert_msg(fast.status == FL_OK, "%d columns: %s", cols,
                          fast.err.msg);
            ck_assert_uint_eq(fast.counts.rows, 500);
            ck_assert_uint_eq(fast.d.positives, 167);
            ck_assert(fast.d.sum == sum);
            free(dump);
        }
}
END_TEST

/* The usual five columns in their usual order, which have a reader of
 * their own (usual_lines), in rows of every shape it tells apart, mixed
 * among the common ones: class ids of one and two digits and others (three
 * digits, a leading zero, a digit and a non-digit, a non-digit that is not
 * a small number though its byte minus '0' is: ':' is 10), labels 0, 1 and
 * -1, logits of the common shape and others (an exponent, a plus sign, 17
 * digits, an integer), carriage returns, a byte after the label that ends
 * no line (a control byte: a bad row, skipped; or a blank, trimmed), an
 * empty anchor; images of 1 to 17 bytes (one word, two, more), each id
 * the last one and a byte more, some beginning with ignored rows, some
 * longer than a batch, and in one image of four most logits as Python
 * prints a double (16 or 17 digits: the loop for long numbers, rows over
 * 32 bytes), which the next image's may not be.  The outcome of libcsv's
 * path, with and without AVX2, the sum of what was written, and on two
 * threads in parts of several sizes the same counts and examples (their
 * classes numbered as the threads meet them). */
START_TEST(test_usual_rows)
{
    static const char *const classes[] = {"0",  "9", "10", "99", "100", "07",
                                          "7",  ":", "4:", "x",  "123456",
                                          "5"};
    static const char *const after[] = {"\x01", "\x1f", " ", "\t"};
    static const char *const scores[] = {
        "0.5", "1e-3", "+1.5", "-0.000001", "12345678.1234567",
        "-11.763768936765141", "3", "-7.25", "0.0000000000000001"};
    enum { ROWS = 40000 };
    char *dump = malloc((size_t)ROWS * 72 + 64), *p = dump;
    ck_assert_ptr_nonnull(dump);
    p += sprintf(p, "image_id,anchor,class,logit,label\n");
    uint64_t g = 88172645463325252ULL;
    double sum = 0;
    int image = 0, left = 0, lead = 0;
    for (int i = 0; i < ROWS; i++) {
        g ^= g << 13, g ^= g >> 7, g ^= g << 17;
        if (left == 0) { /* a new image: its id 1 to 12 bytes long */
            image++;
            left = g % 10 == 0 ? 5000 : 1 + (int)(g % 1500);
            lead = image % 3 == 0 ? 3 : 0; /* its first rows ignored */
        }
        left--;
        char id[24], score[32];
        snprintf(id, sizeof id, "%c%.*s", 'A' + image / 17, image % 17,
                 "123456789abcdefg");
        unsigned u = (unsigned)(g >> 20) % 100, v = (unsigned)(g >> 40) % 100;
        const char *klass = u < 60   ? "3"
                            : u < 85 ? "42"
                                     : classes[(g >> 8) % (sizeof classes /
                                                           sizeof *classes)];
        if (image % 4 == 1 && v < 90) /* Python's repr of a double */
            snprintf(score, sizeof score, "%.*g", 16 + (int)(g >> 7) % 2,
                     ((double)(g >> 11) / 9007199254740992.0 - 0.5) * 24);
        else if (v < 85)
            snprintf(score, sizeof score, "-%u.%06u", (unsigned)(g >> 50) % 12,
                     (unsigned)(g >> 24) % 1000000);
        else
            snprintf(score, sizeof score, "%s",
                     scores[(g >> 12) % (sizeof scores / sizeof *scores)]);
        int label = lead > 0 ? (lead--, -1) : (g >> 30) % 50 == 0 ? -1
                                            : (g >> 33) % 12 == 0;
        /* a byte after the label: on an ignored row, out of the sum */
        const char *odd = (g >> 4) % 100 == 0 ? after[(g >> 2) % 4] : "";
        if (*odd)
            label = -1;
        char anchor[16] = "";
        if ((g >> 45) % 100)
            snprintf(anchor, sizeof anchor, "%d", i);
        p += sprintf(p, "%s,%s,%s,%s,%d%s%s", id, anchor, klass, score, label,
                     odd, (g >> 36) % 20 == 0 ? "\r\n" : "\n");
        if (label >= 0)
            sum += strtod(score, NULL);
    }
    opts skip = defaults();
    skip.r.skip_bad = 1;
    digested fast = read_three_ways(dump, skip);
    ck_assert_msg(fast.status == FL_OK, "%llu: %s",
                  (unsigned long long)fast.err.line, fast.err.msg);
    ck_assert_uint_gt(fast.counts.skipped, 0);
    ck_assert_uint_eq(fast.counts.rows + fast.counts.skipped, ROWS);
    ck_assert_uint_eq(fast.counts.images, (unsigned)image);
    ck_assert_uint_eq(fast.counts.classes, 2 + sizeof classes / sizeof *classes);
    ck_assert(fast.d.sum == sum);
    static const size_t part_bytes[] = {300, 4096, 65536};
    for (size_t k = 0; k < sizeof part_bytes / sizeof *part_bytes; k++) {
        digested two;
        memset(&two, 0, sizeof two);
        opts o = skip;
        o.t.part_bytes = part_bytes[k];
        fl_parts parts = {&two.d, digest_part_new, digest_sink, digest_merge,
                          free, NULL};
        two.status = read_temp_parts(dump, &o, &parts, 2, &two.counts, &two.err);
        ck_assert_int_eq(two.status, FL_OK);
        ck_assert_mem_eq(&two.counts, &fast.counts, sizeof fast.counts);
        ck_assert_uint_eq(two.d.n, fast.d.n);
        ck_assert_uint_eq(two.d.positives, fast.d.positives);
        ck_assert_uint_eq(two.d.xhash, fast.d.xhash);
    }
    free(dump);
}
END_TEST

/* Image ids of 1 to 24 bytes, then class ids, in pairs whose second id
 * differs from the first in one byte only, at every place (what the fast
 * reader compares in one word, in two or with memcmp), each id on two rows
 * (the other column's id is the same in all): as many images or classes
 * as ids, and the outcome of libcsv's path, with and without AVX2; with
 * and without an anchor column (the five usual columns have a reader of
 * their own, which compares an image id of up to 16 bytes as one word or
 * two: the class there is the small number 3).  The ids start with a
 * letter (the pair's own), so that none is a small number and no two pairs
 * share an id.  Eight rows of another
 * id close the dump: the short-row reader wants room after a line, and
 * leaves the last ones to the others. */
START_TEST(test_long_ids)
{
    for (int five = 0; five <= 1; five++)
        for (int in_class = 0; in_class <= 1; in_class++)
            for (int len = 1; len <= 24; len++) {
                char *dump = malloc(4 * (size_t)len * (len + 40) + 512);
                char *p = dump;
                ck_assert_ptr_nonnull(dump);
                p += sprintf(p, five ? "image_id,anchor,class,logit,label\n"
                                     : "image_id,class,logit,label\n");
                for (int at = 0; at <= len; at++)
                    for (int second = 0; second <= 1; second++) {
                        char id[32];
                        memset(id, '7', (size_t)len);
                        id[len] = '\0';
                        id[0] = (char)('a' + at);
                        if (at == len) /* the closing rows */
                            strcpy(id, "zz");
                        else if (second)
                            id[at] = at ? '8' : 'A';
                        const char *image = in_class ? "q" : id;
                        const char *klass = in_class ? id : "3";
                        for (int r = 0; r < (at == len ? 4 : 2); r++)
                            if (five)
                                p += sprintf(p, "%s,%d,%s,-%d.5,%d\n", image,
                                             r, klass, at + 2, r % 2);
                            else
                                p += sprintf(p, "%s,%s,-%d.5,%d\n", image,
                                             klass, at + 2, r % 2);
                    }
                digested fast = read_three_ways(dump, defaults());
                ck_assert_msg(fast.status == FL_OK, "%d bytes: %s", len,
                              fast.err.msg);
                ck_assert_uint_eq(fast.counts.rows, 4 * (size_t)len + 8);
                size_t ids = 2 * (size_t)len + 1;
                ck_assert_uint_eq(fast.counts.images, in_class ? 1 : ids);
                ck_assert_uint_eq(fast.counts.classes, in_class ? ids : 1);
                free(dump);
            }
}
END_TEST

/* A wide dump of 200 anchors (50 an image) with k scores in every shape
 * the parsers tell apart (short and 17-digit decimals, integers,
 * exponents, a plus sign, blanks around), and a background logit when
 * softmax; junk: one score is not a number.  The sum of the scores of the
 * good rows is in *sum. */
static char *wide_dump(int k, int junk, int softmax, double *sum)
{
    static const char *const shapes[] = {
        "-6.123456", "0.5", "-11.763768936765141", "3", "-2.5e-3",
        "+1.25", " -4.75", "7.000000000000001 ", "1234567.8912345678",
        "-0.000001"};
    enum { NS = sizeof shapes / sizeof *shapes };
    char *dump = malloc(200 * (size_t)(k + 3) * 24 + 256), *p = dump;
    ck_assert_ptr_nonnull(dump);
    *sum = 0;
    p += sprintf(p, "image_id,label");
    for (int c = 0; c < k; c++)
        p += sprintf(p, ",logit_%d", c);
    if (softmax)
        p += sprintf(p, ",logit_bg");
    for (int i = 0; i < 200; i++) {
        p += sprintf(p, "\n%d,%d", i / 50, i % (k + 1));
        for (int c = 0; c < k + softmax; c++) {
            const char *v = shapes[(i * 7 + c * 3) % NS];
            if (junk && i == 77 && c == k / 2)
                v = "1.5x";
            else if (!(junk && i == 77))
                *sum += strtod(v, NULL);
            p += sprintf(p, ",%s", v);
        }
    }
    return dump;
}

/* Wide dumps (wide_dump) with rows of 1 to 40 scores, so that fields end
 * at every distance from the end of the input, the last with no newline:
 * the outcome of libcsv's path, with and without AVX2, and the sum of
 * strtod's values; the junk row stops the read, or with --skip-bad is
 * skipped, alike.  On two threads, in parts of 50 bytes: the same counts,
 * examples and classes, or the same error on the same line. */
START_TEST(test_wide_scores)
{
    for (int k = 1; k <= 40; k += 3)
        for (int junk = 0; junk <= 2; junk++) /* 2: with --skip-bad */
            for (int softmax = 0; softmax <= 1; softmax++) {
                double sum;
                char *dump = wide_dump(k, junk > 0, softmax, &sum);
                opts o = defaults();
                o.r.skip_bad = junk == 2;
                o.r.softmax = softmax;
                digested fast = read_three_ways(dump, o);
                digested two = read_digest_on(dump, o, 2);
                ck_assert_int_eq(two.status, fast.status);
                ck_assert_uint_eq(two.err.line, fast.err.line);
                ck_assert_str_eq(two.err.msg, fast.err.msg);
                if (junk == 1) {
                    ck_assert_int_eq(fast.status, FL_EDATA);
                    ck_assert_uint_eq(fast.err.line, 79);
                    free(dump);
                    continue;
                }
                ck_assert_msg(fast.status == FL_OK, "%d scores: %s", k,
                              fast.err.msg);
                ck_assert_mem_eq(&two.counts, &fast.counts, sizeof two.counts);
                ck_assert_uint_eq(two.d.n, fast.d.n);
                ck_assert_uint_eq(two.d.positives, fast.d.positives);
                ck_assert_uint_eq(two.d.xhash, fast.d.xhash);
                ck_assert_uint_eq(two.d.khash, fast.d.khash);
                ck_assert_uint_eq(fast.counts.rows, 200 - (junk > 0));
                ck_assert_uint_eq(fast.counts.skipped, junk > 0);
                ck_assert_uint_eq(fast.d.n, softmax ? fast.counts.rows
                                                    : fast.counts.rows * (unsigned)k);
                if (!softmax) /* else the examples are margins */
                    ck_assert_msg(fabs(fast.d.sum - sum) <= 1e-9 * (1 + fabs(sum)),
                                  "%d scores: %.17g, want %.17g", k,
                                  fast.d.sum, sum);
                free(dump);
            }
}
END_TEST

/* Probabilities in the usual columns, five of them or six (so both
 * copies of the short-row reader that take them, and the usual five's own
 * loops, which leave 0, 1 and 1e-3, rare here, to the others), among them
 * 0 and 1 and others within 1e-12 of them (clamped, on ignored rows too),
 * some of 16 to 19 digits (and one of 20, the general path's),
 * and with --skip-bad 1.5 and -0.25: the outcome of libcsv's path, with
 * and without AVX2, and the logits a direct computation gives. */
START_TEST(test_prob_rows)
{
    static const char *const probs[] = {
        "0.25", "0.000123", "0.999",           "0.5",
        "0.75", "0.0000000000001", "0.99999999999999",
        "0.30000000000000004", "0.9999999999999999", "0.012345678901234567",
        "0.0012345678901234567"};
    static const char *const others[] = {"0", "1", "1e-3"};
    enum { NP = sizeof probs / sizeof *probs };
    for (int extra = 0; extra <= 1; extra++)
        for (int bad = 0; bad <= 1; bad++) {
            char *dump = malloc(3000 * 48 + 64), *p = dump;
            ck_assert_ptr_nonnull(dump);
            double sum = 0;
            unsigned clamped = 0, skipped = 0;
            p += sprintf(p, "image_id,anchor,class,score,label%s\n",
                         extra ? ",note" : "");
            for (int i = 0; i < 3000; i++) {
                const char *v = i % 37 == 5 ? others[i % 3] : probs[i % NP];
                if (bad && i % 701 == 700) {
                    v = i % 2 ? "1.5" : "-0.25";
                    skipped++;
                } else {
                    double q = strtod(v, NULL), eps = 1e-12;
                    clamped += q < eps || q > 1 - eps;
                    q = q < eps ? eps : q > 1 - eps ? 1 - eps : q;
                    if (i % 7 != 6)
                        sum += log(q / (1 - q));
                }
                p += sprintf(p, "%d,%d,%d,%s,%d%s\n", i / 1000, i, i % 3, v,
                             i % 7 == 6 ? -1 : i % 2, extra ? ",x" : "");
            }
            opts o = defaults();
            o.r.skip_bad = bad;
            digested fast = read_three_ways(dump, o);
            ck_assert_msg(fast.status == FL_OK, "%s", fast.err.msg);
            ck_assert_uint_eq(fast.counts.rows, 3000 - skipped);
            ck_assert_uint_eq(fast.counts.skipped, skipped);
            ck_assert_uint_eq(fast.counts.clamped, clamped);
            ck_assert_msg(fabs(fast.d.sum - sum) <= 1e-12 * (1 + fabs(sum)),
                          "%.17g, want %.17g", fast.d.sum, sum);
            free(dump);
        }
}
END_TEST

/* A short line whose newline ends the block scan's window: what lies past
 * the separators it noted must not complete the line. */
START_TEST(test_block_scan_window_end)
{
    char dump[256];
    memset(dump, 0, sizeof dump);
    strcpy(dump, "logit,label\n");
    size_t at = strlen(dump);
    memset(dump + at, '7', 63); /* one field, its newline the 64th byte */
    strcpy(dump + at + 63, "\n0.5,1\n");
    for (int skip = 0; skip <= 1; skip++) {
        opts o = defaults();
        o.r.skip_bad = skip;
        result r = read_with(dump, &o, 0);
        if (!skip) {
            ck_error(r, 2, "expected 2 fields, found 1");
        } else {
            ck_assert_int_eq(r.status, FL_OK);
            ck_assert_uint_eq(r.counts.skipped, 1);
            ck_assert_uint_eq(r.g.n, 1);
            ck_assert(r.g.x[0] == 0.5);
        }
    }
}
END_TEST

/* A part's examples: their logits and class numbers, in order. */
typedef struct class_seen {
    size_t n;
    double x[4096];
    uint32_t klass[4096];
} class_seen;

static int class_seen_sink(void *ctx, const fl_batch *b)
{
    class_seen *c = ctx;
    for (size_t i = 0; i < b->n && c->n < 4096; i++, c->n++) {
        c->x[c->n] = b->x[i];
        c->klass[c->n] = b->klass[i];
    }
    return FL_OK;
}

static void *class_seen_new(void *whole, uint64_t part)
{
    (void)whole;
    (void)part;
    return calloc(1, sizeof(class_seen));
}

static int class_seen_merge(void *whole, void *part, int continues)
{
    (void)continues;
    class_seen *p = part;
    return class_seen_sink(whole, &(fl_batch){.n = p->n, .x = p->x,
                                              .klass = p->klass});
}

/* Read on two threads in parts of 40 bytes, every class is numbered as the
 * main reader names it: small numbers, large ones and names, each met
 * first on either thread. */
START_TEST(test_parts_number_classes_alike)
{
    static const char *const names[] = {"3", "71", "1234", "dog", "cat",
                                        "0", "99", "100", "x-ray"};
    enum { ROWS = 1500, K = 9 };
    static char content[ROWS * 32 + 64];
    size_t len = (size_t)sprintf(content, "image,class,logit,label\n");
    for (int i = 0; i < ROWS; i++)
        len += (size_t)sprintf(content + len, "%d,%s,%d,0\n", i / 50,
                               names[(i * 7 + i / 13) % K], i);
    opts o = defaults();
    o.t.part_bytes = 40;
    char *path = write_temp(content, len, 0);
    fl_reader *rd = fl_reader_new(&o.r, &o.t);
    ck_assert_ptr_nonnull(rd);
    class_seen *all = calloc(1, sizeof *all);
    ck_assert_ptr_nonnull(all);
    fl_parts parts = {all, class_seen_new, class_seen_sink, class_seen_merge,
                      free, NULL};
    fl_counts counts;
    fl_error err;
    memset(&counts, 0, sizeof counts);
    ck_assert_int_eq(fl_reader_read_parts(rd, path, &parts, 2, &counts, &err),
                     FL_OK);
    ck_assert_uint_eq(all->n, ROWS);
    ck_assert_uint_eq(counts.classes, K);
    for (size_t i = 0; i < all->n; i++) {
        int row = (int)all->x[i];
        const char *name = fl_reader_class_name(rd, all->klass[i]);
        ck_assert_ptr_nonnull(name);
        ck_assert_str_eq(name, names[(row * 7 + row / 13) % K]);
    }
    free(all);
    fl_reader_free(rd);
    unlink(path);
}
END_TEST

Suite *reader_suite(void)
{
    Suite *s = suite_create("reader");
    TCase *tc = tcase_create("reader");
    tcase_add_test(tc, test_columns_by_name);
    tcase_add_test(tc, test_overrides);
    tcase_add_test(tc, test_probabilities);
    tcase_add_test(tc, test_csv_corners);
    tcase_add_test(tc, test_bad_values);
    tcase_add_test(tc, test_header_errors);
    tcase_add_test(tc, test_skip_bad);
    tcase_add_test(tc, test_images);
    tcase_add_test(tc, test_gzip);
    tcase_add_test(tc, test_unreadable);
    tcase_add_test(tc, test_delimiter);
    tcase_add_test(tc, test_record_limit);
    tcase_add_test(tc, test_block_scan);
    tcase_add_test(tc, test_block_scan_odd_rows);
    tcase_add_test(tc, test_parts_quote_late);
    tcase_add_test(tc, test_block_scan_window_end);
    tcase_add_test(tc, test_short_rows);
    tcase_add_test(tc, test_short_rows_widths);
    tcase_add_test(tc, test_usual_rows);
    tcase_add_test(tc, test_long_ids);
    tcase_add_test(tc, test_wide_scores);
    tcase_add_test(tc, test_wide_label_conventions);
    tcase_add_test(tc, test_prob_rows);
    tcase_add_test(tc, test_parts_number_classes_alike);
    suite_add_tcase(s, tc);
    return s;
}
