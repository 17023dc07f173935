/* Fused kernels of the recommender models: AFN's logarithmic-layer activation, BatchNorm1d,
 * sparse embedding gather and lazy Adam, Deep&Cross's cross layer.
 * lnnExp(z, out, B, D, L): z [B·D, L] (rows (b, d): the LNN GEMM's output), out [B, L·D] in
 *   torch's layout (LNN neuron major, then embedding dim): out[b, l·D + d] = relu(expm1(z)).
 * lnnExpGrad(dy, y, dz, B, D, L): dz[(b·D + d), l] = dy[b, l·D + d] · exp(z) where y > 0, else 0;
 *   exp(z) = y + 1 comes from the saved output, so z is not kept.
 * tfjs composes the forward from Expm1, Relu and two Transposes and the backward from four
 * activation-sized passes; here each direction is one pass, threaded over the batch. */
#include "common.h"
#include <cblas.h>
#include <math.h>
#include <stdlib.h>

typedef struct {
  const float *a, *b;
  float *out;
  int64_t D, L;
} lnn_ctx;

/* Both directions walk each sample's [D, L] ↔ [L, D] transpose in blocks of LNN_BLOCK neurons, so the
 * strided side stays in L1 and the contiguous side is a vectorisable loop through a small buffer. */
#define LNN_BLOCK 64

static void lnn_fwd_rows(void *vc, size_t lo, size_t hi) {
  lnn_ctx *c = (lnn_ctx *)vc;
  const int64_t D = c->D, L = c->L;
  float t[LNN_BLOCK];
  for (size_t bi = lo; bi < hi; bi++) {
    float *o = c->out + bi * L * D;
    for (int64_t l0 = 0; l0 < L; l0 += LNN_BLOCK) {
      const int64_t nl = L - l0 < LNN_BLOCK ? L - l0 : LNN_BLOCK;
      for (int64_t d = 0; d < D; d++) {
        const float *z = c->a + (bi * D + d) * L + l0;
        for (int64_t l = 0; l < nl; l++) {
          const float v = z[l];
          /* expm1 > 0 exactly when z > 0; above expf's range the result is +inf, as torch; NaN stays */
          const float e = dfa_expf(v) - 1.0f;
          t[l] = v > 0.f ? (v > 88.72283935546875f ? INFINITY : e) : (v != v ? v : 0.f);
        }
        float *od = o + l0 * D + d;
        for (int64_t l = 0; l < nl; l++) od[l * D] = t[l];
      }
    }
  }
}

static void lnn_bwd_rows(void *vc, size_t lo, size_t hi) {
  lnn_ctx *c = (lnn_ctx *)vc;
  const int64_t D = c->D, L = c->L;
  float g[LNN_BLOCK], yy[LNN_BLOCK];
  for (size_t bi = lo; bi < hi; bi++) {
    const float *dy = c->a + bi * L * D, *y = c->b + bi * L * D;
    for (int64_t l0 = 0; l0 < L; l0 += LNN_BLOCK) {
      const int64_t nl = L - l0 < LNN_BLOCK ? L - l0 : LNN_BLOCK;
      for (int64_t d = 0; d < D; d++) {
        const float *dyd = dy + l0 * D + d, *yd = y + l0 * D + d;
        for (int64_t l = 0; l < nl; l++) {
          g[l] = dyd[l * D];
          yy[l] = yd[l * D];
        }
        float *dz = c->out + (bi * D + d) * L + l0;
        for (int64_t l = 0; l < nl; l++) dz[l] = yy[l] > 0.f ? g[l] * (yy[l] + 1.0f) : 0.f;
      }
    }
  }
}

