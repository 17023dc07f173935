/* 2-d convolution over NHWC tensors with HWIO filters (tfjs's Conv2D family).
 *
 * conv2d(x, w, bias|null, y, geom)          y = conv(x, w) (+ bias per channel)
 * conv2dBackpropInput(dy, w, dx, geom)      dx, the gradient of x
 * conv2dBackpropFilter(x, dy, dw, geom)     dw, the gradient of w
 *
 * Each picks the fastest of four ways for the layer's shape:
 *  - register-tiled direct kernels for many channels (conv_tiles.c: forward and stride-1 dx with
 *    >= 8 input and >= 24 output channels; dw for channel counts in multiples of 8 x 32 or 6 x 16);
 *  - a direct kernel vectorised along the output width for few input channels (below: forward
 *    up to 8, dw up to 4: a network's first layer on grey or RGB images);
 *  - dx by scattering each output pixel's window for short filter rows (conv_tiles.c);
 *  - otherwise im2col + OpenBLAS GEMM: the filter [KH, KW, C, CO] is the matrix [K = KH·KW·C, CO]
 *    and each output pixel's window, in the same (kh, kw, c) order, a row of the column matrix,
 *    built a few images at a time (COL_BYTES) so it stays in cache and never grows with the
 *    batch; im2col and col2im are threaded (parallel.c), the GEMMs run on OpenBLAS's threads. A
 *    1x1 convolution with stride 1 and no padding is a plain GEMM on x itself.
 * DFA_CONV_GEMM=1 in the environment forces the im2col + GEMM way (to compare). */
#include "conv_geom.h"
#include "conv_tiles.h"
#include "vec16.h"
#include <cblas.h>
#include <stdlib.h>
#include <string.h>

/* DFA_CONV_GEMM=1: only the im2col + GEMM way (for comparisons) */
static int gemm_forced(void) { return getenv("DFA_CONV_GEMM") != NULL; }

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

/* The register-tiled kernel (conv_tiles.c) for many input and output channels: its 32-channel
 * tiles waste little above 24 output channels, and 8+ input channels amortise a tap's set-up. */
static int use_tiles(const conv_geom *g) { return g->C >= 8 && g->CO >= 24 && !gemm_forced(); }

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

/* ---- Direct path for few input channels (a network's first layer: grey or RGB images) ----
 * With few channels (C <= DIRECT_MAX_C) a column matrix is mostly copying overhead (K = KH·KW·C values per row,
 * a few bytes each) and the GEMM is too thin to pay. Instead, per output row (n, oh), the KH
 * input rows it reads are gathered once into planar, zero-padded rows xp[kh][c][·]; an output
 * pixel's tap (kh, kw) is then xp[kh][c][ow + kw·DW], contiguous along ow, and the loops run
 * 16 output pixels at a time in one vector register (GCC/clang vector extensions).
 * Stride 1 along the width (the runs must be contiguous); any dilation and padding. */
#define DIRECT_MAX_C 8        /* forward */
#define DIRECT_MAX_C_FILTER 4 /* filter gradient: above it the GEMM wins */
#define LANES VL

static int use_direct(const conv_geom *g, int64_t max_c) { return g->C <= max_c && g->SW == 1 && g->OW >= 8 && !gemm_forced(); }

typedef struct {
  const conv_geom *g;
  const float *x, *w, *bias, *dy;
  size_t lbias;
  float *y;
  float *parts; /* filter gradient: one [K, CO] buffer per task */
  int64_t tasks;
} direct_ctx;

static int64_t direct_owp(const conv_geom *g) { return (g->OW + LANES - 1) / LANES * LANES; }
/* Padded planar row length: output pixel ow (< OWp), tap kw reads xp[ow + kw·DW]. */
static int64_t direct_len(const conv_geom *g) { return direct_owp(g) + (g->KW - 1) * g->DW; }

