// AVX2 dot products of the 256-element super-block types (Q4_K, Q5_K, Q6_K, TQ1_0, TQ2_0) with Q8_K activations
// (292 bytes: f32 d, qs[256], int16 bsums[16]). Twins of Dot+KQuants.swift.
//
// Each super-block is reduced to 8 exact int32 lanes (sub-block scales applied with `madd`), converted once and
// FMA'd with d_w·d_a. Offsets that do not depend on the codes (the K-quant minimums, the −32 of Q6_K, the −1 of
// the ternary codes) come from the activation `bsums`, as in ggml.
#include "franca_quant.h"
#include "quant_dot_simd.h"
#include <math.h>

#define Q8K_SIZE 292
#define Q8K_QS 4
#define Q8K_BSUMS 260

/// ggml `get_scale_min_k4` for the 8 sub-blocks of a Q4_K / Q5_K block.
static inline void k4_scales(const uint8_t *s, uint8_t sc[8], uint8_t mn[8]) {
    for (int j = 0; j < 4; j++) {
        sc[j] = s[j] & 63;
        mn[j] = s[j + 4] & 63;
    }
    for (int j = 4; j < 8; j++) {
        sc[j] = (uint8_t)((s[j + 4] & 0xF) | ((s[j - 4] >> 6) << 4));
        mn[j] = (uint8_t)((s[j + 4] >> 4) | ((s[j] >> 6) << 4));
    }
}

/// Σ mn·bsum in 4 int32 lanes, lane k = sub-blocks 2k and 2k+1 (ggml's `_mm_madd_epi16(mins, hadd(bsums))`).
static inline FQ_AVX2 __m128i k4_min_lanes(const uint8_t *yb, const uint8_t mn[8]) {
    __m128i lo = fq_load128(yb + Q8K_BSUMS), hi = fq_load128(yb + Q8K_BSUMS + 16);
    __m128i pairs = _mm_hadd_epi16(lo, hi);  // bsum[2j] + bsum[2j+1]: the 32-element sums
    uint64_t m8;
    memcpy(&m8, mn, 8);
    return _mm_madd_epi16(_mm_cvtepu8_epi16(_mm_cvtsi64_si128((long long)m8)), pairs);
}

/// (a0 + a2) + (a1 + a3), ggml's reduction of the 4-lane minimum accumulator.
static inline FQ_AVX2 float hsum4(__m128 a) {
    a = _mm_add_ps(a, _mm_movehl_ps(a, a));
    a = _mm_add_ss(a, _mm_movehdup_ps(a));
    return _mm_cvtss_f32(a);
}

// ---- Q4_K (144 bytes: d, dmin, scales[12], qs[128]) and Q5_K (176: d, dmin, scales[12], qh[32], qs[128]) ----
/// Σ_j sc[j] · Σ q·a over one super-block, in 8 int32 lanes.
static inline FQ_AVX2 __m256i q45_K_sumi(const uint8_t *xb, const uint8_t *qa, const uint8_t sc[8], int q5) {
    const __m256i m4 = _mm256_set1_epi8(0x0F);
    const uint8_t *qs = xb + (q5 ? 48 : 16);
    __m256i hb = q5 ? fq_load(xb + 16) : _mm256_setzero_si256();
    __m256i sumi = _mm256_setzero_si256();
    for (int c = 0; c < 4; c++) {
        __m256i q = fq_load(qs + 32 * c);
        __m256i lo = _mm256_and_si256(q, m4);
        __m256i hi = _mm256_and_si256(_mm256_srli_epi16(q, 4), m4);
        if (q5) {
            __m256i b0 = _mm256_set1_epi8((char)(1 << (2 * c))), b1 = _mm256_set1_epi8((char)(1 << (2 * c + 1)));
            __m256i sixteen = _mm256_set1_epi8(16);
            lo = _mm256_or_si256(lo, _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(hb, b0), b0), sixteen));
            hi = _mm256_or_si256(hi, _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(hb, b1), b1), sixteen));
        }
        __m256i p0 = _mm256_madd_epi16(_mm256_maddubs_epi16(lo, fq_load(qa + 64 * c)), _mm256_set1_epi16(sc[2 * c]));
        __m256i p1 = _mm256_madd_epi16(_mm256_maddubs_epi16(hi, fq_load(qa + 64 * c + 32)),
                                       _mm256_set1_epi16(sc[2 * c + 1]));
        sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(p0, p1));
    }
    return sumi;
}

