// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2attr - the KVM/arm64 stage-2 memory attribute policies, from user space.
 *
 * Built from the very sources the kernel builds (arch/arm64/kvm/s2attr/),
 * so what it prints is what KVM decides.
 *
 *   s2attr matrix --policy NAME           every input and its outcome, CSV
 *   s2attr explain --policy NAME k=v ...  one input: outcome, rule, reason
 *   s2attr diff FROM TO                   where two policies differ, grouped
 *   s2attr check [--policy NAME]          totality and dead rows, per row
 *   s2attr table [--policy NAME]          the rule tables as a reviewer reads them
 *   s2attr policies                       the policy names
 *
 * Bad usage or input: one line on stderr naming the problem, exit status 2.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kvm/s2attr.h>

/* The tool prints the tables themselves, so it reads their private layout. */
#include "policy.h"

#include "input.h"

#define EXIT_USAGE	2

static const char *const memattr_names[S2ATTR_NR_MEMATTRS] = { "normal", "nc", "device" };

static const u32 stage_inputs[S2ATTR_NR_STAGES] = {
	S2ATTR_MEMSLOT_INPUTS, S2ATTR_FAULT_INPUTS,
};

static const char *prog = "s2attr";

/* --format= of table and diff: text for a terminal, rst for the kernel docs. */
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

