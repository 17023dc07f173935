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
