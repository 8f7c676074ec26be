// RTF4J device kernels. One source for both precisions: the host builds it with -DUSE_DOUBLE for float64
// (devices with cl_khr_fp64) and without for float32. Complex values are real2 = (re, im), interleaved,
// as every backend's layout. Each composite operation of the Backend seam is a short sequence of these
// kernels; their names and arguments are documented next to each kernel.

#ifdef USE_DOUBLE
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double real;
typedef double2 real2;
#else
typedef float real;
typedef float2 real2;
#endif

// wide: the modal kernels' powers, phases and sums. Double on devices with cl_khr_fp64 (float32 results
// are rounded once), else float, where the anchors' l * log z lose accuracy as l grows: the per-device
// accuracy is stated in OpenClBackend's javadoc and device-config/README.md.
#ifdef HAS_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double wide;
#else
typedef real wide;
#endif

inline real2 cmul(real2 a, real2 b) { return (real2)(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }
inline real2 cmulConj(real2 a, real2 b) { return (real2)(a.x * b.x + a.y * b.y, a.y * b.x - a.x * b.y); } // a * conj(b)
inline real2 cdiv(real2 a, real2 b) { real d = (real) 1 / (b.x * b.x + b.y * b.y); return (real2)((a.x * b.x + a.y * b.y) * d, (a.y * b.x - a.x * b.y) * d); }
inline real2 conj2(real2 a) { return (real2)(a.x, -a.y); }

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
    __global const real* x = in + inOff + (size_t) row * inStride;
    int e = 2 * t;
    z[(size_t) row * h + t] = (real2)(e < inLen ? x[e] : 0, e + 1 < inLen ? x[e + 1] : 0);
}

// Real forward, odd n: z[row, t] = (x[t], 0). Global size (n, rows).
__kernel void packOdd(__global const real* in, const int inOff, const int inStride, const int inLen,
                      __global real2* z, const int n) {
    int t = get_global_id(0);
    int row = get_global_id(1);
    __global const real* x = in + inOff + (size_t) row * inStride;
    z[(size_t) row * n + t] = (real2)(t < inLen ? x[t] : 0, 0);
}

// Real forward split, even n = 2h: Z = fft_h(z) to the h+1 bins X of the real transform.
// split[k] = exp(-2 pi i k / n), k <= h/2. Global size (h/2 + 1, rows).
__kernel void splitForward(__global const real2* z, __global real2* out, __global const real2* split,
                           const int h) {
    int k = get_global_id(0);
    int row = get_global_id(1);
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
    out[(size_t) get_global_id(1) * bins + get_global_id(0)] = z[(size_t) get_global_id(1) * n + get_global_id(0)];
}

// Real inverse merge, even n = 2h: bins X (h+1 per row; Im X_0, Im X_h ignored) to Z with z = ifft_h(Z).
// Global size (h/2 + 1, rows).
__kernel void mergeInverse(__global const real2* in, __global real2* z, __global const real2* split,
                           const int h) {
    int k = get_global_id(0);
    int row = get_global_id(1);
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
    if (t < outLen) out[outOff + (size_t) row * outStride + t] = s * z[(size_t) row * n + t].x;
}

// ----------------------------------------------------------------------------------- convolution

// kappa[c, t] = kf[c, t] (t < ell), kappa[c, n-1-j] = kb[c, j] when n-1-j >= ell, else 0. Global (n, H).
__kernel void twoSidedKernel(__global const real* kf, __global const real* kb, __global real* kappa,
                             const int ell, const int n) {
    int t = get_global_id(0);
    int c = get_global_id(1);
    real v = 0;
    if (t < ell) v = kf[(size_t) c * ell + t];
    else {
        int j = n - 1 - t;
        if (j < ell && t >= ell) v = kb[(size_t) c * ell + j];
    }
    kappa[(size_t) c * n + t] = v;
}