static napi_value lnn_run(napi_env env, napi_callback_info info, int grad) {
  dfa_args a;
  const size_t nin = grad ? 6 : 5;
  if (!dfa_get_args(env, info, &a, nin)) return NULL;
  size_t l0, l1 = 0, lo;
  lnn_ctx c;
  c.a = dfa_f32(&a, 0, &l0);
  if (!c.a) return NULL;
  c.b = NULL;
  if (grad) {
    c.b = dfa_f32(&a, 1, &l1);
    if (!c.b) return NULL;
  }
  c.out = dfa_f32(&a, grad ? 2 : 1, &lo);
  if (!c.out) return NULL;
  const int64_t B = dfa_int(&a, nin - 3);
  c.D = dfa_int(&a, nin - 2);
  c.L = dfa_int(&a, nin - 1);
  const size_t n = (size_t)(B * c.D * c.L);
  if (B < 0 || c.D < 0 || c.L < 0 || l0 < n || lo < n || (grad && l1 < n))
    DFA_THROW(env, grad ? "dfa_native.lnnExpGrad: buffer smaller than its shape" : "dfa_native.lnnExp: buffer smaller than its shape");
  if (n == 0) return NULL;
  const size_t per = (size_t)(c.D * c.L);
  dfa_parallel((size_t)B, (DFA_PAR_MIN + per - 1) / per, grad ? lnn_bwd_rows : lnn_fwd_rows, &c);
  return NULL;
}

static napi_value lnn_exp(napi_env env, napi_callback_info info) { return lnn_run(env, info, 0); }
static napi_value lnn_exp_grad(napi_env env, napi_callback_info info) { return lnn_run(env, info, 1); }


/* BatchNorm1d in training mode over x [N, C] (statistics per column over the N rows, biased
 * variance as torch uses for normalising):
 * batchNorm(x, gamma, beta, y, mean, var, N, C, eps): y = (x − mean) · rsqrt(var + eps) · gamma + beta.
 * batchNormGrad(dy, x, gamma, mean, var, dx, dgamma, dbeta, N, C, eps):
 *   dbeta = Σ dy, dgamma = Σ dy · xhat, dx = gamma · rstd / N · (N · dy − dbeta − xhat · dgamma).
 * tfjs composes the forward from ~10 ops and the backward from ~25 (its Mean / Sum gradients
 * build activation-sized ones-tensors in JS); here each direction is two passes, threaded over
 * column ranges. */
typedef struct {
  const float *x, *dy, *g, *b;
  float *y, *mean, *var, *dx, *dg, *db;
  int64_t N, C;
  float eps;
} bn_ctx;

static void bn_fwd_cols(void *vc, size_t lo, size_t hi) {
  bn_ctx *c = (bn_ctx *)vc;
  const int64_t N = c->N, C = c->C;
  double s[256], q[256];
  for (size_t j0 = lo; j0 < hi; j0 += 256) {
    const size_t nj = hi - j0 < 256 ? hi - j0 : 256;
    for (size_t j = 0; j < nj; j++) s[j] = 0.0;
    for (int64_t n = 0; n < N; n++) {
      const float *xr = c->x + n * C + j0;
      for (size_t j = 0; j < nj; j++) s[j] += xr[j];
    }
    for (size_t j = 0; j < nj; j++) { s[j] /= (double)N; q[j] = 0.0; }
    for (int64_t n = 0; n < N; n++) {
      const float *xr = c->x + n * C + j0;
      for (size_t j = 0; j < nj; j++) { const double d = xr[j] - s[j]; q[j] += d * d; }
    }
    float a[256], sh[256];
    for (size_t j = 0; j < nj; j++) {
      const float var = (float)(q[j] / (double)N);
      c->mean[j0 + j] = (float)s[j];
      c->var[j0 + j] = var;
      const float rs = 1.0f / sqrtf(var + c->eps);
      a[j] = rs * c->g[j0 + j];
      sh[j] = c->b[j0 + j] - (float)s[j] * a[j];
    }
    for (int64_t n = 0; n < N; n++) {
      const float *xr = c->x + n * C + j0;
      float *yr = c->y + n * C + j0;
      for (size_t j = 0; j < nj; j++) yr[j] = xr[j] * a[j] + sh[j];
    }
  }
}

