// SPDX-License-Identifier: GPL-2.0-only
/*
 * The stage-2 memory attribute policies of KVM/arm64, as tables.
 *
 * Read a table top to bottom: the first row whose terms all hold decides.
 * IS(x) / NOT(x) test a predicate (see enum s2attr_pred): SPECIAL is
 * VM_PFNMAP || VM_MIXEDMAP, SPECIAL_PFN is a SPECIAL VMA whose pfn is not
 * in the kernel linear map, CACHEABLE is a stage-1 AttrIndx other than
 * Normal-NC and Device, ATTR_UNDEF is AttrIndx 5-7 and FWB_DIC is
 * FEAT_S2FWB && CTR_EL0.DIC (FWB and DIC test one of them each).
 * The last row of every table is ALWAYS.
 *
 * Every table here must change together with the generated tables in
 * Documentation/virt/kvm/arm/s2attr.rst, and with the reference models in
 * lib/tests/s2attr_kunit.c, which are written from the specification and
 * not from these rows.
 */

#include <linux/kernel.h>

#include "policy.h"

/*
 * linux-6.12: what user_mem_abort() and kvm_arch_prepare_memory_region()
 * of Linux 6.12 do. Any pfn outside the linear map is "device" and is
 * mapped Device (or Normal-NC with VM_ALLOW_ANY_UNCACHED), whatever the
 * stage-1 attributes of the user mapping say.
 *
 * Must change with Documentation/virt/kvm/arm/s2attr.rst (make docs-update).
 */
static const struct s2attr_row linux_6_12_memslot[] = {
	RULE(mte_not_allowed, REFUSE(EINVAL),        IS(KVM_MTE), NOT(MTE_ALLOWED)),
	RULE(dirty_log,       REFUSE(EINVAL),        IS(PFNMAP), IS(LOG_DIRTY)),
	RULE(accept,          ACCEPT,                ALWAYS),
};

/* Must change with Documentation/virt/kvm/arm/s2attr.rst (make docs-update). */
static const struct s2attr_row linux_6_12_fault[] = {
	RULE(device_exec,     REFUSE(ENOEXEC),       NOT(MAP_MEMORY), IS(EXEC)),
	RULE(device_any_uc,   MAP(NC, NO_BLOCK),     NOT(MAP_MEMORY), IS(ANY_UC)),
	RULE(device,          MAP(DEVICE, NO_BLOCK), NOT(MAP_MEMORY)),
	RULE(mte_not_allowed, REFUSE(EFAULT),        IS(KVM_MTE), NOT(PERM), NOT(MTE_ALLOWED)),
	RULE(mte_sanitise,    MAP(NORMAL, X_IF_DIC | SANITISE), IS(KVM_MTE), NOT(PERM)),
	RULE(normal,          MAP(NORMAL, X_IF_DIC), ALWAYS),
};

/*
 * cacheable-pfnmap: Linux 6.17 (kvmarm-6.17). A special VMA whose stage-1
 * mapping is cacheable is mapped Normal write-back when FWB and DIC spare
 * KVM the cache maintenance it cannot do without a kernel VA, and refused
 * otherwise: never demoted to a non-cacheable alias (2a8dfab26677). Only
 * stage-1 non-cacheable special memory is forced to Device or Normal-NC;
 * everything else, whatever its pfn, is Normal (216887f79d98).
 *
 * Must change with Documentation/virt/kvm/arm/s2attr.rst (make docs-update).
 */
static const struct s2attr_row cacheable_pfnmap_memslot[] = {
	RULE(mte_not_allowed, REFUSE(EINVAL),        IS(KVM_MTE), NOT(MTE_ALLOWED)),
	RULE(dirty_log,       REFUSE(EINVAL),        IS(PFNMAP), IS(LOG_DIRTY)),
	RULE(wb_no_fwb_dic,   REFUSE(EINVAL),        IS(PFNMAP), IS(CACHEABLE), NOT(FWB_DIC)),
	RULE(accept,          ACCEPT,                ALWAYS),
};

