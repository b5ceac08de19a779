// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2attr_e2e - stage-2 memory attributes, end to end, under every policy.
 *
 * For each stage-2 memory attribute policy the host offers
 * (KVM_CHECK_EXTENSION(KVM_CAP_ARM_S2ATTR_POLICY)), and for a VM that picks
 * none, and for each scenario: map memory of one kind into this process
 * (anonymous RAM, or from /dev/test_s2attr_pfnmap: RAM hidden from the
 * kernel with mem=, by PTEs or by PMD leaves, or kernel pages; VM_PFNMAP or
 * VM_MIXEDMAP; a chosen stage-1 memory type; shared or private), create a
 * VM with that policy and a memslot over the memory, let the guest read,
 * write or execute it (or read, then execute, which takes the permission
 * fault path), and check what KVM did against what this test expects:
 *
 *   - the KVM_SET_USER_MEMORY_REGION errno;
 *   - the KVM_RUN outcome: its errno, or the instruction abort KVM injects
 *     for an exec fault it refuses (-ENOEXEC), or the access completing;
 *   - the data: the guest reads what the host wrote, the host reads back
 *     what the guest wrote;
 *   - the stage-2 descriptor of the memslot's IPA in the VM's stage-2
 *     ptdump: memory type, executable or not, writable, and the size of
 *     the leaf, which must be the stage-1 leaf size under every policy.
 *
 * The expected outcome comes from expect_memslot_refused() and
 * expect_fault(), a model of the policies written from their definition
 * (SPEC v2 section 4, Documentation/virt/kvm/api.rst), not from the
 * kernel's tables, fed with the host's features (FEAT_S2FWB from the boot
 * log, since the FWB field of ID_AA64MMFR2_EL1 is hidden from EL0;
 * CTR_EL0.DIC read at EL0; KVM_CAP_ARM_MTE) and the scenario's VMA flags
 * as /proc/self/smaps shows them. Each scenario under each policy is one
 * TAP result.
 *
 * Each fault also prints one "s2attr-e2e:" line with the input in the
 * keys of `s2attr explain` and what KVM did, so that a second opinion
 * (tools/kvm/s2attr/e2e/check.py) can compare it with the policy tables.
 *
 * Needs: /dev/kvm, /dev/test_s2attr_pfnmap with a hidden region
 * (CONFIG_TEST_S2ATTR_PFNMAP, test_s2attr_pfnmap.hidden=), debugfs with
 * CONFIG_PTDUMP_STAGE2_DEBUGFS, root (the kernel log); tracefs for the
 * kvm_s2attr_decide events is optional.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <unistd.h>

#include <lib/test_s2attr_pfnmap_uapi.h>

#include "kvm_util.h"
#include "processor.h"
#include "test_util.h"
#include "ucall_common.h"

#define DEV_PATH	"/dev/test_s2attr_pfnmap"
#define PTDUMP_FMT	"/sys/kernel/debug/kvm/%d-%d/stage2_page_tables"
#define TRACING		"/sys/kernel/tracing"
#define TEST_GPA	0xc0000000UL
#define TEST_GVA	TEST_GPA
#define TEST_SLOT	1
#define SLOT0_PAGES	2048
#define AARCH64_RET	0xd65f03c0U
#define HOST_DATA	0x686f737464617461UL	/* what the guest must read */
#define GUEST_DATA	0x5a5aa5a5c3c33c3cUL	/* what the host must read back */
/* For read-then-exec: a "ret" the guest executes, in a value it reads. */
#define HOST_CODE	(0x636f646500000000UL | AARCH64_RET)
#define SZ_2M		(2UL << 20)
/* Where in the hidden region the page and the block scenarios live. */
#define HIDDEN_BLOCKS	(32UL << 20)

/* Host features, from the kernel log and the ID registers. */
static const char *const fwb_log = "CPU features: detected: Stage-2 Force Write-Back";

/* The policies this test knows, by uapi value; "default" picks none. */
#define POLICY_DEFAULT	-1
struct policy {
	const char *name;	/* as s2attr_policy_name() and the tool */
	int value;		/* KVM_ARM_S2ATTR_POLICY_*, or POLICY_DEFAULT */
};

static const struct policy known_policies[] = {
	{ "cacheable-pfnmap",	KVM_ARM_S2ATTR_POLICY_CACHEABLE_PFNMAP },
	{ "strict",		KVM_ARM_S2ATTR_POLICY_STRICT },
	{ "fwb-only",		KVM_ARM_S2ATTR_POLICY_FWB_ONLY },
};

enum access { ACC_READ, ACC_WRITE, ACC_EXEC, ACC_READ_EXEC };
static const char *const access_names[] = { "read", "write", "exec", "read" };

enum backing { ANON, HIDDEN, KERNEL };

