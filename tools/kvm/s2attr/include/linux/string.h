/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_STRING_H
#define __S2ATTR_SHIM_STRING_H

#include <string.h>

#endif
