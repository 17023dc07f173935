/* Register-tiled direct convolution over NHWC tensors, for layers with many channels.
 *
 * OpenBLAS runs its Haswell (AVX2) kernels here (OPENBLAS_CORETYPE), and an im2col GEMM also pays
 * for writing and re-reading the column matrix. This kernel reads x and the filter in place: a
 * tile of R = 6 consecutive output pixels × 32 output channels lives in 12 vector registers; for
 * each filter tap (kh, kw) and input channel c it broadcasts the 6 pixels' input values and
 * multiplies them with two filter vectors w[kh, kw, c, co..co+32) (contiguous in HWIO): 12 FMAs
 * per 8 loads. Out-of-bounds taps read a zero row, so padding, strides and dilations cost only
 * the per-tap pointer set-up. Output channels are padded to 32 in a packed copy of the filter.
 *
 * conv_tiles(g, x, w, bias, lbias, y, flip): y = conv(x, w) + bias. With flip, w is read as the
 * transposed, rotated filter of a Conv2DBackpropInput (w'[kh, kw, c, co] = w[KH-1-kh, KW-1-kw, co, c]).
 *
 * conv_tiles_filter(g, x, dy, dw): the filter gradient dw[kh, kw, c, co] = Σ_pixels x[.., c] ·
 * dy[.., co], a tile of 8 input channels × 32 output channels in 16 registers per tap (or 6 × 16
 * for channel counts that are multiples of those), accumulated
 * over one image's pixels at a time (its rows stay in cache); threads take image ranges into
 * partial gradients that are added at the end. */
#include "conv_tiles.h"
#include "vec16.h"
#include <stdlib.h>
#include <string.h>

#define TR 6   /* output pixels per tile */
#define TV 2   /* vectors of output channels per tile */
#define TCO (TV * VL)

typedef struct {
  const conv_geom *g;
  const float *x, *wp, *bias; /* wp: packed filter [K, COp] */
  size_t lbias;
  float *y;
  int64_t COp;
} tile_ctx;

static void tile_rows(void *vc, size_t lo, size_t hi) {
  tile_ctx *c = (tile_ctx *)vc;
  const conv_geom *g = c->g;
  const int64_t C = g->C, CO = g->CO, COp = c->COp;
  float *zeros = (float *)calloc((size_t)C, sizeof(float));
  if (!zeros) abort();
  const float *xp[TR];
  for (size_t r = lo; r < hi; r++) {
    const int64_t n = (int64_t)r / g->OH, oh = (int64_t)r % g->OH;
    float *yrow = c->y + (n * g->OH + oh) * g->OW * CO;
    for (int64_t cb = 0; cb < COp; cb += TCO) {
      vf bv[TV];
      for (int v = 0; v < TV; v++) {
        float b[VL];
        for (int q = 0; q < VL; q++) {
          const int64_t co = cb + v * VL + q;
          b[q] = c->bias && co < CO ? c->bias[c->lbias == 1 ? 0 : co] : 0.f;
        }
        bv[v] = vload(b);
      }
      for (int64_t ow0 = 0; ow0 < g->OW; ow0 += TR) {
        const int64_t nr = g->OW - ow0 < TR ? g->OW - ow0 : TR;
        vf acc[TR][TV];
        for (int i = 0; i < TR; i++) for (int v = 0; v < TV; v++) acc[i][v] = bv[v];
        for (int64_t kh = 0; kh < g->KH; kh++) {
          const int64_t ih = oh * g->SH - g->PT + kh * g->DH;
          if (ih < 0 || ih >= g->H) continue;
          const float *xrow = c->x + (n * g->H + ih) * g->W * C;
          for (int64_t kw = 0; kw < g->KW; kw++) {
            for (int i = 0; i < TR; i++) {
              const int64_t iw = (ow0 + i) * g->SW - g->PL + kw * g->DW;
              xp[i] = i < nr && iw >= 0 && iw < g->W ? xrow + iw * C : zeros;
            }
            const float *wk = c->wp + (kh * g->KW + kw) * C * COp + cb;
            for (int64_t ch = 0; ch < C; ch++) {
              vf w[TV];
              for (int v = 0; v < TV; v++) w[v] = vload(wk + ch * COp + v * VL);
              for (int i = 0; i < TR; i++) {
                const vf xv = vsplat(xp[i][ch]);
                for (int v = 0; v < TV; v++) acc[i][v] += xv * w[v];
              }
            }
          }
        }
        const int64_t nco = CO - cb < TCO ? CO - cb : TCO;
        for (int64_t i = 0; i < nr; i++) {
          float *dst = yrow + (ow0 + i) * CO + cb;
          if (nco == TCO) for (int v = 0; v < TV; v++) memcpy(dst + v * VL, &acc[i][v], sizeof(vf));
          else {
            float tmp[TCO];
            for (int v = 0; v < TV; v++) memcpy(tmp + v * VL, &acc[i][v], sizeof(vf));
            memcpy(dst, tmp, sizeof(float) * (size_t)nco);
          }
        }
      }
    }
  }
  free(zeros);
}

