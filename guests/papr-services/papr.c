/*
 * papr-services: calls hypercalls, RTAS services and Open Firmware client
 * services of a pseries machine (QEMU's x-vof=on), good and bad arguments
 * alike, and prints every return code and result on the console. The output
 * depends only on the machine, so the same ELF prints the same lines on QEMU
 * 7.2 and on pseries-lab.
 */
#include "../common/guest.h"

static void *memset_(void *d, int c, long n) { u8 *p = d; while (n--) *p++ = c; return d; }

/* ---- hcalls ---- */

static long H(long op, u64 a0, u64 a1, u64 a2, u64 a3, u64 *out)
{
    u64 a[6] = { a0, a1, a2, a3, 0, 0 };
    long rc = hcall(op, a);
    if (out) { out[0] = a[0]; out[1] = a[1]; out[2] = a[2]; out[3] = a[3]; }
    return rc;
}

static void hc(const char *name, long op, u64 a0, u64 a1, u64 a2, u64 a3, int nout)
{
    u64 o[4];
    long rc = H(op, a0, a1, a2, a3, o);
    int i;
    line(name);
    sp_dec(rc);
    for (i = 0; i < nout; i++) sp_hex(o[i]);
    nl();
}

/* ---- RTAS ---- */


static char buf[256] __attribute__((aligned(16)));
static u8 page[8192] __attribute__((aligned(4096)));
static u8 vpa[4096] __attribute__((aligned(4096)));
static u8 fdtbuf[0x20000] __attribute__((aligned(4096)));

#define A(p) ((u32)(u64)(p))

/* CAS buffer: {mask, pvr} pairs, a terminator, then the option vector table */
static u8 cas_buf[256] __attribute__((aligned(16)));


