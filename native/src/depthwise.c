/* Depthwise 2-d convolution over NHWC tensors (tfjs's DepthwiseConv2dNative family): filter
 * [KH, KW, C, M], output channel c·M + m = Σ_taps x[.., c] · w[kh, kw, c, m]. Direct loops
 * (a depthwise window is too small for a GEMM), the channel loop innermost so it vectorises.
 *
 * depthwiseConv2d(x, w, y, geom)                 threaded over output rows (n, oh)
 * depthwiseBackpropInput(dy, w, dx, geom)        gathered per input row (n, ih), threaded
 * depthwiseBackpropFilter(x, dy, dw, geom)       per-thread partial sums over images, then added
 * geom.CO = C·M. The backward kernels take dilation 1 only (as tfjs's gradient does). */
#include "conv_geom.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const conv_geom *g;
  const float *a, *b;
  float *out;
  float *parts; /* backprop filter: one [KH·KW·C·M] buffer per task */
  int64_t tasks;
} dw_ctx;

static void dw_fwd_rows(void *vc, size_t lo, size_t hi) {
  dw_ctx *c = (dw_ctx *)vc;
  const conv_geom *g = c->g;
  const int64_t C = g->C, CO = g->CO, M = CO / (C ? C : 1);
  for (size_t r = lo; r < hi; r++) {
    const int64_t n = (int64_t)r / g->OH, oh = (int64_t)r % g->OH;
    for (int64_t ow = 0; ow < g->OW; ow++) {
      float *y = c->out + ((n * g->OH + oh) * g->OW + ow) * CO;
      memset(y, 0, sizeof(float) * (size_t)CO);
      for (int64_t kh = 0; kh < g->KH; kh++) {
        const int64_t ih = oh * g->SH - g->PT + kh * g->DH;
        if (ih < 0 || ih >= g->H) continue;
        for (int64_t kw = 0; kw < g->KW; kw++) {
          const int64_t iw = ow * g->SW - g->PL + kw * g->DW;
          if (iw < 0 || iw >= g->W) continue;
          const float *x = c->a + ((n * g->H + ih) * g->W + iw) * C;
          const float *w = c->b + (kh * g->KW + kw) * CO;
          if (M == 1) for (int64_t ch = 0; ch < C; ch++) y[ch] += x[ch] * w[ch];
          else for (int64_t ch = 0; ch < C; ch++) for (int64_t m = 0; m < M; m++) y[ch * M + m] += x[ch] * w[ch * M + m];
        }
      }
    }
  }
}

/* dx[n, ih, iw, c] = Σ over the (oh, ow, kh, kw) that read it of Σ_m dy[n, oh, ow, c·M + m] · w[kh, kw, c, m]. */
static void dw_bwd_input_rows(void *vc, size_t lo, size_t hi) {
  dw_ctx *c = (dw_ctx *)vc;
  const conv_geom *g = c->g;
  const int64_t C = g->C, CO = g->CO, M = CO / (C ? C : 1);
  for (size_t r = lo; r < hi; r++) {
    const int64_t n = (int64_t)r / g->H, ih = (int64_t)r % g->H;
    for (int64_t iw = 0; iw < g->W; iw++) {
      float *dx = c->out + ((n * g->H + ih) * g->W + iw) * C;
      memset(dx, 0, sizeof(float) * (size_t)C);
      for (int64_t kh = 0; kh < g->KH; kh++) {
        const int64_t th = ih + g->PT - kh;
        if (th < 0 || th % g->SH) continue;
        const int64_t oh = th / g->SH;
        if (oh >= g->OH) continue;
        for (int64_t kw = 0; kw < g->KW; kw++) {
          const int64_t tw = iw + g->PL - kw;
          if (tw < 0 || tw % g->SW) continue;
          const int64_t ow = tw / g->SW;
          if (ow >= g->OW) continue;
          const float *dy = c->a + ((n * g->OH + oh) * g->OW + ow) * CO;
          const float *w = c->b + (kh * g->KW + kw) * CO;
          if (M == 1) for (int64_t ch = 0; ch < C; ch++) dx[ch] += dy[ch] * w[ch];
          else for (int64_t ch = 0; ch < C; ch++) {
            float s = 0.f;
            for (int64_t m = 0; m < M; m++) s += dy[ch * M + m] * w[ch * M + m];
            dx[ch] += s;
          }
        }
      }
    }
  }
}

