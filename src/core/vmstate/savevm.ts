// The migration stream around the vmstate descriptions: the handler registry, the file
// header and configuration, section records with footers, EOF and the vmdesc JSON
// (migration/savevm.c, QEMU 7.2), and an incremental loader for the destination.
//
// API
//   class SaveVMRegistry                 QEMU's savevm_state.handlers, in stream order
//     vmstate_register(instance_id, vmsd, opaque, {section_id?, priority?, idstr?}) → SaveStateEntry
//     register_savevm_live(idstr, instance_id, version_id, ops, {section_id?, priority?}) → SaveStateEntry
//     unregister(se), find_se(idstr, instance_id), handlers, next_section_id
//     Section ids come from a counter in registration order (or are given explicitly);
//     instance_id -1 = "any": 1 + the highest instance registered under that idstr, else 0.
//   SaveVMHandlers                       live and old-style sections: save_setup,
//                                        save_live_iterate(w, budget), save_live_complete_precopy,
//                                        save_live_pending, save_cleanup, is_active, save_state,
//                                        load_setup, load_state(r, version_id, errors), load_cleanup
//   Source side (each writes into a QEMUFileWriter; take() the bytes and send them):
//     qemu_savevm_state_header(w, {machineName})    magic, version 3, configuration
//     qemu_savevm_state_setup(w, reg)               START of every live handler
//     qemu_savevm_state_iterate(w, reg, budget)     PART sections; 1 = all done, 0 = more, < 0 error
//     qemu_savevm_state_pending(reg)                bytes the live handlers still have to send
//     qemu_savevm_state_complete_precopy(w, reg)    END, FULL for every needed vmsd, EOF, vmdesc
//     qemu_savevm_state_cleanup(reg)                save_cleanup of every handler
//     save_section_header / save_section_footer     the record framing, for custom use
//     vmstate_save_with_desc(vmsd, opaque)          one FULL payload and its vmdesc node
//     StreamOptions {sendConfiguration, sendSectionFooter, sendVmdesc}: the machine-type knobs
//     (hw_compat_2_3 turns the first two off, suppress-vmdesc the third); default all on.
//   Destination side:
//     class MigrationLoader(reg, {machineName, onSection?})
//       feed(chunk) → 'more' | 'eof' | LoadError   parse as far as the bytes go
//       finish()                                    the sender closed: missing bytes read as EOF
//       errors (ErrorLog), vmdesc, sawEof, machineReceived, consumed, counts
//     LoadError {ret, errors, message, format(prefix)}
//   vmstate_configuration, configurationState(machine, check)   the configuration section
//   QEMU_VM_* constants, SECTION_TYPE_NAMES
//
// Errors are collected as lines (ErrorLog). Print them with QEMU's program prefix:
// `err.format('qemu-system-ppc64: ')` gives the detail lines, then
// "load of migration failed: Invalid argument".

import { NeedMoreData, QEMUFileReader, QEMUFileWriter, latin1, latin1Bytes } from './qemufile';
import {
  EINVAL, ENOTSUP, ERANGE, ErrorLog, VMSTATE_BUFFER, VMSTATE_UINT32, VMSTATE_VARRAY, VMSTATE_VBUFFER,
  VMStateDescription, VMStateError, VMStateInfo, VmdescNode, fn, loadContext, prop, qjson, strerror,
  vmstate_assign, vmstate_dry_run, vmstate_load_state, vmstate_save_needed, vmstate_save_state,
} from './vmstate';

export const QEMU_VM_FILE_MAGIC = 0x5145564d;
export const QEMU_VM_FILE_VERSION_COMPAT = 0x00000002;
export const QEMU_VM_FILE_VERSION = 0x00000003;
export const QEMU_VM_EOF = 0x00;
export const QEMU_VM_SECTION_START = 0x01;
export const QEMU_VM_SECTION_PART = 0x02;
export const QEMU_VM_SECTION_END = 0x03;
export const QEMU_VM_SECTION_FULL = 0x04;
export const QEMU_VM_SUBSECTION = 0x05;
export const QEMU_VM_VMDESCRIPTION = 0x06;
export const QEMU_VM_CONFIGURATION = 0x07;
export const QEMU_VM_COMMAND = 0x08;
export const QEMU_VM_SECTION_FOOTER = 0x7e;

