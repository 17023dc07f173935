/* Gather rows (embeddings, message passing sources) and scatter-add them back
 * (UnsortedSegmentSum: the gradient of gather, and graph aggregation). */
#include "common.h"
#include <stdio.h>
#include <string.h>

/* gather(x, indices:Int32Array, out, outer, axisSize, inner): out[o, i, :] = x[o, idx[i], :] */
static napi_value gather(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 6)) return NULL;
  size_t lx, li, lo;
  const float *X = dfa_f32(&a, 0, &lx);
  if (!X) return NULL;
  const int32_t *I = dfa_i32(&a, 1, &li);
  if (!I) return NULL;
  float *O = dfa_f32(&a, 2, &lo);
  if (!O) return NULL;
  const int64_t outer = dfa_int(&a, 3), axis = dfa_int(&a, 4), inner = dfa_int(&a, 5);
  if ((int64_t)lx < outer * axis * inner || (int64_t)lo < outer * (int64_t)li * inner) DFA_THROW(env, "dfa_native.gather: buffer too small");
  for (size_t i = 0; i < li; i++)
    if (I[i] < 0 || I[i] >= axis) {
      char msg[128];
      snprintf(msg, sizeof msg, "GatherV2: the index value %d is not in [0, %lld]", I[i], (long long)axis - 1);
      DFA_THROW(env, msg);
    }
  for (int64_t o = 0; o < outer; o++) {
    const float *src = X + o * axis * inner;
    float *dst = O + o * (int64_t)li * inner;
    if (inner == 1) for (size_t i = 0; i < li; i++) dst[i] = src[I[i]];
    else for (size_t i = 0; i < li; i++) memcpy(dst + (int64_t)i * inner, src + (int64_t)I[i] * inner, sizeof(float) * (size_t)inner);
  }
  return NULL;
}

/* segmentSum(x, ids:Int32Array, out, numSegments, inner): out zeroed, out[ids[i]] += x[i];
 * ids outside [0, numSegments) are dropped (TensorFlow semantics). */
static napi_value segment_sum(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 5)) return NULL;
  size_t lx, li, lo;
  const float *X = dfa_f32(&a, 0, &lx);
  if (!X) return NULL;
  const int32_t *I = dfa_i32(&a, 1, &li);
  if (!I) return NULL;
  float *O = dfa_f32(&a, 2, &lo);
  if (!O) return NULL;
  const int64_t ns = dfa_int(&a, 3), inner = dfa_int(&a, 4);
  if ((int64_t)lx < (int64_t)li * inner || (int64_t)lo < ns * inner) DFA_THROW(env, "dfa_native.segmentSum: buffer too small");
  memset(O, 0, sizeof(float) * (size_t)(ns * inner));
  for (size_t i = 0; i < li; i++) {
    const int32_t s = I[i];
    if (s < 0 || s >= ns) continue;
    float *dst = O + (int64_t)s * inner;
    const float *src = X + (int64_t)i * inner;
    for (int64_t j = 0; j < inner; j++) dst[j] += src[j];
  }
  return NULL;
}

void dfa_register_gather(napi_env env, napi_value exports) {
  dfa_export(env, exports, "gather", gather);
  dfa_export(env, exports, "segmentSum", segment_sum);
}
