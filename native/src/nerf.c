/* Kernels of the NeRF MLPs and their inputs (the NeRF wing's hot path):
 *
 * linearRelu(x, w, bias, out, N, K, M[, x2, w2, scratch, K2]): out [N, M] = relu((x·w + bias) + x2·w2),
 *   x [N, K], w [K, M], x2 [N, K2], w2 [K2, M] (the second product: nerf's concatenated skip or
 *   view input, kept as its own weight), scratch [N, M] for it. The same float operations, in the
 *   same order, as the BatchMatMul, Add(bias), BatchMatMul, Add, Relu kernels it replaces (sgemm as
 *   matmul.c calls it), in one pass after the GEMMs instead of three: bit-identical results, one
 *   activation-sized buffer instead of four.
 * linearReluGrad(dy, y, da, db, N, M): da = dy where y > 0 (else 0), db = Σ_rows da: the
 *   DfaReluGrad and Sum(axis 0) kernels in one pass, threaded over column blocks (each column's
 *   sum in double, rows in order, as reduce.c sums them: bit-identical).
 * posEncode(x, out, n, d, L, includeInput, repeat): out [n·repeat, d·(includeInput + 2L)] =
 *   [x, sin(2^0 x), cos(2^0 x), ..., sin(2^{L-1} x), cos(2^{L-1} x)] per row (frequency-major,
 *   nerf's Embedder), each row written `repeat` times (a ray's direction for all its samples).
 *   sin and cos in double precision, rounded to float: the values JavaScript's Math.sin/cos give
 *   (the JS kernel, src/engine/cpu/positional_encoding.ts), from one sincos per 10 frequencies
 *   (see enc_rows), threaded over rows. */
#define _GNU_SOURCE
#include "common.h"
#include <cblas.h>
#include <math.h>
#include <string.h>

typedef struct {
  const float *a, *b;
  float *c;
  int64_t n;
} nerf_outer_ctx;

static void nerf_outer_rows(void *vc, size_t lo, size_t hi) {
  nerf_outer_ctx *o = (nerf_outer_ctx *)vc;
  for (size_t i = lo; i < hi; i++) {
    const float ai = o->a[i];
    float *ci = o->c + i * o->n;
    for (int64_t j = 0; j < o->n; j++) ci[j] = ai * o->b[j];
  }
}

/* C [m, n] = A [m, k] · B [k, n], exactly as matmul.c's sgemm computes it without transposes or bias. */
static void gemm_nn(const float *A, const float *B, float *C, int64_t m, int64_t n, int64_t k) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    memset(C, 0, sizeof(float) * (size_t)(m * n));
  } else if (k == 1) {
    nerf_outer_ctx o = {A, B, C, n};
    dfa_parallel((size_t)m, (DFA_PAR_MIN + (size_t)n - 1) / (size_t)n, nerf_outer_rows, &o);
  } else {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (blasint)m, (blasint)n, (blasint)k, 1.0f, A, (blasint)k, B, (blasint)n, 0.0f, C, (blasint)n);
  }
}

typedef struct {
  float *out;
  const float *bias, *extra;
  int64_t M;
} bias_relu_ctx;

static void bias_relu_rows(void *vc, size_t lo, size_t hi) {
  bias_relu_ctx *c = (bias_relu_ctx *)vc;
  const int64_t M = c->M;
  for (size_t i = lo; i < hi; i++) {
    float *o = c->out + i * M;
    if (c->extra) {
      const float *e = c->extra + i * M;
      for (int64_t j = 0; j < M; j++) {
        const float v = (o[j] + c->bias[j]) + e[j];
        o[j] = v > 0.f ? v : (v != v ? v : 0.f);
      }
    } else {
      for (int64_t j = 0; j < M; j++) {
        const float v = o[j] + c->bias[j];
        o[j] = v > 0.f ? v : (v != v ? v : 0.f);
      }
    }
  }
}