export const SECTION_TYPE_NAMES: Record<number, string> = {
  [QEMU_VM_SECTION_START]: 'START',
  [QEMU_VM_SECTION_PART]: 'PART',
  [QEMU_VM_SECTION_END]: 'END',
  [QEMU_VM_SECTION_FULL]: 'FULL',
};

/** ppc64's TARGET_PAGE_BITS (fixed, so its minimum too). */
const TARGET_PAGE_BITS = 12;

// ---------------------------------------------------------------------------------------
// registry

export interface SaveVMHandlers {
  /** START payload (live handlers). */
  save_setup?(w: QEMUFileWriter): number | void;
  /** PART payload; `budget` is how much one call may send (pages for RAM). 1 = done, 0 = more to send, < 0 error. */
  save_live_iterate?(w: QEMUFileWriter, budget: number): number;
  /** END payload: everything left (the guest is stopped). */
  save_live_complete_precopy?(w: QEMUFileWriter): number | void;
  /** Bytes still to send. */
  save_live_pending?(): number;
  save_cleanup?(): void;
  is_active?(): boolean;
  is_active_iterate?(): boolean;
  /** Old-style FULL payload (no vmsd). */
  save_state?(w: QEMUFileWriter): void;
  load_setup?(): number | void;
  /**
   * Read one START/PART/END/FULL payload; 0 or a negative errno. May throw NeedMoreData
   * (the loader calls again with more bytes) and may call `r.commit()` after each complete
   * record so a resumed call continues from there instead of re-reading the section.
   */
  load_state?(r: QEMUFileReader, version_id: number, errors: ErrorLog): number;
  load_cleanup?(): void;
}

export interface SaveStateEntry {
  idstr: string;
  instance_id: number;
  /** The local version (the vmsd's version_id for vmsd sections). */
  version_id: number;
  section_id: number;
  priority: number;
  vmsd?: VMStateDescription<any>;
  opaque?: unknown;
  ops?: SaveVMHandlers;
  /** Set while loading: the version and section id the stream announced. */
  load_version_id: number;
  load_section_id: number;
}

export interface RegisterOpts {
  /** Use this section id instead of the next one from the counter. */
  section_id?: number;
  /** MigrationPriority: higher goes first in the handler list (default 0). */
  priority?: number;
  /** Override the idstr (QEMU: "<qdev path>/<vmsd name>" for qdev devices). */
  idstr?: string;
}

export class SaveVMRegistry {
  readonly handlers: SaveStateEntry[] = [];
  /** QEMU's global_section_id: the next id handed out. */
  next_section_id = 0;

  private instanceFor(idstr: string, instance_id: number): number {
    if (instance_id !== -1) return instance_id >>> 0;
    let max = -1;
    for (const se of this.handlers) if (se.idstr === idstr && se.instance_id > max) max = se.instance_id;
    return max + 1;
  }

  private insert(se: SaveStateEntry): SaveStateEntry {
    const at = this.handlers.findIndex((x) => x.priority < se.priority);
    if (at < 0) this.handlers.push(se);
    else this.handlers.splice(at, 0, se);
    return se;
  }

  private sectionId(opts: RegisterOpts): number {
    if (opts.section_id !== undefined) {
      if (opts.section_id >= this.next_section_id) this.next_section_id = opts.section_id + 1;
      return opts.section_id;
    }
    return this.next_section_id++;
  }

  /** vmstate_register(): a FULL section described by `vmsd`, idstr = vmsd name. */
  vmstate_register<O>(instance_id: number, vmsd: VMStateDescription<O>, opaque: O, opts: RegisterOpts = {}): SaveStateEntry {
    const idstr = opts.idstr ?? vmsd.name;
    return this.insert({
      idstr, instance_id: this.instanceFor(idstr, instance_id), version_id: vmsd.version_id,
      section_id: this.sectionId(opts), priority: opts.priority ?? 0, vmsd, opaque,
      load_version_id: 0, load_section_id: 0,
    });
  }