static void bn_bwd_cols(void *vc, size_t lo, size_t hi) {
  bn_ctx *c = (bn_ctx *)vc;
  const int64_t N = c->N, C = c->C;
  for (size_t j0 = lo; j0 < hi; j0 += 256) {
    const size_t nj = hi - j0 < 256 ? hi - j0 : 256;
    double sd[256], sdx[256];
    float mu[256], rs[256];
    for (size_t j = 0; j < nj; j++) {
      sd[j] = 0.0;
      sdx[j] = 0.0;
      mu[j] = c->mean[j0 + j];
      rs[j] = 1.0f / sqrtf(c->var[j0 + j] + c->eps);
    }
    for (int64_t n = 0; n < N; n++) {
      const float *xr = c->x + n * C + j0, *dyr = c->dy + n * C + j0;
      for (size_t j = 0; j < nj; j++) {
        sd[j] += dyr[j];
        sdx[j] += dyr[j] * ((xr[j] - mu[j]) * rs[j]);
      }
    }
    float k[256], m1[256], m2[256];
    for (size_t j = 0; j < nj; j++) {
      c->db[j0 + j] = (float)sd[j];
      c->dg[j0 + j] = (float)sdx[j];
      k[j] = c->g[j0 + j] * rs[j];
      m1[j] = (float)(sd[j] / (double)N);
      m2[j] = (float)(sdx[j] / (double)N);
    }
    if (!c->dx) continue;
    for (int64_t n = 0; n < N; n++) {
      const float *xr = c->x + n * C + j0, *dyr = c->dy + n * C + j0;
      float *dxr = c->dx + n * C + j0;
      for (size_t j = 0; j < nj; j++) dxr[j] = k[j] * (dyr[j] - m1[j] - (xr[j] - mu[j]) * rs[j] * m2[j]);
    }
  }
}

static napi_value batch_norm(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 9)) return NULL;
  size_t lx, lg, lb, ly, lm, lv;
  bn_ctx c = {0};
  if (!(c.x = dfa_f32(&a, 0, &lx)) || !(c.g = dfa_f32(&a, 1, &lg)) || !(c.b = dfa_f32(&a, 2, &lb)) || !(c.y = dfa_f32(&a, 3, &ly)) ||
      !(c.mean = dfa_f32(&a, 4, &lm)) || !(c.var = dfa_f32(&a, 5, &lv)))
    return NULL;
  c.N = dfa_int(&a, 6);
  c.C = dfa_int(&a, 7);
  c.eps = (float)dfa_num(&a, 8);
  const size_t n = (size_t)(c.N * c.C);
  if (c.N < 1 || c.C < 0 || lx < n || ly < n || lg < (size_t)c.C || lb < (size_t)c.C || lm < (size_t)c.C || lv < (size_t)c.C)
    DFA_THROW(env, "dfa_native.batchNorm: buffer smaller than its shape");
  dfa_parallel((size_t)c.C, (DFA_PAR_MIN + (size_t)c.N - 1) / (size_t)c.N, bn_fwd_cols, &c);
  return NULL;
}

static napi_value batch_norm_grad(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 11)) return NULL;
  size_t ldy, lx, lg, lm, lv, ldx = 0, ldg, ldb;
  bn_ctx c = {0};
  if (!(c.dy = dfa_f32(&a, 0, &ldy)) || !(c.x = dfa_f32(&a, 1, &lx)) || !(c.g = dfa_f32(&a, 2, &lg)) || !(c.mean = dfa_f32(&a, 3, &lm)) ||
      !(c.var = dfa_f32(&a, 4, &lv)))
    return NULL;
  napi_valuetype vt;
  napi_typeof(env, a.argv[5], &vt);
  if (vt == napi_object && !(c.dx = dfa_f32(&a, 5, &ldx))) return NULL;
  if (!(c.dg = dfa_f32(&a, 6, &ldg)) || !(c.db = dfa_f32(&a, 7, &ldb))) return NULL;
  c.N = dfa_int(&a, 8);
  c.C = dfa_int(&a, 9);
  c.eps = (float)dfa_num(&a, 10);
  const size_t n = (size_t)(c.N * c.C), C = (size_t)c.C;
  if (c.N < 1 || c.C < 0 || ldy < n || lx < n || (c.dx && ldx < n) || lg < C || lm < C || lv < C || ldg < C || ldb < C)
    DFA_THROW(env, "dfa_native.batchNormGrad: buffer smaller than its shape");
  dfa_parallel(C, (DFA_PAR_MIN + (size_t)c.N - 1) / (size_t)c.N, bn_bwd_cols, &c);
  return NULL;
}


