// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the KVM/arm64 stage-2 memory attribute engine (s2attr).
 *
 * Every input of every policy is checked against a reference model written
 * here, from the specification, with plain ifs; the reference models never
 * look at the policy tables. On top of that the suite proves properties
 * over the whole input space and checks a table of named cases that a
 * reviewer can verify by eye.
 *
 * The same file builds in user space against a small KUnit stand-in
 * (tools/kvm/s2attr/), so `make check-fast` runs these very cases on the
 * host.
 */

#include <kunit/test.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include <kvm/s2attr.h>

/* Mismatches reported in full per test case before only counting them. */
#define S2ATTR_TEST_REPORT	8

/* An outcome: what the engine returns and what the reference predicts. */
struct s2attr_test_out {
	int verdict;
	u8 memattr;
	bool exec;
	bool no_block;
	bool sanitise_mte;
};

/* The facts of an input, decoded independently of the engine. */
struct s2attr_facts {
	bool fault;
	bool pfnmap, mixedmap, cow, any_uc, mte_allowed, kvm_mte, fwb, dic;
	bool log_dirty, map_memory, perm, exec;
	unsigned int memtype;
	/* Derived terms of SPEC section 2. */
	bool special_vma, special_pfn, cacheable_s1, hw_ok, attr_undef;
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
	f->memtype = in->memtype;
	if (f->fault) {
		f->map_memory = fl & S2ATTR_IN_MAP_MEMORY;
		f->perm = fl & S2ATTR_IN_PERM;
		f->exec = in->access == S2ATTR_ACCESS_EXEC;
	} else {
		f->log_dirty = fl & S2ATTR_IN_LOG_DIRTY;
	}

	f->special_vma = f->pfnmap || f->mixedmap;
	f->special_pfn = f->special_vma && !f->map_memory;
	/* kvm_vma_is_cacheable() in 6.17: all but NC and the Device types. */
	f->cacheable_s1 = in->memtype != S2ATTR_MT_NORMAL_NC &&
			  in->memtype != S2ATTR_MT_DEVICE_NGNRNE &&
			  in->memtype != S2ATTR_MT_DEVICE_NGNRE;
	f->attr_undef = in->memtype >= S2ATTR_MT_ATTR5;
	/* kvm_supports_cacheable_pfnmap() in 6.17 (0c67288e0c8b). */
	f->hw_ok = f->fwb && f->dic;
}

static int s2attr_ref_refuse(struct s2attr_test_out *o, int err)
{
	memset(o, 0, sizeof(*o));
	o->verdict = err;
	return err;
}

static int s2attr_ref_map(struct s2attr_test_out *o, u8 memattr, bool exec,
			  bool no_block, bool sanitise)
{
	o->verdict = 0;
	o->memattr = memattr;
	o->exec = exec;
	o->no_block = no_block;
	o->sanitise_mte = sanitise;
	return 0;
}

/*
 * linux-6.12: kvm_arch_prepare_memory_region() and user_mem_abort() as in
 * v6.12. Every pfn outside the linear map is "device" (kvm_is_device_pfn()),
 * whatever the VMA; VM_ALLOW_ANY_UNCACHED turns Device into Normal-NC
 * (8c47ce3e1d2c); eager X only with DIC.
 */
static int s2attr_ref_linux_6_12(const struct s2attr_facts *f, struct s2attr_test_out *o)
{
	bool device;
	bool sanitise = false;

	memset(o, 0, sizeof(*o));
	if (!f->fault) {
		if (f->kvm_mte && !f->mte_allowed)
			return s2attr_ref_refuse(o, -EINVAL);
		if (f->pfnmap && f->log_dirty)
			return s2attr_ref_refuse(o, -EINVAL);
		return 0;
	}

	device = !f->map_memory;
	if (f->exec && device)
		return s2attr_ref_refuse(o, -ENOEXEC);
	if (!f->perm && !device && f->kvm_mte) {
		if (!f->mte_allowed)
			return s2attr_ref_refuse(o, -EFAULT);
		sanitise = true;
	}
	if (device)
		return s2attr_ref_map(o, f->any_uc ? S2ATTR_MEMATTR_NC : S2ATTR_MEMATTR_DEVICE,
				      false, true, sanitise);
	return s2attr_ref_map(o, S2ATTR_MEMATTR_NORMAL, f->dic, false, sanitise);
}

/*
 * cacheable-pfnmap: v6.17 (kvmarm-6.17). Cacheable special memory needs FWB
 * and DIC and is refused otherwise, never demoted (2a8dfab26677); only
 * special memory that stage 1 maps non-cacheable is forced non-cacheable
 * (8cc9dc1ae4fb, 216887f79d98, 0c67288e0c8b); COW plays no part (dropped in
 * v10 of the series). @s3 applies strict's S3: MIXEDMAP checked like PFNMAP
 * at the memslot stage.
 */
static int s2attr_ref_cacheable(const struct s2attr_facts *f, bool s3,
				struct s2attr_test_out *o)
{
	bool pfnmap_like = s3 ? f->special_vma : f->pfnmap;
	bool nc, sanitise = false;

	memset(o, 0, sizeof(*o));
	if (!f->fault) {
		if (f->kvm_mte && !f->mte_allowed)
			return s2attr_ref_refuse(o, -EINVAL);
		if (pfnmap_like && f->log_dirty)
			return s2attr_ref_refuse(o, -EINVAL);
		if (pfnmap_like && f->cacheable_s1 && !f->hw_ok)
			return s2attr_ref_refuse(o, -EINVAL);
		return 0;
	}

	if (f->special_pfn && f->cacheable_s1 && !f->hw_ok)
		return s2attr_ref_refuse(o, -EFAULT);
	nc = f->special_pfn && !f->cacheable_s1;
	if (f->exec && nc)
		return s2attr_ref_refuse(o, -ENOEXEC);
	if (!f->perm && !nc && f->kvm_mte) {
		if (!f->mte_allowed)
			return s2attr_ref_refuse(o, -EFAULT);
		sanitise = true;
	}
	if (nc)
		return s2attr_ref_map(o, f->any_uc ? S2ATTR_MEMATTR_NC : S2ATTR_MEMATTR_DEVICE,
				      false, true, sanitise);
	return s2attr_ref_map(o, S2ATTR_MEMATTR_NORMAL, f->dic, false, sanitise);
}

/*
 * strict: S1 (the seed: "return -EINVAL for (vma->vm_flags & VM_PFNMAP) &&
 * is_cow_mapping(vma->vm_flags)", both stages), then S4 (undefined AttrIndx
 * on special memory fails closed), then S2 (no MTE on special memory, from
 * the same thread), then cacheable-pfnmap with S3.
 */
static int s2attr_ref_strict(const struct s2attr_facts *f, struct s2attr_test_out *o)
{
	memset(o, 0, sizeof(*o));
	if (f->pfnmap && f->cow)
		return s2attr_ref_refuse(o, -EINVAL);
	if (!f->fault) {
		if (f->special_vma && f->attr_undef)
			return s2attr_ref_refuse(o, -EINVAL);
		if (f->kvm_mte && f->special_vma)
			return s2attr_ref_refuse(o, -EINVAL);
	} else {
		if (f->special_pfn && f->attr_undef)
			return s2attr_ref_refuse(o, -EFAULT);
		if (f->kvm_mte && f->special_pfn && f->cacheable_s1)
			return s2attr_ref_refuse(o, -EFAULT);
	}
	return s2attr_ref_cacheable(f, true, o);
}

/*
 * fwb-only: SPEC section 4.4, beyond upstream. cacheable-pfnmap with FWB
 * alone as the hardware condition, because DIC only matters when KVM makes
 * an entry executable: an exec fault on cacheable special memory without
 * DIC is refused (the guest gets an instruction abort), and a read or write
 * fault maps it Normal without X. Memslot: a cacheable VM_PFNMAP VMA needs
 * FWB. One addition to SPEC 4.4, from the safety argument in s2attr.rst:
 * an MTE guest's fault on cacheable special memory is refused (strict's
 * S2 at the fault stage), as sanitise_mte_tags() needs a kernel VA.
 */
