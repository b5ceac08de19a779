// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2attr - the KVM/arm64 stage-2 memory attribute policies, from user space.
 *
 * Built from the very sources the kernel builds (arch/arm64/kvm/s2attr/),
 * so what it prints is what KVM decides.
 *
 *   s2attr matrix --policy NAME           every input and its outcome, CSV
 *   s2attr explain --policy NAME k=v ...  one input: outcome, rule, reason, grants
 *   s2attr diff [--format=F] FROM TO      where two policies differ, grouped
 *   s2attr check [--policy NAME]          totality, dead rows and grants
 *   s2attr table [--format=F] [--policy NAME | --grants]
 *                                         the tables as a reviewer reads them
 *   s2attr rules [--format=F]             every rule and grant: reason, upstream
 *   s2attr policies                       the policy names
 *
 * F is text (the default, for a terminal) or rst (for
 * Documentation/virt/kvm/arm/s2attr.rst, dev/gen-docs.py). Bad usage or
 * input: one line on stderr naming the problem, exit status 2. An internal
 * inconsistency between the engine and what the tool recomputes from the
 * tables: a line on stderr, exit status 1.
 *
 * matrix: the CSV of SPEC section 6, header first; one row per input, the
 * memslot stage (4,096) then the fault stage (49,152), in the order of
 * s2attr_input_nth().
 *
 * explain prints key=value lines: policy=, input=, verdict=, memattr=,
 * exec=, wp_read=, sanitise_mte= ('-' when the verdict is not map or at the
 * memslot stage), rule=, row= (the row of the table that decided: "N of the
 * POLICY STAGE table"), reason=, upstream=, and grants= (the grants that
 * applied, comma-separated, e.g. "exec_fault,dirty_log_wp"; '-' for none).
 *
 * The reST of `table --format=rst`, every line at most 100 columns:
 *   - per policy and stage, a title "POLICY, STAGE stage" underlined with
 *     '-', then a simple table with the columns "#", "rule", "need",
 *     "forbid", "outcome": the policy's own rows, then the shared ones, in
 *     the order they are tried (# as in `explain` row=). A need or forbid
 *     cell holds predicate names (enum s2attr_pred without S2ATTR_P_) as
 *     one inline literal per line; a cell that does not fit is continued on
 *     lines whose "#" cell is empty; "none" for an empty mask. Outcomes:
 *     "accept", "EINVAL", "EFAULT", "ENOEXEC", "map normal|nc|device". Then
 *     for each run of shared rows "Rows N-M are shared by every policy." (or
 *     "by a, b and c", the policies that try them), and a
 *     paragraph "Why:" followed by a bullet list, one item per row of the
 *     table: "``rule``: reason. Upstream: reference.".
 *   - `--grants` (and after every policy when no --policy is given): the
 *     title "Grants of a mapped fault" underlined with '-', a paragraph, a
 *     simple table "#", "grant", "need", "forbid", "sets" (sets: exec,
 *     wp_read or sanitise_mte), and the "Why:" list of the grants.
 * The reST of `diff --format=rst`: per group of inputs with the same change
 * of outcome, an item "- STAGE stage, N inputs: ``FROM -> TO``, where",
 * then a nested list of the sets of inputs ("  - ``key=value ...``"), a
 * long item wrapped onto lines indented to its text; last, the paragraph
 * "N inputs differ in all.". An outcome is "accept", an errno, or the
 * memory type with " +X", " +wp_read", " +sanitise_mte" as they apply,
 * followed by the rule in brackets.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>

#include <kvm/s2attr.h>

/* The tool prints the tables themselves, so it reads their private layout. */
#include "policy.h"

#include "input.h"
#include "rules.h"

#define EXIT_USAGE	2
#define RST_WIDTH	100

static const char *const memattr_names[S2ATTR_NR_MEMATTRS] = { "normal", "nc", "device" };

static const u32 stage_inputs[S2ATTR_NR_STAGES] = {
	S2ATTR_MEMSLOT_INPUTS, S2ATTR_FAULT_INPUTS,
};

static const char *prog = "s2attr";

/* --format= of table, diff and rules: text for a terminal, rst for the kernel docs. */
static enum { FORMAT_TEXT, FORMAT_RST } format = FORMAT_TEXT;

static void __attribute__((noreturn, format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

static void __attribute__((noreturn, format(printf, 1, 2))) internal_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: internal error: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static const char *verdict_name(int verdict)
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

static const char *rule_reason(unsigned int rule)
{
	const struct rule_text *t = rule_text(rule);

	return t && t->reason ? t->reason : "?";
}

static const char *rule_ref(unsigned int rule)
{
	const struct rule_text *t = rule_text(rule);

	return t && t->ref ? t->ref : "?";
}

static const struct s2attr_policy *policy_arg(const char *name)
{
	const struct s2attr_policy *p = s2attr_policy_by_name(name);
	char known[256] = "";
	int i;

	if (p)
		return p;
	for (i = 0; i < S2ATTR_NR_POLICIES; i++) {
		strcat(known, i ? ", " : "");
		strcat(known, s2attr_policy_name(s2attr_policy(i)));
	}
	usage_error("unknown policy '%s' (known: %s)", name, known);
}

/* The value of column @c of @in, as the matrix prints it. */
static const char *column_value(const struct column *c, const struct s2attr_input *in)
{
	if (!column_applies(c, in->stage))
		return "-";
	switch (c->kind) {
	case COL_STAGE:
		return stage_names[in->stage];
	case COL_MEMTYPE:
		return memtype_names[in->memtype];
	case COL_ACCESS:
		return access_names[in->access];
	default:
		return (in->flags & c->flag) ? "1" : "0";
	}
}

/* ---- the predicates and the tables, recomputed by the tool ---------------- */

static const char *const pred_names[S2ATTR_NR_PREDS] = {
	[S2ATTR_P_PFNMAP]	= "PFNMAP",
	[S2ATTR_P_MIXEDMAP]	= "MIXEDMAP",
	[S2ATTR_P_COW]		= "COW",
	[S2ATTR_P_ANY_UC]	= "ANY_UC",
	[S2ATTR_P_MTE_ALLOWED]	= "MTE_ALLOWED",
	[S2ATTR_P_KVM_MTE]	= "KVM_MTE",
	[S2ATTR_P_FEAT_S2FWB]	= "FEAT_S2FWB",
	[S2ATTR_P_CTR_EL0_DIC]	= "CTR_EL0_DIC",
	[S2ATTR_P_LOG_DIRTY]	= "LOG_DIRTY",
	[S2ATTR_P_MAP_MEMORY]	= "MAP_MEMORY",
	[S2ATTR_P_PERM]		= "PERM",
	[S2ATTR_P_WRITE]	= "WRITE",
	[S2ATTR_P_EXEC]		= "EXEC",
	[S2ATTR_P_SPECIAL]	= "SPECIAL",
	[S2ATTR_P_SPECIAL_PFN]	= "SPECIAL_PFN",
	[S2ATTR_P_S1_CACHEABLE]	= "S1_CACHEABLE",
	[S2ATTR_P_S1_UNDEF]	= "S1_UNDEF",
	[S2ATTR_P_FWB_DIC]	= "FWB_DIC",
	[S2ATTR_P_S2_NORMAL]	= "S2_NORMAL",
};

/* The order in which a mask's predicates are printed: what memory, then what else. */
static const u8 pred_order[S2ATTR_NR_PREDS] = {
	S2ATTR_P_SPECIAL, S2ATTR_P_SPECIAL_PFN, S2ATTR_P_PFNMAP, S2ATTR_P_MIXEDMAP,
	S2ATTR_P_COW, S2ATTR_P_MAP_MEMORY, S2ATTR_P_S1_CACHEABLE, S2ATTR_P_S1_UNDEF,
	S2ATTR_P_S2_NORMAL, S2ATTR_P_KVM_MTE, S2ATTR_P_MTE_ALLOWED, S2ATTR_P_FEAT_S2FWB,
	S2ATTR_P_CTR_EL0_DIC, S2ATTR_P_FWB_DIC, S2ATTR_P_ANY_UC, S2ATTR_P_LOG_DIRTY,
	S2ATTR_P_EXEC, S2ATTR_P_WRITE, S2ATTR_P_PERM,
};

static const char *const grant_sets[] = {
	[S2ATTR_GRANT_X]		= "exec",
	[S2ATTR_GRANT_WP_READ]		= "wp_read",
	[S2ATTR_GRANT_SANITISE_MTE]	= "sanitise_mte",
};

/* Every predicate and grant kind has a name, every rule a text: or nothing is printed. */
static void self_check(void)
{
	unsigned int i, seen = 0;

	for (i = 0; i < S2ATTR_NR_PREDS; i++) {
		if (!pred_names[i])
			internal_error("predicate %u has no name", i);
		seen |= 1u << pred_order[i];
	}
	if (seen != (1u << S2ATTR_NR_PREDS) - 1)
		internal_error("pred_order is not a permutation of the predicates");
	for (i = 0; i < S2ATTR_NR_RULES; i++) {
		if (!rule_text(i) || !rule_text(i)->reason || !rule_text(i)->ref ||
		    strcmp(rule_text(i)->name, s2attr_rule_name(i)))
			internal_error("rule %s has no reason or upstream reference",
				       s2attr_rule_name(i));
	}
	for (i = 0; i < S2ATTR_NR_GRANTS; i++) {
		if (s2attr_grants[i].what >= ARRAY_SIZE(grant_sets))
			internal_error("grant %s sets an unknown output",
				       s2attr_rule_name(s2attr_grants[i].rule));
	}
}

/*
 * Whether predicate @p holds for the valid input @in; @s2_normal says that
 * the row that decided maps Normal. Written from the definitions of
 * enum s2attr_pred, not from decide.c, so that explain and check cross-check
 * the engine.
 */
static bool pred_holds(unsigned int p, const struct s2attr_input *in, bool s2_normal)
{
	bool fault = in->stage == S2ATTR_STAGE_FAULT;
	u32 f = in->flags;
	bool special = f & (S2ATTR_IN_PFNMAP | S2ATTR_IN_MIXEDMAP);
	u8 mt = in->memtype;

	switch (p) {
	case S2ATTR_P_PFNMAP:
		return f & S2ATTR_IN_PFNMAP;
	case S2ATTR_P_MIXEDMAP:
		return f & S2ATTR_IN_MIXEDMAP;
	case S2ATTR_P_COW:
		return f & S2ATTR_IN_COW;
	case S2ATTR_P_ANY_UC:
		return f & S2ATTR_IN_ALLOW_ANY_UC;
	case S2ATTR_P_MTE_ALLOWED:
		return f & S2ATTR_IN_MTE_ALLOWED;
	case S2ATTR_P_KVM_MTE:
		return f & S2ATTR_IN_KVM_MTE;
	case S2ATTR_P_FEAT_S2FWB:
		return f & S2ATTR_IN_FWB;
	case S2ATTR_P_CTR_EL0_DIC:
		return f & S2ATTR_IN_DIC;
	case S2ATTR_P_LOG_DIRTY:
		return f & S2ATTR_IN_LOG_DIRTY;
	case S2ATTR_P_MAP_MEMORY:
		return fault && (f & S2ATTR_IN_MAP_MEMORY);
	case S2ATTR_P_PERM:
		return fault && (f & S2ATTR_IN_PERM);
	case S2ATTR_P_WRITE:
		return fault && in->access == S2ATTR_ACCESS_WRITE;
	case S2ATTR_P_EXEC:
		return fault && in->access == S2ATTR_ACCESS_EXEC;
	case S2ATTR_P_SPECIAL:
		return special;
	case S2ATTR_P_SPECIAL_PFN:
		return fault && special && !(f & S2ATTR_IN_MAP_MEMORY);
	case S2ATTR_P_S1_CACHEABLE:
		return mt != S2ATTR_MT_NORMAL_NC && mt != S2ATTR_MT_DEVICE_NGNRNE &&
		       mt != S2ATTR_MT_DEVICE_NGNRE;
	case S2ATTR_P_S1_UNDEF:
		return mt == S2ATTR_MT_ATTR5 || mt == S2ATTR_MT_ATTR6 || mt == S2ATTR_MT_ATTR7;
	case S2ATTR_P_FWB_DIC:
		return (f & S2ATTR_IN_FWB) && (f & S2ATTR_IN_DIC);
	case S2ATTR_P_S2_NORMAL:
		return s2_normal;
	default:
		internal_error("unknown predicate %u", p);
	}
}

static bool cond_holds(u32 need, u32 forbid, const struct s2attr_input *in, bool s2_normal)
{
	unsigned int p;

	for (p = 0; p < S2ATTR_NR_PREDS; p++) {
		bool mask_need = need & BIT(p), mask_forbid = forbid & BIT(p);

		if ((mask_need || mask_forbid) && pred_holds(p, in, s2_normal) != mask_need)
			return false;
	}
	return true;
}

/*
 * Row @n of a table, the shared tables after it included, or NULL past the
 * last; @sub (if not NULL) is set to the table of the chain that holds it.
 */
static const struct s2attr_row *table_row(const struct s2attr_table *t, unsigned int n,
					  const struct s2attr_table **sub)
{
	for (; t; t = t->tail) {
		if (n < t->nr_rows) {
			if (sub)
				*sub = t;
			return &t->rows[n];
		}
		n -= t->nr_rows;
	}
	return NULL;
}

/*
 * Which policies try the rows of @sub at @stage: "every policy" or their
 * names, "a, b and c".
 */
static void shared_by(unsigned int stage, const struct s2attr_table *sub, char *buf,
		      size_t len)
{
	const char *names[S2ATTR_NR_POLICIES];
	const struct s2attr_table *t;
	unsigned int p, n = 0, i;
	size_t used = 0;

	for (p = 0; p < S2ATTR_NR_POLICIES; p++) {
		for (t = &s2attr_policy(p)->tables[stage]; t; t = t->tail) {
			if (t == sub) {
				names[n++] = s2attr_policy_name(s2attr_policy(p));
				break;
			}
		}
	}
	if (n == S2ATTR_NR_POLICIES) {
		snprintf(buf, len, "every policy");
		return;
	}
	buf[0] = 0;
	for (i = 0; i < n && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s",
				 i == 0 ? "" : i + 1 == n ? " and " : ", ", names[i]);
}

/* The number (from 0) of the first row of @policy's @in->stage table that holds, or -1. */
static int first_row(const struct s2attr_policy *policy, const struct s2attr_input *in)
{
	const struct s2attr_row *r;
	int n;

	for (n = 0; (r = table_row(&policy->tables[in->stage], n, NULL)); n++) {
		if (cond_holds(r->need, r->forbid, in, false))
			return n;
	}
	return -1;
}

/* Bitmap of the grants that hold for a mapped fault; NULL-safe for other outcomes. */
static u32 grants_applied(const struct s2attr_input *in, int verdict,
			  const struct s2attr_output *out)
{
	bool normal = out->memattr == S2ATTR_MEMATTR_NORMAL;
	u32 applied = 0;
	unsigned int i;

	if (verdict || in->stage != S2ATTR_STAGE_FAULT)
		return 0;
	for (i = 0; i < S2ATTR_NR_GRANTS; i++) {
		if (cond_holds(s2attr_grants[i].need, s2attr_grants[i].forbid, in, normal))
			applied |= BIT(i);
	}
	return applied;
}

/*
 * Decide @in under @policy and check the outcome against the tables read by
 * the tool: the rule of the first row that holds, and the outputs the
 * grants that hold set. Returns the verdict; @row gets the row (from 0).
 */
static int decide_checked(const struct s2attr_policy *policy, const struct s2attr_input *in,
			  struct s2attr_output *out, int *row, u32 *grants)
{
	const struct s2attr_row *r;
	bool exec = false, wp = false, mte = false;
	int verdict = s2attr_decide(policy, in, out);
	u32 g;
	unsigned int i;

	*row = first_row(policy, in);
	r = *row >= 0 ? table_row(&policy->tables[in->stage], *row, NULL) : NULL;
	if (!r || r->rule != out->rule || r->verdict != verdict ||
	    (!verdict && in->stage == S2ATTR_STAGE_FAULT && r->memattr != out->memattr))
		internal_error("%s: the engine decided %s (%s), the table's first row that holds is %s",
			       s2attr_policy_name(policy), verdict_name(verdict),
			       s2attr_rule_name(out->rule), r ? s2attr_rule_name(r->rule) : "none");
	g = grants_applied(in, verdict, out);
	for (i = 0; i < S2ATTR_NR_GRANTS; i++) {
		if (!(g & BIT(i)))
			continue;
		exec |= s2attr_grants[i].what == S2ATTR_GRANT_X;
		wp |= s2attr_grants[i].what == S2ATTR_GRANT_WP_READ;
		mte |= s2attr_grants[i].what == S2ATTR_GRANT_SANITISE_MTE;
	}
	if (exec != out->exec || wp != out->wp_read || mte != out->sanitise_mte)
		internal_error("%s: the engine's exec/wp_read/sanitise_mte %d/%d/%d are not what the grants give, %d/%d/%d",
			       s2attr_policy_name(policy), out->exec, out->wp_read,
			       out->sanitise_mte, exec, wp, mte);
	if (grants)
		*grants = g;
	return verdict;
}

/* ---- matrix ---------------------------------------------------------------- */

/* "map,normal,1,0,0" or "EFAULT,-,-,-,-" - the outcome columns of the matrix. */
static void outcome_csv(const struct s2attr_input *in, int verdict,
			const struct s2attr_output *out, char *buf, size_t len)
{
	if (verdict || in->stage == S2ATTR_STAGE_MEMSLOT)
		snprintf(buf, len, "%s,-,-,-,-", verdict_name(verdict));
	else
		snprintf(buf, len, "map,%s,%d,%d,%d", memattr_names[out->memattr],
			 out->exec, out->wp_read, out->sanitise_mte);
}

static int cmd_matrix(const struct s2attr_policy *policy)
{
	struct s2attr_input in;
	struct s2attr_output out;
	unsigned int stage, c;
	char outcome[64];
	u32 n;
	int verdict;

	for (c = 0; c < NR_COLUMNS; c++)
		printf("%s,", columns[c].name);
	printf("verdict,memattr,exec,wp_read,sanitise_mte,rule\n");

	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		for (n = 0; n < stage_inputs[stage]; n++) {
			s2attr_input_nth(stage, n, &in);
			verdict = s2attr_decide(policy, &in, &out);
			for (c = 0; c < NR_COLUMNS; c++)
				printf("%s,", column_value(&columns[c], &in));
			outcome_csv(&in, verdict, &out, outcome, sizeof(outcome));
			printf("%s,%s\n", outcome, s2attr_rule_name(out.rule));
		}
	}
	return ferror(stdout) ? 1 : 0;
}

/* ---- explain --------------------------------------------------------------- */

static int cmd_explain(const struct s2attr_policy *policy, int argc, char **argv)
{
	struct s2attr_input in;
	struct s2attr_output out;
	unsigned int c, i;
	int verdict, row;
	size_t len = 256;
	bool mapped;
	u32 grants;
	char *err;

	/* Room for the longest message: its text, a word of argv, the names. */
	for (i = 0; i < (unsigned int)argc; i++)
		len += strlen(argv[i]);
	err = malloc(len);
	if (!err)
		usage_error("out of memory");
	if (parse_input(argc, argv, &in, err, len))
		usage_error("%s", err);
	free(err);
	verdict = decide_checked(policy, &in, &out, &row, &grants);
	mapped = !verdict && in.stage == S2ATTR_STAGE_FAULT;

	printf("policy=%s\n", s2attr_policy_name(policy));
	printf("input=");
	for (c = 0; c < NR_COLUMNS; c++) {
		if (column_applies(&columns[c], in.stage))
			printf("%s%s=%s", c ? " " : "", columns[c].name,
			       column_value(&columns[c], &in));
	}
	printf("\nverdict=%s\n", verdict_name(verdict));
	if (mapped) {
		printf("memattr=%s\n", memattr_names[out.memattr]);
		printf("exec=%d\nwp_read=%d\nsanitise_mte=%d\n", out.exec, out.wp_read,
		       out.sanitise_mte);
	} else {
		printf("memattr=-\nexec=-\nwp_read=-\nsanitise_mte=-\n");
	}
	printf("rule=%s\n", s2attr_rule_name(out.rule));
	printf("row=%d of the %s %s table\n", row + 1, s2attr_policy_name(policy),
	       stage_names[in.stage]);
	printf("reason=%s\n", rule_reason(out.rule));
	printf("upstream=%s\n", rule_ref(out.rule));
	printf("grants=");
	for (i = 0, c = 0; i < S2ATTR_NR_GRANTS; i++) {
		if (grants & BIT(i))
			printf("%s%s", c++ ? "," : "", s2attr_rule_name(s2attr_grants[i].rule));
	}
	printf("%s\n", c ? "" : "-");
	return 0;
}

/* ---- reST helpers ---------------------------------------------------------- */

/*
 * Print @text as lines of at most RST_WIDTH columns: the first starts with
 * @first, the others with @cont, broken between words. A break inside an
 * inline literal (``...``) closes it at the end of the line and opens it
 * again on the next.
 */
static void rst_wrap(const char *first, const char *cont, const char *text)
{
	char word[512];
	const char *p = text;
	size_t col = 0, wlen;
	bool in_lit = false, line_empty = true;

	printf("%s", first);
	col = strlen(first);
	while (*p) {
		const char *q, *s;
		bool lit_after;
		unsigned int ticks = 0;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		q = strchr(p, ' ');
		wlen = q ? (size_t)(q - p) : strlen(p);
		if (wlen >= sizeof(word))
			internal_error("a word of %zu characters in reST", wlen);
		memcpy(word, p, wlen);
		word[wlen] = 0;
		p += wlen;
		for (s = word; (s = strstr(s, "``")); s += 2)
			ticks++;
		lit_after = in_lit ^ (ticks & 1);
		/* Room for the word, and for closing the literal if it stays open. */
		if (!line_empty && col + 1 + wlen + (lit_after ? 2 : 0) > RST_WIDTH) {
			printf("%s\n%s%s", in_lit ? "``" : "", cont, in_lit ? "``" : "");
			col = strlen(cont) + (in_lit ? 2 : 0);
			line_empty = true;
		}
		printf("%s%s", line_empty ? "" : " ", word);
		col += (line_empty ? 0 : 1) + wlen;
		line_empty = false;
		in_lit = lit_after;
	}
	printf("\n");
}

static void rst_title(const char *title, char underline)
{
	size_t n = strlen(title);

	printf("%s\n", title);
	while (n--)
		putchar(underline);
	printf("\n\n");
}

/* The predicates of @mask, in print order, into @buf, separated by @sep. */
static void mask_names(u32 mask, const char *sep, const char *neg, char *buf, size_t len)
{
	unsigned int i, p;

	buf[0] = 0;
	for (i = 0; i < S2ATTR_NR_PREDS; i++) {
		p = pred_order[i];
		if (mask & BIT(p))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s%s",
				 buf[0] ? sep : "", neg, pred_names[p]);
	}
}

/* ---- table ----------------------------------------------------------------- */

/* "EFAULT", "accept", "map normal". */
static void row_outcome(const struct s2attr_row *r, unsigned int stage, char *buf, size_t len)
{
	if (r->verdict)
		snprintf(buf, len, "%s", verdict_name(r->verdict));
	else if (stage == S2ATTR_STAGE_MEMSLOT)
		snprintf(buf, len, "accept");
	else
		snprintf(buf, len, "map %s", memattr_names[r->memattr]);
}

/* "SPECIAL_PFN && S1_CACHEABLE && !FWB_DIC", or "always". */
static void condition_text(u32 need, u32 forbid, char *buf, size_t len)
{
	char n[240], f[240];

	mask_names(need, " && ", "", n, sizeof(n));
	mask_names(forbid, " && ", "!", f, sizeof(f));
	snprintf(buf, len, "%s%s%s", n, n[0] && f[0] ? " && " : "", f);
	if (!buf[0])
		snprintf(buf, len, "always");
}

static unsigned int table_len(const struct s2attr_table *t)
{
	unsigned int n = 0;

	while (table_row(t, n, NULL))
		n++;
	return n;
}

static void print_table_text(const struct s2attr_policy *policy)
{
	unsigned int stage, i, n;
	char cond[512], outcome[64], num[16];
	const struct s2attr_table *sub = NULL;
	const struct s2attr_row *r;

	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		const struct s2attr_table *t = &policy->tables[stage];

		printf("%s, %s stage (first match wins; * = rows other policies share)\n",
		       s2attr_policy_name(policy), stage_names[stage]);
		printf("  %-3s  %-16s  %-10s  %s\n", "#", "rule", "outcome", "when");
		n = table_len(t);
		for (i = 0; i < n; i++) {
			r = table_row(t, i, &sub);
			condition_text(r->need, r->forbid, cond, sizeof(cond));
			row_outcome(r, stage, outcome, sizeof(outcome));
			snprintf(num, sizeof(num), "%u%s", i + 1, sub != t ? "*" : "");
			printf("  %-3s  %-16s  %-10s  %s\n", num, s2attr_rule_name(r->rule),
			       outcome, cond);
		}
		printf("\n");
	}
}