/* Sparse embedding tables (src/models/recsys/sparse_embedding.ts); single-threaded: both are
 * bound by random row accesses, and the dedup is sequential.
 * embeddingGather(table, dim, indices, stamp, slotOf, gen, slots, unique, out) -> U, or -(i + 1)
 *   for the first index i outside the table: out[i] = table row indices[i]; unique = the batch's
 *   rows, each once, in first-seen order; slots[i] = index of indices[i] in unique. stamp/slotOf
 *   are per-row scratch owned by the table (stamp[r] == gen marks r as seen this call). */
static napi_value embedding_gather(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 9)) return NULL;
  size_t lt, li, ls, lso, lsl, lu, lo;
  const float *T = dfa_f32(&a, 0, &lt);
  if (!T) return NULL;
  const int64_t d = dfa_int(&a, 1);
  const int32_t *idx = dfa_i32(&a, 2, &li);
  int32_t *stamp = idx ? dfa_i32(&a, 3, &ls) : NULL;
  int32_t *slotOf = stamp ? dfa_i32(&a, 4, &lso) : NULL;
  if (!slotOf) return NULL;
  const int32_t gen = (int32_t)dfa_int(&a, 5);
  int32_t *slots = dfa_i32(&a, 6, &lsl);
  int32_t *uniq = slots ? dfa_i32(&a, 7, &lu) : NULL;
  float *out = uniq ? dfa_f32(&a, 8, &lo) : NULL;
  if (!out) return NULL;
  const size_t rows = ls;
  if (d < 1 || lso < rows || lt < rows * (size_t)d || lsl < li || lu < li || lo < li * (size_t)d)
    DFA_THROW(env, "dfa_native.embeddingGather: buffer smaller than its shape");
  int64_t U = 0;
  for (size_t i = 0; i < li; i++) {
    const int32_t r = idx[i];
    if (r < 0 || (size_t)r >= rows) { U = -(int64_t)i - 1; break; }
    if (stamp[r] != gen) { stamp[r] = gen; slotOf[r] = (int32_t)U; uniq[U++] = r; }
    slots[i] = slotOf[r];
    const float *src = T + (size_t)r * d;
    float *dst = out + i * d;
    for (int64_t j = 0; j < d; j++) dst[j] = src[j];
  }
  napi_value res;
  DFA_CHECK(env, napi_create_int64(env, U, &res));
  return res;
}

/* sparseAdam(table, m, v, dim, unique, U, slots, grad, acc, lr, b1, b2, eps, wd, c1, c2) -> -1, or
 *   the first table row whose summed gradient is not finite (nothing of that row or later is
 *   updated). grad [n, dim] is the gathered rows' gradient; acc [U, dim] scratch receives its sum
 *   per unique row; then lazy Adam on those rows (torch's Adam formula with L2 decay wd, bias
 *   corrections c1 = 1 − b1^t, c2 = 1 − b2^t of the table's global step). */
