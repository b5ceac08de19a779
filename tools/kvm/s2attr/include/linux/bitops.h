/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_BITOPS_H
#define __S2ATTR_SHIM_BITOPS_H

#include <linux/bits.h>

/*
 * The kernel's __ffs(): the number of the lowest set bit; undefined for 0.
 * On x86-64 as arch/x86/include/asm/bitops.h has it, so that the host
 * benchmark counts what the kernel would run.
 */
static inline unsigned long __ffs(unsigned long word)
{
#ifdef __x86_64__
	__asm__("rep; bsf %1,%0" : "=r" (word) : "rm" (word));
	return word;
#else
	return __builtin_ctzl(word);
#endif
}

#endif
