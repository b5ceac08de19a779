// SPDX-License-Identifier: GPL-2.0-only
/*
 * init.c - /init of the s2attr end-to-end initramfs.
 *
 * Mounts what the KVM test needs (devtmpfs for /dev/kvm and
 * /dev/test_s2attr_pfnmap, proc, sysfs, debugfs for the stage-2 ptdump,
 * tracefs for the kvm_s2attr_decide events), runs /s2attr_e2e (or the
 * program S2ATTR_TEST=PATH on the kernel command line names: the kernel
 * hands such a parameter to init as an environment variable) with the
 * arguments given on the kernel command line after "--", reports its exit
 * status and powers the machine off. Built static: there is nothing else in
 * the initramfs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void mount_fs(const char *type, const char *dir)
{
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, NULL) && errno != EBUSY)
		printf("s2attr-e2e-init: mount %s on %s: %s\n", type, dir, strerror(errno));
}

int main(int argc, char *argv[])
{
	char *test_argv[8] = { getenv("S2ATTR_TEST") ?: "/s2attr_e2e" };
	int i, status = 0;
	pid_t pid;

	mount_fs("devtmpfs", "/dev");
	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");
	mount_fs("debugfs", "/sys/kernel/debug");
	mount_fs("tracefs", "/sys/kernel/tracing");

	/* The kernel passes what follows "--" on its command line to init. */
	for (i = 1; i < argc && i < 7; i++)
		test_argv[i] = argv[i];

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execv(test_argv[0], test_argv);
		printf("s2attr-e2e-init: exec %s: %s\n", test_argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		printf("s2attr-e2e-init: could not run %s: %s\n", test_argv[0], strerror(errno));
	else if (WIFEXITED(status))
		printf("s2attr-e2e-init: exit %d\n", WEXITSTATUS(status));
	else
		printf("s2attr-e2e-init: killed by signal %d\n", WTERMSIG(status));
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