/// ggml's x86 order. Both: per super-block acc += (d_a·d_w)·sumi (8 lanes). Minimums (dmin = −d_a·dmin_w):
/// Q4_K keeps 4 lanes, acc_m += dmin·mins, result hsum(acc) + hsum4(acc_m); Q5_K sums them to one int first,
/// summs = fma(dmin, Σ, summs), result hsum(acc) + summs.
static inline FQ_AVX2 float q45_K(const uint8_t *x, const uint8_t *y, long n, int q5) {
    const long size = q5 ? 176 : 144;
    __m256 acc = _mm256_setzero_ps();
    __m128 acc_m = _mm_setzero_ps();
    float summs = 0;
    for (long i = 0; i < n / 256; i++) {
        const uint8_t *xb = x + i * size, *yb = y + i * Q8K_SIZE;
        const float da = fq_f32(yb);
        const float dmin = -da * fq_half(xb + 2);
        uint8_t sc[8], mn[8];
        k4_scales(xb + 4, sc, mn);
        __m128i mins = k4_min_lanes(yb, mn);
        if (q5) {
            __m128i h = _mm_hadd_epi32(_mm_hadd_epi32(mins, _mm_setzero_si128()), _mm_setzero_si128());
            summs = fmaf(dmin, (float)_mm_cvtsi128_si32(h), summs);
        } else {
            acc_m = _mm_fmadd_ps(_mm_set1_ps(dmin), _mm_cvtepi32_ps(mins), acc_m);
        }
        __m256i sumi = q45_K_sumi(xb, yb + Q8K_QS, sc, q5);
        acc = _mm256_fmadd_ps(_mm256_set1_ps(da * fq_half(xb)), _mm256_cvtepi32_ps(sumi), acc);
    }
    return q5 ? fq_hsum(acc) + summs : fq_hsum(acc) + hsum4(acc_m);
}

FQ_AVX2 float franca_dot_q4_K_avx2(const void *w, const void *a, long n) { return q45_K(w, a, n, 0); }
FQ_AVX2 float franca_dot_q5_K_avx2(const void *w, const void *a, long n) { return q45_K(w, a, n, 1); }

FQ_AVX2 void franca_qgemv_rows4_q4_K_avx2(const void *w, long row_bytes, const void *a, long n, float *out) {
    const uint8_t *x = w, *y = a;
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    __m128 acc_m[4] = {_mm_setzero_ps(), _mm_setzero_ps(), _mm_setzero_ps(), _mm_setzero_ps()};
    for (long i = 0; i < n / 256; i++) {
        const uint8_t *yb = y + i * Q8K_SIZE;
        const float da = fq_f32(yb);
        for (int r = 0; r < 4; r++) {
            const uint8_t *xb = x + r * row_bytes + i * 144;
            uint8_t sc[8], mn[8];
            k4_scales(xb + 4, sc, mn);
            acc_m[r] = _mm_fmadd_ps(_mm_set1_ps(-da * fq_half(xb + 2)), _mm_cvtepi32_ps(k4_min_lanes(yb, mn)), acc_m[r]);
            __m256i sumi = q45_K_sumi(xb, yb + Q8K_QS, sc, 0);
            acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(da * fq_half(xb)), _mm256_cvtepi32_ps(sumi), acc[r]);
        }
    }
    for (int r = 0; r < 4; r++) out[r] = fq_hsum(acc[r]) + hsum4(acc_m[r]);
}

// ---- Q6_K (210 bytes: ql[128], qh[64], int8 scales[16], d); value (6-bit code) − 32 ----
static inline FQ_AVX2 __m256i q6_K_sumi(const uint8_t *xb, const uint8_t *yb) {
    const __m256i m4 = _mm256_set1_epi8(0x0F), m3 = _mm256_set1_epi8(3);
    const uint8_t *qa = yb + Q8K_QS, *sc = xb + 192;
    // −32 · Σ_g sc[g] · bsum[g] (16 groups of 16)
    __m256i sc16 = _mm256_cvtepi8_epi16(fq_load128(sc));
    __m256i sumi = _mm256_slli_epi32(_mm256_madd_epi16(fq_load(yb + Q8K_BSUMS), sc16), 5);
    sumi = _mm256_sub_epi32(_mm256_setzero_si256(), sumi);
    for (int h = 0; h < 2; h++) {
        const uint8_t *ql = xb + 64 * h, *qh = xb + 128 + 32 * h, *qah = qa + 128 * h;
        __m256i s8 = _mm256_broadcastsi128_si256(_mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(sc + 8 * h))));
        __m256i l0 = fq_load(ql), l1 = fq_load(ql + 32), hb = fq_load(qh);
        __m256i q[4];
        q[0] = _mm256_or_si256(_mm256_and_si256(l0, m4), _mm256_slli_epi16(_mm256_and_si256(hb, m3), 4));
        q[1] = _mm256_or_si256(_mm256_and_si256(l1, m4),
                               _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, 2), m3), 4));
        q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m4),
                               _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, 4), m3), 4));
        q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m4),
                               _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, 6), m3), 4));
        for (int k = 0; k < 4; k++) {
            // Quarter k of a half uses scale 2k for its first 16 elements (lane 0) and 2k+1 for the next 16 (lane 1).
            const __m256i pick = _mm256_set_m128i(_mm_set1_epi16((short)(((4 * k + 3) << 8) | (4 * k + 2))),
                                                  _mm_set1_epi16((short)(((4 * k + 1) << 8) | (4 * k))));
            __m256i p = _mm256_maddubs_epi16(q[k], fq_load(qah + 32 * k));
            sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(p, _mm256_shuffle_epi8(s8, pick)));
        }
    }
    return sumi;
}