/* Task t sums the images [t·N/T, (t+1)·N/T) into its own partial filter gradient. */
static void dw_bwd_filter_tasks(void *vc, size_t lo, size_t hi) {
  dw_ctx *c = (dw_ctx *)vc;
  const conv_geom *g = c->g;
  const int64_t C = g->C, CO = g->CO, M = CO / (C ? C : 1), KC = g->KH * g->KW * CO;
  for (size_t t = lo; t < hi; t++) {
    float *dw = c->parts + (int64_t)t * KC;
    memset(dw, 0, sizeof(float) * (size_t)KC);
    const int64_t n0 = g->N * (int64_t)t / c->tasks, n1 = g->N * ((int64_t)t + 1) / c->tasks;
    for (int64_t n = n0; n < n1; n++) {
      for (int64_t oh = 0; oh < g->OH; oh++) {
        for (int64_t ow = 0; ow < g->OW; ow++) {
          const float *dy = c->b + ((n * g->OH + oh) * g->OW + ow) * CO;
          for (int64_t kh = 0; kh < g->KH; kh++) {
            const int64_t ih = oh * g->SH - g->PT + kh;
            if (ih < 0 || ih >= g->H) continue;
            for (int64_t kw = 0; kw < g->KW; kw++) {
              const int64_t iw = ow * g->SW - g->PL + kw;
              if (iw < 0 || iw >= g->W) continue;
              const float *x = c->a + ((n * g->H + ih) * g->W + iw) * C;
              float *d = dw + (kh * g->KW + kw) * CO;
              if (M == 1) for (int64_t ch = 0; ch < C; ch++) d[ch] += x[ch] * dy[ch];
              else for (int64_t ch = 0; ch < C; ch++) for (int64_t m = 0; m < M; m++) d[ch * M + m] += x[ch] * dy[ch * M + m];
            }
          }
        }
      }
    }
  }
}

typedef enum { DW_FWD, DW_BWD_INPUT, DW_BWD_FILTER } dw_kind;

static napi_value dw_run(napi_env env, napi_callback_info info, dw_kind kind) {
  static const char *names[] = {"dfa_native.depthwiseConv2d", "dfa_native.depthwiseBackpropInput", "dfa_native.depthwiseBackpropFilter"};
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 4)) return NULL;
  conv_geom g;
  size_t l0, l1, l2;
  const float *p0 = dfa_f32(&a, 0, &l0);
  if (!p0) return NULL;
  const float *p1 = dfa_f32(&a, 1, &l1);
  if (!p1) return NULL;
  float *out = dfa_f32(&a, 2, &l2);
  if (!out) return NULL;
  if (!conv_geom_read(&a, 3, &g, "dfa_native.depthwise*: geometry must be 15 int32 values with positive strides and dilations")) return NULL;
  const int64_t in = conv_in_size(&g), outn = conv_out_size(&g), filt = g.KH * g.KW * g.CO;
  if ((g.C == 0 && g.CO != 0) || (g.C && g.CO % g.C)) DFA_THROW(env, "dfa_native.depthwise*: output channels must be a multiple of the input channels");
  if (kind != DW_FWD && (g.DH != 1 || g.DW != 1)) DFA_THROW(env, "dfa_native.depthwise*: the backward kernels take dilation 1 only");
  int ok;
  switch (kind) {
    case DW_FWD: ok = (int64_t)l0 >= in && (int64_t)l1 >= filt && (int64_t)l2 >= outn; break;
    case DW_BWD_INPUT: ok = (int64_t)l0 >= outn && (int64_t)l1 >= filt && (int64_t)l2 >= in; break;
    default: ok = (int64_t)l0 >= in && (int64_t)l1 >= outn && (int64_t)l2 >= filt; break;
  }
  if (!ok) {
    char msg[128];
    snprintf(msg, sizeof msg, "%s: buffer smaller than its shape", names[kind]);
    DFA_THROW(env, msg);
  }
  dw_ctx c = {&g, p0, p1, out, NULL, 0};
  if (kind == DW_FWD) {
    if (outn) dfa_parallel((size_t)(g.N * g.OH), 1, dw_fwd_rows, &c);
  } else if (kind == DW_BWD_INPUT) {
    if (in) dfa_parallel((size_t)(g.N * g.H), 1, dw_bwd_input_rows, &c);
  } else {
    if (filt == 0) return NULL;
    int64_t T = dfa_num_threads();
    if (T > g.N) T = g.N;
    if (T < 1) T = 1;
    float *parts = T > 1 ? (float *)malloc(sizeof(float) * (size_t)(T * filt)) : out;
    if (!parts) DFA_THROW(env, "dfa_native.depthwiseBackpropFilter: out of memory");
    c.parts = parts;
    c.tasks = T;
    dfa_parallel_tasks((size_t)T, dw_bwd_filter_tasks, &c);
    if (T > 1) {
      memcpy(out, parts, sizeof(float) * (size_t)filt);
      for (int64_t t = 1; t < T; t++) for (int64_t i = 0; i < filt; i++) out[i] += parts[t * filt + i];
      free(parts);
    }
  }
  return NULL;
}

static napi_value dw_fwd(napi_env env, napi_callback_info info) { return dw_run(env, info, DW_FWD); }
static napi_value dw_bwd_input(napi_env env, napi_callback_info info) { return dw_run(env, info, DW_BWD_INPUT); }
static napi_value dw_bwd_filter(napi_env env, napi_callback_info info) { return dw_run(env, info, DW_BWD_FILTER); }

void dfa_register_depthwise(napi_env env, napi_value exports) {
  dfa_export(env, exports, "depthwiseConv2d", dw_fwd);
  dfa_export(env, exports, "depthwiseBackpropInput", dw_bwd_input);
  dfa_export(env, exports, "depthwiseBackpropFilter", dw_bwd_filter);
}