static void print_grants_text(void)
{
	char cond[512];
	unsigned int i;

	printf("grants of a mapped fault, every policy (each one that holds applies;\n"
	       "S2_NORMAL: the row that decided maps normal)\n");
	printf("  %-3s  %-16s  %-12s  %s\n", "#", "grant", "sets", "when");
	for (i = 0; i < S2ATTR_NR_GRANTS; i++) {
		const struct s2attr_grant *g = &s2attr_grants[i];

		condition_text(g->need, g->forbid, cond, sizeof(cond));
		printf("  %-3u  %-16s  %-12s  %s\n", i + 1, s2attr_rule_name(g->rule),
		       grant_sets[g->what], cond);
	}
	printf("\n");
}

/* A simple reST table with cells that wrap onto continuation lines. */
#define RST_COLS	5
#define RST_MAX_ROWS	32
#define RST_CELL	256
#define RST_PRED_WIDTH	24	/* predicate names per line of a need/forbid cell */

struct rst_table {
	unsigned int nr_rows;
	char cell[RST_MAX_ROWS + 1][RST_COLS][RST_CELL];	/* row 0: the head */
};

/* Line @k of cell text @s: lines are separated by '\n'. */
static const char *cell_line(const char *s, unsigned int k, size_t *len)
{
	while (k--) {
		s = strchr(s, '\n');
		if (!s)
			return NULL;
		s++;
	}
	*len = strchr(s, '\n') ? (size_t)(strchr(s, '\n') - s) : strlen(s);
	return s;
}

