/**
 * Node-only: a checkpoint as two files in a directory, checkpoint.json (everything but the
 * tensors, plus an index) and checkpoint-<epoch>.bin (the tensors). Written to temporary names and
 * renamed, JSON last, so a kill mid-write leaves the previous checkpoint intact.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Checkpoint, type CheckpointStore, packCheckpoint, unpackCheckpoint } from './checkpoint';

export class FileCheckpointStore implements CheckpointStore {
  constructor(readonly dir: string) {}

  private get jsonPath(): string {
    return join(this.dir, 'checkpoint.json');
  }

  load(): Checkpoint | null {
    if (!existsSync(this.jsonPath)) return null;
    const meta = JSON.parse(readFileSync(this.jsonPath, 'utf8')) as { bin: string; checkpoint: string };
    const bin = join(this.dir, meta.bin);
    if (!existsSync(bin)) throw new Error(`checkpoint ${this.jsonPath} names ${meta.bin}, which is missing`);
    return unpackCheckpoint(meta.checkpoint, readFileSync(bin));
  }

  save(c: Checkpoint): void {
    mkdirSync(this.dir, { recursive: true });
    const { json, bin } = packCheckpoint(c);
    const binName = `checkpoint-${c.epoch}.bin`;
    writeFileSync(join(this.dir, binName + '.tmp'), bin);
    renameSync(join(this.dir, binName + '.tmp'), join(this.dir, binName));
    writeFileSync(this.jsonPath + '.tmp', JSON.stringify({ bin: binName, epoch: c.epoch, checkpoint: json }));
    renameSync(this.jsonPath + '.tmp', this.jsonPath);
    for (const f of readdirSync(this.dir)) {
      if (/^checkpoint-\d+\.bin$/.test(f) && f !== binName) rmSync(join(this.dir, f), { force: true });
    }
  }

  describe(): string {
    return this.dir;
  }
}
