#include "common.h"
void dfa_register_gather(napi_env env, napi_value exports) { (void)env; (void)exports; }
