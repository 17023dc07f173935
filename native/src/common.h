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
#define DFA_PAR_MIN ((size_t)1 << 17) /* elements per thread below which a loop stays serial */

/* Registration hooks, one per source file. */
void dfa_register_matmul(napi_env env, napi_value exports);
void dfa_register_elementwise(napi_env env, napi_value exports);
void dfa_register_reduce(napi_env env, napi_value exports);
void dfa_register_softmax(napi_env env, napi_value exports);
void dfa_register_gather(napi_env env, napi_value exports);
void dfa_register_optim(napi_env env, napi_value exports);
#endif
