/** The bar a worker filters by: the looser of the job's target and the best hash so far. */
import { byteSwap32 } from '../core/bytes.js';

/** The backend reports hashes at or below the looser of the target and the best so far. */
export function scanLimbsFor(targetLimbs: Uint32Array, bestLimbs: Uint32Array): Uint32Array {
  for (let i = 0; i < 8; i++) {
    if (targetLimbs[i] !== bestLimbs[i]) return targetLimbs[i] > bestLimbs[i] ? targetLimbs : bestLimbs;
  }
  return targetLimbs;
}

/** The limbs of the number one below this digest's hash: the bar once that hash is the best. */
export function limbsJustBelow(digest: Uint32Array): Uint32Array {
  const limbs = new Uint32Array(8);
  for (let i = 0; i < 8; i++) limbs[i] = byteSwap32(digest[7 - i]) >>> 0;
  // The hash itself is no longer "better": subtract one from the 256-bit number.
  for (let i = 7; i >= 0; i--) {
    if (limbs[i] !== 0) {
      limbs[i] -= 1;
      break;
    }
    limbs[i] = 0xffffffff;
  }
  return limbs;
}
