// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2attr diff and ptediff: the inputs whose outcome differs between two
 * policies, or between the stage-1 type of a VMA and of its PTEs, grouped
 * by the change of outcome and, within a group, into sets of inputs.
 *
 * The reST of `diff --format=rst`: per group of inputs with the same change
 * of outcome, an item "- STAGE stage, N inputs: ``FROM -> TO``, where",
 * then a nested list of the sets of inputs ("  - ``key=value ...``"), a
 * long item wrapped onto lines indented to its text; last, the paragraph
 * "N inputs differ in all.". An outcome is a verdict (map, EINVAL, EFAULT,
 * ENOEXEC) or, for a mapped fault, the memory type with " +X", " +wp_read",
 * " +sanitise_mte" as they apply, followed by the rule in brackets. The
 * text output is the same, as "STAGE: N inputs: FROM -> TO" and a set of
 * inputs a line, after '#' lines: what is compared, and a legend.
 *
 * ptediff: the fault inputs of special VMAs (VM_PFNMAP or VM_MIXEDMAP)
 * whose memory type is --pte, each decided under the policy as it is (the
 * stage-1 type of the host PTE, as this series takes it when KVM finds the
 * pfn by walking the host page table) and with the memory type --vma (that
 * of vm_page_prot, as upstream takes it); printed like diff, FROM being the
 * outcome with the VMA's type and TO the one with the PTE's, without the
 * memtype column in the sets of inputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tool.h"

static unsigned int column_domain(const struct column *c)
{
	return column_vocab(c)->nr_words;
}

/* Index of an input within its stage's enumeration; inverse of s2attr_input_nth(). */
static u32 input_index(const struct s2attr_input *in)
{
	u32 f = in->flags, x;

	x = !!(f & S2ATTR_IN_MTE_ALLOWED) + 2 * !!(f & S2ATTR_IN_ALLOW_ANY_UC) +
	    4 * !!(f & S2ATTR_IN_COW) + 8 * !!(f & S2ATTR_IN_MIXEDMAP) +
	    16 * !!(f & S2ATTR_IN_PFNMAP);
	x = x * S2ATTR_NR_MEMTYPES + in->memtype;
	x = x * 16 + !!(f & S2ATTR_IN_LOG_DIRTY) + 2 * !!(f & S2ATTR_IN_DIC) +
	    4 * !!(f & S2ATTR_IN_FWB) + 8 * !!(f & S2ATTR_IN_KVM_MTE);
	if (in->stage == S2ATTR_STAGE_MEMSLOT)
		return x;
	x = x * 2 + !!(f & S2ATTR_IN_MAP_MEMORY);
	x = x * S2ATTR_NR_ACCESSES + in->access;
	return x * 2 + !!(f & S2ATTR_IN_PERM);
}

struct cube {
	u8 allowed[NR_COLUMNS];	/* bitmap of values per column */
};

/* Calls @fn on every input of @stage inside @cube; stops when @fn says no. */
static bool cube_all(const struct cube *cube, unsigned int stage,
		     bool (*fn)(const struct s2attr_input *in, void *ctx), void *ctx)
{
	unsigned int vals[NR_COLUMNS][8], nr_vals[NR_COLUMNS], pos[NR_COLUMNS] = { 0 };
	struct s2attr_input in = { .stage = stage };
	unsigned int c, v;

	/* Only the values the cube allows, odometer-wise: the cube's members. */
	for (c = 1; c < NR_COLUMNS; c++) {
		nr_vals[c] = 0;
		if (!column_applies(&columns[c], stage))
			continue;
		for (v = 0; v < column_domain(&columns[c]); v++) {
			if (cube->allowed[c] & (1u << v))
				vals[c][nr_vals[c]++] = v;
		}
		if (!nr_vals[c])
			return true;
		column_set(&columns[c], &in, vals[c][0]);
	}
	for (;;) {
		if (!fn(&in, ctx))
			return false;
		for (c = NR_COLUMNS - 1; c >= 1; c--) {
			if (!nr_vals[c])
				continue;
			if (++pos[c] < nr_vals[c]) {
				column_set(&columns[c], &in, vals[c][pos[c]]);
				break;
			}
			pos[c] = 0;
			column_set(&columns[c], &in, vals[c][0]);
		}
		if (c == 0)
			return true;
	}
}

struct diff_ctx {
	u16 *class;		/* per input: outcome-pair class, 0 = same */
	u8 *covered;
	u16 want;
	unsigned int count;
};

static bool in_class(const struct s2attr_input *in, void *ctx)
{
	struct diff_ctx *d = ctx;

	return d->class[input_index(in)] == d->want;
}

