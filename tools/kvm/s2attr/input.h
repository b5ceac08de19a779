/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The input columns of the s2attr tool (the matrix CSV, SPEC section 6) and
 * the parser of the "explain" key=value words. Kept out of s2attr.c so the
 * parser can be fuzzed (tools/kvm/s2attr/fuzz/) without the tool's exit().
 */
#ifndef __S2ATTR_TOOL_INPUT_H
#define __S2ATTR_TOOL_INPUT_H

#include <stddef.h>

#include <kvm/s2attr.h>

extern const char *const memtype_names[S2ATTR_NR_MEMTYPES];
extern const char *const access_names[S2ATTR_NR_ACCESSES];
extern const char *const stage_names[S2ATTR_NR_STAGES];

/* The input columns of the matrix, in CSV order. */
enum column_kind { COL_STAGE, COL_FLAG, COL_MEMTYPE, COL_ACCESS };

struct column {
	const char *name;
	enum column_kind kind;
	u32 flag;		/* COL_FLAG: the S2ATTR_IN_* bit */
	int only_stage;		/* -1: both stages */
};

#define NR_COLUMNS	14

extern const struct column columns[NR_COLUMNS];

bool column_applies(const struct column *c, unsigned int stage);

/*
 * parse_input() - Parse "key=value" words into @in; every key of the stage
 * must be given, and no key of the other stage. @argv is not modified.
 * Returns NULL on success, otherwise @err holding a one-line message that
 * names the problem (truncated to @len bytes, always NUL-terminated when
 * @len is not zero).
 */
const char *parse_input(int argc, char *const argv[], struct s2attr_input *in,
			char *err, size_t len);

#endif
