// AVX2 activation quantizers (Q8_0, Q8_1, Q8_K) that write exactly the bytes of the scalar references in
// ActivationQuantizers.swift:
// - Q8_0 / Q8_1: ggml's x86 quantizer (`quantize_row_q8_0` / `_q8_1` in ggml-cpu/arch/x86/quants.c, which the
//   llama.cpp fixtures ran): d = max|x| / 127, id = 127 / max|x| (0 when max is 0), q = x·id rounded to nearest
//   EVEN (`_mm256_round_ps`); s = fp16(d · Σq). Not ggml's portable `_ref` (id = 1/d, roundf): the two differ
//   in the last bit of id and on ties, and activations quantized differently flip llama.cpp's greedy text.
//   A block containing a NaN takes a scalar path that copies the reference's sequential
//   `amax > v ? amax : v` (a NaN is only kept if nothing follows it) and turns NaN codes into 0.
// - Q8_K: the first element of largest |x| gives iscale = −127 / x, q = min(127, rint(iscale·x)) with ties to even
//   (`_mm256_round_ps`), NaN → 127 like Swift's `min(127, NaN)`; d = 1 / iscale; bsums = Σ of 16 codes.
// Floating-point contraction is off so every product is rounded exactly as in the reference.
#include "franca_quant.h"
#include "quant_dot_simd.h"
#include <math.h>

#pragma STDC FP_CONTRACT OFF

/// Float → binary16 bits, round to nearest even (the reference's `floatToFP16`, incl. NaN → sign | 0x7E00).
static inline FQ_AVX2 uint16_t fq_fp16(float f) {
    uint32_t w;
    memcpy(&w, &f, 4);
    if ((w & 0x7FFFFFFFu) > 0x7F800000u) return (uint16_t)(((w >> 16) & 0x8000u) | 0x7E00u);
    return (uint16_t)_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT);
}

static inline int8_t clamped_i8(float r) {
    if (r != r) return 0;
    if (r >= 127) return 127;
    if (r <= -128) return -128;
    return (int8_t)r;
}

/// Reference semantics for one 32-block holding a NaN (sequential max, rint). Returns Σq.
static FQ_AVX2 int32_t q8_block_scalar(const float *x, int8_t *qs, float *d_out) {
    float amax = 0;
    for (int j = 0; j < 32; j++) {
        float v = fabsf(x[j]);
        amax = amax > v ? amax : v;
    }
    float d = amax / 127;
    float id = amax != 0 ? 127 / amax : 0;
    int32_t sum = 0;
    for (int j = 0; j < 32; j++) {
        qs[j] = clamped_i8(nearbyintf(x[j] * id));
        sum += qs[j];
    }
    *d_out = d;
    return sum;
}

/// rint on 8 lanes (ties to even); NaN lanes (∞·0 when max|x| is ∞ or subnormal) become 0 like the reference's.
/// ggml itself would give −128 there (`cvtps_epi32(NaN)`); only such degenerate blocks differ.
static inline FQ_AVX2 __m256 round_even(__m256 v) {
    __m256 r = _mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    return _mm256_and_ps(r, _mm256_cmp_ps(r, r, _CMP_ORD_Q));
}

/// Four vectors of 8 (integral) floats → 32 int8 in element order, saturating to [−128, 127].
static inline FQ_AVX2 __m256i pack32(__m256 a, __m256 b, __m256 c, __m256 d) {
    const __m256 lo = _mm256_set1_ps(-128.0f), hi = _mm256_set1_ps(127.0f);
    __m256i ia = _mm256_cvtps_epi32(_mm256_min_ps(_mm256_max_ps(a, lo), hi));
    __m256i ib = _mm256_cvtps_epi32(_mm256_min_ps(_mm256_max_ps(b, lo), hi));
    __m256i ic = _mm256_cvtps_epi32(_mm256_min_ps(_mm256_max_ps(c, lo), hi));
    __m256i id = _mm256_cvtps_epi32(_mm256_min_ps(_mm256_max_ps(d, lo), hi));
    __m256i p = _mm256_packs_epi16(_mm256_packs_epi32(ia, ib), _mm256_packs_epi32(ic, id));
    return _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

/// One Q8_0-style block: writes 32 codes at qs, returns d (float, before fp16 rounding) and Σq in *sum.
static inline FQ_AVX2 float q8_block(const float *x, int8_t *qs, int32_t *sum) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 v0 = _mm256_loadu_ps(x), v1 = _mm256_loadu_ps(x + 8), v2 = _mm256_loadu_ps(x + 16),
           v3 = _mm256_loadu_ps(x + 24);
    __m256 nan = _mm256_or_ps(_mm256_or_ps(_mm256_cmp_ps(v0, v0, _CMP_UNORD_Q), _mm256_cmp_ps(v1, v1, _CMP_UNORD_Q)),
                              _mm256_or_ps(_mm256_cmp_ps(v2, v2, _CMP_UNORD_Q), _mm256_cmp_ps(v3, v3, _CMP_UNORD_Q)));
    if (_mm256_movemask_ps(nan)) {
        float d;
        *sum = q8_block_scalar(x, qs, &d);
        return d;
    }
    __m256 m = _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(sign, v0), _mm256_andnot_ps(sign, v1)),
                             _mm256_max_ps(_mm256_andnot_ps(sign, v2), _mm256_andnot_ps(sign, v3)));
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    h = _mm_max_ss(h, _mm_movehdup_ps(h));
    const float amax = _mm_cvtss_f32(h);
    const float d = amax / 127;
    const float id = amax != 0 ? 127 / amax : 0;
    const __m256 vid = _mm256_set1_ps(id);
    __m256 r0 = round_even(_mm256_mul_ps(v0, vid)), r1 = round_even(_mm256_mul_ps(v1, vid));
    __m256 r2 = round_even(_mm256_mul_ps(v2, vid)), r3 = round_even(_mm256_mul_ps(v3, vid));
    __m256i q = pack32(r0, r1, r2, r3);
    _mm256_storeu_si256((__m256i *)qs, q);
    *sum = fq_hsum_i32(_mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), q), _mm256_set1_epi16(1)));
    return d;
}

