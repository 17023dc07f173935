/* Shared helpers for the dfa-ts N-API addon: argument unpacking with clear errors. */
#ifndef DFA_COMMON_H
#define DFA_COMMON_H
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>

#define DFA_MAX_ARGS 16

/* Throws a JS Error and returns NULL from the calling N-API function. */
#define DFA_THROW(env, msg) do { napi_throw_error((env), NULL, (msg)); return NULL; } while (0)
#define DFA_CHECK(env, call) do { if ((call) != napi_ok) DFA_THROW(env, "dfa_native: N-API call failed: " #call); } while (0)

typedef struct {
  napi_env env;
  size_t argc;
  napi_value argv[DFA_MAX_ARGS];
} dfa_args;

int dfa_get_args(napi_env env, napi_callback_info info, dfa_args *a, size_t expected);
/* Typed-array views; length in elements returned through len (may be NULL). */
float *dfa_f32(dfa_args *a, size_t i, size_t *len);
int32_t *dfa_i32(dfa_args *a, size_t i, size_t *len);
double dfa_num(dfa_args *a, size_t i);
int64_t dfa_int(dfa_args *a, size_t i);
int dfa_bool(dfa_args *a, size_t i);

void dfa_export(napi_env env, napi_value exports, const char *name, napi_callback fn);

/* Fork-join over the cores (parallel.c): fn(ctx, lo, hi) on disjoint ranges covering [0, n). */
typedef void (*dfa_range_fn)(void *ctx, size_t lo, size_t hi);
void dfa_parallel(size_t n, size_t min_chunk, dfa_range_fn fn, void *ctx);
/* n independent tasks split evenly over the threads; dfa_num_threads() is how many it uses at most. */
void dfa_parallel_tasks(size_t n, dfa_range_fn fn, void *ctx);
int dfa_num_threads(void);
/* Vectorisable expf (Cephes polynomial, ~1 ulp on [-87, 88]; NaN passes through): glibc's expf
 * does not vectorise without -ffast-math, and softmax over a [tokens, vocab] matrix is exp-bound. */
static inline float dfa_expf(float x) {
  if (x != x) return x;
  const float xc = x > 88.3762626647949f ? 88.3762626647949f : (x < -87.3365478515625f ? -87.3365478515625f : x);
  const float fx = __builtin_floorf(xc * 1.44269504088896341f + 0.5f);
  const float r = xc - fx * 0.693359375f + fx * 2.12194440e-4f;
  float p = 1.9875691500E-4f;
  p = p * r + 1.3981999507E-3f;
  p = p * r + 8.3334519073E-3f;
  p = p * r + 4.1665795894E-2f;
  p = p * r + 1.6666665459E-1f;
  p = p * r + 5.0000001201E-1f;
  p = p * r * r + r + 1.0f;
  union { int32_t i; float f; } u;
  u.i = ((int32_t)fx + 127) << 23;
  return p * u.f;
}

#define DFA_PAR_MIN ((size_t)1 << 17) /* elements per thread below which a loop stays serial */

/* Registration hooks, one per source file. */
void dfa_register_matmul(napi_env env, napi_value exports);
void dfa_register_elementwise(napi_env env, napi_value exports);
void dfa_register_reduce(napi_env env, napi_value exports);
void dfa_register_softmax(napi_env env, napi_value exports);
void dfa_register_gather(napi_env env, napi_value exports);
void dfa_register_optim(napi_env env, napi_value exports);
void dfa_register_transformer(napi_env env, napi_value exports);
void dfa_register_clip(napi_env env, napi_value exports);
void dfa_register_recsys(napi_env env, napi_value exports);
void dfa_register_nerf(napi_env env, napi_value exports);
void dfa_register_conv(napi_env env, napi_value exports);
void dfa_register_depthwise(napi_env env, napi_value exports);
void dfa_register_pool(napi_env env, napi_value exports);
#endif
