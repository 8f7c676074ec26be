// RTF4J device kernels: FFTs (built after common.cl; see ClSource).

// ---------------------------------------------------------------------------------------------- FFT

// The low `bits` bits of v in reverse order (bits >= 1).
inline int bitReverse(int v, int bits) {
    uint x = (uint) v;
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
    x = ((x >> 8) & 0x00FF00FFu) | ((x & 0x00FF00FFu) << 8);
    x = (x >> 16) | (x << 16);
    return (int) (x >> (32 - bits));
}

// exp(sign * 2 pi i m / n) for 0 <= m < n, from tw[j] = exp(-2 pi i j / n), j < n/2 (hn = n/2).
inline real2 twiddle(__global const real2* tw, int m, int hn, int sign) {
    real2 w = m < hn ? tw[m] : -tw[m - hn];
    if (sign > 0) w.y = -w.y;
    return w;
}

// Batched power-of-two transforms of len = 2^logLen, each in place in local memory: bit-reversed load,
// decimation-in-time stages (radix 4, one radix-2 stage first when logLen is odd), natural-order store.
// One kernel for whole rows and for the two passes of a four-step transform of n = 2^logN = n1 n2:
//   transform t < total is (r, c) = (t >> logCnt, t & (2^logCnt - 1)); it reads element e at
//   x[r n + c inT + e inE] and writes bin k, times s and, when twiddleOut != 0, times w_n^(k c), at
//   y[r n + c outT + k outE];
//   rows: logLen = logN, logCnt = 0, inE = outE = 1;
//   pass 1 (columns of length n1, in place): logCnt = log n2, inT = outT = 1, inE = outE = n2, twiddleOut = 1;
//   pass 2 (rows of length n2, transposed into another buffer): logCnt = log n1, inT = n2, inE = 1,
//   outT = 1, outE = n1.
// tw[j] = exp(-2 pi i j / n), j < n/2 (the sub-transforms read every (n/len)-th); sign -1 forward, +1
// inverse. A work-group does 2^logPer consecutive transforms (the last group may have fewer); buf holds
// 2^logPer * len complex, element e of transform c at buf[e 2^logPer + c]. Consecutive work-items walk
// along a transform where its global stride is 1, else across the group's transforms, so global accesses
// are contiguous. x and y may be one buffer when every transform's outputs lie on its own inputs (rows,
// pass 1). Local size: any power of two (the host keeps it <= 2^logPer len / 4, the radix-4 units of a
// stage, when len >= 4, else <= 2^logPer len / 2); global size = groups * local size with
// groups >= ceil(total / 2^logPer) (groups past the last transform return).
__kernel void fftLocal(__global const real2* x, __global real2* y, __global const real2* tw, const int logN,
                       const int logLen, const int logCnt, const int total, const int logPer, const int inT,
                       const int inE, const int outT, const int outE, const int twiddleOut, const int sign,
                       const real s, __local real2* buf) {
    int lid = get_local_id(0);
    int lsz = get_local_size(0);
    int first = (int) get_group_id(0) << logPer;
    if (first >= total) return;
    int per = 1 << logPer;
    int size = per << logLen;
    int cntMask = (1 << logCnt) - 1;
    for (int q = lid; q < size; q += lsz) {
        int c, e;
        if (inE == 1) { e = q & ((1 << logLen) - 1); c = q >> logLen; }
        else { c = q & (per - 1); e = q >> logPer; }
        int t = first + c;
        real2 v = (real2)(0, 0);
        if (t < total) {
            v = x[((size_t) (t >> logCnt) << logN) + (size_t) (t & cntMask) * inT + (size_t) e * inE];
        }
        buf[(bitReverse(e, logLen) << logPer) + c] = v;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    int ls = 0;
    if (logLen & 1) {
        // a first radix-2 stage (span 1, twiddle 1) when logLen is odd
        for (int b = lid; b < (size >> 1); b += lsz) {
            int i0 = ((b >> logPer) << (logPer + 1)) + (b & (per - 1));
            real2 a0 = buf[i0];
            real2 a1 = buf[i0 + per];
            buf[i0] = a0 + a1;
            buf[i0 + per] = a0 - a1;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        ls = 1;
    }
    // radix-4 stages: the radix-2 stages of spans 2^ls and 2^(ls+1) on four elements in registers
    for (; ls < logLen; ls += 2) {
        int span = 1 << ls;
        int st = span << logPer;
        for (int b = lid; b < (size >> 2); b += lsz) {
            int j = b >> logPer;
            int k = j & (span - 1);
            int i0 = ((((j - k) << 2) + k) << logPer) + (b & (per - 1));
            real2 w1 = tw[k << (logN - ls - 1)];
            real2 w2 = tw[k << (logN - ls - 2)];
            if (sign > 0) { w1.y = -w1.y; w2.y = -w2.y; }
            real2 t1 = cmul(buf[i0 + st], w1);
            real2 t3 = cmul(buf[i0 + 3 * st], w1);
            real2 a0 = buf[i0];
            real2 a2 = buf[i0 + 2 * st];
            real2 b0 = a0 + t1;
            real2 b1 = a0 - t1;
            real2 u2 = cmul(a2 + t3, w2);
            real2 u3 = cmul(a2 - t3, w2);
            u3 = sign < 0 ? (real2)(u3.y, -u3.x) : (real2)(-u3.y, u3.x); // times w_4 = -i (forward), +i (inverse)
            buf[i0] = b0 + u2;
            buf[i0 + 2 * st] = b0 - u2;
            buf[i0 + st] = b1 + u3;
            buf[i0 + 3 * st] = b1 - u3;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    int hn = 1 << (logN - 1);
    for (int q = lid; q < size; q += lsz) {
        int c, k;
        if (outE == 1) { k = q & ((1 << logLen) - 1); c = q >> logLen; }
        else { c = q & (per - 1); k = q >> logPer; }
        int t = first + c;
        if (t < total) {
            int col = t & cntMask;
            real2 v = buf[(k << logPer) + c] * s;
            if (twiddleOut) v = cmul(v, twiddle(tw, k * col, hn, sign));
            y[((size_t) (t >> logCnt) << logN) + (size_t) col * outT + (size_t) k * outE] = v;
        }
    }
}

// One radix-2 Stockham pass over rows of n complex (n a power of two), p = block length so far; the output
// is multiplied by s (1 but on the last pass). tw[j] = exp(-2 pi i j / n), j < n/2; sign = -1 forward,
// +1 inverse. Global size (at least n/2, rows).
__kernel void fftRadix2Pass(__global const real2* x, __global real2* y, __global const real2* tw,
                            const int n, const int p, const int sign, const real s) {
    int i = get_global_id(0);
    int row = get_global_id(1);
    int hn = n >> 1;
    if (i >= hn) return;
    int k = i & (p - 1);
    __global const real2* xr = x + (size_t) row * n;
    __global real2* yr = y + (size_t) row * n;
    real2 w = tw[k * (hn / p)];
    if (sign > 0) w.y = -w.y;
    real2 a0 = xr[i];
    real2 a1 = cmul(xr[i + hn], w);
    int j = ((i - k) << 1) + k;
    yr[j] = (a0 + a1) * s;
    yr[j + p] = (a0 - a1) * s;
}

// Bluestein: w[row, t] = x'[row, t] * chirp[t] (t < n), 0 for n <= t < m; x' = x forward (sign -1),
// conj(x) inverse (sign +1). Global size (at least m, rows).
__kernel void bluesteinPre(__global const real2* x, __global real2* w, __global const real2* chirp,
                           const int n, const int m, const int sign) {
    int t = get_global_id(0);
    int row = get_global_id(1);
    if (t >= m) return;
    real2 v = (real2)(0, 0);
    if (t < n) {
        v = x[(size_t) row * n + t];
        if (sign > 0) v.y = -v.y;
        v = cmul(v, chirp[t]);
    }
    w[(size_t) row * m + t] = v;
}

// w[row, j] *= table[j] (the chirp spectrum, scaled by 1/m). Global size (at least m, rows).
__kernel void mulTable(__global real2* w, __global const real2* table, const int m) {
    int j = get_global_id(0);
    if (j >= m) return;
    size_t i = (size_t) get_global_id(1) * m + j;
    w[i] = cmul(w[i], table[j]);
}

// Bluestein: x[row, k] = s * chirp[k] * w[row, k] (k < n), conjugated when inverse (sign +1).
// Global size (at least n, rows).
__kernel void bluesteinPost(__global const real2* w, __global real2* x, __global const real2* chirp,
                            const int n, const int m, const int sign, const real s) {
    int k = get_global_id(0);
    int row = get_global_id(1);
    if (k >= n) return;
    real2 v = cmul(chirp[k], w[(size_t) row * m + k]) * s;
    if (sign > 0) v.y = -v.y;
    x[(size_t) row * n + k] = v;
}

// Real forward, even n = 2h: z[row, t] = (x[2t], x[2t+1]) from in[row*inStride ..], zero past inLen.
// Global size (h, rows).
__kernel void packEven(__global const real* in, const int inOff, const int inStride, const int inLen,
                       __global real2* z, const int h) {
    int t = get_global_id(0);
    int row = get_global_id(1);
    if (t >= h) return;
    __global const real* x = in + inOff + (size_t) row * inStride;
    int e = 2 * t;
    z[(size_t) row * h + t] = (real2)(e < inLen ? x[e] : 0, e + 1 < inLen ? x[e + 1] : 0);
}

// Real forward, odd n: z[row, t] = (x[t], 0). Global size (n, rows).
__kernel void packOdd(__global const real* in, const int inOff, const int inStride, const int inLen,
                      __global real2* z, const int n) {
    int t = get_global_id(0);
    int row = get_global_id(1);
    if (t >= n) return;
    __global const real* x = in + inOff + (size_t) row * inStride;
    z[(size_t) row * n + t] = (real2)(t < inLen ? x[t] : 0, 0);
}

// Real forward split, even n = 2h: Z = fft_h(z) to the h+1 bins X of the real transform.
// split[k] = exp(-2 pi i k / n), k <= h/2. Global size (h/2 + 1, rows).
__kernel void splitForward(__global const real2* z, __global real2* out, __global const real2* split,
                           const int h) {
    int k = get_global_id(0);
    int row = get_global_id(1);
    if (k > h / 2) return;
    __global const real2* zr = z + (size_t) row * h;
    __global real2* o = out + (size_t) row * (h + 1);
    if (k == 0) {
        real2 z0 = zr[0];
        o[0] = (real2)(z0.x + z0.y, 0);
        o[h] = (real2)(z0.x - z0.y, 0);
        return;
    }
    int j = h - k;
    real2 zk = zr[k];
    real2 zj = zr[j];
    real2 fe = (real2)((real) 0.5 * (zk.x + zj.x), (real) 0.5 * (zk.y - zj.y));
    real2 fo = (real2)((real) 0.5 * (zk.y + zj.y), (real) -0.5 * (zk.x - zj.x));
    real2 pw = cmul(split[k], fo);
    o[k] = fe + pw;
    if (j != k) o[j] = (real2)(fe.x - pw.x, -(fe.y - pw.y));
}

// Copy the first bins of a complex row (odd real forward). Global size (bins, rows).
__kernel void copyBins(__global const real2* z, const int n, __global real2* out, const int bins) {
    if (get_global_id(0) >= bins) return;
    out[(size_t) get_global_id(1) * bins + get_global_id(0)] = z[(size_t) get_global_id(1) * n + get_global_id(0)];
}

// Real inverse merge, even n = 2h: bins X (h+1 per row; Im X_0, Im X_h ignored) to Z with z = ifft_h(Z).
// Global size (h/2 + 1, rows).
__kernel void mergeInverse(__global const real2* in, __global real2* z, __global const real2* split,
                           const int h) {
    int k = get_global_id(0);
    int row = get_global_id(1);
    if (k > h / 2) return;
    __global const real2* x = in + (size_t) row * (h + 1);
    __global real2* zr = z + (size_t) row * h;
    if (k == 0) {
        real x0 = x[0].x;
        real xh = x[h].x;
        zr[0] = (real2)((real) 0.5 * (x0 + xh), (real) 0.5 * (x0 - xh));
        return;
    }
    int j = h - k;
    real2 xk = x[k];
    real2 xj = x[j];
    real2 fe = (real2)((real) 0.5 * (xk.x + xj.x), (real) 0.5 * (xk.y - xj.y));
    real2 dd = (real2)((real) 0.5 * (xk.x - xj.x), (real) 0.5 * (xk.y + xj.y));
    real2 fo = cmul(dd, conj2(split[k]));
    zr[k] = (real2)(fe.x - fo.y, fe.y + fo.x);
    if (j != k) zr[j] = (real2)(fe.x + fo.y, -fe.y + fo.x);
}

// Real inverse, odd n: full Hermitian row from the (n+1)/2 bins (Im X_0 ignored). Global size (n, rows).
__kernel void hermitianFull(__global const real2* in, const int bins, __global real2* z, const int n) {
    int t = get_global_id(0);
    int row = get_global_id(1);
    if (t >= n) return;
    __global const real2* x = in + (size_t) row * bins;
    real2 v;
    if (t == 0) v = (real2)(x[0].x, 0);
    else if (t < bins) v = x[t];
    else v = conj2(x[n - t]);
    z[(size_t) row * n + t] = v;
}

// Real inverse unpack, even n: out[2t] = s Re z_t, out[2t+1] = s Im z_t, first outLen. Global size (h, rows).
__kernel void unpackEven(__global const real2* z, const int h, __global real* out, const int outOff,
                         const int outStride, const int outLen, const real s) {
    int t = get_global_id(0);
    int row = get_global_id(1);
    if (t >= h) return;
    real2 v = z[(size_t) row * h + t];
    __global real* o = out + outOff + (size_t) row * outStride;
    int e = 2 * t;
    if (e < outLen) o[e] = s * v.x;
    if (e + 1 < outLen) o[e + 1] = s * v.y;
}

// Real inverse unpack, odd n. Global size (n, rows).
__kernel void unpackOdd(__global const real2* z, const int n, __global real* out, const int outOff,
                        const int outStride, const int outLen, const real s) {
    int t = get_global_id(0);
    int row = get_global_id(1);
    if (t >= n) return;
    if (t < outLen) out[outOff + (size_t) row * outStride + t] = s * z[(size_t) row * n + t].x;
}
