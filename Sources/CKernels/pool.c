// A persistent worker pool. One 64-bit atomic holds the job's generation, task count and next task, so a worker
// claims a task with one compare-and-swap that also proves the job is still current. The caller takes tasks too and
// waits only for tasks in flight, never for a worker that has not woken up (robust when cores are oversubscribed).
// Idle workers spin briefly, then sleep on a condition variable.
#define _GNU_SOURCE
#include "franca_pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FRANCA_PAUSE() _mm_pause()
#else
#define FRANCA_PAUSE() ((void)0)
#endif

/// `pause` iterations an idle worker spins before sleeping (a few tens of microseconds: enough to bridge the
/// gaps between kernels of one forward pass, short enough not to steal a busy machine's cores between calls).
#define FRANCA_SPIN_LIMIT 4000

/* state = generation (20 bits) | ntasks (22 bits) | next task (22 bits) */
#define NEXT_BITS 22
#define COUNT_BITS 22
#define GEN_BITS 20
#define FIELD_MASK(bits) ((UINT64_C(1) << (bits)) - 1)
#define MAX_TASKS_PER_RUN ((int64_t)FIELD_MASK(COUNT_BITS))

static inline uint64_t st_next(uint64_t s) { return s & FIELD_MASK(NEXT_BITS); }
static inline uint64_t st_count(uint64_t s) { return (s >> NEXT_BITS) & FIELD_MASK(COUNT_BITS); }
static inline uint64_t st_gen(uint64_t s) { return s >> (NEXT_BITS + COUNT_BITS); }
static inline uint64_t st_pack(uint64_t gen, uint64_t count) { return (gen << (NEXT_BITS + COUNT_BITS)) | (count << NEXT_BITS); }

struct franca_pool {
    int32_t threads;
    pthread_t *handles;
    pthread_mutex_t run_lock; /* serialises franca_pool_run callers */
    pthread_mutex_t sleep_lock;
    pthread_cond_t wake;
    franca_task_fn fn; /* job: written before `state` is published, read after a successful claim */
    void *ctx;
    int64_t task_base; /* first task index of this run (large jobs go in several runs) */
    _Atomic uint64_t state;
    _Atomic int64_t done;
    _Atomic int32_t sleeping;
    _Atomic int32_t stop;
};

typedef struct {
    struct franca_pool *pool;
    int32_t index;
} worker_start;

/// Claims and runs tasks of generation `gen` until none are left or the job changed.
static void work(struct franca_pool *p, uint64_t gen, int32_t worker) {
    uint64_t s = atomic_load_explicit(&p->state, memory_order_acquire);
    for (;;) {
        if (st_gen(s) != gen || st_next(s) >= st_count(s)) return;
        if (atomic_compare_exchange_weak_explicit(&p->state, &s, s + 1, memory_order_acq_rel, memory_order_acquire)) {
            /* The job cannot change before this claimed task is counted done, so fn/ctx are this job's. */
            p->fn(p->ctx, p->task_base + (int64_t)st_next(s), worker);
            atomic_fetch_add_explicit(&p->done, 1, memory_order_release);
            s = atomic_load_explicit(&p->state, memory_order_acquire);
        }
    }
}

static void *worker_main(void *arg) {
    worker_start start = *(worker_start *)arg;
    free(arg);
    struct franca_pool *p = start.pool;
    uint64_t seen = 0;
    for (;;) {
        int spins = 0;
        uint64_t gen;
        while ((gen = st_gen(atomic_load_explicit(&p->state, memory_order_acquire))) == seen) {
            if (atomic_load_explicit(&p->stop, memory_order_acquire)) return NULL;
            if (++spins < FRANCA_SPIN_LIMIT) {
                FRANCA_PAUSE();
                continue;
            }
            pthread_mutex_lock(&p->sleep_lock);
            atomic_fetch_add(&p->sleeping, 1); /* seq_cst: pairs with the caller's store of state */
            while (st_gen(atomic_load(&p->state)) == seen && !atomic_load(&p->stop)) pthread_cond_wait(&p->wake, &p->sleep_lock);
            atomic_fetch_sub(&p->sleeping, 1);
            pthread_mutex_unlock(&p->sleep_lock);
            spins = 0;
        }
        if (atomic_load_explicit(&p->stop, memory_order_acquire)) return NULL;
        seen = gen;
        work(p, gen, start.index);
    }
}

franca_pool *franca_pool_create(int32_t threads) {
    if (threads < 1) threads = 1;
    struct franca_pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->threads = threads;
    pthread_mutex_init(&p->run_lock, NULL);
    pthread_mutex_init(&p->sleep_lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    atomic_init(&p->state, 0);
    atomic_init(&p->done, 0);
    atomic_init(&p->sleeping, 0);
    atomic_init(&p->stop, 0);
    if (threads > 1) {
        p->handles = calloc((size_t)threads - 1, sizeof(pthread_t));
        if (!p->handles) { free(p); return NULL; }
        for (int32_t i = 1; i < threads; i++) {
            worker_start *s = malloc(sizeof *s);
            if (s) {
                s->pool = p;
                s->index = i;
            }
            if (!s || pthread_create(&p->handles[i - 1], NULL, worker_main, s) != 0) {
                free(s);
                p->threads = i;
                franca_pool_destroy(p);
                return NULL;
            }
        }
    }
    return p;
}

void franca_pool_destroy(franca_pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->sleep_lock);
    atomic_store(&p->stop, 1);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->sleep_lock);
    for (int32_t i = 1; i < p->threads; i++) pthread_join(p->handles[i - 1], NULL);
    free(p->handles);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->sleep_lock);
    pthread_mutex_destroy(&p->run_lock);
    free(p);
}

int32_t franca_pool_threads(const franca_pool *p) { return p ? p->threads : 1; }

void franca_pool_run(franca_pool *p, franca_task_fn fn, void *ctx, int64_t ntasks) {
    if (ntasks <= 0) return;
    if (!p || p->threads == 1 || ntasks == 1) {
        for (int64_t t = 0; t < ntasks; t++) fn(ctx, t, 0);
        return;
    }
    pthread_mutex_lock(&p->run_lock);
    for (int64_t base = 0; base < ntasks; base += MAX_TASKS_PER_RUN) {
        int64_t count = ntasks - base < MAX_TASKS_PER_RUN ? ntasks - base : MAX_TASKS_PER_RUN;
        p->fn = fn;
        p->ctx = ctx;
        p->task_base = base;
        atomic_store_explicit(&p->done, 0, memory_order_relaxed);
        uint64_t gen = (st_gen(atomic_load_explicit(&p->state, memory_order_relaxed)) + 1) & FIELD_MASK(GEN_BITS);
        if (gen == 0) gen = 1; /* workers start having seen generation 0 */
        atomic_store(&p->state, st_pack(gen, (uint64_t)count)); /* seq_cst: pairs with `sleeping` */
        if (atomic_load(&p->sleeping) > 0) {
            pthread_mutex_lock(&p->sleep_lock);
            pthread_cond_broadcast(&p->wake);
            pthread_mutex_unlock(&p->sleep_lock);
        }
        work(p, gen, 0);
        int spins = 0;
        while (atomic_load_explicit(&p->done, memory_order_acquire) < count) {
            if (++spins < FRANCA_SPIN_LIMIT) FRANCA_PAUSE();
            else sched_yield();
        }
    }
    pthread_mutex_unlock(&p->run_lock);
}
