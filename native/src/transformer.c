/* Fused Transformer kernels: layer norm forward/backward, counter-based dropout, causal scaled
 * softmax and the softmax backward. Each replaces a chain of 4-12 tfjs elementwise kernels (each
 * allocating a tensor the size of the activations) by one pass over the rows. */
#include "common.h"
#include <math.h>
#include <string.h>
#include <stdlib.h>
#include <cblas.h>

/* Σ x[0..n) with 8 independent partial sums, so the loop vectorises without -ffast-math. */
static inline float sum_f32(const float *x, int64_t n) {
  float p[8] = {0};
  int64_t j = 0;
  for (; j + 8 <= n; j += 8)
    for (int k = 0; k < 8; k++) p[k] += x[j + k];
  for (; j < n; j++) p[0] += x[j];
  return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
}

/* Σ a[j]·b[j], likewise. */
static inline float dot_f32(const float *a, const float *b, int64_t n) {
  float p[8] = {0};
  int64_t j = 0;
  for (; j + 8 <= n; j += 8)
    for (int k = 0; k < 8; k++) p[k] += a[j + k] * b[j + k];
  for (; j < n; j++) p[0] += a[j] * b[j];
  return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
}

/* ---------- layer norm ---------- */

typedef struct {
  const float *x, *g, *b, *dy;
  float *y, *mean, *rstd, *dx, *dg, *db;
  int64_t rows, cols;
  float eps;
} ln_ctx;

static void ln_fwd_rows(void *vc, size_t lo, size_t hi) {
  ln_ctx *c = (ln_ctx *)vc;
  const int64_t C = c->cols;
  for (size_t r = lo; r < hi; r++) {
    const float *x = c->x + r * C;
    float *y = c->y + r * C;
    const float mu = sum_f32(x, C) / (float)C;
    float v[8] = {0};
    int64_t j = 0;
    for (; j + 8 <= C; j += 8)
      for (int k = 0; k < 8; k++) { const float d = x[j + k] - mu; v[k] += d * d; }
    for (; j < C; j++) { const float d = x[j] - mu; v[0] += d * d; }
    const float var = ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]));
    const float rs = 1.0f / sqrtf(var / (float)C + c->eps);
    c->mean[r] = mu;
    c->rstd[r] = rs;
    for (int64_t j = 0; j < C; j++) y[j] = (x[j] - mu) * rs * c->g[j] + c->b[j];
  }
}

/* layerNorm(x, gamma, beta, y, mean, rstd, rows, cols, eps): y = (x - mean) * rstd * gamma + beta
 * over the last axis (biased variance, as PyTorch); mean and rstd [rows] kept for the backward. */
static napi_value layer_norm(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 9)) return NULL;
  size_t lx, lg, lb, ly, lm, lr;
  ln_ctx c = {0};
  if (!(c.x = dfa_f32(&a, 0, &lx)) || !(c.g = dfa_f32(&a, 1, &lg)) || !(c.b = dfa_f32(&a, 2, &lb)) ||
      !(c.y = dfa_f32(&a, 3, &ly)) || !(c.mean = dfa_f32(&a, 4, &lm)) || !(c.rstd = dfa_f32(&a, 5, &lr)))
    return NULL;
  const int64_t rows = dfa_int(&a, 6);
  c.cols = dfa_int(&a, 7);
  c.eps = (float)dfa_num(&a, 8);
  if ((int64_t)lx < rows * c.cols || (int64_t)ly < rows * c.cols || (int64_t)lg < c.cols || (int64_t)lb < c.cols ||
      (int64_t)lm < rows || (int64_t)lr < rows)
    DFA_THROW(env, "dfa_native.layerNorm: buffer smaller than its shape");
  if (rows == 0 || c.cols == 0) return NULL;
  dfa_parallel((size_t)rows, DFA_PAR_MIN / (size_t)c.cols + 1, ln_fwd_rows, &c);
  return NULL;
}