static bool mark_covered(const struct s2attr_input *in, void *ctx)
{
	struct diff_ctx *d = ctx;
	u32 n = input_index(in);

	d->count += !d->covered[n];
	d->covered[n] = 1;
	return true;
}

/* "EFAULT (wb_no_fwb_dic)", "map (accept)", "normal +X +wp_read (normal)". */
static void outcome_text(const struct s2attr_policy *p, const struct s2attr_input *in,
			 char *buf, size_t len)
{
	struct s2attr_output out;
	int verdict = s2attr_decide(p, in, &out);

	if (verdict || in->stage == S2ATTR_STAGE_MEMSLOT)
		snprintf(buf, len, "%s (%s)", verdict_name(verdict), s2attr_rule_name(out.rule));
	else
		snprintf(buf, len, "%s%s%s%s (%s)", memattr_names[out.memattr],
			 out.exec ? " +X" : "", out.wp_read ? " +wp_read" : "",
			 out.sanitise_mte ? " +sanitise_mte" : "", s2attr_rule_name(out.rule));
}

/* Same verdict and, when mapped, the same mapping; the rule may differ. */
static bool same_outcome(const struct s2attr_policy *a, const struct s2attr_input *in_a,
			 const struct s2attr_policy *b, const struct s2attr_input *in_b)
{
	struct s2attr_output oa, ob;
	int va = s2attr_decide(a, in_a, &oa);
	int vb = s2attr_decide(b, in_b, &ob);

	if (va != vb)
		return false;
	if (va || in_a->stage == S2ATTR_STAGE_MEMSLOT)
		return true;
	return oa.memattr == ob.memattr && oa.exec == ob.exec &&
	       oa.wp_read == ob.wp_read && oa.sanitise_mte == ob.sanitise_mte;
}

/* Whether column @c is printed in a set of inputs of @stage. */
static bool cube_column(unsigned int c, unsigned int stage, bool hide_memtype)
{
	return column_applies(&columns[c], stage) &&
	       !(hide_memtype && columns[c].kind == COL_MEMTYPE);
}

/* A set of inputs as JSON: {"key": [values], ...} for the columns it restricts. */
static void json_cube(const struct cube *cube, unsigned int stage, bool hide_memtype)
{
	unsigned int c, v, dom;

	json_open('{');
	for (c = 1; c < NR_COLUMNS; c++) {
		dom = column_domain(&columns[c]);
		if (!cube_column(c, stage, hide_memtype) || cube->allowed[c] == (1u << dom) - 1)
			continue;
		json_key(columns[c].name);
		json_open('[');
		for (v = 0; v < dom; v++) {
			if (!(cube->allowed[c] & (1u << v)))
				continue;
			if (columns[c].kind == COL_FLAG)
				json_int(v);
			else
				json_str(vocab_word(column_vocab(&columns[c]), v));
		}
		json_close();
	}
	json_close();
}

/* The cube as "key=value ..." of the columns it restricts; @hide_memtype: but memtype. */
static void print_cube(const struct cube *cube, unsigned int stage, bool hide_memtype)
{
	char text[1024] = "";
	unsigned int c, v, dom;
	bool first = true;

	if (format == FORMAT_JSON) {
		json_cube(cube, stage, hide_memtype);
		return;
	}
	for (c = 1; c < NR_COLUMNS; c++) {
		size_t used = strlen(text);

		dom = column_domain(&columns[c]);
		if (!cube_column(c, stage, hide_memtype) || cube->allowed[c] == (1u << dom) - 1)
			continue;
		used += snprintf(text + used, sizeof(text) - used, "%s%s=", first ? "" : " ",
				 columns[c].name);
		first = false;
		if (columns[c].kind == COL_FLAG) {
			snprintf(text + used, sizeof(text) - used, "%d", cube->allowed[c] == 2);
			continue;
		}
		used += snprintf(text + used, sizeof(text) - used, "{");
		for (v = 0; v < dom; v++) {
			if (cube->allowed[c] & (1u << v))
				used += snprintf(text + used, sizeof(text) - used, "%s%s",
						 (cube->allowed[c] & ((1u << v) - 1)) ? "," : "",
						 vocab_word(column_vocab(&columns[c]), v));
		}
		snprintf(text + used, sizeof(text) - used, "}");
	}
	if (format == FORMAT_RST) {
		char item[1100];

		snprintf(item, sizeof(item), "``%s``", first ? "every input" : text);
		rst_wrap("  - ", "    ", item);
	} else {
		printf("    %s\n", first ? "(every input)" : text);
	}
}