// out[r, k] = U[r, k] K[r mod H, k]; U is kept for the backward. Global size (bins, B*H).
__kernel void spectralMul(__global const real2* u, __global const real2* kspec, __global real2* out, const int bins,
                          const int h) {
    int k = get_global_id(0);
    int r = get_global_id(1);
    size_t i = (size_t) r * bins + k;
    out[i] = cmul(u[i], kspec[(size_t) (r % h) * bins + k]);
}

// Per (k, c): acc[c, k] = sum_b G[b,c,k] conj(U[b,c,k]) in batch order; G[b,c,k] <- G conj(K[c,k]); U (the
// forward's input spectra) is left as it is. Global size (bins, H).
__kernel void convBackwardSpectra(__global real2* g, __global const real2* u, __global const real2* kspec,
                                  __global real2* acc, const int bins, const int h, const int batch) {
    int k = get_global_id(0);
    int c = get_global_id(1);
    real2 kk = kspec[(size_t) c * bins + k];
    real2 a = (real2)(0, 0);
    for (int b = 0; b < batch; b++) {
        size_t i = ((size_t) b * h + c) * bins + k;
        real2 gv = g[i];
        a += cmulConj(gv, u[i]);
        g[i] = cmulConj(gv, kk);
    }
    acc[(size_t) c * bins + k] = a;
}

// dkf[c, s] = g[c, s]; dkb[c, j] = g[c, n-1-j] when n-1-j >= ell, else 0. Global size (ell, H).
__kernel void kernelGrads(__global const real* g, __global real* dkf, __global real* dkb, const int ell,
                          const int n, const int twoSided) {
    int s = get_global_id(0);
    int c = get_global_id(1);
    dkf[(size_t) c * ell + s] = g[(size_t) c * n + s];
    if (twoSided) {
        int t = n - 1 - s;
        dkb[(size_t) c * ell + s] = t >= ell ? g[(size_t) c * n + t] : 0;
    }
}

// ----------------------------------------------------------------------------- rational spectrum

// rows (numA + H, N + 1): denominators (1, a_1..a_N), numerators (0, b_1..b_N). Global (N + 1, numA + H).
__kernel void padRational(__global const real* a, __global const real* b, __global real* rows,
                          const int order, const int numA) {
    int j = get_global_id(0);
    int r = get_global_id(1);
    real v;
    if (r < numA) v = j == 0 ? (real) 1 : a[(size_t) r * order + j - 1];
    else v = j == 0 ? (real) 0 : b[(size_t) (r - numA) * order + j - 1];
    rows[(size_t) r * (order + 1) + j] = v;
}

// From the joint spectrum AB (numA + H rows): specA, specB and specK = B / A_g + h0. Global (bins, numA + H).
__kernel void rationalDivide(__global const real2* ab, __global const real* h0, __global real2* specA,
                             __global real2* specB, __global real2* specK, const int bins, const int numA,
                             const int per) {
    int k = get_global_id(0);
    int r = get_global_id(1);
    real2 v = ab[(size_t) r * bins + k];
    if (r < numA) {
        specA[(size_t) r * bins + k] = v;
        return;
    }
    int c = r - numA;
    real2 av = ab[(size_t) (c / per) * bins + k];
    specB[(size_t) c * bins + k] = v;
    real2 q = cdiv(v, av);
    q.x += h0[c];
    specK[(size_t) c * bins + k] = q;
}

// minMag[2g] = min_k |A_g[k]| / (1 + sum |a_g|), minMag[2g+1] = its bin. Global (numA).
__kernel void minMagnitude(__global const real2* specA, __global const real* a, __global real* minMag,
                           const int bins, const int order) {
    int g = get_global_id(0);
    real norm = 1;
    for (int j = 0; j < order; j++) norm += fabs(a[(size_t) g * order + j]);
    real best = INFINITY;
    int arg = 0;
    for (int k = 0; k < bins; k++) {
        real2 v = specA[(size_t) g * bins + k];
        real m = sqrt(v.x * v.x + v.y * v.y);
        if (m < best || isnan(m)) { best = m; arg = k; }
    }
    minMag[2 * g] = best / norm;
    minMag[2 * g + 1] = (real) arg;
}

