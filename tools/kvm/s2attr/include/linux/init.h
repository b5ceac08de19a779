/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_INIT_H
#define __S2ATTR_SHIM_INIT_H

/*
 * Initcalls: in user space, a constructor, so that what the kernel sets up
 * at boot is set up before main().
 */
#define __init
#define pure_initcall(fn)						\
	static void __attribute__((__constructor__)) __initcall_##fn(void)	\
	{								\
		fn();							\
	}

#endif
