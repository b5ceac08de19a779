// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vocabulary of the s2attr tool, its input columns, the presets and
 * hosts of `explain`, and the parser of its key=value words. The parser
 * reports a problem as a message instead of exiting, so that
 * tools/kvm/s2attr/fuzz/ can run it in a loop.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>

/* The policy names are the first member of struct s2attr_policy. */
#include "policy.h"

#include "input.h"

const char *const memtype_names[S2ATTR_NR_MEMTYPES] = {
	"normal", "tagged", "nc", "nGnRnE", "nGnRE", "attr5", "attr6", "attr7",
};

const char *const access_names[S2ATTR_NR_ACCESSES] = { "read", "write", "exec" };

const char *const stage_names[S2ATTR_NR_STAGES] = { "memslot", "fault" };

const char *const memattr_names[S2ATTR_NR_MEMATTRS] = { "normal", "nc", "device" };

static const char *const bool_names[] = { "0", "1" };

static const char *const verdict_names[] = { "map", "EINVAL", "EFAULT", "ENOEXEC" };

static const int verdict_errnos[] = { 0, -EINVAL, -EFAULT, -ENOEXEC };

_Static_assert(ARRAY_SIZE(verdict_names) == ARRAY_SIZE(verdict_errnos), "a word per verdict");

int verdict_of(unsigned int i)
{
	return i < ARRAY_SIZE(verdict_errnos) ? verdict_errnos[i] : -EINVAL;
}

const char *verdict_name(int verdict)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(verdict_errnos); i++) {
		if (verdict_errnos[i] == verdict)
			return verdict_names[i];
	}
	return "?";
}

/* The inputs of SPEC section 2: name, kind, flag, stage, source, default, meaning. */
const struct column columns[] = {
	{ "stage",	  COL_STAGE,   0,			-1, SRC_DEFAULT, S2ATTR_STAGE_FAULT,
	  "which caller: kvm_arch_prepare_memory_region() or user_mem_abort()" },
	{ "pfnmap",	  COL_FLAG,    S2ATTR_IN_PFNMAP,	-1, SRC_PRESET, 0,
	  "vma->vm_flags & VM_PFNMAP" },
	{ "mixedmap",	  COL_FLAG,    S2ATTR_IN_MIXEDMAP,	-1, SRC_PRESET, 0,
	  "vma->vm_flags & VM_MIXEDMAP" },
	{ "cow",	  COL_FLAG,    S2ATTR_IN_COW,		-1, SRC_PRESET, 0,
	  "is_cow_mapping(vma->vm_flags): a private writable mapping" },
	{ "allow_any_uc", COL_FLAG,    S2ATTR_IN_ALLOW_ANY_UC,	-1, SRC_PRESET, 0,
	  "vma->vm_flags & VM_ALLOW_ANY_UNCACHED" },
	{ "mte_allowed",  COL_FLAG,    S2ATTR_IN_MTE_ALLOWED,	-1, SRC_PRESET, 0,
	  "vma->vm_flags & VM_MTE_ALLOWED" },
	{ "memtype",	  COL_MEMTYPE, 0,			-1, SRC_PRESET, 0,
	  "stage-1 AttrIndx: of the host PTE at a fault when KVM walked the host page "
	  "table for the pfn, else of vma->vm_page_prot" },
	{ "kvm_mte",	  COL_FLAG,    S2ATTR_IN_KVM_MTE,	-1, SRC_DEFAULT, 0,
	  "kvm_has_mte(kvm): the VM has MTE" },
	{ "fwb",	  COL_FLAG,    S2ATTR_IN_FWB,		-1, SRC_HOST, 0,
	  "FEAT_S2FWB: cpus_have_final_cap(ARM64_HAS_STAGE2_FWB)" },
	{ "dic",	  COL_FLAG,    S2ATTR_IN_DIC,		-1, SRC_HOST, 0,
	  "CTR_EL0.DIC: cpus_have_final_cap(ARM64_HAS_CACHE_DIC)" },
	{ "log_dirty",	  COL_FLAG,    S2ATTR_IN_LOG_DIRTY,	-1, SRC_DEFAULT, 0,
	  "the memslot logs dirty pages (KVM_MEM_LOG_DIRTY_PAGES)" },
	{ "map_memory",	  COL_FLAG,    S2ATTR_IN_MAP_MEMORY,	S2ATTR_STAGE_FAULT, SRC_PRESET, 0,
	  "pfn_is_map_memory(pfn): the pfn is in the kernel's linear map" },
	{ "access",	  COL_ACCESS,  0,			S2ATTR_STAGE_FAULT, SRC_DEFAULT,
	  S2ATTR_ACCESS_READ, "the fault: a data read or write, or an instruction fetch" },
	{ "perm",	  COL_FLAG,    S2ATTR_IN_PERM,		S2ATTR_STAGE_FAULT, SRC_DEFAULT, 0,
	  "a permission fault (else a translation fault)" },
};

