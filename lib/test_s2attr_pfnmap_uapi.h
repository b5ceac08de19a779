/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The interface of lib/test_s2attr_pfnmap.c, a test device that hands user
 * space the kinds of memory whose stage-2 attributes KVM/arm64 decides
 * through s2attr, for tools/testing/selftests/kvm/aarch64/s2attr_e2e.c.
 *
 * A file descriptor of /dev/test_s2attr_pfnmap is configured with
 * TEST_S2ATTR_PFNMAP_SET; each later mmap() of it maps what the last
 * accepted request says (a later SET changes only later mmap()s).
 * MAP_SHARED or MAP_PRIVATE (a COW mapping) is the caller's choice; the
 * mmap() offset must be 0, the offset comes with the request.
 * TEST_S2ATTR_PFNMAP_PAGE_COUNT tells how many references the page at a
 * user address has, so that a test can show that KVM released a pfn.
 *
 * The hidden region is named on the kernel command line (or at modprobe)
 * with test_s2attr_pfnmap.hidden=SIZE@BASE, e.g. 256M@0x70000000 with
 * mem=768M on a 1 GiB machine whose RAM starts at 0x40000000. The driver
 * refuses it, logs why and serves no hidden region if it is not page
 * aligned, wraps around, has a page in the kernel's linear map or is busy
 * in /proc/iomem.
 *
 * Every refusal logs one line, prefixed "test_s2attr_pfnmap: "; the checks
 * run in this order:
 *
 * TEST_S2ATTR_PFNMAP_SET
 *   -EINVAL "SET refused: unknown backing N"
 *   -EINVAL "SET refused: unknown vma N"
 *   -EINVAL "SET refused: unknown memtype N"
 *   -EINVAL "SET refused: unknown flags 0xN"
 *   -EOPNOTSUPP "SET refused: PFNMAP_HUGE needs CONFIG_ARCH_SUPPORTS_PMD_PFNMAP"
 *   -EINVAL "SET refused: TTM takes a non-cacheable memtype, vm_page_prot is
 *           cacheable"
 *           (a TTM request is one whose PTEs differ from vm_page_prot; a
 *           cacheable one is TEST_S2ATTR_VMA_PFNMAP_HUGE by PTEs)
 *   -EINVAL "SET refused: KERNEL backing is mapped only as cacheable PFNMAP"
 *           (no VMA kind but PFNMAP, no memtype but NORMAL, no ALLOW_ANY_UC:
 *           a non-cacheable alias of the linear map is never made)
 *   -EINVAL "SET refused: offset 0xN, KERNEL backing takes none"
 *   -ENODEV "SET refused: HIDDEN backing but no hidden region"
 *   -EINVAL "SET refused: offset 0xN is not page aligned"
 *   -EINVAL "SET refused: offset 0xN is beyond the 0xN-byte hidden region"
 *   (-EFAULT for a bad pointer, -ENOTTY for an unknown ioctl, not logged)
 *
 * mmap()
 *   -EINVAL "mmap refused: no TEST_S2ATTR_PFNMAP_SET on this file"
 *   -EINVAL "mmap refused: offset 0xN, the offset is set with
 *            TEST_S2ATTR_PFNMAP_SET"
 *   -EINVAL "mmap refused: PFNMAP_HUGE needs MAP_SHARED"
 *   -EINVAL "mmap refused: TTM needs MAP_SHARED"
 *           (as ttm_bo_mmap_obj() refuses a COW mapping)
 *   -EINVAL "mmap refused: 0xN bytes from offset 0xN is beyond the
 *            0xN-byte hidden region"
 *   -EINVAL "mmap refused: 0xN bytes of KERNEL backing, at most 0xN"
 *           (one allocation: PAGE_SIZE << MAX_PAGE_ORDER, 4 MiB with 4K pages)
 *   -ENOMEM "mmap refused: cannot allocate 0xN bytes of KERNEL backing"
 *   -N      "mmap refused: remap_pfn_range() failed: -N"
 *   (-ENOMEM without a line when the driver's bookkeeping cannot be
 *   allocated)
 *
 * TEST_S2ATTR_PFNMAP_PAGE_COUNT (on any file of the device, SET or not)
 *   -EFAULT "PAGE_COUNT refused: no mapping at 0xN"
 *   -EFAULT "PAGE_COUNT refused: nothing mapped at 0xN"
 *           (no present page table entry: touch the page first)
 *   -EINVAL "PAGE_COUNT refused: 0xN maps pfn 0xN, which has no struct page
 *           or a count of 0"
 *           (e.g. the hidden region, a PCI BAR)
 *   (-EFAULT for a bad pointer, not logged)
 */
#ifndef _LIB_TEST_S2ATTR_PFNMAP_UAPI_H
#define _LIB_TEST_S2ATTR_PFNMAP_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* What the mapping is made of. */
enum test_s2attr_backing {
	/* RAM hidden from the kernel with mem=: no linear map, no struct page. */
	TEST_S2ATTR_BACKING_HIDDEN	= 0,
	/*
	 * Pages the driver allocates at mmap() time, zeroed, physically
	 * contiguous, freed with the last VMA: in the linear map (the
	 * /dev/mem case). Mapped only as TEST_S2ATTR_VMA_PFNMAP with
	 * TEST_S2ATTR_MT_NORMAL, the type of the linear map.
	 */
	TEST_S2ATTR_BACKING_KERNEL	= 1,
};