static napi_value linear_relu(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 7)) return NULL;
  size_t lx, lw, lb, lo;
  const float *x = dfa_f32(&a, 0, &lx);
  if (!x) return NULL;
  const float *w = dfa_f32(&a, 1, &lw);
  if (!w) return NULL;
  const float *bias = dfa_f32(&a, 2, &lb);
  if (!bias) return NULL;
  float *out = dfa_f32(&a, 3, &lo);
  if (!out) return NULL;
  const int64_t N = dfa_int(&a, 4), K = dfa_int(&a, 5), M = dfa_int(&a, 6);
  const float *x2 = NULL, *w2 = NULL;
  float *scratch = NULL;
  int64_t K2 = 0;
  if (a.argc > 7) {
    if (a.argc < 11) DFA_THROW(env, "dfa_native.linearRelu: the second product needs x2, w2, scratch and K2");
    size_t lx2, lw2, ls;
    x2 = dfa_f32(&a, 7, &lx2);
    if (!x2) return NULL;
    w2 = dfa_f32(&a, 8, &lw2);
    if (!w2) return NULL;
    scratch = dfa_f32(&a, 9, &ls);
    if (!scratch) return NULL;
    K2 = dfa_int(&a, 10);
    if (K2 < 0 || (int64_t)lx2 < N * K2 || (int64_t)lw2 < K2 * M || (int64_t)ls < N * M) DFA_THROW(env, "dfa_native.linearRelu: x2, w2 or scratch smaller than its shape");
  }
  if (N < 0 || K < 0 || M < 0 || (int64_t)lx < N * K || (int64_t)lw < K * M || (int64_t)lb < M || (int64_t)lo < N * M)
    DFA_THROW(env, "dfa_native.linearRelu: buffer smaller than its shape");
  if (N == 0 || M == 0) return NULL;
  gemm_nn(x, w, out, N, M, K);
  if (x2) gemm_nn(x2, w2, scratch, N, M, K2);
  bias_relu_ctx c = {out, bias, x2 ? scratch : NULL, M};
  dfa_parallel((size_t)N, (DFA_PAR_MIN + (size_t)M - 1) / (size_t)M, bias_relu_rows, &c);
  return NULL;
}

typedef struct {
  const float *dy, *y;
  float *da, *db;
  int64_t N, M;
} relu_grad_ctx;

/* Columns [lo, hi) over all rows in order: each thread takes one contiguous range of columns, so
 * every column's sum runs over the rows in order, whatever the thread count. */
static void relu_grad_cols(void *vc, size_t lo, size_t hi) {
  relu_grad_ctx *c = (relu_grad_ctx *)vc;
  const int64_t N = c->N, M = c->M;
  double acc[256];
  for (int64_t j0 = (int64_t)lo; j0 < (int64_t)hi; j0 += 256) {
    const int64_t nb = (int64_t)hi - j0 < 256 ? (int64_t)hi - j0 : 256;
    for (int64_t j = 0; j < nb; j++) acc[j] = 0.0;
    /* blocks of rows: the mask pass, then the sums from cache (two simple loops vectorise; one
     * fused loop with the double accumulators runs slower) */
    for (int64_t i0 = 0; i0 < N; i0 += 64) {
      const int64_t i1 = N - i0 < 64 ? N : i0 + 64;
      for (int64_t i = i0; i < i1; i++) {
        const float *g = c->dy + i * M + j0, *yy = c->y + i * M + j0;
        float *d = c->da + i * M + j0;
        for (int64_t j = 0; j < nb; j++) d[j] = yy[j] > 0.f ? g[j] : 0.f;
      }
      for (int64_t i = i0; i < i1; i++) {
        const float *d = c->da + i * M + j0;
        for (int64_t j = 0; j < nb; j++) acc[j] += d[j];
      }
    }
    for (int64_t j = 0; j < nb; j++) c->db[j0 + j] = (float)acc[j];
  }
}

static napi_value linear_relu_grad(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 6)) return NULL;
  size_t ldy, ly, lda, ldb;
  relu_grad_ctx c;
  c.dy = dfa_f32(&a, 0, &ldy);
  if (!c.dy) return NULL;
  c.y = dfa_f32(&a, 1, &ly);
  if (!c.y) return NULL;
  c.da = dfa_f32(&a, 2, &lda);
  if (!c.da) return NULL;
  c.db = dfa_f32(&a, 3, &ldb);
  if (!c.db) return NULL;
  c.N = dfa_int(&a, 4);
  c.M = dfa_int(&a, 5);
  if (c.N < 0 || c.M < 0 || (int64_t)ldy < c.N * c.M || (int64_t)ly < c.N * c.M || (int64_t)lda < c.N * c.M || (int64_t)ldb < c.M)
    DFA_THROW(env, "dfa_native.linearReluGrad: buffer smaller than its shape");
  if (c.M == 0) return NULL;
  /* one contiguous range of columns per thread (at least 16: a cache line of each row) */
  int nt = (size_t)(c.N * c.M) < DFA_PAR_MIN ? 1 : dfa_num_threads();
  if (nt > c.M / 16) nt = c.M / 16 > 0 ? (int)(c.M / 16) : 1;
  if (nt <= 1) relu_grad_cols(&c, 0, (size_t)c.M);
  else dfa_parallel((size_t)c.M, (size_t)((c.M + nt - 1) / nt), relu_grad_cols, &c);
  return NULL;
}

