// 4-bit weight panels: repacking from the MatMulNBits layout and dequantization of a panel into f32 for the GEMM.
#include "gemm_internal.h"
#include "simd_math.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define NR FRANCA_GEMM_NR

static int64_t blocks_of(int64_t k, int64_t bs) { return (k + bs - 1) / bs; }
/// Bytes of one panel: per block 16 scales + 16 zero points, plus 8 bytes per k.
static int64_t panel_bytes(int64_t k, int64_t bs) { return blocks_of(k, bs) * 2 * NR * (int64_t)sizeof(float) + k * 8; }

size_t franca_q4_packed_bytes(int64_t n, int64_t k, int64_t bs) {
    return (size_t)(((n + NR - 1) / NR) * panel_bytes(k, bs));
}

void franca_q4_pack(const uint8_t *codes, const float *scales, const float *zero_points, int64_t n, int64_t k,
                    int64_t bs, uint8_t *packed) {
    int64_t blocks = blocks_of(k, bs), panels = (n + NR - 1) / NR;
    int64_t row_stride = blocks * (bs / 2);
    for (int64_t p = 0; p < panels; p++) {
        uint8_t *dst = packed + p * panel_bytes(k, bs);
        for (int64_t b = 0; b < blocks; b++) {
            float header[2 * NR];
            for (int j = 0; j < NR; j++) {
                int64_t row = p * NR + j;
                header[j] = row < n ? scales[row * blocks + b] : 0.0f;
                header[NR + j] = row < n ? (zero_points ? zero_points[row * blocks + b] : 8.0f) : 0.0f;
            }
            memcpy(dst, header, sizeof header);
            dst += sizeof header;
            int64_t k0 = b * bs, k1 = k0 + bs < k ? k0 + bs : k;
            for (int64_t kk = k0; kk < k1; kk++) {
                int64_t e = kk - k0;
                for (int j = 0; j < 8; j++) {
                    uint8_t lo = 0, hi = 0;
                    int64_t r0 = p * NR + j, r1 = p * NR + j + 8;
                    if (r0 < n) lo = (codes[r0 * row_stride + b * (bs / 2) + e / 2] >> ((e & 1) * 4)) & 0x0F;
                    if (r1 < n) hi = (codes[r1 * row_stride + b * (bs / 2) + e / 2] >> ((e & 1) * 4)) & 0x0F;
                    dst[j] = (uint8_t)(lo | (hi << 4));
                }
                dst += 8;
            }
        }
    }
}

static void dequant_scalar(const uint8_t *src, int64_t k, int64_t bs, float *out) {
    for (int64_t k0 = 0; k0 < k; k0 += bs) {
        float header[2 * NR];
        memcpy(header, src, sizeof header);
        src += sizeof header;
        int64_t k1 = k0 + bs < k ? k0 + bs : k;
        for (int64_t kk = k0; kk < k1; kk++, src += 8) {
            for (int j = 0; j < 8; j++) {
                out[kk * NR + j] = ((float)(src[j] & 0x0F) - header[NR + j]) * header[j];
                out[kk * NR + j + 8] = ((float)(src[j] >> 4) - header[NR + j + 8]) * header[j + 8];
            }
        }
    }
}

static FRANCA_AVX2 void dequant_avx2(const uint8_t *src, int64_t k, int64_t bs, float *out) {
    const __m128i low4 = _mm_set1_epi8(0x0F);
    for (int64_t k0 = 0; k0 < k; k0 += bs) {
        const float *header = (const float *)src; /* 4-byte aligned: panels and headers are multiples of 8 bytes */
        __m256 s0 = _mm256_loadu_ps(header), s1 = _mm256_loadu_ps(header + 8);
        __m256 z0 = _mm256_loadu_ps(header + 16), z1 = _mm256_loadu_ps(header + 24);
        src += 2 * NR * sizeof(float);
        int64_t k1 = k0 + bs < k ? k0 + bs : k;
        for (int64_t kk = k0; kk < k1; kk++, src += 8) {
            __m128i v = _mm_loadl_epi64((const __m128i *)src);
            __m128i lo = _mm_and_si128(v, low4);
            __m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), low4);
            __m256 f0 = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(lo));
            __m256 f1 = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(hi));
            _mm256_storeu_ps(out + kk * NR, _mm256_mul_ps(_mm256_sub_ps(f0, z0), s0));
            _mm256_storeu_ps(out + kk * NR + 8, _mm256_mul_ps(_mm256_sub_ps(f1, z1), s1));
        }
    }
}

/* Per-thread dequantization buffer, freed when the thread exits. */
typedef struct { float *data; size_t count; } panel_buffer;
static pthread_key_t buffer_key;
static pthread_once_t buffer_once = PTHREAD_ONCE_INIT;

static void free_buffer(void *p) {
    panel_buffer *b = p;
    if (b) { free(b->data); free(b); }
}
static void make_key(void) { pthread_key_create(&buffer_key, free_buffer); }

static float *thread_buffer(size_t count) {
    pthread_once(&buffer_once, make_key);
    panel_buffer *b = pthread_getspecific(buffer_key);
    if (!b) {
        b = calloc(1, sizeof *b);
        if (!b) return NULL;
        pthread_setspecific(buffer_key, b);
    }
    if (b->count < count) {
        free(b->data);
        size_t bytes = (count * sizeof(float) + 63) & ~(size_t)63;
        b->data = aligned_alloc(64, bytes);
        b->count = b->data ? count : 0;
    }
    return b->data;
}

const float *franca_gemm_panels(const franca_gemm_args *g, int64_t p, int count, int32_t path) {
    if (!g->packed_q4) return g->packed_w + p * NR * g->k;
    float *buf = thread_buffer((size_t)count * NR * (size_t)g->k);
    if (!buf) abort(); /* out of memory for a few hundred KB: nothing sensible left to do */
    int64_t pb = panel_bytes(g->k, g->q4_block_size);
    for (int i = 0; i < count; i++) {
        const uint8_t *src = g->packed_q4 + (p + i) * pb;
        float *out = buf + (size_t)i * NR * (size_t)g->k;
        if (path >= FRANCA_PATH_AVX2) dequant_avx2(src, g->k, g->q4_block_size, out);
        else dequant_scalar(src, g->k, g->q4_block_size, out);
    }
    return buf;
}
