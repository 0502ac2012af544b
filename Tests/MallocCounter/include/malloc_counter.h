#ifndef FRANCA_MALLOC_COUNTER_H
#define FRANCA_MALLOC_COUNTER_H

/// Heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) made so far by the calling
/// thread. Linked into the test executable only: its definitions of those functions take the place of the C
/// library's for the whole process and forward to it, counting per thread, so tests running in parallel on other
/// threads do not disturb a measurement.
long franca_malloc_count_thread(void);

#endif
