/**
 * The honest baseline: a general-purpose SHA-256 library called twice per nonce on the whole header,
 * as a program that knows nothing about mining would do it.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { NONCE_OFFSET } from '../core/header.js';
import { readUint32BE } from '../core/bytes.js';
import { digestMeetsTarget } from '../core/target.js';
import type { HashBackend, ScanJob } from './backend.js';

export function createNobleBackend(): HashBackend {
  const header = new Uint8Array(80);
  const digest = new Uint32Array(8);
  let targetLimbs: Uint32Array = new Uint32Array(8);
  return {
    name: 'noble',
    setJob(job: ScanJob) {
      header.set(job.header);
      targetLimbs = job.targetLimbs;
    },
    scan(start: number, count: number): number {
      const end = start + count;
      for (let nonce = start; nonce < end; nonce++) {
        header[NONCE_OFFSET] = nonce & 0xff;
        header[NONCE_OFFSET + 1] = (nonce >>> 8) & 0xff;
        header[NONCE_OFFSET + 2] = (nonce >>> 16) & 0xff;
        header[NONCE_OFFSET + 3] = (nonce >>> 24) & 0xff;
        const hash = sha256(sha256(header));
        for (let t = 0; t < 8; t++) digest[t] = readUint32BE(hash, 4 * t);
        if (digestMeetsTarget(digest, targetLimbs)) return nonce;
      }
      return -1;
    },
  };
}