/* @mask as a need/forbid cell: "none", or lines of ``NAME NAME``. */
static void pred_cell(u32 mask, char *buf, size_t len)
{
	unsigned int i, p;
	size_t line = 0;

	if (!mask) {
		snprintf(buf, len, "none");
		return;
	}
	buf[0] = 0;
	for (i = 0; i < S2ATTR_NR_PREDS; i++) {
		p = pred_order[i];
		if (!(mask & BIT(p)))
			continue;
		if (line && line + 1 + strlen(pred_names[p]) > RST_PRED_WIDTH) {
			snprintf(buf + strlen(buf), len - strlen(buf), "``\n");
			line = 0;
		}
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", line ? " " : "``",
			 pred_names[p]);
		line += (line ? 1 : 0) + strlen(pred_names[p]);
	}
	snprintf(buf + strlen(buf), len - strlen(buf), "``");
}

static void rst_rule_line(const unsigned int *width)
{
	unsigned int c, i;

	for (c = 0; c < RST_COLS; c++) {
		printf("%s", c ? "  " : "");
		for (i = 0; i < width[c]; i++)
			putchar('=');
	}
	printf("\n");
}

static void rst_print_row(const unsigned int *width, char cell[RST_COLS][RST_CELL])
{
	unsigned int c, k;
	size_t len, used;
	bool any;

	for (k = 0;; k++) {
		char line[RST_WIDTH * 4] = "";

		any = false;
		for (c = 0; c < RST_COLS; c++) {
			const char *s = cell_line(cell[c], k, &len);

			if (s)
				any = true;
			used = strlen(line);
			snprintf(line + used, sizeof(line) - used, "%s%-*.*s", c ? "  " : "",
				 c == RST_COLS - 1 ? 0 : (int)width[c], s ? (int)len : 0,
				 s ? s : "");
		}
		if (!any)
			break;
		/* No trailing blanks. */
		len = strlen(line);
		while (len && line[len - 1] == ' ')
			line[--len] = 0;
		printf("%s\n", line);
	}
}

