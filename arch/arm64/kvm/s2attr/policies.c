// SPDX-License-Identifier: GPL-2.0-only
/*
 * The stage-2 memory attribute policies of KVM/arm64, as tables.
 *
 * A row is: rule name, predicates it needs, predicates it forbids, outcome.
 * Within a table the first row that holds decides; the shared tails at the
 * bottom of this file follow every table. The predicates are those of
 * enum s2attr_pred: SPECIAL is VM_PFNMAP or VM_MIXEDMAP, SPECIAL_PFN a
 * SPECIAL VMA whose pfn is outside the linear map, S1_CACHEABLE a stage-1
 * AttrIndx other than Normal-NC and Device, S1_UNDEF AttrIndx 5-7, FWB_DIC
 * is FEAT_S2FWB and CTR_EL0.DIC.
 *
 * These tables change together with the generated tables of
 * Documentation/virt/kvm/arm/s2attr.rst (make docs-update). The reference
 * models of lib/tests/s2attr_kunit.c are written from the 6.12.117 code
 * and the specification, never from these rows.
 */

#include <linux/build_bug.h>
#include <linux/kernel.h>

#include "policy.h"

/*
 * The memslot checks of every policy but strict: those of
 * kvm_arch_prepare_memory_region() in Linux 6.12.117. They read the VMA's
 * flags only. Upstream 6.17 also refuses a cacheable VM_PFNMAP VMA here
 * without FWB && DIC; these policies do not look at the stage-1 type of a
 * VMA at the memslot stage at all: vm_page_prot is only the default of its
 * PTEs (TTM inserts write-combined or uncached PTEs into a cacheable VMA),
 * and the fault stage decides on the type of the PTE that maps the pfn.
 */
static const struct s2attr_row vma_flags_memslot[] = {
	ROW(mte_not_allowed, P(KVM_MTE),              P(MTE_ALLOWED),   REFUSE(EINVAL)),
	ROW(dirty_log,       P(PFNMAP) | P(LOG_DIRTY), NONE,            REFUSE(EINVAL)),
};

/*
 * linux-6.12: user_mem_abort() of Linux 6.12.117. Any pfn outside the
 * linear map (kvm_is_device_pfn()), whatever its VMA, is mapped Device, or
 * Normal-NC with VM_ALLOW_ANY_UNCACHED, and never executable. The three
 * fault rows are disjoint.
 */

static const struct s2attr_row linux_6_12_fault[] = {
	ROW(device_exec,     P(EXEC),      P(MAP_MEMORY),                     REFUSE(ENOEXEC)),
	ROW(device_any_uc,   P(ANY_UC),    P(MAP_MEMORY) | P(EXEC),           MAP(NC)),
	ROW(device,          NONE,         P(MAP_MEMORY) | P(EXEC) | P(ANY_UC), MAP(DEVICE)),
};

/*
 * cacheable-pfnmap, the default: Linux 6.17 (kvmarm-6.17). Special memory
 * that stage 1 maps cacheable is mapped Normal when FEAT_S2FWB and
 * CTR_EL0.DIC spare KVM the cache maintenance it cannot do without a
 * kernel VA, and refused otherwise, never demoted to a non-cacheable alias
 * (2a8dfab26677). Only special memory that stage 1 maps non-cacheable is
 * Device or Normal-NC (216887f79d98, 0c67288e0c8b): the rows for it,
 * nc_fault below, are shared with strict and fwb-only and disjoint from
 * the row here. The memslot checks are vma_flags_memslot.
 */
static const struct s2attr_row cacheable_pfnmap_fault[] = {
	ROW(wb_no_fwb_dic, P(SPECIAL_PFN) | P(S1_CACHEABLE), P(FWB_DIC),       REFUSE(EFAULT)),
};

/*
 * strict: cacheable-pfnmap, after the rules asked for in review of the
 * original series. S1: no COW of a VM_PFNMAP VMA (seed thread, v2 1/1).
 * S4: an undefined stage-1 type on special memory fails closed. S2: no MTE
 * on special memory. S5: the fault refuses what the memslot check would
 * have refused for dirty logging, since special memory can be mmap()ed
 * over a memslot after it was checked. S3: the memslot checks take
 * VM_MIXEDMAP like VM_PFNMAP. S4 has no memslot row: like every policy,
 * strict does not judge a VMA's stage-1 type before a PTE maps it. Every
 * row refuses; what they leave goes on to cacheable-pfnmap's rows,
 * wb_no_fwb_dic and then nc_fault.
 */
