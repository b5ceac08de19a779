/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_BITS_H
#define __S2ATTR_SHIM_BITS_H

#define BIT(n)		(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))
#define GENMASK(h, l)	(((~0UL) << (l)) & (~0UL >> (8 * sizeof(long) - 1 - (h))))

#endif
