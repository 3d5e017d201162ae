/*
 * mem-hotplug: handles memory (LMB) hot-plug as a Linux guest's pseries code does, against
 * RTAS and the client interface only. Started with `-m 256M,slots=4,maxmem=1G` and a 256 MiB
 * pc-dimm (dimm1) plugged before it runs (object_add + device_add while the machine is
 * stopped), it
 *   - prints the memory properties of the tree it was given (ibm,lrdr-capacity, the root's
 *     DRC list, no ibm,dynamic-reconfiguration-memory before CAS);
 *   - fetches the hotplug event (memory, add, by count) with check-exception and looks for the
 *     LMB the count is about by trying to make every LMB DRC usable, then walks that LMB's
 *     tree fragment with ibm,configure-connector; the PMEM DRCs and an empty LMB are tried too;
 *   - negotiates OV5_DRCONF_MEMORY (with FORM1 affinity and OV5_HP_EVT) at CAS and prints
 *     /ibm,dynamic-reconfiguration-memory (ibm,dynamic-memory), then again with OV5_DRMEM_V2
 *     and FORM2 affinity (ibm,dynamic-memory-v2);
 *   - prints "ready for device_add dimm2": a 512 MiB DIMM then plugged is signalled on the
 *     hot-plug source by count-indexed; both LMBs are acquired and configured; a CAS shows
 *     the new list;
 *   - prints "ready for device_del dimm1": the remove event (count-indexed) comes, the LMB is
 *     isolated and made unusable (the DIMM goes), and a CAS shows the list without it;
 *   - prints "ready for device_add dimm3": dimm3, on dimm1's backend, is mapped where dimm1
 *     was, holding what the guest stored there through dimm1.
 * Along the way it stores to and loads from the device memory: a DIMM's memory is usable as
 * soon as it is plugged, and the addresses no DIMM holds read 0.
 * The output depends only on the machine, so the same ELF prints the same lines on QEMU 7.2
 * and on pseries-lab (the events' creation date and time are not printed).
 */
#include "../common/guest.h"
#include "../common/drc.h"


#define T_SET_XIVE (RTAS_BASE + 0xa)
#define T_CHECK_EXCEPTION (RTAS_BASE + 0xe)
#define T_POWER_OFF (RTAS_BASE + 0x3)

#define MASK_EPOW 0x40000000u
#define MASK_HOTPLUG 0x10000000u




/* ---- device tree through the client interface ---- */

static u8 pbuf[1024] __attribute__((aligned(8)));
static char pname[64];

static u32 irq_of(const char *path)
{
    u32 ph = of("finddevice", 1, 1, A(path), 0, 0, 0);
    u32 v[2] = { 0, 0 };
    of("getprop", 4, 1, ph, A("interrupts"), A(v), sizeof(v));
    return v[0];
}

/* "path name: len bytes" (len -1 when absent) */
static void prop(const char *path, const char *name)
{
    u32 ph = of("finddevice", 1, 1, A(path), 0, 0, 0);
    int len = (int)of("getproplen", 2, 1, ph, A(name), 0, 0);
    line(path);
    puts_(" ");
    puts_(name);
    puts_(" len");
    sp_dec(len);
    if (len > 0 && len <= (int)sizeof(pbuf)) {
        of("getprop", 4, 1, ph, A(name), A(pbuf), sizeof(pbuf));
        puts_(" =");
        dump(pbuf, len);
    }
    nl();
}

/* the property names of a node, in the order nextprop gives them */
static void props(const char *path)
{
    u32 ph = of("finddevice", 1, 1, A(path), 0, 0, 0);
    int r, n = 0;
    line(path);
    sp_hex(ph);
    if (ph != 0xffffffffu) {
        pname[0] = 0;
        for (;;) {
            r = (int)of("nextprop", 3, 1, ph, A(pname), A(pname), 0);
            if (r != 1 || ++n > 32) break;
            puts_(" ");
            puts_(pname);
        }
    }
    nl();
}

static void drconf_node(void)
{
    const char *p = "/ibm,dynamic-reconfiguration-memory";
    props(p);
    prop(p, "ibm,lmb-size");
    prop(p, "ibm,memory-flags-mask");
    prop(p, "ibm,memory-preservation-time");
    prop(p, "ibm,dynamic-memory");
    prop(p, "ibm,dynamic-memory-v2");
    prop(p, "ibm,associativity-lookup-arrays");
}

/* ---- CAS ---- */

static u8 cas_buf[256] __attribute__((aligned(16)));

