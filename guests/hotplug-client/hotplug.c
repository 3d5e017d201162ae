/*
 * hotplug-client: handles CPU core hot-plug as a Linux guest does. Started with
 * `-smp 1,maxcpus=4` and cores 1 and 2 hot-plugged before it runs (device_add
 * while the machine is stopped), it fetches the queued RTAS events with
 * event-scan / check-exception, parses the DRC index of each, then acquires
 * the DRC (get-sensor-state, set-indicator) and walks the core's device-tree
 * fragment with ibm,configure-connector, printing every return code, every
 * node and property name and every value. The output depends only on the
 * machine, so the same ELF prints the same lines on QEMU 7.2 and on
 * pseries-lab (the event's creation date and time are not printed). The first
 * core's vCPU is then started with start-cpu, reports and stops itself. Last, the
 * guest negotiates OV5_HP_EVT at CAS, prints "ready for device_add core-id=3",
 * waits for the hot-plug interrupt and handles core 3 the same way.
 */
#include "../common/guest.h"
#include "../common/drc.h"


#define T_SET_XIVE (RTAS_BASE + 0xa)
#define T_QUERY_STOPPED (RTAS_BASE + 0x5)
#define T_CHECK_EXCEPTION (RTAS_BASE + 0xe)
#define T_EVENT_SCAN (RTAS_BASE + 0xf)
#define T_POWER_OFF (RTAS_BASE + 0x3)
#define T_START_CPU (RTAS_BASE + 0x6)
#define T_STOP_SELF (RTAS_BASE + 0x7)

#define MASK_INTERNAL 0x80000000u
#define MASK_EPOW 0x40000000u
#define MASK_HOTPLUG 0x10000000u
#define MASK_IO 0x08000000u





/* CAS buffer: {mask, pvr} pairs, a terminator, then the option vector table */
static u8 cas_buf[256] __attribute__((aligned(16)));


/* POWER8, vectors 1..5; vector 5 offers what Linux asks for, OV5_HP_EVT among it */
static void cas_fill(void)
{
    u8 *v;
    int i;
    for (i = 0; i < (int)sizeof(cas_buf); i++) cas_buf[i] = 0;
    put32(cas_buf, 0xffff0000);
    put32(cas_buf + 4, 0x004d0000);
    put32(cas_buf + 8, 0);
    put32(cas_buf + 12, 0xffffffff);        /* terminator: ~mask & pvr != 0 */
    v = cas_buf + 16;
    *v++ = 4;
    for (i = 1; i <= 5; i++) {
        if (i == 5) {
            *v++ = 23;                       /* 24 bytes */
            v[1] = 0x20;                     /* byte 2: DRCONF_MEMORY */
            v[4] = 0x80 | 0x20;              /* byte 5: FORM1, FORM2 affinity */
            v[5] = 0x04 | 0x01;              /* byte 6: HP_EVT, HPT_RESIZE */
            v[21] = 0x80;                    /* byte 22: DRMEM_V2 */
            v += 24;
        } else {
            *v++ = 0;                        /* 1 byte */
            *v++ = 0;
        }
    }
}

static u8 evbuf[2048] __attribute__((aligned(16)));

static u32 epow_irq, hp_irq;

static u32 irq_of(const char *path)
{
    u32 ph = of("finddevice", 1, 1, A(path), 0, 0, 0);
    u32 v[2] = { 0, 0 };
    u32 n = of("getprop", 4, 1, ph, A("interrupts"), A(v), sizeof(v));
    line(path);
    sp_dec((int)n);
    sp_hex(v[0]);
    sp_hex(v[1]);
    nl();
    return v[0];
}

static void event_scan(const char *name)
{
    u32 args[4] = { MASK_INTERNAL | MASK_EPOW | MASK_HOTPLUG | MASK_IO, 0, A(evbuf), sizeof(evbuf) };
    rt(name, T_EVENT_SCAN, 4, 1, args);
}

