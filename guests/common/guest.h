/*
 * What the freestanding C test guests share: types, the calls out of the guest
 * (start.S: hcall, ci), console output through H_PUT_TERM_CHAR, RTAS through
 * KVMPPC_H_RTAS and the Open Firmware client interface (VOF). Everything is
 * static: a guest keeps only what it uses.
 */
#ifndef GUEST_H
#define GUEST_H

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned char u8;

long hcall(long opcode, u64 *a);
u32 ci(void *args);

#define H_PUT_TERM_CHAR 0x58
#define KVMPPC_H_RTAS 0xf000
#define VTY 0x71000001UL

/* ---- console ---- */

static void putchars(const char *s, int n)
{
    while (n > 0) {
        u64 a[6] = { VTY, 0, 0, 0, 0, 0 };
        int k = n > 16 ? 16 : n, i;
        a[1] = k;
        for (i = 0; i < k; i++) {
            a[2 + i / 8] |= (u64)(u8)s[i] << (56 - 8 * (i % 8));
        }
        hcall(H_PUT_TERM_CHAR, a);
        s += k;
        n -= k;
    }
}

static int slen(const char *s) { int n = 0; while (s[n]) n++; return n; }
static void puts_(const char *s) { putchars(s, slen(s)); }

static void puthex(u64 v)
{
    char b[19];
    int i = 18, n;
    b[i] = 0;
    do { b[--i] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
    b[--i] = 'x';
    b[--i] = '0';
    n = 18 - i;
    putchars(b + i, n);
}

static void putdec(long v)
{
    char b[24];
    int i = 23;
    unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
    b[i] = 0;
    do { b[--i] = '0' + u % 10; u /= 10; } while (u);
    if (v < 0) b[--i] = '-';
    puts_(b + i);
}

static void line(const char *name) { puts_(name); puts_(":"); }
static void sp_dec(long v) { puts_(" "); putdec(v); }
static void sp_hex(u64 v) { puts_(" "); puthex(v); }
static void nl(void) { puts_("\r\n"); }

static void put32(u8 *p, u32 v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static u32 be32(const u8 *p) { return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3]; }

/* ---- RTAS ---- */

static u32 rtas_buf[32] __attribute__((aligned(16)));
#define RTAS_BASE 0x2000

static long rtas(u32 token, int nargs, int nret, const u32 *args)
{
    u64 a[6] = { (u64)rtas_buf, 0, 0, 0, 0, 0 };
    int i;
    rtas_buf[0] = token;
    rtas_buf[1] = nargs;
    rtas_buf[2] = nret;
    for (i = 0; i < nargs; i++) rtas_buf[3 + i] = args[i];
    for (i = 0; i < nret; i++) rtas_buf[3 + nargs + i] = 0xdeadbeef;
    return hcall(KVMPPC_H_RTAS, a);
}

/* an RTAS call printed as "name: h=<hcall ret> <rets...>"; returns the status word */
static int rt(const char *name, u32 token, int nargs, int nret, const u32 *args)
{
    long rc = rtas(token, nargs, nret, args);
    int i;
    line(name);
    puts_(" h=");
    putdec(rc);
    for (i = 0; i < nret; i++) sp_dec((int)rtas_buf[3 + nargs + i]);
    nl();
    return (int)rtas_buf[3 + nargs];
}

/* ---- Open Firmware client interface ---- */

static struct { u32 service, nargs, nret, args[10]; } pa;

static u32 of(const char *svc, int nargs, int nret, u32 a0, u32 a1, u32 a2, u32 a3)
{
    pa.service = (u32)(u64)svc;
    pa.nargs = nargs;
    pa.nret = nret;
    pa.args[0] = a0; pa.args[1] = a1; pa.args[2] = a2; pa.args[3] = a3;
    pa.args[nargs] = 0xdeadbeef;
    ci(&pa);
    return pa.args[nargs];
}

#endif
