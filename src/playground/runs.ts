/**
 * Node-only: reads `dfa train` run directories (runs/<id>/config.json, metrics.jsonl,
 * result.json) for the report page, with errors that name the file and line.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunData, RunRecord } from './run_data';

function readJson(path: string): Record<string, unknown> | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${path} is not valid JSON (${(e as Error).message}); is the file truncated?`);
  }
}

export function readRun(dir: string): RunData {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`run directory ${dir} does not exist`);
  const mpath = join(dir, 'metrics.jsonl');
  if (!existsSync(mpath)) throw new Error(`${dir} has no metrics.jsonl; is it a run directory written by 'dfa train'?`);
  const records: RunRecord[] = [];
  const lines = readFileSync(mpath, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let r: RunRecord;
    try {
      r = JSON.parse(line) as RunRecord;
    } catch (e) {
      // A run still being written may end in a partial line: skip only the last one.
      if (i >= lines.length - 2) return;
      throw new Error(`${mpath}:${i + 1} is not valid JSON (${(e as Error).message})`);
    }
    if (typeof r.epoch !== 'number' || typeof r.trainLoss !== 'number') {
      throw new Error(`${mpath}:${i + 1}: expected an epoch record with 'epoch' and 'trainLoss'`);
    }
    records.push(r);
  });
  return { id: dir, config: readJson(join(dir, 'config.json')), records, result: readJson(join(dir, 'result.json')) };
}
