import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Instance } from '../src/core/instance';
import { MemoryLink } from '../src/core/migration/transport';
import { analyzeStream } from '../src/core/vmstate/analyze';
import { HtabMigration } from '../src/core/migration/htab';
import { QEMUFileWriter } from '../src/core/vmstate/qemufile';
import { SpaprHpt } from '../src/core/spapr/hpt';

const elf = new Uint8Array(readFileSync(new URL('../public/guests/hello.elf', import.meta.url)));

function migrate(prepare: (src: Instance) => void, whileRunning: (src: Instance) => void = () => {}) {
  const src = new Instance({ name: 'source', deterministic: true });
  const dst = new Instance({ name: 'destination', deterministic: true });
  let s = '';
  let d = '';
  src.onMigration = (i) => { s = i.status; };
  dst.onMigration = (i) => { d = i.status; };
  src.boot(elf);
  while (src.machine.cpu.state.insnCount < 500_000) src.turn();
  prepare(src);
  const link = new MemoryLink();
  dst.incoming(link.receiver);
  src.migrate(link.sender);
  let once = false;
  for (let i = 0; i < 100_000 && !(s === 'completed' && d === 'completed'); i++) {
    src.turn(); link.receiver.pump(); dst.turn(); link.sender.pump();
    if (!once && s === 'active') { once = true; whileRunning(src); }
  }
  expect([s, d]).toEqual(['completed', 'completed']);
  return { src, dst, stream: link.bytes() };
}

// A valid 4K HPTE: pte0 = AVPN | V, pte1 = RPN | R | C | M (WIMG 0010) | PP.
const pte = (n: number): [bigint, bigint] => [(BigInt(n) << 7n) | 0x1n, (BigInt(0x100 + n) << 12n) | 0x190n | 0x2n];

describe('spapr/htab migration', () => {
  it('carries every valid HPTE, and the ones changed during precopy', () => {
    const { src, dst, stream } = migrate(
      (m) => { for (const i of [0, 1, 2, 9, 4000, 131071]) m.machine.hpt.writeHpte(i, ...pte(i)); },
      // changed while the guest runs: marked dirty as the hcalls mark it, so a later pass sends it
      (m) => {
        m.machine.hpt.writeHpte(9, 0n, 0n);
        m.machine.hpt.writeHpte(9, 0x40n, 0n); // invalidated (dirty)
        const [p0, p1] = pte(77);
        m.machine.hpt.writeHpte(77, p0 | 0x40n, p1);
      },
    );
    const a = src.machine.hpt;
    const b = dst.machine.hpt;
    for (const i of [0, 1, 2, 4000, 131071, 77]) {
      const [p0, p1] = b.readHpte(i);
      expect([p0 & ~0x40n, p1], `hpte ${i}`).toEqual([a.readHpte(i)[0] & ~0x40n, a.readHpte(i)[1]]);
      expect(p0 & 1n).toBe(1n);
    }
    expect(b.readHpte(9)[0] & 1n).toBe(0n);
    const htab = analyzeStream(stream).records.filter((r) => r.idstr === 'spapr/htab');
    // RAM never finishes a pass before convergence here, so (as in QEMU, where the iterate
    // loop stops at the first unfinished handler) the whole table goes in the END section.
    expect(htab.map((r) => r.type)).toEqual(['START', 'END']);
    expect(htab[0].htab?.shift).toBe(21);
    expect(htab[1].htab?.valid).toBe(6);
  });

  it('sends valid entries in the first pass and dirty ones (valid, then invalid) later', () => {
    const hpt = new SpaprHpt();
    hpt.setShift(18);
    for (const i of [3, 4, 5, 100]) hpt.writeHpte(i, ...pte(i));
    const h = new HtabMigration({ htabShift: 18, table: hpt });
    const w = new QEMUFileWriter();
    h.save_setup(w);
    expect(h.save_live_iterate(w)).toBe(0); // first pass
    hpt.writeHpte(4, 0x40n, 0n); // removed: dirty and invalid
    const [p0, p1] = pte(5);
    hpt.writeHpte(5, p0 | 0x40n, p1 ^ 0x4n); // changed: dirty and valid
    expect(h.save_live_iterate(w)).toBe(1);
    h.save_live_complete_precopy(w);
    const bytes = w.take();
    const r = new DataView(bytes.buffer, bytes.byteOffset);
    const chunks: string[] = [];
    let o = 4; // START: htab_shift
    for (let pass = 0; pass < 3; pass++) {
      expect(r.getUint32(o)).toBe(0);
      o += 4;
      for (;;) {
        const index = r.getUint32(o), nv = r.getUint16(o + 4), ni = r.getUint16(o + 6);
        o += 8;
        if (!index && !nv && !ni) break;
        chunks.push(`${pass}:${index}+${nv}/${ni}`);
        o += 16 * nv;
      }
    }
    expect(o).toBe(bytes.length);
    expect(chunks).toEqual(['0:3+3/0', '0:100+1/0', '1:4+0/1', '1:5+1/0']);
  });
});
