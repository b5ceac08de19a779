/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vocabulary of the s2attr tool, the input columns (the matrix CSV,
 * SPEC section 6), the memory-kind presets and host CPUs of `explain`, and
 * the parser of its key=value words. Kept out of s2attr.c so the parser can
 * be fuzzed (tools/kvm/s2attr/fuzz/) without the tool's exit(): it reports a
 * problem as a message.
 */
#ifndef __S2ATTR_TOOL_INPUT_H
#define __S2ATTR_TOOL_INPUT_H

#include <stddef.h>

#include <kvm/s2attr.h>

/*
 * struct vocab - The words of one domain, and spellings users type for them.
 * @what: the domain, for messages ("memtype").
 * @table: the words, the only spellings the tool accepts and prints: an
 *	array of strings, or of structures whose first member is the name.
 * @stride: the size of an element of @table.
 * @nr_words: number of words.
 * @aliases: pairs of (other spelling, the word it means), NULL-terminated;
 *	compared ignoring case, '-', '_', '.' and ' '. An alias is never
 *	accepted: it only names the right word in the error message.
 */
struct vocab {
	const char *what;
	const void *table;
	size_t stride;
	unsigned int nr_words;
	const char *const *aliases;
};

/* vocab_word() - Word @i of @v. */
static inline const char *vocab_word(const struct vocab *v, unsigned int i)
{
	return *(const char *const *)((const char *)v->table + i * v->stride);
}

extern const struct vocab stage_vocab, memtype_vocab, access_vocab, bool_vocab, key_vocab,
	memattr_vocab, verdict_vocab, policy_vocab, preset_vocab, host_vocab;

extern const char *const memtype_names[S2ATTR_NR_MEMTYPES];
extern const char *const access_names[S2ATTR_NR_ACCESSES];
extern const char *const stage_names[S2ATTR_NR_STAGES];
extern const char *const memattr_names[S2ATTR_NR_MEMATTRS];

/* verdict_name() - "map", "EINVAL", "EFAULT", "ENOEXEC" for 0 and the errnos; else "?". */
const char *verdict_name(int verdict);

/* verdict_of() - The verdict (0 or a negative errno) of word @i of verdict_vocab. */
int verdict_of(unsigned int i);

/* vocab_find() - The index of @word in @v, or -1; exact match only. */
int vocab_find(const struct vocab *v, const char *word);

/*
 * vocab_error() - "HEAD: did you mean WORD? (expected one of a, b, c)", or
 * "HEAD: expected one of a, b, c" when no word of @v is meant by @word,
 * into @err (@len bytes, NUL-terminated when @len is not zero). Returns @err.
 */
const char *vocab_error(const struct vocab *v, const char *head, const char *word, char *err,
			size_t len);

/* vocab_join() - The words of @v separated by @sep, into @buf. */
void vocab_join(const struct vocab *v, const char *sep, char *buf, size_t len);

/* The input columns of the matrix, in CSV order. */
enum column_kind { COL_STAGE, COL_FLAG, COL_MEMTYPE, COL_ACCESS };

/* What gives a column its value when explain's words do not. */
enum column_src { SRC_GIVEN, SRC_PRESET, SRC_HOST, SRC_DEFAULT, SRC_MISSING };

struct column {
	const char *name;
	enum column_kind kind;
	u32 flag;		/* COL_FLAG: the S2ATTR_IN_* bit */
	int only_stage;		/* -1: both stages */
	enum column_src from;	/* SRC_PRESET, SRC_HOST or SRC_DEFAULT */
	u8 dflt;		/* SRC_DEFAULT: the value */
	const char *what;	/* where the glue gets it, for the help */
};

#define NR_COLUMNS	14

extern const struct column columns[NR_COLUMNS];

bool column_applies(const struct column *c, unsigned int stage);
const struct vocab *column_vocab(const struct column *c);
unsigned int column_get(const struct column *c, const struct s2attr_input *in);
void column_set(const struct column *c, struct s2attr_input *in, unsigned int v);
/* The value of @c in @in as the matrix prints it, "-" where it does not apply. */
const char *column_value(const struct column *c, const struct s2attr_input *in);

/*
 * struct preset - A kind of memory, as its VMA and PTEs are: the keys
 * pfnmap, mixedmap, cow, allow_any_uc, mte_allowed, map_memory and memtype.
 * @name: the --preset name.
 * @what: what it is, one line for the help.
 * @flags: the S2ATTR_IN_* of those keys that are 1. mte_allowed is what an
 *	MTE host gives (VM_MTE_ALLOWED needs system_supports_mte()).
 * @vma_memtype: the stage-1 type of vm_page_prot, the memslot stage's.
 * @pte_memtype: that of the PTE that maps the pfn, the fault stage's.
 */
struct preset {
	const char *name;
	const char *what;
	u32 flags;
	u8 vma_memtype;
	u8 pte_memtype;
};

/*
 * struct host - A host CPU: the keys fwb and dic.
 * @name: the --host name.
 * @what: one line for the help.
 * @fwb: FEAT_S2FWB.
 * @dic: CTR_EL0.DIC.
 * @mte: FEAT_MTE2 (an MTE VM, and VM_MTE_ALLOWED, are possible).
 */
struct host {
	const char *name;
	const char *what;
	bool fwb, dic, mte;
};

#define NR_PRESETS	8
#define NR_HOSTS	3

extern const struct preset presets[NR_PRESETS];
extern const struct host hosts[NR_HOSTS];

/*
 * struct input_src - Where each column of a parsed input came from.
 * @src: enum column_src per column.
 * @preset: the preset used, or NULL.
 * @host: the host used, or NULL.
 */
struct input_src {
	u8 src[NR_COLUMNS];
	const struct preset *preset;
	const struct host *host;
};

/*
 * parse_input() - Parse explain's "key=value" words into @in.
 * @argc, @argv: the words; @argv is not modified.
 * @preset: a preset name, or NULL.
 * @host: a host name, or NULL.
 * @in: the input.
 * @src: if not NULL, where each column came from.
 * @err, @len: the message buffer.
 *
 * A word overrides the preset and the host. With a preset, stage, kvm_mte,
 * log_dirty, access and perm default to fault, 0, 0, read and 0. Every key
 * of the stage must then have a value, and no word may name a key of the
 * other stage. Returns NULL on success, otherwise @err holding a one-line
 * message that names the problem (all the missing keys at once; for a
 * misspelt word, the right one), truncated to @len bytes and always
 * NUL-terminated when @len is not zero.
 */
const char *parse_input(int argc, char *const argv[], const char *preset, const char *host,
			struct s2attr_input *in, struct input_src *src, char *err, size_t len);

#endif
