/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __S2ATTR_SHIM_ATOMIC_H
#define __S2ATTR_SHIM_ATOMIC_H

/* The few atomic_t operations of the kernel that s2attr uses, on GCC builtins. */
typedef struct {
	int counter;
} atomic_t;

#define ATOMIC_INIT(i)	{ (i) }

static inline int atomic_read_acquire(const atomic_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE);
}

static inline void atomic_set_release(atomic_t *v, int i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELEASE);
}

#endif