/* xp[kh][c][j] = x[n, oh·SH − PT + kh·DH, j − PL, c] (0 outside the image); valid[kh] = row inside. */
static void gather_rows(const conv_geom *g, const float *x, int64_t n, int64_t oh, float *xp, int *valid) {
  const int64_t C = g->C, len = direct_len(g);
  for (int64_t kh = 0; kh < g->KH; kh++) {
    const int64_t ih = oh * g->SH - g->PT + kh * g->DH;
    valid[kh] = ih >= 0 && ih < g->H;
    if (!valid[kh]) continue;
    const float *xr = x + (n * g->H + ih) * g->W * C;
    for (int64_t c = 0; c < C; c++) {
      float *d = xp + (kh * C + c) * len;
      for (int64_t j = 0; j < len; j++) {
        const int64_t iw = j - g->PL;
        d[j] = iw >= 0 && iw < g->W ? xr[iw * C + c] : 0.f;
      }
    }
  }
}

static void direct_fwd_rows(void *vc, size_t lo, size_t hi) {
  direct_ctx *c = (direct_ctx *)vc;
  const conv_geom *g = c->g;
  const int64_t C = g->C, CO = g->CO, OW = g->OW, len = direct_len(g);
  float *xp = (float *)malloc(sizeof(float) * (size_t)(g->KH * C * len));
  int *valid = (int *)malloc(sizeof(int) * (size_t)g->KH);
  if (!xp || !valid) abort();
  for (size_t r = lo; r < hi; r++) {
    const int64_t n = (int64_t)r / g->OH, oh = (int64_t)r % g->OH;
    gather_rows(g, c->x, n, oh, xp, valid);
    float *yr = c->y + ((n * g->OH + oh) * OW) * CO;
    /* 4 output channels at a time: each load of xp serves 4 accumulators */
    for (int64_t co0 = 0; co0 < CO; co0 += 4) {
      const int64_t nco = CO - co0 < 4 ? CO - co0 : 4;
      for (int64_t ow0 = 0; ow0 < OW; ow0 += LANES) {
        vf acc[4];
        for (int j = 0; j < 4; j++) acc[j] = vsplat(c->bias && j < nco ? c->bias[c->lbias == 1 ? 0 : co0 + j] : 0.f);
        for (int64_t kh = 0; kh < g->KH; kh++) {
          if (!valid[kh]) continue;
          for (int64_t kw = 0; kw < g->KW; kw++) {
            const float *xs = xp + kh * C * len + ow0 + kw * g->DW;
            const float *wk = c->w + ((kh * g->KW + kw) * C) * CO + co0;
            for (int64_t ch = 0; ch < C; ch++) {
              const vf xv = vload(xs + ch * len);
              for (int j = 0; j < 4; j++) acc[j] += vsplat(j < nco ? wk[ch * CO + j] : 0.f) * xv;
            }
          }
        }
        const int64_t nq = OW - ow0 < LANES ? OW - ow0 : LANES;
        for (int64_t q = 0; q < nq; q++)
          for (int64_t j = 0; j < nco; j++) yr[(ow0 + q) * CO + co0 + j] = acc[j][q];
      }
    }
  }
  free(xp);
  free(valid);
}

/* Task t: Σ over images [t·N/T, (t+1)·N/T) of dw[kh, kw, c, co] = Σ_(oh, ow) xp[kh][c][ow + kw·DW] · dy[n, oh, ow, co],
 * 16 output pixels per vector, one vector of partial sums per (k, co) kept across rows. */
