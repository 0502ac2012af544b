// AVX2 dot products of the 32-element ("legacy") weight types with Q8_0 / Q8_1 activations, the 1- and 2-bit
// Bonsai types (Q1_0, Q2_0, PQ2_0) against Q8_0, and the float types. Twins of Dot+Legacy.swift.
//
// Per activation block: exact int32 dot of the codes in 8 lanes, converted to float and FMA'd with
// d_w·d_a into ONE float accumulator, one horizontal sum per row (`fq_hsum`), minimum terms of Q4_1 / Q5_1 summed
// with a scalar FMA per block: the float operations and their order are those of ggml's x86 `ggml_vec_dot_*`
// (and of llamafile's tinyBLAS_Q0_AVX, which llama.cpp uses for prompt batches), so results are bit-identical to
// llama.cpp's. A second accumulator would be faster on paper but rounds differently, and llama.cpp's activation
// quantization turns such 1-ulp differences into different greedy text.
#include "franca_quant.h"
#include "quant_dot_simd.h"
#include <math.h>

int franca_quant_avx2_supported(void) {
#if defined(__x86_64__) || defined(__i386__)
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    }
    return cached;
#else
    return 0;
#endif
}

/// Runs BLOCK(x_block, y_block, acc) over nb blocks into one accumulator `acc`, prefetching the weights ahead when
/// PREFETCH is 1 (the types whose decode products wait on memory; Q1_0 and the 2-bit types are compute-bound).
#define FQ_ONE_ACC(nb, xs, ys, BLOCK, PREFETCH)                                                                 \
    __m256 acc = _mm256_setzero_ps();                                                                          \
    for (long i = 0; i < (nb); i++) {                                                                          \
        if (PREFETCH) fq_prefetch_block(x, i, (xs));                                                           \
        acc = BLOCK(x + i * (xs), y + i * (ys), acc);                                                          \
    }

// ---- Q8_0 · Q8_0 (34-byte blocks: d, qs[32]) ----
static inline FQ_AVX2 __m256 q8_0_block(const uint8_t *x, const uint8_t *y, __m256 acc) {
    __m256i p = fq_dot_i8(fq_load(x + 2), fq_load(y + 2));
    return _mm256_fmadd_ps(_mm256_set1_ps(fq_half(x) * fq_half(y)), _mm256_cvtepi32_ps(p), acc);
}

FQ_AVX2 float franca_dot_q8_0_avx2(const void *w, const void *a, long n) {
    const uint8_t *x = w, *y = a;
    FQ_ONE_ACC(n / 32, 34, 34, q8_0_block, 1)
    return fq_hsum(acc);
}

// ---- Q4_0 · Q8_0 (18-byte blocks: d, qs[16]; value nibble − 8) ----
static inline FQ_AVX2 __m256 q4_0_block(const uint8_t *x, const uint8_t *y, __m256 acc) {
    __m256i q = _mm256_sub_epi8(fq_nibbles32(x + 2), _mm256_set1_epi8(8));
    __m256i p = fq_dot_i8(q, fq_load(y + 2));
    return _mm256_fmadd_ps(_mm256_set1_ps(fq_half(x) * fq_half(y)), _mm256_cvtepi32_ps(p), acc);
}

FQ_AVX2 float franca_dot_q4_0_avx2(const void *w, const void *a, long n) {
    const uint8_t *x = w, *y = a;
    FQ_ONE_ACC(n / 32, 18, 34, q4_0_block, 1)
    return fq_hsum(acc);
}

