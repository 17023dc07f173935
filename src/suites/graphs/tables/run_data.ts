/** The Planetoid data of a run, where a missing or damaged file is a failure retrying cannot fix. */
import { join } from 'node:path';
import { DeterministicRunError } from '../../../command/experiment';
import { loadGraphData, PlanetoidFileError, type GraphData, type PlanetoidName } from '../data';

/** `data`: a user's folder holding <dataset>/ (null: the shared data). Errors name the file. */
export async function loadRunData(dataset: PlanetoidName, data: string | null): Promise<GraphData> {
  try {
    return await loadGraphData(dataset, data ? join(data, dataset) : undefined);
  } catch (e) {
    if (e instanceof PlanetoidFileError) throw new DeterministicRunError(e.message);
    throw e;
  }
}
