import { describe, expect, it } from 'vitest';
import { helpText, infoMemoryDevices, parseHmp } from './hmp';

describe('HMP device commands', () => {
  it('device_del takes one device id', () => {
    expect(parseHmp('device_del core1')).toEqual({ kind: 'device_del', device: 'core1' });
    expect(parseHmp('device_del')).toEqual({ kind: 'print', lines: ['device_del: missing or extra argument: device_del device'] });
  });
});

describe('HMP memory hot-plug commands', () => {
  it('object_add takes the type first (or qom-type=), object_del one id', () => {
    expect(parseHmp('object_add memory-backend-ram,id=mem1,size=256M')).toEqual({ kind: 'object_add', qomType: 'memory-backend-ram', props: { id: 'mem1', size: '256M' } });
    expect(parseHmp('object_add id=m,qom-type=memory-backend-ram,size=1G')).toEqual({ kind: 'object_add', qomType: 'memory-backend-ram', props: { id: 'm', size: '1G' } });
    expect(parseHmp('object_add id=m')).toEqual({ kind: 'print', lines: ["Error: Parameter 'qom-type' is missing"] });
    expect(parseHmp('object_del mem1')).toEqual({ kind: 'object_del', id: 'mem1' });
    expect(parseHmp('device_add pc-dimm,id=dimm1,memdev=mem1')).toEqual({ kind: 'device_add', driver: 'pc-dimm', props: { id: 'dimm1', memdev: 'mem1' } });
    expect(parseHmp('info memory-devices')).toEqual({ kind: 'info', what: 'memory-devices' });
  });

  it('info memory-devices prints what QEMU 7.2 prints for a hot-plugged pc-dimm', () => {
    // QEMU 7.2, -m 256M,slots=4,maxmem=1G after object_add + device_add pc-dimm,id=dimm1,memdev=mem1
    expect(infoMemoryDevices([{ id: 'dimm1', addr: 0x40000000, slot: 0, node: 0, size: 268435456, memdev: 'mem1', hotplugged: true }]).join('\r\n') + '\r\n')
      .toBe('Memory device [dimm]: "dimm1"\r\n  addr: 0x40000000\r\n  slot: 0\r\n  node: 0\r\n  size: 268435456\r\n  memdev: /objects/mem1\r\n  hotplugged: true\r\n  hotpluggable: true\r\n');
  });
});

describe('HMP migration commands', () => {
  it('migrate takes a URI (with -d), migrate_cancel none', () => {
    expect(parseHmp('migrate -d tcp:localhost:4444')).toEqual({ kind: 'migrate', uri: 'tcp:localhost:4444' });
    expect(parseHmp('migrate')).toEqual({ kind: 'print', lines: ['migrate: missing or extra argument: migrate [-d] uri'] });
    expect(parseHmp('migrate_cancel')).toEqual({ kind: 'migrate_cancel' });
  });

  it('migrate_set_parameter: downtime-limit in ms, max-bandwidth as a size, QEMU\'s errors', () => {
    expect(parseHmp('migrate_set_parameter downtime-limit 100')).toEqual({ kind: 'migrate_set_parameter', name: 'downtime-limit', value: 100 });
    expect(parseHmp('migrate_set_parameter max-bandwidth 10M')).toEqual({ kind: 'migrate_set_parameter', name: 'max-bandwidth', value: 10 * 1024 * 1024 });
    expect(parseHmp('migrate_set_parameter max-bandwidth 4096')).toEqual({ kind: 'migrate_set_parameter', name: 'max-bandwidth', value: 4096 });
    expect(parseHmp('migrate_set_parameter downtime-limit 3000000')).toEqual({
      kind: 'print', lines: ["Error: Parameter 'downtime_limit' expects an integer in the range of 0 to 2000 seconds"],
    });
    expect(parseHmp('migrate_set_parameter downtime-limit fast')).toEqual({ kind: 'print', lines: ["Error: Parameter 'downtime-limit' expects uint64"] });
    expect(parseHmp('migrate_set_parameter max-bandwidth lots')).toEqual({ kind: 'print', lines: ["Error: Parameter 'max-bandwidth' expects a size value"] });
    expect(parseHmp('migrate_set_parameter xbzrle-cache-size 1M')).toMatchObject({ kind: 'print' });
  });

  it('help lists them', () => {
    const h = helpText().join('\n');
    for (const c of ['migrate [-d] uri', 'migrate_cancel', 'migrate_set_parameter']) expect(h).toContain(c);
  });
});
