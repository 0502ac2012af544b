#ifndef FRANCA_POOL_H
#define FRANCA_POOL_H

#include <stdint.h>

/// One task of a parallel job: `task` in 0..<ntasks, `worker` in 0..<threads (for per-worker scratch).
typedef void (*franca_task_fn)(void *ctx, int64_t task, int32_t worker);

/// A persistent pool of worker threads; the calling thread is worker 0 and takes tasks too.
typedef struct franca_pool franca_pool;

/// Creates a pool running jobs on `threads` threads in total (including the caller); NULL if threads cannot start.
franca_pool *franca_pool_create(int32_t threads);
void franca_pool_destroy(franca_pool *pool);
int32_t franca_pool_threads(const franca_pool *pool);

/// Runs fn(ctx, t, worker) for every t in 0..<ntasks and returns when all are done.
/// A NULL pool runs everything on the caller. Calls from several threads are serialised.
void franca_pool_run(franca_pool *pool, franca_task_fn fn, void *ctx, int64_t ntasks);

#endif
