/* Global-norm gradient clipping: Σ x² of a buffer (double accumulation) and an in-place
 * scale, so clipping costs one read and at most one write per gradient and no temporaries. */
#include "common.h"

/* sumSquares(x) -> Σ x² (number): 16 float lanes (vectorised), flushed to double every 4096
 * elements; serial, since it is memory-bound and clipping reads each gradient once. */
static napi_value sum_squares(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 1)) return NULL;
  size_t n;
  const float *x = dfa_f32(&a, 0, &n);
  if (!x) return NULL;
  float acc[16] = {0};
  double total = 0;
  for (size_t i = 0; i < n;) {
    const size_t end = i + 4096 < n ? i + 4096 : n;
    for (; i + 16 <= end; i += 16)
      for (int k = 0; k < 16; k++) acc[k] += x[i + k] * x[i + k];
    for (; i < end; i++) acc[0] += x[i] * x[i];
    for (int k = 0; k < 16; k++) { total += acc[k]; acc[k] = 0.f; }
  }
  napi_value out;
  napi_create_double(env, total, &out);
  return out;
}

typedef struct { float *x; float s; } scale_ctx;
static void scale_range(void *vc, size_t lo, size_t hi) {
  scale_ctx *c = (scale_ctx *)vc;
  for (size_t i = lo; i < hi; i++) c->x[i] *= c->s;
}

/* scaleInPlace(x, s): x *= s */
static napi_value scale_in_place(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 2)) return NULL;
  size_t n;
  scale_ctx c;
  if (!(c.x = dfa_f32(&a, 0, &n))) return NULL;
  c.s = (float)dfa_num(&a, 1);
  dfa_parallel(n, DFA_PAR_MIN, scale_range, &c);
  return NULL;
}

void dfa_register_clip(napi_env env, napi_value exports) {
  dfa_export(env, exports, "sumSquares", sum_squares);
  dfa_export(env, exports, "scaleInPlace", scale_in_place);
}
