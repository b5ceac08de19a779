// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2attr_e2e - stage-2 memory attributes, end to end, under every policy.
 *
 * For each stage-2 memory attribute policy the host offers
 * (KVM_CHECK_EXTENSION(KVM_CAP_ARM_S2ATTR_POLICY)), and for a VM that picks
 * none, and for each scenario: map memory of one kind into this process
 * (anonymous RAM, or from /dev/test_s2attr_pfnmap: RAM hidden from the
 * kernel with mem=, by PTEs or by PMD leaves, or kernel pages; VM_PFNMAP or
 * VM_MIXEDMAP; a chosen stage-1 memory type; shared or private; or as TTM
 * maps VRAM, a cacheable vm_page_prot and write-combined or uncached PTEs
 * inserted on fault), create a VM with that policy and a memslot over the
 * memory, let the guest read, write or execute it (or read, then execute,
 * which takes the permission fault path), and check what KVM did against
 * what this test expects:
 *
 *   - the KVM_SET_USER_MEMORY_REGION errno;
 *   - the KVM_RUN outcome: its errno, or the instruction abort KVM injects
 *     for an exec fault it refuses (-ENOEXEC), or the access completing;
 *     an EFAULT must come with KVM_EXIT_MEMORY_FAULT and the range the
 *     mapping would have covered in kvm_run->memory_fault;
 *   - the data: the guest reads what the host wrote, the host reads back
 *     what the guest wrote;
 *   - the stage-2 descriptor of the memslot's IPA in the VM's stage-2
 *     ptdump: memory type, executable or not, writable, and the size of
 *     the leaf, which must be the stage-1 leaf size under every policy;
 *   - with tracefs, the stage-1 memory type the kvm_s2attr_decide events
 *     say KVM decided on (the policy of each VM from its
 *     kvm_s2attr_policy event).
 *
 * Besides the test device, the memory comes from the real drivers: BAR 2
 * of QEMU's ivshmem-plain PCI device bound to vfio-pci and mmap()ed through
 * the VFIO device fd (VM_PFNMAP | VM_IO | VM_ALLOW_ANY_UNCACHED,
 * pgprot_noncached(), PMD leaves from vfio_pci_mmap_huge_fault()); /dev/mem
 * at the hidden region (Device-nGnRnE: phys_mem_access_prot() for a pfn
 * outside the linear map) and at pages of kernel RAM (cacheable VM_PFNMAP
 * of the linear map, shared or COW); and private mappings of /dev/zero,
 * anonymous memory without VM_MTE_ALLOWED. Without an ivshmem device the
 * vfio-pci scenarios are skipped, as are the MTE ones on a CPU without MTE.
 *
 * For every scenario whose memory has struct pages, the reference count of
 * each page the guest accesses is compared before the VM is created (for
 * the map-fixed scenarios, once the memory is in the memslot) and after it
 * is destroyed: a fault KVM refuses must release the pfn it got.
 *
 * One more check stands alone: a memslot whose memory is unmapped after it
 * is made; the fault finds no VMA, and KVM_RUN fails with EFAULT and a
 * memory-fault exit for the page.
 *
 * The "map-fixed" scenarios do what a VMM does with a shared-memory region
 * it fills later (libkrun's virtio-gpu blobs): the memslot is made over an
 * anonymous reservation, then the test device is mmap(MAP_FIXED) over part
 * of it. The memslot checks saw anonymous memory, so only the fault stage
 * decides on the device memory; the guest also accesses a page of the
 * reservation that stayed anonymous, which must behave as RAM.
 *
 * The expected outcome comes from expect_memslot_refused() and
 * expect_fault(), a model of the policies written from their definition
 * (SPEC v2 section 4, Documentation/virt/kvm/api.rst), not from the
 * kernel's tables, fed with the host's features (FEAT_S2FWB from the boot
 * log, since the FWB field of ID_AA64MMFR2_EL1 is hidden from EL0;
 * CTR_EL0.DIC read at EL0; KVM_CAP_ARM_MTE) and the scenario's VMA flags
 * as /proc/self/smaps shows them. The stage-1 memory type is that of the
 * host's PTE at a fault on a VM_PFNMAP or VM_IO VMA, whose pfn KVM finds by
 * walking the host page table, and that of vm_page_prot otherwise and at
 * the memslot. Each scenario under each policy is one TAP result.
 *
 * Each fault also prints one "s2attr-e2e:" line with the input in the
 * keys of `s2attr explain` and what KVM did, so that a second opinion
 * (tools/kvm/s2attr/e2e/check.py) can compare it with the policy tables.
 *
 * Needs: /dev/kvm, /dev/test_s2attr_pfnmap with a hidden region
 * (CONFIG_TEST_S2ATTR_PFNMAP, test_s2attr_pfnmap.hidden=), debugfs with
 * CONFIG_PTDUMP_STAGE2_DEBUGFS, /dev/mem without CONFIG_STRICT_DEVMEM, root
 * (the kernel log, /proc/self/pagemap, /dev/mem, VFIO). Optional: tracefs
 * for the kvm_s2attr_decide events; for the vfio-pci scenarios, an
 * ivshmem-plain device (QEMU -device ivshmem-plain), CONFIG_VFIO_PCI and
 * CONFIG_VFIO_NOIOMMU with vfio.enable_unsafe_noiommu_mode=1. For each
 * value the guest writes to the BAR, a line
 *   # s2attr-e2e-ivshmem: offset=0x<hex> value=0x<16 hex digits>
 * says where it must be in the memory backend's file, little-endian.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vfio.h>

#include <lib/test_s2attr_pfnmap_uapi.h>

#include "kvm_util.h"
#include "processor.h"
#include "test_util.h"
#include "ucall_common.h"

#define DEV_PATH	"/dev/test_s2attr_pfnmap"
#define PCI_DEVICES	"/sys/bus/pci/devices"
/* QEMU's ivshmem-plain: BAR 2 is its memory backend, shared with the host. */
#define IVSHMEM_VENDOR	0x1af4
#define IVSHMEM_DEVICE	0x1110
#define IVSHMEM_BAR	VFIO_PCI_BAR2_REGION_INDEX
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
/*
 * Pages of hidden RAM each page scenario has to itself, so that no two
 * scenarios map the same memory with different types; also the pages of
 * a map-fixed memslot: anonymous, the test device over FIXED_DEV_PAGES
 * from page FIXED_DEV_PAGE, and the page after them anonymous still.
 */
#define SCENARIO_PAGES	4
#define FIXED_DEV_PAGE	1
#define FIXED_DEV_PAGES	2
#define FIXED_ANON_PAGE	(FIXED_DEV_PAGE + FIXED_DEV_PAGES)
/* The most guest accesses of one scenario. */
#define MAX_STEPS	3

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

enum backing { ANON, HIDDEN, KERNEL, PCI_BAR };

/*
 * Who maps the memory: the test device (mmap(MAP_ANONYMOUS) for ANON),
 * /dev/mem, vfio-pci, or a private mapping of /dev/zero (ANON: anonymous
 * memory, but without VM_MTE_ALLOWED, which mmap() gives MAP_ANONYMOUS and
 * shmem only).
 */
enum source { SRC_TESTDEV, SRC_DEVMEM, SRC_VFIO, SRC_DEVZERO };

/**
 * struct scenario - One kind of memory, one guest access.
 * @name: its TAP name.
 * @backing: anonymous memory, hidden RAM, kernel pages, or a PCI BAR.
 * @vma: TEST_S2ATTR_VMA_* (not for ANON; PFNMAP for /dev/mem and vfio-pci).
 * @memtype: TEST_S2ATTR_MT_* (ANON: normal); for /dev/mem and vfio-pci, the
 *	one their driver gives the mapping.
 * @any_uc: ask for VM_ALLOW_ANY_UNCACHED (vfio-pci: it sets it).
 * @private: MAP_PRIVATE: a COW mapping (ANON is always private).
 * @kvm_mte: enable KVM_CAP_ARM_MTE on the VM.
 * @log_dirty: KVM_MEM_LOG_DIRTY_PAGES on the memslot.
 * @access: what the guest does on the page.
 * @map_fixed: make the memslot over anonymous memory, then mmap(MAP_FIXED)
 *	the test device over part of it; the guest first accesses a page that
 *	stays anonymous (a write, or a read under dirty logging), then the
 *	device's.
 * @src: enum source.
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
	bool map_fixed;
	enum source src;
};

#define PFNMAP		TEST_S2ATTR_VMA_PFNMAP
#define MIXEDMAP	TEST_S2ATTR_VMA_MIXEDMAP
#define HUGE		TEST_S2ATTR_VMA_PFNMAP_HUGE
#define TTM		TEST_S2ATTR_VMA_TTM
#define MT(x)		TEST_S2ATTR_MT_##x
#define VFIO		.src = SRC_VFIO
#define DEVMEM		.src = SRC_DEVMEM
#define DEVZERO		.src = SRC_DEVZERO

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
	/* TTM: vm_page_prot cacheable, the PTEs write-combined or uncached. */
	{ "ttm-hidden-wc",		HIDDEN,	TTM,	  MT(NORMAL_NC),     .access = ACC_READ },
	{ "ttm-hidden-wc-write",	HIDDEN,	TTM,	  MT(NORMAL_NC),     .access = ACC_WRITE },
	{ "ttm-hidden-wc-any-uc",	HIDDEN,	TTM,	  MT(NORMAL_NC),     .any_uc = true,
	  .access = ACC_WRITE },
	{ "ttm-hidden-uncached",	HIDDEN,	TTM,	  MT(DEVICE_NGNRNE), .access = ACC_WRITE },
	{ "ttm-hidden-nGnRE",		HIDDEN,	TTM,	  MT(DEVICE_NGNRE),  .access = ACC_READ },
	{ "ttm-hidden-wc-exec",		HIDDEN,	TTM,	  MT(NORMAL_NC),     .access = ACC_EXEC },
	{ "ttm-hidden-wc-read-then-exec", HIDDEN, TTM,	  MT(NORMAL_NC),
	  .access = ACC_READ_EXEC },
	{ "dirty-log-ttm-hidden-wc",	HIDDEN,	TTM,	  MT(NORMAL_NC),     .log_dirty = true,
	  .access = ACC_READ },
	/* The memslot first, over anonymous memory; then the device, MAP_FIXED. */
	{ "map-fixed-hidden-pfnmap-cacheable", HIDDEN, PFNMAP, MT(NORMAL),  .access = ACC_READ,
	  .map_fixed = true },
	{ "map-fixed-hidden-pfnmap-nGnRE", HIDDEN, PFNMAP, MT(DEVICE_NGNRE), .access = ACC_WRITE,
	  .map_fixed = true },
	{ "map-fixed-ttm-hidden-wc",	HIDDEN,	TTM,	  MT(NORMAL_NC),     .access = ACC_WRITE,
	  .map_fixed = true },
	{ "map-fixed-ttm-hidden-uncached", HIDDEN, TTM,	  MT(DEVICE_NGNRNE), .access = ACC_READ,
	  .map_fixed = true },
	{ "map-fixed-dirty-log-hidden-pfnmap-nGnRE", HIDDEN, PFNMAP, MT(DEVICE_NGNRE),
	  .log_dirty = true, .access = ACC_READ, .map_fixed = true },
	{ "map-fixed-dirty-log-hidden-pfnmap-cacheable", HIDDEN, PFNMAP, MT(NORMAL),
	  .log_dirty = true, .access = ACC_READ, .map_fixed = true },
	{ "map-fixed-dirty-log-ttm-hidden-wc", HIDDEN, TTM, MT(NORMAL_NC), .log_dirty = true,
	  .access = ACC_WRITE, .map_fixed = true },
	/* Kernel pages, COW, where only strict looks: at the fault (S1). */
	{ "map-fixed-kernel-pfnmap-cow", KERNEL, PFNMAP, MT(NORMAL),	     .private = true,
	  .access = ACC_READ, .map_fixed = true },
	/* vfio-pci's BAR: pgprot_noncached(), VM_ALLOW_ANY_UNCACHED. */
	{ "vfio-pci-bar",		PCI_BAR, PFNMAP, MT(DEVICE_NGNRNE), .any_uc = true,
	  .access = ACC_READ, VFIO },
	{ "vfio-pci-bar-write",		PCI_BAR, PFNMAP, MT(DEVICE_NGNRNE), .any_uc = true,
	  .access = ACC_WRITE, VFIO },
	{ "vfio-pci-bar-exec",		PCI_BAR, PFNMAP, MT(DEVICE_NGNRNE), .any_uc = true,
	  .access = ACC_EXEC, VFIO },
	{ "dirty-log-vfio-pci-bar",	PCI_BAR, PFNMAP, MT(DEVICE_NGNRNE), .any_uc = true,
	  .log_dirty = true, .access = ACC_READ, VFIO },
	/* /dev/mem: Device-nGnRnE outside the linear map, cacheable in it. */
	{ "devmem-hidden",		HIDDEN,	PFNMAP,	  MT(DEVICE_NGNRNE), .access = ACC_READ,
	  DEVMEM },
	{ "devmem-hidden-write",	HIDDEN,	PFNMAP,	  MT(DEVICE_NGNRNE), .access = ACC_WRITE,
	  DEVMEM },
	{ "devmem-kernel",		KERNEL,	PFNMAP,	  MT(NORMAL),	     .access = ACC_WRITE,
	  DEVMEM },
	{ "devmem-kernel-read-then-exec", KERNEL, PFNMAP, MT(NORMAL),	.access = ACC_READ_EXEC,
	  DEVMEM },
	{ "devmem-kernel-cow",		KERNEL,	PFNMAP,	  MT(NORMAL),	     .private = true,
	  .access = ACC_READ, DEVMEM },
	{ "map-fixed-devmem-kernel-cow", KERNEL, PFNMAP,  MT(NORMAL),	     .private = true,
	  .access = ACC_READ, .map_fixed = true, DEVMEM },
	/* An MTE VM: memory without VM_MTE_ALLOWED, put in the memslot later. */
	{ "mte-vm-map-fixed-kernel-pfnmap", KERNEL, PFNMAP, MT(NORMAL),	     .kvm_mte = true,
	  .access = ACC_READ, .map_fixed = true },
	{ "mte-vm-map-fixed-devzero",	ANON,	0,	  MT(NORMAL),	     .kvm_mte = true,
	  .access = ACC_READ, .map_fixed = true, DEVZERO },
};

