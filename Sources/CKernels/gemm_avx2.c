// AVX2 + FMA GEMM micro-kernel: 6 rows × 16 columns (one packed panel) held in 12 ymm accumulators.
#include "gemm_internal.h"
#include "simd_math.h"

#define MR 6

/// One tile: rows×16 of C from `rows` A rows and one packed panel; R is a compile-time row count.
#define DEFINE_TILE(R)                                                                                        \
    static FRANCA_AVX2 void tile_##R(const float *a, int64_t lda, const float *panel, int64_t k,             \
                                     const float *bias, int cols, int epilogue, float *c, int64_t ldc) {       \
        __m256 lo[R], hi[R];                                                                                  \
        for (int r = 0; r < R; r++) { lo[r] = _mm256_setzero_ps(); hi[r] = _mm256_setzero_ps(); }            \
        for (int64_t kk = 0; kk < k; kk++) {                                                                  \
            __m256 b0 = _mm256_loadu_ps(panel + kk * 16);                                                     \
            __m256 b1 = _mm256_loadu_ps(panel + kk * 16 + 8);                                                 \
            for (int r = 0; r < R; r++) {                                                                     \
                __m256 av = _mm256_broadcast_ss(a + r * lda + kk);                                            \
                lo[r] = _mm256_fmadd_ps(av, b0, lo[r]);                                                       \
                hi[r] = _mm256_fmadd_ps(av, b1, hi[r]);                                                       \
            }                                                                                                 \
        }                                                                                                     \
        __m256 bias0 = _mm256_setzero_ps(), bias1 = _mm256_setzero_ps();                                      \
        if (bias) {                                                                                           \
            bias0 = _mm256_maskload_ps(bias, franca_mask8(cols));                                             \
            bias1 = _mm256_maskload_ps(bias + 8, franca_mask8(cols - 8));                                     \
        }                                                                                                     \
        for (int r = 0; r < R; r++) {                                                                         \
            lo[r] = _mm256_add_ps(lo[r], bias0);                                                              \
            hi[r] = _mm256_add_ps(hi[r], bias1);                                                              \
            if (epilogue == FRANCA_EPILOGUE_GELU) { lo[r] = franca_gelu8(lo[r]); hi[r] = franca_gelu8(hi[r]); } \
        }                                                                                                     \
        if (cols == 16) {                                                                                     \
            for (int r = 0; r < R; r++) {                                                                     \
                _mm256_storeu_ps(c + r * ldc, lo[r]);                                                         \
                _mm256_storeu_ps(c + r * ldc + 8, hi[r]);                                                     \
            }                                                                                                 \
        } else {                                                                                              \
            __m256i m0 = franca_mask8(cols), m1 = franca_mask8(cols - 8);                                     \
            for (int r = 0; r < R; r++) {                                                                     \
                _mm256_maskstore_ps(c + r * ldc, m0, lo[r]);                                                  \
                _mm256_maskstore_ps(c + r * ldc + 8, m1, hi[r]);                                              \
            }                                                                                                 \
        }                                                                                                     \
    }

DEFINE_TILE(1)
DEFINE_TILE(2)
DEFINE_TILE(3)
DEFINE_TILE(4)
DEFINE_TILE(5)
DEFINE_TILE(6)

typedef void (*tile_fn)(const float *, int64_t, const float *, int64_t, const float *, int, int, float *, int64_t);
static const tile_fn tiles[MR + 1] = {0, tile_1, tile_2, tile_3, tile_4, tile_5, tile_6};

void franca_gemm_block_avx2(const franca_gemm_args *g, int64_t m0, int64_t m1, int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; p++) {
        const float *panel = franca_gemm_panels(g, p, 1, FRANCA_PATH_AVX2);
        int64_t n0 = p * 16;
        int cols = (int)(g->n - n0 < 16 ? g->n - n0 : 16);
        const float *bias = g->bias ? g->bias + n0 : 0;
        for (int64_t i = m0; i < m1; i += MR) {
            int rows = (int)(m1 - i < MR ? m1 - i : MR);
            tiles[rows](g->a + i * g->lda, g->lda, panel, g->k, bias, cols, g->epilogue, g->c + i * g->ldc + n0, g->ldc);
        }
    }
}
