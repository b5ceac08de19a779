// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2attr_e2e - stage-2 memory attributes, end to end.
 *
 * For each scenario: map memory of one kind into this process (anonymous
 * RAM, or from /dev/test_s2attr_pfnmap: RAM hidden from the kernel with
 * mem=, or kernel pages, as VM_PFNMAP or VM_MIXEDMAP, with a chosen stage-1
 * memory type, shared or private), create a VM with a memslot over it, let
 * the guest read, write or execute one page of it, and report what KVM did:
 * the KVM_SET_USER_MEMORY_REGION and KVM_RUN results, whether the guest took
 * an instruction abort, the stage-2 descriptor's memory type and XN from the
 * stage-2 ptdump, and the kvm_s2attr_decide trace events.
 *
 * This program decides nothing: it prints one "s2attr-e2e:" line of
 * key=value pairs per scenario, with the s2attr input the scenario presents
 * (the VMA flags as /proc/self/smaps reports them), and the runner
 * (tools/kvm/s2attr/e2e/) asks the policy for the expected outcome.
 *
 * Needs: /dev/kvm, /dev/test_s2attr_pfnmap with a hidden region
 * (CONFIG_TEST_S2ATTR_PFNMAP, test_s2attr_pfnmap.hidden=), debugfs on
 * /sys/kernel/debug with CONFIG_PTDUMP_STAGE2_DEBUGFS, tracefs on
 * /sys/kernel/tracing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "test_util.h"
#include "ucall_common.h"

#include "../../../../../lib/test_s2attr_pfnmap_uapi.h"

#define DEV_PATH	"/dev/test_s2attr_pfnmap"
#define PTDUMP_FMT	"/sys/kernel/debug/kvm/%d-%d/stage2_page_tables"
#define TRACING		"/sys/kernel/tracing"
#define TEST_GPA	0xc0000000UL
#define TEST_GVA	TEST_GPA
#define TEST_SLOT	1
#define AARCH64_RET	0xd65f03c0U
#define HOST_DATA	0x686f737464617461UL	/* what the guest must read */
#define GUEST_DATA	0x5a5aa5a5c3c33c3cUL	/* what the host must read back */

enum access { ACC_READ, ACC_WRITE, ACC_EXEC };
static const char *const access_names[] = { "read", "write", "exec" };

enum backing { ANON, HIDDEN, KERNEL };

/**
 * struct scenario - One kind of memory, one guest access.
 * @name: printed as scenario=.
 * @backing: anonymous memory, hidden RAM, or kernel pages.
 * @vma: TEST_S2ATTR_VMA_* (not for ANON).
 * @memtype: TEST_S2ATTR_MT_* (ANON: normal).
 * @any_uc: ask for VM_ALLOW_ANY_UNCACHED.
 * @private: MAP_PRIVATE: a COW mapping.
 * @kvm_mte: enable KVM_CAP_ARM_MTE on the VM.
 * @log_dirty: KVM_MEM_LOG_DIRTY_PAGES on the memslot.
 * @access: what the guest does on the page.
 */
struct scenario {
	const char *name;
	enum backing backing;
	__u32 vma;
	__u32 memtype;
	bool any_uc;
	bool private;
	bool kvm_mte;
	bool log_dirty;
	enum access access;
};

#define PFNMAP		TEST_S2ATTR_VMA_PFNMAP
#define MIXEDMAP	TEST_S2ATTR_VMA_MIXEDMAP
#define MT(x)		TEST_S2ATTR_MT_##x

