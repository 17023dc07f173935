/* Elementwise float32 kernels: unary ops by code, binary ops with N-d broadcasting by strides,
 * in-place accumulation (AddN) and strided copies (Transpose, Slice). */
#include "common.h"
#include <math.h>
#include <string.h>

/* Unary op codes; keep in sync with src/engine/native/kernels/elementwise.ts. */
enum {
  U_TANH, U_RELU, U_RELU6, U_ELU, U_SIGMOID, U_EXP, U_LOG, U_SQRT, U_RSQRT, U_SQUARE, U_NEG, U_ABS,
  U_LEAKYRELU, U_SOFTPLUS, U_SIN, U_COS, U_LOG1P, U_EXPM1, U_STEP, U_RECIPROCAL, U_SIGN, U_ERF,
  U_FLOOR, U_CEIL, U_SELU, U_IDENTITY, U_TANH_GRAD, U_SIGMOID_GRAD
};

/* Vectorisable tanh: the rational minimax approximation Eigen uses (generic_fast_tanh_float),
 * odd degree-13 numerator over even degree-6 denominator on [-7.9, 7.9]; a few ulp of error,
 * and the loop vectorises (glibc's tanhf does not), which makes it ~10x faster. */
static inline float fast_tanhf(float x) {
  const float c = 7.90531110763549805f;
  const float xc = x > c ? c : (x < -c ? -c : x);
  const float x2 = xc * xc;
  float p = -2.76076847742355e-16f;
  p = p * x2 + 2.00018790482477e-13f;
  p = p * x2 + -8.60467152213735e-11f;
  p = p * x2 + 5.12229709037114e-08f;
  p = p * x2 + 1.48572235717979e-05f;
  p = p * x2 + 6.37261928875436e-04f;
  p = p * x2 + 4.89352455891786e-03f;
  p = p * xc;
  float q = 1.19825839466702e-06f;
  q = q * x2 + 1.18534705686654e-04f;
  q = q * x2 + 2.26843463243900e-03f;
  q = q * x2 + 4.89352518554385e-03f;
  const float r = p / q;
  return (x < 0.0004f && x > -0.0004f) ? x : r;
}

/* sigmoid(x) = (1 + tanh(x/2)) / 2: vectorises through fast_tanhf. */
static inline float sigmoidf(float x) { return x != x ? x : 0.5f + 0.5f * fast_tanhf(0.5f * x); }

typedef struct {
  int op;
  const float *x;
  float *o;
  float alpha;
  int bad;
} unary_ctx;