// ---- Q4_1 · Q8_1 (20-byte blocks: d, m, qs[16]; 36-byte activations: d, s = d·Σq, qs[32]) ----
// Σ (d_w q + m_w)·d_a q_a = d_w d_a Σ q q_a + m_w s_a: the minimum costs one scalar FMA per block (ggml's
// `summs += m*s`, which GCC contracts to an FMA; added after the horizontal sum).
FQ_AVX2 float franca_dot_q4_1_avx2(const void *w, const void *a, long n) {
    const uint8_t *x = w, *y = a;
    __m256 acc = _mm256_setzero_ps();
    float mins = 0;
    for (long i = 0; i < n / 32; i++) {
        const uint8_t *xb = x + i * 20, *yb = y + i * 36;
        fq_prefetch_block(x, i, 20);
        mins = fmaf(fq_half(xb + 2), fq_half(yb + 2), mins);
        __m256i p = fq_dot_u8(fq_nibbles32(xb + 4), fq_load(yb + 4));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(fq_half(xb) * fq_half(yb)), _mm256_cvtepi32_ps(p), acc);
    }
    return fq_hsum(acc) + mins;
}

// ---- Q5_0 · Q8_0 (22-byte blocks: d, qh u32, qs[16]; value (nibble | bit<<4) − 16) ----
/// The 32 signed codes of the Q5_0 block at x.
static inline FQ_AVX2 __m256i q5_0_codes(const uint8_t *x) {
    __m256i hi = _mm256_andnot_si256(fq_bits32(x + 2), _mm256_set1_epi8((char)0xF0));  // −16 where the bit is 0
    return _mm256_or_si256(fq_nibbles32(x + 6), hi);
}

static inline FQ_AVX2 __m256 q5_0_block(const uint8_t *x, const uint8_t *y, __m256 acc) {
    __m256i p = fq_dot_i8(q5_0_codes(x), fq_load(y + 2));
    return _mm256_fmadd_ps(_mm256_set1_ps(fq_half(x) * fq_half(y)), _mm256_cvtepi32_ps(p), acc);
}

FQ_AVX2 float franca_dot_q5_0_avx2(const void *w, const void *a, long n) {
    const uint8_t *x = w, *y = a;
    FQ_ONE_ACC(n / 32, 22, 34, q5_0_block, 1)
    return fq_hsum(acc);
}

// ---- Q5_1 · Q8_1 (24-byte blocks: d, m, qh u32, qs[16]; value nibble | bit<<4, plus m) ----
FQ_AVX2 float franca_dot_q5_1_avx2(const void *w, const void *a, long n) {
    const uint8_t *x = w, *y = a;
    long nb = n / 32;
    __m256 acc = _mm256_setzero_ps();
    float mins = 0;
    for (long i = 0; i < nb; i++) {
        const uint8_t *xb = x + i * 24, *yb = y + i * 36;
        __m256i hi = _mm256_and_si256(fq_bits32(xb + 4), _mm256_set1_epi8(0x10));
        __m256i q = _mm256_or_si256(fq_nibbles32(xb + 8), hi);
        __m256i p = fq_dot_u8(q, fq_load(yb + 4));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(fq_half(xb) * fq_half(yb)), _mm256_cvtepi32_ps(p), acc);
        mins = fmaf(fq_half(xb + 2), fq_half(yb + 2), mins);
    }
    return fq_hsum(acc) + mins;
}

// ---- Q1_0 (128 weights, 18 bytes: d, qs[16]; bit set → +d, clear → −d) · 4 × Q8_0 ----
// ggml's order: the 4 activation blocks are summed first (d_a0·s0, then FMAs of d_ak·s_k), then acc += d_w·that.
/// +1 / −1 per weight of the k-th 32 of the Q1_0 block at x.
static inline FQ_AVX2 __m256i q1_0_signs(const uint8_t *x, int k) {
    return _mm256_or_si256(_mm256_xor_si256(fq_bits32(x + 2 + 4 * k), _mm256_set1_epi8(-1)), _mm256_set1_epi8(1));
}

