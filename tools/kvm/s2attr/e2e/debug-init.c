// SPDX-License-Identifier: GPL-2.0-only
/*
 * debug-init.c - /init of the debug kernel's initramfs (make check-debug).
 *
 * Runs the end-to-end initramfs's own init (init.c, here /e2e-init, with
 * this init's arguments) as a child without CAP_SYS_BOOT in its capability
 * bounding set, so that its reboot(RB_POWER_OFF) fails with EPERM and it
 * exits instead of powering the machine off. (A PID namespace would do the
 * same, but the selftest finds its VM in debugfs by its PID.) Then asks
 * kmemleak for two scans, SCAN_GAP_S seconds apart (kmemleak reports an
 * object only when it is older than 5 s and its contents did not change
 * since the scan before), prints the report, one "s2attr-e2e-kmemleak: "
 * line per line, then "s2attr-e2e-kmemleak: end", and powers off. Built
 * static, like init.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define KMEMLEAK	"/sys/kernel/debug/kmemleak"
#define SCAN_GAP_S	6

/* Mount TYPE on DIR unless PROBE is there already (init.c mounted it). */
static void mount_fs(const char *type, const char *dir, const char *probe)
{
	if (access(probe, F_OK) == 0)
		return;
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, NULL) && errno != EBUSY)
		printf("s2attr-e2e-debug: mount %s on %s: %s\n", type, dir, strerror(errno));
}

static int kmemleak_scan(int n)
{
	int fd = open(KMEMLEAK, O_WRONLY);
	ssize_t ret = -1;

	if (fd >= 0) {
		/* The write returns when the scan is over. */
		ret = write(fd, "scan", 4);
		close(fd);
	}
	if (ret != 4) {
		printf("s2attr-e2e-kmemleak: scan %d: %s\n", n, strerror(errno));
		return -1;
	}
	printf("s2attr-e2e-kmemleak: scan %d done\n", n);
	fflush(stdout);
	return 0;
}

static void kmemleak_report(void)
{
	char line[512];
	int lines = 0;
	FILE *f;

	if (kmemleak_scan(1))
		return;
	sleep(SCAN_GAP_S);
	if (kmemleak_scan(2))
		return;
	f = fopen(KMEMLEAK, "r");
	if (!f) {
		printf("s2attr-e2e-kmemleak: read %s: %s\n", KMEMLEAK, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		printf("s2attr-e2e-kmemleak: %s", line);
		if (!strchr(line, '\n'))
			putchar('\n');
		lines++;
	}
	fclose(f);
	printf("s2attr-e2e-kmemleak: %d lines of report\n", lines);
	printf("s2attr-e2e-kmemleak: end\n");
}

int main(int argc, char *argv[])
{
	int status = 0;
	char taint[32];
	FILE *f;
	pid_t pid;

	(void)argc;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* Root's execve() grants the bounding set: no CAP_SYS_BOOT after it. */
		if (prctl(PR_CAPBSET_DROP, CAP_SYS_BOOT, 0, 0, 0))
			printf("s2attr-e2e-debug: drop CAP_SYS_BOOT: %s\n", strerror(errno));
		argv[0] = "/e2e-init";
		execv(argv[0], argv);
		printf("s2attr-e2e-debug: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		printf("s2attr-e2e-debug: could not run /e2e-init: %s\n", strerror(errno));
	else if (WIFEXITED(status))
		printf("s2attr-e2e-debug: /e2e-init exit %d\n", WEXITSTATUS(status));
	else
		printf("s2attr-e2e-debug: /e2e-init killed by signal %d\n", WTERMSIG(status));

	mount_fs("proc", "/proc", "/proc/sys");
	mount_fs("sysfs", "/sys", "/sys/kernel");
	mount_fs("debugfs", "/sys/kernel/debug", KMEMLEAK);
	kmemleak_report();
	f = fopen("/proc/sys/kernel/tainted", "r");
	if (f && fgets(taint, sizeof(taint), f))
		printf("s2attr-e2e-debug: tainted %s", taint);
	if (f)
		fclose(f);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
