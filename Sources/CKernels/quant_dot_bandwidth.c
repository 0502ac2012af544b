// Streaming read of a large buffer over the pool: the memory-bandwidth ceiling a matrix-vector product can reach.
#include "franca_quant.h"
#include "quant_dot_simd.h"

#define STREAM_CHUNK (1 << 20)

typedef struct {
    const uint8_t *buf;
    int64_t bytes;
    uint64_t sums[64];
} stream_ctx;

static FQ_AVX2 uint64_t read_avx2(const uint8_t *p, int64_t n) {
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
    int64_t i = 0;
    for (; i + 128 <= n; i += 128) {
        a0 = _mm256_xor_si256(a0, _mm256_load_si256((const __m256i *)(p + i)));
        a1 = _mm256_xor_si256(a1, _mm256_load_si256((const __m256i *)(p + i + 32)));
        a2 = _mm256_xor_si256(a2, _mm256_load_si256((const __m256i *)(p + i + 64)));
        a3 = _mm256_xor_si256(a3, _mm256_load_si256((const __m256i *)(p + i + 96)));
    }
    __m256i a = _mm256_xor_si256(_mm256_xor_si256(a0, a1), _mm256_xor_si256(a2, a3));
    uint64_t s = (uint64_t)_mm256_extract_epi64(a, 0) ^ (uint64_t)_mm256_extract_epi64(a, 1) ^
                 (uint64_t)_mm256_extract_epi64(a, 2) ^ (uint64_t)_mm256_extract_epi64(a, 3);
    for (; i < n; i++) s ^= p[i];
    return s;
}

static uint64_t read_scalar(const uint8_t *p, int64_t n) {
    uint64_t s = 0;
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, p + i, 8);
        s ^= v;
    }
    for (; i < n; i++) s ^= p[i];
    return s;
}

static void stream_task(void *ctx, int64_t task, int32_t worker) {
    stream_ctx *c = ctx;
    int64_t off = task * STREAM_CHUNK;
    int64_t n = c->bytes - off < STREAM_CHUNK ? c->bytes - off : STREAM_CHUNK;
    uint64_t s = franca_quant_avx2_supported() && ((uintptr_t)(c->buf + off) & 31) == 0 ? read_avx2(c->buf + off, n)
                                                                                       : read_scalar(c->buf + off, n);
    c->sums[worker & 63] ^= s;
}

uint64_t franca_stream_read(franca_pool *pool, const void *buf, int64_t bytes) {
    stream_ctx c;
    memset(&c, 0, sizeof c);
    c.buf = buf;
    c.bytes = bytes;
    franca_pool_run(pool, stream_task, &c, (bytes + STREAM_CHUNK - 1) / STREAM_CHUNK);
    uint64_t s = 0;
    for (int i = 0; i < 64; i++) s ^= c.sums[i];
    return s;
}