static const struct scenario scenarios[] = {
	{ "anon-ram-read",		ANON,	0,	  MT(NORMAL),	     .access = ACC_READ },
	{ "anon-ram-exec",		ANON,	0,	  MT(NORMAL),	     .access = ACC_EXEC },
	{ "hidden-pfnmap-nGnRE",	HIDDEN,	PFNMAP,	  MT(DEVICE_NGNRE),  .access = ACC_READ },
	{ "hidden-pfnmap-nGnRnE",	HIDDEN,	PFNMAP,	  MT(DEVICE_NGNRNE), .access = ACC_WRITE },
	{ "hidden-pfnmap-nc",		HIDDEN,	PFNMAP,	  MT(NORMAL_NC),     .access = ACC_READ },
	{ "hidden-pfnmap-nc-any-uc",	HIDDEN,	PFNMAP,	  MT(NORMAL_NC),     .any_uc = true,
	  .access = ACC_WRITE },
	{ "hidden-pfnmap-cacheable",	HIDDEN,	PFNMAP,	  MT(NORMAL),	     .access = ACC_READ },
	{ "hidden-pfnmap-cacheable-write", HIDDEN, PFNMAP, MT(NORMAL),	     .access = ACC_WRITE },
	{ "hidden-pfnmap-cacheable-exec", HIDDEN, PFNMAP, MT(NORMAL),	     .access = ACC_EXEC },
	{ "hidden-mixedmap-cacheable",	HIDDEN,	MIXEDMAP, MT(NORMAL),	     .access = ACC_READ },
	{ "hidden-mixedmap-nGnRE",	HIDDEN,	MIXEDMAP, MT(DEVICE_NGNRE),  .access = ACC_READ },
	{ "kernel-pfnmap-cacheable",	KERNEL,	PFNMAP,	  MT(NORMAL),	     .access = ACC_WRITE },
	{ "hidden-pfnmap-nGnRE-exec",	HIDDEN,	PFNMAP,	  MT(DEVICE_NGNRE),  .access = ACC_EXEC },
	{ "hidden-pfnmap-nc-any-uc-exec", HIDDEN, PFNMAP, MT(NORMAL_NC),     .any_uc = true,
	  .access = ACC_EXEC },
	{ "kernel-pfnmap-cow",		KERNEL,	PFNMAP,	  MT(NORMAL),	     .private = true,
	  .access = ACC_READ },
	{ "hidden-pfnmap-nGnRE-cow",	HIDDEN,	PFNMAP,	  MT(DEVICE_NGNRE),  .private = true,
	  .access = ACC_READ },
	{ "mte-vm-hidden-pfnmap-nGnRE",	HIDDEN,	PFNMAP,	  MT(DEVICE_NGNRE),  .kvm_mte = true,
	  .access = ACC_READ },
	{ "mte-vm-anon-ram",		ANON,	0,	  MT(NORMAL),	     .kvm_mte = true,
	  .access = ACC_WRITE },
	{ "dirty-log-hidden-pfnmap-nGnRE", HIDDEN, PFNMAP, MT(DEVICE_NGNRE), .log_dirty = true,
	  .access = ACC_READ },
};

static const char *const memtype_names[] = {
	[MT(NORMAL)] = "normal", [MT(NORMAL_NC)] = "nc",
	[MT(DEVICE_NGNRNE)] = "nGnRnE", [MT(DEVICE_NGNRE)] = "nGnRE",
};

/* Shared with the guest. */
static int guest_access;
static uint64_t guest_iabts;

static void guest_iabt_handler(struct ex_regs *regs)
{
	WRITE_ONCE(guest_iabts, READ_ONCE(guest_iabts) + 1);
	/* The abort was taken on the first instruction of the call: return. */
	regs->pc = regs->regs[30];
}

/* Reports the instruction aborts taken and the value read from the page. */
static void guest_code(void)
{
	uint64_t *p = (uint64_t *)TEST_GVA;
	uint64_t val = 0;

	switch (READ_ONCE(guest_access)) {
	case ACC_READ:
		val = READ_ONCE(*p);
		break;
	case ACC_WRITE:
		WRITE_ONCE(*p, GUEST_DATA);
		val = READ_ONCE(*p);
		break;
	case ACC_EXEC:
		((void (*)(void))TEST_GVA)();
		break;
	}
	ucall(UCALL_SYNC, 3, "s2attr", READ_ONCE(guest_iabts), val);
}

static const char *errno_name(int e)
{
	switch (e) {
	case 0:		return "0";
	case EINVAL:	return "EINVAL";
	case EFAULT:	return "EFAULT";
	case ENOEXEC:	return "ENOEXEC";
	case ENODEV:	return "ENODEV";
	case ENOMEM:	return "ENOMEM";
	default:	return "EOTHER";
	}
}

/* The VmFlags line of the smaps entry that contains @addr, e.g. "rd wr sh mr mw me pf io". */
static void vma_flags(void *addr, char *buf, size_t len)
{
	unsigned long start, end, a = (unsigned long)addr;
	char line[512];
	bool in = false;
	FILE *f = fopen("/proc/self/smaps", "r");

	snprintf(buf, len, "?");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		/* "start-end perms offset dev inode path": a new VMA. */
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = a >= start && a < end;
			continue;
		}
		if (in && !strncmp(line, "VmFlags:", 8)) {
			line[strcspn(line, "\n")] = 0;
			snprintf(buf, len, "%s", line + 9);
			break;
		}
	}
	fclose(f);
}