/**
 * struct scenario - One kind of memory, one guest access.
 * @name: its TAP name.
 * @backing: anonymous memory, hidden RAM, or kernel pages.
 * @vma: TEST_S2ATTR_VMA_* (not for ANON).
 * @memtype: TEST_S2ATTR_MT_* (ANON: normal).
 * @any_uc: ask for VM_ALLOW_ANY_UNCACHED.
 * @private: MAP_PRIVATE: a COW mapping (ANON is always private).
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
#define HUGE		TEST_S2ATTR_VMA_PFNMAP_HUGE
#define MT(x)		TEST_S2ATTR_MT_##x

static const struct scenario scenarios[] = {
	{ "anon-ram-read",		ANON,	0,	  MT(NORMAL),	     .access = ACC_READ },
	{ "anon-ram-exec",		ANON,	0,	  MT(NORMAL),	     .access = ACC_EXEC },
	{ "anon-ram-read-then-exec",	ANON,	0,	  MT(NORMAL),	.access = ACC_READ_EXEC },
	{ "hidden-pfnmap-nGnRE",	HIDDEN,	PFNMAP,	  MT(DEVICE_NGNRE),  .access = ACC_READ },
	{ "hidden-pfnmap-nGnRnE",	HIDDEN,	PFNMAP,	  MT(DEVICE_NGNRNE), .access = ACC_WRITE },
	{ "hidden-pfnmap-nc",		HIDDEN,	PFNMAP,	  MT(NORMAL_NC),     .access = ACC_READ },
	{ "hidden-pfnmap-nc-any-uc",	HIDDEN,	PFNMAP,	  MT(NORMAL_NC),     .any_uc = true,
	  .access = ACC_WRITE },
	{ "hidden-pfnmap-cacheable",	HIDDEN,	PFNMAP,	  MT(NORMAL),	     .access = ACC_READ },
	{ "hidden-pfnmap-cacheable-write", HIDDEN, PFNMAP, MT(NORMAL),	     .access = ACC_WRITE },
	{ "hidden-pfnmap-cacheable-exec", HIDDEN, PFNMAP, MT(NORMAL),	     .access = ACC_EXEC },
	{ "hidden-pfnmap-cacheable-read-then-exec", HIDDEN, PFNMAP, MT(NORMAL),
	  .access = ACC_READ_EXEC },
	{ "hidden-mixedmap-cacheable",	HIDDEN,	MIXEDMAP, MT(NORMAL),	     .access = ACC_READ },
	{ "hidden-mixedmap-nGnRE",	HIDDEN,	MIXEDMAP, MT(DEVICE_NGNRE),  .access = ACC_READ },
	{ "kernel-pfnmap-cacheable",	KERNEL,	PFNMAP,	  MT(NORMAL),	     .access = ACC_WRITE },
	{ "kernel-pfnmap-read-then-exec", KERNEL, PFNMAP, MT(NORMAL),	.access = ACC_READ_EXEC },
	{ "hidden-pfnmap-nGnRE-exec",	HIDDEN,	PFNMAP,	  MT(DEVICE_NGNRE),  .access = ACC_EXEC },
	{ "hidden-pfnmap-nGnRE-read-then-exec", HIDDEN, PFNMAP, MT(DEVICE_NGNRE),
	  .access = ACC_READ_EXEC },
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
	{ "dirty-log-anon-ram-read",	ANON,	0,	  MT(NORMAL),	     .log_dirty = true,
	  .access = ACC_READ },
	{ "block-hidden-pfnmap-nGnRE",	HIDDEN,	HUGE,	  MT(DEVICE_NGNRE),  .access = ACC_READ },
	{ "block-hidden-pfnmap-nc-any-uc", HIDDEN, HUGE,  MT(NORMAL_NC),     .any_uc = true,
	  .access = ACC_WRITE },
	{ "block-hidden-pfnmap-cacheable", HIDDEN, HUGE,  MT(NORMAL),	     .access = ACC_READ },
};

static const char *const memtype_names[] = {
	[MT(NORMAL)] = "normal", [MT(NORMAL_NC)] = "nc",
	[MT(DEVICE_NGNRNE)] = "nGnRnE", [MT(DEVICE_NGNRE)] = "nGnRE",
};

enum memattr { MA_NORMAL, MA_NC, MA_DEVICE, MA_OTHER };
static const char *const memattr_names[] = { "normal", "nc", "device", "other" };

static struct {
	bool fwb, dic, mte;
} host;

/* The facts of a scenario's memory, as KVM samples them. */
struct facts {
	bool pfnmap, mixedmap, cow, any_uc, mte_allowed, kvm_mte, log_dirty, map_memory;
	unsigned int memtype;	/* stage-1 AttrIndx */
};

/* What a policy does with a memslot or a fault. */
struct outcome {
	int err;		/* 0, EINVAL (memslot), EFAULT or ENOEXEC (fault) */
	enum memattr memattr;	/* the rest only when err == 0 at a fault */
	bool exec;
	bool wp_read;
};

/*
 * The model. Words as in the policies' definition: a special VMA is
 * VM_PFNMAP or VM_MIXEDMAP; a special pfn is one of a special VMA outside
 * the linear map; a stage-1 type is cacheable unless it is Normal-NC or
 * Device; memory KVM cannot do cache maintenance on (no kernel VA) may be
 * mapped Normal only with FEAT_S2FWB and CTR_EL0.DIC (fwb-only: FEAT_S2FWB,
 * and then never executable without CTR_EL0.DIC).
 */
static bool cacheable_s1(unsigned int memtype)
{
	return memtype != MT(NORMAL_NC) && memtype != MT(DEVICE_NGNRNE) &&
	       memtype != MT(DEVICE_NGNRE);
}

static bool undefined_s1(unsigned int memtype)
{
	return memtype >= 5;
}

static bool cacheable_ok(int policy)
{
	return policy == KVM_ARM_S2ATTR_POLICY_FWB_ONLY ? host.fwb : host.fwb && host.dic;
}

/* Is the memslot refused? KVM_SET_USER_MEMORY_REGION fails with EINVAL then. */
static bool expect_memslot_refused(int policy, const struct facts *f)
{
	bool special_vma = f->pfnmap || f->mixedmap;
	/* strict checks VM_MIXEDMAP like VM_PFNMAP at the memslot */
	bool pfnmap_like = policy == KVM_ARM_S2ATTR_POLICY_STRICT ? special_vma : f->pfnmap;

	if (policy == KVM_ARM_S2ATTR_POLICY_STRICT &&
	    ((f->pfnmap && f->cow) || (special_vma && undefined_s1(f->memtype)) ||
	     (special_vma && f->kvm_mte)))
		return true;
	if (f->kvm_mte && !f->mte_allowed)
		return true;
	if (pfnmap_like && f->log_dirty)
		return true;
	return pfnmap_like && cacheable_s1(f->memtype) && !cacheable_ok(policy);
}

