// Counts heap allocations per thread for MallocCounterTests. The executable's own malloc & co. interpose the C
// library's (ELF symbol resolution prefers the executable), and forward to glibc's exported __libc_* entry points.
#include "malloc_counter.h"
#include <stddef.h>
#include <errno.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static _Thread_local long thread_count;

long franca_malloc_count_thread(void) { return thread_count; }

void *malloc(size_t size) { thread_count++; return __libc_malloc(size); }
void *calloc(size_t count, size_t size) { thread_count++; return __libc_calloc(count, size); }
void *realloc(void *p, size_t size) { thread_count++; return __libc_realloc(p, size); }
void *memalign(size_t alignment, size_t size) { thread_count++; return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { thread_count++; return __libc_memalign(alignment, size); }

int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    thread_count++;
    void *p = __libc_memalign(alignment, size);
    if (!p && size) return ENOMEM;
    *out = p;
    return 0;
}
