/** A small seeded PRNG (mulberry32): the demo data is the same on every seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

const adjectives = ['brave', 'calm', 'eager', 'gentle', 'happy', 'jolly', 'keen', 'lively', 'mighty', 'nifty',
  'quiet', 'sharp', 'sunny', 'tidy', 'witty', 'bold', 'crisp', 'frosty', 'golden', 'amber'];
const nouns = ['owl', 'river', 'lamp', 'tiger', 'maple', 'comet', 'falcon', 'pebble', 'cactus', 'harbor',
  'lantern', 'meadow', 'otter', 'quartz', 'willow', 'ember', 'fjord', 'glacier', 'heron', 'plum'];

/** Job names in the style Azure ML generates (`keen_otter_4mz7q2kx9d`). */
export function jobName(random: () => number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let suffix = '';
  for (let i = 0; i < 10; i++) suffix += alphabet[Math.floor(random() * alphabet.length)];
  return `${pick(random, adjectives)}_${pick(random, nouns)}_${suffix}`;
}
