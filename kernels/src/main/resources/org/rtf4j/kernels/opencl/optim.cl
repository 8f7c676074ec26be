// RTF4J device kernels: optimiser and linear-algebra glue (issue 15) — bias add and gradient, axpy, squared norms,
// the AdamW update (built after common.cl; see ClSource). The JVM twin is JvmOptimF64; both follow the same
// summation orders, so that only a fused multiply-add or the device's sqrt and division can tell them apart.

// The blocked sum: a range is cut into chunks of OPT_CHUNK elements; in a chunk, lane j < OPT_LANES adds its elements
// j, j + OPT_LANES, ... (at most OPT_DEPTH) in order from 0; the lane sums are added in the tree
// s[j] += s[j + h], h = OPT_LANES / 2 .. 1; the chunk sums in chunk order from 0.
#define OPT_LANES 256
#define OPT_DEPTH 32
#define OPT_CHUNK (OPT_LANES * OPT_DEPTH)

// The blocked sum of one chunk x[from .. to) (to - from <= OPT_CHUNK), of the squares when square, by the whole
// work-group (any size up to OPT_LANES: work item lid takes lanes lid, lid + size, ...) in sums (OPT_LANES reals of
// local memory). Every work item of the group must call it; each gets the chunk's sum, and sums may be reused after.
inline real chunkSum(__global const real* x, size_t from, size_t to, int square, __local real* sums) {
    int lid = get_local_id(0);
    int g = get_local_size(0);
    for (int j = lid; j < OPT_LANES; j += g) {
        real acc = 0;
        for (size_t i = from + j; i < to; i += OPT_LANES) {
            real v = x[i];
            acc += square ? v * v : v;
        }
        sums[j] = acc;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = OPT_LANES / 2; h >= 1; h >>= 1) {
        for (int j = lid; j < h; j += g) {
            sums[j] += sums[j + h];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    real s = sums[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return s;
}

// y[r, t] = bias[r % channels] (+ y[r, t] when accumulate) on rows r = b channels + c of length positions; y is not
// bias. Global (length, B channels).
__kernel void biasAdd(__global const real* bias, __global real* y, const int length, const int channels,
                      const int accumulate) {
    int t = get_global_id(0);
    int r = get_global_id(1);
    if (t >= length) return;
    size_t i = (size_t) r * length + t;
    real b = bias[r % channels];
    y[i] = accumulate ? b + y[i] : b;
}

// rowSums[r] = the blocked sum of dy[r length .. (r + 1) length): its chunks' sums in order from 0. One work-group
// per row: global (rows size), local (size); sums: OPT_LANES reals.
__kernel void biasRowSums(__global const real* dy, __global real* rowSums, const int length, __local real* sums) {
    int r = get_group_id(0);
    size_t from = (size_t) r * length;
    size_t end = from + length;
    real s = 0;
    for (size_t c = from; c < end; c += OPT_CHUNK) {
        s += chunkSum(dy, c, min(c + OPT_CHUNK, end), 0, sums);
    }
    if (get_local_id(0) == 0) rowSums[r] = s;
}

// db[c] = ((db[c] + rowSums[c]) + rowSums[channels + c]) + ... over the batch in order. Global (channels).
__kernel void biasGradSum(__global const real* rowSums, __global real* db, const int batch, const int channels) {
    int c = get_global_id(0);
    if (c >= channels) return;
    real acc = db[c];
    for (int b = 0; b < batch; b++) {
        acc += rowSums[(size_t) b * channels + c];
    }
    db[c] = acc;
}

// y[yOffset + i] = y[yOffset + i] + alpha x[xOffset + i], i < count; x may be y (same range, or ranges apart).
// Global (count).
__kernel void axpy(__global const real* x, __global real* y, const int count, const int xOffset, const int yOffset,
                   const real alpha) {
    int i = get_global_id(0);
    if (i >= count) return;
    size_t iy = (size_t) yOffset + i;
    y[iy] = y[iy] + alpha * x[(size_t) xOffset + i];
}

// chunkSums[c] = the blocked sum of the squares of chunk c of x[offset .. offset + count). One work-group per chunk:
// global (chunks size), local (size); sums: OPT_LANES reals.
__kernel void sumSquaresChunks(__global const real* x, __global real* chunkSums, const int offset, const int count,
                               __local real* sums) {
    int c = get_group_id(0);
    size_t from = (size_t) offset + (size_t) c * OPT_CHUNK;
    size_t end = (size_t) offset + count;
    real s = chunkSum(x, from, min(from + OPT_CHUNK, end), 1, sums);
    if (get_local_id(0) == 0) chunkSums[c] = s;
}

// partials[slot] = chunkSums[0] + chunkSums[1] + ... in order from 0. Work item 0 only; global (1).
__kernel void sumSquaresFinish(__global const real* chunkSums, __global real* partials, const int chunks,
                               const int slot) {
    if (get_global_id(0) >= 1) return;
    real s = 0;
    for (int c = 0; c < chunks; c++) {
        s += chunkSums[c];
    }
    partials[slot] = s;
}

// One AdamW update of param[offset .. offset + count) (JvmOptimF64.adamW's expressions): the global norm
// sqrt(partials[0] + ... + partials[partialCount - 1]) summed in slot order by every work item; nothing written when
// it is not finite (tested by bits, whatever the build options); the gradient scaled by maxNorm / (norm + 1e-12) when
// maxNorm > 0 and norm > maxNorm; then the moments and the parameter. Global (count).
__kernel void adamW(__global real* param, __global const real* grad, __global real* m, __global real* v,
                    __global const real* partials, const int offset, const int count, const int partialCount,
                    const real lr, const real wd, const real beta1, const real oneMinusBeta1, const real beta2,
                    const real oneMinusBeta2, const real eps, const real c1, const real c2, const real maxNorm) {
    int k = get_global_id(0);
    if (k >= count) return;
    real s = 0;
    for (int j = 0; j < partialCount; j++) {
        s += partials[j];
    }
    real norm = sqrt(s);
    if (notFinite(norm)) return;
    size_t i = (size_t) offset + k;
    real g = grad[i];
    if (maxNorm > 0 && norm > maxNorm) {
        g = g * (maxNorm / (norm + (real) 1e-12));
    }
    real mi = beta1 * m[i] + oneMinusBeta1 * g;
    real vi = beta2 * v[i] + oneMinusBeta2 * g * g;
    m[i] = mi;
    v[i] = vi;
    real mh = mi / c1;
    real vh = vi / c2;
    real w = param[i];
    param[i] = w - lr * (mh / (sqrt(vh) + eps) + wd * w);
}