/// The Q1_0 block's sum over its 4 activation blocks at y, before the weight scale (signs from q1_0_signs).
static inline FQ_AVX2 __m256 q1_0_sum(const __m256i sgn[4], const uint8_t *y) {
    const __m256i ones = _mm256_set1_epi8(1);
    __m256 block = _mm256_setzero_ps();
    for (int k = 0; k < 4; k++) {
        const uint8_t *yb = y + 34 * k;
        __m256 p = _mm256_cvtepi32_ps(fq_dot_u8(ones, _mm256_sign_epi8(fq_load(yb + 2), sgn[k])));
        block = k == 0 ? _mm256_mul_ps(_mm256_set1_ps(fq_half(yb)), p)
                       : _mm256_fmadd_ps(_mm256_set1_ps(fq_half(yb)), p, block);
    }
    return block;
}

static inline FQ_AVX2 __m256 q1_0_block(const uint8_t *x, const uint8_t *y, __m256 acc) {
    const __m256i sgn[4] = {q1_0_signs(x, 0), q1_0_signs(x, 1), q1_0_signs(x, 2), q1_0_signs(x, 3)};
    return _mm256_fmadd_ps(_mm256_set1_ps(fq_half(x)), q1_0_sum(sgn, y), acc);
}

FQ_AVX2 float franca_dot_q1_0_avx2(const void *w, const void *a, long n) {
    const uint8_t *x = w, *y = a;
    FQ_ONE_ACC(n / 128, 18, 4 * 34, q1_0_block, 0)
    return fq_hsum(acc);
}

// ---- 2-bit ternary (code − 1, LSB first) · Q8_0: Q2_0 (64 per 18 bytes), PQ2_0 (128 per 34 bytes) ----
static inline FQ_AVX2 __m256 two_bit_sub(const uint8_t *codes, const uint8_t *yb, float dw, __m256 acc) {
    __m256i q = _mm256_sub_epi8(fq_codes2_32(codes), _mm256_set1_epi8(1));
    __m256i p = fq_dot_i8(q, fq_load(yb + 2));
    return _mm256_fmadd_ps(_mm256_set1_ps(dw * fq_half(yb)), _mm256_cvtepi32_ps(p), acc);
}

static inline FQ_AVX2 __m256 q2_0_block(const uint8_t *x, const uint8_t *y, __m256 acc) {
    const float dw = fq_half(x);
    acc = two_bit_sub(x + 2, y, dw, acc);
    return two_bit_sub(x + 10, y + 34, dw, acc);
}

static inline FQ_AVX2 __m256 pq2_0_block(const uint8_t *x, const uint8_t *y, __m256 acc) {
    const float dw = fq_half(x);
    for (int k = 0; k < 4; k++) acc = two_bit_sub(x + 2 + 8 * k, y + 34 * k, dw, acc);
    return acc;
}

FQ_AVX2 float franca_dot_q2_0_avx2(const void *w, const void *a, long n) {
    const uint8_t *x = w, *y = a;
    FQ_ONE_ACC(n / 64, 18, 2 * 34, q2_0_block, 0)
    return fq_hsum(acc);
}

FQ_AVX2 float franca_dot_pq2_0_avx2(const void *w, const void *a, long n) {
    const uint8_t *x = w, *y = a;
    FQ_ONE_ACC(n / 128, 34, 4 * 34, pq2_0_block, 0)
    return fq_hsum(acc);
}

// ---- 4 rows at once: each activation block is loaded once for 4 weight rows (row_bytes apart) ----
/// One `fq_hsum` per row, so every row is bit-identical to the single-row kernel.
static inline FQ_AVX2 void store4(float *out, const __m256 acc[4]) {
    for (int r = 0; r < 4; r++) out[r] = fq_hsum(acc[r]);
}

#define FQ_ROWS4_BEGIN                                                                                            \
    const uint8_t *x = w, *y = a;                                                                              \
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};

FQ_AVX2 void franca_qgemv_rows4_q8_0_avx2(const void *w, long row_bytes, const void *a, long n, float *out) {
    FQ_ROWS4_BEGIN
    for (long i = 0; i < n / 32; i++) {
        const uint8_t *yb = y + 34 * i;
        const __m256i ya = fq_load(yb + 2);
        const float dy = fq_half(yb);
        fq_prefetch_block4(x, row_bytes, i, 34);
        for (int r = 0; r < 4; r++) {
            const uint8_t *xb = x + r * row_bytes + 34 * i;
            __m256i p = fq_dot_i8(fq_load(xb + 2), ya);
            acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(fq_half(xb) * dy), _mm256_cvtepi32_ps(p), acc[r]);
        }
    }
    store4(out, acc);
}