int conv_tiles(const conv_geom *g, const float *x, const float *w, const float *bias, size_t lbias, float *y, int flip) {
  const int64_t C = g->C, CO = g->CO, K = g->KH * g->KW * C;
  const int64_t COp = (CO + TCO - 1) / TCO * TCO;
  float *wp = NULL;
  if (flip || COp != CO) {
    wp = (float *)calloc((size_t)(K * COp), sizeof(float));
    if (!wp) return 0;
    for (int64_t kh = 0; kh < g->KH; kh++)
      for (int64_t kw = 0; kw < g->KW; kw++)
        for (int64_t ch = 0; ch < C; ch++) {
          float *dst = wp + ((kh * g->KW + kw) * C + ch) * COp;
          if (!flip) memcpy(dst, w + ((kh * g->KW + kw) * C + ch) * CO, sizeof(float) * (size_t)CO);
          else {
            /* the forward filter is [KH, KW, CO, C] here (its C is this conv's output) */
            const float *src = w + ((g->KH - 1 - kh) * g->KW + (g->KW - 1 - kw)) * CO * C + ch;
            for (int64_t co = 0; co < CO; co++) dst[co] = src[co * C];
          }
        }
  }
  tile_ctx c = {g, x, wp ? wp : w, bias, lbias, y, COp};
  dfa_parallel((size_t)(g->N * g->OH), 1, tile_rows, &c);
  free(wp);
  return 1;
}

/* A filter-gradient tile: FC_ input channels × TV_ vectors of output channels, for one tap. */
typedef struct {
  const conv_geom *g;
  const float *x, *dy;
  float *parts; /* one [K, CO] partial gradient per task */
  int64_t tasks;
} ftile_ctx;

