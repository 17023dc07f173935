/**
 * Node-only: a checkpoint as two files in a directory, checkpoint.json (everything but the
 * tensors, plus an index and the SHA-256 of the binary and of the JSON) and checkpoint-<epoch>.bin
 * (the tensors).
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

/**
 * The entries of checkpoint.json, sorted, by format: before checksums; with the binary's SHA-256;
 * with the JSON's too (written now). Anything else (a damaged key) is refused, so a flipped byte
 * in a checksum's name cannot pass for an older format.
 */
const INDEX_KEYS = ['bin,checkpoint,epoch', 'bin,checkpoint,epoch,sha256', 'bin,checkpoint,checkpointSha256,epoch,sha256'];

export class FileCheckpointStore<T extends { epoch: number } = Checkpoint> implements CheckpointStore<T> {
  constructor(readonly dir: string, private readonly codec: CheckpointCodec<T> = trainerCodec as unknown as CheckpointCodec<T>) {}

  private get jsonPath(): string {
    return join(this.dir, 'checkpoint.json');
  }

  load(): T | null {
    if (!existsSync(this.jsonPath)) return null;
    let meta: Record<string, unknown>;
    try {
      meta = JSON.parse(readFileSync(this.jsonPath, 'utf8'));
    } catch (e) {
      throw new Error(`checkpoint ${this.jsonPath} is not valid JSON (${(e as Error).message}); the file is damaged: delete the folder to start over`);
    }
    const keys = meta && typeof meta === 'object' && !Array.isArray(meta) ? Object.keys(meta).sort().join(',') : '';
    if (!INDEX_KEYS.includes(keys) || typeof meta.bin !== 'string' || typeof meta.checkpoint !== 'string' || !/^checkpoint-\d+\.bin$/.test(meta.bin)) {
      throw new Error(`checkpoint ${this.jsonPath} is not a dfa-ts checkpoint index (expected the entries ${INDEX_KEYS[INDEX_KEYS.length - 1]}; found ${keys || 'none'}): the file is damaged`);
    }
    if ((meta.sha256 !== undefined && typeof meta.sha256 !== 'string') || (meta.checkpointSha256 !== undefined && typeof meta.checkpointSha256 !== 'string')) {
      throw new Error(`checkpoint ${this.jsonPath}: its checksums are not strings (damaged file)`);
    }
    if (typeof meta.checkpointSha256 === 'string' && sha256(Buffer.from(meta.checkpoint, 'utf8')) !== meta.checkpointSha256) {
      throw new Error(`checkpoint ${this.jsonPath} does not match its own checksum (damaged file): delete the folder to start over`);
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
    writeFileSync(this.jsonPath + '.tmp', JSON.stringify({ bin: binName, epoch: c.epoch, sha256: sha256(bin), checkpointSha256: sha256(Buffer.from(json, 'utf8')), checkpoint: json }));
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