/* AttrIndx, in the words of `s2attr explain`. */
static const char *const memtype_names[] = {
	"normal", "tagged", "nc", "nGnRnE", "nGnRE", "attr5", "attr6", "attr7",
};

enum memattr { MA_NORMAL, MA_NC, MA_DEVICE, MA_OTHER };
static const char *const memattr_names[] = { "normal", "nc", "device", "other" };

static struct {
	bool fwb, dic, mte;
	__u64 hidden_base;	/* of the test device's hidden region */
	uint64_t nonce;		/* of this boot, in the values written to the BAR */
} host;

/* The facts of a scenario's memory, as KVM samples them at one stage. */
struct facts {
	bool pfnmap, mixedmap, cow, any_uc, mte_allowed, kvm_mte, log_dirty, map_memory;
	/*
	 * Stage-1 AttrIndx: at a fault on a VM_PFNMAP or VM_IO VMA, the host
	 * PTE's; otherwise, and at the memslot, vm_page_prot's.
	 */
	unsigned int memtype;
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

/*
 * Is the memslot refused? KVM_SET_USER_MEMORY_REGION fails with EINVAL then.
 * No policy looks at the stage-1 type here: vm_page_prot is only the
 * default of a VMA's PTEs (TTM's are not), the fault decides on the PTE's.
 */
static bool expect_memslot_refused(int policy, const struct facts *f)
{
	bool special_vma = f->pfnmap || f->mixedmap;
	/* strict checks VM_MIXEDMAP like VM_PFNMAP at the memslot */
	bool pfnmap_like = policy == KVM_ARM_S2ATTR_POLICY_STRICT ? special_vma : f->pfnmap;

	if (policy == KVM_ARM_S2ATTR_POLICY_STRICT &&
	    ((f->pfnmap && f->cow) || (special_vma && f->kvm_mte)))
		return true;
	if (f->kvm_mte && !f->mte_allowed)
		return true;
	return pfnmap_like && f->log_dirty;
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

/* Shared with the guest: what it accesses, in order, and its aborts. */
static struct {
	uint64_t gva;
	int access;		/* ACC_READ, ACC_WRITE or ACC_EXEC */
	uint64_t data;		/* what it writes */
} guest_steps[MAX_STEPS];
static int guest_nsteps;
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
	int i;

	for (i = 0; i < READ_ONCE(guest_nsteps); i++) {
		uint64_t *p = (uint64_t *)READ_ONCE(guest_steps[i].gva);
		uint64_t val = 0;

		switch (READ_ONCE(guest_steps[i].access)) {
		case ACC_READ:
			val = READ_ONCE(*p);
			break;
		case ACC_WRITE:
			WRITE_ONCE(*p, READ_ONCE(guest_steps[i].data));
			val = READ_ONCE(*p);
			break;
		case ACC_EXEC:
			((void (*)(void))p)();
			break;
		}
		ucall(UCALL_SYNC, 3, "s2attr", READ_ONCE(guest_iabts), val);
	}
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
			else if (!strcmp(tok, "memattr=normal"))
				d->memattr = MA_NORMAL;
			else if (!strcmp(tok, "memattr=nc"))
				d->memattr = MA_NC;
			else if (!strcmp(tok, "memattr=device"))
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

/* The stage-1 types the kvm_s2attr_decide events of one access show; -1: none. */
struct traced_memtypes {
	int memslot, fault;
};

/* The kvm_s2attr_policy events seen so far: the policy of each traced VM. */
static struct {
	char vm[24];
	char policy[32];
} traced_policies[16];
static unsigned int traced_policies_next;

static const char *traced_policy(const char *vm, const char *set)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(traced_policies); i++) {
		if (strcmp(traced_policies[i].vm, vm))
			continue;
		if (set)
			snprintf(traced_policies[i].policy, sizeof(traced_policies[i].policy),
				 "%s", set);
		return traced_policies[i].policy;
	}
	if (!set)
		return "?";
	i = traced_policies_next++ % ARRAY_SIZE(traced_policies);
	snprintf(traced_policies[i].vm, sizeof(traced_policies[i].vm), "%s", vm);
	snprintf(traced_policies[i].policy, sizeof(traced_policies[i].policy), "%s", set);
	return traced_policies[i].policy;
}

