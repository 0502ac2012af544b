// Decoder kernels: the quantized matmul driver (rows split over the pool, the per-row dot is a function pointer
// chosen by the weight type) and causal grouped-query attention over a KV cache.
#include "franca_decoder.h"
#include <math.h>
#include <float.h>

#define QMATMUL_ROWS_PER_TASK 16
#define QMATMUL_TOKEN_TILE 8

static void qmatmul_task(void *ctx, int64_t task, int32_t worker) {
    (void)worker;
    const franca_qmatmul_args *a = (const franca_qmatmul_args *)ctx;
    int64_t r0 = task * QMATMUL_ROWS_PER_TASK;
    int64_t r1 = r0 + QMATMUL_ROWS_PER_TASK;
    if (r1 > a->rows) r1 = a->rows;
    for (int64_t t0 = 0; t0 < a->tokens; t0 += QMATMUL_TOKEN_TILE) {
        int64_t t1 = t0 + QMATMUL_TOKEN_TILE;
        if (t1 > a->tokens) t1 = a->tokens;
        for (int64_t r = r0; r < r1; r++) {
            const uint8_t *w = a->w + r * a->w_row_bytes;
            for (int64_t t = t0; t < t1; t++) {
                a->c[t * a->ldc + r] = a->dot(w, a->a + t * a->a_row_bytes, (long)a->k);
            }
        }
    }
}

void franca_qmatmul(franca_pool *pool, const franca_qmatmul_args *args) {
    if (args->rows <= 0 || args->tokens <= 0) return;
    int64_t tasks = (args->rows + QMATMUL_ROWS_PER_TASK - 1) / QMATMUL_ROWS_PER_TASK;
    franca_pool_run(pool, qmatmul_task, (void *)args, tasks);
}

static void attention_task(void *ctx, int64_t task, int32_t worker) {
    const franca_decoder_attention_args *a = (const franca_decoder_attention_args *)ctx;
    int64_t t = task / a->heads, h = task % a->heads;
    int64_t group = a->heads / a->kv_heads;
    int64_t kvh = h / group;
    int64_t d = a->head_dim;
    const float *q = a->q + t * a->ldq + h * d;
    float *out = a->out + t * a->ldo + h * d;
    float *scores = a->scratch + (int64_t)worker * a->max_positions;
    int64_t pos = a->positions[t];
    int64_t first = 0;
    if (a->window > 0 && pos - a->window + 1 > 0) first = pos - a->window + 1;
    float maxv = -FLT_MAX;
    for (int64_t p = first; p <= pos; p++) {
        const float *k = a->k_cache + p * a->ldkv + kvh * d;
        float s = 0;
        for (int64_t i = 0; i < d; i++) s += q[i] * k[i];
        s *= a->scale;
        scores[p - first] = s;
        if (s > maxv) maxv = s;
    }
    float sum = 0;
    for (int64_t p = first; p <= pos; p++) {
        float e = expf(scores[p - first] - maxv);
        scores[p - first] = e;
        sum += e;
    }
    float inv = 1.0f / sum;
    for (int64_t i = 0; i < d; i++) out[i] = 0;
    for (int64_t p = first; p <= pos; p++) {
        const float *v = a->v_cache + p * a->ldkv + kvh * d;
        float w = scores[p - first] * inv;
        for (int64_t i = 0; i < d; i++) out[i] += w * v[i];
    }
}

void franca_decoder_attention(franca_pool *pool, const franca_decoder_attention_args *args) {
    if (args->tokens <= 0 || args->heads <= 0) return;
    franca_pool_run(pool, attention_task, (void *)args, args->tokens * args->heads);
}