static const struct s2attr_row strict_memslot[] = {
	ROW(pfnmap_cow,      P(PFNMAP) | P(COW),           NONE,          REFUSE(EINVAL)),
	ROW(mte_special,     P(KVM_MTE) | P(SPECIAL),      NONE,          REFUSE(EINVAL)),
	ROW(mte_not_allowed, P(KVM_MTE),                   P(MTE_ALLOWED), REFUSE(EINVAL)),
	ROW(dirty_log,       P(SPECIAL) | P(LOG_DIRTY),    NONE,          REFUSE(EINVAL)),
};

static const struct s2attr_row strict_fault[] = {
	ROW(pfnmap_cow,    P(PFNMAP) | P(COW),                            NONE, REFUSE(EFAULT)),
	ROW(attr_undef,    P(SPECIAL_PFN) | P(S1_UNDEF),                  NONE, REFUSE(EFAULT)),
	ROW(mte_special,   P(KVM_MTE) | P(SPECIAL_PFN) | P(S1_CACHEABLE), NONE, REFUSE(EFAULT)),
	ROW(dirty_log,     P(SPECIAL_PFN) | P(LOG_DIRTY),                 NONE, REFUSE(EFAULT)),
	ROW(wb_no_fwb_dic, P(SPECIAL_PFN) | P(S1_CACHEABLE), P(FWB_DIC),       REFUSE(EFAULT)),
};

/*
 * fwb-only, beyond upstream: cacheable-pfnmap where FEAT_S2FWB alone is
 * enough. KVM needs a kernel VA only to clean the D-cache, which FWB makes
 * unnecessary, and to invalidate the I-cache, which it does only for an
 * executable entry without CTR_EL0.DIC. So cacheable special memory is
 * mapped Normal, and without DIC never executable: an exec fault on it is
 * refused (the guest takes an instruction abort), and no grant makes the
 * entry executable (eager X needs DIC). An MTE guest is refused such
 * memory: sanitise_mte_tags() would write tags through a kernel VA the pfn
 * does not have. mte_special follows wb_exec_no_dic: it takes the exec
 * faults with DIC and every other access. Then cacheable-pfnmap's
 * nc_fault.
 * The argument, site by site: Documentation/virt/kvm/arm/s2attr.rst.
 */
static const struct s2attr_row fwb_only_fault[] = {
	ROW(wb_no_fwb,      P(SPECIAL_PFN) | P(S1_CACHEABLE), P(FEAT_S2FWB),   REFUSE(EFAULT)),
	ROW(wb_exec_no_dic, P(SPECIAL_PFN) | P(S1_CACHEABLE) | P(FEAT_S2FWB) | P(EXEC),
	    P(CTR_EL0_DIC),                                    REFUSE(ENOEXEC)),
	ROW(mte_special,    P(KVM_MTE) | P(SPECIAL_PFN) | P(S1_CACHEABLE) | P(FEAT_S2FWB),
	    NONE,                                              REFUSE(EFAULT)),
};

/*
 * Special memory that stage 1 maps non-cacheable, after the own rows of
 * cacheable-pfnmap, strict and fwb-only: Device, or Normal-NC with
 * VM_ALLOW_ANY_UNCACHED, never executable. The three rows are disjoint.
 */
static const struct s2attr_row nc_fault_rows[] = {
	ROW(nc_exec,   P(SPECIAL_PFN) | P(EXEC),   P(S1_CACHEABLE),           REFUSE(ENOEXEC)),
	ROW(nc_any_uc, P(SPECIAL_PFN) | P(ANY_UC), P(S1_CACHEABLE) | P(EXEC), MAP(NC)),
	ROW(nc_device, P(SPECIAL_PFN),
	    P(S1_CACHEABLE) | P(EXEC) | P(ANY_UC),                            MAP(DEVICE)),
};

/*
 * The tails, tried after every policy's own rows. At the fault stage they
 * take the memory that no row above mapped or refused, which every policy
 * maps Normal: 6.12 checks the MTE VMA again at fault time ("the VMM
 * hasn't introduced a new disallowed VMA").
 */
static const struct s2attr_row memslot_tail_rows[] = {
	ROW(accept,          NONE,        NONE,                 ACCEPT),
};

