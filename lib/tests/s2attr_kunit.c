// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the KVM/arm64 stage-2 memory attribute engine (s2attr).
 *
 * Three kinds of test:
 *  - every input of every policy (4,096 memslot and 49,152 fault inputs)
 *    against a reference model written here with plain ifs, without
 *    looking at the policy tables: linux-6.12 from the pristine 6.12.117
 *    code, cacheable-pfnmap from upstream, strict and fwb-only from the
 *    specification;
 *  - the properties P1-P11 of the specification, each over the whole
 *    input space;
 *  - named cases a reviewer can check by eye.
 *
 * The same file builds in user space against a small KUnit stand-in
 * (tools/kvm/s2attr/include/kunit/test.h), so `make check-fast` runs these
 * very cases on the host.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include <kvm/s2attr.h>

/* Failures printed in full per test case; the rest are only counted. */
#define S2ATTR_TEST_REPORT	8

/* An outcome, as the engine gives it and as a reference predicts it. */
struct s2attr_test_out {
	int verdict;
	u8 rule;
	u8 memattr;
	bool exec;
	bool wp_read;
	bool sanitise_mte;
};

/* The facts of an input, decoded here, independently of the engine. */
struct s2attr_facts {
	bool fault;
	bool pfnmap, mixedmap, cow, any_uc, mte_allowed, kvm_mte, fwb, dic;
	bool log_dirty, map_memory, perm, write, exec;
	unsigned int memtype;
	/* The derived terms of SPEC section 2. */
	bool special_vma, special_pfn, cacheable_s1, attr_undef, hw_ok;
};

static void s2attr_facts(const struct s2attr_input *in, struct s2attr_facts *f)
{
	u32 fl = in->flags;

	memset(f, 0, sizeof(*f));
	f->fault = in->stage == S2ATTR_STAGE_FAULT;
	f->pfnmap = fl & S2ATTR_IN_PFNMAP;
	f->mixedmap = fl & S2ATTR_IN_MIXEDMAP;
	f->cow = fl & S2ATTR_IN_COW;
	f->any_uc = fl & S2ATTR_IN_ALLOW_ANY_UC;
	f->mte_allowed = fl & S2ATTR_IN_MTE_ALLOWED;
	f->kvm_mte = fl & S2ATTR_IN_KVM_MTE;
	f->fwb = fl & S2ATTR_IN_FWB;
	f->dic = fl & S2ATTR_IN_DIC;
	f->log_dirty = fl & S2ATTR_IN_LOG_DIRTY;
	f->memtype = in->memtype;
	/* The memslot stage has no pfn and no access. */
	if (f->fault) {
		f->map_memory = fl & S2ATTR_IN_MAP_MEMORY;
		f->perm = fl & S2ATTR_IN_PERM;
		f->write = in->access == S2ATTR_ACCESS_WRITE;
		f->exec = in->access == S2ATTR_ACCESS_EXEC;
	}

	f->special_vma = f->pfnmap || f->mixedmap;
	f->special_pfn = f->fault && f->special_vma && !f->map_memory;
	/* kvm_vma_is_cacheable() upstream: every AttrIndx but NC and Device. */
	f->cacheable_s1 = in->memtype != S2ATTR_MT_NORMAL_NC &&
			  in->memtype != S2ATTR_MT_DEVICE_NGNRNE &&
			  in->memtype != S2ATTR_MT_DEVICE_NGNRE;
	f->attr_undef = in->memtype == S2ATTR_MT_ATTR5 || in->memtype == S2ATTR_MT_ATTR6 ||
			in->memtype == S2ATTR_MT_ATTR7;
	/* kvm_supports_cacheable_pfnmap() upstream (0c67288e0c8b). */
	f->hw_ok = f->fwb && f->dic;
}

static void s2attr_ref_refuse(struct s2attr_test_out *o, int err, unsigned int rule)
{
	memset(o, 0, sizeof(*o));
	o->verdict = err;
	o->rule = rule;
}

static void s2attr_ref_accept(struct s2attr_test_out *o)
{
	memset(o, 0, sizeof(*o));
	o->rule = S2ATTR_RULE_accept;
}

static void s2attr_ref_map(struct s2attr_test_out *o, unsigned int rule, u8 memattr,
			   bool exec, bool wp_read, bool sanitise_mte)
{
	o->verdict = 0;
	o->rule = rule;
	o->memattr = memattr;
	o->exec = exec;
	o->wp_read = wp_read;
	o->sanitise_mte = sanitise_mte;
}

/*
 * linux-6.12: pristine 6.12.117, arch/arm64/kvm/mmu.c, rule by rule. Line
 * numbers are those of the Debian linux-source-6.12 6.12.117 tree.
 *
 * wp_read is "map this read or exec fault read-only" (SPEC section 3), as
 * 1568-1574 clear writable only when !write_fault: never set for a write
 * fault. (SPEC 4.1 writes "wp_read = log_dirty && !device" without the
 * access; the tree wins.)
 */
static void s2attr_ref_linux_6_12(const struct s2attr_facts *f, struct s2attr_test_out *o)
{
	bool device, sanitise = false;

	memset(o, 0, sizeof(*o));
	if (!f->fault) {
		/* kvm_arch_prepare_memory_region(), 2083-2141, per VMA: */
		/* 2124-2127: kvm_has_mte(kvm) && !kvm_vma_mte_allowed(vma). */
		if (f->kvm_mte && !f->mte_allowed)
			return s2attr_ref_refuse(o, -EINVAL, S2ATTR_RULE_mte_not_allowed);
		/* 2129-2135: VM_PFNMAP and KVM_MEM_LOG_DIRTY_PAGES. */
		if (f->pfnmap && f->log_dirty)
			return s2attr_ref_refuse(o, -EINVAL, S2ATTR_RULE_dirty_log);
		/* 2136-2141: nothing else looks at the VMA. */
		return s2attr_ref_accept(o);
	}

	/*
	 * user_mem_abort(), 1410-1681. 1438-1441 refuse a read permission
	 * fault (-EFAULT, "Unexpected L2 read permission error") before the
	 * pfn is resolved, so the decision is never asked about one; the
	 * reference gives it what the code from 1443 on would do.
	 *
	 * 1566-1567 with kvm_is_device_pfn() at 192-195: device is
	 * !pfn_is_map_memory(pfn), whatever the VMA is.
	 */
	device = !f->map_memory;
	/* 1576-1577: exec fault on a device pfn. */
	if (f->exec && device)
		return s2attr_ref_refuse(o, -ENOEXEC, S2ATTR_RULE_device_exec);
	/* 1624-1632: the MTE step of a translation fault on a non-device pfn. */
	if (!f->perm && !device && f->kvm_mte) {
		if (!f->mte_allowed)
			return s2attr_ref_refuse(o, -EFAULT, S2ATTR_RULE_mte_not_allowed);
		sanitise = true;
	}
	/*
	 * 1568-1574: writable = false under logging, non-device pfns only.
	 * 1637-1638: X for the exec fault; 1640-1648: Device or Normal-NC
	 * for device pfns (VM_ALLOW_ANY_UNCACHED), else eager X with DIC.
	 */
	if (device)
		return s2attr_ref_map(o, f->any_uc ? S2ATTR_RULE_device_any_uc : S2ATTR_RULE_device,
				      f->any_uc ? S2ATTR_MEMATTR_NC : S2ATTR_MEMATTR_DEVICE,
				      f->exec, false, sanitise);
	return s2attr_ref_map(o, S2ATTR_RULE_normal, S2ATTR_MEMATTR_NORMAL, f->exec || f->dic,
			      f->log_dirty && !f->write, sanitise);
}

/*
 * Variants of cacheable-pfnmap: strict's S3 (VM_MIXEDMAP checked like
 * VM_PFNMAP at the memslot stage), fwb-only (FWB alone as the hardware
 * condition, and its two rules after rule 1), and upstream_memslot, the
 * memslot check of the stage-1 type that 6.17 has and this series drops
 * (SPEC 2: the stage-1 type is the host PTE's at the fault stage; a VMA's
 * vm_page_prot is only the default of its PTEs, see s2attr.rst, "What the
 * stage-1 type is, and where it comes from").
 */
struct s2attr_variant {
	bool s3;
	bool fwb_only;
	bool upstream_memslot;
};

/*
 * cacheable-pfnmap: upstream's user_mem_abort() and
 * kvm_arch_prepare_memory_region() as merged for 6.17 (kvmarm-6.17:
 * 8cc9dc1ae4fb, 216887f79d98, 2a8dfab26677 "KVM: arm64: Block cacheable
 * PFNMAP mapping", 0c67288e0c8b "KVM: arm64: Allow cacheable stage 2
 * mapping using VMA flags"), read at torvalds/linux 1c53a1ae3612.
 */
static void s2attr_ref_cacheable(const struct s2attr_facts *f, const struct s2attr_variant *v,
				 struct s2attr_test_out *o)
{
	bool pfnmap_like = v->s3 ? f->special_vma : f->pfnmap;
	bool hw_ok = v->fwb_only ? f->fwb : f->hw_ok;
	unsigned int hw_rule = v->fwb_only ? S2ATTR_RULE_wb_no_fwb : S2ATTR_RULE_wb_no_fwb_dic;
	bool nc, sanitise = false;

	memset(o, 0, sizeof(*o));
	if (!f->fault) {
		/* kvm_has_mte(kvm) && !kvm_vma_mte_allowed(vma) */
		if (f->kvm_mte && !f->mte_allowed)
			return s2attr_ref_refuse(o, -EINVAL, S2ATTR_RULE_mte_not_allowed);
		/* VM_PFNMAP: "IO region dirty page logging not allowed" */
		if (pfnmap_like && f->log_dirty)
			return s2attr_ref_refuse(o, -EINVAL, S2ATTR_RULE_dirty_log);
		/*
		 * VM_PFNMAP: kvm_vma_is_cacheable() && !kvm_supports_cacheable_pfnmap(),
		 * upstream only.
		 */
		if (v->upstream_memslot && f->pfnmap && f->cacheable_s1 && !hw_ok)
			return s2attr_ref_refuse(o, -EINVAL, hw_rule);
		return s2attr_ref_accept(o);
	}