/* check-exception(vector, info, mask, critical, buf, len); returns the DRC index, or 0 */
static u32 check_exception(const char *name, u32 mask, int nargs, u32 len)
{
    u32 args[7] = { 0x500, 0, mask, 0, A(evbuf), len, 0 };
    u32 idx = 0;
    int i, st, ext;
    for (i = 0; i < (int)sizeof(evbuf); i++) evbuf[i] = 0xee;
    st = rt(name, T_CHECK_EXCEPTION, nargs, 1, args);
    if (st != 0) return 0;
    ext = print_event_log(evbuf);
    if (ext < 0) return 0;
    line("  bytes past the log");
    dump(evbuf + 8 + ext, 4);
    nl();
    if (evbuf[8 + 88 + 8] == 1 /* CPU */ && evbuf[8 + 88 + 10] == 2 /* DRC index */)
        idx = be32(evbuf + 8 + 88 + 12);
    line("  hotplug DRC index");
    sp_hex(idx);
    nl();
    return idx;
}


/* ---- the hot-plugged core's vCPU, once configured: started, it reports and stops ---- */

void secondary_entry(void);
static u32 rtas_buf2[16] __attribute__((aligned(16)));
static volatile u32 secondary_done;

void secondary_main(u64 r3)
{
    u64 msr;
    u64 a[6] = { (u64)rtas_buf2, 0, 0, 0, 0, 0 };
    __asm__ volatile("mfmsr %0" : "=r"(msr));
    line("  started vCPU: r3");
    sp_hex(r3);
    puts_(" msr");
    sp_hex(msr);
    nl();
    secondary_done = 1;
    __asm__ volatile("sync" ::: "memory");
    rtas_buf2[0] = T_STOP_SELF;
    rtas_buf2[1] = 0;
    rtas_buf2[2] = 1;
    hcall(KVMPPC_H_RTAS, a);
    for (;;) ;
}

static void start_cpu(u32 id)
{
    u32 args[3];
    long h;
    int st;
    args[0] = id;
    rt("  query-cpu-stopped-state", T_QUERY_STOPPED, 1, 2, args);
    args[1] = A(secondary_entry);
    args[2] = 0x1234 + id;
    /* the started vCPU prints its line meanwhile: ours is printed once it has */
    h = rtas(T_START_CPU, 3, 1, args);
    st = (int)rtas_buf[3 + 3];
    while (!secondary_done) __asm__ volatile("" ::: "memory");
    line("  start-cpu");
    puts_(" h=");
    putdec(h);
    sp_dec(st);
    nl();
    do { st = rtas(T_QUERY_STOPPED, 1, 2, args) == 0 ? (int)rtas_buf[3 + 1 + 1] : -99; } while (st == 2);
    line("  query-cpu-stopped-state after stop-self");
    sp_dec(st);
    nl();
    args[0] = 7;
    rt("  start-cpu no vCPU 7", T_START_CPU, 3, 1, args);
    secondary_done = 0;
}

static void acquire_and_configure(u32 idx)
{
    line("DRC");
    sp_hex(idx);
    nl();
    sensor("  dr-entity-sense", idx);
    line("  configure-connector before unisolate");
    sp_dec(cc_call(idx));
    nl();
    indicator("  unisolate while unusable", 9001, idx, 1);
    indicator("  dr-indicator (logical DRC)", 9002, idx, 1);
    indicator("  allocation-state 2", 9003, idx, 2);
    indicator("  allocation-state usable", 9003, idx, 1);
    sensor("  dr-entity-sense", idx);
    indicator("  allocation-state usable again", 9003, idx, 1);
    indicator("  isolation-state 2", 9001, idx, 2);
    indicator("  isolate while available", 9001, idx, 0);
    indicator("  unisolate", 9001, idx, 1);
    indicator("  allocation-state unusable while unisolated", 9003, idx, 0);
    indicator("  isolate while unisolated", 9001, idx, 0);
    sensor("  dr-entity-sense", idx);
    configure(idx, 200);
    sensor("  dr-entity-sense", idx);
    puts_("  again, configured:\r\n");
    configure(idx, 3);
    start_cpu(idx & 0xffff);
}

