// AVX-512F GEMM micro-kernel: 12 rows × 32 columns (two packed panels) in 24 zmm accumulators,
// or 12 rows × 16 columns when a single panel is left. The epilogue (bias, GELU, tail stores) reuses AVX2 code.
#include "gemm_internal.h"
#include "simd_math.h"

#define MR 12

/// Bias, epilogue and store of one 16-column accumulator row; cols may be < 16 on the last panel.
static inline FRANCA_AVX512 void store_row(__m512 v, const float *bias, int cols, int epilogue, float *c) {
    __mmask16 m = (__mmask16)(cols >= 16 ? 0xFFFF : ((1u << cols) - 1u));
    if (bias) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(m, bias));
    if (epilogue == FRANCA_EPILOGUE_GELU) {
        __m256 lo = franca_gelu8(_mm512_castps512_ps256(v));
        __m256 hi = franca_gelu8(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
        v = _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_castps_pd(lo)), _mm256_castps_pd(hi), 1));
    }
    _mm512_mask_storeu_ps(c, m, v);
}

#define DEFINE_TILE2(R)                                                                                      \
    static FRANCA_AVX512 void tile2_##R(const float *a, int64_t lda, const float *panel, int64_t k,         \
                                        const float *bias, int cols, int epilogue, float *c, int64_t ldc) {   \
        __m512 x[R], y[R];                                                                                   \
        const float *panel1 = panel + 16 * k;                                                                \
        for (int r = 0; r < R; r++) { x[r] = _mm512_setzero_ps(); y[r] = _mm512_setzero_ps(); }             \
        for (int64_t kk = 0; kk < k; kk++) {                                                                 \
            __m512 b0 = _mm512_loadu_ps(panel + kk * 16);                                                    \
            __m512 b1 = _mm512_loadu_ps(panel1 + kk * 16);                                                   \
            for (int r = 0; r < R; r++) {                                                                    \
                __m512 av = _mm512_set1_ps(a[r * lda + kk]);                                                 \
                x[r] = _mm512_fmadd_ps(av, b0, x[r]);                                                        \
                y[r] = _mm512_fmadd_ps(av, b1, y[r]);                                                        \
            }                                                                                                \
        }                                                                                                    \
        for (int r = 0; r < R; r++) {                                                                        \
            store_row(x[r], bias, 16, epilogue, c + r * ldc);                                                \
            store_row(y[r], bias ? bias + 16 : 0, cols - 16, epilogue, c + r * ldc + 16);                   \
        }                                                                                                    \
    }

#define DEFINE_TILE1(R)                                                                                      \
    static FRANCA_AVX512 void tile1_##R(const float *a, int64_t lda, const float *panel, int64_t k,         \
                                        const float *bias, int cols, int epilogue, float *c, int64_t ldc) {   \
        __m512 x[R];                                                                                         \
        for (int r = 0; r < R; r++) x[r] = _mm512_setzero_ps();                                              \
        for (int64_t kk = 0; kk < k; kk++) {                                                                 \
            __m512 b0 = _mm512_loadu_ps(panel + kk * 16);                                                    \
            for (int r = 0; r < R; r++) x[r] = _mm512_fmadd_ps(_mm512_set1_ps(a[r * lda + kk]), b0, x[r]);   \
        }                                                                                                    \
        for (int r = 0; r < R; r++) store_row(x[r], bias, cols, epilogue, c + r * ldc);                      \
    }

#define DEFINE_TILES(R) DEFINE_TILE2(R) DEFINE_TILE1(R)
DEFINE_TILES(1)
DEFINE_TILES(2)
DEFINE_TILES(3)
DEFINE_TILES(4)
DEFINE_TILES(5)
DEFINE_TILES(6)
DEFINE_TILES(7)
DEFINE_TILES(8)
DEFINE_TILES(9)
DEFINE_TILES(10)
DEFINE_TILES(11)
DEFINE_TILES(12)

typedef void (*tile_fn)(const float *, int64_t, const float *, int64_t, const float *, int, int, float *, int64_t);
static const tile_fn tiles2[MR + 1] = {0, tile2_1, tile2_2, tile2_3, tile2_4, tile2_5, tile2_6,
                                       tile2_7, tile2_8, tile2_9, tile2_10, tile2_11, tile2_12};
static const tile_fn tiles1[MR + 1] = {0, tile1_1, tile1_2, tile1_3, tile1_4, tile1_5, tile1_6,
                                       tile1_7, tile1_8, tile1_9, tile1_10, tile1_11, tile1_12};

void franca_gemm_block_avx512(const franca_gemm_args *g, int64_t m0, int64_t m1, int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1;) {
        int two = p + 1 < p1;
        const float *panel = franca_gemm_panels(g, p, two ? 2 : 1, FRANCA_PATH_AVX512);
        int64_t n0 = p * 16;
        int cols = (int)(g->n - n0 < (two ? 32 : 16) ? g->n - n0 : (two ? 32 : 16));
        const float *bias = g->bias ? g->bias + n0 : 0;
        for (int64_t i = m0; i < m1; i += MR) {
            int rows = (int)(m1 - i < MR ? m1 - i : MR);
            (two ? tiles2 : tiles1)[rows](g->a + i * g->lda, g->lda, panel, g->k, bias, cols, g->epilogue,
                                          g->c + i * g->ldc + n0, g->ldc);
        }
        p += two ? 2 : 1;
    }
}
