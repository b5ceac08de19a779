// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the arm64 glue of s2attr (asm/kvm_s2attr.h and
 * arch/arm64/kvm/s2attr/glue.c): what KVM samples from a VMA, a pfn, the
 * VM and the CPU, and which stage-2 attributes a decision turns into.
 *
 * No guest is needed: the VMAs are built on the stack with the vm_flags
 * and vm_page_prot that real drivers give them, and every expectation is
 * written in the case tables as a literal.
 */

#include <kunit/test.h>
#include <linux/cpufeature.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <asm/kvm_pgtable.h>
#include <asm/kvm_s2attr.h>
#include <asm/pgtable-prot.h>
#include <asm/sysreg.h>

#define IN(flag)	S2ATTR_IN_##flag
#define MT(type)	S2ATTR_MT_##type

/* How a case builds vm_page_prot, the way drivers do. */
enum s2attr_glue_prot {
	GLUE_PAGE_SHARED,	/* mmap(MAP_SHARED) of ordinary memory */
	GLUE_PAGE_READONLY,	/* a private read-only mapping */
	GLUE_PAGE_KERNEL,	/* PAGE_KERNEL */
	GLUE_NONCACHED,		/* pgprot_noncached(): vfio-pci BARs, /dev/mem */
	GLUE_DEVICE,		/* pgprot_device() */
	GLUE_WRITECOMBINE,	/* pgprot_writecombine(): nvgrace-gpu resmem */
	GLUE_TAGGED,		/* pgprot_tagged(): PROT_MTE */
	GLUE_ATTR5,		/* AttrIndx 5-7: no Linux 6.12 pgprot */
	GLUE_ATTR6,
	GLUE_ATTR7,
};

static pgprot_t s2attr_glue_pgprot(enum s2attr_glue_prot prot)
{
	switch (prot) {
	case GLUE_PAGE_SHARED:
		return PAGE_SHARED;
	case GLUE_PAGE_READONLY:
		return PAGE_READONLY;
	case GLUE_PAGE_KERNEL:
		return PAGE_KERNEL;
	case GLUE_NONCACHED:
		return pgprot_noncached(PAGE_SHARED);
	case GLUE_DEVICE:
		return pgprot_device(PAGE_SHARED);
	case GLUE_WRITECOMBINE:
		return pgprot_writecombine(PAGE_SHARED);
	case GLUE_TAGGED:
		return pgprot_tagged(PAGE_SHARED);
	case GLUE_ATTR5:
		return __pgprot((pgprot_val(PAGE_SHARED) & ~PTE_ATTRINDX_MASK) | PTE_ATTRINDX(5));
	case GLUE_ATTR6:
		return __pgprot((pgprot_val(PAGE_SHARED) & ~PTE_ATTRINDX_MASK) | PTE_ATTRINDX(6));
	default:
		return __pgprot((pgprot_val(PAGE_SHARED) & ~PTE_ATTRINDX_MASK) | PTE_ATTRINDX(7));
	}
}

/* The vm_flags of a mmap(MAP_SHARED, PROT_READ | PROT_WRITE). */
#define VMA_SHARED_RW	(VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_SHARED | VM_MAYSHARE)
/* The vm_flags of a mmap(MAP_PRIVATE, PROT_READ | PROT_WRITE). */
#define VMA_PRIVATE_RW	(VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
/* What remap_pfn_range() adds. */
#define VMA_REMAP	(VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP)

struct s2attr_glue_vma_case {
	const char *desc;
	vm_flags_t vm_flags;
	enum s2attr_glue_prot prot;
	bool needs_mte;		/* VM_MTE_ALLOWED is 0 without CONFIG_ARM64_MTE */
	/* Expected: */
	u32 flags;
	u8 memtype;
};