/* POWER8, vectors 1..5; vector 5: DRCONF_MEMORY, FORM1 (+ FORM2), HP_EVT (+ DRMEM_V2) */
static void cas(const char *name, int v2)
{
    u32 ih = of("open", 1, 1, A("/"), 0, 0, 0);
    u8 *v;
    int i;
    u32 r;
    for (i = 0; i < (int)sizeof(cas_buf); i++) cas_buf[i] = 0;
    put32(cas_buf, 0xffff0000);
    put32(cas_buf + 4, 0x004d0000);
    put32(cas_buf + 8, 0);
    put32(cas_buf + 12, 0xffffffff);
    v = cas_buf + 16;
    *v++ = 4;
    for (i = 1; i <= 5; i++) {
        if (i == 5) {
            *v++ = 23;                       /* 24 bytes */
            v[1] = 0x20;                     /* byte 2: DRCONF_MEMORY */
            v[4] = v2 ? 0x80 | 0x20 : 0x80;  /* byte 5: FORM1 (+ FORM2) affinity */
            v[5] = 0x04;                     /* byte 6: HP_EVT */
            if (v2) v[21] = 0x80;            /* byte 22: DRMEM_V2 */
            v += 24;
        } else {
            *v++ = 0;
            *v++ = 0;
        }
    }
    pa.args[4] = 0;
    r = of("call-method", 3, 2, A("ibm,client-architecture-support"), ih, A(cas_buf), 0);
    line(name);
    sp_hex(r);
    sp_hex(pa.args[4]);
    nl();
}

/* ---- RTAS events and DRCs ---- */

static u8 evbuf[2048] __attribute__((aligned(16)));

struct hp { u32 type, action, id, w0, w1; };

/* check-exception(vector, info, mask, critical, buf, len): the HP section's fields */
static int check_exception(const char *name, u32 mask, struct hp *hp)
{
    u32 args[6] = { 0x500, 0, mask, 0, A(evbuf), sizeof(evbuf) };
    int i, st;
    for (i = 0; i < (int)sizeof(evbuf); i++) evbuf[i] = 0xee;
    st = rt(name, T_CHECK_EXCEPTION, 6, 1, args);
    if (st != 0) return st;
    if (print_event_log(evbuf) < 0) return -99;
    hp->type = evbuf[8 + 88 + 8];
    hp->action = evbuf[8 + 88 + 9];
    hp->id = evbuf[8 + 88 + 10];
    hp->w0 = be32(evbuf + 8 + 88 + 12);
    hp->w1 = be32(evbuf + 8 + 88 + 16);
    line("  type, action, identifier, ids");
    sp_dec(hp->type);
    sp_dec(hp->action);
    sp_dec(hp->id);
    sp_hex(hp->w0);
    sp_hex(hp->w1);
    nl();
    return 0;
}


static void drc_line(u32 idx)
{
    line("DRC");
    sp_hex(idx);
    nl();
}

/* dlpar_acquire_drc + configure: allocation usable, unisolate, configure-connector */
static void acquire_and_configure(u32 idx)
{
    drc_line(idx);
    sensor("  dr-entity-sense", idx);
    indicator("  allocation-state usable", 9003, idx, 1);
    indicator("  unisolate", 9001, idx, 1);
    configure(idx, 50);
    sensor("  dr-entity-sense", idx);
}

/*
 * Read a doubleword at each address, store a pattern there and read it back: a plugged
 * DIMM's memory keeps it; where no DIMM is (the gap above RAM, the device memory's free
 * part and past its end) the store is lost and loads give 0, as on QEMU's unassigned memory.
 */
static void memtest(const char *name)
{
    static const u64 at[] = { 0x10000000, 0x40000000, 0x4ffffff8, 0x50000000, 0x6ffffff8, 0x70000000 };
    unsigned i;

    puts_(name);
    nl();
    for (i = 0; i < sizeof at / sizeof at[0]; i++) {
        volatile u64 *p = (volatile u64 *)at[i];
        u64 before = *p;
        *p = 0x5a5a000000000000ull | at[i];
        puts_("  ");
        puthex(at[i]);
        sp_hex(before);
        sp_hex(*p);
        nl();
    }
}