static napi_value sparse_adam(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 16)) return NULL;
  size_t lw, lm, lv, lu, ls, lg, lacc;
  float *w = dfa_f32(&a, 0, &lw), *m = w ? dfa_f32(&a, 1, &lm) : NULL, *v = m ? dfa_f32(&a, 2, &lv) : NULL;
  if (!v) return NULL;
  const int64_t d = dfa_int(&a, 3);
  const int32_t *uniq = dfa_i32(&a, 4, &lu);
  if (!uniq) return NULL;
  const int64_t U = dfa_int(&a, 5);
  const int32_t *slots = dfa_i32(&a, 6, &ls);
  const float *g = slots ? dfa_f32(&a, 7, &lg) : NULL;
  float *acc = g ? dfa_f32(&a, 8, &lacc) : NULL;
  if (!acc) return NULL;
  const float lr = (float)dfa_num(&a, 9), b1 = (float)dfa_num(&a, 10), b2 = (float)dfa_num(&a, 11), eps = (float)dfa_num(&a, 12);
  const float wd = (float)dfa_num(&a, 13), c1 = (float)dfa_num(&a, 14), c2 = (float)dfa_num(&a, 15);
  const size_t rows = d > 0 ? lw / (size_t)d : 0;
  if (d < 1 || U < 0 || lu < (size_t)U || lg < ls * (size_t)d || lacc < (size_t)U * d || lm < lw || lv < lw)
    DFA_THROW(env, "dfa_native.sparseAdam: buffer smaller than its shape");
  for (int64_t k = 0; k < U * d; k++) acc[k] = 0.f;
  for (size_t i = 0; i < ls; i++) {
    if (slots[i] < 0 || slots[i] >= U) DFA_THROW(env, "dfa_native.sparseAdam: slot outside the unique rows");
    float *o = acc + (size_t)slots[i] * d;
    const float *gi = g + i * d;
    for (int64_t j = 0; j < d; j++) o[j] += gi[j];
  }
  const float step = lr / c1, ic2 = 1.0f / c2;
  int64_t bad = -1;
  for (int64_t u = 0; u < U && bad < 0; u++) {
    const int32_t r = uniq[u];
    if (r < 0 || (size_t)r >= rows) DFA_THROW(env, "dfa_native.sparseAdam: unique row outside the table");
    const float *gu = acc + u * d;
    for (int64_t j = 0; j < d; j++)
      if (!isfinite(gu[j])) { bad = r; break; }
    if (bad >= 0) break;
    float *wr = w + (size_t)r * d, *mr = m + (size_t)r * d, *vr = v + (size_t)r * d;
    for (int64_t j = 0; j < d; j++) {
      const float gj = gu[j] + wd * wr[j];
      mr[j] = b1 * mr[j] + (1.0f - b1) * gj;
      vr[j] = b2 * vr[j] + (1.0f - b2) * gj * gj;
      wr[j] -= step * mr[j] / (sqrtf(vr[j] * ic2) + eps);
    }
  }
  napi_value res;
  DFA_CHECK(env, napi_create_int64(env, bad, &res));
  return res;
}

/* rowsSumSquares(grad, slots, U, d, acc): the squared norm of the gathered rows' gradient summed
 * per unique row (what global-norm clipping counts: a row used twice in a batch has one gradient,
 * the sum). The sums in float in slot order and the squares summed in double in row order, as the
 * cpu kernel (JS) computes them, so the same number. */
static napi_value rows_sum_squares(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 5)) return NULL;
  size_t lg, ls, lacc;
  const float *g = dfa_f32(&a, 0, &lg);
  if (!g) return NULL;
  const int32_t *slots = dfa_i32(&a, 1, &ls);
  if (!slots) return NULL;
  const int64_t U = dfa_int(&a, 2), d = dfa_int(&a, 3);
  float *acc = dfa_f32(&a, 4, &lacc);
  if (!acc) return NULL;
  if (d < 1 || U < 0 || lg < ls * (size_t)d || lacc < (size_t)(U * d)) DFA_THROW(env, "dfa_native.rowsSumSquares: buffer smaller than its shape");
  for (int64_t k = 0; k < U * d; k++) acc[k] = 0.f;
  for (size_t i = 0; i < ls; i++) {
    if (slots[i] < 0 || slots[i] >= U) DFA_THROW(env, "dfa_native.rowsSumSquares: slot outside the unique rows");
    float *o = acc + (size_t)slots[i] * d;
    const float *gi = g + i * d;
    for (int64_t j = 0; j < d; j++) o[j] += gi[j];
  }
  double sq = 0;
  for (int64_t k = 0; k < U * d; k++) {
    const double x = acc[k];
    sq += x * x; /* exact in double, so an FMA would round it the same */
  }
  napi_value res;
  DFA_CHECK(env, napi_create_double(env, sq, &res));
  return res;
}

