/* 2-d convolution over NHWC tensors with HWIO filters (tfjs's Conv2D family), as im2col + GEMM:
 * the filter [KH, KW, C, CO] is the matrix [K = KH·KW·C, CO], and each output pixel's window,
 * laid out in the same (kh, kw, c) order, is a row of the column matrix [rows, K].
 *
 * conv2d(x, w, bias|null, y, geom)          y[rows, CO] = col(x) · w (+ bias per channel)
 * conv2dBackpropInput(dy, w, dx, geom)      dx = col2im(dy · wᵀ)
 * conv2dBackpropFilter(x, dy, dw, geom)     dw = col(x)ᵀ · dy
 *
 * The column matrix is built a few images at a time (COL_BYTES) so it stays in cache and never
 * grows with the batch; im2col and col2im are threaded (parallel.c), the GEMMs run on OpenBLAS's
 * threads. A 1x1 convolution with stride 1 and no padding is a plain GEMM on x itself. */
#include "conv_geom.h"
#include <cblas.h>
#include <stdlib.h>
#include <string.h>

#define COL_BYTES ((size_t)4 << 20) /* column-matrix chunk: a few MB, within L2 + L3 */

typedef struct {
  const conv_geom *g;
  const float *x; /* input (im2col) */
  float *col;
  float *dx;          /* col2im target */
  const float *dcol;
  int64_t n0;         /* first image of the chunk */
} col_ctx;

static int64_t col_k(const conv_geom *g) { return g->KH * g->KW * g->C; }

/* Rows [lo, hi) of the chunk's column matrix (row r = image n0 + r / (OH·OW), pixel r % (OH·OW)). */
static void im2col_rows(void *vc, size_t lo, size_t hi) {
  col_ctx *c = (col_ctx *)vc;
  const conv_geom *g = c->g;
  const int64_t K = col_k(g), C = g->C, P = g->OH * g->OW;
  for (size_t r = lo; r < hi; r++) {
    const int64_t n = c->n0 + (int64_t)r / P, p = (int64_t)r % P, oh = p / g->OW, ow = p % g->OW;
    const float *xn = c->x + n * g->H * g->W * C;
    float *dst = c->col + r * K;
    for (int64_t kh = 0; kh < g->KH; kh++) {
      const int64_t ih = oh * g->SH - g->PT + kh * g->DH;
      for (int64_t kw = 0; kw < g->KW; kw++, dst += C) {
        const int64_t iw = ow * g->SW - g->PL + kw * g->DW;
        if (ih < 0 || ih >= g->H || iw < 0 || iw >= g->W) memset(dst, 0, sizeof(float) * (size_t)C);
        else if (C == 1) *dst = xn[ih * g->W + iw];
        else memcpy(dst, xn + (ih * g->W + iw) * C, sizeof(float) * (size_t)C);
      }
    }
  }
}

/* Images [lo, hi) of the chunk: dx[n] += Σ over its rows of dcol scattered back to their windows. */
static void col2im_images(void *vc, size_t lo, size_t hi) {
  col_ctx *c = (col_ctx *)vc;
  const conv_geom *g = c->g;
  const int64_t K = col_k(g), C = g->C, P = g->OH * g->OW;
  for (size_t i = lo; i < hi; i++) {
    float *dxn = c->dx + (c->n0 + (int64_t)i) * g->H * g->W * C;
    const float *src = c->dcol + (int64_t)i * P * K;
    for (int64_t oh = 0; oh < g->OH; oh++) {
      for (int64_t ow = 0; ow < g->OW; ow++) {
        for (int64_t kh = 0; kh < g->KH; kh++) {
          const int64_t ih = oh * g->SH - g->PT + kh * g->DH;
          for (int64_t kw = 0; kw < g->KW; kw++, src += C) {
            const int64_t iw = ow * g->SW - g->PL + kw * g->DW;
            if (ih < 0 || ih >= g->H || iw < 0 || iw >= g->W) continue;
            float *d = dxn + (ih * g->W + iw) * C;
            for (int64_t ch = 0; ch < C; ch++) d[ch] += src[ch];
          }
        }
      }
    }
  }
}

static int is_pointwise(const conv_geom *g) {
  return g->KH == 1 && g->KW == 1 && g->SH == 1 && g->SW == 1 && g->PT == 0 && g->PL == 0 && g->OH == g->H && g->OW == g->W;
}