static void unary_range(void *vc, size_t lo, size_t hi) {
  unary_ctx *c = (unary_ctx *)vc;
  const float *x = c->x + lo;
  float *o = c->o + lo;
  const size_t n = hi - lo;
  const float alpha = c->alpha;
  switch (c->op) {
    case U_TANH: for (size_t i = 0; i < n; i++) o[i] = x[i] != x[i] ? x[i] : fast_tanhf(x[i]); break;
    case U_RELU: for (size_t i = 0; i < n; i++) o[i] = x[i] > 0.f ? x[i] : (x[i] != x[i] ? x[i] : 0.f); break;
    case U_RELU6: for (size_t i = 0; i < n; i++) { float v = x[i] > 0.f ? x[i] : 0.f; o[i] = v < 6.f ? v : 6.f; } break;
    case U_ELU: for (size_t i = 0; i < n; i++) o[i] = x[i] >= 0.f ? x[i] : expm1f(x[i]); break;
    case U_SIGMOID: for (size_t i = 0; i < n; i++) o[i] = sigmoidf(x[i]); break;
    case U_EXP: for (size_t i = 0; i < n; i++) o[i] = dfa_expf(x[i]); break;
    case U_LOG: for (size_t i = 0; i < n; i++) o[i] = logf(x[i]); break;
    case U_SQRT: for (size_t i = 0; i < n; i++) o[i] = sqrtf(x[i]); break;
    case U_RSQRT: for (size_t i = 0; i < n; i++) o[i] = 1.0f / sqrtf(x[i]); break;
    case U_SQUARE: for (size_t i = 0; i < n; i++) o[i] = x[i] * x[i]; break;
    case U_NEG: for (size_t i = 0; i < n; i++) o[i] = -x[i]; break;
    case U_ABS: for (size_t i = 0; i < n; i++) o[i] = fabsf(x[i]); break;
    case U_LEAKYRELU: for (size_t i = 0; i < n; i++) o[i] = x[i] < 0.f ? alpha * x[i] : x[i]; break;
    case U_SOFTPLUS: for (size_t i = 0; i < n; i++) {
      /* tfjs's stable formulation */
      const float eps = 1.1920928955078125e-7f, thr = logf(eps) + 2.0f, v = x[i];
      o[i] = v > -thr ? v : (v < thr ? expf(v) : logf(expf(v) + 1.0f));
    } break;
    case U_SIN: for (size_t i = 0; i < n; i++) o[i] = sinf(x[i]); break;
    case U_COS: for (size_t i = 0; i < n; i++) o[i] = cosf(x[i]); break;
    case U_LOG1P: for (size_t i = 0; i < n; i++) o[i] = log1pf(x[i]); break;
    case U_EXPM1: for (size_t i = 0; i < n; i++) o[i] = expm1f(x[i]); break;
    case U_STEP: for (size_t i = 0; i < n; i++) o[i] = x[i] != x[i] ? NAN : (x[i] > 0.f ? 1.f : alpha); break;
    case U_RECIPROCAL: for (size_t i = 0; i < n; i++) o[i] = 1.0f / x[i]; break;
    case U_SIGN: for (size_t i = 0; i < n; i++) o[i] = x[i] > 0.f ? 1.f : (x[i] < 0.f ? -1.f : 0.f); break;
    case U_ERF: for (size_t i = 0; i < n; i++) o[i] = erff(x[i]); break;
    case U_FLOOR: for (size_t i = 0; i < n; i++) o[i] = floorf(x[i]); break;
    case U_CEIL: for (size_t i = 0; i < n; i++) o[i] = ceilf(x[i]); break;
    case U_SELU: for (size_t i = 0; i < n; i++) {
      const float sa = 1.7580993408473768599402175208123f, sc = 1.0507009873554804934193349852946f;
      o[i] = x[i] >= 0.f ? sc * x[i] : sa * (expf(x[i]) - 1.0f);
    } break;
    case U_IDENTITY: if (o != x) memcpy(o, x, n * sizeof(float)); break;
    default: c->bad = 1;
  }
}

static napi_value unary(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 4)) return NULL;
  size_t n, no;
  const float *x = dfa_f32(&a, 1, &n);
  if (!x) return NULL;
  float *o = dfa_f32(&a, 2, &no);
  if (!o) return NULL;
  if (no < n) DFA_THROW(env, "dfa_native.unary: output too small");
  unary_ctx c = {(int)dfa_int(&a, 0), x, o, (float)dfa_num(&a, 3), 0};
  dfa_parallel(n, DFA_PAR_MIN, unary_range, &c);
  if (c.bad) DFA_THROW(env, "dfa_native.unary: unknown op code");
  return NULL;
}

/* Binary op codes; keep in sync with elementwise.ts. */
enum { B_ADD, B_SUB, B_MUL, B_DIV, B_MAX, B_MIN, B_SQDIFF, B_POW, B_ATAN2, B_TANH_GRAD, B_SIGMOID_GRAD, B_RELU_GRAD };

/* The common stride patterns (both contiguous; one side a scalar along the row, as x·[B, 1] or a
 * [B, 1] bias) get loops of their own, which the compiler vectorises; the generic strided loop
 * stays scalar. Each computes the same expression per element, so the values are the same. */