FQ_AVX2 float franca_dot_q6_K_avx2(const void *w, const void *a, long n) {
    const uint8_t *x = w, *y = a;
    __m256 acc = _mm256_setzero_ps();
    for (long i = 0; i < n / 256; i++) {
        const uint8_t *xb = x + i * 210, *yb = y + i * Q8K_SIZE;
        __m256i sumi = q6_K_sumi(xb, yb);
        acc = _mm256_fmadd_ps(_mm256_set1_ps(fq_f32(yb) * fq_half(xb + 208)), _mm256_cvtepi32_ps(sumi), acc);
    }
    return fq_hsum(acc);
}

FQ_AVX2 void franca_qgemv_rows4_q6_K_avx2(const void *w, long row_bytes, const void *a, long n, float *out) {
    const uint8_t *x = w, *y = a;
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    for (long i = 0; i < n / 256; i++) {
        const uint8_t *yb = y + i * Q8K_SIZE;
        const float da = fq_f32(yb);
        for (int r = 0; r < 4; r++) {
            const uint8_t *xb = x + r * row_bytes + i * 210;
            __m256i sumi = q6_K_sumi(xb, yb);
            acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(da * fq_half(xb + 208)), _mm256_cvtepi32_ps(sumi), acc[r]);
        }
    }
    for (int r = 0; r < 4; r++) out[r] = fq_hsum(acc[r]);
}

// ---- TQ2_0 (66 bytes: qs[64], d); code (qs[32j+m] >> 2l) & 3 is element 128j + 32l + m; value code − 1 ----
FQ_AVX2 float franca_dot_tq2_0_avx2(const void *w, const void *a, long n) {
    const uint8_t *x = w, *y = a;
    const __m256i m3 = _mm256_set1_epi8(3), ones16 = _mm256_set1_epi16(1);
    __m256 acc = _mm256_setzero_ps();
    for (long i = 0; i < n / 256; i++) {
        const uint8_t *xb = x + i * 66, *yb = y + i * Q8K_SIZE, *qa = yb + Q8K_QS;
        __m256i s16 = _mm256_setzero_si256();  // ≤ 8 · 762 in magnitude: no int16 overflow
        for (int j = 0; j < 2; j++) {
            __m256i q = fq_load(xb + 32 * j);
            for (int l = 0; l < 4; l++) {
                __m256i c = _mm256_and_si256(_mm256_srli_epi16(q, 2 * l), m3);
                s16 = _mm256_add_epi16(s16, _mm256_maddubs_epi16(c, fq_load(qa + 128 * j + 32 * l)));
            }
        }
        __m256i sumi = _mm256_sub_epi32(_mm256_madd_epi16(s16, ones16), _mm256_madd_epi16(fq_load(yb + Q8K_BSUMS), ones16));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(fq_f32(yb) * fq_half(xb + 64)), _mm256_cvtepi32_ps(sumi), acc);
    }
    return fq_hsum(acc);
}

// ---- TQ1_0 (54 bytes: qs[48], qh[4], d): base-3 fixed point, trit n of byte b = ((uint8)(b·3ⁿ) · 3) >> 8 ----
static inline FQ_AVX2 __m256i times3(__m256i v) { return _mm256_add_epi8(v, _mm256_add_epi8(v, v)); }
static inline FQ_AVX2 __m128i times3_128(__m128i v) { return _mm_add_epi8(v, _mm_add_epi8(v, v)); }

/// (p · 3) >> 8 for every byte p (0, 1 or 2).
static inline FQ_AVX2 __m256i trits(__m256i p) {
    const __m256i three = _mm256_set1_epi16(3);
    __m256i even = _mm256_mulhi_epu16(_mm256_slli_epi16(p, 8), three);
    __m256i odd = _mm256_mulhi_epu16(_mm256_and_si256(p, _mm256_set1_epi16((short)0xFF00)), three);
    return _mm256_or_si256(even, _mm256_slli_epi16(odd, 8));
}

