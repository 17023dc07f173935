/* Fused optimizer updates, one pass over the parameters. State buffers (m, v, momentum) are
 * updated in place; the new parameters go to pOut (which may be pIn). */
#include "common.h"
#include <math.h>

typedef struct {
  const float *P, *G;
  float *M, *V, *PO;
  float b1, b2, eps, step, ib2, shrink, l2;
} adam_ctx;

static void adam_range(void *vc, size_t lo, size_t hi) {
  const adam_ctx *c = (const adam_ctx *)vc;
  const float b1 = c->b1, b2 = c->b2, eps = c->eps, step = c->step, ib2 = c->ib2, shrink = c->shrink, l2 = c->l2;
  const float *P = c->P, *G = c->G; /* PO may alias P: no restrict */
  float *M = c->M, *V = c->V, *PO = c->PO;
  for (size_t i = lo; i < hi; i++) {
    const float p = P[i];
    const float g = G[i] + l2 * p;
    const float m = b1 * M[i] + (1.0f - b1) * g;
    const float v = b2 * V[i] + (1.0f - b2) * g * g;
    M[i] = m;
    V[i] = v;
    PO[i] = p * shrink - step * m / (sqrtf(v) * ib2 + eps);
  }
}

/* adam(pIn, g, m, v, pOut, lr, beta1, beta2, eps, step, weightDecay, decoupled)
 * decoupled = 0: L2 (g += wd * p, Adam's original), 1: AdamW (p -= lr * wd * p).
 * Bias correction as in PyTorch: lr_t = lr / (1 - b1^t), denom = sqrt(v / (1 - b2^t)) + eps. */
static napi_value adam(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 12)) return NULL;
  size_t n, n1, n2, n3, n4;
  const float *P = dfa_f32(&a, 0, &n);
  if (!P) return NULL;
  const float *G = dfa_f32(&a, 1, &n1);
  if (!G) return NULL;
  float *M = dfa_f32(&a, 2, &n2);
  if (!M) return NULL;
  float *V = dfa_f32(&a, 3, &n3);
  if (!V) return NULL;
  float *PO = dfa_f32(&a, 4, &n4);
  if (!PO) return NULL;
  if (n1 != n || n2 != n || n3 != n || n4 != n) DFA_THROW(env, "dfa_native.adam: length mismatch");
  const float lr = (float)dfa_num(&a, 5), b1 = (float)dfa_num(&a, 6), b2 = (float)dfa_num(&a, 7), eps = (float)dfa_num(&a, 8);
  const double t = dfa_num(&a, 9);
  const float wd = (float)dfa_num(&a, 10);
  const int decoupled = dfa_bool(&a, 11);
  const float bc1 = (float)(1.0 - pow(b1, t)), bc2 = (float)(1.0 - pow(b2, t));
  adam_ctx c = {P, G, M, V, PO, b1, b2, eps, lr / bc1, 1.0f / sqrtf(bc2), decoupled ? 1.0f - lr * wd : 1.0f, decoupled ? 0.0f : wd};
  dfa_parallel(n, DFA_PAR_MIN, adam_range, &c);
  return NULL;
}

typedef struct {
  const float *P, *G;
  float *B, *PO;
  float lr, mom, wd;
  int nesterov, first;
} sgd_ctx;

static void sgd_range(void *vc, size_t lo, size_t hi) {
  const sgd_ctx *c = (const sgd_ctx *)vc;
  const float lr = c->lr, mom = c->mom, wd = c->wd;
  const float *P = c->P, *G = c->G;
  float *B = c->B, *PO = c->PO;
  if (mom == 0.f) {
    for (size_t i = lo; i < hi; i++) PO[i] = P[i] - lr * (G[i] + wd * P[i]);
    return;
  }
  for (size_t i = lo; i < hi; i++) {
    const float p = P[i];
    const float g = G[i] + wd * p;
    const float b = c->first ? g : mom * B[i] + g;
    B[i] = b;
    PO[i] = p - lr * (c->nesterov ? g + mom * b : b);
  }
}

/* sgd(pIn, g, buf, pOut, lr, momentum, weightDecay, nesterov, first)
 * PyTorch semantics: g += wd p; buf = first ? g : momentum buf + g; d = nesterov ? g + momentum buf : buf;
 * p -= lr d. With momentum 0, buf is unused (may be length 0). */
static napi_value sgd(napi_env env, napi_callback_info info) {
  dfa_args a;
  if (!dfa_get_args(env, info, &a, 9)) return NULL;
  size_t n, n1, nb, n3;
  const float *P = dfa_f32(&a, 0, &n);
  if (!P) return NULL;
  const float *G = dfa_f32(&a, 1, &n1);
  if (!G) return NULL;
  float *B = dfa_f32(&a, 2, &nb);
  if (!B) return NULL;
  float *PO = dfa_f32(&a, 3, &n3);
  if (!PO) return NULL;
  const float lr = (float)dfa_num(&a, 4), mom = (float)dfa_num(&a, 5), wd = (float)dfa_num(&a, 6);
  const int nesterov = dfa_bool(&a, 7), first = dfa_bool(&a, 8);
  if (n1 != n || n3 != n || (mom != 0.f && nb != n)) DFA_THROW(env, "dfa_native.sgd: length mismatch");
  sgd_ctx c = {P, G, B, PO, lr, mom, wd, nesterov, first};
  dfa_parallel(n, DFA_PAR_MIN, sgd_range, &c);
  return NULL;
}

void dfa_register_optim(napi_env env, napi_value exports) {
  dfa_export(env, exports, "adam", adam);
  dfa_export(env, exports, "sgd", sgd);
}
