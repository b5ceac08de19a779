/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_CACHE_H
#define __S2ATTR_SHIM_CACHE_H

/* Read-only after init in the kernel; plain data here. */
#define __ro_after_init

#endif