_Static_assert(ARRAY_SIZE(columns) == NR_COLUMNS, "NR_COLUMNS must match columns[]");

/*
 * The presets: what the VMA and the PTEs of each kind of memory are in
 * Linux 6.12. mte_allowed is what an MTE host gives (arch_calc_vm_flag_bits():
 * anonymous and shmem memory); on a host without MTE it is 0.
 */
const struct preset presets[] = {
	{ "vfio-bar",
	  "a vfio-pci BAR: VM_PFNMAP|VM_IO, VM_ALLOW_ANY_UNCACHED, pgprot_noncached (nGnRnE), "
	  "MMIO outside the linear map",
	  S2ATTR_IN_PFNMAP | S2ATTR_IN_ALLOW_ANY_UC, S2ATTR_MT_DEVICE_NGNRNE,
	  S2ATTR_MT_DEVICE_NGNRNE },
	{ "grace-gpu",
	  "nvgrace-gpu usemem, a Grace Hopper GPU's memory: VM_PFNMAP|VM_IO, cacheable, "
	  "outside the linear map",
	  S2ATTR_IN_PFNMAP, S2ATTR_MT_NORMAL, S2ATTR_MT_NORMAL },
	{ "anon-ram",
	  "private anonymous RAM (MAP_PRIVATE|MAP_ANONYMOUS): copy-on-write, VM_MTE_ALLOWED, "
	  "in the linear map",
	  S2ATTR_IN_COW | S2ATTR_IN_MTE_ALLOWED | S2ATTR_IN_MAP_MEMORY, S2ATTR_MT_NORMAL,
	  S2ATTR_MT_NORMAL },
	{ "shmem",
	  "shared memory (memfd, tmpfs, MAP_SHARED|MAP_ANONYMOUS): VM_MTE_ALLOWED, in the "
	  "linear map",
	  S2ATTR_IN_MTE_ALLOWED | S2ATTR_IN_MAP_MEMORY, S2ATTR_MT_NORMAL, S2ATTR_MT_NORMAL },
	{ "dev-mem",
	  "/dev/mem (MAP_SHARED) of RAM hidden from the kernel with mem=: VM_PFNMAP|VM_IO, "
	  "pgprot_noncached (nGnRnE), outside the linear map",
	  S2ATTR_IN_PFNMAP, S2ATTR_MT_DEVICE_NGNRNE, S2ATTR_MT_DEVICE_NGNRNE },
	{ "ttm-vram",
	  "a TTM buffer object in VRAM (amdgpu, radeon, nouveau): VM_PFNMAP|VM_IO, "
	  "vm_page_prot cacheable (the memslot's), PTEs write-combined (nc, the fault's), "
	  "outside the linear map",
	  S2ATTR_IN_PFNMAP, S2ATTR_MT_NORMAL, S2ATTR_MT_NORMAL_NC },
	{ "ttm-system",
	  "a cached TTM buffer object in system memory: VM_PFNMAP|VM_IO, kernel pages in the "
	  "linear map (memtype=nc for a write-combined one)",
	  S2ATTR_IN_PFNMAP | S2ATTR_IN_MAP_MEMORY, S2ATTR_MT_NORMAL, S2ATTR_MT_NORMAL },
	{ "devdax",
	  "device-dax (/dev/daxN.M, MAP_SHARED): ZONE_DEVICE memory outside the linear map, "
	  "neither VM_PFNMAP nor VM_MIXEDMAP",
	  0, S2ATTR_MT_NORMAL, S2ATTR_MT_NORMAL },
};

_Static_assert(ARRAY_SIZE(presets) == NR_PRESETS, "NR_PRESETS must match presets[]");