/* "map,normal,1,0,0" or "EFAULT,-,-,-,-" - the outcome columns of the matrix. */
static void outcome_csv(const struct s2attr_input *in, int verdict,
			const struct s2attr_output *out, char *buf, size_t len)
{
	if (verdict || in->stage == S2ATTR_STAGE_MEMSLOT)
		snprintf(buf, len, "%s,-,-,-,-", verdict_name(verdict));
	else
		snprintf(buf, len, "map,%s,%d,%d,%d", memattr_names[out->memattr],
			 out->exec, out->no_block, out->sanitise_mte);
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
	printf("verdict,memattr,exec,no_block,sanitise_mte,rule\n");

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

static int cmd_explain(const struct s2attr_policy *policy, int argc, char **argv)
{
	struct s2attr_input in;
	struct s2attr_output out;
	unsigned int c;
	int verdict, row, rule, i;
	size_t len = 256;
	char *err;

	/* Room for the longest message: its text, a word of argv, the names. */
	for (i = 0; i < argc; i++)
		len += strlen(argv[i]);
	err = malloc(len);
	if (!err)
		usage_error("out of memory");
	if (parse_input(argc, argv, &in, err, len))
		usage_error("%s", err);
	free(err);
	verdict = s2attr_decide(policy, &in, &out);

	printf("policy=%s\n", s2attr_policy_name(policy));
	printf("input=");
	for (c = 0; c < NR_COLUMNS; c++) {
		if (column_applies(&columns[c], in.stage))
			printf("%s%s=%s", c ? " " : "", columns[c].name,
			       column_value(&columns[c], &in));
	}
	printf("\nverdict=%s\n", verdict_name(verdict));
	if (!verdict && in.stage == S2ATTR_STAGE_FAULT) {
		printf("memattr=%s\n", memattr_names[out.memattr]);
		printf("exec=%d\nno_block=%d\nsanitise_mte=%d\n", out.exec, out.no_block,
		       out.sanitise_mte);
	}
	for (row = 0; (rule = s2attr_policy_rule(policy, in.stage, row)) >= 0; row++) {
		if (rule == out.rule)
			break;
	}
	printf("rule=%s\n", s2attr_rule_name(out.rule));
	if (rule >= 0)
		printf("row=%d of the %s %s table\n", row + 1, s2attr_policy_name(policy),
		       stage_names[in.stage]);
	printf("reason=%s\n", s2attr_rule_reason(out.rule));
	printf("upstream=%s\n", s2attr_rule_ref(out.rule));
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
	x = x * 8 + !!(f & S2ATTR_IN_DIC) + 2 * !!(f & S2ATTR_IN_FWB) +
	    4 * !!(f & S2ATTR_IN_KVM_MTE);
	if (in->stage == S2ATTR_STAGE_MEMSLOT)
		return x * 2 + !!(f & S2ATTR_IN_LOG_DIRTY);
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
	unsigned int digits[NR_COLUMNS] = { 0 };
	struct s2attr_input in = { .stage = stage };
	unsigned int c;

	for (;;) {
		bool inside = true;

		for (c = 1; c < NR_COLUMNS; c++) {
			if (!column_applies(&columns[c], stage))
				continue;
			if (!(cube->allowed[c] & (1u << digits[c])))
				inside = false;
			set_col(&columns[c], &in, digits[c]);
		}
		if (inside && !fn(&in, ctx))
			return false;
		for (c = NR_COLUMNS - 1; c >= 1; c--) {
			if (!column_applies(&columns[c], stage))
				continue;
			if (++digits[c] < column_domain(&columns[c]))
				break;
			digits[c] = 0;
		}
		if (c == 0)
			return true;
	}
}

struct diff_ctx {
	u8 *class;		/* per input: outcome-pair class, 0 = same */
	u8 *covered;
	u8 want;
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
		snprintf(buf, len, "%s%s%s (%s)", memattr_names[out.memattr],
			 out.exec ? " +X" : "", out.sanitise_mte ? " +sanitise" : "",
			 s2attr_rule_name(out.rule));
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
	       oa.no_block == ob.no_block && oa.sanitise_mte == ob.sanitise_mte;
}

static void print_cube(const struct cube *cube, unsigned int stage)
{
	unsigned int c, v, dom;
	bool first = true;

	printf(format == FORMAT_RST ? "  - ``" : "    ");
	for (c = 1; c < NR_COLUMNS; c++) {
		if (!column_applies(&columns[c], stage))
			continue;
		dom = column_domain(&columns[c]);
		if (cube->allowed[c] == (1u << dom) - 1)
			continue;
		printf("%s%s=", first ? "" : " ", columns[c].name);
		first = false;
		if (columns[c].kind == COL_FLAG) {
			printf("%d", cube->allowed[c] == 2);
			continue;
		}
		printf("{");
		for (v = 0; v < dom; v++) {
			if (cube->allowed[c] & (1u << v))
				printf("%s%s", (cube->allowed[c] & ((1u << v) - 1)) ? "," : "",
				       columns[c].kind == COL_MEMTYPE ? memtype_names[v] :
				       access_names[v]);
		}
		printf("}");
	}
	if (format == FORMAT_RST)
		printf("%s``\n", first ? "every input" : "");
	else
		printf("%s\n", first ? "(every input)" : "");
}

static int cmd_diff(const struct s2attr_policy *from, const struct s2attr_policy *to)
{
	char pairs[64][168];
	unsigned int stage, nr_pairs, total = 0;

	if (format == FORMAT_TEXT)
		printf("# s2attr diff %s %s: inputs whose outcome differs, grouped\n",
		       s2attr_policy_name(from), s2attr_policy_name(to));
	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		u32 n, nr = stage_inputs[stage];
		u8 *class = calloc(nr, 1), *covered = calloc(nr, 1);
		struct s2attr_input in;
		unsigned int k;

		if (!class || !covered)
			usage_error("out of memory");
		nr_pairs = 0;
		for (n = 0; n < nr; n++) {
			char a[80], b[80], pair[168];

			s2attr_input_nth(stage, n, &in);
			outcome_text(from, &in, a, sizeof(a));
			outcome_text(to, &in, b, sizeof(b));
			if (same_outcome(from, to, &in))
				continue;
			snprintf(pair, sizeof(pair), "%s -> %s", a, b);
			for (k = 0; k < nr_pairs; k++) {
				if (!strcmp(pairs[k], pair))
					break;
			}
			if (k == nr_pairs) {
				if (nr_pairs == 64)
					usage_error("too many distinct differences to group");
				strcpy(pairs[nr_pairs++], pair);
			}
			class[n] = k + 1;
		}

		for (k = 0; k < nr_pairs; k++) {
			struct diff_ctx d = { .class = class, .covered = covered, .want = k + 1 };
			unsigned int members = 0;

			for (n = 0; n < nr; n++)
				members += class[n] == k + 1;
			if (format == FORMAT_RST)
				printf("%s- %s stage, %u inputs: ``%s``, where\n\n",
				       total ? "\n" : "", stage_names[stage], members, pairs[k]);
			else
				printf("\n%s: %u inputs: %s\n", stage_names[stage], members,
				       pairs[k]);
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

/* ---- check: totality and dead rows -------------------------------------- */

static int cmd_check(const struct s2attr_policy *policy)
{
	unsigned int stage, bad = 0;

	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		unsigned int hits[S2ATTR_NR_RULES] = { 0 };
		struct s2attr_input in;
		struct s2attr_output out;
		int row, rule;
		u32 n;

		for (n = 0; n < stage_inputs[stage]; n++) {
			s2attr_input_nth(stage, n, &in);
			s2attr_decide(policy, &in, &out);
			hits[out.rule]++;
		}
		if (hits[S2ATTR_RULE_no_rule] || hits[S2ATTR_RULE_bad_input]) {
			printf("%s %s: NOT TOTAL: %u inputs decided by no row\n",
			       s2attr_policy_name(policy), stage_names[stage],
			       hits[S2ATTR_RULE_no_rule] + hits[S2ATTR_RULE_bad_input]);
			bad++;
		}
		for (row = 0; (rule = s2attr_policy_rule(policy, stage, row)) >= 0; row++) {
			printf("%s %s row %d %-16s decides %5u inputs%s\n",
			       s2attr_policy_name(policy), stage_names[stage], row + 1,
			       s2attr_rule_name(rule), hits[rule], hits[rule] ? "" : "  DEAD");
			bad += !hits[rule];
		}
	}
	return bad ? 1 : 0;
}

/* ---- table: the rows as written ------------------------------------------ */

static const char *const pred_names[S2ATTR_NR_PREDS] = {
	[S2ATTR_P_PFNMAP]	= "PFNMAP",
	[S2ATTR_P_MIXEDMAP]	= "MIXEDMAP",
	[S2ATTR_P_COW]		= "COW",
	[S2ATTR_P_ANY_UC]	= "ANY_UC",
	[S2ATTR_P_MTE_ALLOWED]	= "MTE_ALLOWED",
	[S2ATTR_P_KVM_MTE]	= "KVM_MTE",
	[S2ATTR_P_FWB]		= "FWB",
	[S2ATTR_P_DIC]		= "DIC",
	[S2ATTR_P_LOG_DIRTY]	= "LOG_DIRTY",
	[S2ATTR_P_MAP_MEMORY]	= "MAP_MEMORY",
	[S2ATTR_P_PERM]		= "PERM",
	[S2ATTR_P_EXEC]		= "EXEC",
	[S2ATTR_P_SPECIAL]	= "SPECIAL",
	[S2ATTR_P_SPECIAL_PFN]	= "SPECIAL_PFN",
	[S2ATTR_P_CACHEABLE]	= "CACHEABLE",
	[S2ATTR_P_ATTR_UNDEF]	= "ATTR_UNDEF",
	[S2ATTR_P_FWB_DIC]	= "FWB_DIC",
};

/* The order in which a row's terms are printed: what memory, then what else. */
static const u8 pred_order[S2ATTR_NR_PREDS] = {
	S2ATTR_P_SPECIAL, S2ATTR_P_SPECIAL_PFN, S2ATTR_P_PFNMAP, S2ATTR_P_MIXEDMAP,
	S2ATTR_P_MAP_MEMORY, S2ATTR_P_COW, S2ATTR_P_CACHEABLE, S2ATTR_P_ATTR_UNDEF,
	S2ATTR_P_FWB_DIC, S2ATTR_P_FWB, S2ATTR_P_DIC, S2ATTR_P_EXEC, S2ATTR_P_ANY_UC,
	S2ATTR_P_KVM_MTE, S2ATTR_P_PERM, S2ATTR_P_MTE_ALLOWED, S2ATTR_P_LOG_DIRTY,
};

/* "SPECIAL_PFN && CACHEABLE && !FWB_DIC", or "always". */
static void row_condition(const struct s2attr_row *r, char *buf, size_t len)
{
	unsigned int i, p;

	buf[0] = 0;
	for (i = 0; i < S2ATTR_NR_PREDS; i++) {
		p = pred_order[i];
		if (!(r->mask & BIT(p)))
			continue;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s%s", buf[0] ? " && " : "",
			 (r->match & BIT(p)) ? "" : "!", pred_names[p]);
	}
	if (!buf[0])
		snprintf(buf, len, "always");
}

/* "EFAULT", "accept", "map normal, X if DIC, sanitise MTE". */
static void row_outcome(const struct s2attr_row *r, unsigned int stage, char *buf, size_t len)
{
	if (r->verdict)
		snprintf(buf, len, "%s", verdict_name(r->verdict));
	else if (stage == S2ATTR_STAGE_MEMSLOT)
		snprintf(buf, len, "accept");
	else
		snprintf(buf, len, "map %s%s%s%s", memattr_names[r->memattr],
			 (r->flags & S2ATTR_ROW_X_IF_DIC) ? ", X if DIC" : "",
			 (r->flags & S2ATTR_ROW_NO_BLOCK) ? ", no block" : "",
			 (r->flags & S2ATTR_ROW_SANITISE) ? ", sanitise MTE" : "");
}

static void print_table(const struct s2attr_policy *policy)
{
	unsigned int stage, i;
	char cond[256], outcome[96];

	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		const struct s2attr_table *t = &policy->tables[stage];

		printf("%s, %s stage (first match wins)\n", s2attr_policy_name(policy),
		       stage_names[stage]);
		printf("  %-2s  %-16s  %-36s  %s\n", "#", "rule", "outcome", "when");
		for (i = 0; i < t->nr_rows; i++) {
			row_condition(&t->rows[i], cond, sizeof(cond));
			row_outcome(&t->rows[i], stage, outcome, sizeof(outcome));
			printf("  %-2u  %-16s  %-36s  %s\n", i + 1,
			       s2attr_rule_name(t->rows[i].rule), outcome, cond);
		}
		printf("\n");
	}
}