  /** register_savevm_live(): an iterative section (or an old-style one with save_state). */
  register_savevm_live(idstr: string, instance_id: number, version_id: number, ops: SaveVMHandlers, opts: RegisterOpts = {}): SaveStateEntry {
    return this.insert({
      idstr, instance_id: this.instanceFor(idstr, instance_id), version_id,
      section_id: this.sectionId(opts), priority: opts.priority ?? 0, ops,
      load_version_id: 0, load_section_id: 0,
    });
  }

  unregister(se: SaveStateEntry): void {
    const i = this.handlers.indexOf(se);
    if (i >= 0) this.handlers.splice(i, 1);
  }

  find_se(idstr: string, instance_id: number): SaveStateEntry | undefined {
    return this.handlers.find((se) => se.idstr === idstr && se.instance_id === instance_id);
  }
}

// ---------------------------------------------------------------------------------------
// the configuration section (savevm.c vmstate_configuration)

export interface ConfigurationState {
  len: number;
  name: Uint8Array;
  target_page_bits: number;
  caps_count: number;
  capabilities: string[];
  uuid: Uint8Array;
  /** The local machine type name the received one is compared with. */
  local: string;
  /** Compare with the local side in post_load (false when only reading a stream). */
  check: boolean;
}

/** The "capability" codec: u8 length + name (x-ignore-shared is the only validatable one in 7.2). */
const vmstate_info_capability: VMStateInfo = {
  name: 'capability',
  get(r, o, f, i, ctx) {
    const name = r.countedString();
    if (!ctx.dry && name !== 'x-ignore-shared') {
      ctx.errors.report(`Received unknown capability ${name}`);
      return -EINVAL;
    }
    vmstate_assign(ctx, f, o, i, name);
    return 0;
  },
  put(w, o, f, i) { w.countedString(String(f.acc!.get(o, i))); },
};

const vmstate_target_page_bits: VMStateDescription<ConfigurationState> = {
  name: 'configuration/target-page-bits',
  version_id: 1,
  minimum_version_id: 1,
  needed: (s) => s.target_page_bits !== TARGET_PAGE_BITS,
  fields: [VMSTATE_UINT32('target_page_bits', prop('target_page_bits'))],
};

const vmstate_capabilites: VMStateDescription<ConfigurationState> = {
  name: 'configuration/capabilities',
  version_id: 1,
  minimum_version_id: 1,
  needed: (s) => s.caps_count > 0,
  fields: [
    VMSTATE_UINT32('caps_count', prop('caps_count')),
    VMSTATE_VARRAY('capabilities', (s) => s.caps_count, vmstate_info_capability, 1,
      { get: (s, i) => s.capabilities[i] ?? '', set: (s, i, v) => { s.capabilities[i] = v; } }),
  ],
  pre_load: (s) => { s.capabilities = []; },
};

const vmstate_uuid: VMStateDescription<ConfigurationState> = {
  name: 'configuration/uuid',
  version_id: 1,
  minimum_version_id: 1,
  needed: () => false, // only with the validate-uuid migration parameter
  // QEMU only warns when a UUID arrives and none is set locally; it is kept, not checked.
  fields: [VMSTATE_BUFFER('uuid', 16, (s) => s.uuid)],
};

export const vmstate_configuration: VMStateDescription<ConfigurationState> = {
  name: 'configuration',
  version_id: 1,
  minimum_version_id: 0,
  fields: [
    VMSTATE_UINT32('len', prop('len')),
    VMSTATE_VBUFFER('name', (s) => s.len, fn((s) => s.name, (s, v) => { s.name = v.slice(); })),
  ],
  subsections: [vmstate_target_page_bits, vmstate_capabilites, vmstate_uuid],
  pre_load: (s) => { s.target_page_bits = TARGET_PAGE_BITS; s.caps_count = 0; s.capabilities = []; },
  post_load: (s) => {
    if (!s.check) return;
    const name = latin1(s.name.subarray(0, s.len));
    // strncmp(state->name, current_name, state->len)
    const cmpLen = Math.min(s.len, s.name.length);
    const local = s.local;
    let same = true;
    for (let i = 0; i < cmpLen; i++) {
      const a = s.name[i], b = i < local.length ? local.charCodeAt(i) : 0;
      if (a !== b) { same = false; break; }
      if (a === 0) break;
    }
    const errors: string[] = [];
    if (!same) {
      errors.push(`Machine type received is '${name}' and local is '${local}'`);
      throw new ConfigError(errors);
    }
    if (s.target_page_bits !== TARGET_PAGE_BITS) {
      errors.push(`Received TARGET_PAGE_BITS is ${s.target_page_bits} but local is ${TARGET_PAGE_BITS}`);
      throw new ConfigError(errors);
    }
    if (s.capabilities.includes('x-ignore-shared')) {
      errors.push('Capability x-ignore-shared is off, but received capability is on');
      throw new ConfigError(errors);
    }
  },
  pre_save: (s) => {
    s.name = latin1Bytes(s.local);
    s.len = s.name.length;
    s.target_page_bits = TARGET_PAGE_BITS;
    s.caps_count = 0;
    s.capabilities = [];
  },
};

