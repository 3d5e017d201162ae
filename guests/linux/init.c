/*
 * /init of the pseries-lab Linux guest: a tiny shell on /dev/console.
 * Freestanding (no libc), raw Linux system calls for ppc64le.
 *
 * Commands: help, uname [-a], cat FILE, ls [DIR], uptime, count, echo ...,
 * date, tick [N], poweroff, reboot.
 * `count` increments a counter kept in this process's memory, so a value that
 * goes on across a live migration shows the process and its memory survived.
 */
typedef unsigned long u64;
typedef long s64;

#define SYS_exit 1
#define SYS_read 3
#define SYS_write 4
#define SYS_open 5
#define SYS_close 6
#define SYS_reboot 88
#define SYS_uname 122
#define SYS_nanosleep 162
#define SYS_getdents64 202
#define SYS_clock_gettime 246
#define SYS_sysinfo 116
#define SYS_mount 21

static s64 sc6(s64 n, s64 a, s64 b, s64 c, s64 d, s64 e)
{
	register s64 r0 __asm__("r0") = n;
	register s64 r3 __asm__("r3") = a;
	register s64 r4 __asm__("r4") = b;
	register s64 r5 __asm__("r5") = c;
	register s64 r6 __asm__("r6") = d;
	register s64 r7 __asm__("r7") = e;
	__asm__ volatile("sc\n\tbns+ 1f\n\tneg %1, %1\n1:"
			 : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7)
			 :
			 : "r8", "r9", "r10", "r11", "r12", "cr0", "ctr", "xer", "memory");
	return r3;
}
#define sys1(n, a) sc6(n, (s64)(a), 0, 0, 0, 0)
#define sys2(n, a, b) sc6(n, (s64)(a), (s64)(b), 0, 0, 0)
#define sys3(n, a, b, c) sc6(n, (s64)(a), (s64)(b), (s64)(c), 0, 0)
#define sys5(n, a, b, c, d, e) sc6(n, (s64)(a), (s64)(b), (s64)(c), (s64)(d), (s64)(e))

static u64 slen(const char *s) { u64 n = 0; while (s[n]) n++; return n; }
static void put(const char *s) { sys3(SYS_write, 1, s, slen(s)); }
static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) a++, b++;
	return *a == *b;
}
static void putu(u64 v, int width, char pad)
{
	char b[24];
	int i = 23;
	b[i] = 0;
	do { b[--i] = '0' + v % 10; v /= 10; } while (v);
	while (23 - i < width) b[--i] = pad;
	put(b + i);
}

struct utsname { char f[6][65]; };
struct timespec { s64 sec, nsec; };
struct sysinfo_s {
	s64 uptime; u64 loads[3]; u64 totalram, freeram, sharedram, bufferram;
	u64 totalswap, freeswap; unsigned short procs, pad; u64 totalhigh, freehigh;
	unsigned mem_unit; char _f[0];
};

static void cmd_uname(int all)
{
	struct utsname u;
	if (sys1(SYS_uname, &u) < 0) { put("uname: failed\n"); return; }
	if (!all) { put(u.f[0]); put("\n"); return; }
	for (int i = 0; i < 5; i++) { put(u.f[i]); put(i < 4 ? " " : "\n"); }
}

static char buf[4096];

static void cmd_cat(const char *path)
{
	s64 fd = sys3(SYS_open, path, 0, 0);
	if (fd < 0) { put("cat: "); put(path); put(": cannot open\n"); return; }
	for (;;) {
		s64 n = sys3(SYS_read, fd, buf, sizeof buf);
		if (n <= 0) break;
		sys3(SYS_write, 1, buf, n);
	}
	sys1(SYS_close, fd);
}

struct dirent64 { u64 ino; s64 off; unsigned short reclen; unsigned char type; char name[]; };

static void cmd_ls(const char *path)
{
	s64 fd = sys3(SYS_open, path, 0x4000 /* O_DIRECTORY */, 0);
	if (fd < 0) { put("ls: "); put(path); put(": cannot open\n"); return; }
	int col = 0;
	for (;;) {
		s64 n = sys3(SYS_getdents64, fd, buf, sizeof buf);
		if (n <= 0) break;
		for (s64 off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			off += d->reclen;
			if (d->name[0] == '.') continue;
			u64 l = slen(d->name);
			if (col + l + 2 > 78) { put("\n"); col = 0; }
			put(d->name); put(d->type == 4 ? "/  " : "  ");
			col += l + 3;
		}
	}
	if (col) put("\n");
	sys1(SYS_close, fd);
}