/* Images per chunk so that the chunk's column matrix stays near COL_BYTES. */
static int64_t chunk_images(const conv_geom *g) {
  const size_t per = sizeof(float) * (size_t)(g->OH * g->OW * col_k(g));
  int64_t nb = per ? (int64_t)(COL_BYTES / per) : g->N;
  if (nb < 1) nb = 1;
  return nb > g->N ? g->N : nb;
}

static void run_im2col(col_ctx *c, int64_t rows) {
  const size_t K = (size_t)col_k(c->g);
  dfa_parallel((size_t)rows, (DFA_PAR_MIN / 4 + K - 1) / K, im2col_rows, c);
}

static void fill_bias(float *y, const float *bias, size_t lbias, int64_t rows, int64_t CO) {
  for (int64_t r = 0; r < rows; r++) {
    float *yr = y + r * CO;
    if (lbias == 1) for (int64_t o = 0; o < CO; o++) yr[o] = bias[0];
    else memcpy(yr, bias, sizeof(float) * (size_t)CO);
  }
}

static napi_value conv2d(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 5)) return NULL;
  conv_geom g;
  size_t lx, lw, ly, lb = 0;
  const float *x = dfa_f32(&a, 0, &lx);
  if (!x) return NULL;
  const float *w = dfa_f32(&a, 1, &lw);
  if (!w) return NULL;
  const float *bias = NULL;
  napi_valuetype vt;
  napi_typeof(env, a.argv[2], &vt);
  if (vt == napi_object) {
    bias = dfa_f32(&a, 2, &lb);
    if (!bias) return NULL;
  }
  float *y = dfa_f32(&a, 3, &ly);
  if (!y) return NULL;
  if (!conv_geom_read(&a, 4, &g, "dfa_native.conv2d: geometry must be 15 int32 values with positive strides and dilations")) return NULL;
  const int64_t K = col_k(&g), CO = g.CO;
  if ((int64_t)lx < conv_in_size(&g) || (int64_t)lw < K * CO || (int64_t)ly < conv_out_size(&g))
    DFA_THROW(env, "dfa_native.conv2d: buffer smaller than its shape");
  if (bias && lb != (size_t)CO && lb != 1) DFA_THROW(env, "dfa_native.conv2d: bias must have CO values or 1");
  const int64_t rows = g.N * g.OH * g.OW;
  if (rows == 0 || CO == 0) return NULL;
  if (bias) fill_bias(y, bias, lb, rows, CO);
  const float beta = bias ? 1.0f : 0.0f;
  if (K == 0) {
    if (!bias) memset(y, 0, sizeof(float) * (size_t)(rows * CO));
    return NULL;
  }
  if (is_pointwise(&g)) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (blasint)rows, (blasint)CO, (blasint)K, 1.0f, x, (blasint)K, w, (blasint)CO, beta, y, (blasint)CO);
    return NULL;
  }
  const int64_t nb = chunk_images(&g), P = g.OH * g.OW;
  float *col = (float *)malloc(sizeof(float) * (size_t)(nb * P * K));
  if (!col) DFA_THROW(env, "dfa_native.conv2d: out of memory for the column matrix");
  col_ctx c = {&g, x, col, NULL, NULL, 0};
  for (int64_t n0 = 0; n0 < g.N; n0 += nb) {
    const int64_t m = (n0 + nb > g.N ? g.N - n0 : nb) * P;
    c.n0 = n0;
    run_im2col(&c, m);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (blasint)m, (blasint)CO, (blasint)K, 1.0f, col, (blasint)K, w, (blasint)CO, beta, y + n0 * P * CO, (blasint)CO);
  }
  free(col);
  return NULL;
}

