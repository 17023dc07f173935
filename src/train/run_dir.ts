/**
 * Node-only: a run's directory, runs/<id>/: config.json, metrics.jsonl (one JSON line per epoch),
 * result.json, report.html and the checkpoint.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileCheckpointStore } from './checkpoint_fs';
import type { EpochRecord } from './trainer';

export function timestampId(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

export class RunDir {
  constructor(readonly path: string) {
    mkdirSync(path, { recursive: true });
  }

  file(name: string): string {
    return join(this.path, name);
  }

  writeJson(name: string, value: unknown): void {
    writeFileSync(this.file(name), JSON.stringify(value, null, 2) + '\n');
  }

  readJson<T>(name: string): T {
    const p = this.file(name);
    if (!existsSync(p)) throw new Error(`${p} does not exist`);
    try {
      return JSON.parse(readFileSync(p, 'utf8')) as T;
    } catch (e) {
      throw new Error(`${p} is not valid JSON (${(e as Error).message}): the run folder is damaged`);
    }
  }

  readJsonOr<T>(name: string): T | null {
    return existsSync(this.file(name)) ? this.readJson<T>(name) : null;
  }

  appendMetrics(rec: EpochRecord): void {
    appendFileSync(this.file('metrics.jsonl'), JSON.stringify(rec) + '\n');
  }

  /** Rewrite metrics.jsonl from a history (on resume: drop lines past the checkpoint). */
  resetMetrics(history: EpochRecord[]): void {
    writeFileSync(this.file('metrics.jsonl'), history.map((r) => JSON.stringify(r) + '\n').join(''));
  }

  writeText(name: string, text: string): void {
    writeFileSync(this.file(name), text);
  }

  checkpoints(): FileCheckpointStore {
    return new FileCheckpointStore(this.path);
  }
}