int main(void)
{
    u32 args[4];
    u32 epow_irq, hp_irq, i, idx;
    struct hp hp;

    puts_("mem-hotplug: LMB DR connectors, events and ibm,dynamic-reconfiguration-memory\r\n");

    prop("/rtas", "ibm,lrdr-capacity");
    prop("/", "ibm,drc-indexes");
    prop("/", "ibm,drc-types");
    prop("/memory@0", "reg");
    props("/ibm,dynamic-reconfiguration-memory");

    epow_irq = irq_of("/event-sources/epow-events");
    hp_irq = irq_of("/event-sources/hot-plug-events");
    line("H_CPPR 0xff");
    sp_dec(H(H_CPPR, 0xff, 0));
    nl();
    args[0] = hp_irq; args[1] = 0; args[2] = 5;
    rt("ibm,set-xive hot-plug-events", T_SET_XIVE, 3, 1, args);
    args[0] = epow_irq;
    rt("ibm,set-xive epow-events", T_SET_XIVE, 3, 1, args);
    xirr("after routing");

    /* dimm1, plugged before CAS: memory, add, by count (1) on the EPOW source */
    check_exception("check-exception hot-plug-events", MASK_HOTPLUG, &hp);
    check_exception("check-exception epow-events", MASK_EPOW, &hp);
    xirr("no event left");
    memtest("memory with dimm1 (address, before, after a store)");

    /* by count: try the LMB DRCs in turn, as dlpar_memory_add_by_count does */
    for (i = 4; i <= 7; i++) {
        idx = 0x80000000u | i;
        drc_line(idx);
        sensor("  dr-entity-sense", idx);
        line("  configure-connector before usable");
        sp_dec(cc_call(idx));
        nl();
        indicator("  allocation-state usable", 9003, idx, 1);
    }
    idx = 0x80000004u;
    drc_line(idx);
    indicator("  isolate while available", 9001, idx, 0);
    indicator("  unisolate", 9001, idx, 1);
    indicator("  isolate while unisolated", 9001, idx, 0);
    indicator("  allocation-state unusable while unisolated", 9003, idx, 0);
    configure(idx, 50);
    sensor("  dr-entity-sense", idx);
    indicator("  isolate once configured", 9001, idx, 0);
    puts_("  again, configured:\r\n");
    configure(idx, 3);
    /* the PMEM DRCs of the slots: nothing plugged */
    drc_line(0x90000000u);
    sensor("  dr-entity-sense", 0x90000000u);
    indicator("  allocation-state usable", 9003, 0x90000000u, 1);
    line("  configure-connector");
    sp_dec(cc_call(0x90000000u));
    nl();

    /* CAS: the tree gets ibm,dynamic-reconfiguration-memory */
    cas("CAS DRCONF_MEMORY FORM1 HP_EVT", 0);
    drconf_node();
    prop("/rtas", "ibm,lrdr-capacity");
    cas("CAS DRCONF_MEMORY FORM1 FORM2 HP_EVT DRMEM_V2", 1);
    drconf_node();
    sensor("DRC 0x80000004 dr-entity-sense after CAS", 0x80000004u);

    /* dimm2 (512 MiB): count-indexed on the hot-plug source */
    puts_("ready for device_add dimm2\r\n");
    wait_irq();
    check_exception("check-exception epow-events", MASK_EPOW, &hp);
    if (check_exception("check-exception hot-plug-events", MASK_HOTPLUG, &hp) == 0 && hp.id == 4) {
        for (i = 0; i < hp.w0 && i < 4; i++) acquire_and_configure(hp.w1 + i);
    }
    xirr("no event left");
    memtest("memory with dimm1 and dimm2");
    cas("CAS again", 1);
    prop("/ibm,dynamic-reconfiguration-memory", "ibm,dynamic-memory-v2");

    /* unplug dimm1: count-indexed remove; isolate, then unusable: the DIMM goes */
    puts_("ready for device_del dimm1\r\n");
    wait_irq();
    if (check_exception("check-exception hot-plug-events", MASK_HOTPLUG, &hp) == 0 && hp.id == 4) {
        for (i = 0; i < hp.w0 && i < 4; i++) {
            idx = hp.w1 + i;
            drc_line(idx);
            sensor("  dr-entity-sense", idx);
            indicator("  isolate", 9001, idx, 0);
            sensor("  dr-entity-sense", idx);
            indicator("  allocation-state unusable", 9003, idx, 0);
            sensor("  dr-entity-sense", idx);
            indicator("  allocation-state usable again", 9003, idx, 1);
            line("  configure-connector");
            sp_dec(cc_call(idx));
            nl();
        }
    }
    xirr("no event left");
    cas("CAS after unplug", 1);
    prop("/ibm,dynamic-reconfiguration-memory", "ibm,dynamic-memory-v2");
    memtest("memory with dimm2");

    /* dimm3 on dimm1's backend: mapped where dimm1 was, with the bytes it left */
    puts_("ready for device_add dimm3\r\n");
    wait_irq();
    memtest("memory with dimm3 (mem1 again) and dimm2");
    check_exception("check-exception hot-plug-events", MASK_HOTPLUG, &hp);
    xirr("no event left");

    puts_("done\r\n");
    args[0] = 0; args[1] = 0;
    rtas(T_POWER_OFF, 2, 1, args);
    for (;;) ;
}