/* Must change with Documentation/virt/kvm/arm/s2attr.rst (make docs-update). */
static const struct s2attr_row cacheable_pfnmap_fault[] = {
	RULE(wb_no_fwb_dic,   REFUSE(EFAULT),        IS(SPECIAL_PFN), IS(CACHEABLE), NOT(FWB_DIC)),
	RULE(nc_exec,         REFUSE(ENOEXEC),       IS(SPECIAL_PFN), NOT(CACHEABLE), IS(EXEC)),
	RULE(nc_any_uc,       MAP(NC, NO_BLOCK),     IS(SPECIAL_PFN), NOT(CACHEABLE), IS(ANY_UC)),
	RULE(nc_device,       MAP(DEVICE, NO_BLOCK), IS(SPECIAL_PFN), NOT(CACHEABLE)),
	RULE(mte_not_allowed, REFUSE(EFAULT),        IS(KVM_MTE), NOT(PERM), NOT(MTE_ALLOWED)),
	RULE(mte_sanitise,    MAP(NORMAL, X_IF_DIC | SANITISE), IS(KVM_MTE), NOT(PERM)),
	RULE(normal,          MAP(NORMAL, X_IF_DIC), ALWAYS),
};

/*
 * strict: cacheable-pfnmap, and first the rules asked for in review of the
 * original series: no COW of a VM_PFNMAP VMA (seed thread, v2 1/1), no MTE
 * on special memory, special VMAs checked alike whether PFNMAP or MIXEDMAP
 * so that a slot that is accepted cannot fail its faults for the same
 * reason, and undefined stage-1 attributes refused instead of taken as
 * cacheable.
 *
 * Must change with Documentation/virt/kvm/arm/s2attr.rst (make docs-update).
 */
static const struct s2attr_row strict_memslot[] = {
	RULE(pfnmap_cow,      REFUSE(EINVAL),        IS(PFNMAP), IS(COW)),
	RULE(attr_undef,      REFUSE(EINVAL),        IS(SPECIAL), IS(ATTR_UNDEF)),
	RULE(mte_special,     REFUSE(EINVAL),        IS(KVM_MTE), IS(SPECIAL)),
	RULE(mte_not_allowed, REFUSE(EINVAL),        IS(KVM_MTE), NOT(MTE_ALLOWED)),
	RULE(dirty_log,       REFUSE(EINVAL),        IS(SPECIAL), IS(LOG_DIRTY)),
	RULE(wb_no_fwb_dic,   REFUSE(EINVAL),        IS(SPECIAL), IS(CACHEABLE), NOT(FWB_DIC)),
	RULE(accept,          ACCEPT,                ALWAYS),
};

/* Must change with Documentation/virt/kvm/arm/s2attr.rst (make docs-update). */
static const struct s2attr_row strict_fault[] = {
	RULE(pfnmap_cow,      REFUSE(EINVAL),        IS(PFNMAP), IS(COW)),
	RULE(attr_undef,      REFUSE(EFAULT),        IS(SPECIAL_PFN), IS(ATTR_UNDEF)),
	RULE(mte_special,     REFUSE(EFAULT),        IS(KVM_MTE), IS(SPECIAL_PFN), IS(CACHEABLE)),
	RULE(wb_no_fwb_dic,   REFUSE(EFAULT),        IS(SPECIAL_PFN), IS(CACHEABLE), NOT(FWB_DIC)),
	RULE(nc_exec,         REFUSE(ENOEXEC),       IS(SPECIAL_PFN), NOT(CACHEABLE), IS(EXEC)),
	RULE(nc_any_uc,       MAP(NC, NO_BLOCK),     IS(SPECIAL_PFN), NOT(CACHEABLE), IS(ANY_UC)),
	RULE(nc_device,       MAP(DEVICE, NO_BLOCK), IS(SPECIAL_PFN), NOT(CACHEABLE)),
	RULE(mte_not_allowed, REFUSE(EFAULT),        IS(KVM_MTE), NOT(PERM), NOT(MTE_ALLOWED)),
	RULE(mte_sanitise,    MAP(NORMAL, X_IF_DIC | SANITISE), IS(KVM_MTE), NOT(PERM)),
	RULE(normal,          MAP(NORMAL, X_IF_DIC), ALWAYS),
};

