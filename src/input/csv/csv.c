/* csv.c: the CSV format: dumps to rows, through libcsv and the fast line
 * readers.
 *
 * The input is split into physical lines here and each line is fed to
 * libcsv on its own, so that every message can name the line where its
 * record starts, and so that reading can stop at the first fatal error.
 * Lines that need none of libcsv's rules go to the fast readers, which
 * give the same results. */
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/csv/csv_file.h"
#include "input/csv/lines.h"
#include "input/csv/simd_sse2.h"
#include "input/format.h"
#include "input/input.h"
#include "input/schema.h"
#include "input/source.h"
#include "input/split.h"

#define READ_MIN (64u << 10) /* read when at least this much is free */

/* How a stretch of the input ended early (fl_stretch.ending). */
enum { ENDS_LINE_TOO_LONG = 1, ENDS_RECORD_TOO_LONG };

/* r's scratch, made when first needed; NULL when out of memory. */
static fl_csv_scratch *scratch_of(fl_reader *r)
{
    if (r->csv)
        return r->csv;
    fl_csv_scratch *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    memset(k->classes_of, FL_C_PLAIN, sizeof k->classes_of);
    k->classes_of['"'] = FL_C_SPECIAL;
    k->classes_of['\r'] = FL_C_SPECIAL;
    k->classes_of['\n'] = FL_C_NEWLINE;
    k->classes_of[(unsigned char)r->o.delim] = FL_C_DELIM;
    k->cuts_at[0] = UINT32_MAX;
    k->seps_at[0] = UINT32_MAX;
#ifdef FL_NUM_AVX2
    k->nk = fl_num_avx2_consts();
#endif
    r->csv = k;
    return k;
}

static void csv_reader_free(fl_reader *r)
{
    free(r->csv);
    r->csv = NULL;
}

/* The longest line, and the longest record, the reader takes. */
static size_t record_limit(const fl_reader *r)
{
    return r->test.max_record ? r->test.max_record : FL_MAX_LINE;
}

/* n bytes as words for a message: "256 MiB", or "1000 bytes". */
static const char *size_text(char *buf, size_t cap, size_t n)
{
    if (n % ((size_t)1 << 20) == 0)
        snprintf(buf, cap, "%zu MiB", n >> 20);
    else
        snprintf(buf, cap, "%zu bytes", n);
    return buf;
}

/* Is libcsv between records, as just after csv_init?  Only then may a line
 * bypass it: a bare carriage return can end a record inside a line and
 * leave the next one open. */
static int csv_idle(const csv_file *cf)
{
    const struct csv_parser *csv = cf->csv;
    return csv->pstate == cf->csv_idle_pstate && csv->entry_pos == 0 &&
           !csv->quoted;
}

/* libcsv drops spaces and tabs around an unquoted field, but never the
 * delimiter itself. */
static int is_trimmed(char c, char delim)
{
    return (c == ' ' || c == '\t') && c != delim;
}

/* ---- libcsv's callbacks ---- */

static void on_field(void *s, size_t len, void *data)
{
    csv_file *cf = data;
    if (cf->f.status != FL_OK)
        return;
    if (!s)
        s = "";
    if (!cf->f.header_done)
        fl_schema_add_name(&cf->f, s, len);
    else if (cf->field < cf->f.schema->nnames)
        fl_csv_data_field(cf, s, len);
    cf->field++;
}

static void on_row(int c, void *data)
{
    (void)c;
    csv_file *cf = data;
    size_t nfields = cf->field;
    cf->field = 0;
    fl_row_done(&cf->f, nfields);
    cf->f.row_line = cf->f.line; /* where a record after it begins */
}

/* ---- lines ---- */

/* The record begun at f.row_line runs on past the limit: most likely a
 * quote opened a field that no quote closes. */
static void record_too_long(csv_file *cf)
{
    char lim[32];
    fl_file_fatal(&cf->f, FL_EDATA, cf->f.row_line,
                  "record longer than %s (is a closing quote missing?)",
                  size_text(lim, sizeof lim, record_limit(cf->f.r)));
}

