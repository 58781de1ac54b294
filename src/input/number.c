/* number.c: images and classes numbered as they are met.
 *
 * An image gets the next ordinal when its id differs from the last row's;
 * an id met again after another image is an error (per-image selection
 * needs each image's rows together).  Classes get dense indices in the
 * order they are first met: small numeric ids through a table, others
 * through a set.  A worker reading in parts numbers its classes in the
 * main reader's table, so that every thread's batches agree. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "input/input.h"

/* In the order threads first meet them: a report ranks its keys by name
 * where their shares tie. */
int fl_number_class(fl_reader *r, const char *s, size_t len, uint32_t *index)
{
    size_t i;
    if (r->numbering) { /* room first, so that a new class gets its slot */
        uint32_t *t = fl_grow_to(r->class_number, &r->class_number_cap,
                                 sizeof *t, fl_strset_size(r->classes));
        if (!t)
            return FL_ENOMEM;
        r->class_number = t;
    }
    int added = fl_strset_intern(r->classes, s, len, &i);
    if (added < 0)
        return FL_ENOMEM;
    if (!r->numbering) {
        *index = (uint32_t)i;
        return FL_OK;
    }
    if (added) /* slots count from 1: 0 is a class not numbered yet */
        r->class_number[i] = 0;
    if (r->class_number[i] == 0) {
        uint32_t g;
        pthread_mutex_lock(r->numbering_lock);
        int st = fl_number_class(r->numbering, s, len, &g);
        pthread_mutex_unlock(r->numbering_lock);
        if (st != FL_OK)
            return st;
        r->class_number[i] = g + 1;
    }
    *index = r->class_number[i] - 1;
    return FL_OK;
}

int fl_number_keep_image_name(fl_reader *r, uint64_t ord, const char *id,
                              size_t len)
{
    if (!r->o.keep_image_names)
        return FL_OK;
    char **names = fl_grow_to(r->image_names, &r->image_names_cap,
                              sizeof *names, ord);
    if (!names)
        return FL_ENOMEM;
    r->image_names = names;
    r->image_names[ord] = malloc(len + 1);
    if (!r->image_names[ord])
        return FL_ENOMEM;
    memcpy(r->image_names[ord], id, len);
    r->image_names[ord][len] = '\0';
    return FL_OK;
}

int fl_number_file_image(fl_file *fs)
{
    fs->image_ordinal = fs->r->next_image++;
    fs->counts->images++;
    fs->counts->files_without_image++;
    return fl_number_keep_image_name(fs->r, fs->image_ordinal, fs->name,
                                     strlen(fs->name));
}

void fl_number_image_again(fl_file *fs, const char *id, size_t len,
                           uint64_t line)
{
    char q[64];
    fl_quote_field(q, sizeof q, id, len);
    fl_file_fatal(
        fs, FL_EDATA, line,
        "image '%s' appears again after other images "
        "(flstat needs each image's rows together: sort the dump by image)",
        q);
}

int fl_number_row_image(fl_file *fs)
{
    if (fs->schema->col[ROLE_IMAGE] < 0)
        return FL_OK;
    if (fs->row_image_same)
        return FL_OK;
    int added =
        fl_strset_add(fs->r->images, fs->row_image.s, fs->row_image.len);
    if (added < 0)
        return FL_ENOMEM;
    if (added == 0) {
        fl_number_image_again(fs, fs->row_image.s, fs->row_image.len,
                              fs->row_line);
        return FL_EDATA;
    }
    if (fs->job && fl_split_note_run(fs) != FL_OK)
        return FL_ENOMEM;
    if (fl_text_set(&fs->image, fs->row_image.s, fs->row_image.len) != FL_OK)
        return FL_ENOMEM;
    fs->have_image = 1;
    fs->image_ordinal = fs->r->next_image++;
    fs->counts->images++;
    return fl_number_keep_image_name(fs->r, fs->image_ordinal, fs->row_image.s,
                                     fs->row_image.len);
}

/* Small numbers through a table, other ids through the set, and only when
 * they differ from the last. */
int fl_number_row_class(fl_file *fs)
{
    fl_reader *r = fs->r;
    if (fs->schema->col[ROLE_CLASS] < 0) {
        fs->row_class_idx = FL_NO_CLASS;
        return FL_OK;
    }
    if (fs->row_class_num >= 0) {
        size_t v = (size_t)fs->row_class_num;
        uint32_t *t = fl_grow_to(r->small_class, &r->small_class_cap,
                                 sizeof *t, v);
        if (!t)
            return FL_ENOMEM;
        r->small_class = t;
        if (t[v] == 0) {
            char name[16];
            int n = snprintf(name, sizeof name, "%ld", fs->row_class_num);
            uint32_t idx;
            if (fl_number_class(r, name, (size_t)n, &idx) != FL_OK)
                return FL_ENOMEM;
            t[v] = idx + 1;
        }
        fs->row_class_idx = t[v] - 1;
        return FL_OK;
    }
    if (fs->row_class_same) {
        fs->row_class_idx = fs->last_class_idx;
        return FL_OK;
    }
    if (fl_number_class(r, fs->row_class.s, fs->row_class.len,
                        &fs->row_class_idx) != FL_OK)
        return FL_ENOMEM;
    fs->last_class_idx = fs->row_class_idx;
    return fl_text_set(&fs->last_class, fs->row_class.s, fs->row_class.len);
}
