/*
 * cpu-workload: a fixed integer workload for timing the interpreter against
 * QEMU's TCG. Every round fills a buffer and an array from a xorshift64
 * generator seeded with the checksum so far, then runs a table-driven CRC-32
 * and SHA-256 over the buffer and a heapsort of the array, and folds the
 * three results into the checksum. No timer, no interrupt, nothing from the
 * host: the instruction stream and the printed lines are the same on every
 * run and on every machine (QEMU 7.2 and pseries-lab print the same lines).
 * At the end it prints the results and powers off through RTAS, so that
 * QEMU exits and can be timed. `rounds=N` in /chosen/bootargs (-append)
 * changes the number of rounds: rounds=0 times the start and the power-off.
 */
#include "../common/guest.h"

#define ROUNDS 256           /* about 608 M instructions */
#define BUF_BYTES 16384
#define SORT_N 4096

static u8 buf[BUF_BYTES] __attribute__((aligned(16)));
static u32 arr[SORT_N] __attribute__((aligned(16)));
static u32 crc_table[256];
static u64 rng;

static u64 xorshift64(void)
{
    u64 x = rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng = x;
    return x;
}

static u64 mix(u64 h, u64 v)
{
    h ^= v;
    h *= 0x100000001b3UL;
    return h ^ (h >> 29);
}

static void hex(u64 v, int digits)
{
    char b[16];
    int i;
    for (i = digits - 1; i >= 0; i--) { b[i] = "0123456789abcdef"[v & 15]; v >>= 4; }
    putchars(b, digits);
}

/* ---- CRC-32 (IEEE 802.3, reflected, table-driven) ---- */

static void crc32_init(void)
{
    u32 i, j, c;
    for (i = 0; i < 256; i++) {
        c = i;
        for (j = 0; j < 8; j++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static u32 crc32(const u8 *p, long n)
{
    u32 c = 0xffffffffu;
    while (n--) c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

/* ---- heapsort ---- */

static void sift(u32 *a, long root, long n)
{
    u32 v = a[root];
    long child;
    while ((child = 2 * root + 1) < n) {
        if (child + 1 < n && a[child + 1] > a[child]) child++;
        if (a[child] <= v) break;
        a[root] = a[child];
        root = child;
    }
    a[root] = v;
}

static void heapsort_(u32 *a, long n)
{
    long i;
    u32 t;
    for (i = n / 2 - 1; i >= 0; i--) sift(a, i, n);
    for (i = n - 1; i > 0; i--) {
        t = a[0]; a[0] = a[i]; a[i] = t;
        sift(a, 0, i);
    }
}

/* ---- SHA-256 (FIPS 180-4) ---- */

static const u32 K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) ((x) >> (n) | (x) << (32 - (n)))

static void sha256_block(u32 *h, const u8 *p)
{
    u32 w[64], a, b, c, d, e, f, g, k, t1, t2;
    int i;
    for (i = 0; i < 16; i++) w[i] = be32(p + 4 * i);
    for (i = 16; i < 64; i++) {
        u32 s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        u32 s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = h[0]; b = h[1]; c = h[2]; d = h[3]; e = h[4]; f = h[5]; g = h[6]; k = h[7];
    for (i = 0; i < 64; i++) {
        t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

static void sha256(const u8 *p, long n, u32 *h)
{
    u8 last[128];
    long i, rest, total = n;
    h[0] = 0x6a09e667; h[1] = 0xbb67ae85; h[2] = 0x3c6ef372; h[3] = 0xa54ff53a;
    h[4] = 0x510e527f; h[5] = 0x9b05688c; h[6] = 0x1f83d9ab; h[7] = 0x5be0cd19;
    for (; n >= 64; n -= 64, p += 64) sha256_block(h, p);
    rest = n < 56 ? 64 : 128;
    for (i = 0; i < rest; i++) last[i] = i < n ? p[i] : 0;
    last[n] = 0x80;
    put32(last + rest - 8, (u32)((u64)total >> 29));
    put32(last + rest - 4, (u32)total << 3);
    sha256_block(h, last);
    if (rest == 128) sha256_block(h, last + 64);
}

static void show_digest(const char *name, const u32 *h)
{
    int i;
    puts_(name);
    puts_(" ");
    for (i = 0; i < 8; i++) hex(h[i], 8);
    nl();
}

/* rounds=N from /chosen/bootargs, or ROUNDS */
static long rounds_arg(void)
{
    static char args[256];
    u32 chosen = of("finddevice", 1, 1, (u32)(u64)"/chosen", 0, 0, 0);
    int n = (int)of("getprop", 4, 1, chosen, (u32)(u64)"bootargs", (u32)(u64)args, sizeof(args) - 1);
    int i;
    long v;
    if (n <= 0) return ROUNDS;
    args[n] = 0;
    for (i = 0; i + 7 <= n; i++) {
        if ((i == 0 || args[i - 1] == ' ') && args[i] == 'r' && args[i + 1] == 'o' && args[i + 2] == 'u' &&
            args[i + 3] == 'n' && args[i + 4] == 'd' && args[i + 5] == 's' && args[i + 6] == '=') {
            for (v = 0, i += 7; args[i] >= '0' && args[i] <= '9'; i++) v = v * 10 + args[i] - '0';
            return v;
        }
    }
    return ROUNDS;
}

int main(void)
{
    u64 sum = 0xcbf29ce484222325UL, sorts = 0;
    u32 crcs = 0, h[8], hx[8] = { 0 };
    long r, i, unsorted = 0, rounds = rounds_arg();

    puts_("cpu-workload: CRC-32, heapsort and SHA-256, ");
    putdec(rounds);
    puts_(" rounds\r\n");

    crc32_init();
    /* known answers: CRC-32("123456789") = cbf43926, SHA-256("abc") = ba7816bf... */
    puts_("selftest crc32 ");
    hex(crc32((const u8 *)"123456789", 9), 8);
    nl();
    sha256((const u8 *)"abc", 3, h);
    show_digest("selftest sha256", h);

    for (r = 0; r < rounds; r++) {
        rng = sum ^ (u64)(r + 1) * 0x9e3779b97f4a7c15UL;
        for (i = 0; i < BUF_BYTES; i += 8) {
            u64 v = xorshift64();
            int j;
            for (j = 0; j < 8; j++) buf[i + j] = v >> (56 - 8 * j);
        }
        for (i = 0; i < SORT_N; i++) arr[i] = (u32)(xorshift64() >> 17);

        crcs ^= crc32(buf, BUF_BYTES);
        sum = mix(sum, crcs);

        sha256(buf, BUF_BYTES, h);
        for (i = 0; i < 8; i++) { hx[i] ^= h[i]; sum = mix(sum, h[i]); }

        heapsort_(arr, SORT_N);
        for (i = 1; i < SORT_N; i++) unsorted += arr[i - 1] > arr[i];
        for (i = 0; i < SORT_N; i += 64) sorts = mix(sorts, arr[i]);
        sum = mix(sum, sorts);
    }

    puts_("crc32 ");
    hex(crcs, 8);
    nl();
    show_digest("sha256", hx);
    puts_("sort ");
    hex(sorts, 16);
    puts_(unsorted ? " unsorted\r\n" : " sorted\r\n");
    puts_("checksum ");
    hex(sum, 16);
    nl();
    {
        u32 args[2] = { 0, 0 };
        rtas(RTAS_BASE + 0x3, 2, 1, args);      /* power-off */
    }
    for (;;) ;
}
