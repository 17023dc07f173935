/* Row-wise softmax / log-softmax and the fused sparse softmax cross-entropy. */
#include "common.h"
#include <math.h>
#include <stdlib.h>

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

typedef struct {
  const float *X;
  const int32_t *L;
  float *G;
  double *loss; /* per row */
  int64_t cols;
  float invn;
  int bad;
} sce_ctx;

static void sce_rows(void *vc, size_t lo, size_t hi) {
  sce_ctx *c = (sce_ctx *)vc;
  const int64_t cols = c->cols;
  for (size_t r = lo; r < hi; r++) {
    const float *x = c->X + r * cols;
    const int32_t y = c->L[r];
    if (y < 0 || y >= cols) { c->bad = 1; c->loss[r] = 0; continue; }
    float m = -INFINITY;
    for (int64_t j = 0; j < cols; j++) if (x[j] > m) m = x[j];
    float p[8] = {0}; /* 8 partial sums: the loops vectorise without -ffast-math */
    if (c->G) {
      /* exp once: g = exp(x - m), then scaled by 1 / (Σ · N) */
      float *g = c->G + r * cols;
      for (int64_t j = 0; j < cols; j++) g[j] = dfa_expf(x[j] - m);
      int64_t j = 0;
      for (; j + 8 <= cols; j += 8) for (int k = 0; k < 8; k++) p[k] += g[j + k];
      for (; j < cols; j++) p[0] += g[j];
      const float s = ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
      const float scale = c->invn / s;
      for (j = 0; j < cols; j++) g[j] *= scale;
      g[y] -= c->invn;
      c->loss[r] = (double)m + log((double)s) - x[y];
    } else {
      int64_t j = 0;
      for (; j + 8 <= cols; j += 8) for (int k = 0; k < 8; k++) p[k] += dfa_expf(x[j + k] - m);
      for (; j < cols; j++) p[0] += dfa_expf(x[j] - m);
      const float s = ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
      c->loss[r] = (double)m + log((double)s) - x[y];
    }
  }
}

/* sparseSoftmaxCE(logits, labels:Int32Array, grad, rows, cols) -> mean loss (number).
 * grad (may be null) receives (softmax - onehot) / rows. Rows split over the threads. */
static napi_value sparse_softmax_ce(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 5)) return NULL;
  size_t lx, ll, lg = 0;
  sce_ctx c = {0};
  if (!(c.X = dfa_f32(&a, 0, &lx))) return NULL;
  if (!(c.L = dfa_i32(&a, 1, &ll))) return NULL;
  napi_valuetype vt;
  napi_typeof(env, a.argv[2], &vt);
  if (vt == napi_object) { c.G = dfa_f32(&a, 2, &lg); if (!c.G) return NULL; }
  const int64_t rows = dfa_int(&a, 3), cols = dfa_int(&a, 4);
  c.cols = cols;
  if ((int64_t)lx < rows * cols || (int64_t)ll < rows || (c.G && (int64_t)lg < rows * cols)) DFA_THROW(env, "dfa_native.sparseSoftmaxCE: buffer too small");
  c.invn = rows > 0 ? 1.0f / (float)rows : 0.f;
  double total = 0;
  if (rows > 0 && cols > 0) {
    c.loss = (double *)malloc(sizeof(double) * (size_t)rows);
    if (!c.loss) DFA_THROW(env, "dfa_native.sparseSoftmaxCE: out of memory");
    dfa_parallel((size_t)rows, DFA_PAR_MIN / (size_t)cols + 1, sce_rows, &c);
    for (int64_t r = 0; r < rows; r++) total += c.loss[r];
    free(c.loss);
    if (c.bad) DFA_THROW(env, "dfa_native.sparseSoftmaxCE: label out of range");
  } else if (rows > 0) {
    DFA_THROW(env, "dfa_native.sparseSoftmaxCE: label out of range");
  }
  napi_value out;
  napi_create_double(env, rows > 0 ? total / (double)rows : 0.0, &out);
  return out;
}

void dfa_register_softmax(napi_env env, napi_value exports) {
  dfa_export(env, exports, "softmax", softmax);
  dfa_export(env, exports, "sparseSoftmaxCE", sparse_softmax_ce);
}