static const struct s2attr_glue_vma_case s2attr_glue_vma_cases[] = {
	{ "anonymous private RAM: COW, Normal",
	  VMA_PRIVATE_RW, GLUE_PAGE_SHARED, false, IN(COW), MT(NORMAL) },
	{ "private read-only file mapping without VM_MAYWRITE: not COW",
	  VM_READ | VM_MAYREAD, GLUE_PAGE_READONLY, false, 0, MT(NORMAL) },
	{ "shared memfd: Normal",
	  VMA_SHARED_RW, GLUE_PAGE_SHARED, false, 0, MT(NORMAL) },
	{ "PAGE_KERNEL attributes: Normal",
	  VMA_SHARED_RW, GLUE_PAGE_KERNEL, false, 0, MT(NORMAL) },
	{ "MTE-enabled anonymous memory (PROT_MTE): MTE allowed, Normal-Tagged",
	  VMA_PRIVATE_RW | VM_MTE | VM_MTE_ALLOWED, GLUE_TAGGED, true,
	  IN(COW) | IN(MTE_ALLOWED), MT(NORMAL_TAGGED) },
	{ "shmem that may use MTE: MTE allowed, Normal",
	  VMA_SHARED_RW | VM_MTE_ALLOWED, GLUE_PAGE_SHARED, true, IN(MTE_ALLOWED), MT(NORMAL) },
	{ "vfio-pci BAR: PFNMAP, ALLOW_ANY_UC, Device-nGnRnE",
	  VMA_SHARED_RW | VMA_REMAP | VM_ALLOW_ANY_UNCACHED, GLUE_NONCACHED, false,
	  IN(PFNMAP) | IN(ALLOW_ANY_UC), MT(DEVICE_NGNRNE) },
	{ "vfio-pci BAR before VM_ALLOW_ANY_UNCACHED: PFNMAP, Device-nGnRnE",
	  VMA_SHARED_RW | VMA_REMAP, GLUE_NONCACHED, false, IN(PFNMAP), MT(DEVICE_NGNRNE) },
	{ "/dev/mem of hidden RAM: PFNMAP, Device-nGnRnE",
	  VMA_SHARED_RW | VMA_REMAP, GLUE_NONCACHED, false, IN(PFNMAP), MT(DEVICE_NGNRNE) },
	{ "/dev/mem MAP_PRIVATE of kernel RAM: PFNMAP, COW, Normal",
	  VMA_PRIVATE_RW | VMA_REMAP, GLUE_PAGE_SHARED, false, IN(PFNMAP) | IN(COW), MT(NORMAL) },
	{ "nvgrace-gpu usemem: PFNMAP, Normal",
	  VMA_SHARED_RW | VMA_REMAP, GLUE_PAGE_SHARED, false, IN(PFNMAP), MT(NORMAL) },
	{ "nvgrace-gpu resmem: PFNMAP, Normal-NC",
	  VMA_SHARED_RW | VMA_REMAP, GLUE_WRITECOMBINE, false, IN(PFNMAP), MT(NORMAL_NC) },
	{ "pgprot_device() PFNMAP: Device-nGnRE",
	  VMA_SHARED_RW | VMA_REMAP, GLUE_DEVICE, false, IN(PFNMAP), MT(DEVICE_NGNRE) },
	{ "MIXEDMAP driver memory: MIXEDMAP, Normal",
	  VMA_SHARED_RW | VM_MIXEDMAP, GLUE_PAGE_SHARED, false, IN(MIXEDMAP), MT(NORMAL) },
	{ "MIXEDMAP write-combined: MIXEDMAP, Normal-NC",
	  VMA_SHARED_RW | VM_MIXEDMAP, GLUE_WRITECOMBINE, false, IN(MIXEDMAP), MT(NORMAL_NC) },
	{ "PFNMAP and MIXEDMAP, private, ALLOW_ANY_UC: all four flags",
	  VMA_PRIVATE_RW | VM_PFNMAP | VM_MIXEDMAP | VM_ALLOW_ANY_UNCACHED, GLUE_DEVICE, false,
	  IN(PFNMAP) | IN(MIXEDMAP) | IN(COW) | IN(ALLOW_ANY_UC), MT(DEVICE_NGNRE) },
	{ "AttrIndx 5 by hand: memtype 5",
	  VMA_SHARED_RW | VMA_REMAP, GLUE_ATTR5, false, IN(PFNMAP), MT(ATTR5) },
	{ "AttrIndx 6 by hand: memtype 6",
	  VMA_SHARED_RW, GLUE_ATTR6, false, 0, MT(ATTR6) },
	{ "AttrIndx 7 by hand: memtype 7",
	  VMA_PRIVATE_RW | VM_MIXEDMAP, GLUE_ATTR7, false, IN(MIXEDMAP) | IN(COW), MT(ATTR7) },
	{ "TTM buffer object (ttm_bo_mmap_obj()): PFNMAP, vm_page_prot Normal",
	  VMA_SHARED_RW | VMA_REMAP, GLUE_PAGE_SHARED, false, IN(PFNMAP), MT(NORMAL) },
};