/* The input flags of a decide line, in the order of the S2ATTR_IN_* bits. */
static const char *const traced_flag_keys[] = {
	"pfnmap", "mixedmap", "cow", "allow_any_uc", "mte_allowed", "kvm_mte", "fwb",
	"dic", "log_dirty", "map_memory", "perm",
};

/* The value of " KEY=" in @ev, up to the next space or colon, into @val. */
static bool trace_value(const char *ev, const char *key, char *val, size_t len)
{
	char pat[32];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(ev, pat);
	if (!p)
		return false;
	p += strlen(pat);
	n = strcspn(p, " :\n");
	if (!n || n >= len)
		return false;
	memcpy(val, p, n);
	val[n] = 0;
	return true;
}

/*
 * The kvm_s2attr_decide events about @gpa since the last call, as
 * "stage:verdict:rule:policy:memtype:flags,..." (the input's memtype and
 * S2ATTR_IN_* flags as KVM sampled them, the VM's policy from the last
 * kvm_s2attr_policy event of the VM); "-" without tracefs. A line reads
 *   kvm_s2attr_decide: vm PTR gfn START-END stage=S pfnmap=0 ... perm=0:
 *   VERDICT memattr=M exec=0 wp_read=0 sanitise_mte=0 rule=R
 */
static void trace_events(uint64_t gpa, char *buf, size_t len, struct traced_memtypes *mt)
{
	static const char *const tag = "kvm_s2attr_decide: vm ";
	static const char *const ptag = "kvm_s2attr_policy: vm ";
	unsigned long long start, end, gfn = gpa / getpagesize();
	char line[768], vm[24], stage[16], verdict[16], policy[32], rule[32], word[16];
	unsigned int flags, memtype, i;
	size_t used = 0;
	FILE *f = fopen(TRACING "/trace", "r");

	snprintf(buf, len, "-");
	if (mt)
		*mt = (struct traced_memtypes){ -1, -1 };
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *ev = strstr(line, ptag), *p;

		if (ev) {
			if (sscanf(ev + strlen(ptag), "%23s policy=%31s", vm, policy) == 2)
				traced_policy(vm, policy);
			printf("# s2attr-e2e-trace: %s", line);
			continue;
		}
		ev = strstr(line, tag);
		if (!ev || sscanf(ev + strlen(tag), "%23s gfn %llx-%llx", vm, &start, &end) != 3 ||
		    gfn < start || gfn > end)
			continue;
		if (!trace_value(ev, "stage", stage, sizeof(stage)) ||
		    !trace_value(ev, "memtype", word, sizeof(word)) ||
		    !trace_value(ev, "rule", rule, sizeof(rule)))
			continue;
		for (memtype = 0; memtype < ARRAY_SIZE(memtype_names); memtype++)
			if (!strcmp(word, memtype_names[memtype]))
				break;
		if (memtype == ARRAY_SIZE(memtype_names))
			continue;
		for (flags = 0, i = 0; i < ARRAY_SIZE(traced_flag_keys); i++) {
			if (!trace_value(ev, traced_flag_keys[i], word, sizeof(word)))
				break;
			flags |= (word[0] == '1') << i;
		}
		p = strstr(ev + strlen(tag), ": ");
		if (i < ARRAY_SIZE(traced_flag_keys) || !p || sscanf(p + 2, "%15s", verdict) != 1)
			continue;
		/* For `s2attr explain --trace`, which must come to the same decision. */
		printf("# s2attr-e2e-trace: %s", line);
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s:%s:%s:%s:%s:%#x",
				 used ? "," : "", stage, verdict, rule, traced_policy(vm, NULL),
				 memtype_names[memtype], flags);
		if (mt && !strcmp(stage, "memslot"))
			mt->memslot = memtype;
		else if (mt)
			mt->fault = memtype;
	}
	fclose(f);
	write_file(TRACING "/trace", "");
}

/* Memory for one scenario and what the guest must find in it. */
struct memory {
	void *hva;		/* the memslot's memory */
	size_t size;
	void *mem;		/* the scenario's: the device's mapping, or anonymous */
	size_t mem_off;		/* where it is in the memslot */
	size_t mem_size;
	size_t anon_off;	/* map-fixed: the page of the memslot left anonymous */
	void *reserved;		/* block: the reservation the mapping is aligned in */
	size_t reserved_size;
	int devfd;
	/* /dev/mem of kernel RAM: the test device's pages it maps, shared */
	void *kpages;
	size_t kpages_size;
	int kpages_fd;
	uint64_t kpages_phys;
	uint64_t want_read;	/* what a guest read of @mem must return */
	uint64_t write_val;	/* what a guest write to @mem writes */
};

/* Where in the hidden region the scenario's memory is. */
static __u64 hidden_offset(const struct scenario *s)
{
	unsigned long idx = s - scenarios;

	if (s->vma == HUGE)
		return HIDDEN_BLOCKS + idx * SZ_2M;
	return idx * SCENARIO_PAGES * getpagesize();
}

/* The first line of @path, without its newline; false if it cannot be read. */
static bool read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, len, f);
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = 0;
	return ok;
}

/* Write @s to @path; 0 or an errno. */
static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = errno;
	close(fd);
	return ret;
}

/* The last component of the symbolic link @path into @buf, or "". */
static void link_name(const char *path, char *buf, size_t len)
{
	char target[128], *name;
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n < 0)
		n = 0;
	target[n] = 0;
	name = strrchr(target, '/');
	snprintf(buf, len, "%s", name ? name + 1 : target);
}

/*
 * vfio-pci and QEMU's ivshmem-plain device, set up once. @skip: why the
 * vfio-pci scenarios are skipped (there is no such device); @err: why they
 * fail (there is one, but VFIO does not give it).
 */
static struct {
	bool probed;
	char skip[160];
	char err[320];
	char bdf[32];
	int container, group, device;
	__u64 bar_offset;	/* of BAR 2 in the device fd */
	__u64 bar_size;
	__u64 bar_phys;		/* its physical address */
	unsigned long s1size;	/* the leaf vfio_pci_mmap_huge_fault() maps */
} vfio = { .container = -1, .group = -1, .device = -1 };

static bool find_ivshmem(char *bdf, size_t len)
{
	char path[320], buf[32];
	bool found = false;
	struct dirent *e;
	DIR *d = opendir(PCI_DEVICES);

	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		/* Domain:bus:device.function, e.g. 0000:00:02.0. */
		if (e->d_name[0] == '.' || strlen(e->d_name) >= len)
			continue;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/vendor", e->d_name);
		if (!read_line(path, buf, sizeof(buf)) || strtoul(buf, NULL, 16) != IVSHMEM_VENDOR)
			continue;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/device", e->d_name);
		if (!read_line(path, buf, sizeof(buf)) || strtoul(buf, NULL, 16) != IVSHMEM_DEVICE)
			continue;
		memcpy(bdf, e->d_name, strlen(e->d_name) + 1);
		found = true;
	}
	closedir(d);
	return found;
}

static __printf(1, 2) bool vfio_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(vfio.err, sizeof(vfio.err), fmt, ap);
	va_end(ap);
	if (vfio.device >= 0)
		close(vfio.device);
	if (vfio.group >= 0)
		close(vfio.group);
	if (vfio.container >= 0)
		close(vfio.container);
	vfio.device = -1;
	vfio.group = -1;
	vfio.container = -1;
	return false;
}

/* Give the device to vfio-pci, as a VMM's setup does: driver_override. */
static bool vfio_bind(void)
{
	char path[160], drv[128], param[8] = "";
	int ret = 0;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver", vfio.bdf);
	link_name(path, drv, sizeof(drv));
	if (!strcmp(drv, "vfio-pci"))
		return true;
	if (drv[0]) {
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver/unbind", vfio.bdf);
		ret = write_str(path, vfio.bdf);
	}
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver_override", vfio.bdf);
	if (!ret)
		ret = write_str(path, "vfio-pci");
	if (!ret)
		ret = write_str("/sys/bus/pci/drivers_probe", vfio.bdf);
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver", vfio.bdf);
	link_name(path, drv, sizeof(drv));
	if (!strcmp(drv, "vfio-pci"))
		return true;

	if (access("/sys/bus/pci/drivers/vfio-pci", F_OK))
		return vfio_fail("%s: no vfio-pci driver (CONFIG_VFIO_PCI)", vfio.bdf);
	read_line("/sys/module/vfio/parameters/enable_unsafe_noiommu_mode", param,
		  sizeof(param));
	if (param[0] != 'Y')
		return vfio_fail("%s: no vfio-pci: vfio.enable_unsafe_noiommu_mode is %s, not Y",
				 vfio.bdf, param[0] ? param : "missing (CONFIG_VFIO_NOIOMMU)");
	return vfio_fail("%s: vfio-pci did not take it (driver \"%s\", %s; see the kernel log)",
			 vfio.bdf, drv, ret ? strerror(ret) : "probe failed");
}

/*
 * Find the ivshmem-plain device, bind it to vfio-pci and open it as a VMM
 * does without an IOMMU: a container with VFIO_NOIOMMU_IOMMU, the
 * /dev/vfio/noiommu-N group, the device fd; then where BAR 2 is in it. Once;
 * false, with vfio.skip or vfio.err, if the vfio-pci scenarios cannot run.
 */
