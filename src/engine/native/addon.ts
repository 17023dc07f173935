/** Loads the C N-API addon built by node-gyp from native/ (null when it is not built). */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { NativeAddon } from './types';

let cached: NativeAddon | null | undefined;
let loadError: string | null = null;

export function addonPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here, '..', '..', '..', 'native', 'build', 'Release', 'dfa_native.node');
}

export function loadNativeAddon(): NativeAddon | null {
  if (cached !== undefined) return cached;
  const p = addonPath();
  if (!existsSync(p)) {
    loadError = `${p} not found`;
    cached = null;
    return null;
  }
  // OpenBLAS's worker threads spin for 2^28 cycles (~0.1 s) after each GEMM before sleeping; in
  // a step that mixes GEMMs with our own threaded kernels (convolutions, pooling) the spinning
  // thread takes the core our second thread needs. 2^4 cycles: they sleep at once (a user's own
  // setting wins). Read by OpenBLAS when the addon loads it.
  process.env.OPENBLAS_THREAD_TIMEOUT ??= '4';
  try {
    const require = createRequire(import.meta.url);
    cached = require(p) as NativeAddon;
  } catch (e) {
    loadError = `${p} failed to load: ${(e as Error).message}`;
    cached = null;
  }
  return cached;
}

export function nativeLoadError(): string | null {
  return loadError;
}