static void ln_bwd_rows(void *vc, size_t lo, size_t hi) {
  ln_ctx *c = (ln_ctx *)vc;
  const int64_t C = c->cols;
  const float invC = 1.0f / (float)C;
  for (size_t r = lo; r < hi; r++) {
    const float *x = c->x + r * C, *dy = c->dy + r * C;
    float *dx = c->dx + r * C;
    const float mu = c->mean[r], rs = c->rstd[r];
    /* Σ g·dy and Σ g·dy·xhat = rs · (Σ g·dy·x − mu · Σ g·dy) */
    float p1[8] = {0}, p2[8] = {0};
    int64_t j = 0;
    for (; j + 8 <= C; j += 8)
      for (int k = 0; k < 8; k++) {
        const float gd = c->g[j + k] * dy[j + k];
        p1[k] += gd;
        p2[k] += gd * (x[j + k] - mu);
      }
    for (; j < C; j++) {
      const float gd = c->g[j] * dy[j];
      p1[0] += gd;
      p2[0] += gd * (x[j] - mu);
    }
    const float s1 = (((p1[0] + p1[1]) + (p1[2] + p1[3])) + ((p1[4] + p1[5]) + (p1[6] + p1[7]))) * invC;
    const float s2 = (((p2[0] + p2[1]) + (p2[2] + p2[3])) + ((p2[4] + p2[5]) + (p2[6] + p2[7]))) * rs * invC;
    for (j = 0; j < C; j++) dx[j] = rs * (c->g[j] * dy[j] - s1 - (x[j] - mu) * rs * s2);
  }
}

static void ln_bwd_cols(void *vc, size_t lo, size_t hi) {
  ln_ctx *c = (ln_ctx *)vc;
  const int64_t C = c->cols, R = c->rows;
  for (size_t j = lo; j < hi; j++) { c->dg[j] = 0.f; c->db[j] = 0.f; }
  for (int64_t r = 0; r < R; r++) {
    const float *x = c->x + r * C, *dy = c->dy + r * C;
    const float mu = c->mean[r], rs = c->rstd[r];
    for (size_t j = lo; j < hi; j++) {
      c->dg[j] += dy[j] * (x[j] - mu) * rs;
      c->db[j] += dy[j];
    }
  }
}

/* layerNormGrad(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, cols); dx may be null. */
static napi_value layer_norm_grad(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 10)) return NULL;
  size_t ld, lx, lg, lm, lr, ldx = 0, ldg, ldb;
  ln_ctx c = {0};
  if (!(c.dy = dfa_f32(&a, 0, &ld)) || !(c.x = dfa_f32(&a, 1, &lx)) || !(c.g = dfa_f32(&a, 2, &lg)) ||
      !(c.mean = dfa_f32(&a, 3, &lm)) || !(c.rstd = dfa_f32(&a, 4, &lr)))
    return NULL;
  napi_valuetype vt;
  napi_typeof(env, a.argv[5], &vt);
  if (vt == napi_object && !(c.dx = dfa_f32(&a, 5, &ldx))) return NULL;
  if (!(c.dg = dfa_f32(&a, 6, &ldg)) || !(c.db = dfa_f32(&a, 7, &ldb))) return NULL;
  const int64_t rows = dfa_int(&a, 8);
  c.cols = dfa_int(&a, 9);
  const int64_t n = rows * c.cols;
  if ((int64_t)ld < n || (int64_t)lx < n || (int64_t)lg < c.cols || (int64_t)lm < rows || (int64_t)lr < rows ||
      (c.dx && (int64_t)ldx < n) || (int64_t)ldg < c.cols || (int64_t)ldb < c.cols)
    DFA_THROW(env, "dfa_native.layerNormGrad: buffer smaller than its shape");
  if (c.cols == 0) return NULL;
  if (c.dx && rows > 0) dfa_parallel((size_t)rows, DFA_PAR_MIN / (size_t)c.cols + 1, ln_bwd_rows, &c);
  c.rows = rows;
  /* columns in blocks of >= 16 floats so threads never share a cache line of dgamma/dbeta */
  dfa_parallel((size_t)c.cols, n >= (int64_t)DFA_PAR_MIN ? 16 : (size_t)c.cols, ln_bwd_cols, &c);
  return NULL;
}

/* ---------- dropout ---------- */

/* murmur3's 32-bit finaliser; the mask bit of element i is a hash of (i, key): counter-based, so
 * the backward regenerates the mask instead of storing it. Mirrored bit-exactly in
 * src/engine/ops/dropout.ts for the other backends. */
static inline uint32_t fmix32(uint32_t h) {
  h ^= h >> 16; h *= 0x85EBCA6Bu; h ^= h >> 13; h *= 0xC2B2AE35u; h ^= h >> 16;
  return h;
}

typedef struct {
  const float *x;
  float *o;
  uint32_t k0, k1, thr;
  float scale;
} drop_ctx;