static bool vfio_ready(void)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = IVSHMEM_BAR };
	unsigned long long start = 0, end = 0;
	char path[160], group[128], line[128], dev[160];
	int i, iommu;
	bool noiommu;
	FILE *f;

	if (vfio.probed)
		return vfio.device >= 0;
	vfio.probed = true;

	if (!find_ivshmem(vfio.bdf, sizeof(vfio.bdf))) {
		snprintf(vfio.skip, sizeof(vfio.skip),
			 "no ivshmem-plain PCI device (%04x:%04x) in " PCI_DEVICES,
			 IVSHMEM_VENDOR, IVSHMEM_DEVICE);
		return false;
	}
	if (!vfio_bind())
		return false;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/iommu_group", vfio.bdf);
	link_name(path, group, sizeof(group));
	if (!group[0])
		return vfio_fail("%s: no IOMMU group, not even VFIO's no-IOMMU one", vfio.bdf);
	snprintf(dev, sizeof(dev), "/dev/vfio/noiommu-%s", group);
	noiommu = !access(dev, F_OK);
	if (!noiommu)
		snprintf(dev, sizeof(dev), "/dev/vfio/%s", group);
	iommu = noiommu ? VFIO_NOIOMMU_IOMMU : VFIO_TYPE1v2_IOMMU;

	vfio.container = open("/dev/vfio/vfio", O_RDWR);
	if (vfio.container < 0)
		return vfio_fail("/dev/vfio/vfio: %s", strerror(errno));
	if (ioctl(vfio.container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return vfio_fail("VFIO_GET_API_VERSION: not %d", VFIO_API_VERSION);
	if (ioctl(vfio.container, VFIO_CHECK_EXTENSION, iommu) <= 0)
		return vfio_fail("VFIO_CHECK_EXTENSION(%s): not supported",
				 noiommu ? "VFIO_NOIOMMU_IOMMU" : "VFIO_TYPE1v2_IOMMU");
	vfio.group = open(dev, O_RDWR);
	if (vfio.group < 0)
		return vfio_fail("%s: %s", dev, strerror(errno));
	if (ioctl(vfio.group, VFIO_GROUP_GET_STATUS, &status))
		return vfio_fail("VFIO_GROUP_GET_STATUS: %s", strerror(errno));
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return vfio_fail("%s is not viable: another device of the group has a driver",
				 dev);
	if (ioctl(vfio.group, VFIO_GROUP_SET_CONTAINER, &vfio.container))
		return vfio_fail("VFIO_GROUP_SET_CONTAINER: %s", strerror(errno));
	if (ioctl(vfio.container, VFIO_SET_IOMMU, iommu))
		return vfio_fail("VFIO_SET_IOMMU: %s", strerror(errno));
	vfio.device = ioctl(vfio.group, VFIO_GROUP_GET_DEVICE_FD, vfio.bdf);
	if (vfio.device < 0)
		return vfio_fail("VFIO_GROUP_GET_DEVICE_FD(%s): %s", vfio.bdf, strerror(errno));
	if (ioctl(vfio.device, VFIO_DEVICE_GET_REGION_INFO, &ri))
		return vfio_fail("VFIO_DEVICE_GET_REGION_INFO(BAR %d): %s", IVSHMEM_BAR,
				 strerror(errno));
	if (!(ri.flags & VFIO_REGION_INFO_FLAG_MMAP) || !ri.size || ri.size % getpagesize())
		return vfio_fail("BAR %d: flags %#x, size %#llx: not a BAR to mmap()",
				 IVSHMEM_BAR, ri.flags, ri.size);
	vfio.bar_offset = ri.offset;
	vfio.bar_size = ri.size;

	/* The physical address: line IVSHMEM_BAR of the device's resource file. */
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/resource", vfio.bdf);
	f = fopen(path, "r");
	for (i = 0; f && i <= IVSHMEM_BAR && fgets(line, sizeof(line), f); i++)
		if (i == IVSHMEM_BAR && sscanf(line, "%llx %llx", &start, &end) != 2)
			start = 0;
	if (f)
		fclose(f);
	if (!start)
		return vfio_fail("%s: no address for BAR %d", path, IVSHMEM_BAR);
	vfio.bar_phys = start;
	/*
	 * vfio_pci_mmap_huge_fault() inserts a PMD leaf where the PMD-sized
	 * range is inside the VMA and its first pfn is PMD aligned; the test
	 * maps the whole BAR at a 2 MiB aligned address.
	 */
	vfio.s1size = vfio.bar_size >= SZ_2M && !(vfio.bar_phys & (SZ_2M - 1)) ?
		      SZ_2M : (unsigned long)getpagesize();
	printf("# vfio-pci: %s, %s, BAR %d: %#llx bytes at %#llx, stage-1 leaves of %luK\n",
	       vfio.bdf, dev, IVSHMEM_BAR, vfio.bar_size, vfio.bar_phys, vfio.s1size >> 10);
	return true;
}

/* Where in the BAR a vfio-pci scenario's page is: its own under each policy. */
static size_t vfio_offset(const struct policy *pol, const struct scenario *s)
{
	return ((pol->value + 1) * ARRAY_SIZE(scenarios) + (s - scenarios)) * getpagesize();
}

/*
 * What the guest writes. To the BAR, a value of this boot, policy and
 * scenario: dev/e2e.sh finds it in ivshmem's memory backend file.
 */
static uint64_t write_value(const struct policy *pol, const struct scenario *s)
{
	if (s->src != SRC_VFIO)
		return GUEST_DATA;
	return (uint64_t)IVSHMEM_VENDOR << 48 | (host.nonce & 0xffffff) << 24 |
	       (uint64_t)(pol->value + 1) << 16 | (s - scenarios);
}

static int dev_mapping(const struct scenario *s, void *addr, size_t size, bool private,
		       int *devfd, void **hva)
{
	struct test_s2attr_pfnmap_req req = {
		.backing = s->backing == KERNEL ? TEST_S2ATTR_BACKING_KERNEL :
						  TEST_S2ATTR_BACKING_HIDDEN,
		.vma = s->vma,
		.memtype = s->memtype,
		.flags = s->any_uc ? TEST_S2ATTR_ALLOW_ANY_UC : 0,
		.offset = s->backing == HIDDEN ? hidden_offset(s) : 0,
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

/* The pages of a scenario the guest accesses that have struct pages. */
struct refcounts {
	int n;
	const char *label[MAX_STEPS];
	void *addr[MAX_STEPS];
	uint64_t pfn[MAX_STEPS];
	int before[MAX_STEPS];
};

/* An fd of the test device, for TEST_S2ATTR_PFNMAP_PAGE_COUNT. */
static int count_fd = -1;

/*
 * The references to the page at @addr, less the test device's own, or -1.
 * The per-CPU LRU batches hold some too: munmap() empties this CPU's
 * (lru_add_drain() in vms_clear_ptes()), and main() keeps this task, the
 * vCPU's, on one CPU.
 */
static int page_refs(void *addr, uint64_t *pfn)
{
	struct test_s2attr_pfnmap_page_count pc = { .addr = (uintptr_t)addr };
	void *p = mmap(NULL, getpagesize(), PROT_READ, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);

	if (p != MAP_FAILED)
		munmap(p, getpagesize());
	if (ioctl(count_fd, TEST_S2ATTR_PFNMAP_PAGE_COUNT, &pc))
		return -1;
	*pfn = pc.pfn;
	return pc.count;
}

/*
 * The RAM that /dev/mem maps for the kernel-RAM scenarios: pages of the test
 * device's KERNEL backing, mapped shared here. They are in the linear map,
 * physically contiguous, allocated for this mapping and freed with it, after
 * /dev/mem's, and on no LRU list: never migrated, so their physical address
 * stays theirs, and no LRU batch takes references to them. (An anonymous
 * page, even mlock()ed, may be migrated under /dev/mem.) The test device
 * says which pfn it mapped; /proc/self/pagemap shows none for VM_PFNMAP.
 */
static int kernel_pages(struct memory *m, size_t size)
{
	static const struct scenario k = { "kernel-pages", KERNEL, PFNMAP, MT(NORMAL) };
	uint64_t pfn;
	int ret;

	ret = dev_mapping(&k, NULL, size, false, &m->kpages_fd, &m->kpages);
	if (ret)
		return ret;
	m->kpages_size = size;
	if (page_refs(m->kpages, &pfn) < 0)
		return errno;
	m->kpages_phys = pfn * getpagesize();
	return 0;
}

/*
 * Map @size bytes of the scenario's memory at @addr (NULL: anywhere), shared
 * or @private, from its source; 0 or an errno.
 */
static int src_mapping(const struct scenario *s, const struct memory *m, void *addr,
		       size_t size, bool private, int *fd, void **hva)
{
	int flags = (private ? MAP_PRIVATE : MAP_SHARED) | (addr ? MAP_FIXED : 0);
	off_t off = 0;
	void *p;

	switch (s->src) {
	case SRC_TESTDEV:
		return dev_mapping(s, addr, size, private, fd, hva);
	case SRC_DEVMEM:
		/* Without O_SYNC: phys_mem_access_prot() keeps RAM cacheable. */
		*fd = open("/dev/mem", O_RDWR);
		off = s->backing == HIDDEN ? host.hidden_base + hidden_offset(s) : m->kpages_phys;
		break;
	case SRC_DEVZERO:
		/* Shared, it would be shmem: VM_MTE_ALLOWED. */
		flags = MAP_PRIVATE | (addr ? MAP_FIXED : 0);
		*fd = open("/dev/zero", O_RDWR);
		break;
	case SRC_VFIO:
		*fd = dup(vfio.device);
		off = vfio.bar_offset;
		break;
	}
	if (*fd < 0)
		return errno;
	p = mmap(addr, size, PROT_READ | PROT_WRITE | PROT_EXEC, flags, *fd, off);
	if (p == MAP_FAILED)
		return errno;
	*hva = p;
	return 0;
}

/*
 * Map the scenario's memory into this process; 0 or an errno. A map-fixed
 * scenario gets its anonymous reservation here, the device later.
 */
static int map_memory(const struct policy *pol, const struct scenario *s, struct memory *m)
{
	bool block = s->vma == HUGE || (s->src == SRC_VFIO && vfio.s1size == SZ_2M);
	size_t page = getpagesize();
	void *addr = NULL;
	int ret;

	memset(m, 0, sizeof(*m));
	m->devfd = -1;
	m->kpages_fd = -1;
	m->want_read = s->access == ACC_READ_EXEC ? HOST_CODE : HOST_DATA;
	m->write_val = write_value(pol, s);
	/*
	 * The test device's kernel pages are new, zeroed, for each mmap(): a
	 * private mapping of them cannot be written through another first.
	 */
	if (s->private && s->backing == KERNEL && s->src == SRC_TESTDEV)
		m->want_read = 0;
	if (s->src == SRC_DEVMEM && s->backing == KERNEL) {
		ret = kernel_pages(m, s->map_fixed ? FIXED_DEV_PAGES * page : page);
		if (ret)
			return ret;
	}

	if (s->map_fixed) {
		/* As a VMM reserves a shared-memory region to fill later. */
		m->size = SCENARIO_PAGES * page;
		m->mem_off = FIXED_DEV_PAGE * page;
		m->mem_size = FIXED_DEV_PAGES * page;
		m->anon_off = FIXED_ANON_PAGE * page;
		m->hva = mmap(NULL, m->size, PROT_READ | PROT_WRITE | PROT_EXEC,
			      MAP_ANONYMOUS | MAP_PRIVATE | MAP_NORESERVE, -1, 0);
		return m->hva == MAP_FAILED ? (m->hva = NULL, errno) : 0;
	}

	if (s->src == SRC_VFIO) {
		/* All of the BAR; the guest accesses a page of its own. */
		m->size = vfio.bar_size;
		m->mem_off = vfio_offset(pol, s);
		m->mem_size = page;
		if (m->mem_off + page > m->size) {
			errno = ENOSPC;
			return errno;
		}
	} else {
		m->size = block ? SZ_2M : page;
		m->mem_size = m->size;
	}
	if (s->backing == ANON) {
		m->hva = mmap(NULL, m->size, PROT_READ | PROT_WRITE | PROT_EXEC,
			      MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
		if (m->hva == MAP_FAILED)
			return m->hva = NULL, errno;
		m->mem = m->hva;
		return 0;
	}
	if (block) {
		/* A PMD leaf needs a PMD-aligned address. */
		m->reserved_size = m->size + SZ_2M;
		m->reserved = mmap(NULL, m->reserved_size, PROT_NONE,
				   MAP_ANONYMOUS | MAP_PRIVATE | MAP_NORESERVE, -1, 0);
		if (m->reserved == MAP_FAILED) {
			m->reserved = NULL;
			return errno;
		}
		addr = (void *)(((unsigned long)m->reserved + SZ_2M - 1) & ~(SZ_2M - 1));
	}
	if (s->private && s->backing == HIDDEN) {
		int fd;
		void *w;

		/*
		 * Write the value through a shared mapping of the same memory:
		 * a write to the private one would replace the pfn with an
		 * anonymous copy. (/dev/mem of kernel RAM: fill_memory() writes
		 * through the test device's mapping of the pages.)
		 */
		ret = src_mapping(s, m, NULL, m->size, false, &fd, &w);
		if (ret)
			return ret;
		WRITE_ONCE(*(uint64_t *)w, m->want_read);
		munmap(w, m->size);
		close(fd);
	}
	ret = src_mapping(s, m, addr, m->size, s->private, &m->devfd, &m->hva);
	if (!ret)
		m->mem = (char *)m->hva + m->mem_off;
	return ret;
}

/* map-fixed: the device over part of the memslot's anonymous memory. */
static int map_fixed_device(const struct scenario *s, struct memory *m)
{
	return src_mapping(s, m, (char *)m->hva + m->mem_off, m->mem_size, s->private,
			   &m->devfd, &m->mem);
}

/*
 * What the guest must find: a "ret" to execute, or a value to read. A
 * private mapping of a device is written through a shared one of the same
 * memory, if there is one: a write to it would replace the pfn with an
 * anonymous copy. (A private mapping of /dev/zero gets that copy.)
 */
static void fill_memory(const struct scenario *s, struct memory *m)
{
	void *dst = !s->private ? m->mem : s->src == SRC_DEVMEM ? m->kpages : NULL;

	if (m->anon_off)
		WRITE_ONCE(*(uint64_t *)((char *)m->hva + m->anon_off), HOST_DATA);
	if (!dst)
		return;
	if (s->access == ACC_EXEC)
		WRITE_ONCE(*(uint32_t *)dst, AARCH64_RET);
	else
		WRITE_ONCE(*(uint64_t *)dst, m->want_read);
}

static void unmap_memory(struct memory *m)
{
	if (m->reserved)
		munmap(m->reserved, m->reserved_size);
	else if (m->hva)
		munmap(m->hva, m->size);
	if (m->devfd >= 0)
		close(m->devfd);
	/* After /dev/mem's mapping of them: the last one frees the pages. */
	if (m->kpages)
		munmap(m->kpages, m->kpages_size);
	if (m->kpages_fd >= 0)
		close(m->kpages_fd);
}

/*
 * The facts KVM samples at a fault (@fault) or at the memslot for the memory
 * at @hva, the scenario's own (@dev: the test device's, /dev/mem's,
 * vfio-pci's, /dev/zero's) or mmap(MAP_ANONYMOUS)'s, from its VMA as the
 * kernel reports it in @flags; false if the VMA is not what the scenario
 * asked for.
 */
static bool sample_facts(const struct scenario *s, void *hva, bool dev, bool fault,
			 struct facts *f, char *flags, size_t len)
{
	/* TTM's vm_page_prot stays cacheable, its PTEs are not. */
	unsigned int vma_memtype = dev && s->vma != TTM ? s->memtype : MT(NORMAL);
	unsigned int pte_memtype = dev ? s->memtype : MT(NORMAL);
	bool pf, mm, io, cow;

	vma_flags(hva, flags, len);
	pf = has_flag(flags, "pf");
	mm = has_flag(flags, "mm");
	io = has_flag(flags, "io");
	cow = !has_flag(flags, "sh") && has_flag(flags, "mw");
	*f = (struct facts) {
		.pfnmap = pf,
		.mixedmap = mm,
		.cow = cow,
		.any_uc = dev && s->any_uc,
		/*
		 * VM_MTE_ALLOWED has no smaps mnemonic ("mt" is VM_MTE): mmap()
		 * sets it for MAP_ANONYMOUS and shmem when the system has MTE
		 * (arch_calc_vm_flag_bits()); no device, not even /dev/zero's
		 * anonymous private mapping, gets it.
		 */
		.mte_allowed = !dev && host.mte,
		.kvm_mte = s->kvm_mte,
		.log_dirty = s->log_dirty,
		.map_memory = !dev || (s->backing != HIDDEN && s->backing != PCI_BAR),
		/*
		 * GUP refuses VM_IO and VM_PFNMAP VMAs; hva_to_pfn_remapped()
		 * finds their pfn in the host PTE, whose type KVM then uses.
		 */
		.memtype = fault && (pf || io) ? pte_memtype : vma_memtype,
	};
	if (!dev || s->backing == ANON)
		return !pf && !mm && cow;
	return pf == (s->vma != MIXEDMAP) && mm == (s->vma == MIXEDMAP) && cow == s->private;
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

/* The stage-1 leaf size of the scenario's memory. */
static unsigned long s1size_of(const struct scenario *s)
{
	if (s->src == SRC_VFIO)
		return vfio.s1size;
	return s->vma == HUGE ? SZ_2M : (unsigned long)getpagesize();
}

/* One guest access of a scenario, what it is made on and what it must find. */
struct plan {
	const char *label;	/* step= in the report */
	size_t off;		/* from the start of the memslot */
	enum access access;	/* ACC_READ, ACC_WRITE or ACC_EXEC */
	bool after_read;	/* the exec of read-then-exec */
	struct facts f;		/* the fault's input */
	void *host;		/* the page as this process maps it */
	uint64_t want_read;
	uint64_t write_val;	/* what the guest writes */
	unsigned long s1size;	/* the stage-1 leaf */
};

/* What one guest access did. */
struct step {
	const char *run;	/* "map", "ENOEXEC", an errno name, or what went wrong */
	int err;		/* errno-style: 0, EFAULT, ENOEXEC, ...; -1 otherwise */
	uint64_t val;
	uint64_t iabts;
	uint64_t gpa;		/* what the guest accessed */
	/* KVM_RUN failed: its exit reason, and kvm_run->memory_fault */
	uint32_t exit_reason;
	uint64_t mf_gpa, mf_size, mf_flags;
	struct s2desc desc;
	char trace[1024];
	struct traced_memtypes mt;
};

/* Run the vCPU to its next ucall; @gpa is what it accessed. */
static void run_step(struct kvm_vm *vm, struct kvm_vcpu *vcpu, uint64_t gpa,
		     uint64_t iabts_before, struct step *st)
{
	struct ucall uc;
	int ret;

	do {
		ret = __vcpu_run(vcpu);
	} while (ret == -1 && errno == EINTR);
	st->gpa = gpa;
	if (ret) {
		st->err = errno;
		st->run = errno_name(errno);
		st->exit_reason = vcpu->run->exit_reason;
		st->mf_gpa = vcpu->run->memory_fault.gpa;
		st->mf_size = vcpu->run->memory_fault.size;
		st->mf_flags = vcpu->run->memory_fault.flags;
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
	read_s2desc(vm, gpa, &st->desc);
	trace_events(gpa, st->trace, sizeof(st->trace), &st->mt);
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

/*
 * The stage-1 types KVM decided on, when it traced them: @f's at the fault,
 * @slot_f's at the memslot (NULL: no memslot decision in this access).
 */
static void check_traced(const char *label, const struct traced_memtypes *mt,
			 const struct facts *f, const struct facts *slot_f)
{
	if (f && mt->fault >= 0 && mt->fault != (int)f->memtype)
		mismatch("access %s: KVM decided the fault on stage-1 type %s, expected %s",
			 label, memtype_names[mt->fault], memtype_names[f->memtype]);
	if (slot_f && mt->memslot >= 0 && mt->memslot != (int)slot_f->memtype)
		mismatch("access %s: KVM decided the memslot on stage-1 type %s, expected %s",
			 label, memtype_names[mt->memslot], memtype_names[slot_f->memtype]);
}

/* Compare one guest access with the model. */
static void check_step(const struct plan *p, const struct outcome *want,
		       const struct step *st, const struct step *prev)
{
	const struct s2desc *d = &st->desc;
	bool write = p->access == ACC_WRITE;
	const char *n = p->label;
	char a[24], b[24];

	if (st->err != want->err) {
		mismatch("access %s: KVM_RUN %s, expected %s", n, st->run,
			 verdict_name(want->err));
		return;
	}
	/*
	 * A fault KVM refuses with EFAULT is a memory-fault exit: the range
	 * the stage-2 mapping would have covered, the stage-1 leaf around
	 * the access.
	 */
	if (want->err == EFAULT && st->exit_reason != KVM_EXIT_MEMORY_FAULT)
		mismatch("access %s: EFAULT with exit_reason %u, not KVM_EXIT_MEMORY_FAULT (%u)",
			 n, st->exit_reason, KVM_EXIT_MEMORY_FAULT);
	else if (want->err == EFAULT &&
		 (st->mf_size != p->s1size || st->mf_gpa != (st->gpa & ~(p->s1size - 1)) ||
		  st->mf_flags))
		mismatch("access %s: memory_fault %#lx+%#lx flags %#lx, expected %#lx+%#lx flags 0",
			 n, st->mf_gpa, st->mf_size, st->mf_flags, st->gpa & ~(p->s1size - 1),
			 p->s1size);
	if (want->err) {
		/*
		 * Refused: nothing is mapped after a translation fault; after
		 * a permission fault the entry is what it was.
		 */
		if (!prev && d->valid)
			mismatch("access %s: refused, yet the IPA is mapped: %s", n, d->line);
		if (prev && strcmp(d->line, prev->desc.line))
			mismatch("access %s: refused, yet the entry changed from \"%s\" to \"%s\"",
				 n, prev->desc.line, d->line);
		return;
	}
	if (!d->valid) {
		mismatch("access %s: mapped, yet no valid stage-2 entry: %s", n, d->line);
		return;
	}
	if (d->memattr != want->memattr)
		mismatch("access %s: stage-2 memory type %s, expected %s (%s)", n,
			 memattr_names[d->memattr], memattr_names[want->memattr], d->line);
	if (d->x != want->exec)
		mismatch("access %s: stage-2 entry %s, expected %s (%s)", n,
			 d->x ? "executable" : "XN", want->exec ? "executable" : "XN", d->line);
	if (want->wp_read && !write && d->w)
		mismatch("access %s: writable under dirty logging after a read (%s)", n, d->line);
	if (write && !d->w)
		mismatch("access %s: not writable after a write (%s)", n, d->line);
	if (d->size != p->s1size)
		mismatch("access %s: stage-2 leaf of %s, the stage-1 leaf is %s (%s)", n,
			 size_name(d->size, a, sizeof(a)), size_name(p->s1size, b, sizeof(b)),
			 d->line);
	if (p->access == ACC_EXEC)
		return;
	if (write) {
		if (st->val != p->write_val)
			mismatch("access %s: the guest read back %#lx after writing %#lx", n,
				 st->val, p->write_val);
		else if (READ_ONCE(*(uint64_t *)p->host) != p->write_val)
			mismatch("access %s: the host reads %#lx where the guest wrote %#lx", n,
				 READ_ONCE(*(uint64_t *)p->host), p->write_val);
	} else if (st->val != p->want_read) {
		mismatch("access %s: the guest read %#lx, the memory holds %#lx", n, st->val,
			 p->want_read);
	}
}

static void print_facts(const char *prefix, const struct facts *f)
{
	printf(" %spfnmap=%d %smixedmap=%d %scow=%d %sallow_any_uc=%d %smte_allowed=%d",
	       prefix, f->pfnmap, prefix, f->mixedmap, prefix, f->cow, prefix, f->any_uc,
	       prefix, f->mte_allowed);
	printf(" %smemtype=%s %skvm_mte=%d", prefix, memtype_names[f->memtype], prefix,
	       f->kvm_mte);
}

/*
 * One line per access for check.py: the fault's input in `s2attr explain`
 * keys, the memslot's where it differs (slot_*: made over other memory, or
 * with vm_page_prot's type where the fault has the PTE's), what KVM did.
 * @p and @st are NULL when the memslot was refused; @trace has the
 * decisions of the access (or of the memslot).
 */
static void report(const char *policy, const struct scenario *s, const struct plan *p,
		   const struct facts *slot_f, bool perm, int memslot, const struct step *st,
		   const char *trace)
{
	const struct facts *f = p ? &p->f : slot_f;
	const struct s2desc *d = st ? &st->desc : NULL;
	bool mapped = st && !st->err && d->valid;
	enum access acc = p ? p->access : s->access;
	bool write = acc == ACC_WRITE, ok;
	uint64_t back;
	char a[24], b[24];

	printf("# s2attr-e2e: policy=%s scenario=%s step=%s", policy, s->name,
	       p ? p->label : "1");
	print_facts("", f);
	printf(" fwb=%d dic=%d log_dirty=%d map_memory=%d", host.fwb, host.dic, f->log_dirty,
	       f->map_memory);
	printf(" access=%s perm=%d s1size=%s", access_names[acc], perm,
	       size_name(p ? p->s1size : s1size_of(s), a, sizeof(a)));
	if (f->pfnmap != slot_f->pfnmap || f->mixedmap != slot_f->mixedmap ||
	    f->cow != slot_f->cow || f->any_uc != slot_f->any_uc ||
	    f->mte_allowed != slot_f->mte_allowed || f->memtype != slot_f->memtype)
		print_facts("slot_", slot_f);
	printf(" memslot=%s run=%s", errno_name(memslot), st ? st->run : "-");
	if (mapped)
		printf(" memattr=%s x=%d w=%d size=%s", memattr_names[d->memattr], d->x, d->w,
		       size_name(d->size, b, sizeof(b)));
	else
		printf(" memattr=- x=- w=- size=-");
	if (mapped && acc != ACC_EXEC) {
		back = READ_ONCE(*(uint64_t *)p->host);
		ok = write ? st->val == p->write_val && back == p->write_val :
			     st->val == p->want_read;
		printf(" data=%s", ok ? "ok" : "bad");
	} else {
		printf(" data=-");
	}
	printf(" trace=\"%s\" ptdump=\"%s\"\n", trace, d ? d->line : "-");
}

/* Does the memory of the scenario (@dev) or the anonymous one have struct pages? */
static bool has_struct_pages(const struct scenario *s, bool dev)
{
	return !dev || s->backing == ANON || s->backing == KERNEL;
}

/* Count the references to the page of the access @label at @addr, before. */
static void refs_before(struct refcounts *rc, const char *label, void *addr)
{
	int i = rc->n;

	rc->before[i] = page_refs(addr, &rc->pfn[i]);
	if (rc->before[i] < 0) {
		mismatch("access %s: TEST_S2ATTR_PFNMAP_PAGE_COUNT: %s", label, strerror(errno));
		return;
	}
	rc->label[i] = label;
	rc->addr[i] = addr;
	rc->n++;
}

/*
 * Now that the VM is gone: the same references as before it. A fault KVM
 * refused, of the access @refused (NULL: none), must have released the pfn
 * it got too; say so.
 */
static void refs_after(const struct refcounts *rc, const char *refused)
{
	uint64_t pfn;
	int i, after;

	for (i = 0; i < rc->n; i++) {
		after = page_refs(rc->addr[i], &pfn);
		if (pfn != rc->pfn[i]) {
			mismatch("access %s: pfn %#lx before the VM, pfn %#lx after", rc->label[i],
				 rc->pfn[i], pfn);
			continue;
		}
		if (after != rc->before[i]) {
			mismatch("access %s: pfn %#lx: %d references before the VM, %d after%s",
				 rc->label[i], pfn, rc->before[i], after,
				 after > rc->before[i] ? ": KVM leaked a reference" : "");
			continue;
		}
		if (refused && !strcmp(refused, rc->label[i]))
			printf("# %s: access %s refused, pfn %#lx: %d references, as before\n",
			       test_name, rc->label[i], pfn, after);
	}
}

static void run_scenario(const struct policy *pol, const struct scenario *s)
{
	bool dev = s->backing != ANON || s->src == SRC_DEVZERO;
	bool read_exec = s->access == ACC_READ_EXEC;
	unsigned long page = getpagesize();
	struct refcounts rc = { 0 };
	const char *refused = NULL;
	struct outcome want[MAX_STEPS];
	struct plan plan[MAX_STEPS];
	struct step st[MAX_STEPS];
	int memslot, want_memslot;
	struct kvm_vcpu *vcpu;
	int i, n = 0, ret;
	struct facts slot_f;
	struct memory m;
	char flags[512];
	struct kvm_vm *vm;

	snprintf(test_name, sizeof(test_name), "%s/%s", pol->name, s->name);
	failed = false;
	memset(st, 0, sizeof(st));

	/* What the host lacks is a skip, not a pass nor a failure. */
	if (s->kvm_mte && !host.mte) {
		ksft_test_result_skip("%s: needs MTE, and KVM does not offer KVM_CAP_ARM_MTE\n",
				      test_name);
		return;
	}
	if (s->src == SRC_VFIO && !vfio_ready() && vfio.skip[0]) {
		ksft_test_result_skip("%s: %s\n", test_name, vfio.skip);
		return;
	}
	if (s->src == SRC_VFIO && vfio.err[0]) {
		mismatch("vfio-pci: %s", vfio.err);
		ksft_test_result_fail("%s\n", test_name);
		return;
	}
	ret = map_memory(pol, s, &m);
	if (ret) {
		mismatch("setting up the memory: %s", errno_name(ret));
		goto out_unmap;
	}
	if (!s->map_fixed) {
		fill_memory(s, &m);
		if (has_struct_pages(s, dev))
			refs_before(&rc, "1", m.mem);
	}

	/* The memslot's facts: its memory as it is when the memslot is made. */
	if (!sample_facts(s, m.hva, dev && !s->map_fixed, false, &slot_f, flags, sizeof(flags))) {
		mismatch("the VMA is not what the scenario asked for: VmFlags %s", flags);
		goto out_unmap;
	}
	want_memslot = expect_memslot_refused(pol->value, &slot_f) ? EINVAL : 0;

	vm = create_vm(pol->value, s->kvm_mte);
	vcpu = vm_vcpu_add(vm, 0, guest_code);
	vm_init_descriptor_tables(vm);
	vcpu_init_descriptor_tables(vcpu);
	vm_install_sync_handler(vm, VECTOR_SYNC_CURRENT, ESR_EC_IABT, guest_iabt_handler);
	virt_map(vm, TEST_GVA, TEST_GPA, m.size / vm->page_size);

	trace_events(TEST_GPA, st[0].trace, sizeof(st[0].trace), NULL);	/* drop what came before */
	ret = __vm_set_user_memory_region(vm, TEST_SLOT,
					  s->log_dirty ? KVM_MEM_LOG_DIRTY_PAGES : 0,
					  TEST_GPA, m.size, m.hva);
	memslot = ret ? errno : 0;
	if (memslot != want_memslot)
		mismatch("KVM_SET_USER_MEMORY_REGION %s, expected %s", errno_name(memslot),
			 errno_name(want_memslot));
	if (memslot) {
		trace_events(TEST_GPA, st[0].trace, sizeof(st[0].trace), &st[0].mt);
		check_traced("1", &st[0].mt, NULL, &slot_f);
		report(pol->name, s, NULL, &slot_f, false, memslot, NULL, st[0].trace);
		goto out_vm;
	}

	/* map-fixed: the device comes after the memslot; then a page left as RAM. */
	if (s->map_fixed) {
		ret = map_fixed_device(s, &m);
		if (ret) {
			mismatch("mmap(MAP_FIXED) of the device into the memslot: %s",
				 errno_name(ret));
			goto out_vm;
		}
		fill_memory(s, &m);
		/* Before the guest runs: the memory was not there before the VM. */
		refs_before(&rc, "anon", (char *)m.hva + m.anon_off);
		if (has_struct_pages(s, dev))
			refs_before(&rc, "1", m.mem);
		plan[n] = (struct plan) {
			.label = "anon", .off = m.anon_off,
			.access = s->log_dirty ? ACC_READ : ACC_WRITE,
			.host = (char *)m.hva + m.anon_off, .want_read = HOST_DATA,
			.write_val = GUEST_DATA, .s1size = page,
		};
		if (!sample_facts(s, plan[n].host, false, true, &plan[n].f, flags,
				  sizeof(flags))) {
			mismatch("the anonymous part is no longer anonymous: VmFlags %s", flags);
			goto out_vm;
		}
		n++;
	}
	plan[n] = (struct plan) {
		.label = "1", .off = m.mem_off, .access = read_exec ? ACC_READ : s->access,
		.host = m.mem, .want_read = m.want_read, .write_val = m.write_val,
		.s1size = s1size_of(s),
	};
	if (!sample_facts(s, m.mem, dev, true, &plan[n].f, flags, sizeof(flags))) {
		mismatch("the VMA is not what the scenario asked for: VmFlags %s", flags);
		goto out_vm;
	}
	n++;
	/*
	 * Read, then execute: without eager X the read mapped the page XN and
	 * the exec is a permission fault (kvm_pgtable_stage2_relax_perms());
	 * with it, the exec does not fault at stage 2.
	 */
	if (read_exec) {
		plan[n] = plan[n - 1];
		plan[n].label = "2";
		plan[n].access = ACC_EXEC;
		plan[n].after_read = true;
		n++;
	}

	for (i = 0; i < n; i++) {
		guest_steps[i].gva = TEST_GVA + plan[i].off;
		guest_steps[i].access = plan[i].access;
		guest_steps[i].data = plan[i].write_val;
	}
	guest_nsteps = n;
	guest_iabts = 0;
	sync_global_to_guest(vm, guest_steps);
	sync_global_to_guest(vm, guest_nsteps);
	sync_global_to_guest(vm, guest_iabts);

	for (i = 0; i < n; i++) {
		const struct plan *p = &plan[i];
		bool perm = false;

		if (p->after_read) {
			perm = !st[i - 1].desc.x;
			want[i] = want[i - 1].exec ? want[i - 1] :
				  expect_fault(pol->value, &p->f, ACC_EXEC, true);
		} else {
			want[i] = expect_fault(pol->value, &p->f, p->access, false);
		}
		run_step(vm, vcpu, TEST_GPA + p->off, i ? st[i - 1].iabts : 0, &st[i]);
		check_traced(p->label, &st[i].mt, &p->f, i ? NULL : &slot_f);
		check_step(p, &want[i], &st[i], p->after_read ? &st[i - 1] : NULL);
		report(pol->name, s, p, &slot_f, perm, memslot, &st[i], st[i].trace);
		/* For dev/e2e.sh: where in ivshmem's backend file the value must be. */
		if (s->src == SRC_VFIO && p->access == ACC_WRITE && !want[i].err)
			printf("# s2attr-e2e-ivshmem: offset=0x%lx value=0x%016lx\n",
			       p->off, p->write_val);
		/* The vCPU cannot go on after an error; nor is there more to see. */
		if (want[i].err || st[i].err) {
			/* The exec after a read is on the page of the read. */
			refused = p->after_read ? plan[i - 1].label : p->label;
			break;
		}
	}

out_vm:
	kvm_vm_free(vm);
	refs_after(&rc, refused);
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
			 (offered & (1U << KVM_ARM_S2ATTR_POLICY_STRICT)) && !(offered & ~known) &&
			 kvm_has_cap(KVM_CAP_MEMORY_FAULT_INFO),
			 "KVM_CAP_ARM_S2ATTR_POLICY offers %#x: cacheable-pfnmap, strict, nothing unknown; KVM_CAP_MEMORY_FAULT_INFO %d\n",
			 offered, kvm_has_cap(KVM_CAP_MEMORY_FAULT_INFO));

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
 * kernel pages only as cacheable VM_PFNMAP; no private PMD PFNMAP or TTM;
 * TTM only with PTEs that are not cacheable.
 */
static void test_device_refusals(void)
{
	static const struct test_s2attr_pfnmap_req bad[] = {
		{ TEST_S2ATTR_BACKING_KERNEL, PFNMAP, MT(NORMAL_NC) },
		{ TEST_S2ATTR_BACKING_KERNEL, PFNMAP, MT(DEVICE_NGNRE) },
		{ TEST_S2ATTR_BACKING_KERNEL, PFNMAP, MT(NORMAL), TEST_S2ATTR_ALLOW_ANY_UC },
		{ TEST_S2ATTR_BACKING_KERNEL, MIXEDMAP, MT(NORMAL) },
		{ TEST_S2ATTR_BACKING_KERNEL, HUGE, MT(NORMAL) },
		{ TEST_S2ATTR_BACKING_KERNEL, TTM, MT(NORMAL_NC) },
		{ TEST_S2ATTR_BACKING_HIDDEN, TTM, MT(NORMAL) },
	};
	static const struct test_s2attr_pfnmap_req shared_only[] = {
		{ TEST_S2ATTR_BACKING_HIDDEN, HUGE, MT(NORMAL), 0, HIDDEN_BLOCKS },
		{ TEST_S2ATTR_BACKING_HIDDEN, TTM, MT(NORMAL_NC) },
	};
	size_t i, want = ARRAY_SIZE(bad) + ARRAY_SIZE(shared_only);
	int fd = open(DEV_PATH, O_RDWR), refused = 0;
	void *p;

	TEST_ASSERT(fd >= 0, DEV_PATH ": %s", strerror(errno));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		refused += ioctl(fd, TEST_S2ATTR_PFNMAP_SET, &bad[i]) == -1 && errno == EINVAL;
	for (i = 0; i < ARRAY_SIZE(shared_only); i++) {
		TEST_ASSERT(!ioctl(fd, TEST_S2ATTR_PFNMAP_SET, &shared_only[i]),
			    "SET vma %u", shared_only[i].vma);
		p = mmap(NULL, SZ_2M, PROT_READ, MAP_PRIVATE, fd, 0);
		refused += p == MAP_FAILED && errno == EINVAL;
		if (p != MAP_FAILED)
			munmap(p, SZ_2M);
	}
	close(fd);
	ksft_test_result(refused == want,
			 "test device: kernel pages only cacheable PFNMAP, PFNMAP_HUGE and TTM only shared, TTM not cacheable (%d of %zu refused)\n",
			 refused, want);
}

/*
 * TEST_S2ATTR_PFNMAP_PAGE_COUNT, which the leak checks rest on: a page the
 * test device allocated has its reference only; an anonymous page has at
 * least its mapping's, and the pfn /proc/self/pagemap gives; it is refused
 * where there is no page: no VMA, no page table entry, no struct page (the
 * hidden region).
 */
static void test_page_count(void)
{
	static const struct scenario kernel = { "kernel-page", KERNEL, PFNMAP, MT(NORMAL) };
	const struct scenario *hidden = scenarios;
	int kernel_refs = -1, anon_refs, refused = 0, kfd = -1, hfd = -1, pm;
	uint64_t pfn = 0, kpfn = 0, apfn = 0, pagemap = 0;
	size_t page = getpagesize();
	void *k = NULL, *h = NULL, *a, *none;

	/* A page of a hidden-region scenario, mapped with that scenario's type. */
	while (hidden->backing != HIDDEN || hidden->vma != PFNMAP || hidden->src != SRC_TESTDEV)
		hidden++;

	if (!dev_mapping(&kernel, NULL, page, false, &kfd, &k))
		kernel_refs = page_refs(k, &kpfn);
	a = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
	TEST_ASSERT(a != MAP_FAILED, "mmap: %s", strerror(errno));
	WRITE_ONCE(*(uint64_t *)a, HOST_DATA);
	anon_refs = page_refs(a, &apfn);
	/* Bit 63: present; bits 54-0: the pfn, which root sees. */
	pm = open("/proc/self/pagemap", O_RDONLY);
	if (pm < 0 || pread(pm, &pagemap, sizeof(pagemap),
			    (uintptr_t)a / page * sizeof(pagemap)) != sizeof(pagemap))
		pagemap = 0;
	pagemap &= (1ULL << 55) - 1;
	if (pm >= 0)
		close(pm);

	/* A VMA without a page table entry, then no VMA at all. */
	none = mmap(NULL, 2 * page, PROT_NONE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
	TEST_ASSERT(none != MAP_FAILED, "mmap: %s", strerror(errno));
	munmap((char *)none + page, page);
	refused += page_refs(none, &pfn) < 0 && errno == EFAULT;
	refused += page_refs((char *)none + page, &pfn) < 0 && errno == EFAULT;
	if (!dev_mapping(hidden, NULL, page, false, &hfd, &h))
		refused += page_refs(h, &pfn) < 0 && errno == EINVAL;

	ksft_test_result(kernel_refs == 1 && kpfn && anon_refs >= 1 && apfn == pagemap &&
			 refused == 3,
			 "test device: PAGE_COUNT: %d reference to a page of its own (pfn %#lx), %d to an anonymous page (pfn %#lx, pagemap %#lx); refused without a page: %d of 3\n",
			 kernel_refs, kpfn, anon_refs, apfn, pagemap, refused);
	if (h)
		munmap(h, page);
	if (k)
		munmap(k, page);
	if (hfd >= 0)
		close(hfd);
	if (kfd >= 0)
		close(kfd);
	munmap(a, page);
	munmap(none, page);
}

/* FEAT_S2FWB: ID_AA64MMFR2_EL1.FWB is FTR_HIDDEN at EL0, so from the boot log. */
/*
 * A memslot whose memory is unmapped after the memslot is made: the fault
 * finds no VMA, and KVM_RUN's EFAULT must come with a memory-fault exit for
 * the page the guest touched (the second of two, so that the gpa is not the
 * memslot's base by chance).
 */
static void test_no_vma(void)
{
	size_t page = getpagesize();
	uint64_t gpa = TEST_GPA + page;
	struct kvm_vcpu *vcpu;
	struct step st = { 0 };
	struct kvm_vm *vm;
	void *hva;

	hva = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(hva != MAP_FAILED, "mmap: %s", strerror(errno));
	vm = create_vm(POLICY_DEFAULT, false);
	vcpu = vm_vcpu_add(vm, 0, guest_code);
	vm_init_descriptor_tables(vm);
	vcpu_init_descriptor_tables(vcpu);
	virt_map(vm, TEST_GVA, TEST_GPA, 2 * page / vm->page_size);
	vm_set_user_memory_region(vm, TEST_SLOT, 0, TEST_GPA, 2 * page, hva);
	TEST_ASSERT(!munmap(hva, 2 * page), "munmap: %s", strerror(errno));

	guest_steps[0].gva = TEST_GVA + page;
	guest_steps[0].access = ACC_READ;
	guest_nsteps = 1;
	guest_iabts = 0;
	sync_global_to_guest(vm, guest_steps);
	sync_global_to_guest(vm, guest_nsteps);
	sync_global_to_guest(vm, guest_iabts);
	trace_events(gpa, st.trace, sizeof(st.trace), NULL);	/* drop what came before */
	run_step(vm, vcpu, gpa, 0, &st);
	ksft_test_result(st.err == EFAULT && st.exit_reason == KVM_EXIT_MEMORY_FAULT &&
			 st.mf_gpa == gpa && st.mf_size == page && !st.mf_flags,
			 "memslot over memory unmapped since: KVM_RUN %s, exit_reason %u, memory_fault %#lx+%#lx flags %#lx; expected EFAULT, %u, %#lx+%#zx flags 0\n",
			 st.run, st.exit_reason, st.mf_gpa, st.mf_size, st.mf_flags,
			 KVM_EXIT_MEMORY_FAULT, gpa, page);
	kvm_vm_free(vm);
}

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
	const uint64_t *random;
	uint64_t ctr, mmfr2;
	cpu_set_t cpus;

	count_fd = open(DEV_PATH, O_RDWR);
	__TEST_REQUIRE(count_fd >= 0, DEV_PATH " is missing: CONFIG_TEST_S2ATTR_PFNMAP");
	TEST_ASSERT(!ioctl(count_fd, TEST_S2ATTR_PFNMAP_INFO, &info), "TEST_S2ATTR_PFNMAP_INFO");
	host.hidden_base = info.hidden_base;
	__TEST_REQUIRE(info.hidden_size >= HIDDEN_BLOCKS + ARRAY_SIZE(scenarios) * SZ_2M,
		       "no hidden region: boot with mem= and test_s2attr_pfnmap.hidden=");
	TEST_ASSERT(ARRAY_SIZE(scenarios) * SCENARIO_PAGES * getpagesize() <= HIDDEN_BLOCKS,
		    "the page scenarios overlap the block scenarios in the hidden region");
	TEST_REQUIRE(kvm_has_cap(KVM_CAP_ARM_S2ATTR_POLICY));

	/* The LRU batches whose references page_refs() drains are per CPU. */
	CPU_ZERO(&cpus);
	CPU_SET(sched_getcpu(), &cpus);
	TEST_ASSERT(!sched_setaffinity(0, sizeof(cpus), &cpus), "sched_setaffinity: %s",
		    strerror(errno));
	/* The kernel's 16 random bytes for this process. */
	random = (const uint64_t *)getauxval(AT_RANDOM);
	host.nonce = random ? random[0] ^ random[1] : (uint64_t)getpid();

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
	ksft_set_plan(7 + npol * (1 + nscen));
	printf("# s2attr-e2e: host fwb=%d dic=%d mte=%d policies=%#x hidden=%#llx+%#llx",
	       host.fwb, host.dic, host.mte, offered, info.hidden_base, info.hidden_size);
	printf(" ctr_el0=%#lx id_aa64mmfr2_el1=%#lx\n", ctr, mmfr2);

	write_file(TRACING "/events/kvm/kvm_s2attr_policy/enable", "1");
	write_file(TRACING "/events/kvm/kvm_s2attr_decide/enable", "1");
	test_device_refusals();
	test_page_count();
	test_policy_cap(offered);
	test_no_vma();
	for (i = 0; i < npol; i++) {
		test_cacheable_pfnmap_cap(&policies[i]);
		for (j = 0; j < ARRAY_SIZE(scenarios); j++) {
			if (argc > 1 && strcmp(argv[1], scenarios[j].name))
				continue;
			run_scenario(&policies[i], &scenarios[j]);
		}
	}
	printf("# s2attr-e2e: done\n");
	close(count_fd);
	ksft_finished();
}