static napi_value conv2d_backprop_input(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 4)) return NULL;
  conv_geom g;
  size_t ldy, lw, ldx;
  const float *dy = dfa_f32(&a, 0, &ldy);
  if (!dy) return NULL;
  const float *w = dfa_f32(&a, 1, &lw);
  if (!w) return NULL;
  float *dx = dfa_f32(&a, 2, &ldx);
  if (!dx) return NULL;
  if (!conv_geom_read(&a, 3, &g, "dfa_native.conv2dBackpropInput: geometry must be 15 int32 values with positive strides and dilations")) return NULL;
  const int64_t K = col_k(&g), CO = g.CO, P = g.OH * g.OW;
  if ((int64_t)ldy < conv_out_size(&g) || (int64_t)lw < K * CO || (int64_t)ldx < conv_in_size(&g))
    DFA_THROW(env, "dfa_native.conv2dBackpropInput: buffer smaller than its shape");
  if (conv_in_size(&g) == 0) return NULL;
  if (is_pointwise(&g) && CO > 0) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (blasint)(g.N * P), (blasint)K, (blasint)CO, 1.0f, dy, (blasint)CO, w, (blasint)CO, 0.0f, dx, (blasint)K);
    return NULL;
  }
  memset(dx, 0, sizeof(float) * (size_t)conv_in_size(&g));
  if (P == 0 || CO == 0 || K == 0) return NULL;
  const int64_t nb = chunk_images(&g);
  float *dcol = (float *)malloc(sizeof(float) * (size_t)(nb * P * K));
  if (!dcol) DFA_THROW(env, "dfa_native.conv2dBackpropInput: out of memory for the column matrix");
  col_ctx c = {&g, NULL, NULL, dx, dcol, 0};
  for (int64_t n0 = 0; n0 < g.N; n0 += nb) {
    const int64_t images = n0 + nb > g.N ? g.N - n0 : nb, m = images * P;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (blasint)m, (blasint)K, (blasint)CO, 1.0f, dy + n0 * P * CO, (blasint)CO, w, (blasint)CO, 0.0f, dcol, (blasint)K);
    c.n0 = n0;
    dfa_parallel_tasks((size_t)images, col2im_images, &c);
  }
  free(dcol);
  return NULL;
}

static napi_value conv2d_backprop_filter(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 4)) return NULL;
  conv_geom g;
  size_t lx, ldy, ldw;
  const float *x = dfa_f32(&a, 0, &lx);
  if (!x) return NULL;
  const float *dy = dfa_f32(&a, 1, &ldy);
  if (!dy) return NULL;
  float *dw = dfa_f32(&a, 2, &ldw);
  if (!dw) return NULL;
  if (!conv_geom_read(&a, 3, &g, "dfa_native.conv2dBackpropFilter: geometry must be 15 int32 values with positive strides and dilations")) return NULL;
  const int64_t K = col_k(&g), CO = g.CO, P = g.OH * g.OW;
  if ((int64_t)lx < conv_in_size(&g) || (int64_t)ldy < conv_out_size(&g) || (int64_t)ldw < K * CO)
    DFA_THROW(env, "dfa_native.conv2dBackpropFilter: buffer smaller than its shape");
  if (K * CO == 0) return NULL;
  if (g.N * P == 0) {
    memset(dw, 0, sizeof(float) * (size_t)(K * CO));
    return NULL;
  }
  if (is_pointwise(&g)) {
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (blasint)K, (blasint)CO, (blasint)(g.N * P), 1.0f, x, (blasint)K, dy, (blasint)CO, 0.0f, dw, (blasint)CO);
    return NULL;
  }
  const int64_t nb = chunk_images(&g);
  float *col = (float *)malloc(sizeof(float) * (size_t)(nb * P * K));
  if (!col) DFA_THROW(env, "dfa_native.conv2dBackpropFilter: out of memory for the column matrix");
  col_ctx c = {&g, x, col, NULL, NULL, 0};
  for (int64_t n0 = 0; n0 < g.N; n0 += nb) {
    const int64_t m = (n0 + nb > g.N ? g.N - n0 : nb) * P;
    c.n0 = n0;
    run_im2col(&c, m);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (blasint)K, (blasint)CO, (blasint)m, 1.0f, col, (blasint)K, dy + n0 * P * CO, (blasint)CO, n0 ? 1.0f : 0.0f, dw, (blasint)CO);
  }
  free(col);
  return NULL;
}

void dfa_register_conv(napi_env env, napi_value exports) {
  dfa_export(env, exports, "conv2d", conv2d);
  dfa_export(env, exports, "conv2dBackpropInput", conv2d_backprop_input);
  dfa_export(env, exports, "conv2dBackpropFilter", conv2d_backprop_filter);
}
