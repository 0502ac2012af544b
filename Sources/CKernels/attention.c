// Multi-head self-attention over packed variable-length sequences: one task per (sequence, head).
// Masked keys get probability exactly 0; a query whose keys are all masked gets a zero output.
#include "CKernels.h"
#include "simd_math.h"

#include <math.h>

static int64_t padded_len(int64_t len) { return (len + 7) & ~(int64_t)7; }

size_t franca_attention_scratch_count(int64_t max_len, int64_t head_dim) {
    int64_t lp = padded_len(max_len);
    return (size_t)(lp * head_dim + 5 * lp + 16);
}

static void head_scalar(const franca_attention_args *g, int64_t start, int64_t len, int64_t h, float *scratch) {
    int64_t dh = g->head_dim, hidden = g->heads * dh;
    float *scores = scratch;
    for (int64_t i = 0; i < len; i++) {
        const float *q = g->qkv + (start + i) * g->ld_qkv + h * dh;
        float mx = -INFINITY;
        for (int64_t j = 0; j < len; j++) {
            if (!g->key_keep[start + j]) { scores[j] = -INFINITY; continue; }
            const float *k = g->qkv + (start + j) * g->ld_qkv + hidden + h * dh;
            float s = 0.0f;
            for (int64_t d = 0; d < dh; d++) s += q[d] * k[d];
            scores[j] = s * g->scale;
            if (scores[j] > mx) mx = scores[j];
        }
        float *o = g->out + (start + i) * g->ld_out + h * dh;
        for (int64_t d = 0; d < dh; d++) o[d] = 0.0f;
        if (mx == -INFINITY) continue;
        float sum = 0.0f;
        for (int64_t j = 0; j < len; j++) {
            scores[j] = scores[j] == -INFINITY ? 0.0f : expf(scores[j] - mx);
            sum += scores[j];
        }
        float inv = 1.0f / sum;
        for (int64_t j = 0; j < len; j++) {
            if (scores[j] == 0.0f) continue;
            const float *v = g->qkv + (start + j) * g->ld_qkv + 2 * hidden + h * dh;
            float p = scores[j] * inv;
            for (int64_t d = 0; d < dh; d++) o[d] += p * v[d];
        }
    }
}