FQ_AVX2 void franca_quantize_q8_0_avx2(const float *src, void *dst, long n) {
    uint8_t *b = dst;
    for (long i = 0; i < n / 32; i++, b += 34) {
        int32_t sum;
        float d = q8_block(src + 32 * i, (int8_t *)(b + 2), &sum);
        uint16_t h = fq_fp16(d);
        memcpy(b, &h, 2);
    }
}

FQ_AVX2 void franca_quantize_q8_1_avx2(const float *src, void *dst, long n) {
    uint8_t *b = dst;
    for (long i = 0; i < n / 32; i++, b += 36) {
        int32_t sum;
        float d = q8_block(src + 32 * i, (int8_t *)(b + 4), &sum);
        uint16_t hd = fq_fp16(d), hs = fq_fp16((float)sum * d);
        memcpy(b, &hd, 2);
        memcpy(b + 2, &hs, 2);
    }
}

FQ_AVX2 void franca_quantize_q8_K_avx2(const float *src, void *dst, long n) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    uint8_t *b = dst;
    for (long i = 0; i < n / 256; i++, b += 292) {
        const float *x = src + 256 * i;
        // max|x| (a NaN |x| never wins: max_ps returns its second operand, the running maximum, when unordered)
        __m256 m = _mm256_setzero_ps();
        for (int j = 0; j < 256; j += 8) m = _mm256_max_ps(_mm256_andnot_ps(sign, _mm256_loadu_ps(x + j)), m);
        __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
        h = _mm_max_ps(h, _mm_movehl_ps(h, h));
        h = _mm_max_ss(h, _mm_movehdup_ps(h));
        const float amax = _mm_cvtss_f32(h);
        if (amax == 0) {
            memset(b, 0, 292);
            continue;
        }
        // the first element reaching it keeps its sign
        float maxv = 0;
        const __m256 vmax = _mm256_set1_ps(amax);
        for (int j = 0; j < 256; j += 8) {
            int hit = _mm256_movemask_ps(_mm256_cmp_ps(_mm256_andnot_ps(sign, _mm256_loadu_ps(x + j)), vmax, _CMP_EQ_OQ));
            if (hit) {
                maxv = x[j + __builtin_ctz((unsigned)hit)];
                break;
            }
        }
        const float iscale = -127.0f / maxv;
        const __m256 vs = _mm256_set1_ps(iscale), top = _mm256_set1_ps(127.0f);
        int8_t *qs = (int8_t *)(b + 4);
        for (int j = 0; j < 256; j += 32) {
            __m256 r[4];
            for (int k = 0; k < 4; k++) {
                __m256 v = _mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x + j + 8 * k), vs),
                                           _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
                r[k] = _mm256_min_ps(v, top);  // NaN → 127 (second operand), as Swift.min(127, NaN)
            }
            _mm256_storeu_si256((__m256i *)(qs + j), pack32(r[0], r[1], r[2], r[3]));
        }
        int16_t bsums[16];
        for (int g = 0; g < 16; g++) {
            __m128i q = _mm_loadu_si128((const __m128i *)(qs + 16 * g));
            __m128i s = _mm_madd_epi16(_mm_maddubs_epi16(_mm_set1_epi8(1), q), _mm_set1_epi16(1));
            s = _mm_add_epi32(s, _mm_unpackhi_epi64(s, s));
            s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 1));
            bsums[g] = (int16_t)_mm_cvtsi128_si32(s);
        }
        memcpy(b + 260, bsums, sizeof bsums);
        const float d = 1 / iscale;
        memcpy(b, &d, 4);
    }
}