// xb[c, k] = Gamma / conj(A); work[c, k] = -Gamma conj(B / A^2). Global (bins, H).
__kernel void rationalBackwardSpectra(__global const real2* gam, __global const real2* specA,
                                      __global const real2* specB, __global real2* xb, __global real2* work,
                                      const int bins, const int per) {
    int k = get_global_id(0);
    int c = get_global_id(1);
    size_t i = (size_t) c * bins + k;
    real2 g = gam[i];
    real2 av = specA[(size_t) (c / per) * bins + k];
    real2 q = cdiv(cdiv(specB[i], av), av);
    work[i] = -cmulConj(g, q);
    xb[i] = cdiv(g, conj2(av));
}

// s[g, k] = sum over the channels of group g of work[c, k], in channel order. Global (bins, numA).
__kernel void groupSum(__global const real2* work, __global real2* s, const int bins, const int per) {
    int k = get_global_id(0);
    int g = get_global_id(1);
    real2 acc = (real2)(0, 0);
    for (int c = g * per; c < (g + 1) * per; c++) acc += work[(size_t) c * bins + k];
    s[(size_t) g * bins + k] = acc;
}

// dst[r, j-1] = src[r, j], j = 1..N (drop the fixed coefficient). Global (N, rows).
__kernel void dropLag0(__global const real* src, __global real* dst, const int order) {
    int j = get_global_id(0);
    int r = get_global_id(1);
    dst[(size_t) r * order + j] = src[(size_t) r * (order + 1) + j + 1];
}

// dst[r] = src[r * stride]. Global (rows).
__kernel void takeLag0(__global const real* src, __global real* dst, const int stride) {
    dst[get_global_id(0)] = src[(size_t) get_global_id(0) * stride];
}

// ------------------------------------------------------------------------------- modal kernels

// Powers z^l inside both Vandermonde kernels: one exp/sincos (in wide) anchors z^l every VBLOCK lags and
// the lags in between are reached by multiplying by z, so transcendentals cost 1/VBLOCK per term. VBLOCK
// comes from the build options: ModalShape.VANDERMONDE_BLOCK, the block of the JVM's kernels too.
#ifndef VBLOCK
#error "VBLOCK must be defined at build time (-DVBLOCK=...)"
#endif

// k[h, l] = 2 Re sum_m chat[h,m] z^l, z = exp(logZ[h,m]) (+ lag0[h] at l = 0 when hasLag0). Each work item
// computes the VBLOCK lags l0 .. l0+VBLOCK-1, l0 = VBLOCK * get_global_id(0). Global (ceil(len/VBLOCK), H).
__kernel void vandermonde(__global const real2* logZ, __global const real2* chat, __global const real* lag0,
                          const int hasLag0, __global real* k, const int modes, const int len) {
    int l0 = get_global_id(0) * VBLOCK;
    int h = get_global_id(1);
    if (l0 >= len) return;
    int cnt = min(VBLOCK, len - l0);
    wide acc[VBLOCK];
    for (int j = 0; j < VBLOCK; j++) acc[j] = 0;
    for (int m = 0; m < modes; m++) {
        real2 lz = logZ[(size_t) h * modes + m];
        real2 c = chat[(size_t) h * modes + m];
        wide mag = exp((wide) l0 * (wide) lz.x);
        wide ph = (wide) l0 * (wide) lz.y;
        wide pr = mag * cos(ph);
        wide pi = mag * sin(ph);
        wide e = exp((wide) lz.x);
        wide zr = e * cos((wide) lz.y);
        wide zi = e * sin((wide) lz.y);
        wide cr = c.x;
        wide ci = c.y;
        for (int j = 0; j < cnt; j++) {
            acc[j] += cr * pr - ci * pi;
            wide t = pr * zr - pi * zi;
            pi = pr * zi + pi * zr;
            pr = t;
        }
    }
    for (int j = 0; j < cnt; j++) {
        int l = l0 + j;
        real v = (real) (2 * acc[j]);
        if (hasLag0 && l == 0) v += lag0[h];
        k[(size_t) h * len + l] = v;
    }
}