const struct host hosts[] = {
	/* MTE is not assumed either way for Grace: kvm_mte is taken as given. */
	{ "grace", "NVIDIA Grace (Neoverse V2): FEAT_S2FWB and CTR_EL0.DIC; kvm_mte as given",
	  true, true, true },
	{ "qemu-max", "qemu-system-aarch64 7.2 -cpu max: FEAT_S2FWB, no CTR_EL0.DIC, MTE "
	  "(-machine mte=on)", true, false, true },
	{ "cortex-a72", "Arm Cortex-A72 (Armv8.0, e.g. Raspberry Pi 4): no FEAT_S2FWB, no "
	  "CTR_EL0.DIC, no MTE", false, false, false },
};

_Static_assert(ARRAY_SIZE(hosts) == NR_HOSTS, "NR_HOSTS must match hosts[]");

/* A vocabulary of a table whose elements start with their name. */
#define VOCAB(what, table, nr, aliases)	{ what, table, sizeof((table)[0]), nr, aliases }

_Static_assert(offsetof(struct column, name) == 0, "a column starts with its name");
_Static_assert(offsetof(struct preset, name) == 0, "a preset starts with its name");
_Static_assert(offsetof(struct host, name) == 0, "a host starts with its name");
_Static_assert(offsetof(struct s2attr_policy, name) == 0, "a policy starts with its name");

/* Other spellings of the words, each pair (spelling, word), NULL-terminated. */
static const char *const stage_aliases[] = {
	"slot", "memslot", "region", "memslot", "prepare", "memslot", "vma", "memslot",
	"abort", "fault", "pagefault", "fault", "s2fault", "fault", "usermemabort", "fault",
	NULL,
};

static const char *const memtype_aliases[] = {
	"normalnc", "nc", "mtnormalnc", "nc", "wc", "nc", "writecombine", "nc",
	"writecombined", "nc", "noncacheable", "nc", "normalnoncacheable", "nc",
	"mtnormal", "normal", "wb", "normal", "writeback", "normal", "normalwb", "normal",
	"cacheable", "normal", "cached", "normal",
	"mtnormaltagged", "tagged", "normaltagged", "tagged",
	"mtdevicengnrne", "nGnRnE", "devicengnrne", "nGnRnE", "noncached", "nGnRnE",
	"mtdevicengnre", "nGnRE", "devicengnre", "nGnRE",
	"0", "normal", "1", "tagged", "2", "nc", "3", "nGnRnE", "4", "nGnRE",
	"5", "attr5", "6", "attr6", "7", "attr7", "attrindx5", "attr5", "attrindx6", "attr6",
	"attrindx7", "attr7",
	NULL,
};

static const char *const access_aliases[] = {
	"r", "read", "rd", "read", "load", "read", "dataread", "read",
	"w", "write", "wr", "write", "store", "write", "datawrite", "write",
	"x", "exec", "execute", "exec", "fetch", "exec", "ifetch", "exec", "instr", "exec",
	"instruction", "exec", "instructionfetch", "exec",
	NULL,
};

static const char *const bool_aliases[] = {
	"true", "1", "yes", "1", "y", "1", "on", "1",
	"false", "0", "no", "0", "n", "0", "off", "0",
	NULL,
};

static const char *const key_aliases[] = {
	"vmpfnmap", "pfnmap", "vmmixedmap", "mixedmap",
	"iscowmapping", "cow", "cowmapping", "cow", "private", "cow",
	"allowanyuncached", "allow_any_uc", "vmallowanyuncached", "allow_any_uc",
	"anyuc", "allow_any_uc", "anyuncached", "allow_any_uc",
	"vmmteallowed", "mte_allowed", "mteok", "mte_allowed",
	"type", "memtype", "attrindx", "memtype", "s1type", "memtype", "memattr", "memtype",
	"pgprot", "memtype",
	"mte", "kvm_mte", "kvmhasmte", "kvm_mte", "vmmte", "kvm_mte",
	"s2fwb", "fwb", "feats2fwb", "fwb", "stage2fwb", "fwb", "hasstage2fwb", "fwb",
	"ctrel0dic", "dic", "cachedic", "dic", "hascachedic", "dic",
	"logging", "log_dirty", "dirtylog", "log_dirty", "dirty", "log_dirty",
	"dirtylogging", "log_dirty", "logdirtypages", "log_dirty",
	"mapmem", "map_memory", "pfnismapmemory", "map_memory", "linearmap", "map_memory",
	"inlinearmap", "map_memory",
	"permission", "perm", "permfault", "perm", "permissionfault", "perm",
	"accesstype", "access", "faulttype", "access",
	NULL,
};