static int s2attr_ref_fwb_only(const struct s2attr_facts *f, struct s2attr_test_out *o)
{
	bool wb = f->special_pfn && f->cacheable_s1;
	bool nc = f->special_pfn && !f->cacheable_s1;
	bool sanitise = false;

	memset(o, 0, sizeof(*o));
	if (!f->fault) {
		if (f->kvm_mte && !f->mte_allowed)
			return s2attr_ref_refuse(o, -EINVAL);
		if (f->pfnmap && f->log_dirty)
			return s2attr_ref_refuse(o, -EINVAL);
		if (f->pfnmap && f->cacheable_s1 && !f->fwb)
			return s2attr_ref_refuse(o, -EINVAL);
		return 0;
	}

	if (wb && !f->fwb)
		return s2attr_ref_refuse(o, -EFAULT);
	if (wb && f->exec && !f->dic)
		return s2attr_ref_refuse(o, -ENOEXEC);
	if (wb && f->kvm_mte)
		return s2attr_ref_refuse(o, -EFAULT);
	if (nc && f->exec)
		return s2attr_ref_refuse(o, -ENOEXEC);
	if (nc)
		return s2attr_ref_map(o, f->any_uc ? S2ATTR_MEMATTR_NC : S2ATTR_MEMATTR_DEVICE,
				      false, true, false);
	if (!f->perm && f->kvm_mte) {
		if (!f->mte_allowed)
			return s2attr_ref_refuse(o, -EFAULT);
		sanitise = true;
	}
	return s2attr_ref_map(o, S2ATTR_MEMATTR_NORMAL, f->dic, false, sanitise);
}

static int s2attr_reference(enum s2attr_policy_id id, const struct s2attr_input *in,
			    struct s2attr_test_out *o)
{
	struct s2attr_facts f;

	s2attr_facts(in, &f);
	switch (id) {
	case S2ATTR_POLICY_LINUX_6_12:
		return s2attr_ref_linux_6_12(&f, o);
	case S2ATTR_POLICY_CACHEABLE_PFNMAP:
		return s2attr_ref_cacheable(&f, false, o);
	case S2ATTR_POLICY_STRICT:
		return s2attr_ref_strict(&f, o);
	case S2ATTR_POLICY_FWB_ONLY:
		return s2attr_ref_fwb_only(&f, o);
	default:
		return s2attr_ref_refuse(o, -EINVAL);
	}
}

/* Run the engine; fold its output into the comparable outcome. */
static int s2attr_run(enum s2attr_policy_id id, const struct s2attr_input *in,
		      struct s2attr_test_out *o, struct s2attr_output *raw)
{
	struct s2attr_output out;

	memset(&out, 0xa5, sizeof(out));
	memset(o, 0, sizeof(*o));
	o->verdict = s2attr_decide(s2attr_policy(id), in, &out);
	if (!o->verdict && in->stage == S2ATTR_STAGE_FAULT) {
		o->memattr = out.memattr;
		o->exec = out.exec;
		o->no_block = out.no_block;
		o->sanitise_mte = out.sanitise_mte;
	}
	if (raw)
		*raw = out;
	return o->verdict;
}

static bool s2attr_same(const struct s2attr_test_out *a, const struct s2attr_test_out *b)
{
	return a->verdict == b->verdict && a->memattr == b->memattr &&
	       a->exec == b->exec && a->no_block == b->no_block &&
	       a->sanitise_mte == b->sanitise_mte;
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

/* "fault pfnmap=1 ... memtype=nGnRE access=exec" for assertion messages. */
static const char *s2attr_describe(const struct s2attr_input *in, char *buf, size_t len)
{
	u32 f = in->flags;
	bool fault = in->stage == S2ATTR_STAGE_FAULT;
	int n;

	n = snprintf(buf, len, "%s pfnmap=%d mixedmap=%d cow=%d any_uc=%d mte_allowed=%d ",
		     fault ? "fault" : "memslot",
		     !!(f & S2ATTR_IN_PFNMAP), !!(f & S2ATTR_IN_MIXEDMAP),
		     !!(f & S2ATTR_IN_COW), !!(f & S2ATTR_IN_ALLOW_ANY_UC),
		     !!(f & S2ATTR_IN_MTE_ALLOWED));
	if (n < 0 || (size_t)n >= len)
		return buf;
	snprintf(buf + n, len - n, "memtype=%s kvm_mte=%d fwb=%d dic=%d %s=%d access=%s perm=%d",
		 in->memtype < S2ATTR_NR_MEMTYPES ? s2attr_memtype_names[in->memtype] : "?",
		 !!(f & S2ATTR_IN_KVM_MTE), !!(f & S2ATTR_IN_FWB), !!(f & S2ATTR_IN_DIC),
		 fault ? "map_memory" : "log_dirty",
		 fault ? !!(f & S2ATTR_IN_MAP_MEMORY) : !!(f & S2ATTR_IN_LOG_DIRTY),
		 in->access < S2ATTR_NR_ACCESSES ? s2attr_access_names[in->access] : "?",
		 !!(f & S2ATTR_IN_PERM));
	return buf;
}

static const char *s2attr_describe_out(const struct s2attr_test_out *o, char *buf, size_t len)
{
	if (o->verdict)
		snprintf(buf, len, "%s", s2attr_verdict_name(o->verdict));
	else
		snprintf(buf, len, "map %s exec=%d no_block=%d sanitise_mte=%d",
			 s2attr_memattr_name(o->memattr), o->exec, o->no_block,
			 o->sanitise_mte);
	return buf;
}

/* Call @check on every input of both stages; returns how many were visited. */
static u32 s2attr_for_each_input(struct kunit *test,
				 void (*check)(struct kunit *test, const struct s2attr_input *in,
					       void *ctx),
				 void *ctx)
{
	static const u32 nr[S2ATTR_NR_STAGES] = {
		[S2ATTR_STAGE_MEMSLOT] = S2ATTR_MEMSLOT_INPUTS,
		[S2ATTR_STAGE_FAULT] = S2ATTR_FAULT_INPUTS,
	};
	struct s2attr_input in;
	unsigned int stage;
	u32 n, count = 0;

	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		for (n = 0; n < nr[stage]; n++) {
			s2attr_input_nth(stage, n, &in);
			check(test, &in, ctx);
			count++;
		}
	}
	return count;
}

/* Per-case failure accounting, so a broken table does not flood the log. */
struct s2attr_fails {
	enum s2attr_policy_id policy;
	unsigned int count;
};

