/**
 * What must match for the native backend to give bit-identical numbers across machines: the CPU
 * (the addon is built with -march=native and OpenBLAS picks its kernels by CPU), the OpenBLAS
 * and Node builds. Plain tfjs cpu is JavaScript and the same everywhere.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';

export function machineFingerprint(): string {
  const info = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /model name\s*:\s*(.*)/.exec(info)?.[1]?.trim() ?? 'unknown cpu';
  const flags = [...new Set((/flags\s*:\s*(.*)/.exec(info)?.[1] ?? '').split(/\s+/).filter((f) => /^(avx|fma|sse4|f16c)/.test(f)))].sort().join(',');
  const blasLib = ['/usr/lib/x86_64-linux-gnu/libopenblas.so.0', '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0'].find(existsSync);
  const blas = blasLib ? realpathSync(blasLib).split('/').pop() : 'no openblas';
  return `${model} [${flags}] ${blas} node ${process.versions.node}`;
}
