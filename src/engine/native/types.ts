/** The functions exported by native/src/*.c (all float32, all writing into caller-owned output). */
export interface NativeAddon {
  info(): { blasConfig: string; blasThreads: number; blasCore: string };
  setThreads(n: number): void;
  sgemm(a: Float32Array, b: Float32Array, out: Float32Array, batchA: number, batchB: number, m: number, n: number, k: number, transA: boolean, transB: boolean, bias?: Float32Array | null): void;
  [name: string]: unknown;
}
