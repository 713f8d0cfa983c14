package dstackcfg

// A counting C allocator: the memory tests send every allocation of the
// library through it (withAllocator) and read how much is live.

/*
#include <stdlib.h>
#include <string.h>
#include <dstackcfg/dstackcfg.h>

static long long dcfg_go_allocs, dcfg_go_frees, dcfg_go_live_bytes;

// every block carries its size in a 16-byte header (keeps malloc's alignment)
static void *count_malloc(size_t n, void *user)
{
    (void)user;
    size_t *p = malloc(n + 16);
    if (!p) return NULL;
    *p = n;
    __atomic_add_fetch(&dcfg_go_allocs, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&dcfg_go_live_bytes, (long long)n, __ATOMIC_RELAXED);
    return (char *)p + 16;
}

static void count_free(void *ptr, void *user)
{
    (void)user;
    if (!ptr) return;
    size_t *p = (size_t *)((char *)ptr - 16);
    __atomic_add_fetch(&dcfg_go_frees, 1, __ATOMIC_RELAXED);
    __atomic_sub_fetch(&dcfg_go_live_bytes, (long long)*p, __ATOMIC_RELAXED);
    free(p);
}

static void *count_realloc(void *ptr, size_t n, void *user)
{
    if (!ptr) return count_malloc(n, user);
    size_t *old = (size_t *)((char *)ptr - 16);
    size_t was = *old;
    size_t *p = realloc(old, n + 16);
    if (!p) return NULL;
    *p = n;
    __atomic_add_fetch(&dcfg_go_live_bytes, (long long)n - (long long)was, __ATOMIC_RELAXED);
    return (char *)p + 16;
}

static const dcfg_allocator dcfg_go_counting = { count_malloc, count_realloc, count_free, NULL };

static const dcfg_allocator *dcfg_go_counting_allocator(void) { return &dcfg_go_counting; }

static void dcfg_go_alloc_stats(long long *allocs, long long *frees, long long *live)
{
    *allocs = __atomic_load_n(&dcfg_go_allocs, __ATOMIC_RELAXED);
    *frees = __atomic_load_n(&dcfg_go_frees, __ATOMIC_RELAXED);
    *live = __atomic_load_n(&dcfg_go_live_bytes, __ATOMIC_RELAXED);
}
*/
import "C"

// countingAllocator is the counting allocator, for withAllocator and newWith.
func countingAllocator() *C.dcfg_allocator {
	return (*C.dcfg_allocator)(C.dcfg_go_counting_allocator())
}

// allocStats are the counting allocator's totals: allocations, frees and
// bytes live now.
func allocStats() (allocs, frees, liveBytes int64) {
	var a, f, l C.longlong
	C.dcfg_go_alloc_stats(&a, &f, &l)
	return int64(a), int64(f), int64(l)
}