// sums[h,m] = sum_l w[h,l] z^l, weighted[h,m] = sum_l l w[h,l] z^l, z = exp(logZ); z^l re-anchored every
// VBLOCK lags. Global (M, H).
__kernel void vandermondeBackward(__global const real2* logZ, __global const real* w, __global real2* sums,
                                  __global real2* weighted, const int modes, const int len) {
    int m = get_global_id(0);
    int h = get_global_id(1);
    real2 lz = logZ[(size_t) h * modes + m];
    wide e = exp((wide) lz.x);
    wide zr = e * cos((wide) lz.y);
    wide zi = e * sin((wide) lz.y);
    wide pr = 1, pi = 0;
    wide s0r = 0, s0i = 0, s1r = 0, s1i = 0;
    for (int l = 0; l < len; l++) {
        if (l > 0 && l % VBLOCK == 0) {
            wide mag = exp((wide) l * (wide) lz.x);
            wide ph = (wide) l * (wide) lz.y;
            pr = mag * cos(ph);
            pi = mag * sin(ph);
        }
        wide wl = (wide) w[(size_t) h * len + l];
        s0r += wl * pr;
        s0i += wl * pi;
        s1r += (wide) l * wl * pr;
        s1i += (wide) l * wl * pi;
        wide t = pr * zr - pi * zi;
        pi = pr * zi + pi * zr;
        pr = t;
    }
    sums[(size_t) h * modes + m] = (real2)((real) s0r, (real) s0i);
    weighted[(size_t) h * modes + m] = (real2)((real) s1r, (real) s1i);
}

inline void cauchySums(__global const real2* w, __global const real2* v, int h, int modes, int hm, wide zi,
                       real2* r) {
    r[0] = r[1] = r[2] = r[3] = (real2)(0, 0);
    for (int m = 0; m < modes; m++) {
        size_t i = (size_t) h * modes + m;
        real2 wm = w[i];
        real2 rr = cdiv((real2)(1, 0), (real2)(-wm.x, (real) zi - wm.y));
        real2 qq = cdiv((real2)(1, 0), (real2)(-wm.x, (real) zi + wm.y));
        for (int x = 0; x < 4; x++) {
            real2 vv = v[(size_t) x * hm + i];
            r[x] += cmul(vv, rr) + cmul(conj2(vv), qq);
        }
    }
}

// S4 generating function at bins k < L/2 (all bins for odd L); Nyquist limit for even L. Global (bins, H).
__kernel void cauchy(__global const real2* w, __global const real2* v, __global const real* lag0,
                     const int hasLag0, __global real2* khat, const int modes, const int len, const int hh) {
    int k = get_global_id(0);
    int h = get_global_id(1);
    int bins = len / 2 + 1;
    real d0 = hasLag0 ? lag0[h] : (real) 0;
    if ((len & 1) == 0 && k == len / 2) {
        real acc = 0;
        for (int m = 0; m < modes; m++) acc += v[(size_t) h * modes + m].x;
        khat[(size_t) h * bins + k] = (real2)(acc + d0, 0);
        return;
    }
    wide phi = (wide) 2 * M_PI * (wide) k / (wide) len;
    wide zi = 2 * tan(phi / 2);
    wide dr = 1 + cos(phi);
    wide di = -sin(phi);
    wide inv = 2 / (dr * dr + di * di);
    real2 s = (real2)((real) (dr * inv), (real) (-di * inv));
    real2 r[4];
    cauchySums(w, v, h, modes, hh * modes, zi, r);
    real2 f = cdiv(cmul(r[1], r[2]), (real2)(1 + r[3].x, r[3].y));
    real2 out = cmul(s, r[0] - f);
    out.x += d0;
    khat[(size_t) h * bins + k] = out;
}