static void cmd_uptime(void)
{
	struct sysinfo_s si;
	if (sys1(SYS_sysinfo, &si) < 0) { put("uptime: failed\n"); return; }
	put("up "); putu(si.uptime / 60, 0, ' '); put(":"); putu(si.uptime % 60, 2, '0');
	put(", "); putu(si.procs, 0, ' '); put(" procs, ");
	putu(si.totalram * si.mem_unit >> 20, 0, ' '); put(" MiB RAM, ");
	putu(si.freeram * si.mem_unit >> 20, 0, ' '); put(" MiB free\n");
}

static void cmd_date(void)
{
	struct timespec ts;
	sys2(SYS_clock_gettime, 0 /* CLOCK_REALTIME */, &ts);
	s64 t = ts.sec, days = t / 86400, s = t % 86400;
	/* civil from days (Howard Hinnant) */
	s64 z = days + 719468, era = z / 146097, doe = z - era * 146097;
	s64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	s64 y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	s64 mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	s64 m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2) y++;
	putu(y, 4, '0'); put("-"); putu(m, 2, '0'); put("-"); putu(d, 2, '0'); put(" ");
	putu(s / 3600, 2, '0'); put(":"); putu(s / 60 % 60, 2, '0'); put(":"); putu(s % 60, 2, '0');
	put(" UTC\n");
}

static u64 counter;

static void cmd_tick(u64 n)
{
	struct timespec one = { 1, 0 };
	for (u64 i = 0; i < n; i++) {
		put("tick "); putu(++counter, 0, ' '); put("\n");
		if (i + 1 < n) sys2(SYS_nanosleep, &one, 0);
	}
}

static u64 parse(const char *s, u64 dflt)
{
	if (!*s) return dflt;
	u64 v = 0;
	while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
	return v;
}

static char line[256];

/* Read a line from the console with echo and backspace (the tty is raw: the
 * kernel's n_tty echoes and edits, so only collect what read returns). */
static int readline(void)
{
	u64 n = 0;
	for (;;) {
		char c;
		s64 r = sys3(SYS_read, 0, &c, 1);
		if (r <= 0) return -1;
		if (c == '\r' || c == '\n') { line[n] = 0; return (int)n; }
		if (n + 1 < sizeof line) line[n++] = c;
	}
}

int main(void)
{
	sys5(SYS_mount, "proc", "/proc", "proc", 0, 0);
	sys5(SYS_mount, "sysfs", "/sys", "sysfs", 0, 0);  /* /proc/device-tree links into /sys */
	put("\npseries-lab init: type 'help' for the commands\n");
	for (;;) {
		put("init> ");
		if (readline() < 0) { struct timespec t = { 1, 0 }; sys2(SYS_nanosleep, &t, 0); continue; }
		char *cmd = line, *arg;
		while (*cmd == ' ') cmd++;
		for (arg = cmd; *arg && *arg != ' '; arg++) ;
		if (*arg) { *arg++ = 0; while (*arg == ' ') arg++; }
		if (!*cmd) continue;
		if (streq(cmd, "help"))
			put("commands: uname [-a], cat FILE, ls [DIR], uptime, date, count, tick [N],\n"
			    "          echo TEXT, poweroff, reboot\n");
		else if (streq(cmd, "uname")) cmd_uname(streq(arg, "-a"));
		else if (streq(cmd, "cat")) cmd_cat(*arg ? arg : "/proc/version");
		else if (streq(cmd, "ls")) cmd_ls(*arg ? arg : "/");
		else if (streq(cmd, "uptime")) cmd_uptime();
		else if (streq(cmd, "date")) cmd_date();
		else if (streq(cmd, "count")) { put("count "); putu(++counter, 0, ' '); put("\n"); }
		else if (streq(cmd, "tick")) cmd_tick(parse(arg, 5));
		else if (streq(cmd, "echo")) { put(arg); put("\n"); }
		else if (streq(cmd, "poweroff")) sys5(SYS_reboot, 0xfee1dead, 672274793, 0x4321FEDC, 0, 0);
		else if (streq(cmd, "reboot")) sys5(SYS_reboot, 0xfee1dead, 672274793, 0x01234567, 0, 0);
		else { put(cmd); put(": unknown command (try 'help')\n"); }
	}
}