#define S2ATTR_REPORT(test, fails, fmt, ...)					\
	do {									\
		if (++(fails)->count <= S2ATTR_TEST_REPORT)			\
			KUNIT_FAIL(test, fmt, ##__VA_ARGS__);			\
	} while (0)

static const enum s2attr_policy_id s2attr_policy_ids[] = {
	S2ATTR_POLICY_LINUX_6_12,
	S2ATTR_POLICY_CACHEABLE_PFNMAP,
	S2ATTR_POLICY_STRICT,
	S2ATTR_POLICY_FWB_ONLY,
};

static void s2attr_policy_desc(const enum s2attr_policy_id *id, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", s2attr_policy_name(s2attr_policy(*id)));
}

KUNIT_ARRAY_PARAM(s2attr_policy, s2attr_policy_ids, s2attr_policy_desc);

/* ---- The whole matrix against the reference models ---------------------- */

static void s2attr_check_reference(struct kunit *test, const struct s2attr_input *in, void *ctx)
{
	struct s2attr_fails *fails = ctx;
	struct s2attr_test_out want, got;
	char b1[256], b2[96], b3[96];

	s2attr_reference(fails->policy, in, &want);
	s2attr_run(fails->policy, in, &got, NULL);
	if (!s2attr_same(&want, &got))
		S2ATTR_REPORT(test, fails, "%s: %s: engine says %s, reference says %s",
			      s2attr_policy_name(s2attr_policy(fails->policy)),
			      s2attr_describe(in, b1, sizeof(b1)),
			      s2attr_describe_out(&got, b2, sizeof(b2)),
			      s2attr_describe_out(&want, b3, sizeof(b3)));
}

static void s2attr_test_reference(struct kunit *test)
{
	const enum s2attr_policy_id *id = test->param_value;
	struct s2attr_fails fails = { .policy = *id };
	u32 n;

	n = s2attr_for_each_input(test, s2attr_check_reference, &fails);
	KUNIT_EXPECT_EQ(test, n, S2ATTR_MEMSLOT_INPUTS + S2ATTR_FAULT_INPUTS);
	KUNIT_EXPECT_EQ_MSG(test, fails.count, 0, "%u of %u inputs differ", fails.count, n);
	kunit_info(test, "%s: %u inputs checked against the reference model, %u differ\n",
		   s2attr_policy_name(s2attr_policy(*id)), n, fails.count);
}

/* ---- Which rule decides, in the order of SPEC section 4 ------------------ */

/*
 * The rule that decides an input: the first clause of SPEC section 4 that
 * holds, named as enum s2attr_rule_id names it. The matrix (SPEC section 6),
 * the trace and the explain tool report it, so two clauses in the wrong
 * order are a bug even where they give the same verdict. Written from the
 * specification, like the reference models above, not from the tables.
 */
static u8 s2attr_ref_rule_linux_6_12(const struct s2attr_facts *f)
{
	bool device = !f->map_memory;

	if (!f->fault) {
		if (f->kvm_mte && !f->mte_allowed)
			return S2ATTR_RULE_mte_not_allowed;
		if (f->pfnmap && f->log_dirty)
			return S2ATTR_RULE_dirty_log;
		return S2ATTR_RULE_accept;
	}
	if (f->exec && device)
		return S2ATTR_RULE_device_exec;
	if (device)
		return f->any_uc ? S2ATTR_RULE_device_any_uc : S2ATTR_RULE_device;
	if (!f->perm && f->kvm_mte)
		return f->mte_allowed ? S2ATTR_RULE_mte_sanitise : S2ATTR_RULE_mte_not_allowed;
	return S2ATTR_RULE_normal;
}

/* cacheable-pfnmap; @s3: strict's S3, MIXEDMAP checked like PFNMAP at memslot. */
static u8 s2attr_ref_rule_cacheable(const struct s2attr_facts *f, bool s3)
{
	bool pfnmap_like = s3 ? f->special_vma : f->pfnmap;
	bool nc = f->special_pfn && !f->cacheable_s1;

	if (!f->fault) {
		if (f->kvm_mte && !f->mte_allowed)
			return S2ATTR_RULE_mte_not_allowed;
		if (pfnmap_like && f->log_dirty)
			return S2ATTR_RULE_dirty_log;
		if (pfnmap_like && f->cacheable_s1 && !f->hw_ok)
			return S2ATTR_RULE_wb_no_fwb_dic;
		return S2ATTR_RULE_accept;
	}
	if (f->special_pfn && f->cacheable_s1 && !f->hw_ok)
		return S2ATTR_RULE_wb_no_fwb_dic;
	if (f->exec && nc)
		return S2ATTR_RULE_nc_exec;
	if (nc)
		return f->any_uc ? S2ATTR_RULE_nc_any_uc : S2ATTR_RULE_nc_device;
	if (!f->perm && f->kvm_mte)
		return f->mte_allowed ? S2ATTR_RULE_mte_sanitise : S2ATTR_RULE_mte_not_allowed;
	return S2ATTR_RULE_normal;
}

/* strict: S1, then S4, then S2, then cacheable-pfnmap with S3. */
static u8 s2attr_ref_rule_strict(const struct s2attr_facts *f)
{
	if (f->pfnmap && f->cow)
		return S2ATTR_RULE_pfnmap_cow;
	if (!f->fault) {
		if (f->special_vma && f->attr_undef)
			return S2ATTR_RULE_attr_undef;
		if (f->kvm_mte && f->special_vma)
			return S2ATTR_RULE_mte_special;
	} else {
		if (f->special_pfn && f->attr_undef)
			return S2ATTR_RULE_attr_undef;
		if (f->kvm_mte && f->special_pfn && f->cacheable_s1)
			return S2ATTR_RULE_mte_special;
	}
	return s2attr_ref_rule_cacheable(f, true);
}

/* fwb-only: SPEC section 4.4. */
static u8 s2attr_ref_rule_fwb_only(const struct s2attr_facts *f)
{
	bool wb = f->special_pfn && f->cacheable_s1;
	bool nc = f->special_pfn && !f->cacheable_s1;

	if (!f->fault) {
		if (f->kvm_mte && !f->mte_allowed)
			return S2ATTR_RULE_mte_not_allowed;
		if (f->pfnmap && f->log_dirty)
			return S2ATTR_RULE_dirty_log;
		if (f->pfnmap && f->cacheable_s1 && !f->fwb)
			return S2ATTR_RULE_wb_no_fwb;
		return S2ATTR_RULE_accept;
	}
	if (wb && !f->fwb)
		return S2ATTR_RULE_wb_no_fwb;
	if (wb && f->exec && !f->dic)
		return S2ATTR_RULE_wb_exec_no_dic;
	if (wb && f->kvm_mte)
		return S2ATTR_RULE_mte_special;
	if (nc && f->exec)
		return S2ATTR_RULE_nc_exec;
	if (nc && f->any_uc)
		return S2ATTR_RULE_nc_any_uc;
	if (nc)
		return S2ATTR_RULE_nc_device;
	if (!f->perm && f->kvm_mte && !f->mte_allowed)
		return S2ATTR_RULE_mte_not_allowed;
	if (!f->perm && f->kvm_mte)
		return S2ATTR_RULE_mte_sanitise;
	return S2ATTR_RULE_normal;
}

static u8 s2attr_ref_rule(enum s2attr_policy_id id, const struct s2attr_input *in)
{
	struct s2attr_facts f;

	s2attr_facts(in, &f);
	switch (id) {
	case S2ATTR_POLICY_LINUX_6_12:
		return s2attr_ref_rule_linux_6_12(&f);
	case S2ATTR_POLICY_CACHEABLE_PFNMAP:
		return s2attr_ref_rule_cacheable(&f, false);
	case S2ATTR_POLICY_STRICT:
		return s2attr_ref_rule_strict(&f);
	case S2ATTR_POLICY_FWB_ONLY:
		return s2attr_ref_rule_fwb_only(&f);
	default:
		return S2ATTR_RULE_bad_input;
	}
}

static void s2attr_check_rule(struct kunit *test, const struct s2attr_input *in, void *ctx)
{
	struct s2attr_fails *fails = ctx;
	struct s2attr_output out;
	struct s2attr_test_out o;
	char buf[256];
	u8 want;

	want = s2attr_ref_rule(fails->policy, in);
	s2attr_run(fails->policy, in, &o, &out);
	if (out.rule != want)
		S2ATTR_REPORT(test, fails, "%s: %s: decided by rule %s, SPEC names %s",
			      s2attr_policy_name(s2attr_policy(fails->policy)),
			      s2attr_describe(in, buf, sizeof(buf)),
			      s2attr_rule_name(out.rule), s2attr_rule_name(want));
}

static void s2attr_test_reference_rule(struct kunit *test)
{
	const enum s2attr_policy_id *id = test->param_value;
	struct s2attr_fails fails = { .policy = *id };
	u32 n;

	n = s2attr_for_each_input(test, s2attr_check_rule, &fails);
	KUNIT_EXPECT_EQ_MSG(test, fails.count, 0, "%u of %u inputs decided by another rule",
			    fails.count, n);
	kunit_info(test, "%s: the deciding rule of %u inputs checked, %u differ\n",
		   s2attr_policy_name(s2attr_policy(*id)), n, fails.count);
}

/* ---- Properties P1-P8 over the whole input space ------------------------- */

struct s2attr_prop {
	struct s2attr_fails fails;
	u32 hits;	/* inputs the property had something to say about */
};

static void s2attr_check_p1_p3(struct kunit *test, const struct s2attr_input *in, void *ctx)
{
	struct s2attr_prop *p = ctx;
	struct s2attr_test_out o;
	struct s2attr_facts f;
	char buf[256];
	unsigned int i;

	s2attr_facts(in, &f);
	if (!f.fault || !f.special_pfn)
		return;
	p->hits++;
	for (i = 0; i < ARRAY_SIZE(s2attr_policy_ids); i++) {
		enum s2attr_policy_id id = s2attr_policy_ids[i];
		const char *name = s2attr_policy_name(s2attr_policy(id));

		if (s2attr_run(id, in, &o, NULL))
			continue;
		/* P1: S1 non-cacheable special memory is never mapped Normal. */
		if (!f.cacheable_s1 && o.memattr == S2ATTR_MEMATTR_NORMAL)
			S2ATTR_REPORT(test, &p->fails, "P1 %s: %s mapped normal", name,
				      s2attr_describe(in, buf, sizeof(buf)));
		/* P2: cacheable special memory is Normal or refused, never demoted. */
		if (id != S2ATTR_POLICY_LINUX_6_12 && f.cacheable_s1 &&
		    o.memattr != S2ATTR_MEMATTR_NORMAL)
			S2ATTR_REPORT(test, &p->fails, "P2 %s: %s demoted to %s", name,
				      s2attr_describe(in, buf, sizeof(buf)),
				      s2attr_memattr_name(o.memattr));
		/*
		 * P3: Normal for special memory only with FWB and DIC; under
		 * fwb-only, with FWB, and then executable (eagerly, or for an
		 * exec fault) only with DIC as well.
		 */
		if (o.memattr != S2ATTR_MEMATTR_NORMAL)
			continue;
		if (id != S2ATTR_POLICY_FWB_ONLY && !(f.fwb && f.dic))
			S2ATTR_REPORT(test, &p->fails, "P3 %s: %s normal without FWB+DIC", name,
				      s2attr_describe(in, buf, sizeof(buf)));
		if (id == S2ATTR_POLICY_FWB_ONLY && !f.fwb)
			S2ATTR_REPORT(test, &p->fails, "P3 %s: %s normal without FWB", name,
				      s2attr_describe(in, buf, sizeof(buf)));
		if (id == S2ATTR_POLICY_FWB_ONLY && (o.exec || f.exec) && !f.dic)
			S2ATTR_REPORT(test, &p->fails, "P3 %s: %s executable without DIC", name,
				      s2attr_describe(in, buf, sizeof(buf)));
	}
}

static void s2attr_test_p1_p3_special_memory(struct kunit *test)
{
	struct s2attr_prop p = {};

	s2attr_for_each_input(test, s2attr_check_p1_p3, &p);
	KUNIT_EXPECT_EQ(test, p.fails.count, 0);
	KUNIT_EXPECT_GT(test, p.hits, 0);
	kunit_info(test, "P1-P3: %u special-pfn fault inputs checked under every policy\n",
		   p.hits);
}

static void s2attr_check_p2_linux(struct kunit *test, const struct s2attr_input *in, void *ctx)
{
	struct s2attr_prop *p = ctx;
	struct s2attr_test_out o;
	struct s2attr_facts f;

	s2attr_facts(in, &f);
	if (f.fault && f.special_pfn && f.cacheable_s1 &&
	    !s2attr_run(S2ATTR_POLICY_LINUX_6_12, in, &o, NULL) &&
	    o.memattr != S2ATTR_MEMATTR_NORMAL)
		p->hits++;
}

/* P2 is the bug the series fixes: linux-6.12 must violate it. */
static void s2attr_test_p2_linux_demotes(struct kunit *test)
{
	struct s2attr_prop p = {};

	s2attr_for_each_input(test, s2attr_check_p2_linux, &p);
	KUNIT_EXPECT_GT_MSG(test, p.hits, 0,
			    "linux-6.12 should demote cacheable PFNMAP memory to Device/NC");
	kunit_info(test, "linux-6.12 demotes %u cacheable special-pfn inputs\n", p.hits);
}

static void s2attr_check_p4_p5(struct kunit *test, const struct s2attr_input *in, void *ctx)
{
	struct s2attr_prop *p = ctx;
	struct s2attr_test_out o;
	struct s2attr_facts f;
	char buf[256];
	unsigned int i;

	s2attr_facts(in, &f);
	if (!f.fault)
		return;
	for (i = 0; i < ARRAY_SIZE(s2attr_policy_ids); i++) {
		enum s2attr_policy_id id = s2attr_policy_ids[i];
		const char *name = s2attr_policy_name(s2attr_policy(id));

		if (s2attr_run(id, in, &o, NULL))
			continue;
		p->hits++;
		/* P4: no X with a non-Normal type, and no exec fault maps one. */
		if (o.memattr != S2ATTR_MEMATTR_NORMAL && (o.exec || f.exec))
			S2ATTR_REPORT(test, &p->fails, "P4 %s: %s exec on %s", name,
				      s2attr_describe(in, buf, sizeof(buf)),
				      s2attr_memattr_name(o.memattr));
		/* P5: tags are only sanitised for MTE guests' Normal memory. */
		if (o.sanitise_mte && !(o.memattr == S2ATTR_MEMATTR_NORMAL && f.kvm_mte &&
					f.mte_allowed && !f.perm))
			S2ATTR_REPORT(test, &p->fails, "P5 %s: %s sanitises tags", name,
				      s2attr_describe(in, buf, sizeof(buf)));
	}
}

static void s2attr_test_p4_p5_exec_and_mte(struct kunit *test)
{
	struct s2attr_prop p = {};

	s2attr_for_each_input(test, s2attr_check_p4_p5, &p);
	KUNIT_EXPECT_EQ(test, p.fails.count, 0);
	KUNIT_EXPECT_GT(test, p.hits, 0);
	kunit_info(test, "P4-P5: %u mapped fault decisions checked\n", p.hits);
}

/* Inputs that differ from @in only in something that must not matter. */
static void s2attr_expect_same(struct kunit *test, struct s2attr_prop *p, const char *what,
			       enum s2attr_policy_id id, const struct s2attr_input *in,
			       const struct s2attr_input *other)
{
	struct s2attr_test_out a, b;
	char buf[256];

	s2attr_run(id, in, &a, NULL);
	s2attr_run(id, other, &b, NULL);
	p->hits++;
	if (!s2attr_same(&a, &b))
		S2ATTR_REPORT(test, &p->fails, "P6 %s: %s matters for %s",
			      s2attr_policy_name(s2attr_policy(id)), what,
			      s2attr_describe(in, buf, sizeof(buf)));
}

static void s2attr_check_p6(struct kunit *test, const struct s2attr_input *in, void *ctx)
{
	struct s2attr_prop *p = ctx;
	struct s2attr_input o;
	struct s2attr_facts f;
	unsigned int i, v;

	s2attr_facts(in, &f);
	for (i = 0; i < ARRAY_SIZE(s2attr_policy_ids); i++) {
		enum s2attr_policy_id id = s2attr_policy_ids[i];
		/*
		 * memtype and VM_ALLOW_ANY_UNCACHED only matter for special
		 * memory: for linux-6.12 that is any pfn outside the linear
		 * map, for the others a special VMA's pfn outside it.
		 */
		bool plain = id == S2ATTR_POLICY_LINUX_6_12 ?
			     (f.fault ? f.map_memory : !f.special_vma) :
			     (f.fault ? !f.special_pfn : !f.special_vma);

		if (plain) {
			for (v = 0; v < S2ATTR_NR_MEMTYPES; v++) {
				o = *in;
				o.memtype = v;
				s2attr_expect_same(test, p, "memtype", id, in, &o);
			}
			o = *in;
			o.flags ^= S2ATTR_IN_ALLOW_ANY_UC;
			s2attr_expect_same(test, p, "allow_any_uc", id, in, &o);
		}
		if (id != S2ATTR_POLICY_STRICT) {
			o = *in;
			o.flags ^= S2ATTR_IN_COW;
			s2attr_expect_same(test, p, "cow", id, in, &o);
		}
		if (!f.fault) {
			for (v = 0; v < S2ATTR_NR_ACCESSES * 4; v++) {
				o = *in;
				o.access = v % S2ATTR_NR_ACCESSES;
				o.flags |= (v & 4) ? S2ATTR_IN_MAP_MEMORY : 0;
				o.flags |= (v & 8) ? S2ATTR_IN_PERM : 0;
				s2attr_expect_same(test, p, "map_memory/access/perm", id, in, &o);
			}
		} else {
			o = *in;
			o.flags ^= S2ATTR_IN_LOG_DIRTY;
			s2attr_expect_same(test, p, "log_dirty", id, in, &o);
		}
	}
}

static void s2attr_test_p6_irrelevant_inputs(struct kunit *test)
{
	struct s2attr_prop p = {};

	s2attr_for_each_input(test, s2attr_check_p6, &p);
	KUNIT_EXPECT_EQ(test, p.fails.count, 0);
	kunit_info(test, "P6: %u pairs of inputs compared\n", p.hits);
}

/* P7: every input is decided by a real row, and every row decides some input. */
struct s2attr_p7 {
	struct s2attr_fails fails;
	u32 decided[S2ATTR_NR_STAGES];	/* bitmap of rule ids that decided */
};

static void s2attr_check_p7(struct kunit *test, const struct s2attr_input *in, void *ctx)
{
	struct s2attr_p7 *p = ctx;
	struct s2attr_output out;
	char buf[256];

	s2attr_decide(s2attr_policy(p->fails.policy), in, &out);
	if (out.rule == S2ATTR_RULE_bad_input || out.rule == S2ATTR_RULE_no_rule ||
	    out.rule >= S2ATTR_NR_RULES)
		S2ATTR_REPORT(test, &p->fails, "P7 %s: %s not decided by any row (%s)",
			      s2attr_policy_name(s2attr_policy(p->fails.policy)),
			      s2attr_describe(in, buf, sizeof(buf)), s2attr_rule_name(out.rule));
	else
		p->decided[in->stage] |= BIT(out.rule);
}

static void s2attr_test_p7_total_no_dead_rule(struct kunit *test)
{
	const enum s2attr_policy_id *id = test->param_value;
	const struct s2attr_policy *policy = s2attr_policy(*id);
	struct s2attr_p7 p = { .fails.policy = *id };
	unsigned int stage, row;
	int rule;

	BUILD_BUG_ON(S2ATTR_NR_RULES > 32);	/* the bitmaps below */
	s2attr_for_each_input(test, s2attr_check_p7, &p);
	KUNIT_EXPECT_EQ(test, p.fails.count, 0);

	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		u32 names = 0;

		for (row = 0; (rule = s2attr_policy_rule(policy, stage, row)) >= 0; row++) {
			KUNIT_EXPECT_TRUE_MSG(test, p.decided[stage] & BIT(rule),
					      "%s %s: row %u (%s) is dead: it decides no input",
					      s2attr_policy_name(policy),
					      stage ? "fault" : "memslot", row,
					      s2attr_rule_name(rule));
			KUNIT_EXPECT_FALSE_MSG(test, names & BIT(rule),
					       "%s %s: rule %s appears twice",
					       s2attr_policy_name(policy),
					       stage ? "fault" : "memslot", s2attr_rule_name(rule));
			names |= BIT(rule);
		}
		KUNIT_EXPECT_GT(test, row, 1);
		kunit_info(test, "%s %s: %u rows, each decides at least one input\n",
			   s2attr_policy_name(policy), stage ? "fault" : "memslot", row);
	}
}