static const char *const memattr_aliases[] = {
	"normalnc", "nc", "wc", "nc", "noncacheable", "nc", "normalnoncacheable", "nc",
	"wb", "normal", "writeback", "normal", "normalwb", "normal", "cacheable", "normal",
	"devicengnre", "device", "ngnre", "device", "mtdevicengnre", "device",
	NULL,
};

static const char *const verdict_aliases[] = {
	"accept", "map", "accepted", "map", "ok", "map", "mapped", "map", "success", "map",
	"0", "map", "22", "EINVAL", "14", "EFAULT", "8", "ENOEXEC",
	NULL,
};

static const char *const policy_aliases[] = {
	"default", "cacheable-pfnmap", "linux617", "cacheable-pfnmap", "617", "cacheable-pfnmap",
	"612", "linux-6.12",
	NULL,
};

static const char *const preset_aliases[] = {
	"nvgrace", "grace-gpu", "nvgracegpu", "grace-gpu", "gpu", "grace-gpu",
	"usemem", "grace-gpu", "vfio", "vfio-bar", "vfiopci", "vfio-bar", "bar", "vfio-bar",
	"anon", "anon-ram", "anonymous", "anon-ram", "ram", "anon-ram",
	"vram", "ttm-vram", "gtt", "ttm-system", "tt", "ttm-system",
	"dax", "devdax", "devicedax", "devdax",
	"memfd", "shmem", "tmpfs", "shmem", "sharedanon", "shmem",
	NULL,
};

static const char *const host_aliases[] = {
	"neoversev2", "grace", "gracehopper", "grace", "gh200", "grace",
	"qemu", "qemu-max", "tcg", "qemu-max", "max", "qemu-max",
	"a72", "cortex-a72", "rpi4", "cortex-a72", "raspberrypi4", "cortex-a72",
	NULL,
};

const struct vocab stage_vocab = VOCAB("stage", stage_names, S2ATTR_NR_STAGES, stage_aliases);
const struct vocab memtype_vocab = VOCAB("memtype", memtype_names, S2ATTR_NR_MEMTYPES,
					 memtype_aliases);
const struct vocab access_vocab = VOCAB("access", access_names, S2ATTR_NR_ACCESSES,
					access_aliases);
const struct vocab bool_vocab = VOCAB("bool", bool_names, 2, bool_aliases);
const struct vocab key_vocab = VOCAB("key", columns, NR_COLUMNS, key_aliases);
const struct vocab memattr_vocab = VOCAB("memattr", memattr_names, S2ATTR_NR_MEMATTRS,
					 memattr_aliases);
const struct vocab verdict_vocab = VOCAB("verdict", verdict_names, ARRAY_SIZE(verdict_names),
					 verdict_aliases);
const struct vocab policy_vocab = VOCAB("policy", s2attr_policies, S2ATTR_NR_POLICIES,
					policy_aliases);
const struct vocab preset_vocab = VOCAB("preset", presets, NR_PRESETS, preset_aliases);
const struct vocab host_vocab = VOCAB("host", hosts, NR_HOSTS, host_aliases);

int vocab_find(const struct vocab *v, const char *word)
{
	unsigned int i;

	for (i = 0; i < v->nr_words; i++) {
		if (!strcmp(vocab_word(v, i), word))
			return i;
	}
	return -1;
}

#define NORM_LEN	64

/* @word without case, '-', '_', '.' and ' ' into @buf; false if it does not fit. */
static bool normalise(const char *word, char buf[NORM_LEN])
{
	size_t n = 0;

	for (; *word; word++) {
		if (strchr("-_. ", *word))
			continue;
		if (n + 1 == NORM_LEN)
			return false;
		buf[n++] = tolower((unsigned char)*word);
	}
	buf[n] = 0;
	return n;
}

/*
 * The word of @v that @word means: the same but for case and separators,
 * a known other spelling, or else the one word it is a prefix of (three
 * characters at least). NULL when there is none, or more than one.
 */