	/*
	 * (VM_PFNMAP | VM_MIXEDMAP) && !pfn_is_map_memory(pfn): a cacheable
	 * VMA needs kvm_supports_cacheable_pfnmap() or -EFAULT; otherwise
	 * s2_force_noncacheable.
	 */
	if (f->special_pfn && f->cacheable_s1 && !hw_ok)
		return s2attr_ref_refuse(o, -EFAULT, hw_rule);
	if (v->fwb_only && f->special_pfn && f->cacheable_s1) {
		/* SPEC 4.4: never an executable entry without DIC. */
		if (f->exec && !f->dic)
			return s2attr_ref_refuse(o, -ENOEXEC, S2ATTR_RULE_wb_exec_no_dic);
		/* SPEC 4.4: sanitise_mte_tags() needs a kernel VA. */
		if (f->kvm_mte)
			return s2attr_ref_refuse(o, -EFAULT, S2ATTR_RULE_mte_special);
	}
	nc = f->special_pfn && !f->cacheable_s1;
	/* exec_fault && s2_force_noncacheable: -ENOEXEC */
	if (f->exec && nc)
		return s2attr_ref_refuse(o, -ENOEXEC, S2ATTR_RULE_nc_exec);
	/* !fault_is_perm && !s2_force_noncacheable && kvm_has_mte(kvm) */
	if (!f->perm && !nc && f->kvm_mte) {
		if (!f->mte_allowed)
			return s2attr_ref_refuse(o, -EFAULT, S2ATTR_RULE_mte_not_allowed);
		sanitise = true;
	}
	/*
	 * writable = false under logging (!write_fault only) is the else
	 * branch of the special pfn test: never for a special pfn. X for the exec
	 * fault; NC/Device for s2_force_noncacheable, else eager X with DIC.
	 */
	if (nc)
		return s2attr_ref_map(o, f->any_uc ? S2ATTR_RULE_nc_any_uc : S2ATTR_RULE_nc_device,
				      f->any_uc ? S2ATTR_MEMATTR_NC : S2ATTR_MEMATTR_DEVICE,
				      f->exec, false, sanitise);
	return s2attr_ref_map(o, S2ATTR_RULE_normal, S2ATTR_MEMATTR_NORMAL, f->exec || f->dic,
			      f->log_dirty && !f->write && !f->special_pfn, sanitise);
}

/* strict: SPEC 4.3, S1, S4, S2, S5 in that order, then cacheable-pfnmap with S3. */
static void s2attr_ref_strict(const struct s2attr_facts *f, struct s2attr_test_out *o)
{
	static const struct s2attr_variant s3 = { .s3 = true };
	int err = f->fault ? -EFAULT : -EINVAL;

	/* S1: the seed's COW check, at both stages. */
	if (f->pfnmap && f->cow)
		return s2attr_ref_refuse(o, err, S2ATTR_RULE_pfnmap_cow);
	if (!f->fault) {
		/* S4 has no memslot check: the stage-1 type is the PTE's. */
		/* S2 */
		if (f->kvm_mte && f->special_vma)
			return s2attr_ref_refuse(o, err, S2ATTR_RULE_mte_special);
	} else {
		/* S4 */
		if (f->special_pfn && f->attr_undef)
			return s2attr_ref_refuse(o, err, S2ATTR_RULE_attr_undef);
		/* S2, whatever mte_allowed says. */
		if (f->kvm_mte && f->special_pfn && f->cacheable_s1)
			return s2attr_ref_refuse(o, err, S2ATTR_RULE_mte_special);
		/* S5: the memslot check is not the guard. */
		if (f->special_pfn && f->log_dirty)
			return s2attr_ref_refuse(o, err, S2ATTR_RULE_dirty_log);
	}
	s2attr_ref_cacheable(f, &s3, o);
}

static void s2attr_reference(enum s2attr_policy_id id, const struct s2attr_input *in,
			     struct s2attr_test_out *o)
{
	static const struct s2attr_variant upstream = { };
	static const struct s2attr_variant fwb_only = { .fwb_only = true };
	struct s2attr_facts f;

	s2attr_facts(in, &f);
	switch (id) {
	case S2ATTR_POLICY_LINUX_6_12:
		return s2attr_ref_linux_6_12(&f, o);
	case S2ATTR_POLICY_CACHEABLE_PFNMAP:
		return s2attr_ref_cacheable(&f, &upstream, o);
	case S2ATTR_POLICY_STRICT:
		return s2attr_ref_strict(&f, o);
	case S2ATTR_POLICY_FWB_ONLY:
		return s2attr_ref_cacheable(&f, &fwb_only, o);
	default:
		return s2attr_ref_refuse(o, -EINVAL, S2ATTR_RULE_bad_input);
	}
}

/* ---- Running the engine and describing inputs and outcomes ---------------- */

static int s2attr_run(const struct s2attr_policy *policy, const struct s2attr_input *in,
		      struct s2attr_test_out *o)
{
	struct s2attr_output out;

	/* Poison, so that a field the engine forgets to clear shows. */
	memset(&out, 0xa5, sizeof(out));
	o->verdict = s2attr_decide(policy, in, &out);
	o->rule = out.rule;
	o->memattr = out.memattr;
	o->exec = out.exec;
	o->wp_read = out.wp_read;
	o->sanitise_mte = out.sanitise_mte;
	return o->verdict;
}

static bool s2attr_same_outcome(const struct s2attr_test_out *a, const struct s2attr_test_out *b)
{
	return a->verdict == b->verdict && a->memattr == b->memattr && a->exec == b->exec &&
	       a->wp_read == b->wp_read && a->sanitise_mte == b->sanitise_mte;
}

static bool s2attr_same(const struct s2attr_test_out *a, const struct s2attr_test_out *b)
{
	return s2attr_same_outcome(a, b) && a->rule == b->rule;
}

static const char *const s2attr_memtype_names[S2ATTR_NR_MEMTYPES] = {
	"normal", "tagged", "nc", "nGnRnE", "nGnRE", "attr5", "attr6", "attr7",
};

static const char *const s2attr_access_names[S2ATTR_NR_ACCESSES] = {
	"read", "write", "exec",
};

static const char *s2attr_verdict_name(int verdict)
{
	switch (verdict) {
	case 0:
		return "map";
	case -EINVAL:
		return "EINVAL";
	case -EFAULT:
		return "EFAULT";
	case -ENOEXEC:
		return "ENOEXEC";
	default:
		return "?";
	}
}

static const char *s2attr_memattr_name(unsigned int memattr)
{
	static const char *const names[S2ATTR_NR_MEMATTRS] = { "normal", "nc", "device" };

	return memattr < S2ATTR_NR_MEMATTRS ? names[memattr] : "?";
}

#define S2ATTR_TEST_IN_LEN	224
#define S2ATTR_TEST_OUT_LEN	112

#define S2ATTR_F(in, flag)	(!!((in)->flags & S2ATTR_IN_##flag))

/* "fault pfnmap=1 mixedmap=0 ... access=exec perm=0", for messages. */
static const char *s2attr_in_str(const struct s2attr_input *in, char *buf)
{
	snprintf(buf, S2ATTR_TEST_IN_LEN,
		 "%s pfnmap=%d mixedmap=%d cow=%d allow_any_uc=%d mte_allowed=%d memtype=%s kvm_mte=%d fwb=%d dic=%d log_dirty=%d map_memory=%d access=%s perm=%d flags=%#x",
		 in->stage == S2ATTR_STAGE_MEMSLOT ? "memslot" :
		 in->stage == S2ATTR_STAGE_FAULT ? "fault" : "stage?",
		 S2ATTR_F(in, PFNMAP), S2ATTR_F(in, MIXEDMAP), S2ATTR_F(in, COW),
		 S2ATTR_F(in, ALLOW_ANY_UC), S2ATTR_F(in, MTE_ALLOWED),
		 in->memtype < S2ATTR_NR_MEMTYPES ? s2attr_memtype_names[in->memtype] : "?",
		 S2ATTR_F(in, KVM_MTE), S2ATTR_F(in, FWB), S2ATTR_F(in, DIC),
		 S2ATTR_F(in, LOG_DIRTY), S2ATTR_F(in, MAP_MEMORY),
		 in->access < S2ATTR_NR_ACCESSES ? s2attr_access_names[in->access] : "?",
		 S2ATTR_F(in, PERM), in->flags);
	return buf;
}

static const char *s2attr_out_str(const struct s2attr_test_out *o, char *buf)
{
	snprintf(buf, S2ATTR_TEST_OUT_LEN,
		 "%s rule=%s memattr=%s exec=%d wp_read=%d sanitise_mte=%d",
		 s2attr_verdict_name(o->verdict), s2attr_rule_name(o->rule),
		 s2attr_memattr_name(o->memattr), o->exec, o->wp_read, o->sanitise_mte);
	return buf;
}

/* Failure accounting, so that a broken table does not flood the log. */
struct s2attr_fails {
	struct kunit *test;
	unsigned int count;
};

/* One failure: what was expected, for which input, and what came out. */
static void s2attr_fail(struct s2attr_fails *fails, const struct s2attr_policy *policy,
			const char *what, const struct s2attr_input *in,
			const struct s2attr_test_out *got, const struct s2attr_test_out *want)
{
	char ins[S2ATTR_TEST_IN_LEN], gots[S2ATTR_TEST_OUT_LEN], wants[S2ATTR_TEST_OUT_LEN];

	if (++fails->count > S2ATTR_TEST_REPORT)
		return;
	s2attr_in_str(in, ins);
	s2attr_out_str(got, gots);
	if (want)
		s2attr_out_str(want, wants);
	KUNIT_FAIL(fails->test, "%s: %s\n\tinput: %s\n\tgot:   %s%s%s",
		   policy ? s2attr_policy_name(policy) : "(no policy)", what, ins, gots,
		   want ? "\n\twant:  " : "", want ? wants : "");
}

static void s2attr_fails_done(struct s2attr_fails *fails)
{
	if (fails->count > S2ATTR_TEST_REPORT)
		KUNIT_FAIL(fails->test, "... and %u more failures not shown",
			   fails->count - S2ATTR_TEST_REPORT);
}

static u32 s2attr_nr_inputs(enum s2attr_stage stage)
{
	return stage == S2ATTR_STAGE_MEMSLOT ? S2ATTR_MEMSLOT_INPUTS : S2ATTR_FAULT_INPUTS;
}

/* ---- Every input against the reference models ----------------------------- */

static void s2attr_test_against_reference(struct kunit *test, enum s2attr_policy_id id)
{
	const struct s2attr_policy *policy = s2attr_policy(id);
	struct s2attr_fails fails = { .test = test };
	struct s2attr_test_out want, got;
	struct s2attr_input in;
	unsigned int stage;
	u32 n, checked = 0;

	KUNIT_EXPECT_TRUE_MSG(test, policy, "no policy number %d", id);
	if (!policy)
		return;
	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		for (n = 0; n < s2attr_nr_inputs(stage); n++) {
			s2attr_input_nth(stage, n, &in);
			s2attr_reference(id, &in, &want);
			s2attr_run(policy, &in, &got);
			if (!s2attr_same(&got, &want))
				s2attr_fail(&fails, policy, "differs from the reference model",
					    &in, &got, &want);
			checked++;
		}
	}
	s2attr_fails_done(&fails);
	KUNIT_EXPECT_EQ(test, checked, S2ATTR_MEMSLOT_INPUTS + S2ATTR_FAULT_INPUTS);
}

static void s2attr_test_linux_6_12_reference(struct kunit *test)
{
	s2attr_test_against_reference(test, S2ATTR_POLICY_LINUX_6_12);
}

static void s2attr_test_cacheable_pfnmap_reference(struct kunit *test)
{
	s2attr_test_against_reference(test, S2ATTR_POLICY_CACHEABLE_PFNMAP);
}

static void s2attr_test_strict_reference(struct kunit *test)
{
	s2attr_test_against_reference(test, S2ATTR_POLICY_STRICT);
}

static void s2attr_test_fwb_only_reference(struct kunit *test)
{
	s2attr_test_against_reference(test, S2ATTR_POLICY_FWB_ONLY);
}

/* ---- Properties over the whole fault stage -------------------------------- */

/*
 * One property of one mapped or refused fault: returns NULL when it holds,
 * otherwise what it asks for. @read is the outcome of the same input with
 * access=read.
 */
