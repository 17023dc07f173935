/**
 * Node-only: a checkpoint as two files in a directory, checkpoint.json (everything but the
 * tensors, plus an index and the SHA-256 of the binary) and checkpoint-<epoch>.bin (the tensors).
 * Written to temporary names and renamed, JSON last, so a kill mid-write leaves the previous
 * checkpoint intact. Loading verifies the checksum; every error names the file.
 */
import { createHash } from 'node:crypto';
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
    let meta: { bin?: unknown; checkpoint?: unknown; sha256?: unknown };
    try {
      meta = JSON.parse(readFileSync(this.jsonPath, 'utf8'));
    } catch (e) {
      throw new Error(`checkpoint ${this.jsonPath} is not valid JSON (${(e as Error).message}); the file is damaged: delete the folder to start over`);
    }
    if (!meta || typeof meta.bin !== 'string' || typeof meta.checkpoint !== 'string' || !/^checkpoint-\d+\.bin$/.test(meta.bin)) {
      throw new Error(`checkpoint ${this.jsonPath} is not a dfa-ts checkpoint index (no 'bin' and 'checkpoint' entries)`);
    }
    const bin = join(this.dir, meta.bin);
    if (!existsSync(bin)) throw new Error(`checkpoint ${this.jsonPath} names ${meta.bin}, which is missing`);
    const data = readFileSync(bin);
    if (typeof meta.sha256 === 'string' && sha256(data) !== meta.sha256) {
      throw new Error(`checkpoint ${bin} does not match the checksum in ${this.jsonPath} (damaged or truncated file)`);
    }
    try {
      return this.codec.unpack(meta.checkpoint, data);
    } catch (e) {
      throw new Error(`checkpoint ${this.jsonPath}: ${(e as Error).message}`);
    }
  }

  save(c: T): void {
    mkdirSync(this.dir, { recursive: true });
    const { json, bin } = this.codec.pack(c);
    const binName = `checkpoint-${c.epoch}.bin`;
    writeFileSync(join(this.dir, binName + '.tmp'), bin);
    renameSync(join(this.dir, binName + '.tmp'), join(this.dir, binName));
    writeFileSync(this.jsonPath + '.tmp', JSON.stringify({ bin: binName, epoch: c.epoch, sha256: sha256(bin), checkpoint: json }));
    renameSync(this.jsonPath + '.tmp', this.jsonPath);
    for (const f of readdirSync(this.dir)) {
      if (/^checkpoint-\d+\.bin$/.test(f) && f !== binName) rmSync(join(this.dir, f), { force: true });
    }
  }

  describe(): string {
    return this.dir;
  }
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}