static bool has_flag(const char *flags, const char *flag)
{
	size_t n = strlen(flag);
	const char *p;

	for (p = flags; (p = strstr(p, flag)); p += n) {
		if ((p == flags || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
			return true;
	}
	return false;
}

/* The ptdump line that covers @gpa, or "-" when there is none. */
static void ptdump_line(struct kvm_vm *vm, uint64_t gpa, char *buf, size_t len)
{
	unsigned long start, end;
	char path[128], line[256];
	FILE *f;

	snprintf(buf, len, "-");
	snprintf(path, sizeof(path), PTDUMP_FMT, getpid(), vm->fd);
	f = fopen(path, "r");
	if (!f) {
		snprintf(buf, len, "no-ptdump");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "0x%lx-0x%lx", &start, &end) == 2 && gpa >= start && gpa < end) {
			line[strcspn(line, "\n")] = 0;
			snprintf(buf, len, "%s", line);
			break;
		}
	}
	fclose(f);
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	if (fd < 0)
		return;
	if (write(fd, s, strlen(s)) < 0)
		perror(path);
	close(fd);
}

/* The kvm_s2attr_decide events since the last call, as "|"-separated text. */
static void trace_events(char *buf, size_t len)
{
	char line[512];
	size_t used = 0;
	FILE *f = fopen(TRACING "/trace", "r");

	snprintf(buf, len, "-");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *ev = strstr(line, "kvm_s2attr_decide: ");

		if (!ev)
			continue;
		ev += strlen("kvm_s2attr_decide: ");
		ev[strcspn(ev, "\n")] = 0;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s",
				 used ? "|" : "", ev);
	}
	fclose(f);
	write_file(TRACING "/trace", "");
}

/* Map the scenario's memory into this process; NULL and errno on failure. */
static void *map_memory(const struct scenario *s, size_t size, int *devfd)
{
	struct test_s2attr_pfnmap_req req = {
		.backing = s->backing == KERNEL ? TEST_S2ATTR_BACKING_KERNEL :
						  TEST_S2ATTR_BACKING_HIDDEN,
		.vma = s->vma,
		.memtype = s->memtype,
		.flags = s->any_uc ? TEST_S2ATTR_ALLOW_ANY_UC : 0,
	};
	int share = s->private ? MAP_PRIVATE : MAP_SHARED;
	void *p;

	*devfd = -1;
	if (s->backing == ANON) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC,
			 MAP_ANONYMOUS | share, -1, 0);
		return p == MAP_FAILED ? NULL : p;
	}
	/* A page of its own in the hidden region for each scenario. */
	if (s->backing == HIDDEN)
		req.offset = (s - scenarios) * size;
	*devfd = open(DEV_PATH, O_RDWR);
	if (*devfd < 0)
		return NULL;
	if (ioctl(*devfd, TEST_S2ATTR_PFNMAP_SET, &req))
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC, share, *devfd, 0);
	return p == MAP_FAILED ? NULL : p;
}

/*
 * Did the guest reach the memory behind @hva? "ok" when it read what the
 * host wrote there, or the host reads back what it wrote; "-" when there is
 * nothing to compare. QEMU models no caches, so this shows that the
 * guest's stage 2 maps the right pfn, not that the attributes are coherent.
 */
static const char *data_check(const struct scenario *s, bool host_wrote, uint64_t val,
			      void *hva)
{
	switch (s->access) {
	case ACC_READ:
		if (!host_wrote)
			return "-";
		return val == HOST_DATA ? "ok" : "bad-read";
	case ACC_WRITE:
		if (val != GUEST_DATA)
			return "bad-read";
		if (s->private && s->backing != ANON)
			return "-";
		return READ_ONCE(*(uint64_t *)hva) == GUEST_DATA ? "ok" : "bad-write";
	default:
		return "-";
	}
}

