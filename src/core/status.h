/* status.h: the status codes every library function returns. */
#ifndef FL_STATUS_H
#define FL_STATUS_H

enum fl_status {
    FL_OK = 0,
    FL_ENOMEM = -1, /* an allocation failed */
    FL_EDATA = -2,  /* the input is malformed */
    FL_EIO = -3,    /* reading or writing failed */
    FL_EINVAL = -4  /* a parameter is out of range */
};

#endif
