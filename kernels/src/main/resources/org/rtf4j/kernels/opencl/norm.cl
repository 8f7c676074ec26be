// RTF4J device kernels: normalisation and dropout of the model (built after common.cl; see ClSource).
// LayerNorm, BatchNorm over the valid positions, the padding mask, and dropout with Philox4x32-10 masks.
// The formulas are the JVM kernels' (JvmNormsF64); sums over positions run in the JVM's fixed order (a row
// (b, c) in chunks of NORM_CHUNK positions, then the rows of a channel in order of b), one work-item per chunk
// and per channel, so the results do not depend on the launch. Lengths are `__global const int*` of B values clamped
// to [0, length]; hasLengths = 0 means every position is valid (the buffer is then not read).

// No contraction of a*b + c into fma in this file (restored at its end): the JVM rounds every product, and
// LayerNorm's dx subtracts nearly equal terms (dy gamma - m1, exactly 0 for one channel) that a fused product
// would leave as a rounding residue amplified by invStd (up to 1/sqrt(eps) = 316).
#pragma OPENCL FP_CONTRACT OFF

#define NORM_EPS ((real) 1e-5)
#define NORM_MOMENTUM ((real) 0.1)
#define NORM_CHUNK 64

// valid positions of signal b
inline int normValid(__global const int* lengths, const int hasLengths, const int b, const int length) {
    return hasLengths ? clamp(lengths[b], 0, length) : length;
}

// valid positions of the whole batch
inline int normCount(__global const int* lengths, const int hasLengths, const int batch, const int length) {
    int n = 0;
    for (int b = 0; b < batch; b++) {
        n += normValid(lengths, hasLengths, b, length);
    }
    return n;
}

// ---------------------------------------------------------------------------------------------- LayerNorm

// LayerNorm at position p = b length + t over the channels (stride length), as the JVM: mean and variance in
// channel order, invStd = 1 / sqrt(var + eps), y = gamma (x - mean) invStd + beta; y may be x. Global (B length).
__kernel void layerNorm(__global const real* x, __global const real* gamma, __global const real* beta,
                        __global real* y, __global real* mean, __global real* invStd, const int channels,
                        const int length, const int positions) {
    int p = get_global_id(0);
    if (p >= positions) return;
    int b = p / length;
    int t = p - b * length;
    size_t base = (size_t) b * channels * length + t;
    real s = 0;
    for (int h = 0; h < channels; h++) {
        s += x[base + (size_t) h * length];
    }
    real m = s / channels;
    real v = 0;
    for (int h = 0; h < channels; h++) {
        real d = x[base + (size_t) h * length] - m;
        v += d * d;
    }
    real is = (real) 1 / sqrt(v / channels + NORM_EPS);
    mean[p] = m;
    invStd[p] = is;
    for (int h = 0; h < channels; h++) {
        size_t i = base + (size_t) h * length;
        real xh = (x[i] - m) * is;
        y[i] = gamma[h] * xh + beta[h];
    }
}

// LayerNorm's dx at position p: g = dy gamma, m1 = sum_c g / C, m2 = sum_c g xh / C, dx = invStd (g - m1 - xh m2);
// dx may be dy (every dy of the position is read before its dx are written). Global (B length).
__kernel void layerNormBackward(__global const real* x, __global const real* gamma, __global const real* mean,
                                __global const real* invStd, __global const real* dy, __global real* dx,
                                const int channels, const int length, const int positions) {
    int p = get_global_id(0);
    if (p >= positions) return;
    int b = p / length;
    int t = p - b * length;
    size_t base = (size_t) b * channels * length + t;
    real m = mean[p];
    real is = invStd[p];
    real m1 = 0;
    real m2 = 0;
    for (int h = 0; h < channels; h++) {
        size_t i = base + (size_t) h * length;
        real xh = (x[i] - m) * is;
        real g = dy[i] * gamma[h];
        m1 += g;
        m2 += g * xh;
    }
    m1 /= channels;
    m2 /= channels;
    for (int h = 0; h < channels; h++) {
        size_t i = base + (size_t) h * length;
        real xh = (x[i] - m) * is;
        dx[i] = is * (dy[i] * gamma[h] - m1 - xh * m2);
    }
}

