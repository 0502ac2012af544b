// Decoder kernels: the quantized matmul driver (rows split over the pool, the per-row dot is a function pointer
// chosen by the weight type) and causal grouped-query attention over a KV cache.
#include "franca_decoder.h"
#include "franca_quant.h"
#include "quant_dot_simd.h"
#include <math.h>
#include <float.h>

// Products and sums are rounded as written (no FMA contraction): the llama.cpp-order code below spells out each
// fused operation it needs.
#pragma STDC FP_CONTRACT OFF

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
            int64_t t = t0;
            if (a->dot_tokens4) {
                for (; t + 4 <= t1; t += 4) {
                    float out[4];
                    a->dot_tokens4(w, a->a + t * a->a_row_bytes, (long)a->a_row_bytes, (long)a->k, out);
                    for (int j = 0; j < 4; j++) a->c[(t + j) * a->ldc + r] = out[j];
                }
            }
            for (; t < t1; t++) {
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

// ---- Attention in llama.cpp's float order (CPU backend, F32 KV cache, no flash attention) ----
//
// llama.cpp computes, per query token and head, over n_kv cache cells (unused and masked cells score −inf and
// get probability 0, so they add exact zeros and can be skipped):
//   KQ      ggml_vec_dot_f32(k_cell, q): 4 accumulators of 8 lanes over steps of 32 elements, `reduce4`
//   softmax s·scale, max, e = ggml_v_expf(s − max) per 8 cells, Σ in double of the per-8 `fq_hsum`s,
//           p = e · (float)(1/Σ)
//   KQV     out[i] = Σ_cell v_cell[i]·p_cell: for a batch of ≥ 2 tokens llamafile's tinyBLAS (one 8-lane
//           accumulator, lane = cell % 8, `fq_hsum`), for a single token ggml_vec_dot_f32 again.
// The AVX2 path below reproduces these bit for bit; without AVX2 the plain loop (`attention_task_plain`) runs.

/// ggml_vec_dot_f32's final reduction of its 4 accumulators: (s0 + s2) + (s1 + s3) lane-wise, then
/// ((x0 + x4) + (x1 + x5)) + ((x2 + x6) + (x3 + x7)) through two `hadd`s.
static inline FQ_AVX2 float reduce4(__m256 s0, __m256 s1, __m256 s2, __m256 s3) {
    __m256 x = _mm256_add_ps(_mm256_add_ps(s0, s2), _mm256_add_ps(s1, s3));
    __m128 t = _mm_add_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps(x, 1));
    t = _mm_hadd_ps(t, t);
    return _mm_cvtss_f32(_mm_hadd_ps(t, t));
}

/// ggml_vec_dot_f32 (AVX2): Σ x·y over n floats. The elements past the last multiple of 32 follow GCC's
/// compilation of ggml's `sumf += x[i]*y[i]`: with 4 or more of them, groups of 4 products rounded then added in
/// order; the last n % 4 with an FMA each.
static inline FQ_AVX2 float dot_f32_ggml(const float *x, const float *y, int64_t n) {
    __m256 s[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    int64_t i = 0;
    for (; i + 32 <= n; i += 32)
        for (int j = 0; j < 4; j++)
            s[j] = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 8 * j), _mm256_loadu_ps(y + i + 8 * j), s[j]);
    float sum = reduce4(s[0], s[1], s[2], s[3]);
    if (n - i >= 4)
        for (int64_t end = i + (n - i) / 4 * 4; i < end; i++) sum += x[i] * y[i];
    for (; i < n; i++) sum = fmaf(x[i], y[i], sum);
    return sum;
}

/// ggml_vec_dot_f32's 4 accumulators for a multiple of 32 floats, already added lane-wise as `reduce4` does
/// first: (s0 + s2) + (s1 + s3).
static inline FQ_AVX2 __m256 dot_f32_ggml_lanes(const float *x, const float *y, int64_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    for (int64_t i = 0; i < n; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 8), _mm256_loadu_ps(y + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 16), _mm256_loadu_ps(y + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 24), _mm256_loadu_ps(y + i + 24), s3);
    }
    return _mm256_add_ps(_mm256_add_ps(s0, s2), _mm256_add_ps(s1, s3));
}

/// `dot_f32_ggml` of 4 rows x0 ... x3 (stride ldx) with y, n a multiple of 32: the same sums, with the final
/// `hadd`s of the 4 reductions shared (hadd(hadd(t0, t1), hadd(t2, t3)) gives each (t0 + t1) + (t2 + t3)).
static inline FQ_AVX2 __m128 dot4_f32_ggml(const float *x, int64_t ldx, const float *y, int64_t n) {
    __m128 t[4];
    for (int c = 0; c < 4; c++) {
        __m256 v = dot_f32_ggml_lanes(x + c * ldx, y, n);
        t[c] = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    }
    return _mm_hadd_ps(_mm_hadd_ps(t[0], t[1]), _mm_hadd_ps(t[2], t[3]));
}