static void rst_table_print(struct rst_table *t)
{
	unsigned int width[RST_COLS] = { 0 }, r, c, k, total = 0;
	size_t len;

	for (r = 0; r <= t->nr_rows; r++) {
		for (c = 0; c < RST_COLS; c++) {
			for (k = 0; cell_line(t->cell[r][c], k, &len); k++) {
				if (len > width[c])
					width[c] = len;
			}
		}
	}
	for (c = 0; c < RST_COLS; c++)
		total += width[c] + (c ? 2 : 0);
	if (total > RST_WIDTH)
		internal_error("a reST table of %u columns, more than %u", total, RST_WIDTH);
	rst_rule_line(width);
	rst_print_row(width, t->cell[0]);
	rst_rule_line(width);
	for (r = 1; r <= t->nr_rows; r++)
		rst_print_row(width, t->cell[r]);
	rst_rule_line(width);
	printf("\n");
}

static void rst_why(const u8 *rules, unsigned int n)
{
	char item[1024];
	unsigned int i, j;

	printf("Why:\n\n");
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && rules[j] != rules[i]; j++)
			;
		if (j < i)
			continue;
		snprintf(item, sizeof(item), "``%s``: %s. Upstream: %s.",
			 s2attr_rule_name(rules[i]), rule_reason(rules[i]), rule_ref(rules[i]));
		rst_wrap("- ", "  ", item);
	}
	printf("\n");
}

