/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_COMPILER_H
#define __S2ATTR_SHIM_COMPILER_H

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/* From <linux/compiler_attributes.h>, which the kernel includes everywhere. */
#define noinline	__attribute__((__noinline__))
#define __cold		__attribute__((__cold__))
#define __aligned(x)	__attribute__((__aligned__(x)))

#endif
