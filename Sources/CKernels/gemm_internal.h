// Shared declarations of the GEMM paths (private to CKernels).
#ifndef FRANCA_GEMM_INTERNAL_H
#define FRANCA_GEMM_INTERNAL_H

#include "franca_kernels.h"

/// Computes rows [m0, m1) × panels [p0, p1) of the GEMM in args (all paths share this signature).
typedef void (*franca_gemm_block_fn)(const franca_gemm_args *args, int64_t m0, int64_t m1, int64_t p0, int64_t p1);

void franca_gemm_block_scalar(const franca_gemm_args *args, int64_t m0, int64_t m1, int64_t p0, int64_t p1);
void franca_gemm_block_avx2(const franca_gemm_args *args, int64_t m0, int64_t m1, int64_t p0, int64_t p1);
void franca_gemm_block_avx512(const franca_gemm_args *args, int64_t m0, int64_t m1, int64_t p0, int64_t p1);

/// Pointer to `count` (1 or 2) consecutive f32 panels starting at panel p: straight into packed_w, or dequantized
/// from packed_q4 into a per-thread buffer (valid until the next call on this thread).
const float *franca_gemm_panels(const franca_gemm_args *args, int64_t p, int count, int32_t path);

/// In-place exact GELU on n floats with the given (resolved) path.
void franca_gelu_resolved(float *x, int64_t n, int32_t path);

/// Writes an accumulated tile tmp[rows][16] (columns already biased) into C for `cols` valid columns.
static inline void franca_store_tile_tail(const float *tmp, int rows, int cols, float *c, int64_t ldc) {
    for (int r = 0; r < rows; r++)
        for (int j = 0; j < cols; j++) c[r * ldc + j] = tmp[r * FRANCA_GEMM_NR + j];
}

#endif