static void print_table_rst(const struct s2attr_policy *policy)
{
	static const char *const head[RST_COLS] = { "#", "rule", "need", "forbid", "outcome" };
	static struct rst_table t;
	const struct s2attr_table *sub = NULL, *subs[RST_MAX_ROWS];
	unsigned int stage, c, i, j, n;
	u8 rules[RST_MAX_ROWS];
	char title[64], who[128];
	const struct s2attr_row *r;

	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		const struct s2attr_table *tab = &policy->tables[stage];

		n = table_len(tab);
		if (n > RST_MAX_ROWS)
			internal_error("%s: %u rows, more than %u", s2attr_policy_name(policy), n,
				       RST_MAX_ROWS);
		t.nr_rows = n;
		for (c = 0; c < RST_COLS; c++)
			snprintf(t.cell[0][c], RST_CELL, "%s", head[c]);
		for (i = 0; i < n; i++) {
			r = table_row(tab, i, &sub);
			subs[i] = sub;
			rules[i] = r->rule;
			snprintf(t.cell[i + 1][0], RST_CELL, "%u", i + 1);
			snprintf(t.cell[i + 1][1], RST_CELL, "``%s``", s2attr_rule_name(r->rule));
			pred_cell(r->need, t.cell[i + 1][2], RST_CELL);
			pred_cell(r->forbid, t.cell[i + 1][3], RST_CELL);
			row_outcome(r, stage, t.cell[i + 1][4], RST_CELL);
		}
		snprintf(title, sizeof(title), "%s, %s stage", s2attr_policy_name(policy),
			 stage_names[stage]);
		rst_title(title, '-');
		rst_table_print(&t);
		for (i = 0; i < n; i = j) {
			for (j = i + 1; j < n && subs[j] == subs[i]; j++)
				;
			if (subs[i] == tab)
				continue;
			shared_by(stage, subs[i], who, sizeof(who));
			if (j == i + 1)
				printf("Row %u is shared by %s.\n\n", i + 1, who);
			else
				printf("Rows %u-%u are shared by %s.\n\n", i + 1, j, who);
		}
		rst_why(rules, n);
	}
}

