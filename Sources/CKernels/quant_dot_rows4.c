// Matrix-vector product driver over the pool using a 4-row kernel (the one-token path of QuantMatmul.run).
#include "franca_quant.h"

#define ROWS4_PER_TASK 64

typedef struct {
    franca_qgemv_rows4_fn rows4;
    float (*dot)(const void *, const void *, long);
    const uint8_t *w;
    long row_bytes, rows;
    const void *a;
    long n;
    float *y;
} rows4_ctx;

static void rows4_task(void *ctx, int64_t task, int32_t worker) {
    (void)worker;
    const rows4_ctx *c = ctx;
    long r0 = (long)task * ROWS4_PER_TASK, r1 = r0 + ROWS4_PER_TASK;
    if (r1 > c->rows) r1 = c->rows;
    long r = r0;
    for (; r + 4 <= r1; r += 4) c->rows4(c->w + r * c->row_bytes, c->row_bytes, c->a, c->n, c->y + r);
    for (; r < r1; r++) c->y[r] = c->dot(c->w + r * c->row_bytes, c->a, c->n);
}

void franca_qgemv_rows4_run(franca_pool *pool, franca_qgemv_rows4_fn rows4,
                            float (*dot)(const void *, const void *, long), const void *w, long row_bytes, long rows,
                            const void *a, long n, float *y) {
    if (rows <= 0) return;
    rows4_ctx c = {rows4, dot, w, row_bytes, rows, a, n, y};
    franca_pool_run(pool, rows4_task, &c, (rows + ROWS4_PER_TASK - 1) / ROWS4_PER_TASK);
}