typedef const char *(*s2attr_fault_prop)(enum s2attr_policy_id id,
					 const struct s2attr_facts *f,
					 const struct s2attr_test_out *o,
					 const struct s2attr_test_out *read);

static void s2attr_check_faults(struct kunit *test, s2attr_fault_prop prop)
{
	struct s2attr_fails fails = { .test = test };
	struct s2attr_test_out o, read;
	struct s2attr_input in, rin;
	struct s2attr_facts f;
	enum s2attr_policy_id id;
	const char *what;
	u32 n;

	for (id = 0; id < S2ATTR_NR_POLICIES; id++) {
		const struct s2attr_policy *policy = s2attr_policy(id);

		for (n = 0; n < S2ATTR_FAULT_INPUTS; n++) {
			s2attr_input_nth(S2ATTR_STAGE_FAULT, n, &in);
			s2attr_facts(&in, &f);
			s2attr_run(policy, &in, &o);
			rin = in;
			rin.access = S2ATTR_ACCESS_READ;
			s2attr_run(policy, &rin, &read);
			what = prop(id, &f, &o, &read);
			if (what)
				s2attr_fail(&fails, policy, what, &in, &o, NULL);
		}
	}
	s2attr_fails_done(&fails);
}

static bool s2attr_maps(const struct s2attr_test_out *o, unsigned int memattr)
{
	return !o->verdict && o->memattr == memattr;
}

static const char *s2attr_p1(enum s2attr_policy_id id, const struct s2attr_facts *f,
			     const struct s2attr_test_out *o, const struct s2attr_test_out *read)
{
	if (f->special_pfn && !f->cacheable_s1 && s2attr_maps(o, S2ATTR_MEMATTR_NORMAL))
		return "P1: a special pfn that stage 1 maps non-cacheable is mapped Normal";
	return NULL;
}

/* P1. No policy maps a special pfn whose S1 type is non-cacheable as Normal. */
static void s2attr_test_p1_noncacheable_stays(struct kunit *test)
{
	s2attr_check_faults(test, s2attr_p1);
}

static const char *s2attr_p2(enum s2attr_policy_id id, const struct s2attr_facts *f,
			     const struct s2attr_test_out *o, const struct s2attr_test_out *read)
{
	if (id == S2ATTR_POLICY_LINUX_6_12)
		return NULL;
	if (f->special_pfn && f->cacheable_s1 && !o->verdict &&
	    o->memattr != S2ATTR_MEMATTR_NORMAL)
		return "P2: a special pfn that stage 1 maps cacheable is demoted to NC/Device";
	return NULL;
}

/*
 * P2. cacheable-pfnmap, strict and fwb-only never demote a cacheable special
 * pfn; linux-6.12 does (the bug the series fixes), so it must show it too.
 */
static void s2attr_test_p2_cacheable_not_demoted(struct kunit *test)
{
	const struct s2attr_policy *l612 = s2attr_policy(S2ATTR_POLICY_LINUX_6_12);
	struct s2attr_test_out o;
	struct s2attr_input in;
	struct s2attr_facts f;
	u32 n, demoted = 0;

	s2attr_check_faults(test, s2attr_p2);
	for (n = 0; n < S2ATTR_FAULT_INPUTS; n++) {
		s2attr_input_nth(S2ATTR_STAGE_FAULT, n, &in);
		s2attr_facts(&in, &f);
		s2attr_run(l612, &in, &o);
		if (f.special_pfn && f.cacheable_s1 && !o.verdict &&
		    o.memattr != S2ATTR_MEMATTR_NORMAL)
			demoted++;
	}
	KUNIT_EXPECT_GT_MSG(test, demoted, 0,
			    "linux-6.12 should demote cacheable special pfns to Device/NC");
}

static const char *s2attr_p3(enum s2attr_policy_id id, const struct s2attr_facts *f,
			     const struct s2attr_test_out *o, const struct s2attr_test_out *read)
{
	if (!f->special_pfn || !s2attr_maps(o, S2ATTR_MEMATTR_NORMAL))
		return NULL;
	if (id != S2ATTR_POLICY_FWB_ONLY)
		return f->hw_ok ? NULL : "P3: a special pfn mapped Normal without FWB && DIC";
	if (!f->fwb)
		return "P3: fwb-only maps a special pfn Normal without FWB";
	if (o->exec && !f->dic)
		return "P3: fwb-only makes a Normal special pfn executable without DIC";
	return NULL;
}

/* P3. Normal for a special pfn only with FWB && DIC (fwb-only: FWB, X with DIC). */
static void s2attr_test_p3_normal_needs_hw(struct kunit *test)
{
	s2attr_check_faults(test, s2attr_p3);
}

static const char *s2attr_p4(enum s2attr_policy_id id, const struct s2attr_facts *f,
			     const struct s2attr_test_out *o, const struct s2attr_test_out *read)
{
	if (!o->verdict && o->exec && o->memattr != S2ATTR_MEMATTR_NORMAL)
		return "P4: an NC or Device entry is executable";
	if (f->exec && !read->verdict && read->memattr != S2ATTR_MEMATTR_NORMAL &&
	    o->verdict != -ENOEXEC)
		return "P4: an exec fault on memory a read maps NC/Device is not -ENOEXEC";
	if (f->exec && !o->verdict && !o->exec)
		return "P4: a mapped exec fault is not executable";
	return NULL;
}

/*
 * P4. X never with NC or Device; an exec fault on memory that the same input
 * with access=read maps NC or Device is -ENOEXEC (and a mapped exec fault is
 * executable, SPEC section 3).
 */
static void s2attr_test_p4_no_exec_noncacheable(struct kunit *test)
{
	s2attr_check_faults(test, s2attr_p4);
}

static const char *s2attr_p5(enum s2attr_policy_id id, const struct s2attr_facts *f,
			     const struct s2attr_test_out *o, const struct s2attr_test_out *read)
{
	if (o->sanitise_mte && (o->verdict || o->memattr != S2ATTR_MEMATTR_NORMAL ||
				!f->kvm_mte || !f->mte_allowed || f->perm))
		return "P5: sanitise_mte without Normal, kvm_mte, mte_allowed, !perm";
	return NULL;
}

/* P5. sanitise_mte only with Normal, kvm_mte, mte_allowed and !perm. */
static void s2attr_test_p5_sanitise_mte(struct kunit *test)
{
	s2attr_check_faults(test, s2attr_p5);
}

static const char *s2attr_p9(enum s2attr_policy_id id, const struct s2attr_facts *f,
			     const struct s2attr_test_out *o, const struct s2attr_test_out *read)
{
	if ((id == S2ATTR_POLICY_STRICT || id == S2ATTR_POLICY_FWB_ONLY) &&
	    f->special_pfn && o->sanitise_mte)
		return "P9: asks to sanitise the MTE tags of a special pfn";
	return NULL;
}

/* P9. strict and fwb-only never sanitise the tags of a special pfn. */
static void s2attr_test_p9_no_tags_special(struct kunit *test)
{
	s2attr_check_faults(test, s2attr_p9);
}

static const char *s2attr_p10(enum s2attr_policy_id id, const struct s2attr_facts *f,
			      const struct s2attr_test_out *o, const struct s2attr_test_out *read)
{
	if (s2attr_maps(o, S2ATTR_MEMATTR_NORMAL) && !f->special_pfn &&
	    o->wp_read != (f->log_dirty && !f->write))
		return "P10: wp_read differs from log_dirty for ordinary Normal memory";
	return NULL;
}

/*
 * P10. For Normal memory that is not a special pfn, wp_read = log_dirty for
 * read and exec faults; a write fault is logged by the fault itself
 * (mark_page_dirty_in_slot()) and never has wp_read.
 */
static void s2attr_test_p10_exact_dirty_log(struct kunit *test)
{
	s2attr_check_faults(test, s2attr_p10);
}

/* Also a consequence of SPEC section 3: nothing but a mapped fault has outputs. */
static const char *s2attr_quiet(enum s2attr_policy_id id, const struct s2attr_facts *f,
				const struct s2attr_test_out *o, const struct s2attr_test_out *read)
{
	if (o->verdict && (o->memattr || o->exec || o->wp_read || o->sanitise_mte))
		return "a refused fault has outputs other than the rule";
	return NULL;
}

static void s2attr_test_refusal_has_no_outputs(struct kunit *test)
{
	struct s2attr_fails fails = { .test = test };
	enum s2attr_policy_id id;
	struct s2attr_test_out o;
	struct s2attr_input in;
	u32 n;

	s2attr_check_faults(test, s2attr_quiet);
	for (id = 0; id < S2ATTR_NR_POLICIES; id++) {
		for (n = 0; n < S2ATTR_MEMSLOT_INPUTS; n++) {
			s2attr_input_nth(S2ATTR_STAGE_MEMSLOT, n, &in);
			s2attr_run(s2attr_policy(id), &in, &o);
			if (o.memattr || o.exec || o.wp_read || o.sanitise_mte)
				s2attr_fail(&fails, s2attr_policy(id),
					    "a memslot decision has fault outputs", &in, &o, NULL);
		}
	}
	s2attr_fails_done(&fails);
}

/* ---- P6: inputs that do not matter ------------------------------------------ */

/*
 * P6. memtype and allow_any_uc do not matter for non-special memory: vary
 * one input with both at zero over every memtype, each with and without
 * allow_any_uc, as far as the policy says they do not matter for it.
 * Returns the number of variants tried.
 */
static u32 s2attr_p6_vary_mt_uc(struct s2attr_fails *fails, enum s2attr_policy_id id,
				const struct s2attr_input *in)
{
	const struct s2attr_policy *policy = s2attr_policy(id);
	bool l612 = id == S2ATTR_POLICY_LINUX_6_12;
	struct s2attr_test_out base, o;
	struct s2attr_input v;
	struct s2attr_facts f;
	bool free_mt, free_uc;
	unsigned int i, mt, uc;
	u32 varied = 0;

	s2attr_facts(in, &f);
	if (in->stage == S2ATTR_STAGE_MEMSLOT) {
		/*
		 * No memslot check reads VM_ALLOW_ANY_UNCACHED, nor the stage-1
		 * type: a VMA's vm_page_prot is only the default of its PTEs.
		 */
		free_uc = true;
		free_mt = true;
	} else {
		/* linux-6.12: ANY_UC for every pfn outside the linear map. */
		free_uc = l612 ? f.map_memory : !f.special_pfn;
		/* linux-6.12 never looks at the stage-1 type. */
		free_mt = l612 || !f.special_pfn;
	}
	s2attr_run(policy, in, &base);
	/* Each alone, and both together. */
	for (i = 0; i < 2 * S2ATTR_NR_MEMTYPES; i++) {
		mt = i / 2;
		uc = i % 2;
		if ((mt && !free_mt) || (uc && !free_uc))
			continue;
		v = *in;
		v.memtype = mt;
		v.flags |= uc ? S2ATTR_IN_ALLOW_ANY_UC : 0;
		s2attr_run(policy, &v, &o);
		varied++;
		if (!s2attr_same(&o, &base))
			s2attr_fail(fails, policy, "P6: memtype/allow_any_uc matter",
				    &v, &o, &base);
	}
	return varied;
}

