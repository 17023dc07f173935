/* Batched GEMM over OpenBLAS, with tfjs BatchMatMul semantics (batch broadcast by modulo). */
#include "common.h"
#include <cblas.h>
#include <string.h>

/* k = 1 (an outer product, e.g. DFA's e·B with a one-column error): OpenBLAS's GEMM runs it
 * far below memory speed; a plain threaded loop writes C at memory speed. */
typedef struct {
  const float *a, *b, *bias;
  float *c;
  int64_t n;
  size_t lbias;
} outer_ctx;

static void outer_rows(void *vc, size_t lo, size_t hi) {
  outer_ctx *o = (outer_ctx *)vc;
  const int64_t n = o->n;
  for (size_t i = lo; i < hi; i++) {
    const float ai = o->a[i];
    float *ci = o->c + i * n;
    if (!o->bias) for (int64_t j = 0; j < n; j++) ci[j] = ai * o->b[j];
    else if (o->lbias == 1) for (int64_t j = 0; j < n; j++) ci[j] = o->bias[0] + ai * o->b[j];
    else for (int64_t j = 0; j < n; j++) ci[j] = o->bias[j] + ai * o->b[j];
  }
}

/* sgemm(a, b, out, batchA, batchB, m, n, k, transA, transB[, bias, biasLen])
 * a: batchA x (m x k or k x m), b: batchB x (k x n or n x k), out: max(batchA,batchB) x m x n.
 * Optional bias (length n, or length m*n... we accept n or 1) is added to every row. */
static napi_value sgemm(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 10)) return NULL;
  size_t la, lb, lo;
  const float *A = dfa_f32(&a, 0, &la);
  if (!A) return NULL;
  const float *B = dfa_f32(&a, 1, &lb);
  if (!B) return NULL;
  float *C = dfa_f32(&a, 2, &lo);
  if (!C) return NULL;
  const int64_t batchA = dfa_int(&a, 3), batchB = dfa_int(&a, 4);
  const int64_t m = dfa_int(&a, 5), n = dfa_int(&a, 6), k = dfa_int(&a, 7);
  const int ta = dfa_bool(&a, 8), tb = dfa_bool(&a, 9);
  const float *bias = NULL;
  size_t lbias = 0;
  if (a.argc > 10) {
    napi_valuetype vt;
    napi_typeof(env, a.argv[10], &vt);
    if (vt == napi_object) {
      bias = dfa_f32(&a, 10, &lbias);
      if (!bias) return NULL;
    }
  }
  const int64_t batch = batchA > batchB ? batchA : batchB;
  if ((int64_t)la < batchA * m * k || (int64_t)lb < batchB * k * n || (int64_t)lo < batch * m * n)
    DFA_THROW(env, "dfa_native.sgemm: buffer smaller than its shape");
  if (m == 0 || n == 0) return NULL;
  if (k == 0) {
    memset(C, 0, sizeof(float) * (size_t)(batch * m * n));
  }
  if (bias && lbias != (size_t)n && lbias != 1) DFA_THROW(env, "dfa_native.sgemm: bias must have length n or 1");
  if (k == 1) {
    /* with k = 1 the transposes do not change the memory layout of a (m values) or b (n values) */
    for (int64_t bi = 0; bi < batch; bi++) {
      outer_ctx o = {A + (bi % batchA) * m, B + (bi % batchB) * n, bias, C + bi * m * n, n, lbias};
      dfa_parallel((size_t)m, (DFA_PAR_MIN + (size_t)n - 1) / (size_t)n, outer_rows, &o);
    }
    return NULL;
  }
  const float beta = bias ? 1.0f : 0.0f;
  for (int64_t bi = 0; bi < batch; bi++) {
    float *Cb = C + bi * m * n;
    if (bias) {
      if (lbias == (size_t)n) {
        for (int64_t i = 0; i < m; i++) memcpy(Cb + i * n, bias, sizeof(float) * (size_t)n);
      } else if (lbias == 1) {
        for (int64_t i = 0; i < m * n; i++) Cb[i] = bias[0];
      } else {
        DFA_THROW(env, "dfa_native.sgemm: bias must have length n or 1");
      }
    }
    if (k == 0) continue;
    const float *Ab = A + (bi % batchA) * m * k;
    const float *Bb = B + (bi % batchB) * k * n;
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                (blasint)m, (blasint)n, (blasint)k, 1.0f, Ab, ta ? (blasint)m : (blasint)k, Bb,
                tb ? (blasint)k : (blasint)n, beta, Cb, (blasint)n);
  }
  return NULL;
}

void dfa_register_matmul(napi_env env, napi_value exports) { dfa_export(env, exports, "sgemm", sgemm); }
