/* Register-tiled direct convolution (conv_tiles.c), used by conv.c for layers with many channels. */
#ifndef DFA_CONV_TILES_H
#define DFA_CONV_TILES_H
#include "conv_geom.h"

/* y = conv(x, w) (+ bias per channel, lbias CO or 1) over the geometry g; with flip, w is the
 * forward filter of a Conv2DBackpropInput ([KH, KW, g->CO, g->C]) read rotated and transposed.
 * Returns 0 when memory for the packed filter cannot be had. */
int conv_tiles(const conv_geom *g, const float *x, const float *w, const float *bias, size_t lbias, float *y, int flip);
/* The filter gradient dw [KH, KW, C, CO] of a convolution, for C a multiple of 8 and CO of 32,
 * or C of 6 and CO of 16 (conv_tiles_filter_ok); returns 0 when memory for the threads' partial sums cannot be had. */
int conv_tiles_filter_ok(const conv_geom *g);
int conv_tiles_filter(const conv_geom *g, const float *x, const float *dy, float *dw);
/* The input gradient dx [N, H, W, C] of a convolution by scattering each output pixel's window
 * (for dilation 1 along the width and short filter rows: conv_scatter_input_ok); 0 when memory
 * for the transposed filter cannot be had. */
int conv_scatter_input_ok(const conv_geom *g);
int conv_scatter_input(const conv_geom *g, const float *dy, const float *w, float *dx);
#endif