#define BINOP_LOOP(EXPR)                                                                  \
  if (sa == 1 && sb == 1) {                                                               \
    for (int64_t i = 0; i < inner; i++) { const float x = A[i], y = B[i]; O[i] = (EXPR); } \
  } else if (sa == 1 && sb == 0) {                                                        \
    const float y = B[0];                                                                 \
    for (int64_t i = 0; i < inner; i++) { const float x = A[i]; O[i] = (EXPR); }          \
  } else if (sa == 0 && sb == 1) {                                                        \
    const float x = A[0];                                                                 \
    for (int64_t i = 0; i < inner; i++) { const float y = B[i]; O[i] = (EXPR); }          \
  } else {                                                                                \
    for (int64_t i = 0; i < inner; i++) { const float x = A[i * sa], y = B[i * sb]; O[i] = (EXPR); } \
  }

static inline void binop_row(int op, const float *A, const float *B, float *O, int64_t inner, int64_t sa, int64_t sb) {
  switch (op) {
    case B_ADD: BINOP_LOOP(x + y) break;
    case B_SUB: BINOP_LOOP(x - y) break;
    case B_MUL: BINOP_LOOP(x * y) break;
    case B_DIV: BINOP_LOOP(x / y) break;
    case B_MAX: BINOP_LOOP((x != x || y != y) ? NAN : (x > y ? x : y)) break;
    case B_MIN: BINOP_LOOP((x != x || y != y) ? NAN : (x < y ? x : y)) break;
    case B_SQDIFF: BINOP_LOOP((x - y) * (x - y)) break;
    case B_POW: BINOP_LOOP(powf(x, y)) break;
    case B_ATAN2: BINOP_LOOP(atan2f(x, y)) break;
    /* fused gradient helpers: x = dy, y = activation output (tanh/sigmoid) or input (relu) */
    case B_TANH_GRAD: BINOP_LOOP(x * (1.0f - y * y)) break;
    case B_SIGMOID_GRAD: BINOP_LOOP(x * (y * (1.0f - y))) break;
    case B_RELU_GRAD: BINOP_LOOP(y > 0.f ? x : 0.f) break;
  }
}

typedef struct {
  int op;
  const float *A, *B;
  float *O;
  const int32_t *shape, *sA, *sB;
  int rank;
} binary_ctx;

/* rows [lo, hi) of the output viewed as [total / inner, inner] */
static void binary_range(void *vc, size_t lo, size_t hi) {
  const binary_ctx *c = (const binary_ctx *)vc;
  const int rank = c->rank;
  const int64_t inner = c->shape[rank - 1];
  int64_t idx[8] = {0};
  int64_t offA = 0, offB = 0;
  /* decompose the starting row into outer indices */
  int64_t r = (int64_t)lo;
  for (int d = rank - 2; d >= 0; d--) {
    idx[d] = r % c->shape[d];
    r /= c->shape[d];
    offA += idx[d] * c->sA[d];
    offB += idx[d] * c->sB[d];
  }
  const int64_t ia = c->sA[rank - 1], ib = c->sB[rank - 1];
  for (size_t row = lo; row < hi; row++) {
    binop_row(c->op, c->A + offA, c->B + offB, c->O + (int64_t)row * inner, inner, ia, ib);
    for (int d = rank - 2; d >= 0; d--) {
      idx[d]++;
      offA += c->sA[d];
      offB += c->sB[d];
      if (idx[d] < c->shape[d]) break;
      offA -= (int64_t)c->sA[d] * c->shape[d];
      offB -= (int64_t)c->sB[d] * c->shape[d];
      idx[d] = 0;
    }
  }
}

/* binary(op, a, b, out, outShape:Int32Array, stridesA:Int32Array, stridesB:Int32Array)
 * Shapes already collapsed by the caller; strides are 0 along broadcast dims. */