static void drop_range(void *vc, size_t lo, size_t hi) {
  drop_ctx *c = (drop_ctx *)vc;
  const uint32_t k0 = c->k0, k1 = c->k1, thr = c->thr;
  const float s = c->scale;
  for (size_t i = lo; i < hi; i++) {
    const uint32_t h = fmix32(fmix32((uint32_t)i + k0) ^ k1);
    c->o[i] = c->x[i] * ((h >> 8) < thr ? s : 0.0f); /* x · mask, as the JS path (−0, NaN alike) */
  }
}

/* dropout(x, out, k0, k1, threshold, scale): out[i] = x[i]·scale where hash(i) >> 8 < threshold,
 * else 0 (threshold = keep probability · 2^24). */
static napi_value dropout(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 6)) return NULL;
  size_t lx, lo;
  drop_ctx c;
  if (!(c.x = dfa_f32(&a, 0, &lx)) || !(c.o = dfa_f32(&a, 1, &lo))) return NULL;
  c.k0 = (uint32_t)dfa_int(&a, 2);
  c.k1 = (uint32_t)dfa_int(&a, 3);
  c.thr = (uint32_t)dfa_int(&a, 4);
  c.scale = (float)dfa_num(&a, 5);
  if (lo < lx) DFA_THROW(env, "dfa_native.dropout: output too small");
  if (lx > 0xFFFFFFFFu) DFA_THROW(env, "dfa_native.dropout: more than 2^32 elements");
  dfa_parallel(lx, DFA_PAR_MIN, drop_range, &c);
  return NULL;
}

/* ---------- softmax (causal, scaled) and its backward ---------- */

typedef struct {
  const float *x, *y, *dy;
  float *o;
  int64_t T, cols;
  float scale;
  int causal;
} sm_ctx;

/* rows of [*, T, cols]; row r is query position r % T; causal keeps keys j <= r % T */
static void sm_fwd_rows(void *vc, size_t lo, size_t hi) {
  sm_ctx *c = (sm_ctx *)vc;
  const int64_t C = c->cols;
  const float s = c->scale;
  for (size_t r = lo; r < hi; r++) {
    const float *x = c->x + r * C;
    float *o = c->o + r * C;
    const int64_t n = c->causal ? ((int64_t)(r % (size_t)c->T) + 1 < C ? (int64_t)(r % (size_t)c->T) + 1 : C) : C;
    float m = -INFINITY;
    for (int64_t j = 0; j < n; j++) if (x[j] > m) m = x[j];
    for (int64_t j = 0; j < n; j++) o[j] = dfa_expf((x[j] - m) * s);
    const float inv = 1.0f / sum_f32(o, n);
    for (int64_t j = 0; j < n; j++) o[j] *= inv;
    for (int64_t j = n; j < C; j++) o[j] = 0.f;
  }
}

/* scaledSoftmax(x, out, rows, cols, T, scale, causal): softmax(scale · x) over the last axis;
 * causal: entries j > (row mod T) are masked out (probability exactly 0). */
static napi_value scaled_softmax(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 7)) return NULL;
  size_t lx, lo;
  sm_ctx c = {0};
  if (!(c.x = dfa_f32(&a, 0, &lx)) || !(c.o = dfa_f32(&a, 1, &lo))) return NULL;
  const int64_t rows = dfa_int(&a, 2);
  c.cols = dfa_int(&a, 3);
  c.T = dfa_int(&a, 4);
  c.scale = (float)dfa_num(&a, 5);
  c.causal = dfa_bool(&a, 6);
  if ((int64_t)lx < rows * c.cols || (int64_t)lo < rows * c.cols || c.T < 1) DFA_THROW(env, "dfa_native.scaledSoftmax: buffer smaller than its shape");
  if (rows == 0 || c.cols == 0) return NULL;
  dfa_parallel((size_t)rows, DFA_PAR_MIN / (size_t)c.cols + 1, sm_fwd_rows, &c);
  return NULL;
}

static void sm_bwd_rows(void *vc, size_t lo, size_t hi) {
  sm_ctx *c = (sm_ctx *)vc;
  const int64_t C = c->cols;
  const float s = c->scale;
  for (size_t r = lo; r < hi; r++) {
    const float *y = c->y + r * C, *dy = c->dy + r * C;
    float *o = c->o + r * C;
    const float d = dot_f32(dy, y, C);
    for (int64_t j = 0; j < C; j++) o[j] = s * y[j] * (dy[j] - d);
  }
}