KUNIT_ARRAY_PARAM_DESC(s2attr_glue_vma, s2attr_glue_vma_cases, desc);

/* FEAT_S2FWB and CTR_EL0.DIC read from the sanitised ID registers. */
static u32 s2attr_glue_host_flags(void)
{
	u64 mmfr2 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR2_EL1);
	u64 ctr = read_sanitised_ftr_reg(SYS_CTR_EL0);
	u32 flags = 0;

	if (cpuid_feature_extract_unsigned_field(mmfr2, ID_AA64MMFR2_EL1_FWB_SHIFT) >=
	    ID_AA64MMFR2_EL1_FWB_IMP)
		flags |= IN(FWB);
	if (ctr & BIT(CTR_EL0_DIC_SHIFT))
		flags |= IN(DIC);
	return flags;
}

static struct kvm *s2attr_glue_kvm(struct kunit *test)
{
	struct kvm *kvm = kunit_kzalloc(test, sizeof(*kvm), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, kvm);
	return kvm;
}

static void s2attr_glue_vma(struct vm_area_struct *vma, const struct s2attr_glue_vma_case *c)
{
	memset(vma, 0, sizeof(*vma));
	vm_flags_init(vma, c->vm_flags);
	vma->vm_page_prot = s2attr_glue_pgprot(c->prot);
}

/*
 * kvm_s2attr_vma_input(): the flags are the VMA's, and only those; nothing
 * else of the input changes: not the memory type either, which each stage
 * sets from its own source.
 */
static void s2attr_glue_test_vma_input(struct kunit *test)
{
	const struct s2attr_glue_vma_case *c = test->param_value;
	/* Every flag set, so that one the VMA lacks must be cleared. */
	struct s2attr_input in = {
		.flags = S2ATTR_IN_ALL,
		.stage = S2ATTR_STAGE_FAULT,
		.memtype = MT(ATTR7),
		.access = S2ATTR_ACCESS_EXEC,
	};
	struct vm_area_struct vma;

	if (c->needs_mte && !IS_ENABLED(CONFIG_ARM64_MTE))
		kunit_skip(test, "VM_MTE_ALLOWED needs CONFIG_ARM64_MTE");
	s2attr_glue_vma(&vma, c);
	kvm_s2attr_vma_input(&vma, &in);
	KUNIT_EXPECT_EQ_MSG(test, in.flags, c->flags, "%s: vm_flags %#lx", c->desc,
			    (unsigned long)c->vm_flags);
	KUNIT_EXPECT_EQ_MSG(test, in.memtype, MT(ATTR7), "%s: vm_page_prot %#llx", c->desc,
			    (unsigned long long)pgprot_val(vma.vm_page_prot));
	KUNIT_EXPECT_EQ(test, in.stage, S2ATTR_STAGE_FAULT);
	KUNIT_EXPECT_EQ(test, in.access, S2ATTR_ACCESS_EXEC);
}

/*
 * kvm_s2attr_memslot_input(): the VMA, the VM, the CPU, the memslot flag;
 * the memory type of vm_page_prot, as no PTE is at hand.
 */
