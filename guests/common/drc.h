/* What the hot-plug test guests share (guests/hotplug-client, guests/mem-hotplug): byte dumps,
 * a one-argument hcall, accepting and EOIing vCPU 0's pending (or awaited) interrupt, printing an RTAS event
 * log, and the DRC side of RTAS (ibm,configure-connector walked to the end with every response printed,
 * get-sensor-state, set-indicator). Include after guest.h. */
#ifndef DRC_H
#define DRC_H

#define T_SET_INDICATOR (RTAS_BASE + 0x1a)
#define T_GET_SENSOR (RTAS_BASE + 0x1d)
#define T_CONFIGURE_CONNECTOR (RTAS_BASE + 0x1e)

#define A(p) ((u32)(u64)(p))

#define H_CPPR 0x68
#define H_EOI 0x64
#define H_XIRR 0x74

static void puthex2(u8 v)
{
    char b[2] = { "0123456789abcdef"[v >> 4], "0123456789abcdef"[v & 15] };
    putchars(b, 2);
}

static void dump(const u8 *p, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        if (i && (i % 32) == 0) { nl(); puts_("   "); }
        puts_(" ");
        puthex2(p[i]);
    }
}

static long H(long op, u64 a0, u64 *out)
{
    u64 a[6] = { a0, 0, 0, 0, 0, 0 };
    long rc = hcall(op, a);
    if (out) *out = a[0];
    return rc;
}

/* what the presenter of vCPU 0 has pending: accept it and EOI it */
static void xirr(const char *name)
{
    u64 x = 0;
    long rc = H(H_XIRR, 0, &x);
    line(name);
    puts_(" H_XIRR");
    sp_dec(rc);
    sp_hex(x);
    if (x & 0xffffff) {
        rc = H(H_EOI, x, 0);
        puts_(" H_EOI");
        sp_dec(rc);
    }
    nl();
}

/* wait for an interrupt on the presenter, accept and EOI it */
static void wait_irq(void)
{
    long n, limit = 400000000L;
    u64 x = 0;
    for (n = 0; n < limit; n++) {
        if (H(H_XIRR, 0, &x) == 0 && (x & 0xffffff)) break;
    }
    line("interrupt");
    sp_hex(n < limit ? x : 0);
    if (x & 0xffffff) {
        puts_(" H_EOI");
        sp_dec(H(H_EOI, x, 0));
    }
    nl();
}

/* Print an RTAS event log as check-exception returned it (header, v6 header, Main-A with its
 * creation date and time, Main-B, the hotplug section); its extended length, or -1 when that
 * is past what the guests read (256). */
static int print_event_log(const u8 *log)
{
    u32 summary = be32(log), ext = be32(log + 4);
    line("  header summary, extended_length");
    sp_hex(summary);
    sp_dec(ext);
    nl();
    if (ext > 256) return -1;
    line("  v6 header");
    dump(log + 8, 16);
    nl();
    line("  Main-A id, length");
    dump(log + 24, 8);
    puts_(" [date time]");
    dump(log + 40, 32);
    nl();
    line("  Main-B");
    dump(log + 72, 24);
    nl();
    line("  HP");
    dump(log + 96, ext - 88);
    nl();
    return (int)ext;
}

/* the configure-connector work area */
static u8 wa[4096] __attribute__((aligned(4096)));

static int cc_call(u32 idx)
{
    u32 args[2] = { A(wa), 0 };
    ((u32 *)wa)[0] = idx;
    rtas(T_CONFIGURE_CONNECTOR, 2, 1, args);
    return (int)rtas_buf[3 + 2];
}

/* ibm,configure-connector until SUCCESS or an error; every response printed */
static void configure(u32 idx, int limit)
{
    int rc, n = 0;
    u32 *w = (u32 *)wa;
    do {
        rc = cc_call(idx);
        puts_("  cc");
        sp_dec(rc);
        switch (rc) {
        case 2: /* NEXT_CHILD */
            puts_(" child @");
            putdec(w[2]);
            puts_(" \"");
            puts_((char *)wa + w[2]);
            puts_("\"");
            break;
        case 3: /* NEXT_PROPERTY */
            puts_(" prop @");
            putdec(w[2]);
            puts_(" len ");
            putdec(w[3]);
            puts_(" @");
            putdec(w[4]);
            puts_(" ");
            puts_((char *)wa + w[2]);
            puts_(" =");
            dump(wa + w[4], w[3] > 64 ? 64 : w[3]);
            break;
        case 4:
            puts_(" prev-parent");
            break;
        case 0:
            puts_(" success");
            break;
        }
        nl();
    } while ((rc == 1 || rc == 2 || rc == 3 || rc == 4) && ++n < limit);
}

static int sensor(const char *name, u32 idx)
{
    u32 args[2] = { 9003, idx };
    return rt(name, T_GET_SENSOR, 2, 2, args);
}

static int indicator(const char *name, u32 type, u32 idx, u32 state)
{
    u32 args[3] = { type, idx, state };
    return rt(name, T_SET_INDICATOR, 3, 1, args);
}

#endif