/*
 * P8: what the series changes. The cacheable-pfnmap - linux-6.12 difference
 * is exactly these groups of inputs, the same groups that
 * Documentation/virt/kvm/arm/s2attr.rst lists:
 *  M1: memslot, VM_PFNMAP, stage-1 cacheable, no FWB+DIC, not already
 *      refused for MTE or dirty logging: accepted before, refused now.
 *  F1: fault, special pfn, stage-1 cacheable, no FWB+DIC: Device/NC or
 *      ENOEXEC before, EFAULT now.
 *  F2: fault, special pfn, stage-1 cacheable, FWB+DIC: Device/NC or ENOEXEC
 *      before, Normal (subject to MTE) now.
 *  F3: fault, VMA neither PFNMAP nor MIXEDMAP, pfn outside the linear map:
 *      Device/NC or ENOEXEC before, Normal (subject to MTE) now.
 */
static bool s2attr_p8_in_diff(const struct s2attr_facts *f)
{
	if (!f->fault)
		return f->pfnmap && f->cacheable_s1 && !f->hw_ok &&
		       !(f->kvm_mte && !f->mte_allowed) && !f->log_dirty;
	if (f->special_pfn && f->cacheable_s1)
		return true;				/* F1, F2 */
	return !f->special_vma && !f->map_memory;	/* F3 */
}

