/**
 * The fields of the pool's /api/pool snapshot (PoolSnapshot in src/pool/server.ts) that the pool's
 * views read. Declared here, as a typed client of the JSON API: the server's module speaks node:http,
 * which the page's own TypeScript project does not type.
 */
export interface Part {
  miner: string;
  difficulty: number;
  /** Satoshis, as a decimal string. */
  amount: string;
}

export interface PoolMiner {
  worker: string;
  accepted: number;
  rejected: number;
  rejects: Record<string, number>;
  difficulty: number | null;
  bestShareDifficulty: number | null;
  inferredHashrate: number;
  inferenceShares: number;
  reportedHashrate: number | null;
  /** Its newest connection came over the WebSocket endpoint: a browser. */
  browser: boolean;
  blocksFound: number;
  earned: string;
}

export interface PoolBlock {
  height: number;
  hash: string;
  finder: string;
  accepted: boolean;
  reason?: string;
  split: Part[];
  splitMiners: number;
}

export interface PoolSnapshot {
  pool: {
    stratum: string;
    websocket: string;
    chain: string;
    height: number | null;
    networkDifficulty: number | null;
    hashesPerBlock: number | null;
    shareDifficulty: { start: number; min: number; max: number } | null;
    shareSeconds: number;
    connections: number;
    workers: number;
    inferredHashrate: number;
    reportedHashrate: number;
    blocks: number;
    luck: number | null;
    roundEffort: number | null;
  };
  pplns: {
    formula: string;
    windowFactor: number;
    window: number | null;
    windowFilled: number | null;
    reward: string | null;
    splitIfFoundNow: Part[];
    splitMiners: number;
  };
  miners: PoolMiner[];
  blocks: PoolBlock[];
}