// ------------------------------------------------------------------------------------- sums over positions

// The JVM's order of a sum over positions: row (b, h) in chunks of NORM_CHUNK positions, each chunk in order
// (one work-item per chunk here, global (chunks, B C)), the chunk sums of the row in order from 0 (rowTotal),
// the row totals of a channel in order of b from 0 (one work-item per channel).

// Row r's total: its valid chunk partials (j NORM_CHUNK < v) of part (rows x chunks) in order.
inline real rowTotal(__global const real* part, const int r, const int chunks, const int v) {
    real s = 0;
    for (int j = 0; j * NORM_CHUNK < v; j++) {
        s += part[(size_t) r * chunks + j];
    }
    return s;
}

// Chunk partials of the parameter gradients for chunk j of row r = (b, h), over its valid positions:
// partA = sum dy xh, partB = sum dy, xh = (x - mean) invStd with the statistics per position (perPosition,
// LayerNorm: index b length + t) or per channel (BatchNorm: index h). Global (chunks, B C).
__kernel void normChunkSums(__global const real* x, __global const real* dy, __global const real* mean,
                            __global const real* invStd, __global const int* lengths, __global real* partA,
                            __global real* partB, const int channels, const int length, const int chunks,
                            const int perPosition, const int hasLengths) {
    int j = get_global_id(0);
    int r = get_global_id(1);
    if (j >= chunks) return;
    int b = r / channels;
    int h = r - b * channels;
    int v = normValid(lengths, hasLengths, b, length);
    size_t row = (size_t) r * length;
    size_t o = (size_t) b * length;
    int t0 = j * NORM_CHUNK;
    int t1 = min(v, t0 + NORM_CHUNK);
    real cg = 0;
    real cb = 0;
    for (int t = t0; t < t1; t++) {
        real g = dy[row + t];
        real xh = perPosition ? (x[row + t] - mean[o + t]) * invStd[o + t] : (x[row + t] - mean[h]) * invStd[h];
        cg += g * xh;
        cb += g;
    }
    partA[(size_t) r * chunks + j] = cg;
    partB[(size_t) r * chunks + j] = cb;
}

// Per channel h the row totals of partA, partB in order of b, added to dGamma (partA) and dBeta (partB); with keep
// the totals and the count of valid positions go to sums (sums[h] = total A, sums[C + h] = total B,
// sums[2C + h] = n). Global (C).
__kernel void channelTotals(__global const real* partA, __global const real* partB, __global const int* lengths,
                            __global real* dGamma, __global real* dBeta, __global real* sums, const int batch,
                            const int channels, const int length, const int chunks, const int hasLengths,
                            const int keep) {
    int h = get_global_id(0);
    if (h >= channels) return;
    real sa = 0;
    real sb = 0;
    for (int b = 0; b < batch; b++) {
        int v = normValid(lengths, hasLengths, b, length);
        sa += rowTotal(partA, b * channels + h, chunks, v);
        sb += rowTotal(partB, b * channels + h, chunks, v);
    }
    dGamma[h] += sa;
    dBeta[h] += sb;
    if (keep) {
        sums[h] = sa;
        sums[channels + h] = sb;
        sums[2 * channels + h] = (real) normCount(lengths, hasLengths, batch, length);
    }
}

// ---------------------------------------------------------------------------------------------- BatchNorm