/* How it is mapped. */
enum test_s2attr_vma {
	TEST_S2ATTR_VMA_PFNMAP		= 0,	/* remap_pfn_range(): VM_PFNMAP | VM_IO */
	TEST_S2ATTR_VMA_MIXEDMAP	= 1,	/* vmf_insert_mixed(): VM_MIXEDMAP | VM_IO */
	/*
	 * VM_PFNMAP | VM_IO filled on fault as vfio_pci_mmap_huge_fault()
	 * does: vmf_insert_pfn_pmd() for a PMD-sized, PMD-aligned range of
	 * the VMA whose first pfn is PMD aligned, vmf_insert_pfn() otherwise.
	 * HIDDEN backing and MAP_SHARED only; for PMD leaves, align the
	 * mapping's address and the offset to 2 MiB (with 4K pages).
	 */
	TEST_S2ATTR_VMA_PFNMAP_HUGE	= 2,
	/*
	 * As TTM maps a buffer object in VRAM (ttm_bo_mmap_obj(),
	 * ttm_bo_vm_fault_reserved()): VM_PFNMAP | VM_IO | VM_DONTEXPAND |
	 * VM_DONTDUMP, vm_page_prot left as mmap() made it (MT_NORMAL,
	 * cacheable), and PTEs inserted on fault with vmf_insert_pfn_prot()
	 * and the memtype of the request, for the faulting page and up to 15
	 * pages after it in the VMA. The stage-1 type of the PTEs is not that
	 * of vm_page_prot: memtype NORMAL_NC is TTM's ttm_write_combined,
	 * DEVICE_NGNRNE its ttm_uncached. HIDDEN backing, MAP_SHARED and a
	 * memtype other than NORMAL only.
	 */
	TEST_S2ATTR_VMA_TTM		= 3,
};

/*
 * The stage-1 memory type of the user mapping: the AttrIndx that
 * vm_page_prot, and so every PTE, gets (arch/arm64/include/asm/memory.h,
 * MT_*); for TEST_S2ATTR_VMA_TTM the AttrIndx of the PTEs only. 1,
 * MT_NORMAL_TAGGED, is refused.
 */
enum test_s2attr_memtype {
	TEST_S2ATTR_MT_NORMAL		= 0,	/* MT_NORMAL, write-back */
	TEST_S2ATTR_MT_NORMAL_NC	= 2,	/* MT_NORMAL_NC: pgprot_writecombine() */
	TEST_S2ATTR_MT_DEVICE_NGNRNE	= 3,	/* MT_DEVICE_nGnRnE: pgprot_noncached() */
	TEST_S2ATTR_MT_DEVICE_NGNRE	= 4,	/* MT_DEVICE_nGnRE: pgprot_device() */
};

/* test_s2attr_pfnmap_req.flags */
#define TEST_S2ATTR_ALLOW_ANY_UC	0x1U	/* set VM_ALLOW_ANY_UNCACHED */

/**
 * struct test_s2attr_pfnmap_req - What the next mmap() of this fd maps.
 * @backing: enum test_s2attr_backing.
 * @vma: enum test_s2attr_vma.
 * @memtype: enum test_s2attr_memtype.
 * @flags: TEST_S2ATTR_* flags; other bits must be 0.
 * @offset: for TEST_S2ATTR_BACKING_HIDDEN, byte offset into the hidden
 *	region, page aligned; must be 0 for TEST_S2ATTR_BACKING_KERNEL.
 */
struct test_s2attr_pfnmap_req {
	__u32 backing;
	__u32 vma;
	__u32 memtype;
	__u32 flags;
	__u64 offset;
};

/**
 * struct test_s2attr_pfnmap_info - The hidden region the driver serves.
 * @hidden_base: physical address of the first byte (0 when there is none).
 * @hidden_size: its size in bytes (0 when there is none).
 */
struct test_s2attr_pfnmap_info {
	__u64 hidden_base;
	__u64 hidden_size;
};

/**
 * struct test_s2attr_pfnmap_page_count - The references to a user page.
 * @addr: in: a user address of the calling process, mapped by any VMA: the
 *	test device's, /dev/mem's, vfio-pci's (VM_PFNMAP or VM_IO: the pfn is
 *	read from the page table with follow_pfnmap_start()) or any other
 *	(anonymous or file memory: get_user_pages_fast_only(), which neither
 *	faults the page in nor marks it accessed).
 * @pfn: out: the pfn mapped at @addr.
 * @count: out: page_count() of its page (the folio's for a large folio),
 *	less the reference the driver took to read it.
 * @pad: out: 0.
 *
 * For a test that must show that a refused KVM fault released the pfn it
 * got: the count before the VM is created and after it is destroyed must
 * be the same. It includes the references that the per-CPU LRU batches
 * hold on anonymous and page cache pages (lru_add_drain() empties the
 * calling CPU's, e.g. at any munmap()): pin the task to one CPU and
 * munmap() something before each count.
 */
struct test_s2attr_pfnmap_page_count {
	__u64 addr;
	__u64 pfn;
	__u32 count;
	__u32 pad;
};

#define TEST_S2ATTR_PFNMAP_SET	_IOW('S', 0x01, struct test_s2attr_pfnmap_req)
#define TEST_S2ATTR_PFNMAP_INFO	_IOR('S', 0x02, struct test_s2attr_pfnmap_info)
#define TEST_S2ATTR_PFNMAP_PAGE_COUNT \
	_IOWR('S', 0x03, struct test_s2attr_pfnmap_page_count)

#endif /* _LIB_TEST_S2ATTR_PFNMAP_UAPI_H */