FQ_AVX2 float franca_dot_tq1_0_avx2(const void *w, const void *a, long n) {
    const uint8_t *x = w, *y = a;
    const __m256i ones16 = _mm256_set1_epi16(1);
    __m256 acc = _mm256_setzero_ps();
    for (long i = 0; i < n / 256; i++) {
        const uint8_t *xb = x + i * 54, *yb = y + i * Q8K_SIZE, *qa = yb + Q8K_QS;
        // qs[0..31]: digit n → elements 32n ..< 32n+32
        __m256i p = fq_load(xb);
        __m256i s16 = _mm256_maddubs_epi16(trits(p), fq_load(qa));
        for (int d = 1; d < 5; d++) {
            p = times3(p);
            s16 = _mm256_add_epi16(s16, _mm256_maddubs_epi16(trits(p), fq_load(qa + 32 * d)));
        }
        // qs[32..47]: digit n → elements 160 + 16n; qh[0..3]: digit n of qh[j] → element 240 + 4n + j
        __m128i y1 = fq_load128(xb + 32), y3 = times3_128(y1), y9 = times3_128(y3), y27 = times3_128(y9);
        __m128i y81 = times3_128(y27);
        uint32_t qh32;
        memcpy(&qh32, xb + 48, 4);
        __m128i h1 = _mm_set1_epi32((int)qh32), h3 = times3_128(h1), h9 = times3_128(h3), h27 = times3_128(h9);
        __m128i hv = _mm_blend_epi32(_mm_blend_epi32(_mm_blend_epi32(h1, h3, 2), h9, 4), h27, 8);
        s16 = _mm256_add_epi16(s16, _mm256_maddubs_epi16(trits(_mm256_set_m128i(y3, y1)), fq_load(qa + 160)));
        s16 = _mm256_add_epi16(s16, _mm256_maddubs_epi16(trits(_mm256_set_m128i(y27, y9)), fq_load(qa + 192)));
        s16 = _mm256_add_epi16(s16, _mm256_maddubs_epi16(trits(_mm256_set_m128i(hv, y81)), fq_load(qa + 224)));
        __m256i sumi = _mm256_sub_epi32(_mm256_madd_epi16(s16, ones16), _mm256_madd_epi16(fq_load(yb + Q8K_BSUMS), ones16));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(fq_f32(yb) * fq_half(xb + 52)), _mm256_cvtepi32_ps(sumi), acc);
    }
    return fq_hsum(acc);
}

// ---- Batch order: llama.cpp's "tiled" K-quant matmul (ggml-cpu/tiled), used for Q4_K / Q5_K / Q6_K weights
// when a batch has ≥ 8 tokens. Per super-block the codes are reduced to exact integers, s1 = Σ sc·Σ q·a and
// (with minimums) s2 = Σ mn·bsum, then res = d_w·s1 (− dmin_w·s2, fused), sum = fma(res, d_a, sum). ----
static inline FQ_AVX2 float q45_K_batch(const uint8_t *x, const uint8_t *y, long n, int q5) {
    const long size = q5 ? 176 : 144;
    float sum = 0;
    for (long i = 0; i < n / 256; i++) {
        const uint8_t *xb = x + i * size, *yb = y + i * Q8K_SIZE;
        uint8_t sc[8], mn[8];
        k4_scales(xb + 4, sc, mn);
        int32_t s1 = fq_hsum_i32(q45_K_sumi(xb, yb + Q8K_QS, sc, q5));
        __m128i m = k4_min_lanes(yb, mn);
        m = _mm_add_epi32(m, _mm_unpackhi_epi64(m, m));
        int32_t s2 = _mm_cvtsi128_si32(_mm_add_epi32(m, _mm_shuffle_epi32(m, 1)));
        float res = fmaf(-fq_half(xb + 2), (float)s2, fq_half(xb) * (float)s1);
        sum = fmaf(res, fq_f32(yb), sum);
    }
    return sum;
}

FQ_AVX2 float franca_dot_q4_K_batch_avx2(const void *w, const void *a, long n) { return q45_K_batch(w, a, n, 0); }
FQ_AVX2 float franca_dot_q5_K_batch_avx2(const void *w, const void *a, long n) { return q45_K_batch(w, a, n, 1); }

FQ_AVX2 float franca_dot_q6_K_batch_avx2(const void *w, const void *a, long n) {
    const uint8_t *x = w, *y = a;
    float sum = 0;
    for (long i = 0; i < n / 256; i++) {
        const uint8_t *xb = x + i * 210, *yb = y + i * Q8K_SIZE;
        int32_t s1 = fq_hsum_i32(q6_K_sumi(xb, yb));
        sum = fmaf(fq_half(xb + 208) * (float)s1, fq_f32(yb), sum);
    }
    return sum;
}