#define DEFINE_FILTER_TASKS(NAME, FC_, TV_)                                                                  \
  static void NAME(void *vc, size_t lo, size_t hi) {                                                         \
    ftile_ctx *c = (ftile_ctx *)vc;                                                                          \
    const conv_geom *g = c->g;                                                                               \
    const int64_t C = g->C, CO = g->CO, K = g->KH * g->KW * C;                                               \
    for (size_t t = lo; t < hi; t++) {                                                                       \
      float *dw = c->parts + (int64_t)t * K * CO;                                                            \
      memset(dw, 0, sizeof(float) * (size_t)(K * CO));                                                       \
      const int64_t n0 = g->N * (int64_t)t / c->tasks, n1 = g->N * ((int64_t)t + 1) / c->tasks;              \
      for (int64_t n = n0; n < n1; n++) {                                                                    \
        const float *xn = c->x + n * g->H * g->W * C, *dyn = c->dy + n * g->OH * g->OW * CO;                 \
        for (int64_t kh = 0; kh < g->KH; kh++)                                                               \
          for (int64_t kw = 0; kw < g->KW; kw++) {                                                           \
            /* output columns whose tap kw lands inside the image */                                        \
            const int64_t off = kw * g->DW - g->PL;                                                          \
            int64_t owl = off >= 0 ? 0 : (-off + g->SW - 1) / g->SW;                                         \
            int64_t owh = g->W - off <= 0 ? 0 : (g->W - off + g->SW - 1) / g->SW;                            \
            if (owh > g->OW) owh = g->OW;                                                                    \
            if (owl >= owh) continue;                                                                        \
            for (int64_t c0 = 0; c0 < C; c0 += FC_) {                                                        \
              float *dwt = dw + ((kh * g->KW + kw) * C + c0) * CO;                                           \
              for (int64_t cb = 0; cb < CO; cb += TV_ * VL) {                                                \
                vf acc[FC_][TV_];                                                                           \
                for (int i = 0; i < FC_; i++)                                                                \
                  for (int v = 0; v < TV_; v++) acc[i][v] = vload(dwt + i * CO + cb + v * VL);               \
                for (int64_t oh = 0; oh < g->OH; oh++) {                                                     \
                  const int64_t ih = oh * g->SH - g->PT + kh * g->DH;                                        \
                  if (ih < 0 || ih >= g->H) continue;                                                        \
                  const float *xr = xn + ih * g->W * C + c0, *dr = dyn + oh * g->OW * CO + cb;               \
                  for (int64_t ow = owl; ow < owh; ow++) {                                                   \
                    const float *xv = xr + (ow * g->SW + off) * C;                                           \
                    vf d[TV_];                                                                              \
                    for (int v = 0; v < TV_; v++) d[v] = vload(dr + ow * CO + v * VL);                       \
                    for (int i = 0; i < FC_; i++) {                                                          \
                      const vf a = vsplat(xv[i]);                                                           \
                      for (int v = 0; v < TV_; v++) acc[i][v] += a * d[v];                                   \
                    }                                                                                        \
                  }                                                                                          \
                }                                                                                            \
                for (int i = 0; i < FC_; i++)                                                                \
                  for (int v = 0; v < TV_; v++) memcpy(dwt + i * CO + cb + v * VL, &acc[i][v], sizeof(vf)); \
              }                                                                                              \
            }                                                                                                \
          }                                                                                                  \
      }                                                                                                      \
    }                                                                                                        \
  }

/* 8 input × 32 output channels (16 registers); 6 × 16 for LeNet-like layers (6 registers) */
DEFINE_FILTER_TASKS(filter_tasks_8x32, 8, 2)
DEFINE_FILTER_TASKS(filter_tasks_6x16, 6, 1)

static dfa_range_fn filter_variant(const conv_geom *g) {
  if (g->C <= 0 || g->CO <= 0) return NULL;
  if (g->C % 8 == 0 && g->CO % 32 == 0) return filter_tasks_8x32;
  if (g->C % 6 == 0 && g->CO % 16 == 0) return filter_tasks_6x16;
  return NULL;
}

int conv_tiles_filter_ok(const conv_geom *g) { return filter_variant(g) != NULL; }

int conv_tiles_filter(const conv_geom *g, const float *x, const float *dy, float *dw) {
  const int64_t KC = g->KH * g->KW * g->C * g->CO;
  int64_t T = dfa_num_threads();
  if (T > g->N) T = g->N;
  if (T < 1) T = 1;
  float *parts = T > 1 ? (float *)malloc(sizeof(float) * (size_t)(T * KC)) : dw;
  if (!parts) return 0;
  ftile_ctx c = {g, x, dy, parts, T};
  dfa_parallel_tasks((size_t)T, filter_variant(g), &c);
  if (T > 1) {
    memcpy(dw, parts, sizeof(float) * (size_t)KC);
    for (int64_t t = 1; t < T; t++) for (int64_t i = 0; i < KC; i++) dw[i] += parts[t * KC + i];
    free(parts);
  }
  return 1;
}

/* ---- Input gradient by scatter, for short filter rows (VL <= KW·C <= SCATTER_MAX_ROW) ----
 * dx[n, oh·SH − PT + kh·DH, ow·SW − PL + kw, c] += Σ_co dy[n, oh, ow, co] · w[kh, kw, c, co].
 * Per output pixel the KH rows of its window's contribution (KW·C values each, contiguous in dx
 * since DW = 1) are formed in registers from the pixel's CO values and a transposed filter
 * (wt[kh][vector][co][lane]), then added to dx: no column matrix (LeNet's second layer: K = 16, a GEMM
 * that mostly writes a 150-wide matrix). Images go to threads whole (their dx rows are disjoint). */
#define SCATTER_MAX_ROW 64
#define SCATTER_MAX_VECS 24

