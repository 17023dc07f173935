/**
 * The two scenes the reproduce tables train on, as JSON a run's parameters can carry: lego
 * (NeRF-Synthetic, the shared 200 px copy, box down-scaled by `factor`) and fern (LLFF-Real,
 * images_8, down-scaled again by `factor`), each from the shared data or a user's folder. Loaded
 * once per process; `checkSceneFiles` reads only the camera files (poses, bounds, angles), so a
 * bad value is reported, naming its file, before any run starts.
 */
import { loadBlender, readTransforms } from '../data/blender';
import { loadLlff, readLlffPoses } from '../data/llff';
import type { NerfScene } from '../data/scene';
import { dataPath } from '../../../data/paths';

export const SCENES = ['lego', 'fern'] as const;
export type SceneName = (typeof SCENES)[number];

export interface SceneSpec {
  name: SceneName;
  /** a user's scene folder; null = the shared one (nerf/lego_200, nerf/fern) */
  data: string | null;
  /** integer down-scale: lego's 200 px images, fern's images_8 */
  factor: number;
}

/** The dataset a scene stands for in Table 1, as the rows name it. */
export const DATASET: Record<SceneName, string> = { lego: 'NeRF-Synthetic lego', fern: 'LLFF-Real fern' };

export function sceneFolder(s: SceneSpec): string {
  return s.data ?? dataPath(s.name === 'lego' ? 'nerf/lego_200' : 'nerf/fern');
}

const cache = new Map<string, NerfScene>();

/** The scene (lego: its train and test splits), loaded once per process. */
export function loadScene(s: SceneSpec): NerfScene {
  const key = JSON.stringify([s.name, s.data, s.factor]);
  let scene = cache.get(key);
  if (!scene) {
    scene = s.name === 'lego'
      ? loadBlender(sceneFolder(s), { factor: s.factor, splits: ['train', 'test'] })
      : loadLlff(sceneFolder(s), { downscale: s.factor });
    cache.set(key, scene);
  }
  return scene;
}

/** Reads and checks the scene's camera files only (no images): throws an error naming the file. */
export function checkSceneFiles(s: SceneSpec): void {
  if (s.name === 'lego') for (const split of ['train', 'test'] as const) readTransforms(sceneFolder(s), split);
  else readLlffPoses(sceneFolder(s));
}