static void direct_filter_tasks(void *vc, size_t lo, size_t hi) {
  direct_ctx *c = (direct_ctx *)vc;
  const conv_geom *g = c->g;
  const int64_t C = g->C, CO = g->CO, OW = g->OW, OWp = direct_owp(g), K = col_k(g), len = direct_len(g);
  float *xp = (float *)malloc(sizeof(float) * (size_t)(g->KH * C * len + CO * OWp));
  vf *lanes = (vf *)aligned_alloc(sizeof(vf), sizeof(vf) * (size_t)(K * CO));
  int *valid = (int *)malloc(sizeof(int) * (size_t)g->KH);
  if (!xp || !lanes || !valid) abort();
  float *dyp = xp + g->KH * C * len; /* dyp[co][ow], zero beyond OW */
  for (size_t t = lo; t < hi; t++) {
    for (int64_t i = 0; i < K * CO; i++) lanes[i] = vsplat(0.f);
    for (int64_t i = 0; i < CO * OWp; i++) dyp[i] = 0.f;
    const int64_t n0 = g->N * (int64_t)t / c->tasks, n1 = g->N * ((int64_t)t + 1) / c->tasks;
    for (int64_t n = n0; n < n1; n++) {
      for (int64_t oh = 0; oh < g->OH; oh++) {
        const float *dr = c->dy + ((n * g->OH + oh) * OW) * CO;
        for (int64_t ow = 0; ow < OW; ow++)
          for (int64_t co = 0; co < CO; co++) dyp[co * OWp + ow] = dr[ow * CO + co];
        gather_rows(g, c->x, n, oh, xp, valid);
        for (int64_t kh = 0; kh < g->KH; kh++) {
          if (!valid[kh]) continue;
          for (int64_t kw = 0; kw < g->KW; kw++) {
            for (int64_t ch = 0; ch < C; ch++) {
              const float *xs = xp + (kh * C + ch) * len + kw * g->DW;
              vf *l = lanes + ((kh * g->KW + kw) * C + ch) * CO;
              for (int64_t co = 0; co < CO; co++) {
                const float *d = dyp + co * OWp;
                vf a = l[co];
                for (int64_t ow0 = 0; ow0 < OWp; ow0 += LANES) a += vload(xs + ow0) * vload(d + ow0);
                l[co] = a;
              }
            }
          }
        }
      }
    }
    float *dw = c->parts + (int64_t)t * K * CO;
    for (int64_t i = 0; i < K * CO; i++) {
      float s = 0.f;
      for (int q = 0; q < LANES; q++) s += lanes[i][q];
      dw[i] = s;
    }
  }
  free(xp);
  free(lanes);
  free(valid);
}

/* The same gradient with the partial sums in registers, for the common first layers: per image,
 * x is laid out once as planar zero-padded rows xp[c][ih][·] and dy as dyp[co][oh][·]; then for
 * each filter row kh and block of CB_ output channels, the T_ = KW·C taps × CB_ channels of
 * vector partial sums stay in registers over all the image's rows (T_ + CB_ loads per T_·CB_
 * FMAs), and are reduced into the task's gradient at the end. */
