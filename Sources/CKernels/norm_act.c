// Row-wise LayerNorm (with fused residual add), exact GELU and softmax: scalar and AVX2 paths.
// The AVX-512 path uses the AVX2 code here: these loops are memory-bound on 384-wide rows.
#include "CKernels.h"
#include "gemm_internal.h"
#include "simd_math.h"

#include <math.h>

static void add_layernorm_scalar(float *x, const float *d, int64_t dim, const float *gamma, const float *beta, float eps) {
    float sum = 0.0f;
    for (int64_t i = 0; i < dim; i++) {
        if (d) x[i] += d[i];
        sum += x[i];
    }
    float mean = sum / (float)dim;
    float var = 0.0f;
    for (int64_t i = 0; i < dim; i++) var += (x[i] - mean) * (x[i] - mean);
    float inv = 1.0f / sqrtf(var / (float)dim + eps);
    for (int64_t i = 0; i < dim; i++) x[i] = (x[i] - mean) * inv * gamma[i] + beta[i];
}

static FRANCA_AVX2 void add_layernorm_avx2(float *x, const float *d, int64_t dim, const float *gamma, const float *beta, float eps) {
    __m256 s = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 8 <= dim; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        if (d) { v = _mm256_add_ps(v, _mm256_loadu_ps(d + i)); _mm256_storeu_ps(x + i, v); }
        s = _mm256_add_ps(s, v);
    }
    float sum = franca_hsum8(s);
    for (; i < dim; i++) {
        if (d) x[i] += d[i];
        sum += x[i];
    }
    float mean = sum / (float)dim;
    __m256 vm = _mm256_set1_ps(mean);
    __m256 q = _mm256_setzero_ps();
    for (i = 0; i + 8 <= dim; i += 8) {
        __m256 c = _mm256_sub_ps(_mm256_loadu_ps(x + i), vm);
        q = _mm256_fmadd_ps(c, c, q);
    }
    float var = franca_hsum8(q);
    for (; i < dim; i++) var += (x[i] - mean) * (x[i] - mean);
    float inv = 1.0f / sqrtf(var / (float)dim + eps);
    __m256 vi = _mm256_set1_ps(inv);
    for (i = 0; i + 8 <= dim; i += 8) {
        __m256 c = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i), vm), vi);
        _mm256_storeu_ps(x + i, _mm256_fmadd_ps(c, _mm256_loadu_ps(gamma + i), _mm256_loadu_ps(beta + i)));
    }
    for (; i < dim; i++) x[i] = (x[i] - mean) * inv * gamma[i] + beta[i];
}

void franca_add_layernorm(float *x, int64_t ldx, const float *delta, int64_t ld_delta, int64_t rows, int64_t dim,
                          const float *gamma, const float *beta, float eps, int32_t path) {
    path = franca_resolve_path(path);
    for (int64_t r = 0; r < rows; r++) {
        const float *d = delta ? delta + r * ld_delta : 0;
        if (path >= FRANCA_PATH_AVX2) add_layernorm_avx2(x + r * ldx, d, dim, gamma, beta, eps);
        else add_layernorm_scalar(x + r * ldx, d, dim, gamma, beta, eps);
    }
}

static FRANCA_AVX2 void gelu_avx2(float *x, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, franca_gelu8(_mm256_loadu_ps(x + i)));
    if (i < n) {
        __m256i m = franca_mask8((int)(n - i));
        _mm256_maskstore_ps(x + i, m, franca_gelu8(_mm256_maskload_ps(x + i, m)));
    }
}

void franca_gelu_resolved(float *x, int64_t n, int32_t path) {
    if (path >= FRANCA_PATH_AVX2) gelu_avx2(x, n);
    else for (int64_t i = 0; i < n; i++) x[i] = franca_gelu1(x[i]);
}

void franca_gelu(float *x, int64_t n, int32_t path) { franca_gelu_resolved(x, n, franca_resolve_path(path)); }

static void softmax_scalar(float *x, int64_t n) {
    float mx = -INFINITY;
    for (int64_t i = 0; i < n; i++) mx = x[i] > mx ? x[i] : mx;
    float sum = 0.0f;
    for (int64_t i = 0; i < n; i++) { x[i] = expf(x[i] - mx); sum += x[i]; }
    float inv = 1.0f / sum;
    for (int64_t i = 0; i < n; i++) x[i] *= inv;
}

static FRANCA_AVX2 void softmax_avx2(float *x, int64_t n) {
    int64_t i = 0;
    __m256 vmx = _mm256_set1_ps(-INFINITY);
    for (; i + 8 <= n; i += 8) vmx = _mm256_max_ps(vmx, _mm256_loadu_ps(x + i));
    float mx = franca_hmax8(vmx);
    for (; i < n; i++) mx = x[i] > mx ? x[i] : mx;
    __m256 vm = _mm256_set1_ps(mx), s = _mm256_setzero_ps();
    for (i = 0; i + 8 <= n; i += 8) {
        __m256 e = franca_exp8(_mm256_sub_ps(_mm256_loadu_ps(x + i), vm));
        _mm256_storeu_ps(x + i, e);
        s = _mm256_add_ps(s, e);
    }
    float sum = franca_hsum8(s);
    for (; i < n; i++) { x[i] = expf(x[i] - mx); sum += x[i]; }
    __m256 vi = _mm256_set1_ps(1.0f / sum);
    for (i = 0; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_loadu_ps(x + i), vi));
    for (; i < n; i++) x[i] *= 1.0f / sum;
}

void franca_softmax_rows(float *x, int64_t rows, int64_t cols, int64_t ldx, int32_t path) {
    path = franca_resolve_path(path);
    for (int64_t r = 0; r < rows; r++) {
        if (path >= FRANCA_PATH_AVX2) softmax_avx2(x + r * ldx, cols);
        else softmax_scalar(x + r * ldx, cols);
    }
}
