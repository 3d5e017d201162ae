// The order in which QEMU walks the properties of a QOM container (object_property_iter over
// obj->properties, a GLib GHashTable with g_str_hash keys). spapr_dt_drc lists the DRCs of the
// "/dr-connector" container in that order, so reproducing the device tree byte for byte needs
// the same walk: GLib >= 2.60 open addressing (quadratic probing, index = hash * 11 % prime,
// power-of-two sizes) with its in-place resize.

const MIN_SHIFT = 3;
const PRIME_MOD = [1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381, 32749,
  65521, 131071, 262139, 524287, 1048573, 2097143, 4194301, 8388593, 16777213];

/** g_str_hash: djb2 over the bytes as signed chars. */
export function gStrHash(s: string): number {
  let h = 5381;
  for (const b of new TextEncoder().encode(s)) h = (Math.imul(h, 33) + ((b << 24) >> 24)) >>> 0;
  return h;
}

export class GHashOrder {
  private shift = MIN_SHIFT;
  private size = 1 << MIN_SHIFT;
  private mod = PRIME_MOD[MIN_SHIFT];
  private hashes: number[] = new Array(8).fill(0);
  private keys: Array<string | undefined> = new Array(8).fill(undefined);
  private nnodes = 0;
  private noccupied = 0;

  private toIndex(hash: number): number {
    return (Math.imul(hash, 11) >>> 0) % this.mod;
  }

  private setShift(shift: number): void {
    this.shift = shift;
    this.size = 1 << shift;
    this.mod = PRIME_MOD[shift];
  }

  /** g_hash_table_insert of a new key (no removal is modelled: no tombstones). */
  insert(key: string): void {
    let hash = gStrHash(key);
    if (hash < 2) hash = 2;
    let i = this.toIndex(hash);
    let step = 0;
    const mask = this.size - 1;
    while (this.hashes[i] !== 0) {
      if (this.hashes[i] === hash && this.keys[i] === key) return;
      step++;
      i = (i + step) & mask;
    }
    this.hashes[i] = hash;
    this.keys[i] = key;
    this.nnodes++;
    this.noccupied++;
    this.maybeResize();
  }

  private maybeResize(): void {
    const occ = this.noccupied;
    if ((this.size > this.nnodes * 4 && this.size > 1 << MIN_SHIFT) || this.size <= occ + Math.trunc(occ / 16)) {
      this.resize();
    }
  }

  private resize(): void {
    const oldSize = this.size;
    let n = Math.trunc(this.nnodes * 1.333);
    let shift = 0;
    while (n) { n >>= 1; shift++; }
    this.setShift(Math.max(shift, MIN_SHIFT));
    if (this.size > oldSize) {
      for (let i = oldSize; i < this.size; i++) { this.hashes[i] = 0; this.keys[i] = undefined; }
    }
    const done = new Uint8Array(Math.max(this.size, oldSize));
    const mask = this.size - 1;
    for (let i = 0; i < oldSize; i++) {
      let nodeHash = this.hashes[i];
      if (nodeHash < 2) { this.hashes[i] = 0; continue; }
      if (done[i]) continue;
      this.hashes[i] = 0;
      let key = this.keys[i];
      this.keys[i] = undefined;
      for (;;) {
        let h = this.toIndex(nodeHash);
        let step = 0;
        while (done[h]) { step++; h = (h + step) & mask; }
        done[h] = 1;
        const replaced = this.hashes[h];
        const replacedKey = this.keys[h];
        this.hashes[h] = nodeHash;
        this.keys[h] = key;
        if (replaced < 2) break;
        nodeHash = replaced;
        key = replacedKey;
      }
    }
    this.hashes.length = this.size;
    this.keys.length = this.size;
    this.noccupied = this.nnodes;
  }

  /** g_hash_table_iter order. */
  keysInOrder(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.size; i++) if (this.hashes[i] >= 2) out.push(this.keys[i]!);
    return out;
  }
}
