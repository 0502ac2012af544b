// A persistent worker pool: workers spin briefly for the next job, then sleep on a condition variable.
// Jobs hand out task indices through one atomic counter, so there is no per-task synchronisation.
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

/// Spin iterations (each a `pause`, ~10-40 ns) before a waiting worker goes to sleep.
#define FRANCA_SPIN_LIMIT 20000

struct franca_pool {
    int32_t threads;
    pthread_t *handles;
    pthread_mutex_t run_lock;   /* serialises franca_pool_run callers */
    pthread_mutex_t sleep_lock;
    pthread_cond_t wake;
    /* current job */
    franca_task_fn fn;
    void *ctx;
    int64_t ntasks;
    _Atomic int64_t next_task;
    _Atomic int32_t busy_workers;   /* workers (not the caller) still inside the current job */
    _Atomic uint64_t generation;    /* bumped once per job; workers run a job when it changes */
    _Atomic int32_t stop;
};

typedef struct {
    struct franca_pool *pool;
    int32_t index;
} worker_start;

static void run_tasks(struct franca_pool *p, int32_t worker) {
    franca_task_fn fn = p->fn;
    void *ctx = p->ctx;
    int64_t n = p->ntasks;
    for (;;) {
        int64_t t = atomic_fetch_add_explicit(&p->next_task, 1, memory_order_relaxed);
        if (t >= n) break;
        fn(ctx, t, worker);
    }
}

static void *worker_main(void *arg) {
    worker_start start = *(worker_start *)arg;
    free(arg);
    struct franca_pool *p = start.pool;
    uint64_t seen = 0;
    for (;;) {
        uint64_t g;
        int spins = 0;
        while ((g = atomic_load_explicit(&p->generation, memory_order_acquire)) == seen) {
            if (atomic_load_explicit(&p->stop, memory_order_relaxed)) return NULL;
            if (++spins < FRANCA_SPIN_LIMIT) {
                FRANCA_PAUSE();
                continue;
            }
            pthread_mutex_lock(&p->sleep_lock);
            while (atomic_load_explicit(&p->generation, memory_order_acquire) == seen &&
                   !atomic_load_explicit(&p->stop, memory_order_relaxed)) {
                pthread_cond_wait(&p->wake, &p->sleep_lock);
            }
            pthread_mutex_unlock(&p->sleep_lock);
            spins = 0;
        }
        if (atomic_load_explicit(&p->stop, memory_order_relaxed)) return NULL;
        seen = g;
        run_tasks(p, start.index);
        atomic_fetch_sub_explicit(&p->busy_workers, 1, memory_order_release);
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
    atomic_init(&p->next_task, 0);
    atomic_init(&p->busy_workers, 0);
    atomic_init(&p->generation, 0);
    atomic_init(&p->stop, 0);
    if (threads > 1) {
        p->handles = calloc((size_t)threads - 1, sizeof(pthread_t));
        if (!p->handles) { free(p); return NULL; }
        for (int32_t i = 1; i < threads; i++) {
            worker_start *s = malloc(sizeof *s);
            if (!s) { p->threads = i; franca_pool_destroy(p); return NULL; }
            s->pool = p;
            s->index = i;
            if (pthread_create(&p->handles[i - 1], NULL, worker_main, s) != 0) {
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
    p->fn = fn;
    p->ctx = ctx;
    p->ntasks = ntasks;
    atomic_store_explicit(&p->next_task, 0, memory_order_relaxed);
    atomic_store_explicit(&p->busy_workers, p->threads - 1, memory_order_relaxed);
    pthread_mutex_lock(&p->sleep_lock);
    atomic_fetch_add_explicit(&p->generation, 1, memory_order_release);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->sleep_lock);
    run_tasks(p, 0);
    int spins = 0;
    while (atomic_load_explicit(&p->busy_workers, memory_order_acquire) > 0) {
        if (++spins < FRANCA_SPIN_LIMIT) FRANCA_PAUSE();
        else sched_yield();
    }
    pthread_mutex_unlock(&p->run_lock);
}