static void feed_line(csv_file *cf, const char *s, size_t len)
{
    fl_file *fs = &cf->f;
    fs->line++;
    /* A UTF-8 byte-order mark goes before libcsv sees it: in front of a
     * quoted header name it would make that quote a malformed one. */
    if (!fs->header_done && fs->line == 1 && len >= 3 &&
        memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        len -= 3;
    }
    /* numpy's savetxt writes its header behind "# " */
    if (!fs->header_done && fs->line == 1 && len >= 2 && s[0] == '#' &&
        s[1] == ' ') {
        s += 2;
        len -= 2;
    }
    /* A record left open by earlier lines (a quoted field holding
     * newlines) goes on; else one that begins here begins on this line. */
    if (!cf->in_record) {
        fs->row_line = fs->line;
        cf->record_bytes = 0;
    }
    cf->record_bytes += len;
    if (cf->record_bytes > record_limit(fs->r)) {
        record_too_long(cf);
        return;
    }
    size_t used = csv_parse(cf->csv, s, len, on_field, on_row, cf);
    cf->in_record = !csv_idle(cf);
    if (used == len)
        return;
    if (csv_error(cf->csv) == CSV_ENOMEM)
        fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
    else
        fl_file_fatal(fs, FL_EDATA, fs->line,
                      "malformed CSV: a quote inside an unquoted field or "
                      "after a closing quote");
}

/* A line that ends in "\r\n" and has no other carriage return or quote is
 * still plain. */
static int only_crlf(const char *s, size_t end)
{
    return end > 0 && s[end - 1] == '\r' && !memchr(s, '"', end) &&
           !memchr(s, '\r', end - 1);
}

/* The line at s, of end bytes and nfields fields ending at cuts, which
 * holds no quote: read as a plain row where it is one, else field by
 * field; a line of blanks is skipped, as libcsv skips it. */
static void plain_line(csv_file *cf, const char *s, size_t len, size_t end,
                       uint32_t *cuts, size_t nfields)
{
    fl_file *fs = &cf->f;
    size_t b = 0;
    while (nfields == 1 && b < end && is_trimmed(s[b], fs->r->o.delim))
        b++;
    if (b == end && nfields == 1)
        return;
    cuts[nfields - 1] = (uint32_t)end;
    line_at ln = {s, cuts, nfields, 0};
    plain_cols pc = plain_cols_of(fs);
    plain_ex ex;
    if (fs->schema->plain && nfields == fs->schema->nnames &&
        plain_row(fs, &pc, &ln, s + len, 0, NULL, 0, &ex)) {
        plain_counts c = {0};
        fs->row_line = fs->line;
        take_plain(fs, &ex, &c);
        add_plain_counts(fs, &c);
    } else {
        fl_csv_fast_fields(cf, s, cuts, nfields, s + len);
    }
}

/* Scan the line at s[0, len) once.  A line with no quote and no carriage
 * return but before its newline is read here, with libcsv's semantics
 * (split at the delimiter, trim spaces and tabs, skip a blank line); any
 * other goes to libcsv.  Return the bytes consumed, or 0 when the buffer
 * holds no whole line (unless at_eof). */
static size_t fast_line(csv_file *cf, const char *s, size_t len, int at_eof)
{
    fl_file *fs = &cf->f;
    uint32_t *cuts = cf->k->cuts_at + 1;
    size_t nnames = fs->schema->nnames;
    size_t max = nnames < FL_MAX_CUTS ? nnames : FL_MAX_CUTS;
    scan sc;
    scan_line(cf->k, fs->r->o.delim, s, len, cuts, max, &sc);
    if (sc.end == len && !at_eof)
        return 0;
    size_t used = sc.end < len ? sc.end + 1 : len;
    size_t end = sc.end;
    if (sc.special && only_crlf(s, end))
        sc.special = 0;
    if (end > 0 && s[end - 1] == '\r')
        end--;
    size_t nfields = sc.ndelims + 1;
    if (sc.special || end > UINT32_MAX || nfields > max) {
        feed_line(cf, s, used); /* libcsv, or a field count error */
        cf->fed_csv = 1;
        return used;
    }
    fs->line++;
    plain_line(cf, s, len, end, cuts, nfields);
    return used;
}

/* The short-line readers for this processor. */
static size_t short_lines(csv_file *cf, const char *s, size_t len)
{
    return cf->f.r->avx2 ? fl_csv_short_lines_avx2(cf, s, len)
                         : fl_csv_short_lines_sse2(cf, s, len);
}

/* fast_line over the lines of s[0, len) while it may read them: until one
 * is incomplete, or goes to libcsv, or reading stops.  Return the bytes
 * consumed (0 when the first line is incomplete). */