class ConfigError extends VMStateError {
  constructor(lines: string[]) { super(-EINVAL, lines); }
}

/** The configuration section's opaque; `check` false only reads it. */
export function configurationState(machineName: string, check = true): ConfigurationState {
  return { len: 0, name: new Uint8Array(0), target_page_bits: TARGET_PAGE_BITS, caps_count: 0, capabilities: [], uuid: new Uint8Array(16), local: machineName, check };
}

// ---------------------------------------------------------------------------------------
// source side

export interface StreamOptions {
  /** send-configuration (off for pseries-2.3 and older). Default true. */
  sendConfiguration?: boolean;
  /** send-section-footer (off for pseries-2.3 and older). Default true. */
  sendSectionFooter?: boolean;
  /** Send the vmdesc JSON after EOF (off with suppress-vmdesc, pseries-2.2 and older). Default true. */
  sendVmdesc?: boolean;
}

export function save_section_header(w: QEMUFileWriter, se: SaveStateEntry, type: number): void {
  w.u8(type);
  w.be32(se.section_id);
  if (type === QEMU_VM_SECTION_FULL || type === QEMU_VM_SECTION_START) {
    w.countedString(se.idstr);
    w.be32(se.instance_id);
    w.be32(se.version_id);
  }
}

export function save_section_footer(w: QEMUFileWriter, se: SaveStateEntry, opts: StreamOptions = {}): void {
  if (opts.sendSectionFooter === false) return;
  w.u8(QEMU_VM_SECTION_FOOTER);
  w.be32(se.section_id);
}

/** Magic, version 3, and the configuration section (machine type name). */
export function qemu_savevm_state_header(w: QEMUFileWriter, opts: StreamOptions & { machineName: string }): void {
  w.be32(QEMU_VM_FILE_MAGIC);
  w.be32(QEMU_VM_FILE_VERSION);
  if (opts.sendConfiguration !== false) {
    w.u8(QEMU_VM_CONFIGURATION);
    vmstate_save_state(w, vmstate_configuration, configurationState(opts.machineName));
  }
}

function active(se: SaveStateEntry): boolean {
  return !se.ops?.is_active || se.ops.is_active();
}

/** START sections of every live handler. Returns 0 or the first handler's error. */
export function qemu_savevm_state_setup(w: QEMUFileWriter, reg: SaveVMRegistry, opts: StreamOptions = {}): number {
  for (const se of reg.handlers) {
    if (!se.ops?.save_setup || !active(se)) continue;
    save_section_header(w, se, QEMU_VM_SECTION_START);
    const ret = se.ops.save_setup(w) ?? 0;
    save_section_footer(w, se, opts);
    if (ret < 0) return ret;
  }
  return 0;
}

/**
 * One round of PART sections, stopping at the first handler that is not finished (like
 * QEMU, so a fast-changing handler does not starve the others of order). 1 when every
 * handler reported completion, 0 when some has more, < 0 on error.
 */
export function qemu_savevm_state_iterate(w: QEMUFileWriter, reg: SaveVMRegistry, budget: number, opts: StreamOptions = {}): number {
  let ret = 1;
  for (const se of reg.handlers) {
    if (!se.ops?.save_live_iterate || !active(se)) continue;
    if (se.ops.is_active_iterate && !se.ops.is_active_iterate()) continue;
    save_section_header(w, se, QEMU_VM_SECTION_PART);
    ret = se.ops.save_live_iterate(w, budget);
    save_section_footer(w, se, opts);
    if (ret <= 0) break;
  }
  return ret;
}