// Pass 1 of the S4 backward: per node, the four conj(dK/dr) * gK, gK = (c_k / L) gSpec_k. Global (count, H).
__kernel void cauchyBackwardNodes(__global const real2* w, __global const real2* v, __global const real2* gspec,
                                  __global real2* gr, const int modes, const int len, const int hh) {
    int k = get_global_id(0);
    int h = get_global_id(1);
    int bins = len / 2 + 1;
    int count = (len + 1) / 2;
    wide phi = (wide) 2 * M_PI * (wide) k / (wide) len;
    wide zi = 2 * tan(phi / 2);
    wide dr = 1 + cos(phi);
    wide di = -sin(phi);
    wide inv = 2 / (dr * dr + di * di);
    real2 s = (real2)((real) (dr * inv), (real) (-di * inv));
    real2 r[4];
    cauchySums(w, v, h, modes, hh * modes, zi, r);
    real ck = (k == 0 ? (real) 1 : (real) 2) / (real) len;
    real2 g = ck * gspec[(size_t) h * bins + k];
    real2 d = (real2)(1 + r[3].x, r[3].y);
    real2 a = cdiv(r[2], d);
    real2 b = cdiv(r[1], d);
    real2 d1 = -cmul(s, a);
    real2 d2 = -cmul(s, b);
    real2 d3 = cmul(s, cmul(a, b));
    size_t o = ((size_t) h * count + k) * 4;
    gr[o] = cmulConj(g, s);
    gr[o + 1] = cmulConj(g, d1);
    gr[o + 2] = cmulConj(g, d2);
    gr[o + 3] = cmulConj(g, d3);
}

// Pass 2: transposed Cauchy sums per mode; gamma and the lag-0 gradient per channel. Global (M, H).
__kernel void cauchyBackwardModes(__global const real2* w, __global const real2* v, __global const real2* gr,
                                  __global const real2* gspec, __global real2* gv, __global real2* gw,
                                  __global real* gamma, __global real* lag0Grad, const int modes, const int len,
                                  const int hh) {
    int m = get_global_id(0);
    int h = get_global_id(1);
    int bins = len / 2 + 1;
    int count = (len + 1) / 2;
    int hm = hh * modes;
    size_t i = (size_t) h * modes + m;
    real2 wm = w[i];
    wide ar[4] = {0, 0, 0, 0}, ai[4] = {0, 0, 0, 0}, br[4] = {0, 0, 0, 0}, bi[4] = {0, 0, 0, 0};
    for (int k = 0; k < count; k++) {
        wide phi = (wide) 2 * M_PI * (wide) k / (wide) len;
        real zi = (real) (2 * tan(phi / 2));
        real2 c = conj2(cdiv((real2)(1, 0), (real2)(-wm.x, zi - wm.y)));
        real2 q = cdiv((real2)(1, 0), (real2)(-wm.x, zi + wm.y));
        real2 c2 = cmul(c, c);
        real2 q2 = cmul(q, q);
        for (int x = 0; x < 4; x++) {
            real2 g = gr[((size_t) h * count + k) * 4 + x];
            real2 t = cmul(g, c) + cmul(conj2(g), q);
            real2 u = cmul(g, c2) + cmul(conj2(g), q2);
            ar[x] += t.x; ai[x] += t.y; br[x] += u.x; bi[x] += u.y;
        }
    }
    wide accr = 0, acci = 0;
    for (int x = 0; x < 4; x++) {
        gv[(size_t) x * hm + i] = (real2)((real) ar[x], (real) ai[x]);
        real2 vv = v[(size_t) x * hm + i];
        accr += (wide) vv.x * br[x] + (wide) vv.y * bi[x];
        acci += (wide) vv.x * bi[x] - (wide) vv.y * br[x];
    }
    gw[i] = (real2)((real) accr, (real) acci);
    if (m == 0) {
        gamma[h] = (len & 1) == 0 ? gspec[(size_t) h * bins + len / 2].x / (real) len : (real) 0;
        wide x0 = 0;
        for (int k = 0; k < bins; k++) x0 += ((k == 0 || 2 * k == len) ? 1 : 2) * (wide) gspec[(size_t) h * bins + k].x;
        lag0Grad[h] = (real) (x0 / len);
    }
}