static size_t fast_lines(csv_file *cf, const char *s, size_t len, int at_eof)
{
    fl_file *fs = &cf->f;
    size_t done = 0;
    int shorts_stopped = 0;
    cf->fed_csv = 0;
    while (done < len) {
#ifdef __SSE2__
        size_t nnames = fs->schema->nnames;
        if (nnames >= 2 && nnames <= FL_MAX_CUTS) {
            /* A line short_lines leaves (a new image, say) goes to
             * fast_line alone; when the line after it is left too, the
             * lines are likely long: block_lines reads a window of them. */
            size_t got = short_lines(cf, s + done, len - done);
            done += got;
            if (fs->status != FL_OK || done == len)
                break;
            if (!got && shorts_stopped)
                done += fl_csv_block_lines(cf, s + done, len - done);
            if (fs->status != FL_OK || done == len)
                break;
            shorts_stopped = !got;
        }
#endif
        size_t used = fast_line(cf, s + done, len - done, at_eof);
        done += used;
        /* a line libcsv read may leave a record open */
        if (!used || fs->status != FL_OK)
            break;
        if (cf->fed_csv) {
            if (!csv_idle(cf))
                break;
            cf->fed_csv = 0;
        }
    }
    return done;
}

/* Feed every complete line of buf[0, len) (every line, at the end of the
 * input); return the bytes consumed.  *clean counts the bytes at the start
 * of buf already known to hold no newline, so that a long line arriving
 * read by read is searched once, not once per read. */
static size_t feed_lines(csv_file *cf, const char *buf, size_t len,
                         int at_eof, size_t *clean)
{
    fl_file *fs = &cf->f;
    size_t start = 0;
    while (fs->status == FL_OK && start < len &&
           !(cf->header_only && fs->header_done)) {
        size_t skip = start == 0 ? *clean : 0;
        int fast = fs->header_done && csv_idle(cf) &&
                   !fs->r->test.no_fast_path;
        if (fast && skip == 0) { /* fast_line finds the newline itself */
            size_t used = fast_lines(cf, buf + start, len - start, at_eof);
            if (!used) {
                *clean = len - start;
                return start;
            }
            start += used;
            continue;
        }
        const char *nl = memchr(buf + start + skip, '\n', len - start - skip);
        if (!nl && !at_eof) {
            *clean = len - start;
            return start;
        }
        if (fast) {
            size_t used = fast_line(cf, buf + start, len - start, at_eof);
            if (!used) /* cannot happen: a newline is there, or the end */
                break;
            start += used;
            continue;
        }
        size_t end = nl ? (size_t)(nl - buf) + 1 : len;
        feed_line(cf, buf + start, end - start);
        start = end;
    }
    *clean = 0;
    return start;
}

/* ---- a file on one thread ---- */

/* Make room for a read of at least READ_MIN; 0 or -1 after fatal. */
static int inbuf_room(fl_file *fs, fl_inbuf *in)
{
    if (in->cap - in->len >= READ_MIN)
        return 0;
    if (in->cap >= FL_MAX_LINE) {
        fl_file_fatal(fs, FL_EDATA, fs->line + 1, "line longer than 256 MiB");
        return -1;
    }
    size_t cap = in->cap ? 2 * in->cap : 4 * READ_MIN;
    char *p = realloc(in->buf, cap);
    if (!p) {
        fl_file_fatal(fs, FL_ENOMEM, 0, "out of memory");
        return -1;
    }
    in->buf = p;
    in->cap = cap;
    return 0;
}

/* Read and feed to the end of the input or the first fatal error, or (with
 * header_only) until the header is read, the rest left in in.  Return 1
 * when the input is used up or reading stopped, 0 after the header. */
static int pump(csv_file *cf, fl_source *src, fl_inbuf *in)
{
    fl_file *fs = &cf->f;
    for (;;) {
        if (inbuf_room(fs, in) < 0)
            return 1;
        long n = fl_source_read(fs, src, in->buf + in->len, in->cap - in->len);
        if (n < 0)
            return 1;
        if (n == 0) {
            cf->header_only = 0; /* what follows a header without newline */
            feed_lines(cf, in->buf, in->len, 1, &in->clean);
            return 1;
        }
        in->len += (size_t)n;
        size_t used = feed_lines(cf, in->buf, in->len, 0, &in->clean);
        if (fs->status != FL_OK)
            return 1;
        memmove(in->buf, in->buf + used, in->len - used);
        in->len -= used;
        if (cf->header_only && fs->header_done)
            return 0;
    }
}