static const struct s2attr_row fault_tail_rows[] = {
	ROW(mte_not_allowed, P(KVM_MTE),  P(PERM) | P(MTE_ALLOWED), REFUSE(EFAULT)),
	ROW(normal,          NONE,        NONE,                 MAP(NORMAL)),
};

/*
 * A table: its rows; what every row of it needs and forbids, so that an
 * input none of them can take skips them all (the s2attr tool checks each
 * row against it); the table tried next.
 */
static const struct s2attr_table memslot_tail = {
	.rows = memslot_tail_rows, .nr_rows = ARRAY_SIZE(memslot_tail_rows),
	.need = NONE, .forbid = NONE, .tail = NULL,
};

static const struct s2attr_table fault_tail = {
	.rows = fault_tail_rows, .nr_rows = ARRAY_SIZE(fault_tail_rows),
	.need = NONE, .forbid = NONE, .tail = NULL,
};

static const struct s2attr_table nc_fault = {
	.rows = nc_fault_rows, .nr_rows = ARRAY_SIZE(nc_fault_rows),
	.need = P(SPECIAL_PFN), .forbid = P(S1_CACHEABLE), .tail = &fault_tail,
};

/*
 * The grants of a fault that is mapped, every policy: each one that holds
 * applies. S2_NORMAL is "the row that decided maps Normal". An exec fault
 * is mapped executable; other Normal memory is executable up front when
 * CTR_EL0.DIC spares KVM the I-cache invalidation. Under dirty logging a
 * read or exec fault on Normal memory that has a struct page is mapped
 * read-only so that the first write is logged. An MTE guest's Normal
 * memory gets its tags initialised on a translation fault.
 */
const struct s2attr_grant s2attr_grants[] = {
	GRANT(exec_fault,   P(EXEC),                      NONE,                X),
	GRANT(eager_x,      P(S2_NORMAL) | P(CTR_EL0_DIC), NONE,               X),
	GRANT(dirty_log_wp, P(S2_NORMAL) | P(LOG_DIRTY),  P(WRITE) | P(SPECIAL_PFN), WP_READ),
	GRANT(mte_sanitise, P(S2_NORMAL) | P(KVM_MTE),    P(PERM),             SANITISE_MTE),
};

static_assert(ARRAY_SIZE(s2attr_grants) == S2ATTR_NR_GRANTS);

/*
 * A policy's tables: its memslot rows, ms##_memslot, then the memslot
 * tail; its fault rows, flt##_fault, which all need @needs and forbid
 * @forbids, then @next.
 */
#define S2ATTR_TABLES(ms, flt, needs, forbids, next) {			\
	[S2ATTR_STAGE_MEMSLOT] = {					\
		.rows = ms##_memslot, .nr_rows = ARRAY_SIZE(ms##_memslot),	\
		.need = NONE, .forbid = NONE, .tail = &memslot_tail,	\
	},								\
	[S2ATTR_STAGE_FAULT] = {					\
		.rows = flt##_fault, .nr_rows = ARRAY_SIZE(flt##_fault),	\
		.need = (needs), .forbid = (forbids), .tail = (next),	\
	},								\
}

const struct s2attr_policy s2attr_policies[S2ATTR_NR_POLICIES] = {
	[S2ATTR_POLICY_LINUX_6_12] = {
		.name = "linux-6.12",
		.tables = S2ATTR_TABLES(vma_flags, linux_6_12,
					NONE, P(MAP_MEMORY), &fault_tail),
	},
	[S2ATTR_POLICY_CACHEABLE_PFNMAP] = {
		.name = "cacheable-pfnmap",
		.tables = S2ATTR_TABLES(vma_flags, cacheable_pfnmap,
					P(SPECIAL_PFN) | P(S1_CACHEABLE), P(FWB_DIC),
					&nc_fault),
	},
	[S2ATTR_POLICY_STRICT] = {
		.name = "strict",
		.tables = S2ATTR_TABLES(strict, strict, NONE, NONE, &nc_fault),
	},
	[S2ATTR_POLICY_FWB_ONLY] = {
		.name = "fwb-only",
		.tables = S2ATTR_TABLES(vma_flags, fwb_only,
					P(SPECIAL_PFN) | P(S1_CACHEABLE), NONE, &nc_fault),
	},
};