#define DEFINE_DIRECT_FILTER_REG(NAME, T_, CB_)                                                          \
  static void NAME(void *vc, size_t lo, size_t hi) {                                                     \
    direct_ctx *c = (direct_ctx *)vc;                                                                    \
    const conv_geom *g = c->g;                                                                           \
    const int64_t C = g->C, CO = g->CO, OW = g->OW, OWp = direct_owp(g), len = direct_len(g);           \
    const int64_t K = col_k(g), NCB = (CO + CB_ - 1) / CB_;                                              \
    float *xp = (float *)malloc(sizeof(float) * (size_t)(C * g->H * len + CB_ * NCB * g->OH * OWp));     \
    vf *sums = (vf *)aligned_alloc(sizeof(vf), sizeof(vf) * (size_t)(g->KH * NCB * T_ * CB_));           \
    if (!xp || !sums) abort();                                                                           \
    float *dyp = xp + C * g->H * len; /* dyp[co][oh][ow], zero beyond OW and CO */                       \
    int64_t off[T_];                                                                                     \
    for (int t = 0; t < T_; t++) off[t] = (t % C) * g->H * len + (t / C) * g->DW; /* t = kw·C + c */     \
    for (size_t task = lo; task < hi; task++) {                                                          \
      for (int64_t i = 0; i < g->KH * NCB * T_ * CB_; i++) sums[i] = vsplat(0.f);                        \
      memset(dyp, 0, sizeof(float) * (size_t)(CB_ * NCB * g->OH * OWp));                                 \
      const int64_t n0 = g->N * (int64_t)task / c->tasks, n1 = g->N * ((int64_t)task + 1) / c->tasks;    \
      for (int64_t n = n0; n < n1; n++) {                                                                \
        for (int64_t ih = 0; ih < g->H; ih++) {                                                          \
          const float *xr = c->x + (n * g->H + ih) * g->W * C;                                           \
          for (int64_t ch = 0; ch < C; ch++) {                                                           \
            float *d = xp + (ch * g->H + ih) * len;                                                      \
            for (int64_t j = 0; j < len; j++) {                                                          \
              const int64_t iw = j - g->PL;                                                              \
              d[j] = iw >= 0 && iw < g->W ? xr[iw * C + ch] : 0.f;                                       \
            }                                                                                            \
          }                                                                                              \
        }                                                                                                \
        const float *dn = c->dy + n * g->OH * OW * CO;                                                   \
        /* channel-major writes: rows of dyp are OH·OWp floats apart (a page for 32x32 maps) */      \
        for (int64_t co = 0; co < CO; co++)                                                              \
          for (int64_t oh = 0; oh < g->OH; oh++)                                                         \
            for (int64_t ow = 0; ow < OW; ow++) dyp[(co * g->OH + oh) * OWp + ow] = dn[(oh * OW + ow) * CO + co]; \
        for (int64_t kh = 0; kh < g->KH; kh++) {                                                         \
          for (int64_t cb = 0; cb < NCB; cb++) {                                                         \
            vf *sv = sums + ((kh * NCB + cb) * T_) * CB_;                                                \
            vf acc[T_][CB_];                                                                             \
            for (int t = 0; t < T_; t++) for (int j = 0; j < CB_; j++) acc[t][j] = sv[t * CB_ + j];      \
            for (int64_t oh = 0; oh < g->OH; oh++) {                                                     \
              const int64_t ih = oh * g->SH - g->PT + kh * g->DH;                                        \
              if (ih < 0 || ih >= g->H) continue;                                                        \
              const float *xrow = xp + ih * len;                                                         \
              const float *drow = dyp + (cb * CB_ * g->OH + oh) * OWp;                                   \
              for (int64_t b = 0; b < OWp; b += LANES) {                                                 \
                vf d[CB_];                                                                               \
                for (int j = 0; j < CB_; j++) d[j] = vload(drow + j * g->OH * OWp + b);                  \
                for (int t = 0; t < T_; t++) {                                                           \
                  const vf xv = vload(xrow + off[t] + b);                                                \
                  for (int j = 0; j < CB_; j++) acc[t][j] += xv * d[j];                                  \
                }                                                                                        \
              }                                                                                          \
            }                                                                                            \
            for (int t = 0; t < T_; t++) for (int j = 0; j < CB_; j++) sv[t * CB_ + j] = acc[t][j];      \
          }                                                                                              \
        }                                                                                                \
      }                                                                                                  \
      float *dw = c->parts + (int64_t)task * K * CO;                                                     \
      for (int64_t kh = 0; kh < g->KH; kh++)                                                             \
        for (int64_t cb = 0; cb < NCB; cb++)                                                             \
          for (int t = 0; t < T_; t++)                                                                   \
            for (int j = 0; j < CB_; j++) {                                                              \
              const int64_t co = cb * CB_ + j;                                                           \
              if (co >= CO) continue;                                                                    \
              const vf v = sums[((kh * NCB + cb) * T_ + t) * CB_ + j];                                   \
              float s = 0.f;                                                                             \
              for (int q = 0; q < LANES; q++) s += v[q];                                                 \
              dw[(kh * g->KW * C + t) * CO + co] = s; /* t = kw·C + c: the filter's own order */        \
            }                                                                                            \
    }                                                                                                    \
    free(xp);                                                                                            \
    free(sums);                                                                                          \
  }

