/* fuzz.h: the entry point every harness defines, called by libFuzzer or,
 * in make check, by replay.c on the kept inputs. */
#ifndef FL_FUZZ_H
#define FL_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Run one input; return 0 (libFuzzer's contract). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
