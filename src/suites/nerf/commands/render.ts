/**
 * `dfa render <run>`: novel views of a trained NeRF along the camera path stored with it (a
 * spiral for LLFF scenes, a turntable for Blender ones), as numbered PNG frames and an animated
 * PNG, with a progress bar. Rendering is chunked, so any resolution fits in memory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Options, parseArgs } from '../../../cli/args';
import { Progress } from '../../../command/progress';
import { initBackend } from '../../../engine/backend';
import { encodeApng } from '../../../data/apng';
import { encodePngRgb, type RgbImage } from '../../../data/png';
import { sphericalPath } from '../data/scene';
import { loadCheckpoint } from '../models/checkpoint';
import { sceneRays } from '../models/rays';

export const help = `usage: dfa render <run> [options]

<run> is a folder holding model.json (written by 'dfa reproduce figA1' or 'table1', e.g.
runs/figA1/lego-dfa-seed0) or the model.json itself.

options:
  --frames N     frames along the path (default: the stored path, 40 frames)
  --scale X      render at X times the trained resolution (default 1; focal scales with it)
  --dual         NeRF-Dual: average coarse and fine predictions at the fine samples (appendix E)
  --chunk N      network evaluations per chunk (default 65536): bounds memory
  --fps N        animation speed (default 10)
  --out DIR      default <run>/render: frame_000.png ... and render.png (animated)`;

export async function run(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv);
  if (options.help || !positional[0]) {
    console.log(help);
    return positional[0] ? 0 : 1;
  }
  const o = new Options(options, 'dfa render');
  const frames = o.int('frames');
  const scale = o.num('scale', 1);
  const dual = o.flag('dual');
  const chunk = o.int('chunk', 65536);
  const fps = o.num('fps', 10);
  const out = o.str('out', join(positional[0], 'render'));
  o.done();
  if (!(scale > 0)) throw new Error(`dfa render: --scale must be positive, got ${scale}`);
  await initBackend();
  const { model, ck } = loadCheckpoint(positional[0]);
  const cam = ck.camera;
  const H = Math.max(1, Math.round(cam.H * scale));
  const W = Math.max(1, Math.round(cam.W * scale));
  const scene = { ...cam, H, W, focal: cam.focal * (W / cam.W) };
  let poses: Float64Array[] = ck.renderPoses.map((p) => Float64Array.from(p));
  if (frames !== undefined && frames !== poses.length) {
    if (cam.ndc) poses = Array.from({ length: frames }, (_, i) => poses[Math.floor((i * poses.length) / frames)]!);
    else poses = sphericalPath(frames);
  }
  mkdirSync(out, { recursive: true });
  const bar = new Progress(poses.length, `render ${ck.scene} (${ck.method}) ${W}×${H}`);
  const imgs: RgbImage[] = [];
  poses.forEach((pose, i) => {
    const r = model.render(sceneRays(scene, pose), scene, { chunk, dual });
    const img = { width: W, height: H, data: dual && r.rgbDual ? r.rgbDual : r.rgb };
    writeFileSync(join(out, `frame_${String(i).padStart(3, '0')}.png`), encodePngRgb(img));
    imgs.push(img);
    bar.update(i + 1);
  });
  const anim = join(out, 'render.png');
  writeFileSync(anim, encodeApng(imgs, 1000 / fps));
  console.log(`wrote ${poses.length} frames and ${anim} (animated PNG, ${fps} fps)`);
  model.dispose();
  return 0;
}