/* 5x5 grey (LeNet), 3x3 RGB, 3x3 grey */
DEFINE_DIRECT_FILTER_REG(direct_filter_5x4, 5, 4)
DEFINE_DIRECT_FILTER_REG(direct_filter_9x2, 9, 2)
DEFINE_DIRECT_FILTER_REG(direct_filter_3x6, 3, 6)

static dfa_range_fn direct_filter_variant(const conv_geom *g) {
  switch (g->KW * g->C) {
    case 5: return direct_filter_5x4;
    case 9: return direct_filter_9x2;
    case 3: return direct_filter_3x6;
    default: return direct_filter_tasks;
  }
}

static int direct_filter(const conv_geom *g, const float *x, const float *dy, float *dw) {
  const int64_t KC = col_k(g) * g->CO;
  int64_t T = dfa_num_threads();
  if (T > g->N) T = g->N;
  if (T < 1) T = 1;
  float *parts = T > 1 ? (float *)malloc(sizeof(float) * (size_t)(T * KC)) : dw;
  if (!parts) return 0;
  direct_ctx c = {g, x, NULL, NULL, dy, 0, NULL, parts, T};
  dfa_parallel_tasks((size_t)T, direct_filter_variant(g), &c);
  if (T > 1) {
    memcpy(dw, parts, sizeof(float) * (size_t)KC);
    for (int64_t t = 1; t < T; t++) for (int64_t i = 0; i < KC; i++) dw[i] += parts[t * KC + i];
    free(parts);
  }
  return 1;
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
  if (K > 0 && use_direct(&g, DIRECT_MAX_C)) {
    direct_ctx d = {&g, x, w, bias, NULL, lb, y, NULL, 0};
    dfa_parallel((size_t)(g.N * g.OH), 1, direct_fwd_rows, &d);
    return NULL;
  }
  if (K > 0 && use_tiles(&g)) {
    if (!conv_tiles(&g, x, w, bias, lb, y, 0)) DFA_THROW(env, "dfa_native.conv2d: out of memory");
    return NULL;
  }
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
  if (g.SH == 1 && g.SW == 1 && K > 0 && CO > 0) {
    /* stride 1: dx is the convolution of dy with the rotated, transposed filter, padded by
     * (K−1)·D − P; the tiled kernel computes it without a column matrix */
    conv_geom t = {g.N, g.OH, g.OW, CO, g.KH, g.KW, g.C, g.H, g.W, 1, 1, g.DH, g.DW, (g.KH - 1) * g.DH - g.PT, (g.KW - 1) * g.DW - g.PL};
    if (use_tiles(&t)) {
      if (!conv_tiles(&t, dy, w, NULL, 0, dx, 1)) DFA_THROW(env, "dfa_native.conv2dBackpropInput: out of memory");
      return NULL;
    }
  }
  if (conv_scatter_input_ok(&g) && !gemm_forced()) {
    if (!conv_scatter_input(&g, dy, w, dx)) DFA_THROW(env, "dfa_native.conv2dBackpropInput: out of memory");
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
  if (conv_tiles_filter_ok(&g) && !gemm_forced()) {
    if (!conv_tiles_filter(&g, x, dy, dw)) DFA_THROW(env, "dfa_native.conv2dBackpropFilter: out of memory");
    return NULL;
  }
  if (use_direct(&g, DIRECT_MAX_C_FILTER)) {
    if (!direct_filter(&g, x, dy, dw)) DFA_THROW(env, "dfa_native.conv2dBackpropFilter: out of memory");
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
