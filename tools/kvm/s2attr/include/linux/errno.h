/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_ERRNO_H
#define __S2ATTR_SHIM_ERRNO_H

/* The errno values of the Linux UAPI, as the real linux/errno.h gives. */
#include <asm/errno.h>

#endif
