// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the arm64 glue of s2attr: what KVM samples from a VMA,
 * a pfn, the VM and the CPU, and which stage-2 attributes an outcome turns
 * into. No guest is needed: the VMAs are built on the stack with the
 * vm_flags and vm_page_prot values real drivers use.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <asm/kvm_pgtable.h>
#include <asm/kvm_s2attr.h>
#include <asm/pgtable-prot.h>

/* vm_flags that the glue reads, enumerated in every combination. */
static const vm_flags_t s2attr_glue_vm_flags[] = {
	VM_PFNMAP, VM_MIXEDMAP, VM_SHARED, VM_MAYWRITE, VM_ALLOW_ANY_UNCACHED, VM_MTE_ALLOWED,
};

/* The user mapping's protection for each AttrIndx, as the kernel builds it. */
static pgprot_t s2attr_glue_prot(unsigned int attrindx)
{
	switch (attrindx) {
	case 0:
		return __pgprot(PROT_NORMAL);
	case 1:
		return __pgprot(PROT_NORMAL_TAGGED);
	case 2:
		return __pgprot(PROT_NORMAL_NC);
	case 3:
		return pgprot_noncached(__pgprot(PROT_NORMAL));
	case 4:
		return pgprot_device(__pgprot(PROT_NORMAL));
	default:
		/* Linux 6.12 defines no type 5-7; build one by hand. */
		return __pgprot((PROT_NORMAL & ~PTE_ATTRINDX_MASK) | PTE_ATTRINDX(attrindx));
	}
}

static void s2attr_glue_test_vma_input(struct kunit *test)
{
	unsigned int combo, bit, attrindx, checked = 0;

	for (combo = 0; combo < BIT(ARRAY_SIZE(s2attr_glue_vm_flags)); combo++) {
		vm_flags_t vm_flags = 0;

		for (bit = 0; bit < ARRAY_SIZE(s2attr_glue_vm_flags); bit++) {
			if (combo & BIT(bit))
				vm_flags |= s2attr_glue_vm_flags[bit];
		}
		for (attrindx = 0; attrindx < S2ATTR_NR_MEMTYPES; attrindx++) {
			struct vm_area_struct vma = {};
			/* Bits the glue must leave alone. */
			struct s2attr_input in = {
				.flags = S2ATTR_IN_FWB | S2ATTR_IN_PERM | S2ATTR_IN_COW,
				.stage = S2ATTR_STAGE_FAULT,
				.access = S2ATTR_ACCESS_EXEC,
			};
			bool cow = (vm_flags & VM_MAYWRITE) && !(vm_flags & VM_SHARED);
			u32 want = S2ATTR_IN_FWB | S2ATTR_IN_PERM;

			vm_flags_init(&vma, vm_flags);
			vma.vm_page_prot = s2attr_glue_prot(attrindx);
			kvm_s2attr_vma_input(&vma, &in);

			if (vm_flags & VM_PFNMAP)
				want |= S2ATTR_IN_PFNMAP;
			if (vm_flags & VM_MIXEDMAP)
				want |= S2ATTR_IN_MIXEDMAP;
			if (cow)
				want |= S2ATTR_IN_COW;
			if (VM_ALLOW_ANY_UNCACHED && (vm_flags & VM_ALLOW_ANY_UNCACHED))
				want |= S2ATTR_IN_ALLOW_ANY_UC;
			if (VM_MTE_ALLOWED && (vm_flags & VM_MTE_ALLOWED))
				want |= S2ATTR_IN_MTE_ALLOWED;

			KUNIT_EXPECT_EQ_MSG(test, in.flags, want, "vm_flags %#lx attrindx %u",
					    (unsigned long)vm_flags, attrindx);
			KUNIT_EXPECT_EQ_MSG(test, in.memtype, attrindx, "vm_flags %#lx",
					    (unsigned long)vm_flags);
			KUNIT_EXPECT_EQ(test, in.stage, S2ATTR_STAGE_FAULT);
			KUNIT_EXPECT_EQ(test, in.access, S2ATTR_ACCESS_EXEC);
			checked++;
		}
	}
	kunit_info(test, "%u VMAs sampled\n", checked);
}