/*
 * What a difference compares, input by input. diff: @from and @to, every
 * input of both stages. ptediff (@pte_diff): @from = @to, the fault inputs
 * of special VMAs whose memory type is @pte, each decided as it is (to) and
 * with the memory type @vma (from).
 */
struct diff_spec {
	const struct s2attr_policy *from, *to;
	bool pte_diff;
	u8 vma, pte;
};

/* The input @s->from decides for @in into @from_in; false when @in is not compared. */
static bool diff_from_input(const struct diff_spec *s, const struct s2attr_input *in,
			    struct s2attr_input *from_in)
{
	*from_in = *in;
	if (!s->pte_diff)
		return true;
	if (in->stage != S2ATTR_STAGE_FAULT || in->memtype != s->pte ||
	    !(in->flags & (S2ATTR_IN_PFNMAP | S2ATTR_IN_MIXEDMAP)))
		return false;
	from_in->memtype = s->vma;
	return true;
}

#define DIFF_MAX_PAIRS	256
#define DIFF_PAIR_LEN	200

/* The head of a group: "STAGE: N inputs: FROM -> TO", as the format has it. */
static void print_group(const struct diff_spec *s, unsigned int stage, unsigned int members,
			const char *pair, const struct s2attr_input *in, bool first)
{
	char head[DIFF_PAIR_LEN + 64];
	struct s2attr_input from_in;

	switch (format) {
	case FORMAT_RST:
		if (!first)
			printf("\n");
		snprintf(head, sizeof(head), "%s stage, %u inputs: ``%.*s``, where",
			 stage_names[stage], members, DIFF_PAIR_LEN - 1, pair);
		rst_wrap("- ", "  ", head);
		printf("\n");
		break;
	case FORMAT_JSON:
		diff_from_input(s, in, &from_in);
		json_open('{');
		json_kstr("stage", stage_names[stage]);
		json_kint("inputs", members);
		json_key("from");
		json_outcome(s->from, &from_in);
		json_key("to");
		json_outcome(s->to, in);
		json_key("sets");
		json_open('[');
		break;
	default:
		printf("\n%s: %u inputs: %s\n", stage_names[stage], members, pair);
	}
}

/*
 * Print the inputs that @s compares and whose outcome differs, grouped by
 * the change of outcome ("FROM -> TO") and, within a group, as cubes of
 * inputs; then the total. The memory type of a ptediff is not printed in
 * its cubes: it is @s->pte in every one.
 */
static int diff_print(const struct diff_spec *s)
{
	static char pairs[DIFF_MAX_PAIRS][DIFF_PAIR_LEN];
	static u32 first_of[DIFF_MAX_PAIRS];
	unsigned int stage, nr_pairs, total = 0;

	if (format == FORMAT_JSON) {
		json_key("groups");
		json_open('[');
	}
	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		u32 n, nr = stage_inputs[stage];
		u16 *class = calloc(nr, sizeof(*class));
		u8 *covered = calloc(nr, 1);
		struct s2attr_input in, from_in;
		unsigned int k;

		if (!class || !covered)
			internal_error("out of memory");
		nr_pairs = 0;
		for (n = 0; n < nr; n++) {
			char a[96], b[96], pair[DIFF_PAIR_LEN];

			s2attr_input_nth(stage, n, &in);
			if (input_index(&in) != n)
				internal_error("input_index() is not the inverse of s2attr_input_nth()");
			if (!diff_from_input(s, &in, &from_in) ||
			    same_outcome(s->from, &from_in, s->to, &in))
				continue;
			outcome_text(s->from, &from_in, a, sizeof(a));
			outcome_text(s->to, &in, b, sizeof(b));
			snprintf(pair, sizeof(pair), "%s -> %s", a, b);
			for (k = 0; k < nr_pairs; k++) {
				if (!strcmp(pairs[k], pair))
					break;
			}
			if (k == nr_pairs) {
				if (nr_pairs == DIFF_MAX_PAIRS)
					internal_error("too many distinct differences to group");
				strcpy(pairs[nr_pairs], pair);
				first_of[nr_pairs++] = n;
			}
			class[n] = k + 1;
		}

		for (k = 0; k < nr_pairs; k++) {
			struct diff_ctx d = { .class = class, .covered = covered, .want = k + 1 };
			unsigned int members = 0;

			for (n = 0; n < nr; n++)
				members += class[n] == k + 1;
			s2attr_input_nth(stage, first_of[k], &in);
			print_group(s, stage, members, pairs[k], &in, !total);
			total += members;
			for (n = 0; n < nr; n++) {
				struct cube cube;
				unsigned int c, v;

				if (class[n] != k + 1 || covered[n])
					continue;
				/* Grow a cube around input n, one column at a time. */
				s2attr_input_nth(stage, n, &in);
				for (c = 1; c < NR_COLUMNS; c++)
					cube.allowed[c] = 1u << column_get(&columns[c], &in);
				for (c = 1; c < NR_COLUMNS; c++) {
					if (!column_applies(&columns[c], stage))
						continue;
					for (v = 0; v < column_domain(&columns[c]); v++) {
						u8 old = cube.allowed[c];

						cube.allowed[c] |= 1u << v;
						if (!cube_all(&cube, stage, in_class, &d))
							cube.allowed[c] = old;
					}
				}
				cube_all(&cube, stage, mark_covered, &d);
				print_cube(&cube, stage, s->pte_diff);
			}
			if (format == FORMAT_JSON) {
				json_close();
				json_close();
			}
		}
		free(class);
		free(covered);
	}
	if (format == FORMAT_RST) {
		printf("%s%u inputs differ in all.\n", total ? "\n" : "", total);
	} else if (format == FORMAT_JSON) {
		json_close();
		json_kint("inputs", total);
		json_close();
	} else {
		printf("\n# %u inputs differ\n", total);
	}
	return EXIT_OK;
}