/** Bytes the live handlers still have to send (QEMU's pending estimate). */
export function qemu_savevm_state_pending(reg: SaveVMRegistry): number {
  let n = 0;
  for (const se of reg.handlers) if (se.ops?.save_live_pending && active(se)) n += se.ops.save_live_pending();
  return n;
}

export interface CompleteResult {
  ret: number;
  errors: ErrorLog;
  /** The vmdesc JSON text (also written to the stream unless sendVmdesc is false). */
  vmdesc: string;
}

/**
 * END sections of the live handlers, then a FULL section for every device whose vmsd is
 * needed, EOF and the vmdesc JSON (the guest must be stopped).
 */
export function qemu_savevm_state_complete_precopy(w: QEMUFileWriter, reg: SaveVMRegistry, opts: StreamOptions = {}): CompleteResult {
  const errors = new ErrorLog();
  for (const se of reg.handlers) {
    if (!se.ops?.save_live_complete_precopy || !active(se)) continue;
    save_section_header(w, se, QEMU_VM_SECTION_END);
    const ret = se.ops.save_live_complete_precopy(w) ?? 0;
    save_section_footer(w, se, opts);
    if (ret < 0) return { ret, errors, vmdesc: '' };
  }
  const devices: VmdescNode[] = [];
  for (const se of reg.handlers) {
    if (!se.ops?.save_state && !se.vmsd) continue;
    if (se.vmsd && !vmstate_save_needed(se.vmsd, se.opaque)) continue;
    const node: VmdescNode = { name: se.idstr, instance_id: se.instance_id };
    devices.push(node);
    save_section_header(w, se, QEMU_VM_SECTION_FULL);
    if (se.vmsd) {
      const ret = vmstate_save_state(w, se.vmsd, se.opaque, node, errors);
      if (ret) return { ret, errors, vmdesc: '' };
    } else {
      const before = w.transferred;
      se.ops!.save_state!(w);
      const size = w.transferred - before;
      node.size = size;
      node.fields = [{ name: 'data', size, type: 'buffer' }];
    }
    save_section_footer(w, se, opts);
  }
  w.u8(QEMU_VM_EOF);
  const vmdesc = qjson({ page_size: 1 << TARGET_PAGE_BITS, devices });
  if (opts.sendVmdesc !== false) {
    w.u8(QEMU_VM_VMDESCRIPTION);
    const b = latin1Bytes(vmdesc);
    w.be32(b.length);
    w.bytes(b);
  }
  return { ret: 0, errors, vmdesc };
}

export function qemu_savevm_state_cleanup(reg: SaveVMRegistry): void {
  for (const se of reg.handlers) se.ops?.save_cleanup?.();
}

/** One device's FULL payload and vmdesc node, as qemu_savevm_state_complete_precopy makes them. */
export function vmstate_save_with_desc<O>(vmsd: VMStateDescription<O>, opaque: O, idstr = vmsd.name, instance_id = 0): { bytes: Uint8Array; desc: VmdescNode; ret: number; errors: ErrorLog } {
  const w = new QEMUFileWriter();
  const desc: VmdescNode = { name: idstr, instance_id };
  const errors = new ErrorLog();
  const ret = vmstate_save_state(w, vmsd, opaque, desc, errors);
  return { bytes: w.take(), desc, ret, errors };
}

// ---------------------------------------------------------------------------------------
// destination side

export class LoadError {
  /** "load of migration failed: <strerror>" */
  readonly message: string;
  constructor(readonly ret: number, readonly errors: ErrorLog) {
    this.message = `load of migration failed: ${strerror(-ret)}`;
  }
  /** Every line QEMU would print, with `prefix` on the error_report ones. */
  format(prefix = 'qemu-system-ppc64: '): string[] {
    return [...this.errors.format(prefix), prefix + this.message];
  }
}

export type FeedResult = 'more' | 'eof' | LoadError;

export interface LoaderOptions extends Omit<StreamOptions, 'sendVmdesc'> {
  /** The local machine type name, compared with the configuration section's. */
  machineName: string;
  /** Expect the vmdesc after EOF (QEMU reads it when it would send one). Default true. */
  expectVmdesc?: boolean;
  /** Called after each section record was loaded (for traces and the UI). */
  onSection?: (type: number, se: SaveStateEntry) => void;
}

