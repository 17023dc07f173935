/**
 * Backend selection for Node. `initBackend()` makes the native OpenBLAS backend ('native')
 * current when its addon loads, and otherwise falls back to tfjs's plain 'cpu' backend,
 * saying so once with the command that builds the addon. `DFA_BACKEND=cpu` forces the fallback.
 */
import * as tf from '@tensorflow/tfjs';
import { loadNativeAddon, nativeLoadError } from './native/addon';
import { registerNativeBackend, NATIVE_BACKEND } from './native/register';

let initialised: string | null = null;
let warned = false;

export interface BackendInfo {
  name: string;
  native: boolean;
  reason?: string;
}

export async function initBackend(prefer = process.env.DFA_BACKEND): Promise<BackendInfo> {
  if (initialised && !prefer) return { name: initialised, native: initialised === NATIVE_BACKEND };
  if (prefer === 'cpu') {
    await tf.setBackend('cpu');
    quietCpuWarning();
    initialised = 'cpu';
    return { name: 'cpu', native: false, reason: 'DFA_BACKEND=cpu' };
  }
  if (prefer && prefer !== 'native') {
    throw new Error(`DFA_BACKEND must be 'native' or 'cpu', got '${prefer}'`);
  }
  const addon = loadNativeAddon();
  if (!addon) {
    if (!warned) {
      warned = true;
      console.warn(
        `dfa-ts: the native OpenBLAS addon is not built (${nativeLoadError()}); running on plain ` +
          `tfjs cpu, which is much slower. For native speed: apt-get install -y libopenblas-dev ` +
          `&& npm run build:native`,
      );
    }
    await tf.setBackend('cpu');
    quietCpuWarning();
    initialised = 'cpu';
    return { name: 'cpu', native: false, reason: nativeLoadError() ?? 'addon missing' };
  }
  registerNativeBackend(addon);
  await tf.setBackend(NATIVE_BACKEND);
  initialised = NATIVE_BACKEND;
  return { name: NATIVE_BACKEND, native: true };
}

/** tfjs's cpu backend prints an advert for tfjs-node on first write; we know, and chose this. */
function quietCpuWarning(): void {
  const b = tf.backend() as unknown as { firstUse?: boolean };
  b.firstUse = false;
}

export function backendName(): string {
  return tf.getBackend();
}