static void s2attr_test_p6_memtype_any_uc(struct kunit *test)
{
	struct s2attr_fails fails = { .test = test };
	enum s2attr_policy_id id;
	struct s2attr_input in;
	unsigned int stage;
	u32 n, varied = 0;

	for (id = 0; id < S2ATTR_NR_POLICIES; id++) {
		for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
			for (n = 0; n < s2attr_nr_inputs(stage); n++) {
				s2attr_input_nth(stage, n, &in);
				if (!in.memtype && !(in.flags & S2ATTR_IN_ALLOW_ANY_UC))
					varied += s2attr_p6_vary_mt_uc(&fails, id, &in);
			}
		}
	}
	s2attr_fails_done(&fails);
	KUNIT_EXPECT_GT(test, varied, 0);
}

/* P6. cow does not matter outside strict, at either stage. */
static void s2attr_test_p6_cow(struct kunit *test)
{
	struct s2attr_fails fails = { .test = test };
	struct s2attr_test_out base, o;
	struct s2attr_input in;
	enum s2attr_policy_id id;
	unsigned int stage;
	u32 n;

	for (id = 0; id < S2ATTR_NR_POLICIES; id++) {
		const struct s2attr_policy *policy = s2attr_policy(id);

		if (id == S2ATTR_POLICY_STRICT)
			continue;
		for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
			for (n = 0; n < s2attr_nr_inputs(stage); n++) {
				s2attr_input_nth(stage, n, &in);
				if (in.flags & S2ATTR_IN_COW)
					continue;
				s2attr_run(policy, &in, &base);
				in.flags |= S2ATTR_IN_COW;
				s2attr_run(policy, &in, &o);
				if (!s2attr_same(&o, &base))
					s2attr_fail(&fails, policy, "P6: cow changes the outcome",
						    &in, &o, &base);
			}
		}
	}
	s2attr_fails_done(&fails);
}

/*
 * P6. map_memory, access and perm do not matter at the memslot stage: each
 * alone and all together, every one of the 2 * 2 * 3 combinations.
 */
static void s2attr_test_p6_memslot_fault_inputs(struct kunit *test)
{
	struct s2attr_fails fails = { .test = test };
	struct s2attr_test_out base, o;
	struct s2attr_input in, v;
	enum s2attr_policy_id id;
	unsigned int i;
	u32 n, varied = 0;

	for (id = 0; id < S2ATTR_NR_POLICIES; id++) {
		for (n = 0; n < S2ATTR_MEMSLOT_INPUTS; n++) {
			s2attr_input_nth(S2ATTR_STAGE_MEMSLOT, n, &in);
			s2attr_run(s2attr_policy(id), &in, &base);
			/* i: bit 0 map_memory, bit 1 perm, i / 4 the access. */
			for (i = 0; i < 4 * S2ATTR_NR_ACCESSES; i++) {
				v = in;
				v.flags |= (i & 1 ? S2ATTR_IN_MAP_MEMORY : 0) |
					   (i & 2 ? S2ATTR_IN_PERM : 0);
				v.access = i / 4;
				s2attr_run(s2attr_policy(id), &v, &o);
				varied++;
				if (!s2attr_same(&o, &base))
					s2attr_fail(&fails, s2attr_policy(id),
						    "P6: map_memory/access/perm matter at the memslot",
						    &v, &o, &base);
			}
		}
	}
	s2attr_fails_done(&fails);
	KUNIT_EXPECT_EQ(test, varied, S2ATTR_NR_POLICIES * S2ATTR_MEMSLOT_INPUTS * 12);
}

/*
 * P6. At the fault stage log_dirty changes only wp_read, except through
 * strict's S5 (a special pfn under a logging memslot is refused).
 */
static void s2attr_test_p6_fault_log_dirty(struct kunit *test)
{
	struct s2attr_fails fails = { .test = test };
	struct s2attr_test_out base, o;
	struct s2attr_input in;
	struct s2attr_facts f;
	enum s2attr_policy_id id;
	u32 n, s5 = 0;

	for (id = 0; id < S2ATTR_NR_POLICIES; id++) {
		const struct s2attr_policy *policy = s2attr_policy(id);

		for (n = 0; n < S2ATTR_FAULT_INPUTS; n++) {
			s2attr_input_nth(S2ATTR_STAGE_FAULT, n, &in);
			if (in.flags & S2ATTR_IN_LOG_DIRTY)
				continue;
			s2attr_run(policy, &in, &base);
			in.flags |= S2ATTR_IN_LOG_DIRTY;
			s2attr_facts(&in, &f);
			s2attr_run(policy, &in, &o);
			if (id == S2ATTR_POLICY_STRICT && f.special_pfn &&
			    o.verdict == -EFAULT && o.rule == S2ATTR_RULE_dirty_log) {
				s5++;
				continue;
			}
			if (o.verdict != base.verdict || o.rule != base.rule ||
			    o.memattr != base.memattr || o.exec != base.exec ||
			    o.sanitise_mte != base.sanitise_mte)
				s2attr_fail(&fails, policy,
					    "P6: log_dirty changes more than wp_read",
					    &in, &o, &base);
		}
	}
	s2attr_fails_done(&fails);
	KUNIT_EXPECT_GT_MSG(test, s5, 0, "strict's S5 never refused a logging special pfn");
}

/* ---- P7: every row decides, every input is decided, every grant bites ------ */

#define S2ATTR_TEST_MAX_ROWS	64

/* What the outputs of mapped faults show of the grants. */
struct s2attr_grant_seen {
	u32 x_exec, no_x_read, eager, no_eager, wp, no_wp, mte, no_mte;
};

static void s2attr_p7_grants(struct s2attr_grant_seen *g, const struct s2attr_facts *f,
			     const struct s2attr_test_out *o)
{
	if (!f->fault || o->verdict)
		return;
	/* exec_fault: without DIC nothing else can give X. */
	g->x_exec += f->exec && !f->dic && o->exec;
	g->no_x_read += !f->exec && !f->dic && !o->exec;
	/* eager_x: X for an access that is not an instruction fetch. */
	g->eager += !f->exec && o->exec;
	g->no_eager += !f->exec && !o->exec;
	g->wp += o->wp_read;
	g->no_wp += !o->wp_read;
	g->mte += o->sanitise_mte;
	g->no_mte += !o->sanitise_mte;
}

/*
 * Walk one table with s2attr_policy_rule(), the shared tail included: every
 * row decides some input, and every input is decided by a row of it.
 * @decided counts the inputs each rule decided.
 */
static void s2attr_p7_table(struct kunit *test, const struct s2attr_policy *policy,
			    unsigned int stage, const u32 *decided)
{
	const char *name = s2attr_policy_name(policy);
	bool in_table[S2ATTR_NR_RULES] = { false };
	unsigned int row;
	int rule;

	for (row = 0; (rule = s2attr_policy_rule(policy, stage, row)) >= 0; row++) {
		if (row >= S2ATTR_TEST_MAX_ROWS || rule >= S2ATTR_NR_RULES) {
			KUNIT_FAIL(test, "%s stage %u row %u: rule %d, or no end", name, stage,
				   row, rule);
			break;
		}
		/* out.rule names the row only if no other row has its name. */
		KUNIT_EXPECT_FALSE_MSG(test, in_table[rule], "%s stage %u row %u: %s stands twice",
				       name, stage, row, s2attr_rule_name(rule));
		in_table[rule] = true;
		KUNIT_EXPECT_GT_MSG(test, decided[rule], 0,
				    "%s stage %u row %u: %s decides no input (dead or shadowed)",
				    name, stage, row, s2attr_rule_name(rule));
	}
	KUNIT_EXPECT_GT_MSG(test, row, 0, "%s stage %u: empty table", name, stage);

	/* Total: every input decided by a row of this table. */
	for (rule = 0; rule < S2ATTR_NR_RULES; rule++)
		KUNIT_EXPECT_FALSE_MSG(test, decided[rule] && !in_table[rule],
				       "%s stage %u: %u inputs decided by %s, not in the table",
				       name, stage, decided[rule], s2attr_rule_name(rule));
	KUNIT_EXPECT_EQ_MSG(test, decided[S2ATTR_RULE_no_rule], 0,
			    "%s stage %u: inputs no row decides", name, stage);
	KUNIT_EXPECT_EQ_MSG(test, decided[S2ATTR_RULE_bad_input], 0,
			    "%s stage %u: valid inputs refused as bad", name, stage);
}

/*
 * P7. Every row of every table decides at least one input, every input is
 * decided, and every grant applies to some mapped fault and not to another.
 */
static void s2attr_test_p7_rows_and_grants(struct kunit *test)
{
	enum s2attr_policy_id id;
	unsigned int stage;

	for (id = 0; id < S2ATTR_NR_POLICIES; id++) {
		const struct s2attr_policy *policy = s2attr_policy(id);
		const char *name = s2attr_policy_name(policy);
		struct s2attr_grant_seen g = { 0 };

		for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
			u32 decided[S2ATTR_NR_RULES] = { 0 };
			struct s2attr_test_out o;
			struct s2attr_input in;
			struct s2attr_facts f;
			u32 n;

			for (n = 0; n < s2attr_nr_inputs(stage); n++) {
				s2attr_input_nth(stage, n, &in);
				s2attr_facts(&in, &f);
				s2attr_run(policy, &in, &o);
				if (o.rule < S2ATTR_NR_RULES)
					decided[o.rule]++;
				s2attr_p7_grants(&g, &f, &o);
			}
			s2attr_p7_table(test, policy, stage, decided);
		}

		KUNIT_EXPECT_GT_MSG(test, g.x_exec, 0, "%s: exec_fault never applies", name);
		KUNIT_EXPECT_GT_MSG(test, g.no_x_read, 0, "%s: exec_fault applies to reads", name);
		KUNIT_EXPECT_GT_MSG(test, g.eager, 0, "%s: eager_x never applies", name);
		KUNIT_EXPECT_GT_MSG(test, g.no_eager, 0, "%s: eager_x always applies", name);
		KUNIT_EXPECT_GT_MSG(test, g.wp, 0, "%s: dirty_log_wp never applies", name);
		KUNIT_EXPECT_GT_MSG(test, g.no_wp, 0, "%s: dirty_log_wp always applies", name);
		KUNIT_EXPECT_GT_MSG(test, g.mte, 0, "%s: mte_sanitise never applies", name);
		KUNIT_EXPECT_GT_MSG(test, g.no_mte, 0, "%s: mte_sanitise always applies", name);
	}
}

/* ---- P8: what the series changes against 6.12 ------------------------------- */

/*
 * The inputs on which cacheable-pfnmap and linux-6.12 differ, as the
 * documentation lists them, written from SPEC 4.1/4.2 and upstream:
 *  - memslot: none (upstream 6.17 refuses a cacheable VM_PFNMAP VMA
 *    without FWB && DIC; this series does not, see the next test);
 *  - fault, a special pfn that stage 1 maps cacheable: 6.12 maps it Device
 *    or NC (or -ENOEXEC), now Normal with FWB && DIC, else -EFAULT;
 *  - fault, a pfn outside the linear map behind a non-special VMA (devdax):
 *    6.12 maps it Device or NC with no write protection under logging, now
 *    it is ordinary memory: Normal, MTE step, eager X, wp_read.
 * Nothing else differs: non-cacheable special pfns and every pfn in the
 * linear map keep their 6.12 outcome.
 */