static void print_grants_rst(void)
{
	static const char *const head[RST_COLS] = { "#", "grant", "need", "forbid", "sets" };
	static struct rst_table t;
	u8 rules[RST_MAX_ROWS];
	unsigned int c, i;

	if (S2ATTR_NR_GRANTS > RST_MAX_ROWS)
		internal_error("%u grants, more than %u", S2ATTR_NR_GRANTS, RST_MAX_ROWS);
	t.nr_rows = S2ATTR_NR_GRANTS;
	for (c = 0; c < RST_COLS; c++)
		snprintf(t.cell[0][c], RST_CELL, "%s", head[c]);
	for (i = 0; i < S2ATTR_NR_GRANTS; i++) {
		const struct s2attr_grant *g = &s2attr_grants[i];

		rules[i] = g->rule;
		snprintf(t.cell[i + 1][0], RST_CELL, "%u", i + 1);
		snprintf(t.cell[i + 1][1], RST_CELL, "``%s``", s2attr_rule_name(g->rule));
		pred_cell(g->need, t.cell[i + 1][2], RST_CELL);
		pred_cell(g->forbid, t.cell[i + 1][3], RST_CELL);
		snprintf(t.cell[i + 1][4], RST_CELL, "%s", grant_sets[g->what]);
	}
	rst_title("Grants of a mapped fault", '-');
	rst_wrap("", "", "Every policy: when a fault is mapped, every grant whose condition "
		 "holds applies. ``S2_NORMAL``: the row that decided maps normal.");
	printf("\n");
	rst_table_print(&t);
	rst_why(rules, S2ATTR_NR_GRANTS);
}

/* ---- rules ----------------------------------------------------------------- */

static int cmd_rules(void)
{
	char item[1024];
	unsigned int i;

	for (i = 0; i < S2ATTR_NR_RULES; i++) {
		if (format == FORMAT_RST) {
			snprintf(item, sizeof(item), "``%s``: %s. Upstream: %s.",
				 s2attr_rule_name(i), rule_reason(i), rule_ref(i));
			rst_wrap("- ", "  ", item);
		} else {
			printf("%s\n  reason: %s\n  upstream: %s\n", s2attr_rule_name(i),
			       rule_reason(i), rule_ref(i));
		}
	}
	return 0;
}

/* ---- diff: group the differing inputs into cubes ----------------------- */