/* one PVR pair, then vectors 1..nvec; vector 5 (if present) offers what Linux asks for */
static void cas_fill(u32 pvr, u32 mask, int nvec)
{
    u8 *v;
    int i;
    memset_(cas_buf, 0, sizeof(cas_buf));
    put32(cas_buf, mask);
    put32(cas_buf + 4, pvr);
    put32(cas_buf + 8, 0);
    put32(cas_buf + 12, 0xffffffff);        /* terminator: ~mask & pvr != 0 */
    v = cas_buf + 16;
    *v++ = nvec - 1;
    for (i = 1; i <= nvec; i++) {
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

static void show_vec5_and_version(void)
{
    u32 chosen = of("finddevice", 1, 1, A("/chosen"), 0, 0, 0);
    u32 cpu = of("finddevice", 1, 1, A("/cpus/PowerPC,POWER8@0"), 0, 0, 0);
    u8 v[32];
    u32 n, i, ver = 0;
    n = of("getprop", 4, 1, chosen, A("ibm,architecture-vec-5"), A(v), sizeof(v));
    line("  /chosen/ibm,architecture-vec-5");
    sp_dec((int)n);
    puts_(" :");
    for (i = 0; (int)n > 0 && i < n && i < sizeof(v); i++) sp_dec(v[i]);
    nl();
    line("  phandles of /chosen, cpu");
    sp_hex(chosen);
    sp_hex(cpu);
    nl();
    of("getprop", 4, 1, cpu, A("cpu-version"), A(&ver), 4);
    line("  cpu-version");
    sp_hex(ver);
    nl();
}

static void show_str(const char *name, u32 r, const char *s)
{
    line(name);
    sp_dec((int)r);
    if ((int)r > 0) { puts_(" \""); puts_(s); puts_("\""); }
    nl();
}

int main(void)
{
    u64 o[4];
    u32 args[8];
    u32 chosen, root, ph, ih, r;
    int i;

    puts_("papr-services: hcalls, RTAS and client interface of a pseries machine\r\n");

    /* -- unknown and malformed hypercalls -- */
    hc("hcall 0x1234 (unknown)", 0x1234, 0, 0, 0, 0, 0);
    hc("hcall 0x5 (unaligned)", 0x5, 0, 0, 0, 0, 0);
    hc("hcall 0xf0ff (unknown KVMPPC)", 0xf0ff, 0, 0, 0, 0, 0);
    hc("H_RANDOM", 0x300, 0, 0, 0, 0, 0);

    /* -- DABR -- */
    hc("H_SET_DABR", 0x28, 0x1000, 0, 0, 0, 0);
    hc("H_SET_XDABR dabrx=3", 0x134, 0x1000, 3, 0, 0, 0);
    hc("H_SET_XDABR dabrx=0", 0x134, 0x1000, 0, 0, 0, 0);
    hc("H_SET_XDABR dabrx=4 (hv)", 0x134, 0x1000, 4, 0, 0, 0);
    hc("H_SET_XDABR dabrx=0x13", 0x134, 0x1000, 0x13, 0, 0, 0);

    /* -- page init -- */
    for (i = 0; i < 4096; i++) page[i] = i;
    hc("H_PAGE_INIT bad flags", 0x2c, 1, (u64)page, 0, 0, 0);
    hc("H_PAGE_INIT unaligned", 0x2c, 1UL << 15, (u64)page + 8, 0, 0, 0);
    hc("H_PAGE_INIT beyond RAM", 0x2c, 1UL << 15, 0x40000000, 0, 0, 0);
    hc("H_PAGE_INIT copy", 0x2c, 1UL << 14, (u64)page + 4096, (u64)page, 0, 0);
    line("  copied");
    sp_dec(page[4096 + 7]);
    sp_dec(page[4096 + 300]);
    nl();
    hc("H_PAGE_INIT copy bad src", 0x2c, 1UL << 14, (u64)page + 4096, 0x7fff0000, 0, 0);
    hc("H_PAGE_INIT zero", 0x2c, 1UL << 15, (u64)page, 0, 0, 0);
    line("  zeroed");
    sp_dec(page[7]);
    sp_dec(page[300]);
    nl();
    hc("H_PAGE_INIT icache", 0x2c, 3UL << 22, (u64)page, 0, 0, 0);

    /* -- logical cache-inhibited loads and stores -- */
    hc("H_LOGICAL_CI_STORE 4", 0x40, 4, (u64)page + 16, 0x11223344, 0, 0);
    hc("H_LOGICAL_CI_STORE 8", 0x40, 8, (u64)page + 24, 0x8877665544332211UL, 0, 0);
    hc("H_LOGICAL_CI_STORE 3", 0x40, 3, (u64)page + 16, 0, 0, 0);
    hc("H_LOGICAL_CI_LOAD 1", 0x3c, 1, (u64)page + 17, 0, 0, 1);
    hc("H_LOGICAL_CI_LOAD 2", 0x3c, 2, (u64)page + 18, 0, 0, 1);
    hc("H_LOGICAL_CI_LOAD 4", 0x3c, 4, (u64)page + 16, 0, 0, 1);
    hc("H_LOGICAL_CI_LOAD 8", 0x3c, 8, (u64)page + 24, 0, 0, 1);
    hc("H_LOGICAL_CI_LOAD 16", 0x3c, 16, (u64)page, 0, 0, 0);
    hc("H_LOGICAL_ICBI", 0x4c, 0, 0, 0, 0, 0);
    hc("H_LOGICAL_DCBF", 0x50, 0, 0, 0, 0, 0);

    /* -- VPA, SLB shadow, DTL -- */
    memset_(vpa, 0, sizeof(vpa));
    vpa[4] = 0x02; vpa[5] = 0x80;                 /* size 640 */
    hc("H_REGISTER_VPA bad cpu", 0xdc, 0x0000200000000000UL, 1, (u64)vpa, 0, 0);
    hc("H_REGISTER_VPA bad flags", 0xdc, 0x1, 0, (u64)vpa, 0, 0);
    hc("H_REGISTER_VPA at 0", 0xdc, 0x0000200000000000UL, 0, 0, 0, 0);
    hc("H_REGISTER_VPA unaligned", 0xdc, 0x0000200000000000UL, 0, (u64)vpa + 8, 0, 0);
    hc("H_REGISTER_DTL no VPA", 0xdc, 0x0000400000000000UL, 0, (u64)vpa + 1024, 0, 0);
    vpa[5] = 0x10;                                 /* size 528 */
    hc("H_REGISTER_VPA too small", 0xdc, 0x0000200000000000UL, 0, (u64)vpa, 0, 0);
    vpa[5] = 0x80;
    hc("H_REGISTER_VPA", 0xdc, 0x0000200000000000UL, 0, (u64)vpa, 0, 0);
    line("  shared-proc byte");
    sp_dec(vpa[9]);
    nl();
    vpa[1024 + 7] = 16;                            /* DTL size 16 */
    hc("H_REGISTER_DTL too small", 0xdc, 0x0000400000000000UL, 0, (u64)vpa + 1024, 0, 0);
    vpa[1024 + 7] = 64;
    hc("H_REGISTER_DTL", 0xdc, 0x0000400000000000UL, 0, (u64)vpa + 1024, 0, 0);
    vpa[2048 + 7] = 4;
    hc("H_REGISTER_SLBSHADOW too small", 0xdc, 0x0000600000000000UL, 0, (u64)vpa + 2048, 0, 0);
    vpa[2048 + 7] = 16;
    hc("H_REGISTER_SLBSHADOW", 0xdc, 0x0000600000000000UL, 0, (u64)vpa + 2048, 0, 0);
    hc("H_DEREGISTER_VPA busy", 0xdc, 0x0000a00000000000UL, 0, 0, 0, 0);
    hc("H_DEREGISTER_DTL", 0xdc, 0x0000c00000000000UL, 0, 0, 0, 0);
    hc("H_DEREGISTER_SLBSHADOW", 0xdc, 0x0000e00000000000UL, 0, 0, 0, 0);
    hc("H_DEREGISTER_VPA", 0xdc, 0x0000a00000000000UL, 0, 0, 0, 0);

    /* -- VIO, CPU characteristics -- */
    hc("H_VIO_SIGNAL vty 0", 0x104, VTY, 0, 0, 0, 0);
    hc("H_VIO_SIGNAL vty 1", 0x104, VTY, 1, 0, 0, 0);
    hc("H_VIO_SIGNAL nvram 0", 0x104, 0x71000000, 0, 0, 0, 0);
    hc("H_VIO_SIGNAL no device", 0x104, 0x71000005, 0, 0, 0, 0);
    hc("H_GET_CPU_CHARACTERISTICS", 0x1c8, 0, 0, 0, 0, 2);
    hc("H_PROD 0", 0xe8, 0, 0, 0, 0, 0);
    hc("H_PROD 7", 0xe8, 7, 0, 0, 0, 0);

    /* -- XICS presenter -- */
    hc("H_IPOLL 0", 0x70, 0, 0, 0, 0, 2);
    hc("H_IPOLL 9", 0x70, 9, 0, 0, 0, 0);
    hc("H_XIRR (nothing)", 0x74, 0, 0, 0, 0, 1);
    hc("H_CPPR 0xff", 0x68, 0xff, 0, 0, 0, 0);
    hc("H_IPI 9", 0x6c, 9, 5, 0, 0, 0);
    hc("H_IPI 0 mfrr=5", 0x6c, 0, 5, 0, 0, 0);
    hc("H_IPOLL 0", 0x70, 0, 0, 0, 0, 2);
    hc("H_XIRR", 0x74, 0, 0, 0, 0, 1);
    hc("H_IPOLL 0", 0x70, 0, 0, 0, 0, 2);
    hc("H_IPI 0 mfrr=0xff", 0x6c, 0, 0xff, 0, 0, 0);
    hc("H_EOI 0xff000002", 0x64, 0xff000002, 0, 0, 0, 0);
    hc("H_IPOLL 0", 0x70, 0, 0, 0, 0, 2);
    hc("H_IPI 0 mfrr=3", 0x6c, 0, 3, 0, 0, 0);
    hc("H_CPPR 2", 0x68, 2, 0, 0, 0, 0);
    hc("H_IPOLL 0", 0x70, 0, 0, 0, 0, 2);
    hc("H_CPPR 0xff", 0x68, 0xff, 0, 0, 0, 0);
    hc("H_IPOLL 0", 0x70, 0, 0, 0, 0, 2);
    H(0x6c, 0, 0xff, 0, 0, o);
    hc("H_XIRR_X", 0x2fc, 0, 0, 0, 0, 1);
    hc("H_EOI 0xff000002", 0x64, 0xff000002, 0, 0, 0, 0);
    hc("H_IPOLL 0", 0x70, 0, 0, 0, 0, 2);

    /* -- XICS sources through RTAS -- */
    args[0] = 0x1101; args[1] = 0; args[2] = 5;
    rt("ibm,set-xive vty", RTAS_BASE + 0xa, 3, 1, args);
    rt("ibm,get-xive vty", RTAS_BASE + 0xb, 1, 3, args);
    rt("ibm,int-off vty", RTAS_BASE + 0xc, 1, 1, args);
    rt("ibm,get-xive vty", RTAS_BASE + 0xb, 1, 3, args);
    rt("ibm,int-on vty", RTAS_BASE + 0xd, 1, 1, args);
    rt("ibm,get-xive vty", RTAS_BASE + 0xb, 1, 3, args);
    rt("ibm,get-xive nret=2", RTAS_BASE + 0xb, 1, 2, args);
    args[1] = 1;
    rt("ibm,set-xive server 1", RTAS_BASE + 0xa, 3, 1, args);
    args[1] = 0; args[2] = 0x100;
    rt("ibm,set-xive prio 0x100", RTAS_BASE + 0xa, 3, 1, args);
    args[0] = 0x0fff; args[2] = 5;
    rt("ibm,set-xive irq 0xfff", RTAS_BASE + 0xa, 3, 1, args);
    args[0] = 0x2000;
    rt("ibm,get-xive irq 0x2000", RTAS_BASE + 0xb, 1, 3, args);
    args[0] = 0x1fff;
    rt("ibm,get-xive irq 0x1fff", RTAS_BASE + 0xb, 1, 3, args);
    rt("ibm,int-on irq 0x1fff", RTAS_BASE + 0xd, 1, 1, args);
    args[0] = 0x1000;
    rt("ibm,get-xive epow", RTAS_BASE + 0xb, 1, 3, args);
    args[0] = 0x1101;
    rt("ibm,int-off vty", RTAS_BASE + 0xc, 1, 1, args);

    /* -- RTAS -- */
    args[0] = 'R';
    rt("display-character", RTAS_BASE + 0x0, 1, 1, args);
    rt("token 0x3000 (unknown)", 0x3000, 0, 1, args);
    rt("token 0x1fff (unknown)", 0x1fff, 0, 1, args);
    rt("get-time-of-day nret=7", RTAS_BASE + 0x1, 0, 7, args);
    args[0] = 2024; args[1] = 2; args[2] = 29; args[3] = 12; args[4] = 34; args[5] = 0; args[6] = 0;
    rt("set-time-of-day nargs=6", RTAS_BASE + 0x2, 6, 1, args);
    rt("set-time-of-day", RTAS_BASE + 0x2, 7, 1, args);
    rtas(RTAS_BASE + 0x1, 0, 8, args);
    line("get-time-of-day");
    for (i = 0; i < 6; i++) sp_dec((int)rtas_buf[3 + i]);
    nl();
    args[0] = 2023; args[1] = 14; args[2] = 40; args[3] = 25; args[4] = 61; args[5] = 0; args[6] = 0;
    rt("set-time-of-day 2023-14-40 25:61", RTAS_BASE + 0x2, 7, 1, args);
    rtas(RTAS_BASE + 0x1, 0, 8, args);
    line("get-time-of-day");
    for (i = 0; i < 5; i++) sp_dec((int)rtas_buf[3 + i]);
    nl();

    args[0] = 0; args[1] = A(buf); args[2] = 16;
    rt("nvram-fetch 0+16", RTAS_BASE + 0x12, 3, 2, args);
    line("  bytes");
    for (i = 0; i < 16; i++) sp_dec((u8)buf[i]);
    nl();
    for (i = 0; i < 8; i++) buf[i] = 'a' + i;
    args[0] = 0x100; args[2] = 8;
    rt("nvram-store 0x100+8", RTAS_BASE + 0x13, 3, 2, args);
    memset_(buf, 0, 16);
    args[0] = 0xfe; args[2] = 12;
    rt("nvram-fetch 0xfe+12", RTAS_BASE + 0x12, 3, 2, args);
    line("  bytes");
    for (i = 0; i < 12; i++) sp_dec((u8)buf[i]);
    nl();
    args[0] = 0xfff8; args[2] = 16;
    rt("nvram-fetch 0xfff8+16", RTAS_BASE + 0x12, 3, 2, args);
    rt("nvram-store 0xfff8+16", RTAS_BASE + 0x13, 3, 2, args);
    args[0] = 0xfff0; args[2] = 16;
    rt("nvram-fetch 0xfff0+16", RTAS_BASE + 0x12, 3, 2, args);
    rt("nvram-fetch nargs=2", RTAS_BASE + 0x12, 2, 2, args);
    rt("nvram-store nret=1", RTAS_BASE + 0x13, 3, 1, args);

    args[0] = 0;
    rt("query-cpu-stopped-state 0", RTAS_BASE + 0x5, 1, 2, args);
    args[0] = 1;
    rt("query-cpu-stopped-state 1", RTAS_BASE + 0x5, 1, 2, args);
    rt("query-cpu-stopped-state nret=1", RTAS_BASE + 0x5, 1, 1, args);
    args[0] = 0; args[1] = 0x100; args[2] = 0;
    rt("start-cpu 0 (running)", RTAS_BASE + 0x6, 3, 1, args);
    args[0] = 4;
    rt("start-cpu 4 (absent)", RTAS_BASE + 0x6, 3, 1, args);
    rt("start-cpu nargs=2", RTAS_BASE + 0x6, 2, 1, args);

    args[0] = 0; args[1] = 0; args[2] = 0; args[3] = 0;
    rt("event-scan", RTAS_BASE + 0xf, 4, 1, args);
    rt("event-scan nargs=3", RTAS_BASE + 0xf, 3, 1, args);
    args[0] = 0; args[1] = 0; args[2] = 0xffffffff; args[3] = 0; args[4] = A(buf); args[5] = 256;
    rt("check-exception", RTAS_BASE + 0xe, 6, 1, args);
    rt("check-exception nargs=5", RTAS_BASE + 0xe, 5, 1, args);
    rt("check-exception nret=2", RTAS_BASE + 0xe, 6, 2, args);

    memset_(buf, 0, sizeof(buf));
    args[0] = 20; args[1] = A(buf); args[2] = 200;
    rt("ibm,get-system-parameter 20", RTAS_BASE + 0x8, 3, 1, args);
    line("  ");
    sp_dec((buf[0] << 8) | (u8)buf[1]);
    puts_(" \"");
    puts_(buf + 2);
    puts_("\"");
    nl();
    args[0] = 42;
    rt("ibm,get-system-parameter 42", RTAS_BASE + 0x8, 3, 1, args);
    line("  ");
    for (i = 0; i < 3; i++) sp_dec((u8)buf[i]);
    nl();
    args[0] = 48;
    rt("ibm,get-system-parameter 48", RTAS_BASE + 0x8, 3, 1, args);
    line("  ");
    for (i = 0; i < 3; i++) sp_dec((u8)buf[i]);
    nl();
    args[0] = 20; args[2] = 1;
    rt("ibm,get-system-parameter len=1", RTAS_BASE + 0x8, 3, 1, args);
    args[0] = 7; args[2] = 200;
    rt("ibm,get-system-parameter 7", RTAS_BASE + 0x8, 3, 1, args);
    args[0] = 20;
    rt("ibm,set-system-parameter 20", RTAS_BASE + 0x9, 2, 1, args);
    args[0] = 7;
    rt("ibm,set-system-parameter 7", RTAS_BASE + 0x9, 2, 1, args);

    args[0] = 0xffffffff; args[1] = 100;
    rt("set-power-level -1", RTAS_BASE + 0x1b, 2, 2, args);
    rt("get-power-level -1", RTAS_BASE + 0x1c, 1, 2, args);
    args[0] = 1;
    rt("set-power-level 1", RTAS_BASE + 0x1b, 2, 2, args);
    rt("get-power-level nret=1", RTAS_BASE + 0x1c, 1, 1, args);

    args[0] = 0x100; args[1] = 0x200;
    rt("ibm,nmi-register (no RTAS base)", RTAS_BASE + 0x2b, 2, 1, args);
    rt("ibm,nmi-interlock", RTAS_BASE + 0x2c, 0, 1, args);

    args[0] = 9003; args[1] = 0x10000000;
    rt("get-sensor-state CPU 0", RTAS_BASE + 0x1d, 2, 2, args);
    args[1] = 0x20000000;
    rt("get-sensor-state PHB 0", RTAS_BASE + 0x1d, 2, 2, args);
    args[1] = 0x20000003;
    rt("get-sensor-state PHB 3", RTAS_BASE + 0x1d, 2, 2, args);
    args[1] = 0x40000008;
    rt("get-sensor-state PCI slot 1", RTAS_BASE + 0x1d, 2, 2, args);
    args[1] = 0x30000000;
    rt("get-sensor-state no DRC", RTAS_BASE + 0x1d, 2, 2, args);
    args[0] = 9001;
    rt("get-sensor-state type 9001", RTAS_BASE + 0x1d, 2, 2, args);
    rt("get-sensor-state nargs=1", RTAS_BASE + 0x1d, 1, 2, args);

    args[0] = 9001; args[1] = 0x20000003; args[2] = 0;
    rt("set-indicator nargs=2", RTAS_BASE + 0x1a, 2, 1, args);
    args[0] = 9999;
    rt("set-indicator type 9999", RTAS_BASE + 0x1a, 3, 1, args);
    args[0] = 9001; args[1] = 0x30000000;
    rt("isolate no DRC", RTAS_BASE + 0x1a, 3, 1, args);
    args[1] = 0x20000003; args[2] = 5;
    rt("isolation state 5 PHB 3", RTAS_BASE + 0x1a, 3, 1, args);
    args[2] = 0;
    rt("isolate PHB 3", RTAS_BASE + 0x1a, 3, 1, args);
    args[2] = 1;
    rt("unisolate PHB 3", RTAS_BASE + 0x1a, 3, 1, args);
    args[0] = 9003; args[2] = 1;
    rt("allocate PHB 3", RTAS_BASE + 0x1a, 3, 1, args);
    args[2] = 0;
    rt("unallocate PHB 3", RTAS_BASE + 0x1a, 3, 1, args);
    args[2] = 4;
    rt("allocation state 4 PHB 3", RTAS_BASE + 0x1a, 3, 1, args);
    args[1] = 0x40000008; args[2] = 1;
    rt("allocate PCI slot", RTAS_BASE + 0x1a, 3, 1, args);
    args[0] = 9002; args[2] = 1;
    rt("DR indicator PCI slot 1", RTAS_BASE + 0x1a, 3, 1, args);
    args[2] = 7;
    rt("DR indicator PCI slot 7", RTAS_BASE + 0x1a, 3, 1, args);
    args[1] = 0x20000003; args[2] = 1;
    rt("DR indicator PHB 3", RTAS_BASE + 0x1a, 3, 1, args);
    args[0] = 9001; args[1] = 0x40000008; args[2] = 1;
    rt("unisolate empty PCI slot", RTAS_BASE + 0x1a, 3, 1, args);
    args[2] = 0;
    rt("isolate empty PCI slot", RTAS_BASE + 0x1a, 3, 1, args);
    args[0] = 9003; args[1] = 0x20000003;
    rt("get-sensor-state PHB 3", RTAS_BASE + 0x1d, 2, 2, args);
    {
        u32 *wa = (u32 *)page;
        wa[0] = 0x20000003;
        args[0] = A(page); args[1] = 0;
        rt("configure-connector nargs=1", RTAS_BASE + 0x1e, 1, 1, args);
        rt("configure-connector PHB 3", RTAS_BASE + 0x1e, 2, 1, args);
        wa[0] = 0x40000008;
        rt("configure-connector PCI slot", RTAS_BASE + 0x1e, 2, 1, args);
        wa[0] = 0x30000001;
        rt("configure-connector no DRC", RTAS_BASE + 0x1e, 2, 1, args);
    }

    args[0] = 0x71000001; args[1] = 1;
    rt("ibm,set-tce-bypass vty", RTAS_BASE + 0x10, 2, 1, args);
    args[0] = 0x71000009;
    rt("ibm,set-tce-bypass no device", RTAS_BASE + 0x10, 2, 1, args);
    rt("ibm,set-tce-bypass nargs=1", RTAS_BASE + 0x10, 1, 1, args);
    rt("quiesce", RTAS_BASE + 0x11, 0, 1, args);
    rt("quiesce nargs=1", RTAS_BASE + 0x11, 1, 1, args);
    args[0] = 0; args[1] = 4;
    rt("read-pci-config", RTAS_BASE + 0x14, 2, 2, args);
    args[1] = 3;
    rt("read-pci-config size 3", RTAS_BASE + 0x14, 2, 2, args);
    rt("write-pci-config nargs=2", RTAS_BASE + 0x15, 2, 1, args);
    args[0] = 0; args[1] = 0x08000000; args[2] = 0x20000000; args[3] = 4;
    rt("ibm,read-pci-config PHB 0", RTAS_BASE + 0x16, 4, 2, args);
    rt("ibm,write-pci-config PHB 0", RTAS_BASE + 0x17, 5, 1, args);
    args[0] = 0; args[1] = 0x08000000; args[2] = 0x20000000; args[3] = 1;
    rt("ibm,set-eeh-option PHB 0", RTAS_BASE + 0x20, 4, 1, args);
    rt("ibm,get-config-addr-info2 PHB 0", RTAS_BASE + 0x21, 4, 2, args);
    rt("ibm,read-slot-reset-state2 PHB 0", RTAS_BASE + 0x22, 3, 4, args);
    rt("ibm,set-slot-reset nargs=3", RTAS_BASE + 0x23, 3, 1, args);

    rt("system-reboot nargs=1", RTAS_BASE + 0x4, 1, 1, args);
    rt("power-off nargs=0", RTAS_BASE + 0x3, 0, 1, args);

    /* -- client interface -- */
    root = of("finddevice", 1, 1, A("/"), 0, 0, 0);
    chosen = of("finddevice", 1, 1, A("/chosen"), 0, 0, 0);
    line("finddevice / /chosen /nothing");
    sp_hex(root);
    sp_hex(chosen);
    sp_hex(of("finddevice", 1, 1, A("/nothing"), 0, 0, 0));
    nl();
    line("getproplen /chosen stdout-path");
    sp_dec((int)of("getproplen", 2, 1, chosen, A("stdout-path"), 0, 0));
    nl();
    memset_(buf, 0, sizeof(buf));
    r = of("getprop", 4, 1, chosen, A("stdout-path"), A(buf), sizeof(buf));
    show_str("getprop /chosen stdout-path", r, buf);
    memset_(buf, 0, sizeof(buf));
    r = of("getprop", 4, 1, chosen, A("stdout-path"), A(buf), 5);
    show_str("getprop short buffer", r, buf);
    line("getprop missing");
    sp_dec((int)of("getprop", 4, 1, chosen, A("no-such-prop"), A(buf), 16));
    nl();
    line("getproplen bad phandle");
    sp_dec((int)of("getproplen", 2, 1, 0x12345, A("name"), 0, 0));
    nl();
    memset_(buf, 0, sizeof(buf));
    r = of("getprop", 4, 1, root, A("compatible"), A(buf), sizeof(buf));
    show_str("getprop / compatible", r, buf);
    memset_(buf, 0, sizeof(buf));
    r = of("nextprop", 3, 1, chosen, A(""), A(buf), 0);
    show_str("nextprop /chosen first", r, buf);
    r = of("nextprop", 3, 1, chosen, A("stdout-path"), A(buf), 0);
    show_str("nextprop after stdout-path", r, buf);
    ph = of("child", 1, 1, root, 0, 0, 0);
    memset_(buf, 0, sizeof(buf));
    r = of("package-to-path", 3, 1, ph, A(buf), sizeof(buf), 0);
    show_str("package-to-path first child", r, buf);
    ph = of("peer", 1, 1, ph, 0, 0, 0);
    memset_(buf, 0, sizeof(buf));
    r = of("package-to-path", 3, 1, ph, A(buf), sizeof(buf), 0);
    show_str("package-to-path its peer", r, buf);
    line("parent of /chosen is /");
    sp_dec(of("parent", 1, 1, chosen, 0, 0, 0) == root);
    nl();
    line("parent of /");
    sp_dec((int)of("parent", 1, 1, root, 0, 0, 0));
    nl();
    line("peer 0 is /");
    sp_dec(of("peer", 1, 1, 0, 0, 0, 0) == root);
    nl();
    ih = of("open", 1, 1, A("/vdevice/vty@71000001"), 0, 0, 0);
    line("open vty");
    sp_dec(ih != 0 && ih != 0xffffffff);
    nl();
    line("instance-to-package");
    sp_dec(of("instance-to-package", 1, 1, ih, 0, 0, 0) == of("finddevice", 1, 1, A("/vdevice/vty@71000001"), 0, 0, 0));
    nl();
    memset_(buf, 0, sizeof(buf));
    r = of("instance-to-path", 3, 1, ih, A(buf), sizeof(buf), 0);
    show_str("instance-to-path", r, buf);
    line("write");
    sp_dec((int)of("write", 3, 1, ih, A("hello"), 5, 0));
    nl();
    line("close");
    sp_dec((int)of("close", 1, 0, ih, 0, 0, 0));
    nl();
    line("open /nothing");
    sp_dec((int)of("open", 1, 1, A("/nothing"), 0, 0, 0));
    nl();
    line("unknown service");
    sp_dec((int)of("frobnicate", 0, 1, 0, 0, 0, 0));
    nl();

    /* -- setprop, services called with the wrong shape, services VOF lacks -- */
    r = of("setprop", 4, 1, chosen, A("bootargs"), A("console=hvc0"), 13);
    line("setprop /chosen bootargs");
    sp_dec((int)r);
    nl();
    memset_(buf, 0, sizeof(buf));
    r = of("getprop", 4, 1, chosen, A("bootargs"), A(buf), sizeof(buf));
    show_str("getprop /chosen bootargs", r, buf);
    line("setprop 3000 bytes");
    sp_dec((int)of("setprop", 4, 1, chosen, A("big"), A(page), 3000));
    nl();
    line("setprop linux,initrd-start 3 bytes");
    sp_dec((int)of("setprop", 4, 1, chosen, A("linux,initrd-start"), A(page), 3));
    nl();
    line("setprop bad phandle");
    sp_dec((int)of("setprop", 4, 1, 0x4321, A("x"), A(page), 4));
    nl();
    memset_(buf, 0, sizeof(buf));
    r = of("nextprop", 3, 1, chosen, A(""), A(buf), 0);
    show_str("nextprop /chosen first", r, buf);
    pa.args[2] = 0x55;
    line("close with nret=1");
    sp_dec((int)of("close", 1, 1, 5, 0, 0, 0));
    nl();
    line("milliseconds with nret=2");
    sp_dec((int)of("milliseconds", 0, 2, 0, 0, 0, 0));
    sp_hex(pa.args[1]);
    nl();
    line("getprop with nargs=3");
    sp_dec((int)of("getprop", 3, 1, chosen, A("bootargs"), A(buf), 0));
    nl();
    line("read");
    sp_dec((int)of("read", 3, 1, 1, A(buf), 4, 0));
    nl();
    line("seek");
    sp_dec((int)of("seek", 3, 1, 1, 0, 0, 0));
    nl();

    /* -- call-method and CAS -- */
    ih = of("open", 1, 1, A("/"), 0, 0, 0);
    pa.args[4] = 0;
    r = of("call-method", 3, 2, A("ibm,client-architecture-support"), 0, A(cas_buf), 0);
    line("call-method ihandle 0");
    sp_hex(r);
    sp_hex(pa.args[4]);
    nl();
    r = of("call-method", 3, 2, A("frobnicate"), ih, A(cas_buf), 0);
    line("call-method unknown method");
    sp_hex(r);
    sp_hex(pa.args[4]);
    nl();
    r = of("interpret", 1, 2, A("1 2 +"), 0, 0, 0);
    line("interpret");
    sp_hex(r);
    nl();
    cas_fill(0x004e1200, 0xffffffff, 5);
    r = of("call-method", 3, 2, A("ibm,client-architecture-support"), ih, A(cas_buf), 0);
    line("CAS POWER9 only");
    sp_hex(r);
    sp_hex(pa.args[4]);
    nl();
    cas_fill(0x004d0000, 0xffff0000, 4);
    r = of("call-method", 3, 2, A("ibm,client-architecture-support"), ih, A(cas_buf), 0);
    line("CAS without vector 5");
    sp_hex(r);
    nl();
    cas_fill(0x004d0000, 0xffff0000, 5);
    r = of("call-method", 3, 2, A("ibm,client-architecture-support"), ih, A(cas_buf), 0);
    line("CAS");
    sp_hex(r);
    sp_hex(pa.args[4]);
    nl();
    show_vec5_and_version();
    {
        u64 a[6] = { (u64)cas_buf, (u64)fdtbuf, sizeof(fdtbuf), 0, 0, 0 };
        cas_fill(0x0f000004, 0xffffffff, 5);
        cas_buf[16 + 1 + 4 * 2 + 1 + 5] = 0;    /* vector 5 byte 6: no HP_EVT, no HPT_RESIZE */
        line("KVMPPC_H_CAS");
        sp_dec(hcall(0xf002, a));
        sp_hex(((u32)fdtbuf[0] << 24) | ((u32)fdtbuf[1] << 16) | ((u32)fdtbuf[2] << 8) | fdtbuf[3]);
        sp_hex(((u32)fdtbuf[4] << 24) | ((u32)fdtbuf[5] << 16) | ((u32)fdtbuf[6] << 8) | fdtbuf[7]);
        nl();
        show_vec5_and_version();
    }

    puts_("done\r\n");
    args[0] = 0; args[1] = 0;
    rtas(RTAS_BASE + 0x3, 2, 1, args);
    for (;;) ;
}
