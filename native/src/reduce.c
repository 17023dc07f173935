/* Reductions over the middle axis of a [outer, red, inner] view: sum, mean, max, min, prod.
 * Sums accumulate in double, like tfjs's JS kernels (whose accumulators are JS numbers). */
#include "common.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { R_SUM, R_MEAN, R_MAX, R_MIN, R_PROD };

/* reduce(op, x, out, outer, red, inner) */
static napi_value reduce(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 6)) return NULL;
  const int op = (int)dfa_int(&a, 0);
  size_t lx, lo;
  const float *X = dfa_f32(&a, 1, &lx);
  if (!X) return NULL;
  float *O = dfa_f32(&a, 2, &lo);
  if (!O) return NULL;
  const int64_t outer = dfa_int(&a, 3), red = dfa_int(&a, 4), inner = dfa_int(&a, 5);
  if ((int64_t)lx < outer * red * inner || (int64_t)lo < outer * inner) DFA_THROW(env, "dfa_native.reduce: buffer too small");
  if (outer * inner == 0) return NULL;
  if (inner == 1) {
    for (int64_t o = 0; o < outer; o++) {
      const float *r = X + o * red;
      if (op == R_SUM || op == R_MEAN) {
        double s = 0;
        for (int64_t j = 0; j < red; j++) s += r[j];
        O[o] = (float)(op == R_MEAN ? s / (double)red : s);
      } else if (op == R_PROD) {
        double s = 1;
        for (int64_t j = 0; j < red; j++) s *= r[j];
        O[o] = (float)s;
      } else {
        float m = red > 0 ? r[0] : (op == R_MAX ? -INFINITY : INFINITY);
        int nan = 0;
        for (int64_t j = 0; j < red; j++) {
          const float v = r[j];
          if (v != v) nan = 1;
          if (op == R_MAX ? v > m : v < m) m = v;
        }
        O[o] = nan ? NAN : m;
      }
    }
    return NULL;
  }
  double *acc = (double *)malloc(sizeof(double) * (size_t)inner);
  if (!acc) DFA_THROW(env, "dfa_native.reduce: out of memory");
  for (int64_t o = 0; o < outer; o++) {
    const float *base = X + o * red * inner;
    float *dst = O + o * inner;
    if (op == R_SUM || op == R_MEAN || op == R_PROD) {
      const double init = op == R_PROD ? 1.0 : 0.0;
      for (int64_t i = 0; i < inner; i++) acc[i] = init;
      for (int64_t j = 0; j < red; j++) {
        const float *row = base + j * inner;
        if (op == R_PROD) for (int64_t i = 0; i < inner; i++) acc[i] *= row[i];
        else for (int64_t i = 0; i < inner; i++) acc[i] += row[i];
      }
      const double div = op == R_MEAN ? (double)red : 1.0;
      for (int64_t i = 0; i < inner; i++) dst[i] = (float)(acc[i] / div);
    } else {
      if (red == 0) { for (int64_t i = 0; i < inner; i++) dst[i] = op == R_MAX ? -INFINITY : INFINITY; continue; }
      memcpy(dst, base, sizeof(float) * (size_t)inner);
      for (int64_t j = 1; j < red; j++) {
        const float *row = base + j * inner;
        if (op == R_MAX) for (int64_t i = 0; i < inner; i++) { const float v = row[i]; if (v > dst[i] || v != v) dst[i] = v; }
        else for (int64_t i = 0; i < inner; i++) { const float v = row[i]; if (v < dst[i] || v != v) dst[i] = v; }
      }
    }
  }
  free(acc);
  return NULL;
}

void dfa_register_reduce(napi_env env, napi_value exports) { dfa_export(env, exports, "reduce", reduce); }