/* The legend of the text output, after its first '#' lines. */
static void print_legend(const char *from, const char *to, bool pte_diff)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "a group \"STAGE: N inputs: FROM -> TO\" is N inputs whose outcome is FROM %s "
		 "and TO %s. An outcome is a verdict (map, EINVAL, EFAULT, ENOEXEC) or, for a "
		 "mapped fault, its stage-2 memattr (normal, nc, device) with +X (the entry is "
		 "executable), +wp_read (a read or exec fault is mapped read-only, for the "
		 "dirty log) and +sanitise_mte (the MTE tags are initialised), then (rule): the "
		 "rule that decided. Under a group, each line is a set of its inputs: key=V "
		 "fixes a key, key={a,b} allows a or b, a key not named takes any value%s.",
		 from, to, pte_diff ? " (memtype is --pte in every set)" : "");
	text_wrap("# Legend: ", "# ", text, 79);
}

int cmd_diff(const struct s2attr_policy *from, const struct s2attr_policy *to)
{
	const struct diff_spec s = { .from = from, .to = to };
	char a[64], b[64];

	if (format == FORMAT_TEXT) {
		printf("# s2attr diff %s %s: inputs whose outcome differs, grouped\n",
		       s2attr_policy_name(from), s2attr_policy_name(to));
		snprintf(a, sizeof(a), "under %s", s2attr_policy_name(from));
		snprintf(b, sizeof(b), "under %s", s2attr_policy_name(to));
		print_legend(a, b, false);
	} else if (format == FORMAT_JSON) {
		json_open('{');
		json_kstr("from", s2attr_policy_name(from));
		json_kstr("to", s2attr_policy_name(to));
	}
	return diff_print(&s);
}

/*
 * ptediff: where taking the fault-stage memory type from the host PTE
 * (@pte, this series) instead of the VMA's vm_page_prot (@vma, upstream)
 * changes the outcome under @policy. Only special VMAs: KVM walks the host
 * page table for those (VM_PFNMAP, VM_IO), and no policy reads the type of
 * other memory.
 */
int cmd_ptediff(const struct s2attr_policy *policy, u8 vma, u8 pte)
{
	const struct diff_spec s = {
		.from = policy, .to = policy, .pte_diff = true, .vma = vma, .pte = pte,
	};
	char a[64], b[64];

	if (format == FORMAT_TEXT) {
		printf("# s2attr ptediff --policy %s --vma %s --pte %s: fault inputs of special\n"
		       "# VMAs whose outcome changes when the stage-1 type is the PTE's (%s), not\n"
		       "# the VMA's (%s); upstream: from vm_page_prot -> this series: from the PTE\n",
		       s2attr_policy_name(policy), memtype_names[vma], memtype_names[pte],
		       memtype_names[pte], memtype_names[vma]);
		snprintf(a, sizeof(a), "with the VMA's memtype=%s", memtype_names[vma]);
		snprintf(b, sizeof(b), "with the PTE's memtype=%s", memtype_names[pte]);
		print_legend(a, b, true);
	} else if (format == FORMAT_JSON) {
		json_open('{');
		json_kstr("policy", s2attr_policy_name(policy));
		json_kstr("vma", memtype_names[vma]);
		json_kstr("pte", memtype_names[pte]);
	}
	return diff_print(&s);
}
