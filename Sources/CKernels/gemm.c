// Packed f32 GEMM: packing, the portable scalar path and the threaded driver.
#include "CKernels.h"
#include "gemm_internal.h"

#include <math.h>
#include <string.h>

int32_t franca_best_path(void) {
    static int32_t best = -2;
    if (best == -2) {
        uint32_t f = franca_cpu_features();
        if (f & FRANCA_CPU_AVX512F) best = FRANCA_PATH_AVX512;
        else if ((f & FRANCA_CPU_AVX2) && (f & FRANCA_CPU_FMA)) best = FRANCA_PATH_AVX2;
        else best = FRANCA_PATH_SCALAR;
    }
    return best;
}

int32_t franca_resolve_path(int32_t path) {
    int32_t best = franca_best_path();
    if (path < 0 || path > best) return best;
    return path;
}

size_t franca_gemm_packed_count(int64_t n, int64_t k) {
    int64_t panels = (n + FRANCA_GEMM_NR - 1) / FRANCA_GEMM_NR;
    return (size_t)(panels * FRANCA_GEMM_NR * k);
}

void franca_gemm_pack(const float *w, int64_t n, int64_t k, int64_t ldw, float *packed) {
    int64_t panels = (n + FRANCA_GEMM_NR - 1) / FRANCA_GEMM_NR;
    for (int64_t p = 0; p < panels; p++) {
        float *dst = packed + p * FRANCA_GEMM_NR * k;
        for (int64_t kk = 0; kk < k; kk++) {
            for (int64_t j = 0; j < FRANCA_GEMM_NR; j++) {
                int64_t row = p * FRANCA_GEMM_NR + j;
                dst[kk * FRANCA_GEMM_NR + j] = row < n ? w[row * ldw + kk] : 0.0f;
            }
        }
    }
}

void franca_gemm_block_scalar(const franca_gemm_args *g, int64_t m0, int64_t m1, int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; p++) {
        const float *panel = franca_gemm_panels(g, p, 1, FRANCA_PATH_SCALAR);
        int64_t n0 = p * FRANCA_GEMM_NR;
        int64_t cols = g->n - n0 < FRANCA_GEMM_NR ? g->n - n0 : FRANCA_GEMM_NR;
        for (int64_t i = m0; i < m1; i++) {
            float acc[FRANCA_GEMM_NR] = {0};
            const float *a = g->a + i * g->lda;
            for (int64_t kk = 0; kk < g->k; kk++) {
                float av = a[kk];
                const float *b = panel + kk * FRANCA_GEMM_NR;
                for (int j = 0; j < FRANCA_GEMM_NR; j++) acc[j] += av * b[j];
            }
            float *c = g->c + i * g->ldc + n0;
            for (int64_t j = 0; j < cols; j++) {
                float v = acc[j] + (g->bias ? g->bias[n0 + j] : 0.0f);
                if (g->epilogue == FRANCA_EPILOGUE_GELU) v = 0.5f * v * (1.0f + erff(v * 0.70710678118654752f));
                c[j] = v;
            }
        }
    }
}

/// Rows per task when the row range is split too (a multiple of both micro-kernel heights, 6 and 12).
#define FRANCA_GEMM_ROW_BLOCK 96
/// Panels per task (the AVX-512 kernel takes two panels at once).
#define FRANCA_GEMM_PANEL_GROUP 2

typedef struct {
    const franca_gemm_args *args;
    franca_gemm_block_fn block;
    int64_t row_blocks;
    int64_t panels;
} gemm_job;

static void gemm_task(void *ctx, int64_t task, int32_t worker) {
    (void)worker;
    const gemm_job *job = ctx;
    int64_t rb = task % job->row_blocks;
    int64_t pg = task / job->row_blocks;
    int64_t m0 = rb * FRANCA_GEMM_ROW_BLOCK;
    int64_t m1 = m0 + FRANCA_GEMM_ROW_BLOCK < job->args->m ? m0 + FRANCA_GEMM_ROW_BLOCK : job->args->m;
    int64_t p0 = pg * FRANCA_GEMM_PANEL_GROUP;
    int64_t p1 = p0 + FRANCA_GEMM_PANEL_GROUP < job->panels ? p0 + FRANCA_GEMM_PANEL_GROUP : job->panels;
    job->block(job->args, m0, m1, p0, p1);
}

void franca_gemm(franca_pool *pool, const franca_gemm_args *args) {
    if (args->m <= 0 || args->n <= 0) return;
    int32_t path = franca_resolve_path(args->path);
    gemm_job job;
    job.args = args;
    job.block = path == FRANCA_PATH_AVX512 ? franca_gemm_block_avx512
              : path == FRANCA_PATH_AVX2 ? franca_gemm_block_avx2
              : franca_gemm_block_scalar;
    job.panels = (args->n + FRANCA_GEMM_NR - 1) / FRANCA_GEMM_NR;
    job.row_blocks = (args->m + FRANCA_GEMM_ROW_BLOCK - 1) / FRANCA_GEMM_ROW_BLOCK;
    int64_t groups = (job.panels + FRANCA_GEMM_PANEL_GROUP - 1) / FRANCA_GEMM_PANEL_GROUP;
    franca_pool_run(pool, gemm_task, &job, groups * job.row_blocks);
}