static void s2attr_glue_test_memslot_input(struct kunit *test)
{
	const struct s2attr_glue_vma_case *c = test->param_value;
	struct kvm *kvm = s2attr_glue_kvm(test);
	u32 host = s2attr_glue_host_flags();
	struct vm_area_struct vma;
	struct s2attr_input in;

	if (c->needs_mte && !IS_ENABLED(CONFIG_ARM64_MTE))
		kunit_skip(test, "VM_MTE_ALLOWED needs CONFIG_ARM64_MTE");
	s2attr_glue_vma(&vma, c);
	memset(&in, 0xa5, sizeof(in));
	kvm_s2attr_memslot_input(kvm, &vma, false, &in);
	KUNIT_EXPECT_EQ_MSG(test, in.flags, c->flags | host, "%s", c->desc);
	KUNIT_EXPECT_EQ_MSG(test, in.memtype, c->memtype, "%s: vm_page_prot %#llx", c->desc,
			    (unsigned long long)pgprot_val(vma.vm_page_prot));
	KUNIT_EXPECT_EQ(test, in.stage, S2ATTR_STAGE_MEMSLOT);
	KUNIT_EXPECT_EQ(test, in.access, S2ATTR_ACCESS_READ);

	kvm_s2attr_memslot_input(kvm, &vma, true, &in);
	KUNIT_EXPECT_EQ_MSG(test, in.flags, c->flags | host | IN(LOG_DIRTY), "%s", c->desc);
}

/* kvm_s2attr_vm_flags(): FWB and DIC as the ID registers say, MTE per VM. */
static void s2attr_glue_test_vm_flags(struct kunit *test)
{
	struct kvm *kvm = s2attr_glue_kvm(test);
	u32 host = s2attr_glue_host_flags();

	kunit_info(test, "host: FEAT_S2FWB %d, CTR_EL0.DIC %d, MTE %d\n", !!(host & IN(FWB)),
		   !!(host & IN(DIC)), system_supports_mte());
	KUNIT_EXPECT_EQ(test, kvm_s2attr_vm_flags(kvm), host);

	/* A VM with KVM_CAP_ARM_MTE enabled, on a host that has MTE. */
	set_bit(KVM_ARCH_FLAG_MTE_ENABLED, &kvm->arch.flags);
	if (system_supports_mte())
		KUNIT_EXPECT_EQ(test, kvm_s2attr_vm_flags(kvm), host | IN(KVM_MTE));
	else
		KUNIT_EXPECT_EQ(test, kvm_s2attr_vm_flags(kvm), host);
}

struct s2attr_glue_fault_case {
	const char *desc;
	u32 in_flags;		/* what the caller's input holds before */
	bool linear;		/* pfn of a kmalloc()ed page, else one past all RAM */
	enum s2attr_glue_prot s1prot;	/* what the host maps the pfn with */
	bool write, exec, perm, log_dirty;
	/* Expected, besides the host's FWB and DIC: */
	u32 flags;
	u8 access;
	u8 memtype;
};

