/* 2-d max and average pooling over NHWC tensors and their gradients, with tfjs cpu's semantics:
 * a window covers only its in-bounds taps; max keeps the first strictly larger value (NaN never
 * wins); average divides by the number of in-bounds taps; the max gradient goes to the first
 * maximum of each window (recomputed from x, as tfjs does); the average gradient spreads dy over
 * the in-bounds taps with the factor 1/(KH·KW) (tfjs's AvgPoolGrad, whatever the padding).
 *
 * maxPool(x, y, geom) / avgPool(x, y, geom)     threaded over output rows (n, oh)
 * maxPoolGrad(dy, x, y|null, dx, geom)          threaded over images (scatter within an image); y, the
 *                                               forward's output, lets 16 channels go at a time
 * avgPoolGrad(dy, dx, geom)                     threaded over images
 * geom.CO = C; channels innermost, so every loop runs over a pixel's contiguous channels. */
#include "conv_geom.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vec16.h"

typedef struct {
  const conv_geom *g;
  const float *a, *b;
  const float *y; /* max gradient: the forward's output, when given */
  float *out;
  int avg;
} pool_ctx;

static void pool_rows(void *vc, size_t lo, size_t hi) {
  pool_ctx *c = (pool_ctx *)vc;
  const conv_geom *g = c->g;
  const int64_t C = g->C;
  int32_t *taps = (int32_t *)malloc(sizeof(int32_t) * (size_t)(g->KH * g->KW));
  if (!taps) abort();
  for (size_t r = lo; r < hi; r++) {
    const int64_t n = (int64_t)r / g->OH, oh = (int64_t)r % g->OH;
    const float *xn = c->a + n * g->H * g->W * C;
    for (int64_t ow = 0; ow < g->OW; ow++) {
      float *y = c->out + ((n * g->OH + oh) * g->OW + ow) * C;
      int nt = 0; /* the window's in-bounds taps, as offsets into the image */
      for (int64_t kh = 0; kh < g->KH; kh++) {
        const int64_t ih = oh * g->SH - g->PT + kh * g->DH;
        if (ih < 0 || ih >= g->H) continue;
        for (int64_t kw = 0; kw < g->KW; kw++) {
          const int64_t iw = ow * g->SW - g->PL + kw * g->DW;
          if (iw >= 0 && iw < g->W) taps[nt++] = (int32_t)((ih * g->W + iw) * C);
        }
      }
      if (c->avg) {
        const float inv = 1.0f / (float)nt; /* no tap in bounds: 0/0 = NaN, as tfjs */
        for (int64_t ch = 0; ch < C; ch++) y[ch] = 0.f;
        for (int t = 0; t < nt; t++) for (int64_t ch = 0; ch < C; ch++) y[ch] += xn[taps[t] + ch];
        if (nt) for (int64_t ch = 0; ch < C; ch++) y[ch] *= inv;
        else for (int64_t ch = 0; ch < C; ch++) y[ch] = NAN;
      } else if (C < 16) { /* few channels: one channel at a time, the maximum in a register */
        for (int64_t ch = 0; ch < C; ch++) {
          float m = -INFINITY;
          for (int t = 0; t < nt; t++) {
            const float v = xn[taps[t] + ch];
            m = v > m ? v : m;
          }
          y[ch] = m;
        }
      } else {
        for (int64_t ch = 0; ch < C; ch++) y[ch] = -INFINITY;
        for (int t = 0; t < nt; t++) {
          const float *x = xn + taps[t];
          for (int64_t ch = 0; ch < C; ch++) y[ch] = x[ch] > y[ch] ? x[ch] : y[ch];
        }
      }
    }
  }
  free(taps);
}

/* Images [lo, hi): dx = 0, then each window's dy goes to its first maximum. Per window the
 * in-bounds taps are listed once; few channels run one channel at a time over the taps (the
 * running maximum stays in registers), many channels vectorise over channels with a branch-free
 * update. Positions are int32 offsets within an image (the JS side keeps images below 2^31 values). */