static const char *vocab_suggest(const struct vocab *v, const char *word)
{
	char n[NORM_LEN], w[NORM_LEN];
	const char *found = NULL;
	const char *const *a;
	unsigned int i;

	if (!normalise(word, n))
		return NULL;
	for (i = 0; i < v->nr_words; i++) {
		if (normalise(vocab_word(v, i), w) && !strcmp(n, w))
			return vocab_word(v, i);
	}
	for (a = v->aliases; a && *a; a += 2) {
		if (normalise(a[0], w) && !strcmp(n, w))
			return a[1];
	}
	if (strlen(n) < 3)
		return NULL;
	for (i = 0; i < v->nr_words; i++) {
		if (normalise(vocab_word(v, i), w) && !strncmp(n, w, strlen(n))) {
			if (found)
				return NULL;
			found = vocab_word(v, i);
		}
	}
	return found;
}

void vocab_join(const struct vocab *v, const char *sep, char *buf, size_t len)
{
	unsigned int i;
	size_t used = 0;

	if (!len)
		return;
	buf[0] = 0;
	for (i = 0; i < v->nr_words && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? sep : "", vocab_word(v, i));
}

const char *vocab_error(const struct vocab *v, const char *head, const char *word, char *err,
			size_t len)
{
	const char *meant = vocab_suggest(v, word);
	char known[256];

	if (!len)
		return "";
	vocab_join(v, ", ", known, sizeof(known));
	if (meant)
		snprintf(err, len, "%s: did you mean %s? (expected one of %s)", head, meant, known);
	else
		snprintf(err, len, "%s: expected one of %s", head, known);
	return err;
}

bool column_applies(const struct column *c, unsigned int stage)
{
	return c->only_stage < 0 || (unsigned int)c->only_stage == stage;
}

const struct vocab *column_vocab(const struct column *c)
{
	switch (c->kind) {
	case COL_STAGE:
		return &stage_vocab;
	case COL_MEMTYPE:
		return &memtype_vocab;
	case COL_ACCESS:
		return &access_vocab;
	default:
		return &bool_vocab;
	}
}

unsigned int column_get(const struct column *c, const struct s2attr_input *in)
{
	switch (c->kind) {
	case COL_STAGE:
		return in->stage;
	case COL_MEMTYPE:
		return in->memtype;
	case COL_ACCESS:
		return in->access;
	default:
		return !!(in->flags & c->flag);
	}
}

void column_set(const struct column *c, struct s2attr_input *in, unsigned int v)
{
	switch (c->kind) {
	case COL_STAGE:
		in->stage = v;
		break;
	case COL_MEMTYPE:
		in->memtype = v;
		break;
	case COL_ACCESS:
		in->access = v;
		break;
	default:
		in->flags = v ? (in->flags | c->flag) : (in->flags & ~c->flag);
	}
}

const char *column_value(const struct column *c, const struct s2attr_input *in)
{
	if (!column_applies(c, in->stage))
		return "-";
	return vocab_word(column_vocab(c), column_get(c, in));
}

/* Formats the message into @err and returns it. */
static __attribute__((format(printf, 3, 4)))
const char *fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!len)
		return "";
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return err;
}

/* The value of @c that @preset or @host gives at @stage. */
static unsigned int preset_value(const struct column *c, unsigned int stage,
				 const struct preset *preset, const struct host *host)
{
	if (c->from == SRC_HOST)
		return c->flag == S2ATTR_IN_FWB ? host->fwb : host->dic;
	if (c->kind == COL_MEMTYPE)
		return stage == S2ATTR_STAGE_FAULT ? preset->pte_memtype : preset->vma_memtype;
	if (c->flag == S2ATTR_IN_MTE_ALLOWED && host && !host->mte)
		return 0;
	return !!(preset->flags & c->flag);
}

/* "log_dirty=0|1 perm=0|1": the columns @missing names, with their domains. */
static void missing_text(const bool *missing, char *buf, size_t len)
{
	char dom[128];
	size_t used = 0;
	unsigned int c;

	buf[0] = 0;
	for (c = 0; c < NR_COLUMNS && used < len; c++) {
		if (!missing[c])
			continue;
		vocab_join(column_vocab(&columns[c]), "|", dom, sizeof(dom));
		used += snprintf(buf + used, len - used, "%s%s=%s", used ? " " : "",
				 columns[c].name, dom);
	}
}