/* Start cf for file f (copied in), with parser csv.  Return FL_OK, or
 * FL_ENOMEM after fatal. */
static int csv_file_begin(csv_file *cf, fl_file *f, struct csv_parser *csv)
{
    *cf = (csv_file){.csv = csv};
    fl_file_move(&cf->f, f);
    cf->k = scratch_of(f->r);
    if (!cf->k || csv_init(csv, CSV_STRICT | CSV_STRICT_FINI |
                                    CSV_APPEND_NULL) != 0) {
        fl_file_fatal(&cf->f, FL_ENOMEM, 0, "out of memory");
        return FL_ENOMEM;
    }
    csv_set_delim(csv, (unsigned char)f->r->o.delim);
    /* libcsv grows a field by blk_size at a time: its default (128 bytes)
     * makes a field of megabytes cost quadratic copying */
    csv_set_blk_size(csv, 1u << 20);
    cf->csv_idle_pstate = csv->pstate;
    return FL_OK;
}

/* The end of the input: a record libcsv still holds is complete, unless a
 * quote is open. */
static void csv_file_end(csv_file *cf)
{
    if (cf->f.status == FL_OK && csv_fini(cf->csv, on_field, on_row, cf) != 0)
        fl_file_fatal(&cf->f, FL_EDATA, cf->f.row_line,
                      "unterminated quoted field at the end of the input");
}

/* Can the rest of this file be read in parts?  Not when the header's
 * line held more than the header. */
static int can_split(const csv_file *cf)
{
    return cf->f.status == FL_OK && cf->f.header_done &&
           cf->f.data_rows == 0 && csv_idle(cf);
}

static void csv_read(fl_file *f, fl_source *src, const fl_parts *parts,
                     int threads)
{
    csv_file cf;
    struct csv_parser csv;
    fl_inbuf in = {0};
    if (csv_file_begin(&cf, f, &csv) == FL_OK) {
        cf.header_only = parts && threads > 1;
        int end = pump(&cf, src, &in);
        cf.header_only = 0;
        if (!end && can_split(&cf))
            end = fl_split_read(&cf.f, src, &in, parts, threads,
                                &fl_format_csv) == 0;
        if (!end)
            pump(&cf, src, &in);
        csv_file_end(&cf);
        csv_free(&csv);
    }
    free(in.buf);
    fl_file_move(f, &cf.f);
}

/* ---- in parts ---- */

/* libcsv's states with CSV_STRICT, as far as they tell where records end
 * (last_record_end); BROKEN is where libcsv stops with an error. */
enum csv_scan { SCAN_BETWEEN, SCAN_UNQUOTED, SCAN_QUOTED, SCAN_CLOSED,
                SCAN_SPACED, SCAN_BROKEN };

/* The state after c in state st, as libcsv's csv_parse moves: a quote
 * opens a field only where the field begins, and after a closing quote
 * only a delimiter, an end of line, spaces or a doubled quote may come. */
static enum csv_scan scan_step(enum csv_scan st, unsigned char c, char delim)
{
    int ends = c == (unsigned char)delim || c == '\r' || c == '\n';
    switch (st) {
    case SCAN_BETWEEN:
        if (c == '"')
            return SCAN_QUOTED;
        return ends || is_trimmed((char)c, delim) ? SCAN_BETWEEN
                                                  : SCAN_UNQUOTED;
    case SCAN_UNQUOTED:
        if (c == '"')
            return SCAN_BROKEN;
        return ends ? SCAN_BETWEEN : SCAN_UNQUOTED;
    case SCAN_QUOTED:
        return c == '"' ? SCAN_CLOSED : SCAN_QUOTED;
    case SCAN_CLOSED:
    case SCAN_SPACED:
        if (ends)
            return SCAN_BETWEEN;
        if (is_trimmed((char)c, delim))
            return SCAN_SPACED;
        return c == '"' && st == SCAN_CLOSED ? SCAN_QUOTED : SCAN_BROKEN;
    case SCAN_BROKEN: /* libcsv stopped: the reader reports this line */
        return c == '\n' ? SCAN_BETWEEN : SCAN_BROKEN;
    }
    return SCAN_BROKEN;
}