static bool s2attr_p8_listed(const struct s2attr_facts *f)
{
	if (!f->fault)
		return false;
	if (f->map_memory)
		return false;
	return f->special_vma ? f->cacheable_s1 : true;
}

static void s2attr_test_p8_difference(struct kunit *test)
{
	const struct s2attr_policy *l612 = s2attr_policy(S2ATTR_POLICY_LINUX_6_12);
	const struct s2attr_policy *cpfn = s2attr_policy(S2ATTR_POLICY_CACHEABLE_PFNMAP);
	struct s2attr_fails fails = { .test = test };
	struct s2attr_test_out a, b;
	struct s2attr_input in;
	struct s2attr_facts f;
	u32 n, diff[S2ATTR_NR_STAGES] = { 0 };
	unsigned int stage;
	const char *what;
	bool differs;

	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		for (n = 0; n < s2attr_nr_inputs(stage); n++) {
			s2attr_input_nth(stage, n, &in);
			s2attr_facts(&in, &f);
			s2attr_run(l612, &in, &a);
			s2attr_run(cpfn, &in, &b);
			differs = !s2attr_same_outcome(&a, &b);
			diff[stage] += differs;
			if (differs == s2attr_p8_listed(&f))
				continue;
			what = differs ? "P8: differs from linux-6.12, not listed" :
					 "P8: listed, but same as linux-6.12";
			s2attr_fail(&fails, cpfn, what, &in, &b, &a);
		}
	}
	s2attr_fails_done(&fails);
	kunit_info(test, "cacheable-pfnmap - linux-6.12: %u memslot, %u fault inputs\n",
		   diff[S2ATTR_STAGE_MEMSLOT], diff[S2ATTR_STAGE_FAULT]);
	KUNIT_EXPECT_EQ(test, diff[S2ATTR_STAGE_MEMSLOT], 0);
	KUNIT_EXPECT_GT(test, diff[S2ATTR_STAGE_FAULT], 0);
}

/*
 * The one departure of cacheable-pfnmap and fwb-only from their upstream
 * model: the memslot check of the stage-1 type is gone. Against the
 * reference with that check (6.17's kvm_arch_prepare_memory_region()),
 * they differ exactly on the memslot inputs it refused and no earlier
 * check did: VM_PFNMAP, cacheable vm_page_prot, no MTE refusal, no dirty
 * logging, and not the hardware the policy needs. Nothing at the fault.
 */
static bool s2attr_departure_listed(enum s2attr_policy_id id, const struct s2attr_facts *f)
{
	bool hw = id == S2ATTR_POLICY_FWB_ONLY ? f->fwb : f->fwb && f->dic;

	return !f->fault && f->pfnmap && f->cacheable_s1 && !hw && !f->log_dirty &&
	       (f->mte_allowed || !f->kvm_mte);
}

static void s2attr_test_departure_from_6_17(struct kunit *test)
{
	static const enum s2attr_policy_id ids[] = {
		S2ATTR_POLICY_CACHEABLE_PFNMAP, S2ATTR_POLICY_FWB_ONLY,
	};
	struct s2attr_fails fails = { .test = test };
	struct s2attr_variant v = { .upstream_memslot = true };
	const struct s2attr_policy *policy;
	struct s2attr_test_out o, up;
	struct s2attr_input in;
	struct s2attr_facts f;
	unsigned int i, stage;
	u32 n, diff;
	bool differs;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		policy = s2attr_policy(ids[i]);
		v.fwb_only = ids[i] == S2ATTR_POLICY_FWB_ONLY;
		diff = 0;
		for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
			for (n = 0; n < s2attr_nr_inputs(stage); n++) {
				s2attr_input_nth(stage, n, &in);
				s2attr_facts(&in, &f);
				s2attr_ref_cacheable(&f, &v, &up);
				s2attr_run(policy, &in, &o);
				differs = !s2attr_same(&o, &up);
				diff += differs;
				if (differs != s2attr_departure_listed(ids[i], &f))
					s2attr_fail(&fails, policy, differs ?
						    "differs from 6.17, not listed" :
						    "listed, but same as 6.17", &in, &o, &up);
			}
		}
		kunit_info(test, "%s - 6.17 memslot check: %u inputs\n", s2attr_policy_name(policy),
			   diff);
		KUNIT_EXPECT_GT(test, diff, 0);
	}
	s2attr_fails_done(&fails);
}

/* ---- P11: strict's memslot refusals are guarded at the fault ---------------- */

/*
 * The one exception: an MTE VM's non-cacheable special pfn. The memslot
 * refuses the VMA (mte_special, mte_not_allowed), but a fault on it is
 * mapped Device or Normal-NC: such an entry carries no allocation tags,
 * nothing is sanitised (P9) and the guest cannot use tags on it, so the
 * mapping is safe. As in 6.12 and upstream.
 */
static bool s2attr_p11_exception(unsigned int rule, const struct s2attr_facts *f,
				 const struct s2attr_test_out *o)
{
	return (rule == S2ATTR_RULE_mte_special || rule == S2ATTR_RULE_mte_not_allowed) &&
	       !f->cacheable_s1 && !o->verdict && o->memattr != S2ATTR_MEMATTR_NORMAL &&
	       !o->sanitise_mte;
}

static void s2attr_test_p11_strict_fault_guards(struct kunit *test)
{
	const struct s2attr_policy *strict = s2attr_policy(S2ATTR_POLICY_STRICT);
	struct s2attr_fails fails = { .test = test };
	u32 guarded[S2ATTR_NR_RULES] = { 0 };
	struct s2attr_test_out m, o;
	struct s2attr_input in, fin;
	struct s2attr_facts f;
	unsigned int perm, access;
	u32 n, excepted = 0;
	int row, rule;

	for (n = 0; n < S2ATTR_MEMSLOT_INPUTS; n++) {
		s2attr_input_nth(S2ATTR_STAGE_MEMSLOT, n, &in);
		if (!s2attr_run(strict, &in, &m))
			continue;
		/* Only special VMAs can give special pfns. */
		if (!(in.flags & (S2ATTR_IN_PFNMAP | S2ATTR_IN_MIXEDMAP)))
			continue;
		for (perm = 0; perm < 2; perm++) {
			for (access = 0; access < S2ATTR_NR_ACCESSES; access++) {
				fin = in;
				fin.stage = S2ATTR_STAGE_FAULT;
				fin.access = access;
				fin.flags |= perm ? S2ATTR_IN_PERM : 0;
				s2attr_facts(&fin, &f);
				s2attr_run(strict, &fin, &o);
				if (o.verdict) {
					guarded[m.rule]++;
				} else if (s2attr_p11_exception(m.rule, &f, &o)) {
					excepted++;
				} else {
					char what[96];

					snprintf(what, sizeof(what),
						 "P11: memslot rule %s refuses it, the fault maps it",
						 s2attr_rule_name(m.rule));
					s2attr_fail(&fails, strict, what, &fin, &o, NULL);
				}
			}
		}
	}
	s2attr_fails_done(&fails);

	/* Every refusing memslot rule of strict that sees special VMAs has a guard. */
	for (row = 0; (rule = s2attr_policy_rule(strict, S2ATTR_STAGE_MEMSLOT, row)) >= 0;
	     row++) {
		if (rule == S2ATTR_RULE_accept || rule == S2ATTR_RULE_mte_not_allowed ||
		    rule >= S2ATTR_NR_RULES)
			continue;
		KUNIT_EXPECT_GT_MSG(test, guarded[rule], 0,
				    "strict memslot rule %s has no fault-stage guard",
				    s2attr_rule_name(rule));
	}
	KUNIT_EXPECT_GT_MSG(test, excepted, 0, "the MTE exception never applies: drop it");
}

/* ---- Out of domain, API ---------------------------------------------------- */

static void s2attr_test_out_of_domain(struct kunit *test)
{
	static const struct s2attr_input bad[] = {
		{ .stage = S2ATTR_STAGE_FAULT, .flags = BIT(11) },
		{ .stage = S2ATTR_STAGE_MEMSLOT, .flags = BIT(11) },
		{ .stage = S2ATTR_STAGE_FAULT, .flags = BIT(31) | S2ATTR_IN_MAP_MEMORY },
		{ .stage = S2ATTR_STAGE_FAULT, .memtype = S2ATTR_NR_MEMTYPES },
		{ .stage = S2ATTR_STAGE_MEMSLOT, .memtype = S2ATTR_NR_MEMTYPES },
		{ .stage = S2ATTR_STAGE_FAULT, .memtype = 0xff },
		{ .stage = S2ATTR_STAGE_FAULT, .access = S2ATTR_NR_ACCESSES },
		{ .stage = S2ATTR_STAGE_MEMSLOT, .access = S2ATTR_NR_ACCESSES },
		{ .stage = S2ATTR_NR_STAGES },
		{ .stage = 0xff, .flags = S2ATTR_IN_MAP_MEMORY },
	};
	static const struct s2attr_test_out want = {
		.verdict = -EINVAL, .rule = S2ATTR_RULE_bad_input,
	};
	struct s2attr_fails fails = { .test = test };
	struct s2attr_input ok = { .stage = S2ATTR_STAGE_FAULT,
				   .flags = S2ATTR_IN_MAP_MEMORY };
	enum s2attr_policy_id id;
	struct s2attr_test_out o;
	unsigned int i;

	for (id = 0; id < S2ATTR_NR_POLICIES; id++) {
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			s2attr_run(s2attr_policy(id), &bad[i], &o);
			if (!s2attr_same(&o, &want))
				s2attr_fail(&fails, s2attr_policy(id), "out of domain",
					    &bad[i], &o, &want);
		}
	}
	/* A NULL policy, for a valid input of each stage. */
	s2attr_run(NULL, &ok, &o);
	if (!s2attr_same(&o, &want))
		s2attr_fail(&fails, NULL, "NULL policy", &ok, &o, &want);
	ok.stage = S2ATTR_STAGE_MEMSLOT;
	s2attr_run(NULL, &ok, &o);
	if (!s2attr_same(&o, &want))
		s2attr_fail(&fails, NULL, "NULL policy", &ok, &o, &want);
	s2attr_fails_done(&fails);
}

static void s2attr_test_api(struct kunit *test)
{
	static const char *const names[S2ATTR_NR_POLICIES] = {
		[S2ATTR_POLICY_LINUX_6_12] = "linux-6.12",
		[S2ATTR_POLICY_CACHEABLE_PFNMAP] = "cacheable-pfnmap",
		[S2ATTR_POLICY_STRICT] = "strict",
		[S2ATTR_POLICY_FWB_ONLY] = "fwb-only",
	};
	enum s2attr_policy_id id;
	unsigned int stage;

	for (id = 0; id < S2ATTR_NR_POLICIES; id++) {
		const struct s2attr_policy *p = s2attr_policy(id);

		KUNIT_EXPECT_TRUE_MSG(test, p, "policy %d", id);
		if (!p)
			continue;
		KUNIT_EXPECT_STREQ(test, s2attr_policy_name(p), names[id]);
		KUNIT_EXPECT_PTR_EQ(test, s2attr_policy_by_name(names[id]), p);
		for (stage = 0; stage < S2ATTR_NR_STAGES; stage++)
			KUNIT_EXPECT_EQ(test, s2attr_policy_rule(p, stage, 1000), -ENOENT);
		KUNIT_EXPECT_EQ(test, s2attr_policy_rule(p, S2ATTR_NR_STAGES, 0), -ENOENT);
	}
	KUNIT_EXPECT_NULL(test, s2attr_policy(S2ATTR_NR_POLICIES));
	KUNIT_EXPECT_NULL(test, s2attr_policy_by_name("linux"));
	KUNIT_EXPECT_NULL(test, s2attr_policy_by_name(""));

	KUNIT_EXPECT_STREQ(test, s2attr_rule_name(S2ATTR_RULE_bad_input), "bad_input");
	KUNIT_EXPECT_STREQ(test, s2attr_rule_name(S2ATTR_RULE_nc_any_uc), "nc_any_uc");
	KUNIT_EXPECT_STREQ(test, s2attr_rule_name(S2ATTR_RULE_mte_sanitise), "mte_sanitise");
	KUNIT_EXPECT_STREQ(test, s2attr_rule_name(S2ATTR_NR_RULES), "?");
}

