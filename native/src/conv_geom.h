/* Geometry of a 2-d convolution or pooling window over NHWC tensors, shared by conv.c,
 * depthwise.c and pool.c. The JS side resolves tfjs's conv info (padding mode, rounding) and
 * passes the result as an Int32Array of CONV_GEOM_LEN values in this order. */
#ifndef DFA_CONV_GEOM_H
#define DFA_CONV_GEOM_H
#include "common.h"

#define CONV_GEOM_LEN 15

typedef struct {
  int64_t N, H, W, C;  /* input [N, H, W, C] */
  int64_t KH, KW, CO;  /* window; output channels (conv: filter [KH, KW, C, CO]; depthwise: C·mult; pool: C) */
  int64_t OH, OW;      /* output [N, OH, OW, CO] */
  int64_t SH, SW, DH, DW, PT, PL; /* strides, dilations, top and left padding */
} conv_geom;

/* Reads argument i as the geometry; 0 (with a JS error thrown) when it is malformed. */
static inline int conv_geom_read(dfa_args *a, size_t i, conv_geom *g, const char *who) {
  size_t n;
  const int32_t *v = dfa_i32(a, i, &n);
  if (!v) return 0;
  if (n != CONV_GEOM_LEN) {
    napi_throw_error(a->env, NULL, who);
    return 0;
  }
  int64_t *f = &g->N;
  for (int k = 0; k < CONV_GEOM_LEN; k++) f[k] = v[k];
  for (int k = 0; k < CONV_GEOM_LEN; k++) {
    /* sizes >= 0, strides and dilations >= 1; paddings may be any value */
    if (k < 9 && f[k] < 0) { napi_throw_error(a->env, NULL, who); return 0; }
    if (k >= 9 && k < 13 && f[k] < 1) { napi_throw_error(a->env, NULL, who); return 0; }
  }
  return 1;
}

static inline int64_t conv_in_size(const conv_geom *g) { return g->N * g->H * g->W * g->C; }
static inline int64_t conv_out_size(const conv_geom *g) { return g->N * g->OH * g->OW * g->CO; }

#endif