static void max_grad_images(void *vc, size_t lo, size_t hi) {
  pool_ctx *c = (pool_ctx *)vc;
  const conv_geom *g = c->g;
  const int64_t C = g->C;
  float *best = (float *)malloc(sizeof(float) * (size_t)C);
  int32_t *pos = (int32_t *)malloc(sizeof(int32_t) * (size_t)C);
  int32_t *taps = (int32_t *)malloc(sizeof(int32_t) * (size_t)(g->KH * g->KW));
  if (!best || !pos || !taps) abort(); /* small: cannot fail short of a broken heap */
  for (size_t n = lo; n < hi; n++) {
    const float *xn = c->b + (int64_t)n * g->H * g->W * C;
    float *dxn = c->out + (int64_t)n * g->H * g->W * C;
    memset(dxn, 0, sizeof(float) * (size_t)(g->H * g->W * C));
    for (int64_t oh = 0; oh < g->OH; oh++) {
      for (int64_t ow = 0; ow < g->OW; ow++) {
        int nt = 0;
        for (int64_t kh = 0; kh < g->KH; kh++) {
          const int64_t ih = oh * g->SH - g->PT + kh * g->DH;
          if (ih < 0 || ih >= g->H) continue;
          for (int64_t kw = 0; kw < g->KW; kw++) {
            const int64_t iw = ow * g->SW - g->PL + kw * g->DW;
            if (iw >= 0 && iw < g->W) taps[nt++] = (int32_t)((ih * g->W + iw) * C);
          }
        }
        const float *dy = c->a + (((int64_t)n * g->OH + oh) * g->OW + ow) * C;
        if (C < 16) {
          for (int64_t ch = 0; ch < C; ch++) {
            float b = -INFINITY;
            int32_t p = -1;
            for (int t = 0; t < nt; t++) {
              const float v = xn[taps[t] + ch];
              if (v > b) { b = v; p = taps[t]; }
            }
            if (p >= 0) dxn[p + ch] += dy[ch];
          }
          continue;
        }
        if (c->y && C % VL == 0) {
          /* 16 channels at a time: the first tap equal to the window's maximum y takes dy (a
           * maximum of -inf, or NaN only, is no tap's: tfjs's strict > never picks one) */
          const float *yv = c->y + (((int64_t)n * g->OH + oh) * g->OW + ow) * C;
          for (int64_t c0 = 0; c0 < C; c0 += VL) {
            const vf m = vload(yv + c0), d = vload(dy + c0);
            vi left = m > -INFINITY;
            for (int t = 0; t < nt; t++) {
              const vi hit = (vload(xn + taps[t] + c0) == m) & left;
              float *p = dxn + taps[t] + c0;
              vstore(p, vload(p) + (vf)((vi)d & hit));
              left &= ~hit;
            }
          }
          continue;
        }
        for (int64_t ch = 0; ch < C; ch++) { best[ch] = -INFINITY; pos[ch] = -1; }
        for (int t = 0; t < nt; t++) {
          const int32_t p = taps[t];
          const float *x = xn + p;
          for (int64_t ch = 0; ch < C; ch++) {
            const int gt = x[ch] > best[ch];
            best[ch] = gt ? x[ch] : best[ch];
            pos[ch] = gt ? p : pos[ch];
          }
        }
        for (int64_t ch = 0; ch < C; ch++) if (pos[ch] >= 0) dxn[pos[ch] + ch] += dy[ch];
      }
    }
  }
  free(best);
  free(pos);
  free(taps);
}