typedef struct {
  const conv_geom *g;
  const float *dy, *wt;
  float *dx;
  int64_t L; /* padded row length: KW·C rounded up to VL */
} scatter_ctx;

static void scatter_images(void *vc, size_t lo, size_t hi) {
  scatter_ctx *c = (scatter_ctx *)vc;
  const conv_geom *g = c->g;
  const int64_t C = g->C, CO = g->CO, L = c->L, NV = L / VL, row = g->KW * C;
  vf acc[SCATTER_MAX_VECS];
  float tmp[SCATTER_MAX_ROW];
  for (size_t n = lo; n < hi; n++) {
    float *dxn = c->dx + (int64_t)n * g->H * g->W * C;
    memset(dxn, 0, sizeof(float) * (size_t)(g->H * g->W * C));
    for (int64_t oh = 0; oh < g->OH; oh++) {
      for (int64_t ow = 0; ow < g->OW; ow++) {
        const float *d = c->dy + (((int64_t)n * g->OH + oh) * g->OW + ow) * CO;
        /* one vector of the window's contribution at a time, in a register over the CO terms */
        for (int64_t j = 0; j < g->KH * NV; j++) {
          const float *wj = c->wt + j * CO * VL;
          vf a0 = vsplat(0.f), a1 = vsplat(0.f);
          int64_t co = 0;
          for (; co + 1 < CO; co += 2) {
            a0 += vsplat(d[co]) * vload(wj + co * VL);
            a1 += vsplat(d[co + 1]) * vload(wj + (co + 1) * VL);
          }
          if (co < CO) a0 += vsplat(d[co]) * vload(wj + co * VL);
          acc[j] = a0 + a1;
        }
        const int64_t iw0 = ow * g->SW - g->PL;
        for (int64_t kh = 0; kh < g->KH; kh++) {
          const int64_t ih = oh * g->SH - g->PT + kh * g->DH;
          if (ih < 0 || ih >= g->H) continue;
          for (int64_t v = 0; v < NV; v++) memcpy(tmp + v * VL, &acc[kh * NV + v], sizeof(vf));
          float *dst = dxn + (ih * g->W) * C;
          if (iw0 >= 0 && iw0 + g->KW <= g->W) {
            float *p = dst + iw0 * C;
            for (int64_t i = 0; i < row; i++) p[i] += tmp[i];
          } else {
            for (int64_t kw = 0; kw < g->KW; kw++) {
              const int64_t iw = iw0 + kw;
              if (iw < 0 || iw >= g->W) continue;
              for (int64_t ch = 0; ch < C; ch++) dst[iw * C + ch] += tmp[kw * C + ch];
            }
          }
        }
      }
    }
  }
}

int conv_scatter_input_ok(const conv_geom *g) {
  const int64_t L = (g->KW * g->C + VL - 1) / VL * VL;
  /* rows shorter than a vector (first layers: KW·C of 3 to 15) do better on the GEMM */
  return g->DW == 1 && g->KW * g->C >= VL && g->KW * g->C <= SCATTER_MAX_ROW && g->KH * (L / VL) <= SCATTER_MAX_VECS && g->C > 0 && g->CO > 0;
}

int conv_scatter_input(const conv_geom *g, const float *dy, const float *w, float *dx) {
  const int64_t C = g->C, CO = g->CO, L = (g->KW * C + VL - 1) / VL * VL;
  float *wt = (float *)calloc((size_t)(CO * g->KH * L), sizeof(float));
  if (!wt) return 0;
  for (int64_t kh = 0; kh < g->KH; kh++)
    for (int64_t kw = 0; kw < g->KW; kw++)
      for (int64_t ch = 0; ch < C; ch++)
        for (int64_t co = 0; co < CO; co++) {
          /* wt[kh·NV + v][co][lane]: the vectors of row kh, each over the CO terms in turn */
          const int64_t l = kw * C + ch, j = kh * (L / VL) + l / VL;
          wt[(j * CO + co) * VL + l % VL] = w[((kh * g->KW + kw) * C + ch) * CO + co];
        }
  scatter_ctx c = {g, dy, wt, dx, L};
  dfa_parallel_tasks((size_t)g->N, scatter_images, &c);
  free(wt);
  return 1;
}
