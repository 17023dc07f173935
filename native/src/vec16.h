/* 16-float vectors through GCC/clang vector extensions (one AVX-512 register, or two AVX2 ones
 * where the build machine has no AVX-512), shared by the convolution and pooling kernels.
 * Loads and stores go through memcpy: unaligned, and free of aliasing assumptions. */
#ifndef DFA_VEC16_H
#define DFA_VEC16_H
#include <stdint.h>
#include <string.h>

#define VL 16
typedef float vf __attribute__((vector_size(VL * sizeof(float))));
typedef int32_t vi __attribute__((vector_size(VL * sizeof(int32_t))));

static inline vf vload(const float *p) { vf v; memcpy(&v, p, sizeof v); return v; }
static inline void vstore(float *p, vf v) { memcpy(p, &v, sizeof v); }
static inline vf vsplat(float a) { return (vf){a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a}; }
#endif
