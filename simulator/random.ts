/** Seeded randomness: the same scenario always yields the same names, revisions and durations. */

/** 32-bit FNV-1a hash of a string. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: small, fast, good enough for test data. Returns a function yielding [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A deterministic value in [0, 1) for a string (e.g. an object key plus a counter). */
export function unitHash(text: string): number {
  return seededRandom(hashString(text))();
}

/** Deterministic hex digits (for sha1/sha256 revisions and uids). */
export function hexDigits(text: string, length: number): string {
  const next = seededRandom(hashString(text));
  let out = '';
  while (out.length < length) {
    out += Math.floor(next() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  }
  return out.slice(0, length);
}
