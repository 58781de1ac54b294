/* formats.c: the table of input formats (format.h), and the choice. */
#include "input/format.h"

#define FL_FORMAT_ROW(name) &fl_format_##name,
static const fl_format *const formats[] = {FL_FORMATS(FL_FORMAT_ROW)};
#undef FL_FORMAT_ROW

#define FL_NFORMATS (sizeof formats / sizeof *formats)

const fl_format *fl_format_of(const unsigned char *head, size_t n)
{
    for (size_t i = 0; i + 1 < FL_NFORMATS; i++)
        if (n > 0 && formats[i]->sniff && formats[i]->sniff(head, n))
            return formats[i];
    return formats[FL_NFORMATS - 1];
}

void fl_formats_reader_free(fl_reader *r)
{
    for (size_t i = 0; i < FL_NFORMATS; i++)
        if (formats[i]->reader_free)
            formats[i]->reader_free(r);
}