static napi_value binary(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 7)) return NULL;
  size_t la, lb, lo, rank, r2, r3;
  const float *A = dfa_f32(&a, 1, &la);
  if (!A) return NULL;
  const float *B = dfa_f32(&a, 2, &lb);
  if (!B) return NULL;
  float *O = dfa_f32(&a, 3, &lo);
  if (!O) return NULL;
  const int32_t *shape = dfa_i32(&a, 4, &rank);
  if (!shape) return NULL;
  const int32_t *sA = dfa_i32(&a, 5, &r2);
  if (!sA) return NULL;
  const int32_t *sB = dfa_i32(&a, 6, &r3);
  if (!sB) return NULL;
  if (rank == 0 || r2 != rank || r3 != rank || rank > 8) DFA_THROW(env, "dfa_native.binary: bad rank");
  int64_t total = 1;
  for (size_t d = 0; d < rank; d++) total *= shape[d];
  if ((int64_t)lo < total) DFA_THROW(env, "dfa_native.binary: output too small");
  if (total == 0) return NULL;
  const int64_t inner = shape[rank - 1];
  binary_ctx c = {(int)dfa_int(&a, 0), A, B, O, shape, sA, sB, (int)rank};
  const size_t rows = (size_t)(total / inner);
  size_t min_rows = DFA_PAR_MIN / (size_t)inner;
  dfa_parallel(rows, min_rows ? min_rows : 1, binary_range, &c);
  return NULL;
}

/* accumulate(out, x): out += x (same length) — AddN. */
static napi_value accumulate(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 2)) return NULL;
  size_t lo, lx;
  float *O = dfa_f32(&a, 0, &lo);
  if (!O) return NULL;
  const float *X = dfa_f32(&a, 1, &lx);
  if (!X) return NULL;
  if (lx != lo) DFA_THROW(env, "dfa_native.accumulate: length mismatch");
  for (size_t i = 0; i < lo; i++) O[i] += X[i];
  return NULL;
}

/* strided_copy(x, out, outShape:Int32Array, srcStrides:Int32Array, srcOffset): gathers
 * out[i0..] = x[srcOffset + Σ i_d * srcStrides[d]] — Transpose (permuted strides) and Slice. */
static napi_value strided_copy(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 5)) return NULL;
  size_t lx, lo, rank, r2;
  const float *X = dfa_f32(&a, 0, &lx);
  if (!X) return NULL;
  float *O = dfa_f32(&a, 1, &lo);
  if (!O) return NULL;
  const int32_t *shape = dfa_i32(&a, 2, &rank);
  if (!shape) return NULL;
  const int32_t *st = dfa_i32(&a, 3, &r2);
  if (!st) return NULL;
  const int64_t off0 = dfa_int(&a, 4);
  if (rank == 0 || r2 != rank || rank > 8) DFA_THROW(env, "dfa_native.strided_copy: bad rank");
  int64_t total = 1;
  for (size_t d = 0; d < rank; d++) total *= shape[d];
  if ((int64_t)lo < total) DFA_THROW(env, "dfa_native.strided_copy: output too small");
  if (total == 0) return NULL;
  const int64_t inner = shape[rank - 1], is = st[rank - 1];
  int64_t idx[8] = {0};
  int64_t off = off0;
  for (int64_t o = 0; o < total; o += inner) {
    const float *src = X + off;
    float *dst = O + o;
    if (is == 1) memcpy(dst, src, (size_t)inner * sizeof(float));
    else for (int64_t i = 0; i < inner; i++) dst[i] = src[i * is];
    for (int d = (int)rank - 2; d >= 0; d--) {
      idx[d]++;
      off += st[d];
      if (idx[d] < shape[d]) break;
      off -= (int64_t)st[d] * shape[d];
      idx[d] = 0;
    }
  }
  return NULL;
}

void dfa_register_elementwise(napi_env env, napi_value exports) {
  dfa_export(env, exports, "unary", unary);
  dfa_export(env, exports, "binary", binary);
  dfa_export(env, exports, "accumulate", accumulate);
  dfa_export(env, exports, "stridedCopy", strided_copy);
}