static void s2attr_check_p8(struct kunit *test, const struct s2attr_input *in, void *ctx)
{
	struct s2attr_prop *p = ctx;
	struct s2attr_test_out a, b;
	struct s2attr_facts f;
	bool differs;
	char buf[256];

	s2attr_facts(in, &f);
	s2attr_run(S2ATTR_POLICY_LINUX_6_12, in, &a, NULL);
	s2attr_run(S2ATTR_POLICY_CACHEABLE_PFNMAP, in, &b, NULL);
	differs = !s2attr_same(&a, &b);
	p->hits += differs;
	if (differs != s2attr_p8_in_diff(&f))
		S2ATTR_REPORT(test, &p->fails, "P8: %s %s but the documented groups say %s",
			      s2attr_describe(in, buf, sizeof(buf)),
			      differs ? "differs" : "does not differ",
			      differs ? "it does not" : "it does");
}

static void s2attr_test_p8_series_difference(struct kunit *test)
{
	struct s2attr_prop p = {};

	s2attr_for_each_input(test, s2attr_check_p8, &p);
	KUNIT_EXPECT_EQ(test, p.fails.count, 0);
	KUNIT_EXPECT_GT(test, p.hits, 0);
	kunit_info(test, "P8: cacheable-pfnmap differs from linux-6.12 on %u inputs\n", p.hits);
}

/* ---- Inputs outside their domain fail closed ---------------------------- */

static void s2attr_test_out_of_domain(struct kunit *test)
{
	static const struct s2attr_input bad[] = {
		{ .stage = S2ATTR_NR_STAGES },
		{ .stage = 0xff },
		{ .stage = S2ATTR_STAGE_FAULT, .memtype = S2ATTR_NR_MEMTYPES },
		{ .stage = S2ATTR_STAGE_FAULT, .memtype = 0xff },
		{ .stage = S2ATTR_STAGE_MEMSLOT, .memtype = 8 },
		{ .stage = S2ATTR_STAGE_FAULT, .access = S2ATTR_NR_ACCESSES },
		{ .stage = S2ATTR_STAGE_MEMSLOT, .access = 0x80 },
		{ .stage = S2ATTR_STAGE_FAULT, .flags = S2ATTR_IN_ALL + 1 },
		{ .stage = S2ATTR_STAGE_MEMSLOT, .flags = BIT(31) | S2ATTR_IN_MAP_MEMORY },
		{ .stage = S2ATTR_STAGE_FAULT,
		  .flags = S2ATTR_IN_FWB | S2ATTR_IN_DIC | S2ATTR_IN_MAP_MEMORY | BIT(20) },
	};
	struct s2attr_output out;
	unsigned int i, p;
	char buf[256];

	for (p = 0; p < S2ATTR_NR_POLICIES; p++) {
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			int ret = s2attr_decide(s2attr_policy(p), &bad[i], &out);

			KUNIT_EXPECT_EQ_MSG(test, ret, -EINVAL, "%s: %s",
					    s2attr_policy_name(s2attr_policy(p)),
					    s2attr_describe(&bad[i], buf, sizeof(buf)));
			KUNIT_EXPECT_EQ(test, out.rule, S2ATTR_RULE_bad_input);
			KUNIT_EXPECT_FALSE(test, out.exec);
			KUNIT_EXPECT_FALSE(test, out.sanitise_mte);
		}
	}

	/* No policy is no policy: refused, not mapped. */
	KUNIT_EXPECT_EQ(test, s2attr_decide(NULL, &bad[0], &out), -EINVAL);
	KUNIT_EXPECT_NULL(test, s2attr_policy(S2ATTR_NR_POLICIES));
	KUNIT_EXPECT_NULL(test, s2attr_policy_by_name("purple"));
	KUNIT_EXPECT_STREQ(test, s2attr_rule_name(S2ATTR_NR_RULES), "?");
	for (p = 0; p < S2ATTR_NR_POLICIES; p++)
		KUNIT_EXPECT_PTR_EQ(test,
				    s2attr_policy_by_name(s2attr_policy_name(s2attr_policy(p))),
				    s2attr_policy(p));
}