/* softmaxGrad(y, dy, dx, rows, cols, scale): dx = scale · y · (dy − Σ dy·y), the backward of
 * y = softmax(scale · x) (masked entries have y = 0 and get 0). */
static napi_value softmax_grad(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 6)) return NULL;
  size_t ly, ld, lo;
  sm_ctx c = {0};
  if (!(c.y = dfa_f32(&a, 0, &ly)) || !(c.dy = dfa_f32(&a, 1, &ld)) || !(c.o = dfa_f32(&a, 2, &lo))) return NULL;
  const int64_t rows = dfa_int(&a, 3);
  c.cols = dfa_int(&a, 4);
  c.scale = (float)dfa_num(&a, 5);
  if ((int64_t)ly < rows * c.cols || (int64_t)ld < rows * c.cols || (int64_t)lo < rows * c.cols) DFA_THROW(env, "dfa_native.softmaxGrad: buffer smaller than its shape");
  if (rows == 0 || c.cols == 0) return NULL;
  dfa_parallel((size_t)rows, DFA_PAR_MIN / (size_t)c.cols + 1, sm_bwd_rows, &c);
  return NULL;
}

/* ---------- causal multi-head attention core ---------- */

/* One (batch, head) pair per task; each task runs single-threaded GEMMs on strided views of the
 * packed qkv [B, T, 3d] (q at column h·dh, k at d + h·dh, v at 2d + h·dh, leading dimension 3d)
 * and of ctx [B, T, d] (leading dimension d), so no head split/merge transposes are made. */
#define ATTN_BLOCK 32 /* query/key block of the causal GEMMs */

typedef struct {
  const float *qkv, *P, *dctx;
  float *ctx, *Pout, *dqkv;
  int64_t B, T, H, dh;
  float scale;
  uint32_t k0, k1, thr;
  float dscale;
  int drop, bad;
} attn_ctx;

static void drop_rows(const attn_ctx *c, const float *src, float *dst, size_t base, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    const uint32_t h = fmix32(fmix32((uint32_t)(base + (size_t)i) + c->k0) ^ c->k1);
    dst[i] = src[i] * ((h >> 8) < c->thr ? c->dscale : 0.0f);
  }
}

static void attn_fwd_tasks(void *vc, size_t lo, size_t hi) {
  attn_ctx *c = (attn_ctx *)vc;
  const int64_t T = c->T, H = c->H, dh = c->dh, d = H * dh, ld = 3 * d;
  float *tmp = c->drop ? (float *)malloc(sizeof(float) * (size_t)(T * T)) : NULL;
  if (c->drop && !tmp) { c->bad = 1; return; }
  for (size_t task = lo; task < hi; task++) {
    const int64_t b = (int64_t)task / H, h = (int64_t)task % H;
    const float *Q = c->qkv + b * T * ld + h * dh, *K = Q + d, *V = Q + 2 * d;
    float *P = c->Pout + (int64_t)task * T * T;
    /* row blocks: queries r0..r1 see keys 0..r1 only, so the GEMMs skip the masked upper blocks */
    for (int64_t r0 = 0; r0 < T; r0 += ATTN_BLOCK) {
      const int64_t r1 = r0 + ATTN_BLOCK < T ? r0 + ATTN_BLOCK : T;
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (blasint)(r1 - r0), (blasint)r1, (blasint)dh, 1.0f, Q + r0 * ld, (blasint)ld, K, (blasint)ld, 0.0f, P + r0 * T, (blasint)T);
    }
    for (int64_t i = 0; i < T; i++) {
      float *row = P + i * T;
      const int64_t n = i + 1;
      float m = -INFINITY;
      for (int64_t j = 0; j < n; j++) if (row[j] > m) m = row[j];
      for (int64_t j = 0; j < n; j++) row[j] = dfa_expf((row[j] - m) * c->scale); /* vectorised: no reduction in this loop */
      const float inv = 1.0f / sum_f32(row, n);
      for (int64_t j = 0; j < n; j++) row[j] *= inv;
      for (int64_t j = n; j < T; j++) row[j] = 0.f;
    }
    const float *Pd = P;
    if (c->drop) {
      drop_rows(c, P, tmp, task * (size_t)(T * T), T * T);
      Pd = tmp;
    }
    float *out = c->ctx + b * T * d + h * dh;
    for (int64_t r0 = 0; r0 < T; r0 += ATTN_BLOCK) {
      const int64_t r1 = r0 + ATTN_BLOCK < T ? r0 + ATTN_BLOCK : T;
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (blasint)(r1 - r0), (blasint)dh, (blasint)r1, 1.0f, Pd + r0 * T, (blasint)T, V, (blasint)ld, 0.0f, out + r0 * d, (blasint)d);
    }
  }
  free(tmp);
}