FQ_AVX2 void franca_qgemv_rows4_q4_1_avx2(const void *w, long row_bytes, const void *a, long n, float *out) {
    FQ_ROWS4_BEGIN
    float mins[4] = {0, 0, 0, 0};
    for (long i = 0; i < n / 32; i++) {
        const uint8_t *yb = y + 36 * i;
        const __m256i ya = fq_load(yb + 4);
        const float dy = fq_half(yb), sy = fq_half(yb + 2);
        fq_prefetch_block4(x, row_bytes, i, 20);
        for (int r = 0; r < 4; r++) {
            const uint8_t *xb = x + r * row_bytes + 20 * i;
            __m256i p = fq_dot_u8(fq_nibbles32(xb + 4), ya);
            acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(fq_half(xb) * dy), _mm256_cvtepi32_ps(p), acc[r]);
            mins[r] = fmaf(fq_half(xb + 2), sy, mins[r]);
        }
    }
    store4(out, acc);
    for (int r = 0; r < 4; r++) out[r] += mins[r];
}

FQ_AVX2 void franca_qgemv_rows4_q5_0_avx2(const void *w, long row_bytes, const void *a, long n, float *out) {
    FQ_ROWS4_BEGIN
    for (long i = 0; i < n / 32; i++) {
        const uint8_t *yb = y + 34 * i;
        const __m256i ya = fq_load(yb + 2);
        const float dy = fq_half(yb);
        fq_prefetch_block4(x, row_bytes, i, 22);
        for (int r = 0; r < 4; r++) {
            const uint8_t *xb = x + r * row_bytes + 22 * i;
            __m256i p = fq_dot_i8(q5_0_codes(xb), ya);
            acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(fq_half(xb) * dy), _mm256_cvtepi32_ps(p), acc[r]);
        }
    }
    store4(out, acc);
}

// ---- Float types: four FMA accumulators of 8, scalar tail ----
#define FQ_FLOAT_DOT(NAME, LOAD8, LOAD1, SIZE)                                                                    \
    FQ_AVX2 float franca_dot_##NAME##_avx2(const void *w, const void *a, long n) {                              \
        const uint8_t *x = w, *y = a;                                                                           \
        __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;                                             \
        long i = 0;                                                                                             \
        for (; i + 32 <= n; i += 32) {                                                                          \
            s0 = _mm256_fmadd_ps(LOAD8(x + (i + 0) * SIZE), LOAD8(y + (i + 0) * SIZE), s0);                     \
            s1 = _mm256_fmadd_ps(LOAD8(x + (i + 8) * SIZE), LOAD8(y + (i + 8) * SIZE), s1);                     \
            s2 = _mm256_fmadd_ps(LOAD8(x + (i + 16) * SIZE), LOAD8(y + (i + 16) * SIZE), s2);                   \
            s3 = _mm256_fmadd_ps(LOAD8(x + (i + 24) * SIZE), LOAD8(y + (i + 24) * SIZE), s3);                   \
        }                                                                                                       \
        for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(LOAD8(x + i * SIZE), LOAD8(y + i * SIZE), s0);         \
        float s = fq_hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));                        \
        for (; i < n; i++) s += LOAD1(x + i * SIZE) * LOAD1(y + i * SIZE);                                      \
        return s;                                                                                               \
    }