static const struct s2attr_glue_fault_case s2attr_glue_fault_cases[] = {
	{ "read translation fault on kernel RAM behind PFNMAP",
	  IN(PFNMAP), true, GLUE_PAGE_SHARED, false, false, false, false,
	  IN(PFNMAP) | IN(MAP_MEMORY), S2ATTR_ACCESS_READ, MT(NORMAL) },
	{ "read fault on a pfn outside the linear map",
	  IN(PFNMAP) | IN(ALLOW_ANY_UC), false, GLUE_NONCACHED, false, false, false, false,
	  IN(PFNMAP) | IN(ALLOW_ANY_UC), S2ATTR_ACCESS_READ, MT(DEVICE_NGNRNE) },
	{ "write fault under dirty logging, outside the linear map",
	  0, false, GLUE_PAGE_SHARED, true, false, false, true,
	  IN(LOG_DIRTY), S2ATTR_ACCESS_WRITE, MT(NORMAL) },
	{ "write permission fault under dirty logging on COW RAM",
	  IN(COW) | IN(MTE_ALLOWED), true, GLUE_TAGGED, true, false, true, true,
	  IN(COW) | IN(MTE_ALLOWED) | IN(MAP_MEMORY) | IN(PERM) | IN(LOG_DIRTY),
	  S2ATTR_ACCESS_WRITE, MT(NORMAL_TAGGED) },
	{ "exec permission fault (read-then-exec) on MIXEDMAP RAM",
	  IN(MIXEDMAP), true, GLUE_PAGE_SHARED, false, true, true, false,
	  IN(MIXEDMAP) | IN(MAP_MEMORY) | IN(PERM), S2ATTR_ACCESS_EXEC, MT(NORMAL) },
	{ "exec translation fault outside the linear map",
	  IN(PFNMAP), false, GLUE_DEVICE, false, true, false, false,
	  IN(PFNMAP), S2ATTR_ACCESS_EXEC, MT(DEVICE_NGNRE) },
	{ "TTM VRAM: the write-combined PTE of a vm_page_prot Normal VMA is Normal-NC",
	  IN(PFNMAP), false, GLUE_WRITECOMBINE, true, false, false, false,
	  IN(PFNMAP), S2ATTR_ACCESS_WRITE, MT(NORMAL_NC) },
	{ "TTM VRAM: an uncached PTE is Device-nGnRnE",
	  IN(PFNMAP), false, GLUE_NONCACHED, false, false, false, false,
	  IN(PFNMAP), S2ATTR_ACCESS_READ, MT(DEVICE_NGNRNE) },
	{ "AttrIndx 5 in a PTE is memtype 5",
	  IN(PFNMAP), false, GLUE_ATTR5, false, false, false, false,
	  IN(PFNMAP), S2ATTR_ACCESS_READ, MT(ATTR5) },
	{ "stale non-VMA bits of the input are dropped",
	  IN(PFNMAP) | IN(MAP_MEMORY) | IN(PERM) | IN(LOG_DIRTY) | IN(KVM_MTE) | IN(FWB) | IN(DIC),
	  false, GLUE_PAGE_SHARED, false, false, false, false,
	  IN(PFNMAP), S2ATTR_ACCESS_READ, MT(NORMAL) },
};

KUNIT_ARRAY_PARAM_DESC(s2attr_glue_fault, s2attr_glue_fault_cases, desc);

/*
 * kvm_s2attr_fault_input(): the pfn, its stage-1 protection, the fault and
 * the memslot are added.
 */
static void s2attr_glue_test_fault_input(struct kunit *test)
{
	const struct s2attr_glue_fault_case *c = test->param_value;
	struct kvm *kvm = s2attr_glue_kvm(test);
	void *buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct s2attr_input in = {
		.flags = c->in_flags,
		.stage = S2ATTR_STAGE_MEMSLOT,
		.memtype = MT(DEVICE_NGNRE),
		.access = S2ATTR_ACCESS_EXEC,
	};
	pgprot_t s1prot;
	kvm_pfn_t pfn;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	if (c->linear)
		pfn = page_to_pfn(virt_to_page(buf));
	else	/* The top of the PA space: no RAM, so no linear map. */
		pfn = PHYS_PFN(BIT_ULL(PHYS_MASK_SHIFT) - PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, pfn_is_map_memory(pfn), c->linear);

	/* The protection as follow_pfnmap_start() reports it: pte_pgprot() of the PTE. */
	s1prot = pte_pgprot(pfn_pte(pfn, s2attr_glue_pgprot(c->s1prot)));
	kvm_s2attr_fault_input(kvm, &in, pfn, s1prot, c->write, c->exec, c->perm, c->log_dirty);
	KUNIT_EXPECT_EQ_MSG(test, in.flags, c->flags | s2attr_glue_host_flags(), "%s", c->desc);
	KUNIT_EXPECT_EQ_MSG(test, in.access, c->access, "%s", c->desc);
	KUNIT_EXPECT_EQ(test, in.stage, S2ATTR_STAGE_FAULT);
	/* The memory type is the stage-1 protection's, not what the input held. */
	KUNIT_EXPECT_EQ_MSG(test, in.memtype, c->memtype, "%s", c->desc);
}