/* Every rule has a name, a reason and a reference, and the names are unique. */
static void s2attr_test_rule_catalogue(struct kunit *test)
{
	unsigned int i, j;

	for (i = 0; i < S2ATTR_NR_RULES; i++) {
		KUNIT_EXPECT_STRNEQ_MSG(test, s2attr_rule_name(i), "?", "rule %u unnamed", i);
		KUNIT_EXPECT_STRNEQ_MSG(test, s2attr_rule_reason(i), "?", "rule %s has no reason",
					s2attr_rule_name(i));
		KUNIT_EXPECT_STRNEQ_MSG(test, s2attr_rule_ref(i), "?", "rule %s has no reference",
					s2attr_rule_name(i));
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, s2attr_rule_name(i), s2attr_rule_name(j));
	}
}

/* Every input of a stage is enumerated exactly once. */
static void s2attr_test_enumeration(struct kunit *test)
{
	static u8 seen[S2ATTR_FAULT_INPUTS];
	struct s2attr_input in;
	u32 n, key, dups = 0, oob = 0;

	for (n = 0; n < S2ATTR_FAULT_INPUTS; n++) {
		s2attr_input_nth(S2ATTR_STAGE_FAULT, n, &in);
		/* A packing of the fault inputs that is independent of the order. */
		key = ((in.flags & ~S2ATTR_IN_LOG_DIRTY & 0xff) |
		       ((in.flags & S2ATTR_IN_MAP_MEMORY) ? 0x100 : 0) |
		       ((in.flags & S2ATTR_IN_PERM) ? 0x200 : 0)) * 24 +
		      in.memtype * 3 + in.access;
		if (key >= S2ATTR_FAULT_INPUTS || in.flags & S2ATTR_IN_LOG_DIRTY) {
			oob++;
			continue;
		}
		dups += seen[key]++ != 0;
	}
	KUNIT_EXPECT_EQ(test, dups, 0);
	KUNIT_EXPECT_EQ(test, oob, 0);

	memset(seen, 0, sizeof(seen));
	dups = 0;
	for (n = 0; n < S2ATTR_MEMSLOT_INPUTS; n++) {
		s2attr_input_nth(S2ATTR_STAGE_MEMSLOT, n, &in);
		key = (in.flags & (S2ATTR_IN_MEMSLOT_FLAGS & ~0x100)) |
		      ((in.flags & S2ATTR_IN_LOG_DIRTY) ? 0x100 : 0);
		key = key * 8 + in.memtype;
		if (key >= S2ATTR_MEMSLOT_INPUTS || in.access ||
		    in.flags & ~S2ATTR_IN_MEMSLOT_FLAGS) {
			oob++;
			continue;
		}
		dups += seen[key]++ != 0;
	}
	KUNIT_EXPECT_EQ(test, dups, 0);
	KUNIT_EXPECT_EQ(test, oob, 0);
}

/*
 * s2attr_decide() answers a fault from an index derived from the fault table
 * at boot; s2attr_decide_scan() is the plain first-match scan of the
 * rows that defines it. They must agree on the whole key space of the
 * index: every value of the flags (the ones a stage ignores included),
 * every memtype and access, at both stages, under every policy.
 */
static bool s2attr_index_agrees(struct kunit *test, struct s2attr_fails *fails,
				const struct s2attr_input *in)
{
	const struct s2attr_policy *policy = s2attr_policy(fails->policy);
	struct s2attr_output a, b;
	char buf[256];
	int ra, rb;

	memset(&a, 0xa5, sizeof(a));
	memset(&b, 0x5a, sizeof(b));
	ra = s2attr_decide(policy, in, &a);
	rb = s2attr_decide_scan(policy, in, &b);
	if (ra == rb && !memcmp(&a, &b, sizeof(a)))
		return true;
	S2ATTR_REPORT(test, fails, "%s: %s: index says %d rule %s, scan says %d rule %s",
		      s2attr_policy_name(policy), s2attr_describe(in, buf, sizeof(buf)),
		      ra, s2attr_rule_name(a.rule), rb, s2attr_rule_name(b.rule));
	return false;
}

static void s2attr_test_index_is_scan(struct kunit *test)
{
	const u32 nr = 2 * (S2ATTR_IN_ALL + 1) * S2ATTR_NR_MEMTYPES * S2ATTR_NR_ACCESSES;
	struct s2attr_fails fails = {};
	struct s2attr_input in;
	u32 n, i, agree = 0;

	for (fails.policy = 0; fails.policy < S2ATTR_NR_POLICIES; fails.policy++) {
		for (n = 0; n < nr; n++) {
			i = n;
			in.flags = i % (S2ATTR_IN_ALL + 1);
			i /= S2ATTR_IN_ALL + 1;
			in.memtype = i % S2ATTR_NR_MEMTYPES;
			i /= S2ATTR_NR_MEMTYPES;
			in.access = i % S2ATTR_NR_ACCESSES;
			in.stage = i / S2ATTR_NR_ACCESSES;
			agree += s2attr_index_agrees(test, &fails, &in);
		}
	}
	KUNIT_EXPECT_EQ(test, in.stage, S2ATTR_NR_STAGES - 1);
	KUNIT_EXPECT_EQ_MSG(test, fails.count, 0, "%u of %u inputs differ", fails.count,
			    S2ATTR_NR_POLICIES * nr);
	kunit_info(test, "index and scan agree on %u of %u inputs\n", agree,
		   S2ATTR_NR_POLICIES * nr);
}

/* ---- Named cases a reviewer checks by eye -------------------------------- */

struct s2attr_case {
	const char *desc;
	enum s2attr_policy_id policy;
	struct s2attr_input in;
	int verdict;
	u8 memattr;
	bool exec;
	u8 rule;
};

#define FAULT(fl, mt, acc)	{ .stage = S2ATTR_STAGE_FAULT, .flags = (fl), \
				  .memtype = S2ATTR_MT_##mt, .access = S2ATTR_ACCESS_##acc }
#define MEMSLOT(fl, mt)		{ .stage = S2ATTR_STAGE_MEMSLOT, .flags = (fl), \
				  .memtype = S2ATTR_MT_##mt }

/* Shorthands for the flags of common mappings. */
#define PFNMAP		S2ATTR_IN_PFNMAP
#define MIXEDMAP	S2ATTR_IN_MIXEDMAP
#define COW		S2ATTR_IN_COW
#define ANY_UC		S2ATTR_IN_ALLOW_ANY_UC
#define MTE_OK		S2ATTR_IN_MTE_ALLOWED
#define KVM_MTE		S2ATTR_IN_KVM_MTE
#define FWB		S2ATTR_IN_FWB
#define DIC		S2ATTR_IN_DIC
#define DIRTY		S2ATTR_IN_LOG_DIRTY
#define LINEAR		S2ATTR_IN_MAP_MEMORY
#define PERM		S2ATTR_IN_PERM
#define GRACE		(FWB | DIC)