/* Images [lo, hi): dx = Σ over the windows containing each tap of dy / (KH·KW). */
static void avg_grad_images(void *vc, size_t lo, size_t hi) {
  pool_ctx *c = (pool_ctx *)vc;
  const conv_geom *g = c->g;
  const int64_t C = g->C;
  const float mult = 1.0f / (float)(g->KH * g->KW);
  for (size_t n = lo; n < hi; n++) {
    float *dxn = c->out + (int64_t)n * g->H * g->W * C;
    memset(dxn, 0, sizeof(float) * (size_t)(g->H * g->W * C));
    for (int64_t oh = 0; oh < g->OH; oh++) {
      for (int64_t ow = 0; ow < g->OW; ow++) {
        const float *dy = c->a + (((int64_t)n * g->OH + oh) * g->OW + ow) * C;
        for (int64_t kh = 0; kh < g->KH; kh++) {
          const int64_t ih = oh * g->SH - g->PT + kh * g->DH;
          if (ih < 0 || ih >= g->H) continue;
          for (int64_t kw = 0; kw < g->KW; kw++) {
            const int64_t iw = ow * g->SW - g->PL + kw * g->DW;
            if (iw < 0 || iw >= g->W) continue;
            float *d = dxn + (ih * g->W + iw) * C;
            for (int64_t ch = 0; ch < C; ch++) d[ch] += dy[ch] * mult;
          }
        }
      }
    }
  }
}

typedef enum { P_MAX, P_AVG, P_MAX_GRAD, P_AVG_GRAD } pool_kind;

static napi_value pool_run(napi_env env, napi_callback_info info, pool_kind kind) {
  const size_t nargs = kind == P_MAX_GRAD ? 5 : 3;
  dfa_args a;
  if (!dfa_get_args(env, info, &a, nargs)) return NULL;
  conv_geom g;
  size_t l0, l1 = 0, lo;
  const float *p0 = dfa_f32(&a, 0, &l0);
  if (!p0) return NULL;
  const float *p1 = NULL, *yv = NULL;
  size_t ly = 0;
  if (kind == P_MAX_GRAD) {
    p1 = dfa_f32(&a, 1, &l1);
    if (!p1) return NULL;
    napi_valuetype vt;
    napi_typeof(env, a.argv[2], &vt);
    if (vt == napi_object) {
      yv = dfa_f32(&a, 2, &ly);
      if (!yv) return NULL;
    }
  }
  float *out = dfa_f32(&a, nargs - 2, &lo);
  if (!out) return NULL;
  if (!conv_geom_read(&a, nargs - 1, &g, "dfa_native.pool: geometry must be 15 int32 values with positive strides and dilations")) return NULL;
  if (g.CO != g.C) DFA_THROW(env, "dfa_native.pool: output channels must equal input channels");
  const int64_t in = conv_in_size(&g), outn = conv_out_size(&g);
  const int grad = kind == P_MAX_GRAD || kind == P_AVG_GRAD;
  if ((int64_t)l0 < (grad ? outn : in) || (int64_t)lo < (grad ? in : outn) || (kind == P_MAX_GRAD && (int64_t)l1 < in) || (yv && (int64_t)ly < outn))
    DFA_THROW(env, "dfa_native.pool: buffer smaller than its shape");
  pool_ctx c = {&g, p0, p1, yv, out, kind == P_AVG};
  if (!grad) {
    if (outn) dfa_parallel((size_t)(g.N * g.OH), 1, pool_rows, &c);
  } else if (in) {
    dfa_parallel_tasks((size_t)g.N, kind == P_MAX_GRAD ? max_grad_images : avg_grad_images, &c);
  }
  return NULL;
}

static napi_value max_pool(napi_env env, napi_callback_info info) { return pool_run(env, info, P_MAX); }
static napi_value avg_pool(napi_env env, napi_callback_info info) { return pool_run(env, info, P_AVG); }
static napi_value max_pool_grad(napi_env env, napi_callback_info info) { return pool_run(env, info, P_MAX_GRAD); }
static napi_value avg_pool_grad(napi_env env, napi_callback_info info) { return pool_run(env, info, P_AVG_GRAD); }

void dfa_register_pool(napi_env env, napi_value exports) {
  dfa_export(env, exports, "maxPool", max_pool);
  dfa_export(env, exports, "avgPool", avg_pool);
  dfa_export(env, exports, "maxPoolGrad", max_pool_grad);
  dfa_export(env, exports, "avgPoolGrad", avg_pool_grad);
}
