/* dfa-ts native addon: OpenBLAS GEMM and hand-written float32 kernels for the tfjs backend. */
#include "common.h"
#include <stdio.h>
#include <string.h>
#include <cblas.h>

int dfa_get_args(napi_env env, napi_callback_info info, dfa_args *a, size_t expected) {
  a->env = env;
  a->argc = DFA_MAX_ARGS;
  if (napi_get_cb_info(env, info, &a->argc, a->argv, NULL, NULL) != napi_ok) {
    napi_throw_error(env, NULL, "dfa_native: cannot read arguments");
    return 0;
  }
  if (a->argc < expected) {
    char msg[96];
    snprintf(msg, sizeof msg, "dfa_native: expected %zu arguments, got %zu", expected, a->argc);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  return 1;
}

static void *typed(dfa_args *a, size_t i, size_t *len, napi_typedarray_type want, const char *name) {
  napi_typedarray_type t;
  size_t n;
  void *data;
  napi_value ab;
  size_t off;
  bool is;
  if (napi_is_typedarray(a->env, a->argv[i], &is) != napi_ok || !is) {
    char msg[96];
    snprintf(msg, sizeof msg, "dfa_native: argument %zu must be a %s", i, name);
    napi_throw_type_error(a->env, NULL, msg);
    return NULL;
  }
  napi_get_typedarray_info(a->env, a->argv[i], &t, &n, &data, &ab, &off);
  if (t != want) {
    char msg[96];
    snprintf(msg, sizeof msg, "dfa_native: argument %zu must be a %s", i, name);
    napi_throw_type_error(a->env, NULL, msg);
    return NULL;
  }
  if (len) *len = n;
  /* A zero-length array may have a NULL data pointer; hand out a valid dummy. */
  static float dummy[1];
  return data ? data : (void *)dummy;
}

float *dfa_f32(dfa_args *a, size_t i, size_t *len) { return (float *)typed(a, i, len, napi_float32_array, "Float32Array"); }
int32_t *dfa_i32(dfa_args *a, size_t i, size_t *len) { return (int32_t *)typed(a, i, len, napi_int32_array, "Int32Array"); }

double dfa_num(dfa_args *a, size_t i) {
  double v = 0;
  napi_get_value_double(a->env, a->argv[i], &v);
  return v;
}
int64_t dfa_int(dfa_args *a, size_t i) {
  int64_t v = 0;
  napi_get_value_int64(a->env, a->argv[i], &v);
  return v;
}
int dfa_bool(dfa_args *a, size_t i) {
  bool v = false;
  if (napi_get_value_bool(a->env, a->argv[i], &v) != napi_ok) {
    double d = 0;
    napi_get_value_double(a->env, a->argv[i], &d);
    return d != 0;
  }
  return v;
}

void dfa_export(napi_env env, napi_value exports, const char *name, napi_callback fn) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &f);
  napi_set_named_property(env, exports, name, f);
}

static napi_value info(napi_env env, napi_callback_info cbinfo) {
  (void)cbinfo;
  napi_value o, v;
  napi_create_object(env, &o);
  napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, o, "blasConfig", v);
  napi_create_int32(env, openblas_get_num_threads(), &v);
  napi_set_named_property(env, o, "blasThreads", v);
  napi_create_string_utf8(env, openblas_get_corename(), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, o, "blasCore", v);
  return o;
}

static napi_value set_threads(napi_env env, napi_callback_info cbinfo) {
  dfa_args a;
  if (!dfa_get_args(env, cbinfo, &a, 1)) return NULL;
  openblas_set_num_threads((int)dfa_int(&a, 0));
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  dfa_export(env, exports, "info", info);
  dfa_export(env, exports, "setThreads", set_threads);
  dfa_register_matmul(env, exports);
  dfa_register_elementwise(env, exports);
  dfa_register_reduce(env, exports);
  dfa_register_softmax(env, exports);
  dfa_register_gather(env, exports);
  dfa_register_optim(env, exports);
  dfa_register_transformer(env, exports);
  dfa_register_clip(env, exports);
  dfa_register_recsys(env, exports);
  dfa_register_nerf(env, exports);
  dfa_register_conv(env, exports);
  dfa_register_depthwise(env, exports);
  dfa_register_pool(env, exports);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
