/*
 * cas-boot: a firmware stage doing a real boot on a pseries machine (QEMU's
 * x-vof=on), the way SLOF does it around ibm,client-architecture-support:
 *
 *   1. counts boots in a record kept in guest RAM at BOOT_RECORD, which a
 *      machine reset does not clear (the image itself is reloaded);
 *   2. reads the cpu cores from the device tree through the client interface;
 *   3. waits 20 ms of timebase, then
 *   4. negotiates with KVMPPC_H_CAS as SLOF does, retrying every 50 ms while
 *      the hypervisor answers H_BUSY, and reads the cpu cores again from the
 *      device tree update CAS returns;
 *   5. prints "tick K" every 100 ms of timebase, halted in H_CEDE in between.
 *
 * Every line starts with "cas-boot: ". Nothing printed depends on the host or
 * on time, only on the machine.
 */
typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned char u8;

long hcall(long opcode, u64 *a);
u32 ci(void *args);
u64 timebase(void);
void sleep_until(u64 deadline);

#define H_SUCCESS 0
#define H_BUSY 1
#define H_PUT_TERM_CHAR 0x58
#define KVMPPC_H_RTAS 0xf000
#define KVMPPC_H_CAS 0xf002
#define RTAS_POWER_OFF 0x2003
#define VTY 0x71000001UL

#define TB_PER_MS 512000UL              /* 512 MHz timebase */

/* Boot record: outside the image (0x400000...), VOF (0-0x10000) and
 * anything QEMU or VOF write at a reset. */
#define BOOT_RECORD 0x00f00000UL
#define BOOT_MAGIC 0x6361732d626f6f74UL /* "cas-boot" */

/* ---- console ---- */

static char line[512];
static int llen;

static void out(const char *s) { while (*s && llen < (int)sizeof(line)) line[llen++] = *s++; }

static void out_dec(long v)
{
    char b[24];
    int i = 23;
    u64 u = v < 0 ? -(u64)v : (u64)v;
    b[i] = 0;
    do { b[--i] = '0' + u % 10; u /= 10; } while (u);
    if (v < 0) b[--i] = '-';
    out(b + i);
}

static void begin(const char *s) { llen = 0; out("cas-boot: "); out(s); }

/* ends the line and writes it, 16 bytes per H_PUT_TERM_CHAR */
static void end(void)
{
    int n, i, k;
    const char *s = line;
    out("\r\n");
    n = llen;
    while (n > 0) {
        u64 a[6] = { VTY, 0, 0, 0, 0, 0 };
        k = n > 16 ? 16 : n;
        a[1] = k;
        for (i = 0; i < k; i++) a[2 + i / 8] |= (u64)(u8)s[i] << (56 - 8 * (i % 8));
        hcall(H_PUT_TERM_CHAR, a);
        s += k;
        n -= k;
    }
}

static void say(const char *s) { begin(s); end(); }

/* ---- small helpers ---- */

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b) { a++; b++; }
    return *a == *b;
}

static void zero(void *d, long n) { u8 *p = d; while (n--) *p++ = 0; }

static u32 be32(const u8 *p) { return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3]; }

static void put32(u8 *p, u32 v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }

/* ---- the cpu cores as last seen in a device tree ---- */

static char names[512];
static int nnames, ncores;

static void core_add(const char *name, int len)
{
    if (nnames + len + 2 > (int)sizeof(names)) return;
    if (nnames) names[nnames++] = ' ';
    while (len-- > 0) names[nnames++] = *name++;
    names[nnames] = 0;
    ncores++;
}

static void cores_clear(void) { nnames = 0; ncores = 0; names[0] = 0; }

static void cores_line(const char *what)
{
    begin(what);
    out_dec(ncores);
    out(" cpu core(s):");
    if (ncores) { out(" "); out(names); }
    end();
}

/* ---- Open Firmware client interface ---- */

static struct { u32 service, nargs, nret, args[10]; } pa;

static u32 of(const char *svc, int nargs, u32 a0, u32 a1, u32 a2, u32 a3)
{
    pa.service = (u32)(u64)svc;
    pa.nargs = nargs;
    pa.nret = 1;
    pa.args[0] = a0; pa.args[1] = a1; pa.args[2] = a2; pa.args[3] = a3;
    pa.args[nargs] = 0;
    ci(&pa);
    return pa.args[nargs];
}

#define A(p) ((u32)(u64)(p))

static int is_cpu(const u8 *v, int len) { return len == 4 && v[0] == 'c' && v[1] == 'p' && v[2] == 'u' && !v[3]; }

/* finddevice "/cpus", then its children: the ones whose device_type is "cpu" */
static void cores_from_client_interface(void)
{
    static char path[256];
    u8 type[8];
    u32 cpus = of("finddevice", 1, A("/cpus"), 0, 0, 0), ph;
    int n, i, last;

    cores_clear();
    if (cpus == 0 || cpus == 0xffffffff) return;
    for (ph = of("child", 1, cpus, 0, 0, 0); ph && ph != 0xffffffff; ph = of("peer", 1, ph, 0, 0, 0)) {
        n = (int)of("getprop", 4, ph, A("device_type"), A(type), sizeof(type));
        if (!is_cpu(type, n)) continue;
        zero(path, sizeof(path));
        n = (int)of("package-to-path", 3, ph, A(path), sizeof(path) - 1, 0);
        if (n <= 0) continue;
        for (i = 0, last = 0; path[i]; i++) if (path[i] == '/') last = i + 1;
        core_add(path + last, i - last);
    }
}

