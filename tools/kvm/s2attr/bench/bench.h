/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * s2attr-bench: the implementations the benchmark measures besides
 * s2attr_decide(). Each one takes the same struct s2attr_input and fills
 * the same struct s2attr_output as s2attr_decide() does, and is a separate,
 * never inlined function, so callgrind can charge it its own instructions.
 */
#ifndef __S2ATTR_BENCH_H
#define __S2ATTR_BENCH_H

#include <linux/bits.h>

#include <kvm/s2attr.h>

/* The packed input the dense arrays are indexed by: 17 bits. */
#define S2ATTR_BENCH_DENSE_BITS	17
#define S2ATTR_BENCH_DENSE_SIZE	BIT(S2ATTR_BENCH_DENSE_BITS)

/* flags (11 bits), memtype (3), access (2), stage (1); valid inputs only. */
static inline u32 s2attr_bench_dense_index(const struct s2attr_input *in)
{
	return in->flags | (u32)in->memtype << 11 | (u32)in->access << 14 |
	       (u32)in->stage << 16;
}

int s2attr_bench_ifchain_6_12(const struct s2attr_input *in, struct s2attr_output *out);
int s2attr_bench_ifchain_6_17(const struct s2attr_input *in, struct s2attr_output *out);
int s2attr_bench_ifchain_6_12_unchecked(const struct s2attr_input *in,
					struct s2attr_output *out);
int s2attr_bench_ifchain_6_17_unchecked(const struct s2attr_input *in,
					struct s2attr_output *out);

u64 s2attr_bench_dense_entry(int verdict, const struct s2attr_output *out);
int s2attr_bench_dense(const u64 *table, const struct s2attr_input *in,
		       struct s2attr_output *out);

/* Written by every measured driver, so that nothing it computes is dead. */
extern long s2attr_bench_sink;

#endif /* __S2ATTR_BENCH_H */