static struct outcome expect_fault(int policy, const struct facts *f, enum access acc,
				   bool perm)
{
	bool exec = acc == ACC_EXEC;
	bool special_pfn = (f->pfnmap || f->mixedmap) && !f->map_memory;
	bool cacheable = cacheable_s1(f->memtype);
	bool nc = special_pfn && !cacheable;
	struct outcome o = { 0 };

	if (policy == KVM_ARM_S2ATTR_POLICY_STRICT &&
	    ((f->pfnmap && f->cow) || (special_pfn && undefined_s1(f->memtype)) ||
	     (special_pfn && f->kvm_mte && cacheable) || (special_pfn && f->log_dirty))) {
		o.err = EFAULT;
		return o;
	}
	/* Never map it non-cacheable instead: a mismatched alias. */
	if (special_pfn && cacheable && !cacheable_ok(policy)) {
		o.err = EFAULT;
		return o;
	}
	if (policy == KVM_ARM_S2ATTR_POLICY_FWB_ONLY && special_pfn && cacheable) {
		/* No I-cache invalidation without a kernel VA: never X. */
		if (exec && !host.dic) {
			o.err = ENOEXEC;
			return o;
		}
		/* No tags written without a kernel VA. */
		if (f->kvm_mte) {
			o.err = EFAULT;
			return o;
		}
	}
	if (exec && nc) {
		o.err = ENOEXEC;
		return o;
	}
	if (!perm && !nc && f->kvm_mte && !f->mte_allowed) {
		o.err = EFAULT;
		return o;
	}
	o.memattr = nc ? (f->any_uc ? MA_NC : MA_DEVICE) : MA_NORMAL;
	o.exec = exec || (!nc && host.dic);
	/* A read (or exec) fault maps it read-only so the first write is logged. */
	o.wp_read = f->log_dirty && !special_pfn && acc != ACC_WRITE;
	return o;
}

/* KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED on a VM, as api.rst says. */
static int expect_cacheable_pfnmap_cap(int policy)
{
	if (policy == KVM_ARM_S2ATTR_POLICY_FWB_ONLY)
		return host.fwb ? (host.dic ? 1 : 2) : 0;
	return host.fwb && host.dic;
}

/* Shared with the guest. */
static int guest_access;
static uint64_t guest_iabts;

static void guest_iabt_handler(struct ex_regs *regs)
{
	WRITE_ONCE(guest_iabts, READ_ONCE(guest_iabts) + 1);
	/* The abort was taken on the first instruction of the call: return. */
	regs->pc = regs->regs[30];
}

/* After each access: the instruction aborts taken so far, the value read. */
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
	case ACC_READ_EXEC:
		val = READ_ONCE(*p);
		ucall(UCALL_SYNC, 3, "s2attr", READ_ONCE(guest_iabts), val);
		((void (*)(void))TEST_GVA)();
		val = 0;
		break;
	}
	ucall(UCALL_SYNC, 3, "s2attr", READ_ONCE(guest_iabts), val);
	GUEST_DONE();
}

static const char *errno_name(int e)
{
	switch (e) {
	case 0:		return "0";
	case EINVAL:	return "EINVAL";
	case EFAULT:	return "EFAULT";
	case ENOEXEC:	return "ENOEXEC";
	case EBUSY:	return "EBUSY";
	case ENODEV:	return "ENODEV";
	case ENOMEM:	return "ENOMEM";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default:	return "EOTHER";
	}
}

static const char *verdict_name(int e)
{
	return e ? errno_name(e) : "map";
}