/* A flattened device tree: the children of /cpus whose device_type is "cpu". */
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static int cores_from_fdt(const u8 *f, u32 room)
{
    u32 total, off, strs, tok, len;
    const u8 *p, *end, *name = 0;
    int depth = 0, in_cpus = 0, cpu = 0, n;

    if (room < 40 || be32(f) != 0xd00dfeed) return 0;
    total = be32(f + 4);
    off = be32(f + 8);
    strs = be32(f + 12);
    if (total > room || off >= total || strs >= total) return 0;
    cores_clear();
    p = f + off;
    end = f + total;
    while (p + 4 <= end) {
        tok = be32(p);
        p += 4;
        if (tok == FDT_BEGIN_NODE) {
            const u8 *s = p;
            while (p < end && *p) p++;
            n = p - s;
            p = s + ((n + 1 + 3) & ~3);
            depth++;
            if (depth == 2 && streq((const char *)s, "cpus")) in_cpus = 1;
            if (depth == 3 && in_cpus) { name = s; cpu = 0; }
        } else if (tok == FDT_PROP) {
            len = be32(p);
            off = be32(p + 4);
            if (depth == 3 && in_cpus && off < total - strs &&
                streq((const char *)f + strs + off, "device_type") && is_cpu(p + 8, len)) cpu = 1;
            p += 8 + ((len + 3) & ~3);
        } else if (tok == FDT_END_NODE) {
            if (depth == 3 && in_cpus && cpu) {
                for (n = 0; name[n]; n++) ;
                core_add((const char *)name, n);
                cpu = 0;
            }
            if (depth == 2) in_cpus = 0;
            depth--;
        } else if (tok != FDT_NOP) {
            break;
        }
    }
    return 1;
}

/* ---- ibm,client-architecture-support ---- */

/* {mask, pvr} pairs ended by a terminator, then option vectors 1-5 */
static u8 cas_vec[128] __attribute__((aligned(16)));
#define CAS_BUF_SIZE 0x10000
static u8 cas_buf[CAS_BUF_SIZE] __attribute__((aligned(16)));

static void cas_vec_fill(void)
{
    u8 *v = cas_vec;
    zero(cas_vec, sizeof(cas_vec));
    put32(v, 0xffff0000); put32(v + 4, 0x004d0000);   /* POWER8, the real PVR */
    put32(v + 8, 0xffffffff); put32(v + 12, 0x0f000004); /* ISA 2.07 logical PVR */
    put32(v + 16, 0x00000000); put32(v + 20, 0xffffffff); /* terminator */
    v += 24;
    *v++ = 5 - 1;                    /* vectors 1..5 */
    /* 1: architecture versions 2.00-2.07 */
    *v++ = 2 - 1; *v++ = 0x00; *v++ = 0xff;
    /* 2-4: nothing asked */
    *v++ = 1 - 1; *v++ = 0x00;
    *v++ = 1 - 1; *v++ = 0x00;
    *v++ = 1 - 1; *v++ = 0x00;
    /* 5: 24 bytes */
    *v++ = 24 - 1;
    v[1] = 0x20;                     /* byte 2: DRCONF_MEMORY */
    v[4] = 0x80;                     /* byte 5: FORM1 affinity */
    v[5] = 0x04 | 0x01;              /* byte 6: HP_EVT, HPT_RESIZE */
    v[21] = 0x80;                    /* byte 22: DRMEM_V2 */
    v[23] = 0x00;                    /* byte 24: hash MMU only */
}

static void power_off(void)
{
    static u32 rtas_buf[8] __attribute__((aligned(16)));
    u64 a[6] = { (u64)rtas_buf, 0, 0, 0, 0, 0 };
    rtas_buf[0] = RTAS_POWER_OFF;
    rtas_buf[1] = 2;
    rtas_buf[2] = 1;
    rtas_buf[3] = 0;
    rtas_buf[4] = 0;
    hcall(KVMPPC_H_RTAS, a);
}

int main(void)
{
    volatile u64 *rec = (volatile u64 *)BOOT_RECORD;
    u64 boot, t;
    long ret;
    int k;

    boot = rec[0] == BOOT_MAGIC ? rec[1] + 1 : 1;
    rec[0] = BOOT_MAGIC;
    rec[1] = boot;
    begin("boot ");
    out_dec(boot);
    end();

    cores_from_client_interface();
    cores_line("device tree: ");

    sleep_until(timebase() + 20 * TB_PER_MS);
    say("calling ibm,client-architecture-support");

    cas_vec_fill();
    for (;;) {
        u64 a[6] = { (u64)cas_vec, (u64)cas_buf, CAS_BUF_SIZE, 0, 0, 0 };
        zero(cas_buf, CAS_BUF_SIZE);
        ret = hcall(KVMPPC_H_CAS, a);
        if (ret != H_BUSY) break;
        say("H_CAS busy, retrying in 50 ms");
        sleep_until(timebase() + 50 * TB_PER_MS);
    }
    if (ret != H_SUCCESS) {
        begin("CAS failed: ");
        out_dec(ret);
        end();
        power_off();
        for (;;) ;
    }
    /* SpaprDeviceTreeUpdateHeader: version_id 1 (QEMU writes 01 00 00 00) */
    if (cas_buf[0] == 1 && !cas_buf[1] && !cas_buf[2] && !cas_buf[3] &&
        cores_from_fdt(cas_buf + 4, CAS_BUF_SIZE - 4)) {
        cores_line("CAS done, device tree update: ");
    } else {
        say("CAS done, no device tree update");
    }

    begin("up with ");
    out_dec(ncores);
    out(" cpu core(s)");
    end();

    t = timebase();
    for (k = 0;; k++) {
        begin("tick ");
        out_dec(k);
        end();
        t += 100 * TB_PER_MS;
        sleep_until(t);
    }
}
