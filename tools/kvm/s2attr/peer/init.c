// SPDX-License-Identifier: GPL-2.0-only
/*
 * init.c - /init of the dev/peer.sh initramfs: upstream's KVM selftests, one
 * after the other, each with its own timeout.
 *
 * Reads /tests.list (tools/kvm/s2attr/peer/tests.list): one test a line,
 *
 *	ID TIMEOUT PROGRAM [ARG...]
 *
 * "#" starts a comment. An ID ending in "/" is a family: "PROGRAM -l" prints
 * "test NAME" lines (and maybe others), and each NAME runs as "IDNAME" with
 * "PROGRAM -t NAME ARG...". With /select.list present, only the IDs it names
 * run (dev/peer.sh re-runs the tests the two kernels disagree on).
 *
 * Prints, for the host to parse,
 *
 *	peer-begin: ID
 *	... what the test prints, on the same console as the kernel ...
 *	peer-result: ID pass|fail|skip|timeout SECONDS STATUS
 *	peer-done: N tests
 *
 * STATUS is "exit N" or "signal N". Exit 0 is a pass, 4 (KSFT_SKIP) a skip,
 * anything else a failure; a test still running after TIMEOUT seconds is
 * killed with its process group. Then powers the machine off. Static: there
 * is nothing else in the initramfs.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS	32
#define MAX_SELECT	256
#define KSFT_SKIP	4

static char *selected[MAX_SELECT];
static int nr_selected = -1;	/* -1: no /select.list, run everything */
static int nr_run;

static void mount_fs(const char *type, const char *dir)
{
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, NULL) && errno != EBUSY)
		printf("peer-init: mount %s on %s: %s\n", type, dir, strerror(errno));
}

static void write_file(const char *path, const char *value)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(value, f) < 0 || fclose(f))
		printf("peer-init: write %s: %s\n", path, strerror(errno));
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int is_selected(const char *id)
{
	int i;

	if (nr_selected < 0)
		return 1;
	for (i = 0; i < nr_selected; i++)
		if (!strcmp(selected[i], id))
			return 1;
	return 0;
}

static void read_selection(void)
{
	char line[512];
	FILE *f = fopen("/select.list", "r");

	if (!f)
		return;
	nr_selected = 0;
	while (nr_selected < MAX_SELECT && fgets(line, sizeof(line), f)) {
		line[strcspn(line, " \t\r\n")] = '\0';
		if (line[0])
			selected[nr_selected++] = strdup(line);
	}
	fclose(f);
}

/* run_one() - run argv in its own process group; print its result line. */
static void run_one(const char *id, int timeout_s, char *argv[])
{
	double start = now(), elapsed;
	const char *result;
	int status = 0, timed_out = 0;
	char how[32];
	pid_t pid, w;

	printf("peer-begin: %s\n", id);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		execv(argv[0], argv);
		printf("peer-init: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		printf("peer-init: fork: %s\n", strerror(errno));
		status = 127 << 8;
	} else {
		setpgid(pid, pid);
		for (;;) {
			w = waitpid(pid, &status, WNOHANG);
			if (w == pid || (w < 0 && errno != EINTR))
				break;
			if (!timed_out && now() - start > timeout_s) {
				timed_out = 1;
				kill(-pid, SIGKILL);
			}
			usleep(20000);
		}
		/* Reap whatever the test left in its group. */
		kill(-pid, SIGKILL);
		while (waitpid(-pid, NULL, WNOHANG) > 0)
			;
	}
	elapsed = now() - start;

	if (WIFSIGNALED(status))
		snprintf(how, sizeof(how), "signal %d", WTERMSIG(status));
	else
		snprintf(how, sizeof(how), "exit %d", WEXITSTATUS(status));
	if (timed_out)
		result = "timeout";
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		result = "pass";
	else if (WIFEXITED(status) && WEXITSTATUS(status) == KSFT_SKIP)
		result = "skip";
	else
		result = "fail";
	fflush(stdout);
	printf("peer-result: %s %s %.1f %s\n", id, result, elapsed, how);
	fflush(stdout);
	nr_run++;
}

/* run_family() - "ID/NAME" for each NAME that "argv[0] -l" prints. */
static void run_family(const char *id, int timeout_s, char *argv[], int argc)
{
	char *child[MAX_ARGS + 3], name[256], full[512];
	int pipefd[2], status, i;
	FILE *names;
	pid_t pid;

	if (pipe(pipefd)) {
		printf("peer-init: pipe: %s\n", strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		execl(argv[0], argv[0], "-l", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	names = fdopen(pipefd[0], "r");
	child[0] = argv[0];
	child[1] = "-t";
	for (i = 1; i < argc; i++)
		child[i + 2] = argv[i];
	child[argc + 2] = NULL;

	/* Read every name first: the list must not interleave with the tests. */
	{
		char *list[512];
		int n = 0, k;

		while (n < 512 && fgets(name, sizeof(name), names)) {
			name[strcspn(name, "\r\n")] = '\0';
			if (!strncmp(name, "test ", 5) && name[5])
				list[n++] = strdup(name + 5);
		}
		fclose(names);
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) || !n) {
			snprintf(full, sizeof(full), "%s-l", id);
			printf("peer-init: %s -l listed %d names (status %d)\n", argv[0], n, status);
			printf("peer-result: %s fail 0.0 exit 1\n", full);
			return;
		}
		for (k = 0; k < n; k++) {
			snprintf(full, sizeof(full), "%s%s", id, list[k]);
			if (!is_selected(full))
				continue;
			child[2] = list[k];
			run_one(full, timeout_s, child);
		}
	}
}

int main(int argc, char *argv[])
{
	char *line = NULL, *args[MAX_ARGS + 1], *tok, *id;
	int n, timeout_s;
	size_t size = 0;
	FILE *list;

	mount_fs("devtmpfs", "/dev");
	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");
	mount_fs("debugfs", "/sys/kernel/debug");
	mkdir("/tmp", 01777);
	/*
	 * dirty_log_test maps 1 GiB of guest memory, the guest's whole RAM, and
	 * touches a few MiB of it: overcommit as the selftests' usual hosts can.
	 */
	write_file("/proc/sys/vm/overcommit_memory", "1");

	printf("peer-init: kernel %s\n", argc > 1 ? argv[1] : "?");
	read_selection();
	list = fopen("/tests.list", "r");
	if (!list) {
		printf("peer-init: /tests.list: %s\n", strerror(errno));
	} else {
		while (getline(&line, &size, list) >= 0) {
			line[strcspn(line, "#\r\n")] = '\0';
			id = strtok(line, " \t");
			if (!id)
				continue;
			tok = strtok(NULL, " \t");
			timeout_s = tok ? atoi(tok) : 0;
			for (n = 0; n < MAX_ARGS && (tok = strtok(NULL, " \t")); n++)
				args[n] = tok;
			args[n] = NULL;
			if (timeout_s <= 0 || !n) {
				printf("peer-init: bad line for %s in /tests.list\n", id);
				printf("peer-result: %s fail 0.0 exit 1\n", id);
				continue;
			}
			if (id[strlen(id) - 1] == '/')
				run_family(id, timeout_s, args, n);
			else if (is_selected(id))
				run_one(id, timeout_s, args);
		}
		fclose(list);
	}
	printf("peer-done: %d tests\n", nr_run);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