/* Deep&Cross's cross layer (torchfm CrossNetwork): y = x0 ∘ (x·w) + b + x, x0 and x [B, D], w [D, 1],
 * b [D]. tfjs composes it from BatchMatMul, Multiply, Add, Add forward and about ten kernels
 * backward (two [B, D] products, a row sum, an outer product, adds, casts); here:
 * crossFwd(x0, x, w, b, y, xw, B, D): xw = x·w by the very sgemm call BatchMatMul makes (the same
 *   rounding), then one pass y = ((x0·xw) + b) + x;
 * crossGradX(dy, x0, w, dx, B, D): dx = dy + g ⊗ w with g = Σ_j dy∘x0 per row;
 * crossGradW(dy, x0, x, dw, B, D): dw = xᵀ·g (BatchMatMul's sgemm call for matMul(x, g, true)).
 * Every value is rounded as the composite's kernels round it: products and sums in float, one
 * rounding each, the row sum accumulated in double in column order as the Sum kernel does, and no
 * a·b + c contracted into an FMA (cross_nofma), so the numbers are the composite's bit for bit. */
#define cross_nofma __attribute__((optimize("fp-contract=off")))

typedef struct {
  const float *x0, *x, *w, *b, *dy, *xw;
  float *y, *g;
  int64_t D;
} cross_ctx;

static cross_nofma void cross_fwd_rows(void *vc, size_t lo, size_t hi) {
  const cross_ctx *c = (const cross_ctx *)vc;
  const int64_t D = c->D;
  for (size_t i = lo; i < hi; i++) {
    const float *x0 = c->x0 + i * D, *x = c->x + i * D;
    const float s = c->xw[i];
    float *y = c->y + i * D;
    for (int64_t j = 0; j < D; j++) {
      const float m = x0[j] * s;
      const float t = m + c->b[j];
      y[j] = t + x[j];
    }
  }
}

/* g[i] = Σ_j dy∘x0, in double and in column order as the Sum kernel adds; CROSS_ROWS rows at a
 * time, each its own chain of adds (a single chain waits on the add latency every column) */
#define CROSS_ROWS 8
static cross_nofma void cross_row_sums(const cross_ctx *c, size_t i0, size_t n, float *g) {
  const int64_t D = c->D;
  double s[CROSS_ROWS] = {0};
  const float *dy[CROSS_ROWS], *x0[CROSS_ROWS];
  for (size_t r = 0; r < n; r++) {
    dy[r] = c->dy + (i0 + r) * D;
    x0[r] = c->x0 + (i0 + r) * D;
  }
  if (n == CROSS_ROWS) {
    for (int64_t j = 0; j < D; j++)
      for (size_t r = 0; r < CROSS_ROWS; r++) {
        const float p = dy[r][j] * x0[r][j];
        s[r] += p;
      }
  } else {
    for (int64_t j = 0; j < D; j++)
      for (size_t r = 0; r < n; r++) {
        const float p = dy[r][j] * x0[r][j];
        s[r] += p;
      }
  }
  for (size_t r = 0; r < n; r++) g[r] = (float)s[r];
}

/* rows [lo, hi): g = Σ_j dy∘x0 (into c->g when set); with c->y set, also dx = dy + g·w */
static cross_nofma void cross_grad_rows(void *vc, size_t lo, size_t hi) {
  const cross_ctx *c = (const cross_ctx *)vc;
  const int64_t D = c->D;
  float g[CROSS_ROWS];
  for (size_t i0 = lo; i0 < hi; i0 += CROSS_ROWS) {
    const size_t n = hi - i0 < CROSS_ROWS ? hi - i0 : CROSS_ROWS;
    cross_row_sums(c, i0, n, g);
    for (size_t r = 0; r < n; r++) {
      const size_t i = i0 + r;
      if (c->g) c->g[i] = g[r];
      if (!c->y) continue;
      const float *dy = c->dy + i * D;
      float *dx = c->y + i * D;
      for (int64_t j = 0; j < D; j++) {
        const float o = g[r] * c->w[j];
        dx[j] = dy[j] + o;
      }
    }
  }
}

static size_t cross_chunk(int64_t D) { return (DFA_PAR_MIN + (size_t)D - 1) / (size_t)D; }