typedef struct {
  const float *x;
  float *out;
  int64_t d, L, width, repeat;
  int include;
} enc_ctx;

/* sin and cos of 2^l·x for l = 0..L-1 from one sincos per 10 levels and the double-angle
 * recurrence s' = 2sc, c' = c² − s² in double. Each step multiplies the absolute error by at most
 * 2√2 and adds 3 roundings (|s|, |c| ≤ 1), so 9 steps from glibc's sincos (error < 2^-52) stay
 * below 5e-12. A value is rounded to float from the recurrence only when every double within
 * ENC_MARGIN of it rounds to the same float: then glibc's sin/cos of 2^l·x (error < 2^-52, well
 * inside the margin) rounds to that float too. Otherwise (~1 value in 300, NaN, values near 0)
 * it is taken from sincos(2^l·x) itself, which also re-seeds the recurrence. The result is
 * exactly (float)sin / (float)cos in double: what Math.sin / Math.cos give the JS kernel. */
#define ENC_MARGIN 1e-10
#define ENC_SEED_EVERY 10

static inline int rounds_alone(double r) { return (float)(r - ENC_MARGIN) == (float)(r + ENC_MARGIN); }

static void enc_rows(void *vc, size_t lo, size_t hi) {
  enc_ctx *c = (enc_ctx *)vc;
  const int64_t d = c->d, w = c->width, L = c->L;
  for (size_t i = lo; i < hi; i++) {
    const float *xi = c->x + i * d;
    float *o = c->out + i * c->repeat * w;
    if (c->include) for (int64_t k = 0; k < d; k++) o[k] = xi[k];
    float *p = o + (c->include ? d : 0);
    for (int64_t k = 0; k < d; k++) {
      const double x = (double)xi[k];
      double s = 0, co = 1, f = 1.0;
      for (int64_t l = 0; l < L; l++, f *= 2.0) {
        float *pl = p + l * 2 * d;
        if (l % ENC_SEED_EVERY == 0) {
          sincos(f * x, &s, &co);
        } else {
          const double s2 = 2.0 * s * co, c2 = co * co - s * s;
          s = s2;
          co = c2;
          if (!rounds_alone(s) || !rounds_alone(co)) sincos(f * x, &s, &co);
        }
        pl[k] = (float)s;
        pl[d + k] = (float)co;
      }
    }
    for (int64_t r = 1; r < c->repeat; r++) memcpy(o + r * w, o, sizeof(float) * (size_t)w);
  }
}

static napi_value pos_encode(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 7)) return NULL;
  size_t lx, lo;
  const float *x = dfa_f32(&a, 0, &lx);
  if (!x) return NULL;
  float *out = dfa_f32(&a, 1, &lo);
  if (!out) return NULL;
  enc_ctx c = {x, out, dfa_int(&a, 3), dfa_int(&a, 4), 0, dfa_int(&a, 6), dfa_bool(&a, 5)};
  const int64_t n = dfa_int(&a, 2);
  c.width = c.d * (2 * c.L + (c.include ? 1 : 0));
  if (n < 0 || c.d < 0 || c.L < 0 || c.repeat < 1 || (int64_t)lx < n * c.d || (int64_t)lo < n * c.repeat * c.width)
    DFA_THROW(env, "dfa_native.posEncode: buffer smaller than its shape");
  if (n == 0 || c.width == 0) return NULL;
  /* ~14 ns per sincos: a few thousand rows make a thread worthwhile */
  dfa_parallel((size_t)n, 2048, enc_rows, &c);
  return NULL;
}

void dfa_register_nerf(napi_env env, napi_value exports) {
  dfa_export(env, exports, "linearRelu", linear_relu);
  dfa_export(env, exports, "linearReluGrad", linear_relu_grad);
  dfa_export(env, exports, "posEncode", pos_encode);
}