/* What s2attr_decide_memo() gave differs from what s2attr_decide() gives. */
static bool s2attr_memo_differs(int ret, const struct s2attr_output *got, int wret,
				const struct s2attr_output *want)
{
	return ret != wret || got->rule != want->rule || got->memattr != want->memattr ||
	       got->exec != want->exec || got->wp_read != want->wp_read ||
	       got->sanitise_mte != want->sanitise_mte;
}

/*
 * Every input of @stage under policy @id through @memo, four times each:
 * when the memo holds another input, again at once, after another input,
 * after another policy. Return: the answers that differ from
 * s2attr_decide()'s; the first is reported unless @bad already is nonzero.
 */
static unsigned int s2attr_memo_stage(struct kunit *test, struct s2attr_memo *memo,
				      enum s2attr_policy_id id, unsigned int stage,
				      unsigned int bad)
{
	const struct s2attr_policy *policy = s2attr_policy(id);
	const struct s2attr_policy *next = s2attr_policy((id + 1) % S2ATTR_NR_POLICIES);
	u32 n, nr = s2attr_nr_inputs(stage);
	struct s2attr_output want, got;
	struct s2attr_input in, other;
	unsigned int k, differ = 0;
	int ret, wret;

	for (n = 0; n < nr; n++) {
		s2attr_input_nth(stage, n, &in);
		s2attr_input_nth(stage, (n * 7 + 1) % nr, &other);
		wret = s2attr_decide(policy, &in, &want);
		for (k = 0; k < 4; k++) {
			if (k == 2)
				s2attr_decide_memo(memo, policy, &other, &got);
			if (k == 3)
				s2attr_decide_memo(memo, next, &in, &got);
			ret = s2attr_decide_memo(memo, policy, &in, &got);
			if (!s2attr_memo_differs(ret, &got, wret, &want))
				continue;
			if (!bad && !differ)
				KUNIT_FAIL(test, "%s stage %u input %u, ask %u: %d/%s, not %d/%s",
					   s2attr_policy_name(policy), stage, n, k, ret,
					   s2attr_rule_name(got.rule), wret,
					   s2attr_rule_name(want.rule));
			differ++;
		}
	}

	return differ;
}

/*
 * s2attr_decide_memo() answers as s2attr_decide() does, whether its memo
 * holds the question or not: every input of every stage under every
 * policy, asked when the memo holds another input, again at once (from
 * the memo), after another input, and after another policy. An empty memo
 * holds no input, not even the all-zero one without a policy. And the
 * answer to a repeated question is the memo's, which an input differing
 * in any one member does not get.
 */
static void s2attr_test_memo(struct kunit *test)
{
	const struct s2attr_policy *p = s2attr_policy(S2ATTR_POLICY_CACHEABLE_PFNMAP);
	struct s2attr_memo memo = {};
	struct s2attr_input in, other;
	unsigned int stage, k, bad = 0;
	struct s2attr_output got;
	enum s2attr_policy_id id;
	int ret;

	in = (struct s2attr_input){ 0 };
	ret = s2attr_decide_memo(&memo, NULL, &in, &got);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_EXPECT_EQ(test, got.rule, S2ATTR_RULE_bad_input);

	for (id = 0; id < S2ATTR_NR_POLICIES; id++) {
		for (stage = 0; stage < S2ATTR_NR_STAGES; stage++)
			bad += s2attr_memo_stage(test, &memo, id, stage, bad);
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0, "answers of the memo that s2attr_decide() does not give");

	/* Mark the memo's answers: a repeated question gets the mark. */
	for (k = 0; k < S2ATTR_NR_ACCESSES; k++) {
		s2attr_input_nth(S2ATTR_STAGE_FAULT, 2 * k, &in);
		KUNIT_EXPECT_EQ(test, in.access, k);
		s2attr_decide_memo(&memo, p, &in, &got);
		memo.slot[k].out.rule = S2ATTR_NR_RULES;
		memo.slot[k].ret = -E2BIG - (int)k;
	}
	for (k = 0; k < S2ATTR_NR_ACCESSES; k++) {
		s2attr_input_nth(S2ATTR_STAGE_FAULT, 2 * k, &in);
		KUNIT_EXPECT_EQ(test, s2attr_decide_memo(&memo, p, &in, &got), -E2BIG - (int)k);
		KUNIT_EXPECT_EQ(test, got.rule, S2ATTR_NR_RULES);
	}

	/* Each member of the input, and the policy, is part of the question. */
	s2attr_input_nth(S2ATTR_STAGE_FAULT, 0, &in);
	for (k = 0; k < 5; k++) {
		unsigned int i;

		other = in;
		if (k == 0)
			other.flags ^= S2ATTR_IN_PERM;
		else if (k == 1)
			other.stage ^= 1;
		else if (k == 2)
			other.memtype ^= 1;
		else if (k == 3)
			other.access ^= 1;
		for (i = 0; i < S2ATTR_NR_ACCESSES; i++) {
			memo.slot[i].out.rule = S2ATTR_NR_RULES;
			memo.slot[i].ret = -E2BIG;
			memo.slot[i].tag = s2attr_memo_tag(&in);
			memo.slot[i].policy = p;
		}
		ret = s2attr_decide_memo(&memo, k == 4 ? s2attr_policy(S2ATTR_POLICY_STRICT) : p,
					 &other, &got);
		KUNIT_EXPECT_NE_MSG(test, ret, -E2BIG, "change %u answered from the memo", k);
		KUNIT_EXPECT_NE_MSG(test, got.rule, S2ATTR_NR_RULES, "change %u", k);
	}

	/* An access outside its domain is decided, not looked up out of bounds. */
	other = in;
	other.access = S2ATTR_NR_ACCESSES;
	KUNIT_EXPECT_EQ(test, s2attr_decide_memo(&memo, p, &other, &got), -EINVAL);
	KUNIT_EXPECT_EQ(test, got.rule, S2ATTR_RULE_bad_input);
}

/* s2attr_input_nth(): SPEC 6 order, last column fastest, every input once. */
static void s2attr_test_enumeration(struct kunit *test)
{
	struct s2attr_input in;
	unsigned int stage;
	u32 n, prev_key = 0;

	s2attr_input_nth(S2ATTR_STAGE_FAULT, 1, &in);
	KUNIT_EXPECT_EQ(test, in.flags, S2ATTR_IN_PERM);
	s2attr_input_nth(S2ATTR_STAGE_FAULT, 2, &in);
	KUNIT_EXPECT_EQ(test, in.access, S2ATTR_ACCESS_WRITE);
	KUNIT_EXPECT_EQ(test, in.flags, 0);
	s2attr_input_nth(S2ATTR_STAGE_FAULT, 6, &in);
	KUNIT_EXPECT_EQ(test, in.flags, S2ATTR_IN_MAP_MEMORY);
	s2attr_input_nth(S2ATTR_STAGE_MEMSLOT, 1, &in);
	KUNIT_EXPECT_EQ(test, in.flags, S2ATTR_IN_LOG_DIRTY);
	s2attr_input_nth(S2ATTR_STAGE_MEMSLOT, 16, &in);
	KUNIT_EXPECT_EQ(test, in.memtype, S2ATTR_MT_NORMAL_TAGGED);
	s2attr_input_nth(S2ATTR_STAGE_MEMSLOT, S2ATTR_MEMSLOT_INPUTS - 1, &in);
	KUNIT_EXPECT_EQ(test, in.flags, S2ATTR_IN_MEMSLOT_FLAGS);
	KUNIT_EXPECT_EQ(test, in.memtype, S2ATTR_MT_ATTR7);
	s2attr_input_nth(S2ATTR_STAGE_FAULT, S2ATTR_FAULT_INPUTS - 1, &in);
	KUNIT_EXPECT_EQ(test, in.flags, S2ATTR_IN_ALL);
	KUNIT_EXPECT_EQ(test, in.access, S2ATTR_ACCESS_EXEC);

	/* Strictly increasing in (flags, memtype, access): all distinct. */
	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		for (n = 0; n < s2attr_nr_inputs(stage); n++) {
			u32 key;

			s2attr_input_nth(stage, n, &in);
			key = (in.flags << 8) | (in.memtype << 2) | in.access;
			KUNIT_EXPECT_EQ(test, in.stage, stage);
			if (stage == S2ATTR_STAGE_MEMSLOT)
				KUNIT_EXPECT_EQ(test, in.flags & ~S2ATTR_IN_MEMSLOT_FLAGS, 0);
			if (n && key == prev_key)
				KUNIT_FAIL(test, "stage %u: inputs %u and %u are equal", stage,
					   n - 1, n);
			prev_key = key;
		}
	}
}

/* ---- Named cases ------------------------------------------------------------ */

struct s2attr_case {
	const char *desc;
	enum s2attr_policy_id policy;
	struct s2attr_input in;
	struct s2attr_test_out want;
};

#define IN(flag)		S2ATTR_IN_##flag
#define HOST_GRACE		(IN(FWB) | IN(DIC))	/* FEAT_S2FWB and CTR_EL0.DIC */
#define HOST_QEMU		IN(FWB)			/* QEMU -cpu max: FWB, no DIC */
#define FAULT(fl, mt, acc)	{ .stage = S2ATTR_STAGE_FAULT, .flags = (fl),		\
				  .memtype = S2ATTR_MT_##mt, .access = S2ATTR_ACCESS_##acc }
#define MEMSLOT(fl, mt)		{ .stage = S2ATTR_STAGE_MEMSLOT, .flags = (fl),	\
				  .memtype = S2ATTR_MT_##mt }
#define MAPS(attr, x, wp, mte, r)						\
	{ .rule = S2ATTR_RULE_##r, .memattr = S2ATTR_MEMATTR_##attr,		\
	  .exec = (x), .wp_read = (wp), .sanitise_mte = (mte) }
#define ACCEPTS			{ .rule = S2ATTR_RULE_accept }
#define REFUSES(err, r)		{ .verdict = -(err), .rule = S2ATTR_RULE_##r }

#define LINUX		S2ATTR_POLICY_LINUX_6_12
#define CPFN		S2ATTR_POLICY_CACHEABLE_PFNMAP
#define STRICT		S2ATTR_POLICY_STRICT
#define FWB_ONLY	S2ATTR_POLICY_FWB_ONLY