static void attn_bwd_tasks(void *vc, size_t lo, size_t hi) {
  attn_ctx *c = (attn_ctx *)vc;
  const int64_t T = c->T, H = c->H, dh = c->dh, d = H * dh, ld = 3 * d;
  float *tmp = (float *)malloc(sizeof(float) * (size_t)(2 * T * T));
  if (!tmp) { c->bad = 1; return; }
  float *Pd = tmp, *dP = tmp + T * T;
  for (size_t task = lo; task < hi; task++) {
    const int64_t b = (int64_t)task / H, h = (int64_t)task % H;
    const float *Q = c->qkv + b * T * ld + h * dh, *K = Q + d, *V = Q + 2 * d;
    const float *P = c->P + (int64_t)task * T * T;
    const float *dC = c->dctx + b * T * d + h * dh;
    float *dQ = c->dqkv + b * T * ld + h * dh, *dK = dQ + d, *dV = dQ + 2 * d;
    const size_t base = task * (size_t)(T * T);
    if (c->drop) drop_rows(c, P, Pd, base, T * T);
    const float *PdU = c->drop ? Pd : P;
    /* dV = Pdᵀ dC and dK = dSᵀ Q by key blocks c0..c1 (only queries >= c0 see them); dPd = dC Vᵀ
     * and dQ = dS K by query blocks r0..r1 (keys < r1 only) */
    for (int64_t c0 = 0; c0 < T; c0 += ATTN_BLOCK) {
      const int64_t c1 = c0 + ATTN_BLOCK < T ? c0 + ATTN_BLOCK : T;
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (blasint)(c1 - c0), (blasint)dh, (blasint)(T - c0), 1.0f, PdU + c0 * T + c0, (blasint)T, dC + c0 * d, (blasint)d, 0.0f, dV + c0 * ld, (blasint)ld);
    }
    for (int64_t r0 = 0; r0 < T; r0 += ATTN_BLOCK) {
      const int64_t r1 = r0 + ATTN_BLOCK < T ? r0 + ATTN_BLOCK : T;
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (blasint)(r1 - r0), (blasint)r1, (blasint)dh, 1.0f, dC + r0 * d, (blasint)d, V, (blasint)ld, 0.0f, dP + r0 * T, (blasint)T);
    }
    if (c->drop) /* only the causal part of each row was computed */
      for (int64_t i = 0; i < T; i++) drop_rows(c, dP + i * T, dP + i * T, base + (size_t)(i * T), i + 1);
    /* dS = scale · P · (dP − Σ_j dP·P), row by row (masked entries: P = 0 -> 0) */
    for (int64_t i = 0; i < T; i++) {
      const float *p = P + i * T;
      float *g = dP + i * T;
      const int64_t n = i + 1;
      const float s = dot_f32(g, p, n);
      for (int64_t j = 0; j < n; j++) g[j] = c->scale * p[j] * (g[j] - s);
      for (int64_t j = n; j < T; j++) g[j] = 0.f;
    }
    for (int64_t r0 = 0; r0 < T; r0 += ATTN_BLOCK) {
      const int64_t r1 = r0 + ATTN_BLOCK < T ? r0 + ATTN_BLOCK : T;
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (blasint)(r1 - r0), (blasint)dh, (blasint)r1, 1.0f, dP + r0 * T, (blasint)T, K, (blasint)ld, 0.0f, dQ + r0 * ld, (blasint)ld);
    }
    for (int64_t c0 = 0; c0 < T; c0 += ATTN_BLOCK) {
      const int64_t c1 = c0 + ATTN_BLOCK < T ? c0 + ATTN_BLOCK : T;
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (blasint)(c1 - c0), (blasint)dh, (blasint)(T - c0), 1.0f, dP + c0 * T + c0, (blasint)T, Q + c0 * ld, (blasint)ld, 0.0f, dK + c0 * ld, (blasint)ld);
    }
  }
  free(tmp);
}

/* Runs the tasks over our threads with OpenBLAS single-threaded meanwhile (one GEMM per head is
 * small; nested BLAS threads would only contend). */