/// ggml_v_expf (AVX2 + FMA), the exp of llama.cpp's softmax and SiLU: a degree-5 polynomial after reduction by
/// ln 2, with a slow path for |n| > 126 (overflow to inf, underflow to 0). Same operations in the same order.
static inline FQ_AVX2 __m256 expf8_ggml(__m256 x) {
    const __m256 r = _mm256_set1_ps(0x1.8p23f);
    const __m256 z = _mm256_fmadd_ps(x, _mm256_set1_ps(0x1.715476p+0f), r);
    const __m256 n = _mm256_sub_ps(z, r);
    const __m256 b = _mm256_fnmadd_ps(n, _mm256_set1_ps(0x1.7f7d1cp-20f),
                                      _mm256_fnmadd_ps(n, _mm256_set1_ps(0x1.62e4p-1f), x));
    const __m256i e = _mm256_slli_epi32(_mm256_castps_si256(z), 23);
    const __m256 k = _mm256_castsi256_ps(_mm256_add_epi32(e, _mm256_castps_si256(_mm256_set1_ps(1))));
    const __m256 absn = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), n);
    const __m256 c = _mm256_cmp_ps(absn, _mm256_set1_ps(126), _CMP_GT_OQ);
    const __m256 u = _mm256_mul_ps(b, b);
    const __m256 hi = _mm256_fmadd_ps(_mm256_set1_ps(0x1.0e4020p-7f), b, _mm256_set1_ps(0x1.573e2ep-5f));
    const __m256 lo = _mm256_fmadd_ps(_mm256_set1_ps(0x1.555e66p-3f), b, _mm256_set1_ps(0x1.fffdb6p-2f));
    const __m256 j = _mm256_fmadd_ps(_mm256_fmadd_ps(hi, u, lo), u, _mm256_mul_ps(_mm256_set1_ps(0x1.ffffecp-1f), b));
    if (!_mm256_movemask_ps(c)) return _mm256_fmadd_ps(j, k, k);
    const __m256i g = _mm256_and_si256(_mm256_castps_si256(_mm256_cmp_ps(n, _mm256_setzero_ps(), _CMP_LE_OQ)),
                                       _mm256_set1_epi32((int)0x82000000u));
    const __m256 s1 = _mm256_castsi256_ps(_mm256_add_epi32(g, _mm256_set1_epi32(0x7f000000)));
    const __m256 s2 = _mm256_castsi256_ps(_mm256_sub_epi32(e, g));
    const __m256 d = _mm256_cmp_ps(absn, _mm256_set1_ps(192), _CMP_GT_OQ);
    const __m256 big = _mm256_mul_ps(_mm256_fmadd_ps(s2, j, s2), s1);
    const __m256 normal = _mm256_fmadd_ps(k, j, k);
    return _mm256_or_ps(_mm256_and_ps(d, _mm256_mul_ps(s1, s1)),
                        _mm256_andnot_ps(d, _mm256_or_ps(_mm256_and_ps(c, big), _mm256_andnot_ps(c, normal))));
}

/// r_l += v_cell · p_cell for the 8 cells c0 + l (c0 = g) (l = 0 ... 7) that lie in [first, last]: accumulator r_l takes
/// cell c0 + l, so a caller stepping g keeps each accumulator's FMAs in cell order, in registers.
#define FQ_V_FMA(r, l) r = _mm256_fmadd_ps(_mm256_loadu_ps(v + (l) * ldkv), _mm256_set1_ps(p[c0 + (l)]), r)
#define FQ_V_FMA_IF(r, l) if (c0 + (l) >= first && c0 + (l) <= last) FQ_V_FMA(r, l)
#define FQ_V_FMA8(g, r0, r1, r2, r3, r4, r5, r6, r7)                                                         \
    do {                                                                                                     \
        const int64_t c0 = (g);                                                                              \
        const float *v = v_cache + c0 * ldkv + i;                                                            \
        if (c0 >= first && c0 + 7 <= last) {                                                                 \
            FQ_V_FMA(r0, 0); FQ_V_FMA(r1, 1); FQ_V_FMA(r2, 2); FQ_V_FMA(r3, 3);                              \
            FQ_V_FMA(r4, 4); FQ_V_FMA(r5, 5); FQ_V_FMA(r6, 6); FQ_V_FMA(r7, 7);                              \
        } else {                                                                                             \
            FQ_V_FMA_IF(r0, 0); FQ_V_FMA_IF(r1, 1); FQ_V_FMA_IF(r2, 2); FQ_V_FMA_IF(r3, 3);                  \
            FQ_V_FMA_IF(r4, 4); FQ_V_FMA_IF(r5, 5); FQ_V_FMA_IF(r6, 6); FQ_V_FMA_IF(r7, 7);                  \
        }                                                                                                    \
    } while (0)