/* vfio-pci BAR: VM_PFNMAP | VM_IO, pgprot_noncached(), VM_ALLOW_ANY_UNCACHED. */
#define VFIO_BAR	(IN(PFNMAP) | IN(ALLOW_ANY_UC))
/* nvgrace-gpu device memory: VM_PFNMAP, cacheable, outside the linear map. */
#define GRACE_MEM	IN(PFNMAP)
/* An MTE VM's anonymous memory. */
#define MTE_RAM		(IN(KVM_MTE) | IN(MTE_ALLOWED) | IN(MAP_MEMORY))

static const struct s2attr_case s2attr_cases[] = {
	/* vfio-pci BARs */
	{ "VFIO BAR read: Normal-NC, not executable", CPFN,
	  FAULT(VFIO_BAR | HOST_GRACE, DEVICE_NGNRE, READ), MAPS(NC, 0, 0, 0, nc_any_uc) },
	{ "VFIO BAR read on 6.12: Normal-NC", LINUX,
	  FAULT(VFIO_BAR | HOST_GRACE, DEVICE_NGNRE, READ), MAPS(NC, 0, 0, 0, device_any_uc) },
	{ "VFIO BAR exec: ENOEXEC", CPFN,
	  FAULT(VFIO_BAR | HOST_GRACE, DEVICE_NGNRE, EXEC), REFUSES(ENOEXEC, nc_exec) },
	{ "VFIO BAR exec on 6.12: ENOEXEC", LINUX,
	  FAULT(VFIO_BAR | HOST_QEMU, DEVICE_NGNRE, EXEC), REFUSES(ENOEXEC, device_exec) },
	{ "VFIO BAR write, strict: Normal-NC", STRICT,
	  FAULT(VFIO_BAR | HOST_QEMU, DEVICE_NGNRE, WRITE), MAPS(NC, 0, 0, 0, nc_any_uc) },
	{ "VFIO BAR under a logging memslot, strict S5: EFAULT", STRICT,
	  FAULT(VFIO_BAR | HOST_GRACE | IN(LOG_DIRTY), DEVICE_NGNRE, WRITE),
	  REFUSES(EFAULT, dirty_log) },
	{ "VFIO BAR under a logging memslot, default: Normal-NC, no write protection", CPFN,
	  FAULT(VFIO_BAR | HOST_GRACE | IN(LOG_DIRTY), DEVICE_NGNRE, READ),
	  MAPS(NC, 0, 0, 0, nc_any_uc) },
	{ "VFIO BAR memslot: accepted", CPFN,
	  MEMSLOT(VFIO_BAR | HOST_QEMU, DEVICE_NGNRE), ACCEPTS },
	{ "VFIO BAR memslot with dirty logging: EINVAL", CPFN,
	  MEMSLOT(VFIO_BAR | HOST_GRACE | IN(LOG_DIRTY), DEVICE_NGNRE),
	  REFUSES(EINVAL, dirty_log) },
	{ "/dev/mem hidden RAM (PFNMAP nGnRnE, no ANY_UC): Device", CPFN,
	  FAULT(IN(PFNMAP) | HOST_QEMU, DEVICE_NGNRNE, READ), MAPS(DEVICE, 0, 0, 0, nc_device) },
	{ "PFNMAP nGnRnE on 6.12: Device", LINUX,
	  FAULT(IN(PFNMAP) | HOST_QEMU, DEVICE_NGNRNE, WRITE), MAPS(DEVICE, 0, 0, 0, device) },

	/* Cacheable PFNMAP outside the linear map (nvgrace-gpu) */
	{ "Grace GPU memory read (FWB+DIC): Normal, eager X", CPFN,
	  FAULT(GRACE_MEM | HOST_GRACE, NORMAL, READ), MAPS(NORMAL, 1, 0, 0, normal) },
	{ "Grace GPU memory exec (FWB+DIC): Normal, X", CPFN,
	  FAULT(GRACE_MEM | HOST_GRACE, NORMAL, EXEC), MAPS(NORMAL, 1, 0, 0, normal) },
	{ "Grace GPU memory on 6.12: demoted to Device", LINUX,
	  FAULT(GRACE_MEM | HOST_GRACE, NORMAL, READ), MAPS(DEVICE, 0, 0, 0, device) },
	{ "Grace GPU memory memslot (FWB+DIC): accepted", CPFN,
	  MEMSLOT(GRACE_MEM | HOST_GRACE, NORMAL), ACCEPTS },
	{ "Grace GPU memory on a QEMU host (FWB, no DIC): EFAULT", CPFN,
	  FAULT(GRACE_MEM | HOST_QEMU, NORMAL, READ), REFUSES(EFAULT, wb_no_fwb_dic) },
	{ "Grace GPU memory memslot on a QEMU host: accepted, the fault decides", CPFN,
	  MEMSLOT(GRACE_MEM | HOST_QEMU, NORMAL), ACCEPTS },
	{ "Grace GPU memory on a QEMU host, strict: EFAULT", STRICT,
	  FAULT(GRACE_MEM | HOST_QEMU, NORMAL, WRITE), REFUSES(EFAULT, wb_no_fwb_dic) },
	{ "Grace GPU memory read on a QEMU host, fwb-only: Normal, not executable", FWB_ONLY,
	  FAULT(GRACE_MEM | HOST_QEMU, NORMAL, READ), MAPS(NORMAL, 0, 0, 0, normal) },
	{ "Grace GPU memory exec on a QEMU host, fwb-only: ENOEXEC", FWB_ONLY,
	  FAULT(GRACE_MEM | HOST_QEMU, NORMAL, EXEC), REFUSES(ENOEXEC, wb_exec_no_dic) },
	{ "Grace GPU memory read-then-exec permission fault, fwb-only: ENOEXEC", FWB_ONLY,
	  FAULT(GRACE_MEM | HOST_QEMU | IN(PERM), NORMAL, EXEC),
	  REFUSES(ENOEXEC, wb_exec_no_dic) },
	{ "Grace GPU memory memslot on a QEMU host, fwb-only: accepted", FWB_ONLY,
	  MEMSLOT(GRACE_MEM | HOST_QEMU, NORMAL), ACCEPTS },
	{ "Grace GPU memory without FWB, fwb-only: EFAULT", FWB_ONLY,
	  FAULT(GRACE_MEM | IN(DIC), NORMAL, READ), REFUSES(EFAULT, wb_no_fwb) },
	{ "Grace GPU memory memslot without FWB, fwb-only: accepted, the fault decides", FWB_ONLY,
	  MEMSLOT(GRACE_MEM, NORMAL), ACCEPTS },
	{ "Grace GPU memory in an MTE VM, fwb-only: EFAULT", FWB_ONLY,
	  FAULT(GRACE_MEM | HOST_GRACE | IN(KVM_MTE) | IN(MTE_ALLOWED), NORMAL, READ),
	  REFUSES(EFAULT, mte_special) },
	{ "Grace GPU memory with AttrIndx 5 (cacheable upstream): Normal", CPFN,
	  FAULT(GRACE_MEM | HOST_GRACE, ATTR5, READ), MAPS(NORMAL, 1, 0, 0, normal) },
	{ "Grace GPU memory with AttrIndx 5, strict S4: EFAULT", STRICT,
	  FAULT(GRACE_MEM | HOST_GRACE, ATTR5, READ), REFUSES(EFAULT, attr_undef) },
	{ "PFNMAP memslot with AttrIndx 6, strict: accepted, S4 is the fault's", STRICT,
	  MEMSLOT(GRACE_MEM | HOST_GRACE, ATTR6), ACCEPTS },

	/*
	 * TTM VRAM: VM_PFNMAP | VM_IO, vm_page_prot Normal (ttm_bo_mmap_obj()),
	 * PTEs write-combined or uncached (ttm_bo_vm_fault_reserved()); at the
	 * fault the memtype is the PTE's. No VM_ALLOW_ANY_UNCACHED: Device.
	 */
	{ "TTM VRAM memslot (vm_page_prot Normal) on a QEMU host: accepted", CPFN,
	  MEMSLOT(IN(PFNMAP) | HOST_QEMU, NORMAL), ACCEPTS },
	{ "TTM VRAM memslot without FWB, strict: accepted", STRICT,
	  MEMSLOT(IN(PFNMAP), NORMAL), ACCEPTS },
	{ "TTM VRAM, write-combined PTE, FWB+DIC: Device, not Normal over a WC alias", CPFN,
	  FAULT(IN(PFNMAP) | HOST_GRACE, NORMAL_NC, WRITE), MAPS(DEVICE, 0, 0, 0, nc_device) },
	{ "TTM VRAM, write-combined PTE on a QEMU host: Device, not EFAULT", CPFN,
	  FAULT(IN(PFNMAP) | HOST_QEMU, NORMAL_NC, READ), MAPS(DEVICE, 0, 0, 0, nc_device) },
	{ "TTM VRAM, write-combined PTE on a QEMU host, fwb-only: Device, not Normal", FWB_ONLY,
	  FAULT(IN(PFNMAP) | HOST_QEMU, NORMAL_NC, READ), MAPS(DEVICE, 0, 0, 0, nc_device) },
	{ "TTM VRAM, uncached PTE without FWB, strict: Device", STRICT,
	  FAULT(IN(PFNMAP), DEVICE_NGNRNE, WRITE), MAPS(DEVICE, 0, 0, 0, nc_device) },
	{ "TTM VRAM, write-combined PTE, exec: ENOEXEC", CPFN,
	  FAULT(IN(PFNMAP) | HOST_GRACE, NORMAL_NC, EXEC), REFUSES(ENOEXEC, nc_exec) },
	{ "TTM system pages (in the linear map, cacheable PTE): Normal", CPFN,
	  FAULT(IN(PFNMAP) | IN(MAP_MEMORY) | HOST_QEMU, NORMAL, READ),
	  MAPS(NORMAL, 0, 0, 0, normal) },

	/*
	 * The VMM pattern of libkrun's shm region: the memslot is created over
	 * an anonymous reservation, then special memory is mmap(MAP_FIXED) over
	 * part of it. The memslot check saw anonymous memory; the fault decides.
	 */
	{ "MAP_FIXED pattern: logging memslot over anonymous memory: accepted", STRICT,
	  MEMSLOT(IN(COW) | HOST_QEMU | IN(LOG_DIRTY), NORMAL), ACCEPTS },
	{ "MAP_FIXED pattern: PFNMAP Device under the logging memslot, strict S5: EFAULT",
	  STRICT, FAULT(IN(PFNMAP) | HOST_QEMU | IN(LOG_DIRTY), DEVICE_NGNRE, WRITE),
	  REFUSES(EFAULT, dirty_log) },
	{ "MAP_FIXED pattern: PFNMAP Device under the logging memslot, default: Device", CPFN,
	  FAULT(IN(PFNMAP) | HOST_QEMU | IN(LOG_DIRTY), DEVICE_NGNRE, READ),
	  MAPS(DEVICE, 0, 0, 0, nc_device) },
	{ "MAP_FIXED pattern: TTM-style WC PTE under the logging memslot, strict S5: EFAULT",
	  STRICT, FAULT(IN(PFNMAP) | HOST_QEMU | IN(LOG_DIRTY), NORMAL_NC, READ),
	  REFUSES(EFAULT, dirty_log) },
	{ "MAP_FIXED pattern: cacheable PFNMAP on a QEMU host: EFAULT at the fault", CPFN,
	  FAULT(IN(PFNMAP) | HOST_QEMU, NORMAL, WRITE), REFUSES(EFAULT, wb_no_fwb_dic) },
	{ "MAP_FIXED pattern: cacheable PFNMAP on a QEMU host, fwb-only: Normal, no X",
	  FWB_ONLY, FAULT(IN(PFNMAP) | HOST_QEMU, NORMAL, WRITE), MAPS(NORMAL, 0, 0, 0, normal) },
	{ "MAP_FIXED pattern: the anonymous rest of the memslot under logging: wp_read",
	  STRICT, FAULT(IN(COW) | IN(MAP_MEMORY) | HOST_QEMU | IN(LOG_DIRTY), NORMAL, READ),
	  MAPS(NORMAL, 0, 1, 0, normal) },

	/* Ordinary memory and dirty logging */
	{ "anon RAM read under dirty log: Normal, wp_read", CPFN,
	  FAULT(IN(MAP_MEMORY) | HOST_QEMU | IN(LOG_DIRTY), NORMAL, READ),
	  MAPS(NORMAL, 0, 1, 0, normal) },
	{ "anon RAM read under dirty log on 6.12: Normal, wp_read", LINUX,
	  FAULT(IN(MAP_MEMORY) | HOST_QEMU | IN(LOG_DIRTY), NORMAL, READ),
	  MAPS(NORMAL, 0, 1, 0, normal) },
	{ "anon RAM exec with DIC under dirty log: Normal, X, wp_read", STRICT,
	  FAULT(IN(MAP_MEMORY) | HOST_GRACE | IN(LOG_DIRTY), NORMAL, EXEC),
	  MAPS(NORMAL, 1, 1, 0, normal) },
	{ "anon RAM read with DIC, no logging: Normal, eager X", LINUX,
	  FAULT(IN(MAP_MEMORY) | HOST_GRACE, NORMAL, READ), MAPS(NORMAL, 1, 0, 0, normal) },
	{ "anon RAM read permission fault (6.12 refuses it earlier): Normal", LINUX,
	  FAULT(IN(MAP_MEMORY) | IN(PERM), NORMAL, READ), MAPS(NORMAL, 0, 0, 0, normal) },
	{ "devdax (not special, outside the linear map) on 6.12: Device", LINUX,
	  FAULT(HOST_GRACE, NORMAL, READ), MAPS(DEVICE, 0, 0, 0, device) },
	{ "devdax exec on 6.12: ENOEXEC", LINUX,
	  FAULT(HOST_GRACE, NORMAL, EXEC), REFUSES(ENOEXEC, device_exec) },
	{ "devdax under dirty log on 6.12: Device, no write protection", LINUX,
	  FAULT(HOST_QEMU | IN(LOG_DIRTY), NORMAL, READ), MAPS(DEVICE, 0, 0, 0, device) },
	{ "devdax under dirty log: Normal, wp_read", CPFN,
	  FAULT(HOST_QEMU | IN(LOG_DIRTY), NORMAL, READ), MAPS(NORMAL, 0, 1, 0, normal) },
	{ "devdax exec with DIC: Normal, X", CPFN,
	  FAULT(HOST_GRACE, NORMAL, EXEC), MAPS(NORMAL, 1, 0, 0, normal) },

	/* MTE */
	{ "MTE VM, anon RAM translation fault: Normal, sanitise", CPFN,
	  FAULT(MTE_RAM | HOST_QEMU, NORMAL_TAGGED, READ), MAPS(NORMAL, 0, 0, 1, normal) },
	{ "MTE VM, anon RAM write permission fault: no sanitise", CPFN,
	  FAULT(MTE_RAM | HOST_QEMU | IN(PERM), NORMAL_TAGGED, WRITE),
	  MAPS(NORMAL, 0, 0, 0, normal) },
	{ "MTE VM, anon RAM on 6.12: Normal, sanitise", LINUX,
	  FAULT(MTE_RAM | HOST_GRACE, NORMAL, WRITE), MAPS(NORMAL, 1, 0, 1, normal) },
	{ "MTE VM, VMA without VM_MTE_ALLOWED: fault EFAULT", CPFN,
	  FAULT(IN(KVM_MTE) | IN(MAP_MEMORY), NORMAL, READ), REFUSES(EFAULT, mte_not_allowed) },
	{ "MTE VM, VMA without VM_MTE_ALLOWED: memslot EINVAL", LINUX,
	  MEMSLOT(IN(KVM_MTE), NORMAL), REFUSES(EINVAL, mte_not_allowed) },
	{ "MTE VM, VFIO BAR on 6.12: Normal-NC, no MTE step", LINUX,
	  FAULT(VFIO_BAR | IN(KVM_MTE), DEVICE_NGNRE, READ), MAPS(NC, 0, 0, 0, device_any_uc) },
	{ "MTE VM, PFNMAP memslot, strict S2: EINVAL", STRICT,
	  MEMSLOT(GRACE_MEM | IN(KVM_MTE) | IN(MTE_ALLOWED) | HOST_GRACE, NORMAL),
	  REFUSES(EINVAL, mte_special) },
	{ "MTE VM, Grace GPU memory, strict S2: EFAULT", STRICT,
	  FAULT(GRACE_MEM | IN(KVM_MTE) | IN(MTE_ALLOWED) | HOST_GRACE, NORMAL, READ),
	  REFUSES(EFAULT, mte_special) },
	{ "MTE VM, MIXEDMAP page in the linear map, strict: Normal, sanitise", STRICT,
	  FAULT(IN(MIXEDMAP) | MTE_RAM, NORMAL, READ), MAPS(NORMAL, 0, 0, 1, normal) },

	/* COW VM_PFNMAP (/dev/mem MAP_PRIVATE) and MIXEDMAP (strict S1, S3) */
	{ "COW PFNMAP, strict S1: fault EFAULT", STRICT,
	  FAULT(IN(PFNMAP) | IN(COW) | IN(MAP_MEMORY) | HOST_GRACE, NORMAL, READ),
	  REFUSES(EFAULT, pfnmap_cow) },
	{ "COW PFNMAP, strict S1: memslot EINVAL", STRICT,
	  MEMSLOT(IN(PFNMAP) | IN(COW) | HOST_GRACE, NORMAL), REFUSES(EINVAL, pfnmap_cow) },
	{ "COW PFNMAP of kernel RAM, default: Normal", CPFN,
	  FAULT(IN(PFNMAP) | IN(COW) | IN(MAP_MEMORY) | HOST_QEMU, NORMAL, WRITE),
	  MAPS(NORMAL, 0, 0, 0, normal) },
	{ "MIXEDMAP memslot with dirty logging, strict S3: EINVAL", STRICT,
	  MEMSLOT(IN(MIXEDMAP) | IN(LOG_DIRTY) | HOST_GRACE, NORMAL), REFUSES(EINVAL, dirty_log) },
	{ "MIXEDMAP memslot with dirty logging, default: accepted", CPFN,
	  MEMSLOT(IN(MIXEDMAP) | IN(LOG_DIRTY) | HOST_GRACE, NORMAL), ACCEPTS },
	{ "cacheable MIXEDMAP memslot on a QEMU host, strict: accepted", STRICT,
	  MEMSLOT(IN(MIXEDMAP) | HOST_QEMU, NORMAL), ACCEPTS },

	/* Out of the domain */
	{ "unknown flag bit 11: EINVAL", CPFN,
	  { .stage = S2ATTR_STAGE_FAULT, .flags = BIT(11) }, REFUSES(EINVAL, bad_input) },
	{ "memtype 8: EINVAL", STRICT,
	  { .stage = S2ATTR_STAGE_FAULT, .memtype = 8 }, REFUSES(EINVAL, bad_input) },
	{ "access 3: EINVAL", FWB_ONLY,
	  { .stage = S2ATTR_STAGE_FAULT, .access = 3 }, REFUSES(EINVAL, bad_input) },
	{ "stage 2: EINVAL", LINUX, { .stage = 2 }, REFUSES(EINVAL, bad_input) },
};

