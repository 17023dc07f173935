/* Fused kernels of the recommender models: AFN's logarithmic-layer activation.
 * lnnExp(z, out, B, D, L): z [B·D, L] (rows (b, d): the LNN GEMM's output), out [B, L·D] in
 *   torch's layout (LNN neuron major, then embedding dim): out[b, l·D + d] = relu(expm1(z)).
 * lnnExpGrad(dy, y, dz, B, D, L): dz[(b·D + d), l] = dy[b, l·D + d] · exp(z) where y > 0, else 0;
 *   exp(z) = y + 1 comes from the saved output, so z is not kept.
 * tfjs composes the forward from Expm1, Relu and two Transposes and the backward from four
 * activation-sized passes; here each direction is one pass, threaded over the batch. */
#include "common.h"
#include <math.h>

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

void dfa_register_recsys(napi_env env, napi_value exports) {
  dfa_export(env, exports, "lnnExp", lnn_exp);
  dfa_export(env, exports, "lnnExpGrad", lnn_exp_grad);
}
