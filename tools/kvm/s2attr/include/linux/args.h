/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_ARGS_H
#define __S2ATTR_SHIM_ARGS_H

/* The argument counting of the kernel's <linux/args.h>, up to 15. */
#define __COUNT_ARGS(_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _n, X...) _n
#define COUNT_ARGS(X...) __COUNT_ARGS(, ##X, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)

/* glibc's <sys/cdefs.h> has its own __CONCAT; use a name of our own. */
#define __S2ATTR_CONCAT(a, b) a ## b
#define CONCATENATE(a, b) __S2ATTR_CONCAT(a, b)

#endif