static inline FQ_AVX2 __m256 f32x8(const uint8_t *p) { return _mm256_loadu_ps((const float *)p); }
static inline FQ_AVX2 __m256 f16x8(const uint8_t *p) { return _mm256_cvtph_ps(fq_load128(p)); }
static inline FQ_AVX2 __m256 bf16x8(const uint8_t *p) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(fq_load128(p)), 16));
}
static inline FQ_AVX2 float bf16x1(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

FQ_FLOAT_DOT(f32, f32x8, fq_f32, 4)
FQ_FLOAT_DOT(f16, f16x8, fq_half, 2)
FQ_FLOAT_DOT(bf16, bf16x8, bf16x1, 2)

// ---- 1 weight row × 4 tokens: each weight block is unpacked once; per token the single-row kernel's operations ----
FQ_AVX2 void franca_qdot_tokens4_q4_1_avx2(const void *w, const void *a, long a_row_bytes, long n, float *out) {
    const uint8_t *x = w, *y = a;
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    float mins[4] = {0, 0, 0, 0};
    for (long i = 0; i < n / 32; i++) {
        const uint8_t *xb = x + i * 20;
        const __m256i q = fq_nibbles32(xb + 4);
        const float dx = fq_half(xb), mx = fq_half(xb + 2);
        for (int t = 0; t < 4; t++) {
            const uint8_t *yb = y + t * a_row_bytes + i * 36;
            mins[t] = fmaf(mx, fq_half(yb + 2), mins[t]);
            __m256i p = fq_dot_u8(q, fq_load(yb + 4));
            acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(dx * fq_half(yb)), _mm256_cvtepi32_ps(p), acc[t]);
        }
    }
    for (int t = 0; t < 4; t++) out[t] = fq_hsum(acc[t]) + mins[t];
}

/// 1 row × 4 tokens for the weight types whose activations are Q8_0 (34-byte blocks): CODES(xb) unpacks the
/// weight block's 32 signed codes once; per token, the single-row kernel's operations.
#define FQ_TOKENS4_Q8_0(NAME, XS, CODES)                                                                          \
    FQ_AVX2 void franca_qdot_tokens4_##NAME##_avx2(const void *w, const void *a, long a_row_bytes, long n,       \
                                                   float *out) {                                                \
        const uint8_t *x = w, *y = a;                                                                           \
        __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};   \
        for (long i = 0; i < n / 32; i++) {                                                                     \
            const uint8_t *xb = x + (XS) * i;                                                                   \
            const __m256i q = CODES(xb);                                                                        \
            const float dx = fq_half(xb);                                                                       \
            for (int t = 0; t < 4; t++) {                                                                       \
                const uint8_t *yb = y + t * a_row_bytes + 34 * i;                                               \
                __m256i p = fq_dot_i8(q, fq_load(yb + 2));                                                      \
                acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(dx * fq_half(yb)), _mm256_cvtepi32_ps(p), acc[t]);      \
            }                                                                                                   \
        }                                                                                                       \
        for (int t = 0; t < 4; t++) out[t] = fq_hsum(acc[t]);                                                   \
    }

static inline FQ_AVX2 __m256i q8_0_codes(const uint8_t *x) { return fq_load(x + 2); }

FQ_TOKENS4_Q8_0(q8_0, 34, q8_0_codes)
FQ_TOKENS4_Q8_0(q5_0, 22, q5_0_codes)

/// Q1_0 · Q8_0, 1 row × 4 tokens: each block's signs are expanded once for the 4 tokens.
FQ_AVX2 void franca_qdot_tokens4_q1_0_avx2(const void *w, const void *a, long a_row_bytes, long n, float *out) {
    const uint8_t *x = w, *y = a;
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    for (long i = 0; i < n / 128; i++) {
        const uint8_t *xb = x + 18 * i;
        const __m256i sgn[4] = {q1_0_signs(xb, 0), q1_0_signs(xb, 1), q1_0_signs(xb, 2), q1_0_signs(xb, 3)};
        const __m256 dx = _mm256_set1_ps(fq_half(xb));
        for (int t = 0; t < 4; t++) acc[t] = _mm256_fmadd_ps(dx, q1_0_sum(sgn, y + t * a_row_bytes + 4 * 34 * i), acc[t]);
    }
    for (int t = 0; t < 4; t++) out[t] = fq_hsum(acc[t]);
}