static napi_value cross_fwd(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 8)) return NULL;
  size_t l0, l1, lw, lb, ly, lxw;
  cross_ctx c = {0};
  c.x0 = dfa_f32(&a, 0, &l0);
  if (!c.x0) return NULL;
  c.x = dfa_f32(&a, 1, &l1);
  if (!c.x) return NULL;
  c.w = dfa_f32(&a, 2, &lw);
  if (!c.w) return NULL;
  c.b = dfa_f32(&a, 3, &lb);
  if (!c.b) return NULL;
  c.y = dfa_f32(&a, 4, &ly);
  if (!c.y) return NULL;
  float *xw = dfa_f32(&a, 5, &lxw);
  if (!xw) return NULL;
  const int64_t B = dfa_int(&a, 6), D = dfa_int(&a, 7);
  const size_t n = (size_t)(B * D);
  if (B < 1 || D < 1 || l0 < n || l1 < n || ly < n || lw < (size_t)D || lb < (size_t)D || lxw < (size_t)B)
    DFA_THROW(env, "dfa_native.crossFwd: buffer smaller than its shape");
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (blasint)B, 1, (blasint)D, 1.0f, c.x, (blasint)D, c.w, 1, 0.0f, xw, 1);
  c.xw = xw;
  c.D = D;
  dfa_parallel((size_t)B, cross_chunk(D), cross_fwd_rows, &c);
  return NULL;
}

static napi_value cross_grad_x(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 6)) return NULL;
  size_t ld, l0, lw, lo;
  cross_ctx c = {0};
  c.dy = dfa_f32(&a, 0, &ld);
  if (!c.dy) return NULL;
  c.x0 = dfa_f32(&a, 1, &l0);
  if (!c.x0) return NULL;
  c.w = dfa_f32(&a, 2, &lw);
  if (!c.w) return NULL;
  c.y = dfa_f32(&a, 3, &lo);
  if (!c.y) return NULL;
  const int64_t B = dfa_int(&a, 4), D = dfa_int(&a, 5);
  const size_t n = (size_t)(B * D);
  if (B < 1 || D < 1 || ld < n || l0 < n || lo < n || lw < (size_t)D) DFA_THROW(env, "dfa_native.crossGradX: buffer smaller than its shape");
  c.D = D;
  dfa_parallel((size_t)B, cross_chunk(D), cross_grad_rows, &c);
  return NULL;
}

static napi_value cross_grad_w(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 6)) return NULL;
  size_t ld, l0, l1, lo;
  cross_ctx c = {0};
  c.dy = dfa_f32(&a, 0, &ld);
  if (!c.dy) return NULL;
  c.x0 = dfa_f32(&a, 1, &l0);
  if (!c.x0) return NULL;
  const float *x = dfa_f32(&a, 2, &l1);
  if (!x) return NULL;
  float *dw = dfa_f32(&a, 3, &lo);
  if (!dw) return NULL;
  const int64_t B = dfa_int(&a, 4), D = dfa_int(&a, 5);
  const size_t n = (size_t)(B * D);
  if (B < 1 || D < 1 || ld < n || l0 < n || l1 < n || lo < (size_t)D) DFA_THROW(env, "dfa_native.crossGradW: buffer smaller than its shape");
  c.g = (float *)malloc(sizeof(float) * (size_t)B);
  if (!c.g) DFA_THROW(env, "dfa_native.crossGradW: out of memory");
  c.D = D;
  dfa_parallel((size_t)B, cross_chunk(D), cross_grad_rows, &c);
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (blasint)D, 1, (blasint)B, 1.0f, x, (blasint)D, c.g, 1, 0.0f, dw, 1);
  free(c.g);
  return NULL;
}

void dfa_register_recsys(napi_env env, napi_value exports) {
  dfa_export(env, exports, "lnnExp", lnn_exp);
  dfa_export(env, exports, "lnnExpGrad", lnn_exp_grad);
  dfa_export(env, exports, "embeddingGather", embedding_gather);
  dfa_export(env, exports, "sparseAdam", sparse_adam);
  dfa_export(env, exports, "rowsSumSquares", rows_sum_squares);
  dfa_export(env, exports, "batchNorm", batch_norm);
  dfa_export(env, exports, "batchNormGrad", batch_norm_grad);
  dfa_export(env, exports, "crossFwd", cross_fwd);
  dfa_export(env, exports, "crossGradX", cross_grad_x);
  dfa_export(env, exports, "crossGradW", cross_grad_w);
}