// Chunk j of row r over its valid positions: the sum of x (centred = 0) or of (x - centre[h])^2. Global (chunks, B C).
__kernel void validChunkSums(__global const real* x, __global const int* lengths, __global const real* centre,
                             __global real* part, const int channels, const int length, const int chunks,
                             const int hasLengths, const int centred) {
    int j = get_global_id(0);
    int r = get_global_id(1);
    if (j >= chunks) return;
    int b = r / channels;
    int h = r - b * channels;
    int v = normValid(lengths, hasLengths, b, length);
    size_t row = (size_t) r * length;
    real m = centred ? centre[h] : (real) 0;
    int t0 = j * NORM_CHUNK;
    int t1 = min(v, t0 + NORM_CHUNK);
    real cs = 0;
    for (int t = t0; t < t1; t++) {
        if (centred) {
            real d = x[row + t] - m;
            cs += d * d;
        } else {
            cs += x[row + t];
        }
    }
    part[(size_t) r * chunks + j] = cs;
}

// BatchNorm's mean of channel h: training the row totals of part in order of b over n, eval the running mean. Global (C).
__kernel void batchNormMean(__global const real* part, __global const int* lengths, __global const real* runningMean,
                            __global real* mean, const int batch, const int channels, const int length,
                            const int chunks, const int hasLengths, const int training) {
    int h = get_global_id(0);
    if (h >= channels) return;
    if (training) {
        real s = 0;
        for (int b = 0; b < batch; b++) {
            s += rowTotal(part, b * channels + h, chunks, normValid(lengths, hasLengths, b, length));
        }
        mean[h] = s / (real) normCount(lengths, hasLengths, batch, length);
    } else {
        mean[h] = runningMean[h];
    }
}

// BatchNorm's variance of channel h (training: v = the row totals of part in order of b, var = v / n, running statistics updated with the
// unbiased v / (n - 1), var itself when n = 1; eval: the running variance) and invStd = 1 / sqrt(var + eps).
// Global (C).
__kernel void batchNormVariance(__global const real* part, __global const int* lengths, __global const real* mean,
                                __global real* runningMean, __global real* runningVar, __global real* invStd,
                                const int batch, const int channels, const int length, const int chunks,
                                const int hasLengths, const int training) {
    int h = get_global_id(0);
    if (h >= channels) return;
    real var;
    if (training) {
        int n = normCount(lengths, hasLengths, batch, length);
        real v = 0;
        for (int b = 0; b < batch; b++) {
            v += rowTotal(part, b * channels + h, chunks, normValid(lengths, hasLengths, b, length));
        }
        var = v / (real) n;
        runningMean[h] = ((real) 1 - NORM_MOMENTUM) * runningMean[h] + NORM_MOMENTUM * mean[h];
        runningVar[h] = ((real) 1 - NORM_MOMENTUM) * runningVar[h] + NORM_MOMENTUM * (n > 1 ? v / (real) (n - 1) : var);
    } else {
        var = runningVar[h];
    }
    invStd[h] = (real) 1 / sqrt(var + NORM_EPS);
}

// y = gamma (x - mean) invStd + beta at every position, with the statistics of the channel; y may be x.
// Global (length, B C).
__kernel void normApply(__global const real* x, __global const real* gamma, __global const real* beta,
                        __global const real* mean, __global const real* invStd, __global real* y, const int channels,
                        const int length) {
    int t = get_global_id(0);
    int r = get_global_id(1);
    if (t >= length) return;
    int h = r % channels;
    size_t i = (size_t) r * length + t;
    real xh = (x[i] - mean[h]) * invStd[h];
    y[i] = gamma[h] * xh + beta[h];
}

// BatchNorm's dx: with sums of channelTotals (sum dy xh, sum dy, n), gamma invStd (dy - sdy / n - xh sdyx / n) at
// valid positions in training, gamma invStd dy elsewhere; dx may be dy. Global (length, B C).
__kernel void batchNormBackward(__global const real* x, __global const int* lengths, __global const real* gamma,
                                __global const real* mean, __global const real* invStd, __global const real* dy,
                                __global real* dx, __global const real* sums, const int channels, const int length,
                                const int hasLengths, const int training) {
    int t = get_global_id(0);
    int r = get_global_id(1);
    if (t >= length) return;
    int b = r / channels;
    int h = r - b * channels;
    size_t i = (size_t) r * length + t;
    real is = invStd[h];
    real g = gamma[h];
    if (training && t < normValid(lengths, hasLengths, b, length)) {
        real n = sums[2 * channels + h];
        real xh = (x[i] - mean[h]) * is;
        dx[i] = g * is * (dy[i] - sums[channels + h] / n - xh * sums[h] / n);
    } else {
        dx[i] = g * is * dy[i];
    }
}