#define LINUX		S2ATTR_POLICY_LINUX_6_12
#define CACHEABLE	S2ATTR_POLICY_CACHEABLE_PFNMAP
#define STRICT		S2ATTR_POLICY_STRICT
#define FWB_ONLY	S2ATTR_POLICY_FWB_ONLY

#define MAPS(attr, x, r)	.verdict = 0, .memattr = S2ATTR_MEMATTR_##attr, .exec = (x), \
				.rule = S2ATTR_RULE_##r
#define FAILS(err, r)		.verdict = -(err), .rule = S2ATTR_RULE_##r
#define ACCEPTS			.verdict = 0, .rule = S2ATTR_RULE_accept

static const struct s2attr_case s2attr_cases[] = {
	{ "Grace GPU memory, WB PFNMAP, FWB+DIC: Normal, eager X", CACHEABLE,
	  FAULT(PFNMAP | GRACE, NORMAL, READ), MAPS(NORMAL, true, normal) },
	{ "Grace GPU memory under linux-6.12: demoted to Device", LINUX,
	  FAULT(PFNMAP | GRACE, NORMAL, READ), MAPS(DEVICE, false, device) },
	{ "Grace GPU memory under strict: Normal", STRICT,
	  FAULT(PFNMAP | GRACE, NORMAL, WRITE), MAPS(NORMAL, true, normal) },
	{ "Grace GPU memory slot, FWB+DIC: accepted", CACHEABLE,
	  MEMSLOT(PFNMAP | GRACE, NORMAL), ACCEPTS },
	{ "GPU memory on a CPU without DIC: fault refused", CACHEABLE,
	  FAULT(PFNMAP | FWB, NORMAL, READ), FAILS(EFAULT, wb_no_fwb_dic) },
	{ "GPU memory slot on a CPU without DIC: refused", CACHEABLE,
	  MEMSLOT(PFNMAP | FWB, NORMAL), FAILS(EINVAL, wb_no_fwb_dic) },
	{ "GPU memory slot without FWB under linux-6.12: accepted", LINUX,
	  MEMSLOT(PFNMAP | DIC, NORMAL), ACCEPTS },
	{ "GPU memory without FWB under linux-6.12: Device", LINUX,
	  FAULT(PFNMAP | DIC, NORMAL, WRITE), MAPS(DEVICE, false, device) },
	{ "CXL memory as MIXEDMAP WB, FWB+DIC: Normal", CACHEABLE,
	  FAULT(MIXEDMAP | GRACE, NORMAL, READ), MAPS(NORMAL, true, normal) },
	{ "VFIO BAR, Device-nGnRnE: Device", CACHEABLE,
	  FAULT(PFNMAP | GRACE, DEVICE_NGNRNE, READ), MAPS(DEVICE, false, nc_device) },
	{ "VFIO BAR with VM_ALLOW_ANY_UNCACHED: Normal-NC", CACHEABLE,
	  FAULT(PFNMAP | ANY_UC | GRACE, DEVICE_NGNRNE, WRITE), MAPS(NC, false, nc_any_uc) },
	{ "VFIO BAR with VM_ALLOW_ANY_UNCACHED under linux-6.12: Normal-NC", LINUX,
	  FAULT(PFNMAP | ANY_UC, DEVICE_NGNRE, WRITE), MAPS(NC, false, device_any_uc) },
	{ "VFIO BAR under strict: Device", STRICT,
	  FAULT(PFNMAP, DEVICE_NGNRE, READ), MAPS(DEVICE, false, nc_device) },
	{ "Exec from a VFIO BAR: instruction abort", CACHEABLE,
	  FAULT(PFNMAP | ANY_UC | GRACE, DEVICE_NGNRE, EXEC), FAILS(ENOEXEC, nc_exec) },
	{ "Exec from device memory under linux-6.12: instruction abort", LINUX,
	  FAULT(PFNMAP | GRACE, NORMAL, EXEC), FAILS(ENOEXEC, device_exec) },
	{ "Exec from Grace GPU memory: mapped Normal", CACHEABLE,
	  FAULT(PFNMAP | GRACE, NORMAL, EXEC), MAPS(NORMAL, true, normal) },
	{ "Write-combined framebuffer (S1 Normal-NC) PFNMAP: Device", CACHEABLE,
	  FAULT(PFNMAP | GRACE, NORMAL_NC, WRITE), MAPS(DEVICE, false, nc_device) },
	{ "/dev/mem over RAM, shared: kernel pfn is Normal", CACHEABLE,
	  FAULT(PFNMAP | LINEAR, NORMAL, READ), MAPS(NORMAL, false, normal) },
	{ "/dev/mem over RAM mapped Device at S1: still Normal (kernel pfn)", CACHEABLE,
	  FAULT(PFNMAP | LINEAR | DIC, DEVICE_NGNRE, READ), MAPS(NORMAL, true, normal) },
	{ "COW /dev/mem under strict: fault refused", STRICT,
	  FAULT(PFNMAP | COW | LINEAR | GRACE, NORMAL, READ), FAILS(EINVAL, pfnmap_cow) },
	{ "COW /dev/mem slot under strict: refused", STRICT,
	  MEMSLOT(PFNMAP | COW, NORMAL), FAILS(EINVAL, pfnmap_cow) },
	{ "COW /dev/mem under cacheable-pfnmap: COW plays no part", CACHEABLE,
	  FAULT(PFNMAP | COW | LINEAR, NORMAL, READ), MAPS(NORMAL, false, normal) },
	{ "COW MIXEDMAP under strict: not S1 (PFNMAP only)", STRICT,
	  FAULT(MIXEDMAP | COW | LINEAR, NORMAL, READ), MAPS(NORMAL, false, normal) },
	{ "MTE VM, PFNMAP slot without VM_MTE_ALLOWED: refused", CACHEABLE,
	  MEMSLOT(PFNMAP | KVM_MTE | GRACE, DEVICE_NGNRE), FAILS(EINVAL, mte_not_allowed) },
	{ "MTE VM, PFNMAP slot with VM_MTE_ALLOWED under strict: refused", STRICT,
	  MEMSLOT(PFNMAP | KVM_MTE | MTE_OK | GRACE, NORMAL), FAILS(EINVAL, mte_special) },
	{ "MTE VM, GPU memory with VM_MTE_ALLOWED under strict: fault refused", STRICT,
	  FAULT(PFNMAP | KVM_MTE | MTE_OK | GRACE, NORMAL, READ), FAILS(EFAULT, mte_special) },
	{ "MTE VM, GPU memory with VM_MTE_ALLOWED: 6.17 would sanitise tags", CACHEABLE,
	  FAULT(PFNMAP | KVM_MTE | MTE_OK | GRACE, NORMAL, READ),
	  MAPS(NORMAL, true, mte_sanitise) },
	{ "MTE VM, anonymous RAM, translation fault: sanitise tags", CACHEABLE,
	  FAULT(LINEAR | KVM_MTE | MTE_OK | FWB, NORMAL_TAGGED, WRITE),
	  MAPS(NORMAL, false, mte_sanitise) },
	{ "MTE VM, anonymous RAM, permission fault: no sanitising", CACHEABLE,
	  FAULT(LINEAR | KVM_MTE | MTE_OK | PERM, NORMAL_TAGGED, WRITE),
	  MAPS(NORMAL, false, normal) },
	{ "MTE VM, VMA without VM_MTE_ALLOWED: fault refused", LINUX,
	  FAULT(LINEAR | KVM_MTE, NORMAL, READ), FAILS(EFAULT, mte_not_allowed) },
	{ "MTE VM, VFIO BAR (non-cacheable): no MTE check", CACHEABLE,
	  FAULT(PFNMAP | KVM_MTE | MTE_OK, DEVICE_NGNRE, READ), MAPS(DEVICE, false, nc_device) },
	{ "Dirty logging on a PFNMAP slot: refused", LINUX,
	  MEMSLOT(PFNMAP | DIRTY, DEVICE_NGNRE), FAILS(EINVAL, dirty_log) },
	{ "Dirty logging on a MIXEDMAP slot under cacheable-pfnmap: accepted", CACHEABLE,
	  MEMSLOT(MIXEDMAP | DIRTY | GRACE, DEVICE_NGNRE), ACCEPTS },
	{ "Dirty logging on a MIXEDMAP slot under strict: refused", STRICT,
	  MEMSLOT(MIXEDMAP | DIRTY | GRACE, DEVICE_NGNRE), FAILS(EINVAL, dirty_log) },
	{ "WB MIXEDMAP slot without DIC under cacheable-pfnmap: accepted", CACHEABLE,
	  MEMSLOT(MIXEDMAP | FWB, NORMAL), ACCEPTS },
	{ "...and its fault is refused", CACHEABLE,
	  FAULT(MIXEDMAP | FWB, NORMAL, READ), FAILS(EFAULT, wb_no_fwb_dic) },
	{ "WB MIXEDMAP slot without DIC under strict: refused up front", STRICT,
	  MEMSLOT(MIXEDMAP | FWB, NORMAL), FAILS(EINVAL, wb_no_fwb_dic) },
	{ "AttrIndx 5 PFNMAP under cacheable-pfnmap: taken as cacheable", CACHEABLE,
	  FAULT(PFNMAP | GRACE, ATTR5, READ), MAPS(NORMAL, true, normal) },
	{ "AttrIndx 7 PFNMAP under strict: fault refused", STRICT,
	  FAULT(PFNMAP | GRACE, ATTR7, READ), FAILS(EFAULT, attr_undef) },
	{ "AttrIndx 6 PFNMAP slot under strict: refused", STRICT,
	  MEMSLOT(PFNMAP | GRACE, ATTR6), FAILS(EINVAL, attr_undef) },
	{ "Anonymous RAM, read fault, no DIC: Normal, no eager X", CACHEABLE,
	  FAULT(LINEAR | FWB, NORMAL, READ), MAPS(NORMAL, false, normal) },
	{ "Anonymous RAM, write fault, DIC: Normal, eager X", STRICT,
	  FAULT(LINEAR | DIC, NORMAL, WRITE), MAPS(NORMAL, true, normal) },
	{ "Anonymous RAM slot: accepted", LINUX,
	  MEMSLOT(FWB, NORMAL), ACCEPTS },
	{ "Plain VMA, pfn outside the linear map, linux-6.12: Device", LINUX,
	  FAULT(FWB, NORMAL, READ), MAPS(DEVICE, false, device) },
	{ "Plain VMA, pfn outside the linear map, 6.17: Normal", CACHEABLE,
	  FAULT(FWB, NORMAL, READ), MAPS(NORMAL, false, normal) },
	{ "GPU memory slot, FWB without DIC: accepted", FWB_ONLY,
	  MEMSLOT(PFNMAP | FWB, NORMAL), ACCEPTS },
	{ "GPU memory, FWB without DIC, read: Normal, not executable", FWB_ONLY,
	  FAULT(PFNMAP | FWB, NORMAL, READ), MAPS(NORMAL, false, normal) },
	{ "GPU memory, FWB without DIC, write: Normal, not executable", FWB_ONLY,
	  FAULT(MIXEDMAP | FWB, NORMAL_TAGGED, WRITE), MAPS(NORMAL, false, normal) },
	{ "Exec from GPU memory, FWB without DIC: instruction abort", FWB_ONLY,
	  FAULT(PFNMAP | FWB, NORMAL, EXEC), FAILS(ENOEXEC, wb_exec_no_dic) },
	{ "Exec permission fault on it, FWB without DIC: instruction abort", FWB_ONLY,
	  FAULT(PFNMAP | FWB | PERM, NORMAL, EXEC), FAILS(ENOEXEC, wb_exec_no_dic) },
	{ "Exec from GPU memory, FWB+DIC: Normal, eager X", FWB_ONLY,
	  FAULT(PFNMAP | GRACE, NORMAL, EXEC), MAPS(NORMAL, true, normal) },
	{ "GPU memory slot without FWB: refused", FWB_ONLY,
	  MEMSLOT(PFNMAP | DIC, NORMAL), FAILS(EINVAL, wb_no_fwb) },
	{ "GPU memory without FWB, exec: refused for FWB first", FWB_ONLY,
	  FAULT(PFNMAP | DIC, NORMAL, EXEC), FAILS(EFAULT, wb_no_fwb) },
	{ "Exec from anonymous RAM, FWB without DIC: Normal", FWB_ONLY,
	  FAULT(LINEAR | FWB, NORMAL, EXEC), MAPS(NORMAL, false, normal) },
	{ "MTE VM, GPU memory with VM_MTE_ALLOWED, FWB without DIC: refused", FWB_ONLY,
	  FAULT(PFNMAP | KVM_MTE | MTE_OK | FWB, NORMAL, READ), FAILS(EFAULT, mte_special) },
	{ "MTE VM, anonymous RAM, FWB without DIC: sanitise tags", FWB_ONLY,
	  FAULT(LINEAR | KVM_MTE | MTE_OK | FWB, NORMAL_TAGGED, WRITE),
	  MAPS(NORMAL, false, mte_sanitise) },
	{ "Exec from a VFIO BAR, FWB without DIC: instruction abort", FWB_ONLY,
	  FAULT(PFNMAP | FWB, DEVICE_NGNRE, EXEC), FAILS(ENOEXEC, nc_exec) },
};

