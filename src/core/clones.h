/* clones.h: how hot code is built.
 *
 * FL_CLONES builds a function twice on x86-64 with GCC, for AVX2
 * (which brings POPCNT and BMI) and for the baseline, and the loader picks
 * one for the machine.
 *
 * Not under ThreadSanitizer: the clones' ifunc resolver is instrumented and
 * runs while the dynamic loader relocates, before TSan's runtime is up, and
 * the program would die before main. */
#ifndef FL_CLONES_H
#define FL_CLONES_H

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_THREAD__)
#define FL_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define FL_CLONES
#endif

/* FL_TARGET_AVX2 builds one function for AVX2 (with BMI and BMI2), and
 * FL_TARGET_FMA for AVX2 with FMA, which their caller picks at run time
 * (__builtin_cpu_supports); both where FL_AVX2 is defined: x86-64 with GCC
 * or Clang. */
#if defined(__x86_64__) && defined(__GNUC__)
#define FL_AVX2 1
#define FL_TARGET_AVX2 __attribute__((target("avx2,bmi,bmi2")))
#define FL_TARGET_FMA __attribute__((target("avx2,fma")))
#endif

/* For a function of a hot loop that the compiler would rather call. */
#if defined(__GNUC__)
#define FL_ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define FL_ALWAYS_INLINE static inline
#endif

#endif