static void attn_run(attn_ctx *c, dfa_range_fn fn) {
  const int blas = openblas_get_num_threads();
  if (blas > 1) openblas_set_num_threads(1);
  dfa_parallel_tasks((size_t)(c->B * c->H), fn, c);
  if (blas > 1) openblas_set_num_threads(blas);
}

static int attn_common(dfa_args *a, attn_ctx *c, size_t first) {
  c->B = dfa_int(a, first);
  c->T = dfa_int(a, first + 1);
  c->H = dfa_int(a, first + 2);
  c->dh = dfa_int(a, first + 3);
  c->scale = (float)dfa_num(a, first + 4);
  c->k0 = (uint32_t)dfa_int(a, first + 5);
  c->k1 = (uint32_t)dfa_int(a, first + 6);
  c->thr = (uint32_t)dfa_int(a, first + 7);
  c->dscale = (float)dfa_num(a, first + 8);
  c->drop = c->thr < (1u << 24);
  return c->B >= 0 && c->T >= 1 && c->H >= 1 && c->dh >= 1;
}

/* causalAttention(qkv, ctx, P, B, T, H, dh, scale, k0, k1, threshold, dropScale):
 * ctx[b, :, h] = dropout(P[b, h]) V[b, h], P[b, h] = causal softmax(scale · Q Kᵀ) (kept for the
 * backward, before dropout); dropout as `dropout` over P's flat index (threshold 2^24 = none). */
static napi_value causal_attention(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 12)) return NULL;
  size_t lq, lc, lp;
  attn_ctx c = {0};
  if (!(c.qkv = dfa_f32(&a, 0, &lq)) || !(c.ctx = dfa_f32(&a, 1, &lc)) || !(c.Pout = dfa_f32(&a, 2, &lp))) return NULL;
  if (!attn_common(&a, &c, 3)) DFA_THROW(env, "dfa_native.causalAttention: bad sizes");
  const int64_t d = c.H * c.dh;
  if ((int64_t)lq < c.B * c.T * 3 * d || (int64_t)lc < c.B * c.T * d || (int64_t)lp < c.B * c.H * c.T * c.T)
    DFA_THROW(env, "dfa_native.causalAttention: buffer smaller than its shape");
  if (c.B * c.H * c.T * c.T > 0xFFFFFFFFLL) DFA_THROW(env, "dfa_native.causalAttention: more than 2^32 attention weights");
  attn_run(&c, attn_fwd_tasks);
  if (c.bad) DFA_THROW(env, "dfa_native.causalAttention: out of memory");
  return NULL;
}

/* causalAttentionGrad(dctx, qkv, P, dqkv, B, T, H, dh, scale, k0, k1, threshold, dropScale) */
static napi_value causal_attention_grad(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 13)) return NULL;
  size_t ld, lq, lp, lg;
  attn_ctx c = {0};
  if (!(c.dctx = dfa_f32(&a, 0, &ld)) || !(c.qkv = dfa_f32(&a, 1, &lq)) || !(c.P = dfa_f32(&a, 2, &lp)) || !(c.dqkv = dfa_f32(&a, 3, &lg))) return NULL;
  if (!attn_common(&a, &c, 4)) DFA_THROW(env, "dfa_native.causalAttentionGrad: bad sizes");
  const int64_t d = c.H * c.dh;
  if ((int64_t)lq < c.B * c.T * 3 * d || (int64_t)lg < c.B * c.T * 3 * d || (int64_t)ld < c.B * c.T * d || (int64_t)lp < c.B * c.H * c.T * c.T)
    DFA_THROW(env, "dfa_native.causalAttentionGrad: buffer smaller than its shape");
  attn_run(&c, attn_bwd_tasks);
  if (c.bad) DFA_THROW(env, "dfa_native.causalAttentionGrad: out of memory");
  return NULL;
}

void dfa_register_transformer(napi_env env, napi_value exports) {
  dfa_export(env, exports, "layerNorm", layer_norm);
  dfa_export(env, exports, "layerNormGrad", layer_norm_grad);
  dfa_export(env, exports, "dropout", dropout);
  dfa_export(env, exports, "scaledSoftmax", scaled_softmax);
  dfa_export(env, exports, "softmaxGrad", softmax_grad);
  dfa_export(env, exports, "causalAttention", causal_attention);
  dfa_export(env, exports, "causalAttentionGrad", causal_attention_grad);
}