/*
 * fwb-only: cacheable-pfnmap where FEAT_S2FWB alone is enough, beyond
 * upstream. DIC is only needed when KVM makes a stage-2 entry executable:
 * that is when it invalidates the I-cache through a kernel VA, which a pfn
 * outside the linear map does not have. With FWB there is no D-cache clean
 * either, so cacheable special memory is mapped Normal write-back but never
 * executable without DIC: an instruction fetch from it is refused and the
 * guest takes an instruction abort. An MTE guest is refused such memory
 * (strict's rule): sanitise_mte_tags() would write tags through the kernel
 * VA of a pfn that has none. The argument, site by site, is in
 * Documentation/virt/kvm/arm/s2attr.rst.
 *
 * Must change with Documentation/virt/kvm/arm/s2attr.rst (make docs-update).
 */
static const struct s2attr_row fwb_only_memslot[] = {
	RULE(mte_not_allowed, REFUSE(EINVAL),        IS(KVM_MTE), NOT(MTE_ALLOWED)),
	RULE(dirty_log,       REFUSE(EINVAL),        IS(PFNMAP), IS(LOG_DIRTY)),
	RULE(wb_no_fwb,       REFUSE(EINVAL),        IS(PFNMAP), IS(CACHEABLE), NOT(FWB)),
	RULE(accept,          ACCEPT,                ALWAYS),
};

/* Must change with Documentation/virt/kvm/arm/s2attr.rst (make docs-update). */
static const struct s2attr_row fwb_only_fault[] = {
	RULE(wb_no_fwb,       REFUSE(EFAULT),        IS(SPECIAL_PFN), IS(CACHEABLE), NOT(FWB)),
	RULE(wb_exec_no_dic,  REFUSE(ENOEXEC),       IS(SPECIAL_PFN), IS(CACHEABLE), IS(EXEC),
	     NOT(DIC)),
	RULE(mte_special,     REFUSE(EFAULT),        IS(KVM_MTE), IS(SPECIAL_PFN), IS(CACHEABLE)),
	RULE(nc_exec,         REFUSE(ENOEXEC),       IS(SPECIAL_PFN), NOT(CACHEABLE), IS(EXEC)),
	RULE(nc_any_uc,       MAP(NC, NO_BLOCK),     IS(SPECIAL_PFN), NOT(CACHEABLE), IS(ANY_UC)),
	RULE(nc_device,       MAP(DEVICE, NO_BLOCK), IS(SPECIAL_PFN), NOT(CACHEABLE)),
	RULE(mte_not_allowed, REFUSE(EFAULT),        IS(KVM_MTE), NOT(PERM), NOT(MTE_ALLOWED)),
	RULE(mte_sanitise,    MAP(NORMAL, X_IF_DIC | SANITISE), IS(KVM_MTE), NOT(PERM)),
	RULE(normal,          MAP(NORMAL, X_IF_DIC), ALWAYS),
};

const struct s2attr_policy s2attr_policies[S2ATTR_NR_POLICIES] = {
	[S2ATTR_POLICY_LINUX_6_12] = {
		.name = "linux-6.12",
		.tables = {	/* indexed by enum s2attr_stage: memslot, fault */
			{ linux_6_12_memslot, ARRAY_SIZE(linux_6_12_memslot) },
			{ linux_6_12_fault, ARRAY_SIZE(linux_6_12_fault) },
		},
	},
	[S2ATTR_POLICY_CACHEABLE_PFNMAP] = {
		.name = "cacheable-pfnmap",
		.tables = {
			{ cacheable_pfnmap_memslot, ARRAY_SIZE(cacheable_pfnmap_memslot) },
			{ cacheable_pfnmap_fault, ARRAY_SIZE(cacheable_pfnmap_fault) },
		},
	},
	[S2ATTR_POLICY_STRICT] = {
		.name = "strict",
		.tables = {
			{ strict_memslot, ARRAY_SIZE(strict_memslot) },
			{ strict_fault, ARRAY_SIZE(strict_fault) },
		},
	},
	[S2ATTR_POLICY_FWB_ONLY] = {
		.name = "fwb-only",
		.tables = {
			{ fwb_only_memslot, ARRAY_SIZE(fwb_only_memslot) },
			{ fwb_only_fault, ARRAY_SIZE(fwb_only_fault) },
		},
	},
};