type Phase = 'header' | 'main' | 'vmdesc' | 'done';

interface InSection {
  se: SaveStateEntry;
  type: number;
  /** The payload has been read; only the footer is left. */
  bodyDone: boolean;
}

/**
 * The destination's loader (qemu_loadvm_state), fed chunk by chunk. An incomplete record is
 * kept and parsed again from its start when more bytes arrive; a FULL section's hooks
 * (pre_load/post_load) run only once the whole section is there. Live handlers may commit
 * progress inside a section (RAM does after every page).
 */
export class MigrationLoader {
  readonly errors = new ErrorLog();
  /** The vmdesc JSON text that followed EOF, once read. */
  vmdesc?: string;
  /** Bytes of the stream consumed so far. */
  consumed = 0;
  /** Sections loaded so far, by type. */
  readonly counts = { START: 0, PART: 0, END: 0, FULL: 0 };
  private r = new QEMUFileReader();
  private phase: Phase = 'header';
  private result?: FeedResult;
  private cur?: InSection;
  private readonly config: ConfigurationState;
  /** Bytes the buffer must hold before parsing again is worth it. */
  private want = 0;

  constructor(private reg: SaveVMRegistry, private opts: LoaderOptions) {
    this.config = configurationState(opts.machineName);
  }

  get done(): boolean { return this.result !== undefined; }

  /** EOF was read: every section is loaded (the vmdesc may still be on its way). */
  get sawEof(): boolean { return this.phase === 'vmdesc' || this.result === 'eof'; }

  /** The configuration section's machine type name, once read. */
  get machineReceived(): string | undefined {
    return this.phase === 'header' ? undefined : latin1(this.config.name.subarray(0, this.config.len));
  }

  /**
   * Add bytes and parse as far as they go. The loader may keep a reference to `chunk`
   * until it is consumed: do not modify it afterwards.
   */
  feed(chunk: Uint8Array): FeedResult {
    if (this.result) return this.result;
    const r = this.r;
    const rest = r.buf.length - r.pos;
    if (rest === 0) {
      r.buf = chunk;
    } else if (chunk.length) {
      const nb = new Uint8Array(rest + chunk.length);
      nb.set(r.buf.subarray(r.pos));
      nb.set(chunk, rest);
      r.buf = nb;
    } else {
      r.buf = r.buf.subarray(r.pos);
    }
    r.pos = 0;
    r.mark = 0;
    if (r.buf.length < this.want) return 'more';
    return this.run();
  }

  /** The sender closed the stream: what is missing reads as end of file. */
  finish(): FeedResult {
    if (this.result) return this.result;
    this.r.eof = true;
    const res = this.run();
    if (res === 'more') return this.fail(this.r.error || -EINVAL);
    return res;
  }

  private fail(ret: number): LoadError {
    for (const se of this.reg.handlers) se.ops?.load_cleanup?.();
    const e = new LoadError(ret, this.errors);
    this.result = e;
    this.phase = 'done';
    return e;
  }

  private finishOk(): 'eof' {
    for (const se of this.reg.handlers) se.ops?.load_cleanup?.();
    this.result = 'eof';
    this.phase = 'done';
    return 'eof';
  }

  private run(): FeedResult {
    const r = this.r;
    for (;;) {
      r.mark = r.pos;
      const startMark = r.pos;
      const resuming = this.cur !== undefined;
      try {
        const step = this.step();
        if (step !== undefined) {
          this.consumed += r.pos - startMark;
          return step;
        }
        this.consumed += r.pos - startMark;
      } catch (e) {
        if (e instanceof NeedMoreData) {
          this.consumed += r.mark - startMark;
          if (!resuming && r.mark === startMark) {
            // nothing of a section begun in this step was committed: read its header again
            this.cur = undefined;
          }
          this.want = r.wanted - r.mark;
          r.pos = r.mark;
          r.buf = r.buf.subarray(r.pos);
          r.pos = 0;
          r.mark = 0;
          return 'more';
        }
        const msg = e instanceof Error ? e.message : String(e);
        this.errors.report(`internal error while loading: ${msg}`);
        return this.fail(-EINVAL);
      }
    }
  }