/// out[0..d) = Σ_cell v_cell·p_cell over cells [first, last], in tinyBLAS order (batch) or ggml_vec_dot_f32
/// order (single token). Vectorised over 8 output dimensions at a time; d is a multiple of 8.
static FQ_AVX2 void weighted_values(const float *v_cache, int64_t ldkv, const float *p, int64_t first, int64_t last,
                                    int64_t d, int batch, float *out) {
    for (int64_t i = 0; i < d; i += 8) {
        if (batch) {
            __m256 a[8];
            __m256 r0 = _mm256_setzero_ps(), r1 = r0, r2 = r0, r3 = r0, r4 = r0, r5 = r0, r6 = r0, r7 = r0;
            for (int64_t g = first & ~(int64_t)7; g <= last; g += 8) FQ_V_FMA8(g, r0, r1, r2, r3, r4, r5, r6, r7);
            a[0] = r0; a[1] = r1; a[2] = r2; a[3] = r3; a[4] = r4; a[5] = r5; a[6] = r6; a[7] = r7;
            // fq_hsum per output: ((x0 + x4) + (x2 + x6)) + ((x1 + x5) + (x3 + x7))
            __m256 t0 = _mm256_add_ps(a[0], a[4]), t1 = _mm256_add_ps(a[1], a[5]);
            __m256 t2 = _mm256_add_ps(a[2], a[6]), t3 = _mm256_add_ps(a[3], a[7]);
            _mm256_storeu_ps(out + i, _mm256_add_ps(_mm256_add_ps(t0, t2), _mm256_add_ps(t1, t3)));
        } else {
            // Accumulator j (0 ... 31) takes cells c ≡ j (mod 32), in cell order. 32 accumulators do not fit in
            // 16 registers, so they are filled in 4 passes of 8 (cells 8q ... 8q + 7 of every 32): each
            // accumulator still sees the same FMAs in the same order, and stays in a register.
            __m256 a[32];
            for (int q = 0; q < 4; q++) {
                __m256 r0 = _mm256_setzero_ps(), r1 = r0, r2 = r0, r3 = r0, r4 = r0, r5 = r0, r6 = r0, r7 = r0;
                for (int64_t g = (first & ~(int64_t)31) + 8 * q; g <= last; g += 32)
                    FQ_V_FMA8(g, r0, r1, r2, r3, r4, r5, r6, r7);
                a[8 * q] = r0; a[8 * q + 1] = r1; a[8 * q + 2] = r2; a[8 * q + 3] = r3;
                a[8 * q + 4] = r4; a[8 * q + 5] = r5; a[8 * q + 6] = r6; a[8 * q + 7] = r7;
            }
            // reduce4 per output: lane l of accumulator j is cell-slot 8j + l
            __m256 x[8];
            for (int l = 0; l < 8; l++)
                x[l] = _mm256_add_ps(_mm256_add_ps(a[l], a[16 + l]), _mm256_add_ps(a[8 + l], a[24 + l]));
            __m256 t0 = _mm256_add_ps(x[0], x[4]), t1 = _mm256_add_ps(x[1], x[5]);
            __m256 t2 = _mm256_add_ps(x[2], x[6]), t3 = _mm256_add_ps(x[3], x[7]);
            _mm256_storeu_ps(out + i, _mm256_add_ps(_mm256_add_ps(t0, t1), _mm256_add_ps(t2, t3)));
        }
    }
}

#undef FQ_V_FMA8
#undef FQ_V_FMA_IF
#undef FQ_V_FMA

