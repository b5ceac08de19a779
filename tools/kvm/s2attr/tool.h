/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the files of the s2attr tool share: the exit statuses, the output
 * format, the errors, and the tool's own reading of the policy tables
 * (rows.c), which cross-checks the engine in every command.
 */
#ifndef __S2ATTR_TOOL_H
#define __S2ATTR_TOOL_H

#include <linux/kernel.h>

#include <kvm/s2attr.h>

/* The tool prints the tables themselves, so it reads their private layout. */
#include "policy.h"

#include "input.h"

/*
 * The version of the tool: that of the patch series it ships in
 * (git format-patch -vN, SERIES_VERSION of dev/series.sh; the CLI tests
 * check that the two agree).
 */
#define S2ATTR_VERSION	"3"

/* Exit statuses; s2attr --help and README.md document them. */
enum {
	EXIT_OK = 0,		/* done; explain: whatever the verdict */
	EXIT_NO = 1,		/* check: a table is not total or a row is dead; a MISMATCH */
	EXIT_USAGE = 2,		/* bad command line, input word or trace line */
	EXIT_IO = 3,		/* a file could not be read, or the output written */
	EXIT_INTERNAL = 4,	/* the engine and the tool's reading of the tables disagree */
};

enum format { FORMAT_TEXT, FORMAT_RST, FORMAT_JSON, FORMAT_CSV };

/* --format= of the command. */
extern enum format format;

void __attribute__((noreturn, format(printf, 1, 2))) usage_error(const char *fmt, ...);
void __attribute__((noreturn, format(printf, 1, 2))) internal_error(const char *fmt, ...);
void __attribute__((noreturn, format(printf, 1, 2))) io_error(const char *fmt, ...);

/* ---- rows.c: the predicates and the tables, recomputed by the tool -------- */

extern const char *const pred_names[S2ATTR_NR_PREDS];
extern const u8 pred_order[S2ATTR_NR_PREDS];
extern const char *const grant_sets[];
extern const u32 stage_inputs[S2ATTR_NR_STAGES];

void self_check(void);
const char *rule_reason(unsigned int rule);
const char *rule_ref(unsigned int rule);

/* The predicates that hold for @in, the row that decided mapping Normal if @s2_normal. */
u32 preds_of(const struct s2attr_input *in, bool s2_normal);
/* The predicates of @need and @forbid that fail for the predicates @held. */
static inline u32 cond_fails(u32 need, u32 forbid, u32 held)
{
	return (need & ~held) | (forbid & held);
}

const struct s2attr_row *table_row(const struct s2attr_table *t, unsigned int n,
				   const struct s2attr_table **sub);
unsigned int table_len(const struct s2attr_table *t);
/* The bitmap of the policies (enum s2attr_policy_id) that try the rows of @sub at @stage. */
u32 policies_trying(unsigned int stage, const struct s2attr_table *sub);
/*
 * shared_by() - Those policies as "every policy" or "a, b and c", into @buf;
 * returns how many. @sub is a shared tail, or rows several policies name.
 */
unsigned int shared_by(unsigned int stage, const struct s2attr_table *sub, char *buf,
		       size_t len);
/* "EFAULT", "map", "map normal": the outcome of a row. */
void row_outcome(const struct s2attr_row *r, unsigned int stage, char *buf, size_t len);

/*
 * decide_checked() - s2attr_decide(), checked against the tool's reading
 * of the tables. @row gets the row (from 0) of the policy's @in->stage
 * table that decided, @grants (if not NULL) the bitmap of the grants that
 * applied. A disagreement is an internal error.
 */
int decide_checked(const struct s2attr_policy *policy, const struct s2attr_input *in,
		   struct s2attr_output *out, int *row, u32 *grants);

/* ---- the commands ---------------------------------------------------------- */

struct explain_args {
	const struct s2attr_policy *policy;	/* NULL: every policy */
	const char *preset, *host;
	int argc;
	char **argv;
	/* --trace LINE, --trace-file FILE: in order; a file's name is marked. */
	unsigned int nr_traces;
	const char **traces;
	bool *trace_is_file;
};

int cmd_matrix(const struct s2attr_policy *policy);
int cmd_explain(const struct explain_args *a);
int cmd_diff(const struct s2attr_policy *from, const struct s2attr_policy *to);
int cmd_ptediff(const struct s2attr_policy *policy, u8 vma, u8 pte);
int cmd_check(const struct s2attr_policy *policy);
int cmd_table(const struct s2attr_policy *policy, bool grants_only);
int cmd_rules(void);

/* s2attr.c: JSON of an input ({KEY: value, null where it does not apply}) and outcomes. */
void json_input(const struct s2attr_input *in);
/* The keys verdict, memattr, exec, wp_read, sanitise_mte and rule, into an open object. */
void json_output(const struct s2attr_input *in, int verdict, const struct s2attr_output *out);
/* The outcome of @in under @policy as an object of json_output()'s keys. */
void json_outcome(const struct s2attr_policy *policy, const struct s2attr_input *in);

/*
 * table.c: text_wrap() prints @text as lines of at most @width columns: the
 * first starts with @first, the others with @cont, broken between words; a
 * break inside a reST inline literal (``...``) closes and reopens it.
 * rst_wrap() is text_wrap() to RST_WIDTH, the width of the kernel docs.
 */
#define RST_WIDTH	100
void text_wrap(const char *first, const char *cont, const char *text, unsigned int width);
void rst_wrap(const char *first, const char *cont, const char *text);

#endif