// Zeroes x at t >= lengths[b] (row r = (b, h)). Global (length, B C).
__kernel void maskPadding(__global real* x, __global const int* lengths, const int channels, const int length) {
    int t = get_global_id(0);
    int r = get_global_id(1);
    if (t >= length) return;
    if (t >= clamp(lengths[r / channels], 0, length)) {
        x[(size_t) r * length + t] = 0;
    }
}

// ---------------------------------------------------------------------------------------------- dropout

// Philox4x32-10 (Salmon et al. 2011, Random123), integer only: the JVM's org.rtf4j.kernels.dense.Philox.
#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

inline uint4 philox4x32_10(uint4 c, uint k0, uint k1) {
    for (int r = 0; r < 10; r++) {
        if (r > 0) {
            k0 += PHILOX_W0;
            k1 += PHILOX_W1;
        }
        uint hi0 = mul_hi(PHILOX_M0, c.x);
        uint lo0 = PHILOX_M0 * c.x;
        uint hi1 = mul_hi(PHILOX_M1, c.z);
        uint lo1 = PHILOX_M1 * c.z;
        c = (uint4) (hi1 ^ c.y ^ k0, lo1, hi0 ^ c.w ^ k1, lo0);
    }
    return c;
}

// Word j (0..3) of w.
inline uint philoxWord(const uint4 w, const int j) {
    return j == 0 ? w.x : j == 1 ? w.y : j == 2 ? w.z : w.w;
}

// Dropout, one decision per element (DropoutShape's mask): work-item q draws Philox of counter (q, layer, step0,
// step1) and key (key0, key1) and treats elements 4q .. 4q + 3 (< count): out = in scale where the top 24 bits of
// word j are >= threshold, in 0 elsewhere; out may be in. Global (ceil(count / 4)).
__kernel void dropout(__global const real* in, __global real* out, const int count, const int threshold,
                      const int layer, const int step0, const int step1, const int key0, const int key1,
                      const real scale) {
    int q = get_global_id(0);
    int i0 = 4 * q;
    if (i0 >= count) return;
    int e = min(count, i0 + 4);
    if (threshold == 0) {  // p = 0: every element kept, no draw needed
        for (int i = i0; i < e; i++) {
            out[i] = in[i] * scale;
        }
        return;
    }
    uint4 w = philox4x32_10((uint4) ((uint) q, (uint) layer, (uint) step0, (uint) step1), (uint) key0, (uint) key1);
    for (int i = i0; i < e; i++) {
        real m = (philoxWord(w, i - i0) >> 8) >= (uint) threshold ? scale : (real) 0;
        out[i] = in[i] * m;
    }
}

// Dropout tied over the length axis: one decision per row r = (b, c), mask index r. Global (length, B C).
__kernel void dropoutTied(__global const real* in, __global real* out, const int length, const int threshold,
                          const int layer, const int step0, const int step1, const int key0, const int key1,
                          const real scale) {
    int t = get_global_id(0);
    int r = get_global_id(1);
    if (t >= length) return;
    size_t i = (size_t) r * length + t;
    if (threshold == 0) {  // p = 0: every element kept, no draw needed
        out[i] = in[i] * scale;
        return;
    }
    uint4 w = philox4x32_10((uint4) ((uint) r >> 2, (uint) layer, (uint) step0, (uint) step1), (uint) key0, (uint) key1);
    real m = (philoxWord(w, r & 3) >> 8) >= (uint) threshold ? scale : (real) 0;
    out[i] = in[i] * m;
}

#pragma OPENCL FP_CONTRACT ON
