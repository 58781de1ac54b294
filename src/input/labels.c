/* labels.c: the label conventions of wide dumps (labels.h). */
#include "input/labels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct convention {
    const char *name;
    long first;      /* the label of column 0 */
    long background; /* or FL_LABEL_K */
    long ignored;
    const char *numbering;
} convention;

static const convention conventions[FL_LABELS_COUNT] = {
    [FL_LABELS_NONE] = {"", 0, 0, 0, ""},
#define FL_LABEL_ROW(ID, name, first, bg, ign, numbering, source)            \
    [FL_LABELS_##ID] = {name, first, bg, ign, numbering},
    FL_LABEL_CONVENTIONS(FL_LABEL_ROW)
#undef FL_LABEL_ROW
};

enum fl_labels fl_labels_find(const char *name)
{
    for (int c = FL_LABELS_NONE + 1; c < FL_LABELS_COUNT; c++)
        if (strcmp(conventions[c].name, name) == 0)
            return (enum fl_labels)c;
    return FL_LABELS_NONE;
}

static const convention *get(enum fl_labels c)
{
    return c > FL_LABELS_NONE && c < FL_LABELS_COUNT ? &conventions[c]
                                                     : &conventions[0];
}

const char *fl_labels_name(enum fl_labels c)
{
    return get(c)->name;
}

const char *fl_labels_numbering(enum fl_labels c)
{
    return get(c)->numbering;
}

char *fl_labels_choices(char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int c = FL_LABELS_NONE + 1; c < FL_LABELS_COUNT && used < cap; c++) {
        const char *sep = c == FL_LABELS_NONE + 1     ? ""
                          : c == FL_LABELS_COUNT - 1 ? " or "
                                                     : ", ";
        int n = snprintf(buf + used, cap - used, "%s%s", sep,
                         conventions[c].name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}

long fl_labels_classify(enum fl_labels c, double v, size_t k)
{
    const convention *cv = get(c);
    if (cv == &conventions[0] || !(v == floor(v)) || fabs(v) > 1e15)
        return FL_LABEL_BAD;
    long l = (long)v;
    long bg = cv->background == FL_LABEL_K ? (long)k : cv->background;
    if (l == cv->ignored)
        return FL_LABEL_IGNORED;
    if (l == bg)
        return FL_LABEL_BACKGROUND;
    if (l >= cv->first && l - cv->first < (long)k)
        return l - cv->first;
    return FL_LABEL_BAD;
}
