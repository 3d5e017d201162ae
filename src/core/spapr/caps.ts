// `-machine pseries,cap-<name>=<value>`: the spapr capabilities a user can set
// (hw/ppc/spapr_caps.c). Values are the mig.caps[] levels of SPAPR_CAPS.

/** spapr caps, in mig.caps[] index order (hw/ppc/spapr_caps.c). */
export const SPAPR_CAPS = [
  'htm', 'vsx', 'dfp', 'cfpc', 'sbbc', 'ibs', 'hpt_maxpagesize', 'nested_kvm_hv', 'large_decr',
  'ccf_assist', 'fwnmi', 'rpt_invalidate',
] as const;

const BOOL = { off: 0, on: 1 } as Record<string, number>;
const TRISTATE = { broken: 0, workaround: 1, fixed: 2 } as Record<string, number>;
const IBS = { broken: 0, workaround: 1, 'fixed-ibs': 2, 'fixed-ccd': 3, 'fixed-na': 0x10 } as Record<string, number>;

/** The option name (cap-cfpc) of each SPAPR_CAPS entry, and its value names. */
const CAP_OPTIONS: Record<string, { index: number; values: Record<string, number> }> = {};
for (const [i, name] of SPAPR_CAPS.entries()) {
  if (name === 'hpt_maxpagesize') continue; // a size, set with cap-hpt-max-page-size below
  const opt = name === 'nested_kvm_hv' ? 'nested-hv' : name.replace(/_/g, '-');
  const values = name === 'ibs' ? IBS : name === 'cfpc' || name === 'sbbc' ? TRISTATE : BOOL;
  CAP_OPTIONS[opt] = { index: i, values };
}

/**
 * Parse one `cap-*` machine property: returns [index, level], or throws an Error with
 * QEMU's message. `undefined` when `key` is not a cap property at all.
 */
export function parseCapOption(key: string, value: string): [number, number] | undefined {
  if (!key.startsWith('cap-')) return undefined;
  const name = key.slice(4);
  if (name === 'hpt-max-page-size') {
    const m = /^(\d+)([kKmMgG]?)$/.exec(value);
    const mult = { '': 1, k: 1 << 10, m: 1 << 20, g: 1 << 30 }[(m?.[2] ?? '').toLowerCase()] ?? 1;
    const bytes = m ? Number(m[1]) * mult : NaN;
    const shift = Math.log2(bytes);
    if (!Number.isInteger(shift)) throw new Error(`Invalid capability mode "${value}" for cap-${name}`);
    return [SPAPR_CAPS.indexOf('hpt_maxpagesize'), shift];
  }
  const cap = CAP_OPTIONS[name];
  if (!cap) return undefined;
  const level = cap.values[value];
  if (level === undefined) {
    if (cap.values === BOOL) throw new Error(`Parameter '${key}' expects 'on' or 'off'`);
    throw new Error(`Invalid capability mode "${value}" for ${key}`);
  }
  return [cap.index, level];
}