static FQ_AVX2 void attention_task_ggml(void *ctx, int64_t task, int32_t worker) {
    const franca_decoder_attention_args *a = (const franca_decoder_attention_args *)ctx;
    int64_t t = task / a->heads, h = task % a->heads;
    int64_t kvh = h / (a->heads / a->kv_heads), d = a->head_dim;
    const float *q = a->q + t * a->ldq + h * d;
    float *out = a->out + t * a->ldo + h * d;
    const float *k_cache = a->k_caches ? a->k_caches[t] : a->k_cache;
    const float *v_cache = a->v_caches ? a->v_caches[t] : a->v_cache;
    float *p = a->scratch + (int64_t)worker * a->max_positions;  // one probability per cell 0 ... pos
    int64_t pos = a->positions[t], first = 0;
    if (a->window > 0 && pos - a->window + 1 > 0) first = pos - a->window + 1;
    float maxv = -INFINITY;
    for (int64_t c = 0; c < first; c++) p[c] = -INFINITY;
    int64_t c = first;
    if (d % 32 == 0) {
        const __m128 scale = _mm_set1_ps(a->scale);
        for (; c + 3 <= pos; c += 4) {
            float s4[4];
            _mm_storeu_ps(s4, _mm_mul_ps(dot4_f32_ggml(k_cache + c * a->ldkv + kvh * d, a->ldkv, q, d), scale));
            for (int l = 0; l < 4; l++) {
                p[c + l] = s4[l];
                maxv = s4[l] > maxv ? s4[l] : maxv;
            }
        }
    }
    for (; c <= pos; c++) {
        p[c] = dot_f32_ggml(k_cache + c * a->ldkv + kvh * d, q, d) * a->scale;
        maxv = p[c] > maxv ? p[c] : maxv;
    }
    // exp per 8 cells from cell 0 (ggml's chunks), masked cells give exactly 0
    double sum = 0;
    const __m256 vmax = _mm256_set1_ps(maxv);
    for (int64_t c = 0; c <= pos; c += 8) {
        float tmp[8];
        int64_t m = pos + 1 - c < 8 ? pos + 1 - c : 8;
        for (int l = 0; l < 8; l++) tmp[l] = l < m ? p[c + l] : -INFINITY;
        __m256 e = expf8_ggml(_mm256_sub_ps(_mm256_loadu_ps(tmp), vmax));
        _mm256_storeu_ps(tmp, e);
        for (int l = 0; l < m; l++) p[c + l] = tmp[l];
        sum += (double)fq_hsum(e);
    }
    const float inv = (float)(1.0 / sum);
    for (int64_t c = first; c <= pos; c++) p[c] *= inv;
    weighted_values(v_cache + kvh * d, a->ldkv, p, first, pos, d, a->batch_order, out);
}

static void attention_task_plain(void *ctx, int64_t task, int32_t worker) {
    const franca_decoder_attention_args *a = (const franca_decoder_attention_args *)ctx;
    int64_t t = task / a->heads, h = task % a->heads;
    int64_t group = a->heads / a->kv_heads;
    int64_t kvh = h / group;
    int64_t d = a->head_dim;
    const float *q = a->q + t * a->ldq + h * d;
    float *out = a->out + t * a->ldo + h * d;
    float *scores = a->scratch + (int64_t)worker * a->max_positions;
    const float *k_cache = a->k_caches ? a->k_caches[t] : a->k_cache;
    const float *v_cache = a->v_caches ? a->v_caches[t] : a->v_cache;
    int64_t pos = a->positions[t];
    int64_t first = 0;
    if (a->window > 0 && pos - a->window + 1 > 0) first = pos - a->window + 1;
    float maxv = -FLT_MAX;
    for (int64_t p = first; p <= pos; p++) {
        const float *k = k_cache + p * a->ldkv + kvh * d;
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
        const float *v = v_cache + p * a->ldkv + kvh * d;
        float w = scores[p - first] * inv;
        for (int64_t i = 0; i < d; i++) out[i] += w * v[i];
    }
}

void franca_decoder_attention(franca_pool *pool, const franca_decoder_attention_args *args) {
    if (args->tokens <= 0 || args->heads <= 0) return;
    const int ggml_order = franca_quant_avx2_supported() && args->head_dim % 8 == 0;
    franca_pool_run(pool, ggml_order ? attention_task_ggml : attention_task_plain, (void *)args,
                    args->tokens * args->heads);
}

// ---- SwiGLU as llama.cpp computes it (ggml_vec_swiglu_f32): silu(g) = g / (1 + ggml_v_expf(0 − g)) per 8,
// times up; the tail (n % 8) with libm expf ----
static FQ_AVX2 void swiglu_avx2(float *gate, const float *up, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 g = _mm256_loadu_ps(gate + i);
        __m256 e = expf8_ggml(_mm256_sub_ps(_mm256_setzero_ps(), g));
        __m256 silu = _mm256_div_ps(g, _mm256_add_ps(_mm256_set1_ps(1), e));
        _mm256_storeu_ps(gate + i, _mm256_mul_ps(silu, _mm256_loadu_ps(up + i)));
    }
    for (; i < n; i++) gate[i] = gate[i] / (1.0f + expf(-gate[i])) * up[i];
}

void franca_swiglu(float *gate, const float *up, int64_t n) {
    if (franca_quant_avx2_supported()) {
        swiglu_avx2(gate, up, n);
        return;
    }
    for (int64_t i = 0; i < n; i++) gate[i] = gate[i] / (1.0f + expf(-gate[i])) * up[i];
}