  /** Parse one record; undefined to continue with the next, or a final result. */
  private step(): FeedResult | undefined {
    const r = this.r;
    switch (this.phase) {
      case 'header': return this.header();
      case 'main': {
        if (this.cur) return this.continueSection(this.cur);
        const type = r.u8();
        if (r.error) return this.fail(r.error);
        switch (type) {
          case QEMU_VM_SECTION_START:
          case QEMU_VM_SECTION_FULL:
            return this.sectionStartFull(type);
          case QEMU_VM_SECTION_PART:
          case QEMU_VM_SECTION_END:
            return this.sectionPartEnd(type);
          case QEMU_VM_COMMAND:
            return this.command();
          case QEMU_VM_EOF:
            this.phase = 'vmdesc';
            if (this.opts.expectVmdesc === false) return this.finishOk();
            return undefined;
          default:
            this.errors.report(`Unknown savevm section type ${type}`);
            return this.fail(-EINVAL);
        }
      }
      case 'vmdesc': {
        if (r.eof && r.pos >= r.buf.length) {
          // qemu_get_byte() at end of file reads 0; QEMU only complains
          this.errors.report('Expected vmdescription section, but got 0');
          return this.finishOk();
        }
        const t = r.u8();
        if (t !== QEMU_VM_VMDESCRIPTION) {
          this.errors.report(`Expected vmdescription section, but got ${t}`);
          return this.finishOk();
        }
        const len = r.be32();
        const b = r.bytes(len);
        this.vmdesc = new TextDecoder().decode(b);
        return this.finishOk();
      }
      case 'done':
        return this.result ?? 'eof';
    }
  }

  private header(): FeedResult | undefined {
    const r = this.r;
    const magic = r.be32();
    if (magic !== QEMU_VM_FILE_MAGIC) {
      this.errors.report('Not a migration stream');
      return this.fail(-EINVAL);
    }
    const v = r.be32();
    if (v === QEMU_VM_FILE_VERSION_COMPAT) {
      this.errors.report("SaveVM v2 format is obsolete and don't work anymore");
      return this.fail(-ENOTSUP);
    }
    if (v !== QEMU_VM_FILE_VERSION) {
      this.errors.report('Unsupported migration stream version');
      return this.fail(-ENOTSUP);
    }
    if (this.opts.sendConfiguration !== false) {
      if (r.u8() !== QEMU_VM_CONFIGURATION) {
        this.errors.report('Configuration section missing');
        return this.fail(-EINVAL);
      }
      const ret = this.loadVmsd(vmstate_configuration, this.config, 0);
      if (ret) return this.fail(ret);
    }
    // qemu_loadvm_state_setup
    for (const se of this.reg.handlers) {
      const ret = se.ops?.load_setup?.() ?? 0;
      if (ret < 0) {
        this.errors.report(`Load state of device ${se.idstr} failed`);
        return this.fail(-EINVAL);
      }
    }
    this.phase = 'main';
    return undefined;
  }

  /** Load a vmsd only once all of it is buffered (a dry parse first), then for real. */
  private loadVmsd(vmsd: VMStateDescription<any>, opaque: unknown, version_id: number, footerBytes = 0): number {
    const r = this.r;
    if (!r.eof) {
      const at = r.pos;
      const dry = vmstate_dry_run(r, vmsd, opaque, version_id);
      if (dry === 0 && footerBytes) r.peekBytes(footerBytes);
      r.pos = at;
    }
    return vmstate_load_state(r, vmsd, opaque, version_id, loadContext(this.errors));
  }

  private sectionStartFull(type: number): FeedResult | undefined {
    const r = this.r;
    const section_id = r.be32();
    const idstr = r.countedString();
    const instance_id = r.be32();
    const version_id = r.be32();
    if (r.error) {
      this.errors.report(`qemu_loadvm_section_start_full: Failed to read instance/version ID: ${r.error}`);
      return this.fail(r.error);
    }
    const se = this.reg.find_se(idstr, instance_id);
    if (!se) {
      this.errors.report(`Unknown savevm section or instance '${idstr}' ${instance_id}. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices`);
      return this.fail(-EINVAL);
    }
    if (version_id > se.version_id) {
      this.errors.report(`savevm: unsupported version ${version_id} for '${idstr}' v${se.version_id}`);
      return this.fail(-EINVAL);
    }
    se.load_version_id = version_id;
    se.load_section_id = section_id;
    const cur: InSection = { se, type, bodyDone: false };
    if (se.vmsd) {
      const footer = this.opts.sendSectionFooter === false ? 0 : 5;
      const ret = this.loadVmsd(se.vmsd, se.opaque, version_id, footer);
      if (ret < 0) return this.sectionError(cur, ret);
      cur.bodyDone = true;
      return this.footer(cur);
    }
    this.cur = cur;
    return this.continueSection(cur);
  }