struct s2attr_glue_prot_case {
	const char *desc;
	struct s2attr_output out;
	enum kvm_pgtable_prot prot;
};

static const struct s2attr_glue_prot_case s2attr_glue_prot_cases[] = {
	{ "Normal", { .memattr = S2ATTR_MEMATTR_NORMAL }, 0 },
	{ "Normal, exec", { .memattr = S2ATTR_MEMATTR_NORMAL, .exec = true },
	  KVM_PGTABLE_PROT_X },
	{ "Normal, wp_read and sanitise_mte are not prot bits",
	  { .memattr = S2ATTR_MEMATTR_NORMAL, .wp_read = true, .sanitise_mte = true }, 0 },
	{ "Normal-NC", { .memattr = S2ATTR_MEMATTR_NC }, KVM_PGTABLE_PROT_NORMAL_NC },
	{ "Normal-NC, exec: never executable, whatever the decision says",
	  { .memattr = S2ATTR_MEMATTR_NC, .exec = true }, KVM_PGTABLE_PROT_NORMAL_NC },
	{ "Device, exec: never executable, whatever the decision says",
	  { .memattr = S2ATTR_MEMATTR_DEVICE, .exec = true }, KVM_PGTABLE_PROT_DEVICE },
	{ "Device", { .memattr = S2ATTR_MEMATTR_DEVICE }, KVM_PGTABLE_PROT_DEVICE },
	{ "Device, wp_read", { .memattr = S2ATTR_MEMATTR_DEVICE, .wp_read = true },
	  KVM_PGTABLE_PROT_DEVICE },
	{ "unknown memattr 3 fails closed: Device",
	  { .memattr = S2ATTR_NR_MEMATTRS }, KVM_PGTABLE_PROT_DEVICE },
	{ "unknown memattr 255, exec: Device, not executable",
	  { .memattr = 0xff, .exec = true }, KVM_PGTABLE_PROT_DEVICE },
};

KUNIT_ARRAY_PARAM_DESC(s2attr_glue_prot, s2attr_glue_prot_cases, desc);

/* kvm_s2attr_prot(): the stage-2 attributes of a decision to map. */
static void s2attr_glue_test_prot(struct kunit *test)
{
	const struct s2attr_glue_prot_case *c = test->param_value;

	KUNIT_EXPECT_EQ_MSG(test, kvm_s2attr_prot(&c->out), c->prot,
			    "%s: memattr %u exec %d wp_read %d sanitise_mte %d", c->desc,
			    c->out.memattr, c->out.exec, c->out.wp_read, c->out.sanitise_mte);
}

static struct kunit_case s2attr_glue_test_cases[] = {
	KUNIT_CASE_PARAM(s2attr_glue_test_vma_input, s2attr_glue_vma_gen_params),
	KUNIT_CASE_PARAM(s2attr_glue_test_memslot_input, s2attr_glue_vma_gen_params),
	KUNIT_CASE(s2attr_glue_test_vm_flags),
	KUNIT_CASE_PARAM(s2attr_glue_test_fault_input, s2attr_glue_fault_gen_params),
	KUNIT_CASE_PARAM(s2attr_glue_test_prot, s2attr_glue_prot_gen_params),
	{}
};

static struct kunit_suite s2attr_glue_test_suite = {
	.name = "kvm_arm64_s2attr_glue",
	.test_cases = s2attr_glue_test_cases,
};

kunit_test_suite(s2attr_glue_test_suite);

MODULE_DESCRIPTION("KUnit tests for the KVM/arm64 glue of the stage-2 memory attribute engine");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
