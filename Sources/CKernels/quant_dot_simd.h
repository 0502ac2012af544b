// Small AVX2 building blocks shared by the quantized dot products (private to CKernels).
//
// The integer products follow ggml's x86 technique: int8 × int8 through `maddubs` (unsigned × signed → int16
// pairs) with the sign trick, then `madd` with ones → int32. Ranges are chosen so `maddubs` never saturates.
#ifndef FRANCA_QUANT_DOT_SIMD_H
#define FRANCA_QUANT_DOT_SIMD_H

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#define FQ_AVX2 __attribute__((target("avx2,fma,f16c")))

/// Bytes ahead of the current weight block that the memory-bound decode kernels prefetch. A matrix-vector
/// product streams its weights from memory once, and the hardware prefetcher alone keeps too few cache-line misses
/// in flight: in a C harness on one AMD EPYC (Zen 2) core, the 4-row Q8_0 product went from 4.7–5.2 to 7.1–7.8 GB/s
/// and the 4-row Q4_1 product from 3.2–3.6 to 4.4–4.6 GB/s with 3 KiB (1–8 KiB all helped).
#define FQ_PREFETCH_DISTANCE 3072

/// Blocks of `bytes` bytes between two prefetches of one row: about one prefetch per 64-byte line (Q8_0 every 2nd
/// block, Q4_1 / Q5_0 every 3rd). A constant step keeps the branch predictable; a prefetch on every block, or one per
/// line start found by arithmetic, measured slower.
#define FQ_PREFETCH_EVERY(bytes) ((64 + (bytes) / 2) / (bytes))

/// On every FQ_PREFETCH_EVERY(bytes)-th block i of a row of `bytes`-byte blocks at `row`, prefetches the weight bytes
/// FQ_PREFETCH_DISTANCE past that block (a prefetch never faults, even past the matrix's end).
static inline FQ_AVX2 void fq_prefetch_block(const uint8_t *row, long i, long bytes) {
    if (i % FQ_PREFETCH_EVERY(bytes) == 0) _mm_prefetch((const char *)row + i * bytes + FQ_PREFETCH_DISTANCE, _MM_HINT_T0);
}

/// fq_prefetch_block for the 4 rows (row_bytes apart) of a 4-row kernel.
static inline FQ_AVX2 void fq_prefetch_block4(const uint8_t *rows, long row_bytes, long i, long bytes) {
    for (int r = 0; r < 4; r++) fq_prefetch_block(rows + r * row_bytes, i, bytes);
}

/// IEEE binary16 at p (unaligned) → float; F16C is exact for every value incl. subnormals.
static inline FQ_AVX2 float fq_half(const void *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

static inline FQ_AVX2 float fq_f32(const void *p) {
    float f;
    memcpy(&f, p, 4);
    return f;
}

static inline FQ_AVX2 __m256i fq_load(const void *p) { return _mm256_loadu_si256((const __m256i *)p); }
static inline FQ_AVX2 __m128i fq_load128(const void *p) { return _mm_loadu_si128((const __m128i *)p); }

/// Σ x·y per group of 4 bytes → 8 int32. x may be any int8 (incl. −128), y must lie in [−127, 127].
static inline FQ_AVX2 __m256i fq_dot_i8(__m256i x, __m256i y) {
    __m256i ax = _mm256_sign_epi8(x, x);
    __m256i sy = _mm256_sign_epi8(y, x);
    return _mm256_madd_epi16(_mm256_maddubs_epi16(ax, sy), _mm256_set1_epi16(1));
}

/// Σ u·y per group of 4 bytes → 8 int32, u unsigned and small enough that 2·u·127 < 32768.
static inline FQ_AVX2 __m256i fq_dot_u8(__m256i u, __m256i y) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, y), _mm256_set1_epi16(1));
}

/// 16 packed bytes → 32 nibbles in element order: low nibbles (elements 0..15), then high nibbles (16..31).
static inline FQ_AVX2 __m256i fq_nibbles32(const uint8_t *qs) {
    __m128i t = fq_load128(qs);
    __m256i b = _mm256_set_m128i(_mm_srli_epi16(t, 4), t);
    return _mm256_and_si256(b, _mm256_set1_epi8(0x0F));
}

/// 32 bits (LSB first, little-endian u32 at p) → 32 bytes, 0xFF where the bit is set.
static inline FQ_AVX2 __m256i fq_bits32(const uint8_t *p) {
    uint32_t x;
    memcpy(&x, p, 4);
    const __m256i spread = _mm256_set_epi64x(0x0303030303030303LL, 0x0202020202020202LL,
                                             0x0101010101010101LL, 0x0000000000000000LL);
    __m256i bytes = _mm256_shuffle_epi8(_mm256_set1_epi32((int)x), spread);
    bytes = _mm256_or_si256(bytes, _mm256_set1_epi64x(0x7FBFDFEFF7FBFDFELL));
    return _mm256_cmpeq_epi8(bytes, _mm256_set1_epi64x(-1));
}

/// 8 bytes of 2-bit codes (element e at bits 2·(e%4) of byte e/4) → 32 codes 0..3 in element order.
static inline FQ_AVX2 __m256i fq_codes2_32(const uint8_t *qs) {
    __m128i b = _mm_loadl_epi64((const __m128i *)qs);
    const __m128i m3 = _mm_set1_epi8(3);
    __m128i p0 = _mm_and_si128(b, m3);
    __m128i p1 = _mm_and_si128(_mm_srli_epi16(b, 2), m3);
    __m128i p2 = _mm_and_si128(_mm_srli_epi16(b, 4), m3);
    __m128i p3 = _mm_and_si128(_mm_srli_epi16(b, 6), m3);
    __m128i a01 = _mm_unpacklo_epi8(p0, p1);
    __m128i a23 = _mm_unpacklo_epi8(p2, p3);
    return _mm256_set_m128i(_mm_unpackhi_epi16(a01, a23), _mm_unpacklo_epi16(a01, a23));
}

static inline FQ_AVX2 float fq_hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

static inline FQ_AVX2 int32_t fq_hsum_i32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_unpackhi_epi64(s, s));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 1));
    return _mm_cvtsi128_si32(s);
}

#endif
