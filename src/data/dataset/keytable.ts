/**
 * A string → number table for millions of identifiers, kept outside the JavaScript heap.
 *
 * An import checks every row's key for duplicates and every reference against the keys of
 * another file: millions of lookups into tables of millions of keys. A `Map<string, number>`
 * costs hundreds of nanoseconds per operation at that size and ~70 bytes per key of
 * garbage-collected heap. This table stores each key's characters in a byte arena and its
 * 32-bit hash in a typed array (open addressing, linear probing), so an operation is one
 * hash over the characters plus, usually, one slot read; equal hashes are confirmed by
 * comparing the stored characters, so answers are exact.
 *
 * Values are non-zero integers (0 means "absent"); keys are one string or a pair.
 */

const EMPTY = 0;
/** Characters from 0xFF up are stored as 0xFF, high byte, low byte. */
const ESCAPE = 0xff;
/** Entry header in the arena: uint16 byte length. */
const HEADER = 2;
const PAIR_SEPARATOR = 1; // U+0001 between the parts of a pair
/** Int32s per slot: 1 + arena offset (0 = empty), hash, value. One cache line holds several. */
const STRIDE = 3;

export class KeyTable {
  private slots: Int32Array;
  private capacity: number;
  private mask: number;
  private arena: Uint8Array;
  private used = 0;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.capacity = cap;
    this.mask = cap - 1;
    this.slots = new Int32Array(cap * STRIDE);
    this.arena = new Uint8Array(Math.max(1024, initialCapacity * 16));
  }

  get size(): number {
    return this.count;
  }

  /** The value stored for key (or the pair a, b), or 0. */
  get(a: string, b?: string): number {
    const i = this.find(hashOf(a, b), a, b);
    return i < 0 ? 0 : (this.slots[i + 2] ?? 0);
  }

  has(a: string, b?: string): boolean {
    return this.find(hashOf(a, b), a, b) >= 0;
  }

  /** Stores value (non-zero) for key (or the pair a, b), replacing any value it had. */
  set(value: number, a: string, b?: string): void {
    if (value === EMPTY) throw new RangeError('KeyTable values must be non-zero');
    const h = hashOf(a, b);
    const slots = this.slots;
    let i = (h & this.mask) * STRIDE;
    for (;;) {
      const ref = slots[i] ?? 0;
      if (ref === EMPTY) break;
      if (slots[i + 1] === h && this.equals(ref - 1, a, b)) {
        slots[i + 2] = value;
        return;
      }
      i += STRIDE;
      if (i >= slots.length) i = 0;
    }
    slots[i] = this.append(a, b) + 1;
    slots[i + 1] = h;
    slots[i + 2] = value;
    this.count++;
    if (this.count * 4 > this.capacity * 3) this.grow();
  }

  /** Slot index (times STRIDE) holding the key, or -1. */
  private find(h: number, a: string, b: string | undefined): number {
    const slots = this.slots;
    let i = (h & this.mask) * STRIDE;
    for (;;) {
      const ref = slots[i] ?? 0;
      if (ref === EMPTY) return -1;
      if (slots[i + 1] === h && this.equals(ref - 1, a, b)) return i;
      i += STRIDE;
      if (i >= slots.length) i = 0;
    }
  }

  private equals(at: number, a: string, b: string | undefined): boolean {
    const arena = this.arena;
    const end = at + HEADER + ((arena[at] ?? 0) | ((arena[at + 1] ?? 0) << 8));
    let p = matchPart(arena, at + HEADER, end, a);
    if (p < 0) return false;
    if (b !== undefined) {
      if (p >= end || arena[p] !== PAIR_SEPARATOR) return false;
      p = matchPart(arena, p + 1, end, b);
      if (p < 0) return false;
    }
    return p === end;
  }

  private append(a: string, b: string | undefined): number {
    const need = HEADER + 3 * (a.length + (b === undefined ? 0 : b.length + 1));
    if (this.used + need > this.arena.length) {
      let size = this.arena.length * 2;
      while (this.used + need > size) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.arena.subarray(0, this.used));
      this.arena = next;
    }
    const at = this.used;
    let p = writePart(this.arena, at + HEADER, a);
    if (b !== undefined) {
      this.arena[p++] = PAIR_SEPARATOR;
      p = writePart(this.arena, p, b);
    }
    const length = p - at - HEADER;
    if (length > 0xffff) throw new RangeError('key too long for KeyTable');
    this.arena[at] = length & 0xff;
    this.arena[at + 1] = length >>> 8;
    this.used = p;
    return at;
  }

  private grow(): void {
    const old = this.slots;
    this.capacity *= 2;
    this.mask = this.capacity - 1;
    const slots = new Int32Array(this.capacity * STRIDE);
    for (let j = 0; j < old.length; j += STRIDE) {
      const ref = old[j] ?? 0;
      if (ref === EMPTY) continue;
      const h = old[j + 1] ?? 0;
      let i = (h & this.mask) * STRIDE;
      while ((slots[i] ?? 0) !== EMPTY) {
        i += STRIDE;
        if (i >= slots.length) i = 0;
      }
      slots[i] = ref;
      slots[i + 1] = h;
      slots[i + 2] = old[j + 2] ?? 0;
    }
    this.slots = slots;
  }
}

function writePart(arena: Uint8Array, start: number, s: string): number {
  let p = start;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < ESCAPE) arena[p++] = c;
    else {
      arena[p++] = ESCAPE;
      arena[p++] = c >>> 8;
      arena[p++] = c & 0xff;
    }
  }
  return p;
}

/** Position after `s` when the arena holds `s` at `start`, else -1. */
function matchPart(arena: Uint8Array, start: number, end: number, s: string): number {
  let p = start;
  for (let i = 0; i < s.length; i++) {
    if (p >= end) return -1;
    const c = s.charCodeAt(i);
    if (c < ESCAPE) {
      if (arena[p] !== c) return -1;
      p++;
    } else {
      if (arena[p] !== ESCAPE || arena[p + 1] !== c >>> 8 || arena[p + 2] !== (c & 0xff)) return -1;
      p += 3;
    }
  }
  return p;
}

/** FNV-1a over the characters (and the separator of a pair), finished with murmur3's mix. */
function hashOf(a: string, b: string | undefined): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 16777619);
  if (b !== undefined) {
    h = Math.imul(h ^ PAIR_SEPARATOR, 16777619);
    for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b.charCodeAt(i), 16777619);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