const char *parse_input(int argc, char *const argv[], const char *preset_name,
			const char *host_name, struct s2attr_input *in, struct input_src *src,
			char *err, size_t len)
{
	unsigned int val[NR_COLUMNS] = { 0 };
	bool given[NR_COLUMNS] = { false }, missing[NR_COLUMNS] = { false };
	const struct preset *preset = NULL;
	const struct host *host = NULL;
	char head[96], text[512];
	bool any_missing = false;
	unsigned int c, stage;
	int i, v;

	memset(in, 0, sizeof(*in));
	in->stage = S2ATTR_NR_STAGES;
	if (src)
		memset(src, 0, sizeof(*src));
	if (preset_name) {
		v = vocab_find(&preset_vocab, preset_name);
		if (v < 0) {
			snprintf(head, sizeof(head), "unknown preset '%.40s'", preset_name);
			return vocab_error(&preset_vocab, head, preset_name, err, len);
		}
		preset = &presets[v];
	}
	if (host_name) {
		v = vocab_find(&host_vocab, host_name);
		if (v < 0) {
			snprintf(head, sizeof(head), "unknown host '%.40s'", host_name);
			return vocab_error(&host_vocab, head, host_name, err, len);
		}
		host = &hosts[v];
	}

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const char *eq = strchr(arg, '=');
		char key[32];
		int klen;

		if (!eq)
			return fail(err, len, "'%.60s': expected key=value", arg);
		klen = eq - arg;
		snprintf(key, sizeof(key), "%.*s", klen, arg);
		v = (size_t)klen < sizeof(key) ? vocab_find(&key_vocab, key) : -1;
		if (v < 0) {
			snprintf(head, sizeof(head), "unknown key '%.*s'", klen < 40 ? klen : 40,
				 arg);
			return vocab_error(&key_vocab, head, key, err, len);
		}
		c = v;
		if (given[c])
			return fail(err, len, "key '%s' given twice", columns[c].name);
		v = vocab_find(column_vocab(&columns[c]), eq + 1);
		if (v < 0) {
			snprintf(head, sizeof(head), "%s=%.40s", columns[c].name, eq + 1);
			return vocab_error(column_vocab(&columns[c]), head, eq + 1, err, len);
		}
		given[c] = true;
		val[c] = v;
	}

	if (given[0])
		stage = val[0];
	else if (preset)
		stage = columns[0].dflt;
	else
		stage = S2ATTR_NR_STAGES;

	for (c = 0; c < NR_COLUMNS; c++) {
		const struct column *col = &columns[c];
		u8 from = SRC_GIVEN;

		if (given[c]) {
			if (stage < S2ATTR_NR_STAGES && !column_applies(col, stage))
				return fail(err, len, "key '%s' does not apply to the %s stage",
					    col->name, stage_names[stage]);
		} else if (stage < S2ATTR_NR_STAGES && !column_applies(col, stage)) {
			continue;
		} else if (col->from == SRC_PRESET && preset) {
			from = SRC_PRESET;
			val[c] = preset_value(col, stage, preset, host);
		} else if (col->from == SRC_HOST && host) {
			from = SRC_HOST;
			val[c] = preset_value(col, stage, preset, host);
		} else if (col->from == SRC_DEFAULT && preset) {
			from = SRC_DEFAULT;
			val[c] = col->dflt;
		} else {
			missing[c] = true;
			any_missing = true;
			from = SRC_MISSING;
		}
		if (src)
			src->src[c] = from;
	}
	if (any_missing) {
		missing_text(missing, text, sizeof(text));
		if (stage < S2ATTR_NR_STAGES)
			return fail(err, len, "missing keys for the %s stage: %s (or --preset "
				    "KIND and --host CPU; s2attr explain --help)",
				    stage_names[stage], text);
		return fail(err, len, "missing keys: %s (map_memory, access and perm: the fault "
			    "stage only; or --preset KIND and --host CPU)", text);
	}

	for (c = 0; c < NR_COLUMNS; c++) {
		if (column_applies(&columns[c], stage))
			column_set(&columns[c], in, val[c]);
	}
	if (host && !host->mte && (in->flags & S2ATTR_IN_KVM_MTE))
		return fail(err, len, "kvm_mte=1: host %s has no MTE (no VM on it can have MTE)",
			    host->name);
	if (src) {
		src->preset = preset;
		src->host = host;
	}
	return NULL;
}