/// AVX2 path for head_dim a multiple of 8 (≤ 64): K is transposed into scratch (pre-scaled), four queries at a time
/// get their scores with broadcast FMAs, then a vector softmax and a weighted sum of V rows.
static inline __attribute__((always_inline)) FRANCA_AVX2 void
head_avx2_impl(const franca_attention_args *g, int64_t start, int64_t len, int64_t h, float *scratch, const int64_t dh) {
    int64_t hidden = g->heads * dh, lp = padded_len(len);
    float *kt = scratch;            /* [dh][lp] */
    float *scores = kt + dh * lp;   /* [4][lp] */
    float *keepf = scores + 4 * lp; /* [lp]: 1 where key j may be attended to */
    for (int64_t j = 0; j < lp; j++) keepf[j] = (j < len && g->key_keep[start + j]) ? 1.0f : 0.0f;
    for (int64_t j = 0; j < lp; j++) {
        if (j < len) {
            const float *k = g->qkv + (start + j) * g->ld_qkv + hidden + h * dh;
            for (int64_t d = 0; d < dh; d++) kt[d * lp + j] = k[d] * g->scale;
        } else {
            for (int64_t d = 0; d < dh; d++) kt[d * lp + j] = 0.0f;
        }
    }
    const __m256 neg_inf = _mm256_set1_ps(-INFINITY);
    for (int64_t i0 = 0; i0 < len; i0 += 4) {
        int nq = (int)(len - i0 < 4 ? len - i0 : 4);
        const float *q[4];
        for (int r = 0; r < 4; r++) q[r] = g->qkv + (start + i0 + (r < nq ? r : 0)) * g->ld_qkv + h * dh;
        /* scores[r][j] = Σ_d q_r[d] · kt[d][j] */
        for (int64_t jb = 0; jb < lp; jb += 8) {
            __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps(), acc2 = _mm256_setzero_ps(), acc3 = _mm256_setzero_ps();
            for (int64_t d = 0; d < dh; d++) {
                __m256 kv = _mm256_loadu_ps(kt + d * lp + jb);
                acc0 = _mm256_fmadd_ps(_mm256_broadcast_ss(q[0] + d), kv, acc0);
                acc1 = _mm256_fmadd_ps(_mm256_broadcast_ss(q[1] + d), kv, acc1);
                acc2 = _mm256_fmadd_ps(_mm256_broadcast_ss(q[2] + d), kv, acc2);
                acc3 = _mm256_fmadd_ps(_mm256_broadcast_ss(q[3] + d), kv, acc3);
            }
            /* keep mask: lanes j < len with key_keep set */
            __m256 keep = _mm256_cmp_ps(_mm256_loadu_ps(keepf + jb), _mm256_setzero_ps(), _CMP_NEQ_OQ);
            _mm256_storeu_ps(scores + 0 * lp + jb, _mm256_blendv_ps(neg_inf, acc0, keep));
            _mm256_storeu_ps(scores + 1 * lp + jb, _mm256_blendv_ps(neg_inf, acc1, keep));
            _mm256_storeu_ps(scores + 2 * lp + jb, _mm256_blendv_ps(neg_inf, acc2, keep));
            _mm256_storeu_ps(scores + 3 * lp + jb, _mm256_blendv_ps(neg_inf, acc3, keep));
        }
        /* softmax numerators in place; inv[r] = 1 / sum (0 when every key is masked) */
        float inv[4] = {0, 0, 0, 0};
        for (int r = 0; r < nq; r++) {
            float *s = scores + r * lp;
            __m256 vmx = neg_inf;
            for (int64_t jb = 0; jb < lp; jb += 8) vmx = _mm256_max_ps(vmx, _mm256_loadu_ps(s + jb));
            float mx = franca_hmax8(vmx);
            if (mx == -INFINITY) {
                for (int64_t jb = 0; jb < lp; jb += 8) _mm256_storeu_ps(s + jb, _mm256_setzero_ps());
                continue;
            }
            __m256 vm = _mm256_set1_ps(mx), vs = _mm256_setzero_ps();
            for (int64_t jb = 0; jb < lp; jb += 8) {
                __m256 e = franca_exp8(_mm256_sub_ps(_mm256_loadu_ps(s + jb), vm)); /* -inf → 0 */
                _mm256_storeu_ps(s + jb, e);
                vs = _mm256_add_ps(vs, e);
            }
            inv[r] = 1.0f / franca_hsum8(vs);
        }
        /* out_r = inv[r] · Σ_j p_rj · v_j, two query rows at a time so each V load feeds two FMAs */
        for (int r = 0; r < nq; r += 2) {
            const float *p0 = scores + r * lp, *p1 = scores + (r + 1) * lp; /* row r+1 may be a dummy (r+1 == nq) */
            for (int64_t v0 = 0; v0 < dh; v0 += 32) {
                int nv = (int)((dh - v0) / 8 < 4 ? (dh - v0) / 8 : 4);
                __m256 a0[4], a1[4];
                for (int v = 0; v < 4; v++) { a0[v] = _mm256_setzero_ps(); a1[v] = _mm256_setzero_ps(); }
                for (int64_t j = 0; j < len; j++) {
                    const float *vr = g->qkv + (start + j) * g->ld_qkv + 2 * hidden + h * dh + v0;
                    __m256 b0 = _mm256_broadcast_ss(p0 + j), b1 = _mm256_broadcast_ss(p1 + j);
                    for (int v = 0; v < nv; v++) {
                        __m256 x = _mm256_loadu_ps(vr + 8 * v);
                        a0[v] = _mm256_fmadd_ps(b0, x, a0[v]);
                        a1[v] = _mm256_fmadd_ps(b1, x, a1[v]);
                    }
                }
                float *o0 = g->out + (start + i0 + r) * g->ld_out + h * dh + v0;
                __m256 s0 = _mm256_set1_ps(inv[r]);
                for (int v = 0; v < nv; v++) _mm256_storeu_ps(o0 + 8 * v, _mm256_mul_ps(a0[v], s0));
                if (r + 1 < nq) {
                    float *o1 = g->out + (start + i0 + r + 1) * g->ld_out + h * dh + v0;
                    __m256 s1 = _mm256_set1_ps(inv[r + 1]);
                    for (int v = 0; v < nv; v++) _mm256_storeu_ps(o1 + 8 * v, _mm256_mul_ps(a1[v], s1));
                }
            }
        }
    }
}

/// Head sizes 32 and 64 get their own copies with the loops over head_dim unrolled and accumulators in registers.
static FRANCA_AVX2 void head_avx2_32(const franca_attention_args *g, int64_t start, int64_t len, int64_t h, float *scratch) {
    head_avx2_impl(g, start, len, h, scratch, 32);
}
static FRANCA_AVX2 void head_avx2_64(const franca_attention_args *g, int64_t start, int64_t len, int64_t h, float *scratch) {
    head_avx2_impl(g, start, len, h, scratch, 64);
}
static FRANCA_AVX2 void head_avx2(const franca_attention_args *g, int64_t start, int64_t len, int64_t h, float *scratch) {
    if (g->head_dim == 32) head_avx2_32(g, start, len, h, scratch);
    else if (g->head_dim == 64) head_avx2_64(g, start, len, h, scratch);
    else head_avx2_impl(g, start, len, h, scratch, g->head_dim);
}

typedef struct {
    const franca_attention_args *args;
    int32_t path;
} attention_job;

static void attention_task(void *ctx, int64_t task, int32_t worker) {
    const attention_job *job = ctx;
    const franca_attention_args *g = job->args;
    int64_t s = task / g->heads, h = task % g->heads;
    int64_t start = g->seq_start[s], len = g->seq_start[s + 1] - start;
    if (len <= 0) return;
    float *scratch = g->scratch + (size_t)worker * franca_attention_scratch_count(g->max_len, g->head_dim);
    if (job->path >= FRANCA_PATH_AVX2 && g->head_dim % 8 == 0 && g->head_dim <= 64)
        head_avx2(g, start, len, h, scratch);
    else
        head_scalar(g, start, len, h, scratch);
}

void franca_attention(franca_pool *pool, const franca_attention_args *args) {
    attention_job job = {args, franca_resolve_path(args->path)};
    franca_pool_run(pool, attention_task, &job, args->seqs * args->heads);
}