static const char *size_name(unsigned long size, char *buf, size_t len)
{
	if (size >= SZ_2M && !(size % (1UL << 20)))
		snprintf(buf, len, "%luM", size >> 20);
	else
		snprintf(buf, len, "%luK", size >> 10);
	return buf;
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

/* A stage-2 leaf as the ptdump shows it. */
struct s2desc {
	bool valid;
	enum memattr memattr;
	bool x, w;
	unsigned long size;	/* of the leaf, from its level */
	char line[256];
};

/* The ptdump line that covers @gpa, parsed. */
static void read_s2desc(struct kvm_vm *vm, uint64_t gpa, struct s2desc *d)
{
	unsigned long start, end, range, shift = __builtin_ctz(getpagesize());
	char path[128], line[256], unit, *tok, *save;
	unsigned int level;
	bool blk = false, block_level;
	FILE *f;

	memset(d, 0, sizeof(*d));
	snprintf(d->line, sizeof(d->line), "-");
	snprintf(path, sizeof(path), PTDUMP_FMT, getpid(), vm->fd);
	f = fopen(path, "r");
	TEST_ASSERT(f, "%s: %s (CONFIG_PTDUMP_STAGE2_DEBUGFS, debugfs)", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		int n = 0;

		if (sscanf(line, "0x%lx-0x%lx %lu%c %u %n", &start, &end, &range, &unit,
			   &level, &n) < 5 || !n || gpa < start || gpa >= end)
			continue;
		line[strcspn(line, "\n")] = 0;
		snprintf(d->line, sizeof(d->line), "%s", line);
		d->memattr = MA_OTHER;
		d->x = true;
		/* The attributes; an invalid range has none. */
		for (tok = strtok_r(line + n, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			d->valid = true;
			if (!strcmp(tok, "W"))
				d->w = true;
			else if (!strcmp(tok, "X"))	/* XN is set */
				d->x = false;
			else if (!strcmp(tok, "BLK"))
				blk = true;
			else if (!strcmp(tok, "NORMAL"))
				d->memattr = MA_NORMAL;
			else if (!strcmp(tok, "NORMAL_NC"))
				d->memattr = MA_NC;
			else if (!strcmp(tok, "DEVICE_nGnRE"))
				d->memattr = MA_DEVICE;
			else if (!strcmp(tok, "F"))
				d->valid = false;
		}
		/* Level 3 maps a page; each level up, page_size / 8 times more. */
		if (d->valid && level <= 3) {
			d->size = 1UL << (shift + (3 - level) * (shift - 3));
			block_level = level < 3;
			if (block_level != blk)
				d->size = 0;	/* not a leaf of its level */
		}
		break;
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

/*
 * The kvm_s2attr_decide events about @gpa since the last call, as
 * "stage:verdict:rule:policy,..."; "-" without tracefs.
 */
static void trace_events(uint64_t gpa, char *buf, size_t len)
{
	static const char *const tag = "kvm_s2attr_decide: ";
	unsigned long long start, end;
	char line[512], stage[16], verdict[16], policy[32], rule[32];
	size_t used = 0;
	FILE *f = fopen(TRACING "/trace", "r");

	snprintf(buf, len, "-");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *ev = strstr(line, tag), *p;

		if (!ev)
			continue;
		ev += strlen(tag);
		/* "vm PID fault ipa START-END flags ... : VERDICT memattr ..." */
		p = strstr(ev, " ipa ") ?: strstr(ev, " gpa ");
		if (!p || sscanf(ev, "vm %*d %15s", stage) != 1 ||
		    sscanf(p + 5, "%llx-%llx", &start, &end) != 2 || gpa < start || gpa > end)
			continue;
		p = strstr(p, ": ");
		if (!p || sscanf(p + 2, "%15s", verdict) != 1)
			continue;
		p = strstr(p, " policy ");
		if (!p || sscanf(p, " policy %31s rule %31s", policy, rule) != 2)
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s:%s:%s:%s",
				 used ? "," : "", stage, verdict, rule, policy);
	}
	fclose(f);
	write_file(TRACING "/trace", "");
}

/* Memory for one scenario and what the guest must find in it. */
struct memory {
	void *hva;
	size_t size;
	void *reserved;		/* block: the reservation the mapping is aligned in */
	size_t reserved_size;
	int devfd;
	uint64_t want_read;	/* what a guest read must return */
};

static int dev_mapping(const struct scenario *s, void *addr, size_t size, bool private,
		       __u64 offset, int *devfd, void **hva)
{
	struct test_s2attr_pfnmap_req req = {
		.backing = s->backing == KERNEL ? TEST_S2ATTR_BACKING_KERNEL :
						  TEST_S2ATTR_BACKING_HIDDEN,
		.vma = s->vma,
		.memtype = s->memtype,
		.flags = s->any_uc ? TEST_S2ATTR_ALLOW_ANY_UC : 0,
		.offset = s->backing == HIDDEN ? offset : 0,
	};
	void *p;

	*devfd = open(DEV_PATH, O_RDWR);
	if (*devfd < 0)
		return errno;
	if (ioctl(*devfd, TEST_S2ATTR_PFNMAP_SET, &req))
		return errno;
	p = mmap(addr, size, PROT_READ | PROT_WRITE | PROT_EXEC,
		 (private ? MAP_PRIVATE : MAP_SHARED) | (addr ? MAP_FIXED : 0), *devfd, 0);
	if (p == MAP_FAILED)
		return errno;
	*hva = p;
	return 0;
}

/* Map the scenario's memory into this process; 0 or an errno. */
static int map_memory(const struct scenario *s, struct memory *m)
{
	bool block = s->vma == HUGE;
	unsigned long idx = s - scenarios;
	__u64 offset = block ? HIDDEN_BLOCKS + idx * SZ_2M : idx * getpagesize();
	void *addr = NULL;
	int ret;

	memset(m, 0, sizeof(*m));
	m->devfd = -1;
	m->size = block ? SZ_2M : getpagesize();
	m->want_read = HOST_DATA;
	if (s->access == ACC_READ_EXEC)
		m->want_read = HOST_CODE;

	if (s->backing == ANON) {
		m->hva = mmap(NULL, m->size, PROT_READ | PROT_WRITE | PROT_EXEC,
			      MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
		return m->hva == MAP_FAILED ? (m->hva = NULL, errno) : 0;
	}
	if (block) {
		/* A PMD leaf needs a PMD-aligned address. */
		m->reserved_size = 2 * SZ_2M;
		m->reserved = mmap(NULL, m->reserved_size, PROT_NONE,
				   MAP_ANONYMOUS | MAP_PRIVATE | MAP_NORESERVE, -1, 0);
		if (m->reserved == MAP_FAILED) {
			m->reserved = NULL;
			return errno;
		}
		addr = (void *)(((unsigned long)m->reserved + SZ_2M - 1) & ~(SZ_2M - 1));
	}
	if (s->private) {
		int fd;
		void *w;

		/*
		 * Write the value through a shared mapping of the same memory:
		 * a write to the private one would replace the pfn with an
		 * anonymous copy. Kernel pages are new, zeroed, for each mmap().
		 */
		if (s->backing == HIDDEN) {
			ret = dev_mapping(s, NULL, m->size, false, offset, &fd, &w);
			if (ret)
				return ret;
			WRITE_ONCE(*(uint64_t *)w, m->want_read);
			munmap(w, m->size);
			close(fd);
		} else {
			m->want_read = 0;
		}
	}
	return dev_mapping(s, addr, m->size, s->private, offset, &m->devfd, &m->hva);
}

static void unmap_memory(struct memory *m)
{
	if (m->reserved)
		munmap(m->reserved, m->reserved_size);
	else if (m->hva)
		munmap(m->hva, m->size);
	if (m->devfd >= 0)
		close(m->devfd);
}

/* A VM with @policy (none for POLICY_DEFAULT) and slot 0 for its code. */
static struct kvm_vm *create_vm(int policy, bool kvm_mte)
{
	struct kvm_vm *vm = vm_create_barebones();
	struct userspace_mem_region *slot0;
	int i;

	/* Before the first memslot: KVM refuses it after one. */
	if (policy != POLICY_DEFAULT)
		vm_enable_cap(vm, KVM_CAP_ARM_S2ATTR_POLICY, policy);
	if (kvm_mte)
		vm_enable_cap(vm, KVM_CAP_ARM_MTE, 0);

	/* What __vm_create() does after KVM_CREATE_VM. */
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, 0, 0, SLOT0_PAGES, 0);
	for (i = 0; i < NR_MEM_REGIONS; i++)
		vm->memslots[i] = 0;
	kvm_vm_elf_load(vm, program_invocation_name);
	slot0 = memslot2region(vm, 0);
	ucall_init(vm, slot0->region.guest_phys_addr + slot0->region.memory_size);
	kvm_arch_vm_post_create(vm);
	return vm;
}

/* What one guest access did. */
struct step {
	const char *run;	/* "map", "ENOEXEC", an errno name, or what went wrong */
	int err;		/* errno-style: 0, EFAULT, ENOEXEC, ...; -1 otherwise */
	uint64_t val;
	uint64_t iabts;
	struct s2desc desc;
	char trace[1024];
};

/* Run the vCPU to its next ucall. */
static void run_step(struct kvm_vm *vm, struct kvm_vcpu *vcpu, uint64_t iabts_before,
		     struct step *st)
{
	struct ucall uc;
	int ret;

	do {
		ret = __vcpu_run(vcpu);
	} while (ret == -1 && errno == EINTR);
	if (ret) {
		st->err = errno;
		st->run = errno_name(errno);
	} else {
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			st->iabts = uc.args[1];
			st->val = uc.args[2];
			/* KVM injects an instruction abort for an exec fault it refuses. */
			st->err = st->iabts > iabts_before ? ENOEXEC : 0;
			st->run = verdict_name(st->err);
			break;
		case UCALL_UNHANDLED:
			st->err = -1;
			st->run = "guest-exception";
			break;
		default:
			st->err = -1;
			st->run = "unexpected-exit";
			break;
		}
	}
	read_s2desc(vm, TEST_GPA, &st->desc);
	trace_events(TEST_GPA, st->trace, sizeof(st->trace));
}

static bool failed;
static char test_name[128];

static __printf(1, 2) void mismatch(const char *fmt, ...)
{
	va_list ap;

	failed = true;
	printf("# %s: ", test_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Compare one guest access with the model. */
static void check_step(const struct scenario *s, int n, const struct outcome *want,
		       const struct step *st, const struct step *prev, const struct memory *m,
		       bool write, bool exec, unsigned long s1size)
{
	const struct s2desc *d = &st->desc;
	char a[24], b[24];

	if (st->err != want->err) {
		mismatch("access %d: KVM_RUN %s, expected %s", n, st->run,
			 verdict_name(want->err));
		return;
	}
	if (want->err) {
		/*
		 * Refused: nothing is mapped after a translation fault; after
		 * a permission fault the entry is what it was.
		 */
		if (!prev && d->valid)
			mismatch("access %d: refused, yet the IPA is mapped: %s", n, d->line);
		if (prev && strcmp(d->line, prev->desc.line))
			mismatch("access %d: refused, yet the entry changed from \"%s\" to \"%s\"",
				 n, prev->desc.line, d->line);
		return;
	}
	if (!d->valid) {
		mismatch("access %d: mapped, yet no valid stage-2 entry: %s", n, d->line);
		return;
	}
	if (d->memattr != want->memattr)
		mismatch("access %d: stage-2 memory type %s, expected %s (%s)", n,
			 memattr_names[d->memattr], memattr_names[want->memattr], d->line);
	if (d->x != want->exec)
		mismatch("access %d: stage-2 entry %s, expected %s (%s)", n,
			 d->x ? "executable" : "XN", want->exec ? "executable" : "XN", d->line);
	if (want->wp_read && !write && d->w)
		mismatch("access %d: writable under dirty logging after a read (%s)", n, d->line);
	if (write && !d->w)
		mismatch("access %d: not writable after a write (%s)", n, d->line);
	if (d->size != s1size)
		mismatch("access %d: stage-2 leaf of %s, the stage-1 leaf is %s (%s)", n,
			 size_name(d->size, a, sizeof(a)), size_name(s1size, b, sizeof(b)),
			 d->line);
	if (exec)
		return;
	if (write) {
		if (st->val != GUEST_DATA)
			mismatch("access %d: the guest read back %#lx after writing %#lx", n,
				 st->val, GUEST_DATA);
		else if (READ_ONCE(*(uint64_t *)m->hva) != GUEST_DATA)
			mismatch("access %d: the host reads %#lx where the guest wrote %#lx", n,
				 READ_ONCE(*(uint64_t *)m->hva), GUEST_DATA);
	} else if (st->val != m->want_read) {
		mismatch("access %d: the guest read %#lx, the memory holds %#lx", n, st->val,
			 m->want_read);
	}
}

/* One line per access for check.py: the input in `s2attr explain` keys, what KVM did. */
static void report(const char *policy, const struct scenario *s, int n, const struct facts *f,
		   const char *access, bool perm, unsigned long s1size, int memslot,
		   const struct step *st, const char *trace, bool write, bool exec)
{
	const struct s2desc *d = st ? &st->desc : NULL;
	bool mapped = st && !st->err && d->valid;
	char a[24], b[24];

	printf("# s2attr-e2e: policy=%s scenario=%s step=%d", policy, s->name, n);
	printf(" pfnmap=%d mixedmap=%d cow=%d allow_any_uc=%d mte_allowed=%d",
	       f->pfnmap, f->mixedmap, f->cow, f->any_uc, f->mte_allowed);
	printf(" memtype=%s kvm_mte=%d fwb=%d dic=%d log_dirty=%d map_memory=%d",
	       memtype_names[f->memtype], f->kvm_mte, host.fwb, host.dic, f->log_dirty,
	       f->map_memory);
	printf(" access=%s perm=%d s1size=%s", access, perm, size_name(s1size, a, sizeof(a)));
	printf(" memslot=%s run=%s", errno_name(memslot), st ? st->run : "-");
	if (mapped)
		printf(" memattr=%s x=%d w=%d size=%s", memattr_names[d->memattr], d->x, d->w,
		       size_name(d->size, b, sizeof(b)));
	else
		printf(" memattr=- x=- w=- size=-");
	if (mapped && !exec)
		printf(" data=%s", (write ? st->val == GUEST_DATA : true) ? "ok" : "bad");
	else
		printf(" data=-");
	printf(" trace=\"%s\" ptdump=\"%s\"\n", trace, d ? d->line : "-");
}

static void run_scenario(const struct policy *pol, const struct scenario *s)
{
	bool block = s->vma == HUGE, write = s->access == ACC_WRITE;
	bool read_exec = s->access == ACC_READ_EXEC;
	unsigned long s1size = block ? SZ_2M : (unsigned long)getpagesize();
	struct step st1 = { 0 }, st2 = { 0 };
	struct outcome want1, want2;
	int memslot, want_memslot;
	struct kvm_vcpu *vcpu;
	struct memory m;
	struct facts f;
	char flags[512];
	struct kvm_vm *vm;
	int ret;

	snprintf(test_name, sizeof(test_name), "%s/%s", pol->name, s->name);
	failed = false;

	if (s->kvm_mte && !host.mte) {
		ksft_test_result_skip("%s: no MTE\n", test_name);
		return;
	}
	ret = map_memory(s, &m);
	if (ret) {
		mismatch("setting up the memory: %s", errno_name(ret));
		goto out_unmap;
	}
	/* A "ret" for the guest to execute, or a value for it to read. */
	if (s->access == ACC_EXEC)
		WRITE_ONCE(*(uint32_t *)m.hva, AARCH64_RET);
	else if (!s->private)
		WRITE_ONCE(*(uint64_t *)m.hva, m.want_read);

	/* The facts KVM samples, from the VMA as the kernel reports it. */
	vma_flags(m.hva, flags, sizeof(flags));
	f = (struct facts) {
		.pfnmap = has_flag(flags, "pf"),
		.mixedmap = has_flag(flags, "mm"),
		.cow = !has_flag(flags, "sh") && has_flag(flags, "mw"),
		.any_uc = s->any_uc,
		/*
		 * VM_MTE_ALLOWED has no smaps mnemonic ("mt" is VM_MTE): mmap()
		 * sets it for anonymous memory when the system has MTE
		 * (arch_calc_vm_flag_bits()); the test device never does.
		 */
		.mte_allowed = s->backing == ANON && host.mte,
		.kvm_mte = s->kvm_mte,
		.log_dirty = s->log_dirty,
		.map_memory = s->backing != HIDDEN,
		.memtype = s->memtype,
	};
	if (f.pfnmap != (s->backing != ANON && s->vma != MIXEDMAP) ||
	    f.mixedmap != (s->backing != ANON && s->vma == MIXEDMAP) ||
	    f.cow != (s->private || s->backing == ANON)) {
		mismatch("the VMA is not what the scenario asked for: VmFlags %s", flags);
		goto out_unmap;
	}

	want_memslot = expect_memslot_refused(pol->value, &f) ? EINVAL : 0;
	want1 = expect_fault(pol->value, &f, s->access, false);

	vm = create_vm(pol->value, s->kvm_mte);
	vcpu = vm_vcpu_add(vm, 0, guest_code);
	vm_init_descriptor_tables(vm);
	vcpu_init_descriptor_tables(vcpu);
	vm_install_sync_handler(vm, VECTOR_SYNC_CURRENT, ESR_EC_IABT, guest_iabt_handler);
	virt_map(vm, TEST_GVA, TEST_GPA, m.size / vm->page_size);
	guest_access = s->access;
	guest_iabts = 0;
	sync_global_to_guest(vm, guest_access);
	sync_global_to_guest(vm, guest_iabts);

	trace_events(TEST_GPA, st1.trace, sizeof(st1.trace));	/* drop what came before */
	ret = __vm_set_user_memory_region(vm, TEST_SLOT,
					  s->log_dirty ? KVM_MEM_LOG_DIRTY_PAGES : 0,
					  TEST_GPA, m.size, m.hva);
	memslot = ret ? errno : 0;
	if (memslot != want_memslot) {
		mismatch("KVM_SET_USER_MEMORY_REGION %s, expected %s", errno_name(memslot),
			 errno_name(want_memslot));
		trace_events(TEST_GPA, st1.trace, sizeof(st1.trace));
		report(pol->name, s, 1, &f, access_names[s->access], false, s1size, memslot,
		       NULL, st1.trace, write, false);
		goto out_vm;
	}
	if (memslot) {
		trace_events(TEST_GPA, st1.trace, sizeof(st1.trace));
		report(pol->name, s, 1, &f, access_names[s->access], false, s1size, memslot,
		       NULL, st1.trace, write, false);
		goto out_vm;
	}

	/* The first access: a translation fault. */
	run_step(vm, vcpu, 0, &st1);
	check_step(s, 1, &want1, &st1, NULL, &m, write, s->access == ACC_EXEC, s1size);
	report(pol->name, s, 1, &f, access_names[s->access], false, s1size, memslot, &st1,
	       st1.trace, write, s->access == ACC_EXEC);

	/*
	 * Read, then execute: without eager X the read mapped the page XN and
	 * the exec is a permission fault (kvm_pgtable_stage2_relax_perms());
	 * with it, the exec does not fault at stage 2.
	 */
	if (read_exec && !want1.err && !st1.err) {
		if (want1.exec)
			want2 = want1;
		else
			want2 = expect_fault(pol->value, &f, ACC_EXEC, true);
		run_step(vm, vcpu, st1.iabts, &st2);
		check_step(s, 2, &want2, &st2, &st1, &m, false, true, s1size);
		report(pol->name, s, 2, &f, "exec", !st1.desc.x, s1size, memslot, &st2,
		       st2.trace, false, true);
	}

out_vm:
	kvm_vm_free(vm);
out_unmap:
	unmap_memory(&m);
	ksft_test_result(!failed, "%s\n", test_name);
}

/* KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED of a VM with @pol. */
static void test_cacheable_pfnmap_cap(const struct policy *pol)
{
	struct kvm_vm *vm = vm_create_barebones();
	int want = expect_cacheable_pfnmap_cap(pol->value), got;

	if (pol->value != POLICY_DEFAULT)
		vm_enable_cap(vm, KVM_CAP_ARM_S2ATTR_POLICY, pol->value);
	got = __vm_ioctl(vm, KVM_CHECK_EXTENSION, (void *)KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED);
	printf("# s2attr-e2e: policy=%s cap=%d\n", pol->name, got);
	ksft_test_result(got == want, "%s/KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED %d, expected %d\n",
			 pol->name, got, want);
	kvm_vm_free(vm);
}

/* The capability itself: what it offers, and when it refuses. */
static void test_policy_cap(unsigned int offered)
{
	unsigned int known = 0, unoffered;
	struct kvm_vm *vm;
	int kvm_fd, ret, want, got;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(known_policies); i++)
		known |= 1U << known_policies[i].value;
	ksft_test_result((offered & (1U << KVM_ARM_S2ATTR_POLICY_CACHEABLE_PFNMAP)) &&
			 (offered & (1U << KVM_ARM_S2ATTR_POLICY_STRICT)) && !(offered & ~known),
			 "KVM_CAP_ARM_S2ATTR_POLICY offers %#x: cacheable-pfnmap, strict, nothing unknown\n",
			 offered);

	/* A policy not offered: -EINVAL, and the VM keeps the default. */
	unoffered = __builtin_ctz(~offered);
	vm = vm_create_barebones();
	ret = __vm_enable_cap(vm, KVM_CAP_ARM_S2ATTR_POLICY, unoffered);
	got = ret ? errno : 0;
	ret = __vm_enable_cap(vm, KVM_CAP_ARM_S2ATTR_POLICY, ~0ULL);
	ksft_test_result(got == EINVAL && ret && errno == EINVAL,
			 "KVM_ENABLE_CAP(KVM_CAP_ARM_S2ATTR_POLICY, %u or ~0): EINVAL (%s)\n",
			 unoffered, errno_name(got));
	kvm_vm_free(vm);

	/* After a memslot: -EBUSY, and the VM keeps its policy. */
	vm = vm_create_barebones();
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, 0, 0, 16, 0);
	want = offered & (1U << KVM_ARM_S2ATTR_POLICY_FWB_ONLY) ?
	       KVM_ARM_S2ATTR_POLICY_FWB_ONLY : KVM_ARM_S2ATTR_POLICY_STRICT;
	ret = __vm_enable_cap(vm, KVM_CAP_ARM_S2ATTR_POLICY, want);
	got = ret ? errno : 0;
	ret = __vm_ioctl(vm, KVM_CHECK_EXTENSION, (void *)KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED);
	ksft_test_result(got == EBUSY && ret == expect_cacheable_pfnmap_cap(POLICY_DEFAULT),
			 "KVM_ENABLE_CAP(KVM_CAP_ARM_S2ATTR_POLICY) after a memslot: %s, expected EBUSY; cacheable PFNMAP cap %d, the default's %d\n",
			 errno_name(got), ret, expect_cacheable_pfnmap_cap(POLICY_DEFAULT));
	kvm_vm_free(vm);

	/* Without a VM, KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED has no answer. */
	kvm_fd = open_kvm_dev_path_or_exit();
	ret = __kvm_ioctl(kvm_fd, KVM_CHECK_EXTENSION,
			  (void *)KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED);
	ksft_test_result(ret == -1 && errno == EINVAL,
			 "KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED on /dev/kvm: EINVAL\n");
	close(kvm_fd);
}

/*
 * The test device never makes a non-cacheable alias of the linear map:
 * kernel pages only as cacheable VM_PFNMAP; and no private PMD PFNMAP.
 */
static void test_device_refusals(void)
{
	static const struct test_s2attr_pfnmap_req bad[] = {
		{ TEST_S2ATTR_BACKING_KERNEL, PFNMAP, MT(NORMAL_NC) },
		{ TEST_S2ATTR_BACKING_KERNEL, PFNMAP, MT(DEVICE_NGNRE) },
		{ TEST_S2ATTR_BACKING_KERNEL, PFNMAP, MT(NORMAL), TEST_S2ATTR_ALLOW_ANY_UC },
		{ TEST_S2ATTR_BACKING_KERNEL, MIXEDMAP, MT(NORMAL) },
		{ TEST_S2ATTR_BACKING_KERNEL, HUGE, MT(NORMAL) },
	};
	struct test_s2attr_pfnmap_req huge = {
		TEST_S2ATTR_BACKING_HIDDEN, HUGE, MT(NORMAL), 0, HIDDEN_BLOCKS,
	};
	int fd = open(DEV_PATH, O_RDWR), refused = 0;
	size_t i;
	void *p;

	TEST_ASSERT(fd >= 0, DEV_PATH ": %s", strerror(errno));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		refused += ioctl(fd, TEST_S2ATTR_PFNMAP_SET, &bad[i]) == -1 && errno == EINVAL;
	TEST_ASSERT(!ioctl(fd, TEST_S2ATTR_PFNMAP_SET, &huge), "SET PFNMAP_HUGE");
	p = mmap(NULL, SZ_2M, PROT_READ, MAP_PRIVATE, fd, 0);
	refused += p == MAP_FAILED && errno == EINVAL;
	if (p != MAP_FAILED)
		munmap(p, SZ_2M);
	close(fd);
	ksft_test_result(refused == ARRAY_SIZE(bad) + 1,
			 "test device: kernel pages only cacheable PFNMAP, PFNMAP_HUGE only shared (%d of %zu refused)\n",
			 refused, ARRAY_SIZE(bad) + 1);
}

/* FEAT_S2FWB: ID_AA64MMFR2_EL1.FWB is FTR_HIDDEN at EL0, so from the boot log. */
static bool host_has_fwb(void)
{
	int len = klogctl(10, NULL, 0);	/* SYSLOG_ACTION_SIZE_BUFFER */
	char *buf;
	bool fwb;

	TEST_ASSERT(len > 0, "klogctl(SIZE_BUFFER): %s", strerror(errno));
	buf = calloc(1, len + 1);
	TEST_ASSERT(buf, "calloc");
	len = klogctl(3, buf, len);	/* SYSLOG_ACTION_READ_ALL */
	TEST_ASSERT(len > 0, "klogctl(READ_ALL): %s", strerror(errno));
	TEST_ASSERT(strstr(buf, "CPU features: detected:"),
		    "the kernel log no longer has the CPU features lines");
	fwb = strstr(buf, fwb_log);
	free(buf);
	return fwb;
}

int main(int argc, char *argv[])
{
	struct test_s2attr_pfnmap_info info = { 0 };
	struct policy policies[1 + ARRAY_SIZE(known_policies)];
	unsigned int offered, npol = 0, i, j, nscen = 0;
	uint64_t ctr, mmfr2;
	int fd;

	fd = open(DEV_PATH, O_RDWR);
	__TEST_REQUIRE(fd >= 0, DEV_PATH " is missing: CONFIG_TEST_S2ATTR_PFNMAP");
	TEST_ASSERT(!ioctl(fd, TEST_S2ATTR_PFNMAP_INFO, &info), "TEST_S2ATTR_PFNMAP_INFO");
	close(fd);
	__TEST_REQUIRE(info.hidden_size >= HIDDEN_BLOCKS + ARRAY_SIZE(scenarios) * SZ_2M,
		       "no hidden region: boot with mem= and test_s2attr_pfnmap.hidden=");
	TEST_REQUIRE(kvm_has_cap(KVM_CAP_ARM_S2ATTR_POLICY));

	asm volatile("mrs %0, ctr_el0" : "=r"(ctr));
	host.dic = ctr & (1UL << 29);	/* CTR_EL0.DIC */
	/* Emulated at EL0, with FWB (bits [43:40]) hidden: printed, not used. */
	asm volatile("mrs %0, S3_0_C0_C7_2" : "=r"(mmfr2));	/* ID_AA64MMFR2_EL1 */
	host.fwb = host_has_fwb();
	host.mte = kvm_has_cap(KVM_CAP_ARM_MTE);
	offered = kvm_check_cap(KVM_CAP_ARM_S2ATTR_POLICY);

	policies[npol++] = (struct policy){ "default", POLICY_DEFAULT };
	for (i = 0; i < ARRAY_SIZE(known_policies); i++)
		if (offered & (1U << known_policies[i].value))
			policies[npol++] = known_policies[i];
	for (i = 0; i < ARRAY_SIZE(scenarios); i++)
		nscen += argc < 2 || !strcmp(argv[1], scenarios[i].name);

	ksft_print_header();
	ksft_set_plan(5 + npol * (1 + nscen));
	printf("# s2attr-e2e: host fwb=%d dic=%d mte=%d policies=%#x hidden=%#llx+%#llx",
	       host.fwb, host.dic, host.mte, offered, info.hidden_base, info.hidden_size);
	printf(" ctr_el0=%#lx id_aa64mmfr2_el1=%#lx\n", ctr, mmfr2);

	write_file(TRACING "/events/kvm/kvm_s2attr_decide/enable", "1");
	test_device_refusals();
	test_policy_cap(offered);
	for (i = 0; i < npol; i++) {
		test_cacheable_pfnmap_cap(&policies[i]);
		for (j = 0; j < ARRAY_SIZE(scenarios); j++) {
			if (argc > 1 && strcmp(argv[1], scenarios[j].name))
				continue;
			run_scenario(&policies[i], &scenarios[j]);
		}
	}
	printf("# s2attr-e2e: done\n");
	ksft_finished();
}