/* What drivers hand to remap_pfn_range() ends up as the expected memtype. */
static void s2attr_glue_test_driver_prots(struct kunit *test)
{
	/* Not static: the pgprot helpers are not constant expressions. */
	const struct {
		const char *what;
		pgprot_t prot;
		unsigned int memtype;
	} cases[] = {
		{ "PAGE_SHARED (cacheable)", PAGE_SHARED, S2ATTR_MT_NORMAL },
		{ "pgprot_noncached(), VFIO BARs", pgprot_noncached(PAGE_SHARED),
		  S2ATTR_MT_DEVICE_NGNRNE },
		{ "pgprot_device()", pgprot_device(PAGE_SHARED), S2ATTR_MT_DEVICE_NGNRE },
		{ "pgprot_writecombine()", pgprot_writecombine(PAGE_SHARED),
		  S2ATTR_MT_NORMAL_NC },
		{ "pgprot_tagged()", pgprot_tagged(PAGE_SHARED), S2ATTR_MT_NORMAL_TAGGED },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_area_struct vma = {};
		struct s2attr_input in = {};

		vm_flags_init(&vma, VM_PFNMAP | VM_SHARED | VM_MAYWRITE);
		vma.vm_page_prot = cases[i].prot;
		kvm_s2attr_vma_input(&vma, &in);
		KUNIT_EXPECT_EQ_MSG(test, in.memtype, cases[i].memtype, "%s", cases[i].what);
	}
}

static void s2attr_glue_test_prot(struct kunit *test)
{
	static const struct {
		u8 memattr;
		bool exec;
		enum kvm_pgtable_prot prot;
	} cases[] = {
		{ S2ATTR_MEMATTR_NORMAL, false, 0 },
		{ S2ATTR_MEMATTR_NORMAL, true, KVM_PGTABLE_PROT_X },
		{ S2ATTR_MEMATTR_NC, false, KVM_PGTABLE_PROT_NORMAL_NC },
		/* Eager X is for Normal memory only, whatever the outcome says. */
		{ S2ATTR_MEMATTR_NC, true, KVM_PGTABLE_PROT_NORMAL_NC },
		{ S2ATTR_MEMATTR_DEVICE, false, KVM_PGTABLE_PROT_DEVICE },
		{ S2ATTR_MEMATTR_DEVICE, true, KVM_PGTABLE_PROT_DEVICE },
		/* Unknown memory types fail closed: Device, never executable. */
		{ S2ATTR_NR_MEMATTRS, false, KVM_PGTABLE_PROT_DEVICE },
		{ 0xff, true, KVM_PGTABLE_PROT_DEVICE },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct s2attr_output out = {
			.memattr = cases[i].memattr, .exec = cases[i].exec,
		};

		KUNIT_EXPECT_EQ_MSG(test, kvm_s2attr_prot(&out), cases[i].prot,
				    "memattr %u exec %d", cases[i].memattr, cases[i].exec);
	}
}

static void s2attr_glue_test_fault_input(struct kunit *test)
{
	struct s2attr_input in = { .flags = S2ATTR_IN_LOG_DIRTY | S2ATTR_IN_PFNMAP };
	struct s2attr_output out;
	void *buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	kvm_pfn_t linear, outside;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	linear = page_to_pfn(virt_to_page(buf));
	/* A pfn no RAM, and so no linear map, can have: the top of the PA space. */
	outside = PHYS_PFN(BIT_ULL(PHYS_MASK_SHIFT) - PAGE_SIZE);
	KUNIT_ASSERT_TRUE(test, pfn_is_map_memory(linear));
	KUNIT_ASSERT_FALSE(test, pfn_is_map_memory(outside));

	kvm_s2attr_fault(&in, linear, true, true, &out);
	KUNIT_EXPECT_EQ(test, in.stage, S2ATTR_STAGE_FAULT);
	KUNIT_EXPECT_EQ(test, in.access, S2ATTR_ACCESS_EXEC);
	KUNIT_EXPECT_EQ(test, in.flags,
			S2ATTR_IN_PFNMAP | S2ATTR_IN_MAP_MEMORY | S2ATTR_IN_PERM);

	kvm_s2attr_fault(&in, outside, false, false, &out);
	KUNIT_EXPECT_EQ(test, in.access, S2ATTR_ACCESS_READ);
	KUNIT_EXPECT_EQ(test, in.flags, S2ATTR_IN_PFNMAP);
}

static void s2attr_glue_test_policy(struct kunit *test)
{
	const char *want = IS_ENABLED(CONFIG_KVM_S2ATTR_POLICY_STRICT) ? "strict" :
			   IS_ENABLED(CONFIG_KVM_S2ATTR_POLICY_CACHEABLE_PFNMAP) ?
			   "cacheable-pfnmap" :
			   IS_ENABLED(CONFIG_KVM_S2ATTR_POLICY_FWB_ONLY) ?
			   "fwb-only" : "linux-6.12";

	KUNIT_EXPECT_STREQ(test, s2attr_policy_name(kvm_s2attr_policy()), want);
	kunit_info(test, "KVM is built with the %s policy\n", want);
}

static struct kunit_case s2attr_glue_test_cases[] = {
	KUNIT_CASE(s2attr_glue_test_vma_input),
	KUNIT_CASE(s2attr_glue_test_driver_prots),
	KUNIT_CASE(s2attr_glue_test_prot),
	KUNIT_CASE(s2attr_glue_test_fault_input),
	KUNIT_CASE(s2attr_glue_test_policy),
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
