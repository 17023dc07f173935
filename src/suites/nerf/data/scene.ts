/** The in-memory form every NeRF loader returns: images, camera-to-world poses and intrinsics. */
export interface NerfView {
  /** H*W*3 floats in [0, 1]. */
  image: Float32Array;
  /** Camera-to-world, 3×4 row-major ([R | t], OpenGL camera axes: x right, y up, looking down -z). */
  pose: Float64Array;
  /** Where it came from (file path), for messages. */
  name: string;
}

/** What rendering a scene's rays needs (no images): stored with a trained model for `dfa render`. */
export interface NerfCamera {
  H: number;
  W: number;
  focal: number;
  /** Ray bounds used for sampling (in NDC space when `ndc`). */
  near: number;
  far: number;
  /** LLFF forward-facing scenes render in normalised device coordinates. */
  ndc: boolean;
  whiteBackground: boolean;
}

export interface NerfScene extends NerfCamera {
  kind: 'blender' | 'llff';
  train: NerfView[];
  test: NerfView[];
  val: NerfView[];
  /** A camera path for novel-view videos (`dfa render`). */
  renderPoses: Float64Array[];
}

export function cameraOf(s: NerfCamera): NerfCamera {
  return { H: s.H, W: s.W, focal: s.focal, near: s.near, far: s.far, ndc: s.ndc, whiteBackground: s.whiteBackground };
}

/** The top 3×4 of a 4×4 transform_matrix; a wrong shape or a non-finite value is named with its row and column. */
export function pose3x4From4x4(m: number[][], where: string): Float64Array {
  if (!Array.isArray(m) || m.length < 3 || m.slice(0, 3).some((r) => !Array.isArray(r) || r.length !== 4 || r.some((x) => typeof x !== 'number'))) {
    throw new Error(`${where}: transform_matrix must be a 4×4 array of finite numbers`);
  }
  const p = new Float64Array(12);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) p[r * 4 + c] = m[r]![c]!;
  const bad = p.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`${where}: transform_matrix has a non-finite value (${p[bad]}) in row ${Math.floor(bad / 4)}, column ${bad % 4}`);
  return p;
}

/** NeRF's Blender render path: cameras on a sphere of radius 4 at elevation -30°, turning around z. */
export function sphericalPath(n: number, radius = 4, elevationDeg = -30): Float64Array[] {
  const out: Float64Array[] = [];
  for (let k = 0; k < n; k++) out.push(poseSpherical((-180 + (360 * k) / n), elevationDeg, radius));
  return out;
}

/** nerf's pose_spherical(theta, phi, radius): translate along z, tilt by phi, turn by theta, then swap axes to Blender world. */
export function poseSpherical(thetaDeg: number, phiDeg: number, radius: number): Float64Array {
  const th = (thetaDeg * Math.PI) / 180;
  const ph = (phiDeg * Math.PI) / 180;
  const trans = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, radius], [0, 0, 0, 1]];
  const rotPhi = [[1, 0, 0, 0], [0, Math.cos(ph), -Math.sin(ph), 0], [0, Math.sin(ph), Math.cos(ph), 0], [0, 0, 0, 1]];
  const rotTheta = [[Math.cos(th), 0, -Math.sin(th), 0], [0, 1, 0, 0], [Math.sin(th), 0, Math.cos(th), 0], [0, 0, 0, 1]];
  const swap = [[-1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]];
  const m = mul4(swap, mul4(rotTheta, mul4(rotPhi, trans)));
  const p = new Float64Array(12);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) p[r * 4 + c] = m[r]![c]!;
  return p;
}

function mul4(a: number[][], b: number[][]): number[][] {
  return a.map((row) => [0, 1, 2, 3].map((c) => row.reduce((s, v, k) => s + v * b[k]![c]!, 0)));
}
