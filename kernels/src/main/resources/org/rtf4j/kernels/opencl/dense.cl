// RTF4J device kernels: dense layers of the model, GEMM and activations (built after common.cl; see ClSource).

// ---------------------------------------------------------------------------------------------- GEMM

// Batched C_o = alpha * op(A_b) op(B_b) + beta * C_o (row-major; element (r, q) of a stored matrix X is
// x[xOff + b * strideX + r * ldx + q]; A stored m x k, or k x m when transA; B k x n, or n x k when transB).
// reduce = 0: output o is batch o; reduce = 1: one output summing every batch. A work-group of ts x ts
// work-items computes a block of C of GEMM_R ts x GEMM_R ts elements (dimension 0: columns, dimension 1: rows,
// dimension 2: the output o; global = (ceil(n / (GEMM_R ts)) ts, ceil(m / (GEMM_R ts)) ts, outputs)); work-item
// (tx, ty) holds the GEMM_R x GEMM_R elements at rows ty + ts r and columns tx + ts q, so that its loads and
// stores are coalesced. Each element is one running sum over the batches and p in order (the JVM kernel's
// order), then alpha * s + beta * c (c not read when beta == 0). Per step of ts contracted indices the group
// stages op(A) (GEMM_R ts x ts, in as: GEMM_R ts (ts + 1) reals) and op(B) (ts x GEMM_R ts, in bs: ts (GEMM_R ts
// + 1) reals) in local memory, read along the stored rows whichever operand is transposed; the padding avoids
// bank conflicts. Elements outside A, B or C load zeros and store nothing.
#define GEMM_R 4
__kernel void gemm(__global const real* a, __global const real* b, __global real* c, const int transA,
                   const int transB, const int m, const int n, const int k, const int batch, const int lda,
                   const int ldb, const int ldc, const int aOff, const int bOff, const int cOff, const int strideA,
                   const int strideB, const int strideC, const int reduce, const real alpha, const real beta,
                   const int ts, __local real* as, __local real* bs) {
    int tx = get_local_id(0);
    int ty = get_local_id(1);
    int tile = GEMM_R * ts;
    int i0 = get_group_id(1) * tile;
    int j0 = get_group_id(0) * tile;
    int o = get_global_id(2);
    int lda2 = ts + 1;     // row length of as (tile rows x ts)
    int ldb2 = tile + 1;   // row length of bs (ts rows x tile)
    int b0 = reduce ? 0 : o;
    int b1 = reduce ? batch : o + 1;
    real acc[GEMM_R][GEMM_R];
    for (int r = 0; r < GEMM_R; r++) {
        for (int q = 0; q < GEMM_R; q++) {
            acc[r][q] = 0;
        }
    }
    for (int bb = b0; bb < b1; bb++) {
        int aBase = aOff + bb * strideA;
        int bBase = bOff + bb * strideB;
        for (int p0 = 0; p0 < k; p0 += ts) {
            for (int r = 0; r < GEMM_R; r++) {
                // as[il][pl] = op(A)[i0 + il][p0 + pl]
                if (transA) {
                    int il = tx + ts * r, p = p0 + ty, i = i0 + il;
                    as[il * lda2 + ty] = (p < k && i < m) ? a[aBase + p * lda + i] : (real) 0;
                } else {
                    int il = ty + ts * r, p = p0 + tx, i = i0 + il;
                    as[il * lda2 + tx] = (p < k && i < m) ? a[aBase + i * lda + p] : (real) 0;
                }
                // bs[pl][jl] = op(B)[p0 + pl][j0 + jl]
                if (transB) {
                    int jl = ty + ts * r, p = p0 + tx, j = j0 + jl;
                    bs[tx * ldb2 + jl] = (p < k && j < n) ? b[bBase + j * ldb + p] : (real) 0;
                } else {
                    int jl = tx + ts * r, p = p0 + ty, j = j0 + jl;
                    bs[ty * ldb2 + jl] = (p < k && j < n) ? b[bBase + p * ldb + j] : (real) 0;
                }
            }
            barrier(CLK_LOCAL_MEM_FENCE);
            int kt = min(ts, k - p0);
            for (int t = 0; t < kt; t++) {
                real av[GEMM_R];
                real bv[GEMM_R];
                for (int r = 0; r < GEMM_R; r++) {
                    av[r] = as[(ty + ts * r) * lda2 + t];
                    bv[r] = bs[t * ldb2 + tx + ts * r];
                }
                for (int r = 0; r < GEMM_R; r++) {
                    for (int q = 0; q < GEMM_R; q++) {
                        acc[r][q] = acc[r][q] + av[r] * bv[q];
                    }
                }
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
    }
    for (int r = 0; r < GEMM_R; r++) {
        int i = i0 + ty + ts * r;
        for (int q = 0; q < GEMM_R; q++) {
            int j = j0 + tx + ts * q;
            if (i < m && j < n) {
                int at = cOff + o * strideC + i * ldc + j;
                c[at] = beta == 0 ? alpha * acc[r][q] : alpha * acc[r][q] + beta * c[at];
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------- activations

// GELU, tanh form, with one exp (the JVM kernel's formulas): u = c (x + 0.044715 x^3), c = sqrt(2 / pi),
// w = exp(-2 |u|) (never overflows), r = 1 / (1 + w), s = sigma(2u) = (1 + tanh u) / 2 = r (u >= 0) or w r
// (u < 0), s (1 - s) = w r^2 either way (no cancellation); gelu(x) = x s, gelu'(x) = s + 2 x (w r^2) c
// (1 + 3 0.044715 x^2).
#define GELU_C ((real) 0.7978845608028654)
#define GELU_A ((real) 0.044715)

// sigma(v) as the JVM computes it: e = exp(-|v|), 1 / (1 + e) for v >= 0, e / (1 + e) otherwise (no overflow).
inline real sigmoidOf(real v) {
    real e = exp(-fabs(v));
    return v >= 0 ? (real) 1 / ((real) 1 + e) : e / ((real) 1 + e);
}

// y[i] = gelu(x[i]), i < count; y may be x. Global (count).
__kernel void gelu(__global const real* x, __global real* y, const int count) {
    int i = get_global_id(0);
    if (i >= count) return;
    real v = x[i];
    real u = GELU_C * (v + GELU_A * v * v * v);
    real w = exp((real) -2 * fabs(u));
    real r = (real) 1 / ((real) 1 + w);
    y[i] = v * (u >= 0 ? r : w * r);
}

// dx[i] = dy[i] gelu'(x[i]), i < count; any of the buffers may be the same. Global (count).
__kernel void geluBackward(__global const real* x, __global const real* dy, __global real* dx, const int count) {
    int i = get_global_id(0);
    if (i >= count) return;
    real v = x[i];
    real u = GELU_C * (v + GELU_A * v * v * v);
    real w = exp((real) -2 * fabs(u));
    real r = (real) 1 / ((real) 1 + w);
    real s = u >= 0 ? r : w * r;
    real d = s + (real) 2 * v * (w * r * r) * GELU_C * ((real) 1 + (real) 3 * GELU_A * v * v);
    dx[i] = dy[i] * d;
}

// GLU over the channel axis: x (B, 2 hc, length) to y (B, hc, length), y[r, t] = a sigma(g) with row
// r = b hc + h, a = x[b, h, t], g = x[b, h + hc, t]. y is not x. Global (length, B hc).
__kernel void glu(__global const real* x, __global real* y, const int length, const int hc) {
    int t = get_global_id(0);
    int r = get_global_id(1);
    if (t >= length) return;
    size_t ia = ((size_t) r + (size_t) (r / hc) * hc) * length + t;
    size_t ig = ia + (size_t) hc * length;
    y[(size_t) r * length + t] = x[ia] * sigmoidOf(x[ig]);
}

// GLU backward: dx_a = dy sigma(g), dx_g = dy a sigma(g) (1 - sigma(g)) at the positions of glu; dx is neither
// x nor dy. Global (length, B hc).
__kernel void gluBackward(__global const real* x, __global const real* dy, __global real* dx, const int length,
                          const int hc) {
    int t = get_global_id(0);
    int r = get_global_id(1);
    if (t >= length) return;
    size_t ia = ((size_t) r + (size_t) (r / hc) * hc) * length + t;
    size_t ig = ia + (size_t) hc * length;
    real s = sigmoidOf(x[ig]);
    real g = dy[(size_t) r * length + t];
    dx[ia] = g * s;
    dx[ig] = g * x[ia] * s * ((real) 1 - s);
}