static unsigned int column_domain(const struct column *c)
{
	switch (c->kind) {
	case COL_MEMTYPE:
		return S2ATTR_NR_MEMTYPES;
	case COL_ACCESS:
		return S2ATTR_NR_ACCESSES;
	default:
		return 2;
	}
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

/* Column value as an integer, and setting it. */
static unsigned int get_col(const struct column *c, const struct s2attr_input *in)
{
	switch (c->kind) {
	case COL_MEMTYPE:
		return in->memtype;
	case COL_ACCESS:
		return in->access;
	default:
		return !!(in->flags & c->flag);
	}
}

static void set_col(const struct column *c, struct s2attr_input *in, unsigned int v)
{
	switch (c->kind) {
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
		set_col(&columns[c], &in, vals[c][0]);
	}
	for (;;) {
		if (!fn(&in, ctx))
			return false;
		for (c = NR_COLUMNS - 1; c >= 1; c--) {
			if (!nr_vals[c])
				continue;
			if (++pos[c] < nr_vals[c]) {
				set_col(&columns[c], &in, vals[c][pos[c]]);
				break;
			}
			pos[c] = 0;
			set_col(&columns[c], &in, vals[c][0]);
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

static void outcome_text(const struct s2attr_policy *p, const struct s2attr_input *in,
			 char *buf, size_t len)
{
	struct s2attr_output out;
	int verdict = s2attr_decide(p, in, &out);

	if (verdict || in->stage == S2ATTR_STAGE_MEMSLOT)
		snprintf(buf, len, "%s (%s)", verdict ? verdict_name(verdict) : "accept",
			 s2attr_rule_name(out.rule));
	else
		snprintf(buf, len, "%s%s%s%s (%s)", memattr_names[out.memattr],
			 out.exec ? " +X" : "", out.wp_read ? " +wp_read" : "",
			 out.sanitise_mte ? " +sanitise_mte" : "", s2attr_rule_name(out.rule));
}

/* Same verdict and, when mapped, the same mapping; the rule may differ. */
static bool same_outcome(const struct s2attr_policy *a, const struct s2attr_policy *b,
			 const struct s2attr_input *in)
{
	struct s2attr_output oa, ob;
	int va = s2attr_decide(a, in, &oa);
	int vb = s2attr_decide(b, in, &ob);

	if (va != vb)
		return false;
	if (va || in->stage == S2ATTR_STAGE_MEMSLOT)
		return true;
	return oa.memattr == ob.memattr && oa.exec == ob.exec &&
	       oa.wp_read == ob.wp_read && oa.sanitise_mte == ob.sanitise_mte;
}

static void print_cube(const struct cube *cube, unsigned int stage)
{
	char text[1024] = "";
	unsigned int c, v, dom;
	bool first = true;

	for (c = 1; c < NR_COLUMNS; c++) {
		size_t used = strlen(text);

		if (!column_applies(&columns[c], stage))
			continue;
		dom = column_domain(&columns[c]);
		if (cube->allowed[c] == (1u << dom) - 1)
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
						 columns[c].kind == COL_MEMTYPE ? memtype_names[v] :
						 access_names[v]);
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

#define DIFF_MAX_PAIRS	256
#define DIFF_PAIR_LEN	200

static int cmd_diff(const struct s2attr_policy *from, const struct s2attr_policy *to)
{
	static char pairs[DIFF_MAX_PAIRS][DIFF_PAIR_LEN];
	unsigned int stage, nr_pairs, total = 0;

	if (format == FORMAT_TEXT)
		printf("# s2attr diff %s %s: inputs whose outcome differs, grouped\n",
		       s2attr_policy_name(from), s2attr_policy_name(to));
	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		u32 n, nr = stage_inputs[stage];
		u16 *class = calloc(nr, sizeof(*class));
		u8 *covered = calloc(nr, 1);
		struct s2attr_input in;
		unsigned int k;

		if (!class || !covered)
			usage_error("out of memory");
		nr_pairs = 0;
		for (n = 0; n < nr; n++) {
			char a[96], b[96], pair[DIFF_PAIR_LEN];

			s2attr_input_nth(stage, n, &in);
			if (input_index(&in) != n)
				internal_error("input_index() is not the inverse of s2attr_input_nth()");
			if (same_outcome(from, to, &in))
				continue;
			outcome_text(from, &in, a, sizeof(a));
			outcome_text(to, &in, b, sizeof(b));
			snprintf(pair, sizeof(pair), "%s -> %s", a, b);
			for (k = 0; k < nr_pairs; k++) {
				if (!strcmp(pairs[k], pair))
					break;
			}
			if (k == nr_pairs) {
				if (nr_pairs == DIFF_MAX_PAIRS)
					usage_error("too many distinct differences to group");
				strcpy(pairs[nr_pairs++], pair);
			}
			class[n] = k + 1;
		}

		for (k = 0; k < nr_pairs; k++) {
			struct diff_ctx d = { .class = class, .covered = covered, .want = k + 1 };
			unsigned int members = 0;
			char head[DIFF_PAIR_LEN + 64];

			for (n = 0; n < nr; n++)
				members += class[n] == k + 1;
			if (format == FORMAT_RST) {
				if (total)
					printf("\n");
				snprintf(head, sizeof(head), "%s stage, %u inputs: ``%.*s``, where",
					 stage_names[stage], members, DIFF_PAIR_LEN - 1, pairs[k]);
				rst_wrap("- ", "  ", head);
				printf("\n");
			} else {
				printf("\n%s: %u inputs: %s\n", stage_names[stage], members,
				       pairs[k]);
			}
			total += members;
			for (n = 0; n < nr; n++) {
				struct cube cube;
				unsigned int c, v;

				if (class[n] != k + 1 || covered[n])
					continue;
				/* Grow a cube around input n, one column at a time. */
				s2attr_input_nth(stage, n, &in);
				for (c = 1; c < NR_COLUMNS; c++)
					cube.allowed[c] = 1u << get_col(&columns[c], &in);
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
				print_cube(&cube, stage);
			}
		}
		free(class);
		free(covered);
	}
	if (format == FORMAT_RST)
		printf("%s%u inputs differ in all.\n", total ? "\n" : "", total);
	else
		printf("\n# %u inputs differ\n", total);
	return 0;
}

/* ---- check: totality, dead rows and grants, the engine against the tables -- */

static int cmd_check(const struct s2attr_policy *policy)
{
	unsigned int grant_hits[32] = { 0 };
	unsigned int stage, i, bad = 0;

	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		const struct s2attr_table *t = &policy->tables[stage];
		unsigned int hits[RST_MAX_ROWS] = { 0 }, undecided = 0, n_rows = table_len(t);
		const struct s2attr_row *r;
		struct s2attr_input in;
		struct s2attr_output out;
		const struct s2attr_table *sub = NULL;
		u32 n, g;
		int row;

		if (n_rows > RST_MAX_ROWS)
			internal_error("%s: %u rows", s2attr_policy_name(policy), n_rows);
		for (n = 0; n < stage_inputs[stage]; n++) {
			s2attr_input_nth(stage, n, &in);
			decide_checked(policy, &in, &out, &row, &g);
			if (out.rule == S2ATTR_RULE_no_rule || out.rule == S2ATTR_RULE_bad_input ||
			    row < 0) {
				undecided++;
				continue;
			}
			hits[row]++;
			for (i = 0; i < S2ATTR_NR_GRANTS; i++)
				grant_hits[i] += !!(g & BIT(i));
		}
		if (undecided) {
			printf("%s %s: NOT TOTAL: %u inputs decided by no row\n",
			       s2attr_policy_name(policy), stage_names[stage], undecided);
			bad++;
		}
		for (i = 0; i < n_rows; i++) {
			r = table_row(t, i, &sub);
			printf("%s %s row %u %-16s decides %5u inputs%s%s\n",
			       s2attr_policy_name(policy), stage_names[stage], i + 1,
			       s2attr_rule_name(r->rule), hits[i], sub != t ? " (shared)" : "",
			       hits[i] ? "" : "  DEAD");
			bad += !hits[i];
		}
	}
	for (i = 0; i < S2ATTR_NR_GRANTS; i++) {
		printf("%s grant %u %-16s applies to %5u faults%s\n", s2attr_policy_name(policy),
		       i + 1, s2attr_rule_name(s2attr_grants[i].rule), grant_hits[i],
		       grant_hits[i] ? "" : "  DEAD");
		bad += !grant_hits[i];
	}
	return bad ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: %s matrix --policy NAME\n"
		"       %s explain --policy NAME stage=memslot|fault key=value ...\n"
		"       %s diff [--format=text|rst] FROM TO\n"
		"       %s check [--policy NAME]\n"
		"       %s table [--format=text|rst] [--policy NAME | --grants]\n"
		"       %s rules [--format=text|rst]\n"
		"       %s policies\n", prog, prog, prog, prog, prog, prog, prog);
	exit(EXIT_USAGE);
}

/* Takes "--policy NAME" or "--policy=NAME" at argv[*i]. */
static const struct s2attr_policy *take_policy(int argc, char **argv, int *i)
{
	if (*i < argc && !strncmp(argv[*i], "--policy=", 9))
		return policy_arg(argv[(*i)++] + 9);
	if (*i < argc && !strcmp(argv[*i], "--policy")) {
		if (*i + 1 >= argc)
			usage_error("--policy needs a policy name");
		*i += 2;
		return policy_arg(argv[*i - 1]);
	}
	return NULL;
}

static int cmd_table(const struct s2attr_policy *policy, bool grants_only)
{
	unsigned int p;

	for (p = 0; p < S2ATTR_NR_POLICIES && !grants_only; p++) {
		if (policy && policy != s2attr_policy(p))
			continue;
		if (format == FORMAT_RST)
			print_table_rst(s2attr_policy(p));
		else
			print_table_text(s2attr_policy(p));
	}
	if (!policy) {
		if (format == FORMAT_RST)
			print_grants_rst();
		else
			print_grants_text();
	}
	return ferror(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct s2attr_policy *policy;
	bool grants_only = false;
	const char *cmd;
	int i = 2, p, ret = 0;

	if (argc < 2)
		usage();
	cmd = argv[1];
	self_check();

	if (!strcmp(cmd, "policies")) {
		for (p = 0; p < S2ATTR_NR_POLICIES; p++)
			printf("%s\n", s2attr_policy_name(s2attr_policy(p)));
		return 0;
	}
	if (!strcmp(cmd, "diff") || !strcmp(cmd, "table") || !strcmp(cmd, "rules")) {
		for (p = 2; p < argc; p++) {
			if (strncmp(argv[p], "--format", 8))
				continue;
			if (!strcmp(argv[p], "--format=text"))
				format = FORMAT_TEXT;
			else if (!strcmp(argv[p], "--format=rst"))
				format = FORMAT_RST;
			else
				usage_error("unknown format '%s' (--format=text or --format=rst)",
					    argv[p]);
			memmove(&argv[p], &argv[p + 1], (argc - p) * sizeof(*argv));
			argc--;
			p--;
		}
	}
	if (!strcmp(cmd, "diff")) {
		if (argc != 4)
			usage_error("diff takes two policy names: diff FROM TO");
		return cmd_diff(policy_arg(argv[2]), policy_arg(argv[3]));
	}
	if (!strcmp(cmd, "rules")) {
		if (argc != 2)
			usage_error("rules takes no argument but --format");
		return cmd_rules();
	}
	if (!strcmp(cmd, "table") && i < argc && !strcmp(argv[i], "--grants")) {
		grants_only = true;
		i++;
	}

	policy = take_policy(argc, argv, &i);
	if (!strcmp(cmd, "check")) {
		if (i != argc)
			usage_error("check takes no argument but --policy");
		if (policy)
			return cmd_check(policy);
		for (p = 0; p < S2ATTR_NR_POLICIES; p++)
			ret |= cmd_check(s2attr_policy(p));
		return ret;
	}
	if (!strcmp(cmd, "table")) {
		if (i != argc || (grants_only && policy))
			usage_error("table takes no argument but --policy NAME or --grants");
		return cmd_table(policy, grants_only);
	}
	if (strcmp(cmd, "matrix") && strcmp(cmd, "explain"))
		usage_error("unknown command '%s' (matrix, explain, diff, check, table, rules, policies)",
			    cmd);
	if (!policy)
		usage_error("%s needs --policy NAME", cmd);
	if (!strcmp(cmd, "matrix")) {
		if (i != argc)
			usage_error("matrix takes no argument but --policy");
		return cmd_matrix(policy);
	}
	return cmd_explain(policy, argc - i, argv + i);
}