KUNIT_ARRAY_PARAM_DESC(s2attr_case, s2attr_cases, desc);

static void s2attr_test_named_case(struct kunit *test)
{
	const struct s2attr_case *c = test->param_value;
	const struct s2attr_policy *policy = s2attr_policy(c->policy);
	struct s2attr_fails fails = { .test = test };
	struct s2attr_test_out o, ref;

	s2attr_run(policy, &c->in, &o);
	if (!s2attr_same(&o, &c->want))
		s2attr_fail(&fails, policy, c->desc, &c->in, &o, &c->want);
	/* The reference models agree with the case, too. */
	s2attr_reference(c->policy, &c->in, &ref);
	if (c->want.rule != S2ATTR_RULE_bad_input && !s2attr_same(&ref, &c->want))
		s2attr_fail(&fails, policy, "the reference model disagrees with the case",
			    &c->in, &ref, &c->want);
}

static struct kunit_case s2attr_test_cases[] = {
	KUNIT_CASE_PARAM(s2attr_test_named_case, s2attr_case_gen_params),
	KUNIT_CASE(s2attr_test_out_of_domain),
	KUNIT_CASE(s2attr_test_api),
	KUNIT_CASE(s2attr_test_enumeration),
	KUNIT_CASE_SLOW(s2attr_test_memo),
	KUNIT_CASE_SLOW(s2attr_test_linux_6_12_reference),
	KUNIT_CASE_SLOW(s2attr_test_cacheable_pfnmap_reference),
	KUNIT_CASE_SLOW(s2attr_test_strict_reference),
	KUNIT_CASE_SLOW(s2attr_test_fwb_only_reference),
	KUNIT_CASE_SLOW(s2attr_test_p1_noncacheable_stays),
	KUNIT_CASE_SLOW(s2attr_test_p2_cacheable_not_demoted),
	KUNIT_CASE_SLOW(s2attr_test_p3_normal_needs_hw),
	KUNIT_CASE_SLOW(s2attr_test_p4_no_exec_noncacheable),
	KUNIT_CASE_SLOW(s2attr_test_p5_sanitise_mte),
	KUNIT_CASE_SLOW(s2attr_test_p6_memtype_any_uc),
	KUNIT_CASE_SLOW(s2attr_test_p6_cow),
	KUNIT_CASE_SLOW(s2attr_test_p6_memslot_fault_inputs),
	KUNIT_CASE_SLOW(s2attr_test_p6_fault_log_dirty),
	KUNIT_CASE_SLOW(s2attr_test_p7_rows_and_grants),
	KUNIT_CASE_SLOW(s2attr_test_p8_difference),
	KUNIT_CASE_SLOW(s2attr_test_departure_from_6_17),
	KUNIT_CASE_SLOW(s2attr_test_p9_no_tags_special),
	KUNIT_CASE_SLOW(s2attr_test_p10_exact_dirty_log),
	KUNIT_CASE_SLOW(s2attr_test_p11_strict_fault_guards),
	KUNIT_CASE_SLOW(s2attr_test_refusal_has_no_outputs),
	{}
};

static struct kunit_suite s2attr_test_suite = {
	.name = "kvm_arm64_s2attr",
	.test_cases = s2attr_test_cases,
};

kunit_test_suite(s2attr_test_suite);

MODULE_DESCRIPTION("KUnit tests for the KVM/arm64 stage-2 memory attribute engine");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
