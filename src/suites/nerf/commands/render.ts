/**
 * `dfa render <run>`: novel views of a trained NeRF along the camera path stored with it (a
 * spiral for LLFF scenes, a turntable for Blender ones), as numbered PNG frames and an animated
 * PNG, with a progress bar. Rendering is chunked, so any resolution fits in memory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand } from '../../../command/command';
import { UsageError } from '../../../command/options';
import { checkInputPath } from '../../../command/paths';
import { Progress } from '../../../command/progress';
import { outOption } from '../../../command/shared';
import { encodeApng } from '../../../data/apng';
import { encodePngRgb, type RgbImage } from '../../../data/png';
import { initBackend } from '../../../engine/backend';
import { sphericalPath } from '../data/scene';
import { sceneRays } from '../models/rays';
import { loadTrainedNerf } from '../trained';

export const render = defineCommand({
  name: 'render',
  summary: 'render novel views of a trained NeRF along its camera path: PNG frames + an animated PNG',
  description: `<run> is a run folder written by 'dfa reproduce figA1' or 'table1' (e.g. runs/figA1/lego-dfa-seed0:
its checkpoint.json and weights), or that checkpoint.json.`,
  positionals: [{ name: 'run', help: 'the trained model: a run folder or its checkpoint.json', required: true }],
  options: {
    frames: { type: 'int', min: 1, max: 100_000, help: 'frames along the path (default: the stored path, 40 frames)' },
    scale: { type: 'number', min: 0, above: true, max: 16, default: 1, help: 'render at X times the trained resolution (focal scales with it)' },
    dual: { type: 'flag', help: 'NeRF-Dual: average coarse and fine predictions at the fine samples (appendix E)' },
    chunk: { type: 'int', min: 1, max: 1 << 22, default: 65536, help: 'network evaluations per chunk: bounds memory' },
    fps: { type: 'number', min: 0, above: true, default: 10, help: 'animation speed' },
    out: outOption(undefined, 'where the frames go (default <run>/render): frame_000.png ... and render.png (animated)'),
  },
  validate: ({ positionals }) => {
    const why = checkInputPath(positionals[0]!, 'in-any');
    if (why) throw new UsageError(`dfa render: <run> ${positionals[0]}: ${why}`);
  },
  async run({ positionals, options: o }) {
    const runPath = positionals[0]!;
    await initBackend();
    const { model, camera: cam, renderPoses, scene: sceneName, method } = loadTrainedNerf(runPath);
    try {
      const out = o.out ?? join(runPath.replace(/checkpoint\.json$/, ''), 'render');
      const H = Math.max(1, Math.round(cam.H * o.scale));
      const W = Math.max(1, Math.round(cam.W * o.scale));
      const scene = { ...cam, H, W, focal: cam.focal * (W / cam.W) };
      let poses = renderPoses;
      const frames = o.frames;
      if (frames !== undefined && frames !== poses.length) {
        poses = cam.ndc ? Array.from({ length: frames }, (_, i) => poses[Math.floor((i * poses.length) / frames)]!) : sphericalPath(frames);
      }
      mkdirSync(out, { recursive: true });
      const bar = new Progress(poses.length, `render ${sceneName} (${method}) ${W}×${H}`);
      const imgs: RgbImage[] = [];
      poses.forEach((pose, i) => {
        const r = model.render(sceneRays(scene, pose), scene, { chunk: o.chunk, dual: o.dual });
        const img = { width: W, height: H, data: o.dual && r.rgbDual ? r.rgbDual : r.rgb };
        writeFileSync(join(out, `frame_${String(i).padStart(3, '0')}.png`), encodePngRgb(img));
        imgs.push(img);
        bar.update(i + 1);
      });
      const anim = join(out, 'render.png');
      writeFileSync(anim, encodeApng(imgs, 1000 / o.fps));
      console.log(`wrote ${poses.length} frames and ${anim} (animated PNG, ${o.fps} fps)`);
      return 0;
    } finally {
      model.dispose();
    }
  },
});