  private sectionPartEnd(type: number): FeedResult | undefined {
    const r = this.r;
    const section_id = r.be32();
    if (r.error) {
      this.errors.report(`qemu_loadvm_section_part_end: Failed to read section ID: ${r.error}`);
      return this.fail(r.error);
    }
    const se = this.reg.handlers.find((x) => x.load_section_id === section_id && x.load_version_id !== 0);
    if (!se) {
      this.errors.report(`Unknown savevm section ${section_id}`);
      return this.fail(-EINVAL);
    }
    const cur: InSection = { se, type, bodyDone: false };
    this.cur = cur;
    return this.continueSection(cur);
  }

  /** Payload of a live (or old-style) section, possibly resumed after a commit, then the footer. */
  private continueSection(cur: InSection): FeedResult | undefined {
    const r = this.r;
    if (!cur.bodyDone) {
      const se = cur.se;
      let ret: number;
      if (se.vmsd) {
        ret = vmstate_load_state(r, se.vmsd, se.opaque, se.load_version_id, loadContext(this.errors));
      } else if (se.ops?.load_state) {
        ret = se.ops.load_state(r, se.load_version_id, this.errors);
      } else {
        ret = -EINVAL;
      }
      // a read error shows in the footer check, as in QEMU
      if (ret < 0) return this.sectionError(cur, ret);
      cur.bodyDone = true;
      r.commit();
    }
    return this.footer(cur);
  }

  private sectionError(cur: InSection, ret: number): LoadError {
    this.cur = undefined;
    if (cur.type === QEMU_VM_SECTION_START || cur.type === QEMU_VM_SECTION_FULL) {
      this.errors.report(`error while loading state for instance 0x${cur.se.instance_id.toString(16)} of device '${cur.se.idstr}'`);
    } else {
      this.errors.report(`error while loading state section id ${cur.se.load_section_id}(${cur.se.idstr})`);
    }
    return this.fail(ret);
  }

  private footer(cur: InSection): FeedResult | undefined {
    const r = this.r;
    if (this.opts.sendSectionFooter !== false) {
      const se = cur.se;
      const mark = r.u8();
      if (r.error) {
        this.errors.report(`check_section_footer: Read error: ${r.error}`);
        return this.fail(-EINVAL);
      }
      if (mark !== QEMU_VM_SECTION_FOOTER) {
        this.errors.report(`Missing section footer for ${se.idstr}`);
        return this.fail(-EINVAL);
      }
      const id = r.be32();
      if (id !== se.load_section_id) {
        this.errors.report(`Mismatched section id in footer for ${se.idstr} - read 0x${id.toString(16)} expected 0x${se.load_section_id.toString(16)}`);
        return this.fail(-EINVAL);
      }
    }
    this.cur = undefined;
    const name = SECTION_TYPE_NAMES[cur.type] as keyof MigrationLoader['counts'];
    this.counts[name]++;
    this.opts.onSection?.(cur.type, cur.se);
    return undefined;
  }

  private command(): FeedResult | undefined {
    const r = this.r;
    const cmd = r.be16();
    const len = r.be16();
    // MIG_CMD_OPEN_RETURN_PATH (1, no data) and MIG_CMD_PING (2, 4 bytes) need nothing here
    if (cmd === 1 && len === 0) return undefined;
    if (cmd === 2) {
      if (len !== 4) {
        this.errors.report(`PING received with bad length - expecting 4, got ${len}`);
        return this.fail(-ERANGE);
      }
      r.skip(4);
      return undefined;
    }
    this.errors.report(`MIG_CMD 0x${cmd.toString(16)} unknown (len 0x${len.toString(16)})`);
    return this.fail(-EINVAL);
  }
}