/* A simple reST table: every cell fits its column; the last may overflow. */
#define RST_COLS	6

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

static void rst_row(const unsigned int *width, char cell[RST_COLS][256])
{
	unsigned int c;

	for (c = 0; c < RST_COLS - 1; c++)
		printf("%-*s  ", width[c], cell[c]);
	printf("%s\n", cell[RST_COLS - 1]);
}

static void rst_cells(const struct s2attr_policy *policy, unsigned int stage, int i,
		      char cell[RST_COLS][256])
{
	const struct s2attr_row *r = &policy->tables[stage].rows[i];
	char cond[200];

	row_condition(r, cond, sizeof(cond));
	snprintf(cell[0], 256, "%d", i + 1);
	snprintf(cell[1], 256, "``%s``", s2attr_rule_name(r->rule));
	snprintf(cell[2], 256, "``%s``", cond);
	row_outcome(r, stage, cell[3], 256);
	snprintf(cell[4], 256, "%s", s2attr_rule_reason(r->rule));
	snprintf(cell[5], 256, "%s", s2attr_rule_ref(r->rule));
}

/* The tables of one policy as reST, for Documentation/virt/kvm/arm/s2attr.rst. */
static void print_table_rst(const struct s2attr_policy *policy)
{
	static const char *const head[RST_COLS] = {
		"#", "rule", "condition", "outcome", "reason", "upstream",
	};
	char cell[RST_COLS][256], title[64];
	unsigned int stage, c, width[RST_COLS];
	int i, len;

	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		const struct s2attr_table *t = &policy->tables[stage];

		for (c = 0; c < RST_COLS; c++)
			width[c] = strlen(head[c]);
		for (i = 0; i < (int)t->nr_rows; i++) {
			rst_cells(policy, stage, i, cell);
			for (c = 0; c < RST_COLS; c++) {
				if (strlen(cell[c]) > width[c])
					width[c] = strlen(cell[c]);
			}
		}
		len = snprintf(title, sizeof(title), "%s, %s stage",
			       s2attr_policy_name(policy), stage_names[stage]);
		printf("%s\n", title);
		while (len--)
			putchar('-');
		printf("\n\n");
		rst_rule_line(width);
		for (c = 0; c < RST_COLS; c++)
			snprintf(cell[c], 256, "%s", head[c]);
		rst_row(width, cell);
		rst_rule_line(width);
		for (i = 0; i < (int)t->nr_rows; i++) {
			rst_cells(policy, stage, i, cell);
			rst_row(width, cell);
		}
		rst_rule_line(width);
		printf("\n");
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: %s matrix --policy NAME\n"
		"       %s explain --policy NAME stage=memslot|fault key=value ...\n"
		"       %s diff [--format=text|rst] FROM TO\n"
		"       %s check [--policy NAME]\n"
		"       %s table [--format=text|rst] [--policy NAME]\n"
		"       %s policies\n", prog, prog, prog, prog, prog, prog);
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

int main(int argc, char **argv)
{
	const struct s2attr_policy *policy;
	const char *cmd;
	int i = 2, p, ret = 0;

	if (argc < 2)
		usage();
	cmd = argv[1];

	if (!strcmp(cmd, "policies")) {
		for (p = 0; p < S2ATTR_NR_POLICIES; p++)
			printf("%s\n", s2attr_policy_name(s2attr_policy(p)));
		return 0;
	}
	if (!strcmp(cmd, "diff") || !strcmp(cmd, "table")) {
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
		if (i != argc)
			usage_error("table takes no argument but --policy");
		for (p = 0; p < S2ATTR_NR_POLICIES; p++) {
			if (policy && policy != s2attr_policy(p))
				continue;
			if (format == FORMAT_RST)
				print_table_rst(s2attr_policy(p));
			else
				print_table(s2attr_policy(p));
		}
		return 0;
	}
	if (strcmp(cmd, "matrix") && strcmp(cmd, "explain"))
		usage_error("unknown command '%s' (matrix, explain, diff, check, table, policies)",
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