/* Return where the last record that ends in buf[0, len) ends (just after a
 * newline outside quotes), or 0 when none does; buf begins a record, and
 * holds a quote only if quoted.  A record libcsv refuses ends at its
 * line's end: reading stops there. */
static size_t last_record_end(const char *buf, size_t len, int quoted,
                              char delim)
{
    if (!quoted) {
        while (len > 0 && buf[len - 1] != '\n')
            len--;
        return len;
    }
    size_t end = 0;
    enum csv_scan st = SCAN_BETWEEN;
    for (size_t i = 0; i < len; i++) {
        st = scan_step(st, (unsigned char)buf[i], delim);
        if (buf[i] == '\n' && st == SCAN_BETWEEN)
            end = i + 1;
    }
    return end;
}

/* Does buf[0, len) end in a line longer than the one-thread reader takes? */
static int ends_too_long(const char *buf, size_t len)
{
    if (len < FL_MAX_LINE - READ_MIN)
        return 0;
    for (size_t i = len - (FL_MAX_LINE - READ_MIN); i < len; i++)
        if (buf[i] == '\n')
            return 0;
    return 1;
}

#define TAKE_BYTES ((size_t)256 << 10) /* read at a time into a stretch */

/* Fill st with the next stretch: about want bytes, cut after its last
 * whole record (more while none ends); what follows the cut is carried
 * over.  Return FL_OK, or a status after fatal. */
static int csv_fill(fl_file *fs, fl_source *src, fl_inbuf *carry,
                    fl_stretch *st, size_t want)
{
    int quoted = 0;
    st->len = 0;
    for (;;) {
        if (fl_buf_fit(fs, &st->buf, &st->cap, want) != FL_OK)
            return fs->status;
        while (st->len < want) {
            /* a read of a piece at a time, searched for quotes while it
             * is in cache; bytes carried over are taken at once (each take
             * moves the rest of them) */
            size_t piece = want - st->len < TAKE_BYTES || carry->len
                               ? want - st->len
                               : TAKE_BYTES;
            long n = fl_source_take(fs, src, carry, st->buf + st->len, piece);
            if (n < 0)
                return fl_split_read_failed(fs, st);
            if (n == 0) {
                st->last = 1;
                return FL_OK;
            }
            quoted = quoted || memchr(st->buf + st->len, '"', (size_t)n);
            st->len += (size_t)n;
        }
        size_t end = last_record_end(st->buf, st->len, quoted, fs->r->o.delim);
        if (end > 0) {
            size_t rest = st->len - end;
            st->len = end;
            return fl_source_give_back(fs, carry, st->buf + end, rest);
        }
        if (ends_too_long(st->buf, st->len)) {
            st->ending = ENDS_LINE_TOO_LONG;
            st->last = 1;
            return FL_OK;
        }
        size_t limit = record_limit(fs->r);
        if (st->len > limit) { /* its first record is longer than that */
            st->ending = ENDS_RECORD_TOO_LONG;
            st->last = 1;
            return FL_OK;
        }
        want = want > limit / 2 ? limit + 1 : 2 * want;
    }
}

/* Read stretch st on a worker, as the one-thread reader reads its lines. */
static void csv_read_stretch(fl_file *f, const fl_stretch *st)
{
    csv_file cf;
    struct csv_parser csv;
    if (csv_file_begin(&cf, f, &csv) != FL_OK) {
        fl_file_move(f, &cf.f);
        return;
    }
    size_t clean = 0;
    int at_eof = st->last && !st->ending && !st->read_status;
    feed_lines(&cf, st->buf, st->len, at_eof, &clean);
    if (st->ending == ENDS_LINE_TOO_LONG)
        fl_file_fatal(&cf.f, FL_EDATA, cf.f.line + 1,
                      "line longer than 256 MiB");
    if (st->ending == ENDS_RECORD_TOO_LONG && cf.f.status == FL_OK)
        record_too_long(&cf);
    fl_split_stretch_end(&cf.f, st);
    if (st->last)
        csv_file_end(&cf);
    csv_free(&csv);
    fl_file_move(f, &cf.f);
}

const fl_format fl_format_csv = {
    .name = "csv",
    .sniff = NULL,
    .read = csv_read,
    .fill = csv_fill,
    .read_stretch = csv_read_stretch,
    .reader_free = csv_reader_free,
};
