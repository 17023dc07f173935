/* Row-wise softmax / log-softmax and the fused sparse softmax cross-entropy. */
#include "common.h"
#include <math.h>

/* softmax(x, out, rows, cols, log) */
static napi_value softmax(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 5)) return NULL;
  size_t lx, lo;
  const float *X = dfa_f32(&a, 0, &lx);
  if (!X) return NULL;
  float *O = dfa_f32(&a, 1, &lo);
  if (!O) return NULL;
  const int64_t rows = dfa_int(&a, 2), cols = dfa_int(&a, 3);
  const int lg = dfa_bool(&a, 4);
  if ((int64_t)lx < rows * cols || (int64_t)lo < rows * cols) DFA_THROW(env, "dfa_native.softmax: buffer too small");
  for (int64_t r = 0; r < rows; r++) {
    const float *x = X + r * cols;
    float *o = O + r * cols;
    float m = -INFINITY;
    for (int64_t j = 0; j < cols; j++) if (x[j] > m) m = x[j];
    double s = 0;
    if (lg) {
      float sf = 0.f;
      for (int64_t j = 0; j < cols; j++) sf += dfa_expf(x[j] - m);
      const float lse = m + logf(sf);
      for (int64_t j = 0; j < cols; j++) o[j] = x[j] - lse;
    } else {
      for (int64_t j = 0; j < cols; j++) o[j] = dfa_expf(x[j] - m);
      for (int64_t j = 0; j < cols; j++) s += o[j];
      const float inv = (float)(1.0 / s);
      for (int64_t j = 0; j < cols; j++) o[j] *= inv;
    }
  }
  return NULL;
}

/* sparseSoftmaxCE(logits, labels:Int32Array, grad, rows, cols) -> mean loss (number).
 * grad (may be null) receives (softmax - onehot) / rows. */
static napi_value sparse_softmax_ce(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 5)) return NULL;
  size_t lx, ll, lg = 0;
  const float *X = dfa_f32(&a, 0, &lx);
  if (!X) return NULL;
  const int32_t *L = dfa_i32(&a, 1, &ll);
  if (!L) return NULL;
  float *G = NULL;
  napi_valuetype vt;
  napi_typeof(env, a.argv[2], &vt);
  if (vt == napi_object) { G = dfa_f32(&a, 2, &lg); if (!G) return NULL; }
  const int64_t rows = dfa_int(&a, 3), cols = dfa_int(&a, 4);
  if ((int64_t)lx < rows * cols || (int64_t)ll < rows || (G && (int64_t)lg < rows * cols)) DFA_THROW(env, "dfa_native.sparseSoftmaxCE: buffer too small");
  double total = 0;
  const float invn = rows > 0 ? 1.0f / (float)rows : 0.f;
  for (int64_t r = 0; r < rows; r++) {
    const float *x = X + r * cols;
    const int32_t y = L[r];
    if (y < 0 || y >= cols) DFA_THROW(env, "dfa_native.sparseSoftmaxCE: label out of range");
    float m = -INFINITY;
    for (int64_t j = 0; j < cols; j++) if (x[j] > m) m = x[j];
    float s = 0.f;
    if (G) {
      /* exp once: g = exp(x - m), then scaled by 1 / (Σ · N) */
      float *g = G + r * cols;
      for (int64_t j = 0; j < cols; j++) g[j] = dfa_expf(x[j] - m);
      for (int64_t j = 0; j < cols; j++) s += g[j];
      const float scale = invn / s;
      for (int64_t j = 0; j < cols; j++) g[j] *= scale;
      g[y] -= invn;
    } else {
      for (int64_t j = 0; j < cols; j++) s += dfa_expf(x[j] - m);
    }
    total += (double)m + log((double)s) - x[y];
  }
  napi_value out;
  napi_create_double(env, rows > 0 ? total / (double)rows : 0.0, &out);
  return out;
}

void dfa_register_softmax(napi_env env, napi_value exports) {
  dfa_export(env, exports, "softmax", softmax);
  dfa_export(env, exports, "sparseSoftmaxCE", sparse_softmax_ce);
}
