/**
 * Node-only: a checkpoint as two files in a directory, checkpoint.json (everything but the
 * tensors, plus an index) and checkpoint-<epoch>.bin (the tensors). Written to temporary names and
 * renamed, JSON last, so a kill mid-write leaves the previous checkpoint intact.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Checkpoint, type CheckpointStore, packCheckpoint, unpackCheckpoint } from './checkpoint';

/** How a store turns its checkpoint type into JSON + binary and back (default: the Trainer's Checkpoint). */
export interface CheckpointCodec<T> {
  pack(c: T): { json: string; bin: Uint8Array };
  unpack(json: string, bin: Uint8Array): T;
}

const trainerCodec: CheckpointCodec<Checkpoint> = { pack: packCheckpoint, unpack: unpackCheckpoint };

export class FileCheckpointStore<T extends { epoch: number } = Checkpoint> implements CheckpointStore<T> {
  constructor(readonly dir: string, private readonly codec: CheckpointCodec<T> = trainerCodec as unknown as CheckpointCodec<T>) {}

  private get jsonPath(): string {
    return join(this.dir, 'checkpoint.json');
  }

  load(): T | null {
    if (!existsSync(this.jsonPath)) return null;
    const meta = JSON.parse(readFileSync(this.jsonPath, 'utf8')) as { bin: string; checkpoint: string };
    const bin = join(this.dir, meta.bin);
    if (!existsSync(bin)) throw new Error(`checkpoint ${this.jsonPath} names ${meta.bin}, which is missing`);
    return this.codec.unpack(meta.checkpoint, readFileSync(bin));
  }

  save(c: T): void {
    mkdirSync(this.dir, { recursive: true });
    const { json, bin } = this.codec.pack(c);
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