static void s2attr_case_desc(const struct s2attr_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s: %s",
		 s2attr_policy_name(s2attr_policy(c->policy)), c->desc);
}

KUNIT_ARRAY_PARAM(s2attr_case, s2attr_cases, s2attr_case_desc);

static void s2attr_test_named_case(struct kunit *test)
{
	const struct s2attr_case *c = test->param_value;
	struct s2attr_output out;
	char buf[256];
	int ret;

	ret = s2attr_decide(s2attr_policy(c->policy), &c->in, &out);
	s2attr_describe(&c->in, buf, sizeof(buf));
	KUNIT_EXPECT_EQ_MSG(test, ret, c->verdict, "%s: %s", c->desc, buf);
	KUNIT_EXPECT_STREQ_MSG(test, s2attr_rule_name(out.rule), s2attr_rule_name(c->rule),
			       "%s: %s", c->desc, buf);
	if (!ret && c->in.stage == S2ATTR_STAGE_FAULT) {
		KUNIT_EXPECT_STREQ_MSG(test, s2attr_memattr_name(out.memattr),
				       s2attr_memattr_name(c->memattr), "%s", c->desc);
		KUNIT_EXPECT_EQ_MSG(test, out.exec, c->exec, "%s", c->desc);
	}
}

static struct kunit_case s2attr_test_cases[] = {
	KUNIT_CASE_PARAM(s2attr_test_reference, s2attr_policy_gen_params),
	KUNIT_CASE_PARAM(s2attr_test_reference_rule, s2attr_policy_gen_params),
	KUNIT_CASE(s2attr_test_p1_p3_special_memory),
	KUNIT_CASE(s2attr_test_p2_linux_demotes),
	KUNIT_CASE(s2attr_test_p4_p5_exec_and_mte),
	KUNIT_CASE_SLOW(s2attr_test_p6_irrelevant_inputs),
	KUNIT_CASE_PARAM(s2attr_test_p7_total_no_dead_rule, s2attr_policy_gen_params),
	KUNIT_CASE(s2attr_test_p8_series_difference),
	KUNIT_CASE(s2attr_test_out_of_domain),
	KUNIT_CASE(s2attr_test_rule_catalogue),
	KUNIT_CASE(s2attr_test_enumeration),
	KUNIT_CASE(s2attr_test_index_is_scan),
	KUNIT_CASE_PARAM(s2attr_test_named_case, s2attr_case_gen_params),
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
