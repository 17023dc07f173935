/**
 * A Blender-like scene for throughput benchmarks (no data folder): `views` cameras on the
 * sphere of radius 4 around the origin (nerf's render path), random images, near 2, far 6,
 * white background, as ../shared/anchors/torch_nerf.py's synthetic rays. Colours carry no
 * information; only the speed is measured.
 */
import { Rng } from '../src/engine/rng';
import { sphericalPath, type NerfScene } from '../src/suites/nerf/data/scene';

export function syntheticScene(H: number, W: number, views: number, seed: number): NerfScene {
  const rng = new Rng(seed);
  const poses = sphericalPath(views);
  const v = poses.map((pose, i) => ({ image: rng.uniformArray(H * W * 3), pose, name: `synthetic view ${i}` }));
  return {
    kind: 'blender', H, W, focal: (0.5 * W) / Math.tan(0.5 * 0.6911112070083618), near: 2, far: 6, ndc: false, whiteBackground: true,
    train: v, test: v.slice(0, 1), val: v.slice(0, 1), renderPoses: poses,
  };
}