int main(void)
{
    u32 args[8];
    u32 idx1, idx2;

    puts_("hotplug-client: RTAS events and DR connectors of hot-plugged CPU cores\r\n");

    epow_irq = irq_of("/event-sources/epow-events");
    hp_irq = irq_of("/event-sources/hot-plug-events");

    /* vCPU 0 takes every priority; both event sources to it at priority 5 */
    line("H_CPPR 0xff");
    sp_dec(H(H_CPPR, 0xff, 0));
    nl();
    xirr("nothing routed yet");
    args[0] = hp_irq; args[1] = 0; args[2] = 5;
    rt("ibm,set-xive hot-plug-events", T_SET_XIVE, 3, 1, args);
    xirr("after routing hot-plug-events");
    args[0] = epow_irq;
    rt("ibm,set-xive epow-events", T_SET_XIVE, 3, 1, args);
    xirr("after routing epow-events");
    xirr("again");

    /* event-scan never returns an event, it pulses the sources that have some */
    event_scan("event-scan");
    xirr("after event-scan");
    {
        u32 a3[3] = { 0, 0, 0 };
        rt("event-scan nargs=3", T_EVENT_SCAN, 3, 1, a3);
    }

    /* check-exception: argument checks, then each class mask */
    check_exception("check-exception nargs=5", MASK_EPOW, 5, sizeof(evbuf));
    check_exception("check-exception nargs=8", MASK_EPOW, 8, sizeof(evbuf));
    check_exception("check-exception internal-errors", MASK_INTERNAL, 6, sizeof(evbuf));
    check_exception("check-exception hot-plug-events", MASK_HOTPLUG, 6, sizeof(evbuf));
    check_exception("check-exception io-events", MASK_IO, 7, sizeof(evbuf));
    xirr("nothing fetched");
    /* a short buffer: the length the guest gives is not a limit */
    idx1 = check_exception("check-exception epow-events len 16", MASK_EPOW, 6, 16);
    xirr("one event left");
    idx2 = check_exception("check-exception all classes", 0xffffffffu, 7, sizeof(evbuf));
    xirr("no event left");
    check_exception("check-exception epow-events", MASK_EPOW, 6, sizeof(evbuf));
    event_scan("event-scan");
    xirr("after event-scan");

    if (idx1) acquire_and_configure(idx1);
    if (idx2) {
        line("DRC");
        sp_hex(idx2);
        nl();
        indicator("  allocation-state usable", 9003, idx2, 1);
        indicator("  unisolate", 9001, idx2, 1);
        configure(idx2, 200);
    }

    /*
     * After CAS with OV5_HP_EVT, a hot-plug (core 3, plugged once the line "ready for
     * device_add" is out) is signalled on the hot-plug source and is a hot-plug class event.
     */
    {
        u32 ih = of("open", 1, 1, A("/"), 0, 0, 0);
        u32 r, idx3;
        cas_fill();
        pa.args[4] = 0;
        r = of("call-method", 3, 2, A("ibm,client-architecture-support"), ih, A(cas_buf), 0);
        line("CAS offering OV5_HP_EVT");
        sp_hex(r);
        sp_hex(pa.args[4]);
        nl();
        puts_("ready for device_add core-id=3\r\n");
        wait_irq();
        check_exception("check-exception epow-events", MASK_EPOW, 6, sizeof(evbuf));
        idx3 = check_exception("check-exception hot-plug-events", MASK_HOTPLUG, 6, sizeof(evbuf));
        xirr("no event left");
        if (idx3) {
            line("DRC");
            sp_hex(idx3);
            nl();
            sensor("  dr-entity-sense", idx3);
            indicator("  allocation-state usable", 9003, idx3, 1);
            indicator("  unisolate", 9001, idx3, 1);
            configure(idx3, 200);
        }
    }

    /* configure-connector on other DRCs */
    line("configure-connector CPU 0 (cold-plugged)");
    sp_dec(cc_call(0x10000000));
    puts_(" \"");
    puts_((char *)wa + ((u32 *)wa)[2]);
    puts_("\"");
    nl();
    line("configure-connector no DRC");
    sp_dec(cc_call(0x10000009));
    nl();
    args[0] = A(wa); args[1] = 0;
    rt("configure-connector nargs=1", T_CONFIGURE_CONNECTOR, 1, 1, args);
    xirr("at the end");

    puts_("done\r\n");
    args[0] = 0; args[1] = 0;
    rtas(T_POWER_OFF, 2, 1, args);
    for (;;) ;
}