static void run_scenario(const struct scenario *s, bool system_mte)
{
	size_t size = getpagesize();
	char flags[512], pt[256], trace[2048];
	const char *memslot = "-", *run = "-", *data = "-";
	bool host_wrote;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	int devfd, ret, cap;
	void *hva;

	hva = map_memory(s, size, &devfd);
	if (!hva) {
		printf("s2attr-e2e: scenario=%s setup=mmap-%s\n", s->name, errno_name(errno));
		goto out_fd;
	}
	/*
	 * A "ret" for the guest to execute, or a value for it to read. Not
	 * into a private device mapping unless the guest executes from it: a
	 * write there replaces the pfn with an anonymous copy.
	 */
	host_wrote = s->access != ACC_EXEC && !(s->private && s->backing != ANON);
	if (s->access == ACC_EXEC)
		WRITE_ONCE(*(uint32_t *)hva, AARCH64_RET);
	else if (host_wrote)
		WRITE_ONCE(*(uint64_t *)hva, HOST_DATA);
	vma_flags(hva, flags, sizeof(flags));

	if (s->kvm_mte && !system_mte) {
		printf("s2attr-e2e: scenario=%s setup=no-mte\n", s->name);
		goto out_unmap;
	}
	vm = vm_create(1);
	if (s->kvm_mte)
		vm_enable_cap(vm, KVM_CAP_ARM_MTE, 0);
	vcpu = vm_vcpu_add(vm, 0, guest_code);
	vm_init_descriptor_tables(vm);
	vcpu_init_descriptor_tables(vcpu);
	vm_install_sync_handler(vm, VECTOR_SYNC_CURRENT, ESR_EC_IABT, guest_iabt_handler);
	virt_map(vm, TEST_GVA, TEST_GPA, 1);
	guest_access = s->access;
	guest_iabts = 0;
	sync_global_to_guest(vm, guest_access);
	sync_global_to_guest(vm, guest_iabts);

	trace_events(trace, sizeof(trace));	/* drop what came before */
	ret = __vm_set_user_memory_region(vm, TEST_SLOT,
					  s->log_dirty ? KVM_MEM_LOG_DIRTY_PAGES : 0,
					  TEST_GPA, size, hva);
	memslot = errno_name(ret ? errno : 0);
	if (!ret) {
		do {
			ret = __vcpu_run(vcpu);
		} while (ret == -1 && errno == EINTR);
		if (ret) {
			run = errno_name(errno);
		} else {
			switch (get_ucall(vcpu, &uc)) {
			case UCALL_SYNC:
				/* An instruction abort injected into the guest: ENOEXEC. */
				run = uc.args[1] ? "ENOEXEC" : "map";
				data = data_check(s, host_wrote, uc.args[2], hva);
				break;
			case UCALL_UNHANDLED:
				run = "guest-exception";
				break;
			default:
				run = "unexpected-exit";
				break;
			}
		}
	}
	ptdump_line(vm, TEST_GPA, pt, sizeof(pt));
	trace_events(trace, sizeof(trace));
	cap = vm_check_cap(vm, KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED);

	/* The s2attr input this scenario presents, then what KVM did. */
	printf("s2attr-e2e: scenario=%s", s->name);
	printf(" pfnmap=%d mixedmap=%d", has_flag(flags, "pf"), has_flag(flags, "mm"));
	printf(" cow=%d", !has_flag(flags, "sh") && has_flag(flags, "mw"));
	printf(" allow_any_uc=%d mte_allowed=%d", s->any_uc, s->backing == ANON && system_mte);
	printf(" memtype=%s kvm_mte=%d", memtype_names[s->memtype], s->kvm_mte);
	printf(" log_dirty=%d map_memory=%d", s->log_dirty, s->backing != HIDDEN);
	printf(" access=%s perm=0", access_names[s->access]);
	printf(" memslot=%s run=%s data=%s cap=%d", memslot, run, data, cap);
	printf(" vmflags=\"%s\" ptdump=\"%s\" trace=\"%s\"\n", flags, pt, trace);
	fflush(stdout);
	kvm_vm_free(vm);
out_unmap:
	munmap(hva, size);
out_fd:
	if (devfd >= 0)
		close(devfd);
}

int main(int argc, char *argv[])
{
	struct test_s2attr_pfnmap_info info = { 0 };
	bool system_mte = kvm_has_cap(KVM_CAP_ARM_MTE);
	unsigned int i;
	int fd;

	fd = open(DEV_PATH, O_RDWR);
	__TEST_REQUIRE(fd >= 0, DEV_PATH " is missing: CONFIG_TEST_S2ATTR_PFNMAP");
	TEST_ASSERT(!ioctl(fd, TEST_S2ATTR_PFNMAP_INFO, &info), "TEST_S2ATTR_PFNMAP_INFO");
	close(fd);
	__TEST_REQUIRE(info.hidden_size >= ARRAY_SIZE(scenarios) * getpagesize(),
		       "no hidden region: boot with mem= and test_s2attr_pfnmap.hidden=");
	printf("s2attr-e2e: hidden=%#llx+%#llx system_mte=%d\n",
	       info.hidden_base, info.hidden_size, system_mte);

	write_file(TRACING "/events/kvm/kvm_s2attr_decide/enable", "1");
	for (i = 0; i < ARRAY_SIZE(scenarios); i++) {
		if (argc > 1 && strcmp(argv[1], scenarios[i].name))
			continue;
		run_scenario(&scenarios[i], system_mte);
	}
	printf("s2attr-e2e: done\n");
	return 0;
}
