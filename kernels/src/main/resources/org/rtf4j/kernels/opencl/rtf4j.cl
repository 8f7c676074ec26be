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

// Helpers in the build's precision only: a float32 build enables no extension and computes nothing in double
// (it is the same program on devices with and without cl_khr_fp64; the tests also build it with
// -cl-single-precision-constant).
#ifdef USE_DOUBLE
typedef ulong rbits;
#define EXP_MASK 0x7ff0000000000000UL
inline rbits bitsOf(real x) { return as_ulong(x); }
inline real quietNaN() { return as_double(0x7ff8000000000000UL); }
#else
typedef uint rbits;
#define EXP_MASK 0x7f800000U
inline rbits bitsOf(real x) { return as_uint(x); }
inline real quietNaN() { return as_float(0x7fc00000U); }
#endif

// True for NaN and ±inf, by the exponent bits: -cl-fast-relaxed-math (finite-math-only) lets a compiler fold
// isnan/isinf and ordered comparisons with NaN to constants, and treat NAN/INFINITY literals as undefined, so
// the checks that must see a NaN test bits and write one from bits (quietNaN).
inline int notFinite(real x) { return (bitsOf(x) & EXP_MASK) == EXP_MASK; }

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

// ----------------------------------------------------------------------------------- convolution

// kappa[c, t] = kf[c, t] (t < ell), kappa[c, n-1-j] = kb[c, j] when n-1-j >= ell, else 0. Global (n, H).
__kernel void twoSidedKernel(__global const real* kf, __global const real* kb, __global real* kappa,
                             const int ell, const int n) {
    int t = get_global_id(0);
    int c = get_global_id(1);
    if (t >= n) return;
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
    if (k >= bins) return;
    size_t i = (size_t) r * bins + k;
    out[i] = cmul(u[i], kspec[(size_t) (r % h) * bins + k]);
}

// Per (k, c): acc[c, k] = sum_b G[b,c,k] conj(U[b,c,k]) in batch order; G[b,c,k] <- G conj(K[c,k]); U (the
// forward's input spectra) is left as it is. Global size (bins, H).
__kernel void convBackwardSpectra(__global real2* g, __global const real2* u, __global const real2* kspec,
                                  __global real2* acc, const int bins, const int h, const int batch) {
    int k = get_global_id(0);
    int c = get_global_id(1);
    if (k >= bins) return;
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
    if (s >= ell) return;
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
    if (j > order) return;
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
    if (k >= bins) return;
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

// minMag[2g] = min_k |A_g[k]| / (1 + sum |a_g|), minMag[2g+1] = its bin; a bin that is not finite (NaN or
// inf, tested by bits) wins with magnitude NaN, so the host check sees it whatever the build options. Global (numA).
__kernel void minMagnitude(__global const real2* specA, __global const real* a, __global real* minMag,
                           const int bins, const int order, const int numA) {
    int g = get_global_id(0);
    if (g >= numA) return;
    real norm = 1;
    int bad = 0;
    for (int j = 0; j < order; j++) {
        real aj = a[(size_t) g * order + j];
        bad |= notFinite(aj);
        norm += fabs(aj);
    }
    bad |= notFinite(norm);
    real best = 0;
    int arg = 0;
    for (int k = 0; k < bins && !bad; k++) {
        real2 v = specA[(size_t) g * bins + k];
        if (notFinite(v.x) || notFinite(v.y)) { bad = 1; arg = k; break; }
        real m = sqrt(v.x * v.x + v.y * v.y);
        if (k == 0 || m < best) { best = m; arg = k; }
    }
    minMag[2 * g] = bad ? quietNaN() : best / norm;
    minMag[2 * g + 1] = (real) arg;
}

// xb[c, k] = Gamma / conj(A); work[c, k] = -Gamma conj(B / A^2). Global (bins, H).
__kernel void rationalBackwardSpectra(__global const real2* gam, __global const real2* specA,
                                      __global const real2* specB, __global real2* xb, __global real2* work,
                                      const int bins, const int per) {
    int k = get_global_id(0);
    int c = get_global_id(1);
    if (k >= bins) return;
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
    if (k >= bins) return;
    real2 acc = (real2)(0, 0);
    for (int c = g * per; c < (g + 1) * per; c++) acc += work[(size_t) c * bins + k];
    s[(size_t) g * bins + k] = acc;
}

// dst[r, j-1] = src[r, j], j = 1..N (drop the fixed coefficient). Global (N, rows).
__kernel void dropLag0(__global const real* src, __global real* dst, const int order) {
    int j = get_global_id(0);
    int r = get_global_id(1);
    if (j >= order) return;
    dst[(size_t) r * order + j] = src[(size_t) r * (order + 1) + j + 1];
}

// dst[r] = src[r * stride], r < count. Global (count).
__kernel void takeLag0(__global const real* src, __global real* dst, const int stride, const int count) {
    int r = get_global_id(0);
    if (r >= count) return;
    dst[r] = src[(size_t) r * stride];
}

// ------------------------------------------------------------------------------- modal kernels
//
// Everything here computes in the build's precision (no double on the float32 path). What keeps float32
// accurate without wider arithmetic: anchors z^l = exp(l log z) with the products l*log z split exactly by
// fma and the phase reduced modulo 2 pi in two parts (powAnchor), node angles from tanpi of small exact
// ratios (tanNode), and long sums added block by block (partial sums of SUM_BLOCK terms).

// Powers z^l inside both Vandermonde kernels: one anchor every VBLOCK lags, the lags in between reached by
// multiplying by z, so transcendentals cost 1/VBLOCK per term. VBLOCK comes from the build options:
// ModalShape.VANDERMONDE_BLOCK, the block of the JVM's kernels too.
#ifndef VBLOCK
#error "VBLOCK must be defined at build time (-DVBLOCK=...)"
#endif
#define SUM_BLOCK 64

#ifdef USE_DOUBLE
#define TWO_PI_HI 6.283185307179586
#define TWO_PI_LO 2.4492935982947064e-16
#else
#define TWO_PI_HI 6.2831855f
#define TWO_PI_LO -1.7484555e-7f
#endif

// z^l = exp(l * lz) for an integer 0 <= l < 2^24. A plain exp(l * lz) rounds l * lz, an error of
// eps * l * |lz| in the result; here the rounding errors of both products are recovered exactly (fma) and
// the phase is reduced by q * 2 pi with 2 pi in two parts, so the error stays a few eps whatever l.
inline real2 powAnchor(int l, real2 lz) {
    real fl = (real) l;
    real re = fl * lz.x;
    real reLo = fma(fl, lz.x, -re);
    real ph = fl * lz.y;
    real phLo = fma(fl, lz.y, -ph);
    real q = rint(ph / TWO_PI_HI);
    real r = fma(-q, TWO_PI_HI, ph);
    r = fma(-q, TWO_PI_LO, r) + phLo;
    real mag = exp(re) * (1 + reLo);
    return (real2)(mag * cos(r), mag * sin(r));
}

// tan(pi k / len) for 0 <= k < len / 2: tanpi of k/len up to a quarter turn, beyond it the cotangent of the
// complement, whose ratio (len - 2k) / (2 len) keeps its relative accuracy next to the Nyquist bin.
inline real tanNode(int k, int len) {
    if (4 * k <= len) return tanpi((real) k / (real) len);
    return 1 / tanpi((real) (len - 2 * k) / (real) (2 * len));
}

// k[h, l] = 2 Re sum_m chat[h,m] z^l, z = exp(logZ[h,m]) (+ lag0[h] at l = 0 when hasLag0). Each work item
// computes the VBLOCK lags l0 .. l0+VBLOCK-1, l0 = VBLOCK * get_global_id(0). Global (ceil(len/VBLOCK), H).
__kernel void vandermonde(__global const real2* logZ, __global const real2* chat, __global const real* lag0,
                          const int hasLag0, __global real* k, const int modes, const int len) {
    int l0 = get_global_id(0) * VBLOCK;
    int h = get_global_id(1);
    if (l0 >= len) return;
    int cnt = min(VBLOCK, len - l0);
    real acc[VBLOCK];
    for (int j = 0; j < VBLOCK; j++) acc[j] = 0;
    for (int m = 0; m < modes; m++) {
        real2 lz = logZ[(size_t) h * modes + m];
        real2 c = chat[(size_t) h * modes + m];
        real2 pw = powAnchor(l0, lz);
        real e = exp(lz.x);
        real zr = e * cos(lz.y);
        real zi = e * sin(lz.y);
        real pr = pw.x, pi = pw.y;
        for (int j = 0; j < cnt; j++) {
            acc[j] += c.x * pr - c.y * pi;
            real t = pr * zr - pi * zi;
            pi = pr * zi + pi * zr;
            pr = t;
        }
    }
    for (int j = 0; j < cnt; j++) {
        int l = l0 + j;
        real v = 2 * acc[j];
        if (hasLag0 && l == 0) v += lag0[h];
        k[(size_t) h * len + l] = v;
    }
}

// sums[h,m] = sum_l w[h,l] z^l, weighted[h,m] = sum_l l w[h,l] z^l, z = exp(logZ); z^l re-anchored every
// VBLOCK lags, the sums added in blocks of SUM_BLOCK terms. Global (M, H).
__kernel void vandermondeBackward(__global const real2* logZ, __global const real* w, __global real2* sums,
                                  __global real2* weighted, const int modes, const int len) {
    int m = get_global_id(0);
    int h = get_global_id(1);
    if (m >= modes) return;
    real2 lz = logZ[(size_t) h * modes + m];
    real e = exp(lz.x);
    real zr = e * cos(lz.y);
    real zi = e * sin(lz.y);
    real pr = 1, pi = 0;
    real s0r = 0, s0i = 0, s1r = 0, s1i = 0;
    real b0r = 0, b0i = 0, b1r = 0, b1i = 0;
    for (int l = 0; l < len; l++) {
        if (l > 0 && l % VBLOCK == 0) {
            real2 pw = powAnchor(l, lz);
            pr = pw.x;
            pi = pw.y;
        }
        if (l > 0 && l % SUM_BLOCK == 0) {
            s0r += b0r; s0i += b0i; s1r += b1r; s1i += b1i;
            b0r = b0i = b1r = b1i = 0;
        }
        real wl = w[(size_t) h * len + l];
        real lw = (real) l * wl;
        b0r += wl * pr;
        b0i += wl * pi;
        b1r += lw * pr;
        b1i += lw * pi;
        real t = pr * zr - pi * zi;
        pi = pr * zi + pi * zr;
        pr = t;
    }
    s0r += b0r; s0i += b0i; s1r += b1r; s1i += b1i;
    sums[(size_t) h * modes + m] = (real2)(s0r, s0i);
    weighted[(size_t) h * modes + m] = (real2)(s1r, s1i);
}

inline void cauchySums(__global const real2* w, __global const real2* v, int h, int modes, int hm, real zi,
                       real2* r) {
    r[0] = r[1] = r[2] = r[3] = (real2)(0, 0);
    for (int m = 0; m < modes; m++) {
        size_t i = (size_t) h * modes + m;
        real2 wm = w[i];
        real2 rr = cdiv((real2)(1, 0), (real2)(-wm.x, zi - wm.y));
        real2 qq = cdiv((real2)(1, 0), (real2)(-wm.x, zi + wm.y));
        for (int x = 0; x < 4; x++) {
            real2 vv = v[(size_t) x * hm + i];
            r[x] += cmul(vv, rr) + cmul(conj2(vv), qq);
        }
    }
}

// S4 generating function at bins k < L/2 (all bins for odd L); Nyquist limit for even L. The node is
// z_k = 2i tan(pi k / L) and the bilinear factor 2 / (1 + exp(-2 pi i k / L)) = 1 + i tan(pi k / L). Global (bins, H).
__kernel void cauchy(__global const real2* w, __global const real2* v, __global const real* lag0,
                     const int hasLag0, __global real2* khat, const int modes, const int len, const int hh) {
    int k = get_global_id(0);
    int h = get_global_id(1);
    if (k > len / 2) return;
    int bins = len / 2 + 1;
    real d0 = hasLag0 ? lag0[h] : (real) 0;
    if ((len & 1) == 0 && k == len / 2) {
        real acc = 0;
        for (int m = 0; m < modes; m++) acc += v[(size_t) h * modes + m].x;
        khat[(size_t) h * bins + k] = (real2)(acc + d0, 0);
        return;
    }
    real t = tanNode(k, len);
    real2 s = (real2)(1, t);
    real2 r[4];
    cauchySums(w, v, h, modes, hh * modes, 2 * t, r);
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
    if (k >= (len + 1) / 2) return;
    int bins = len / 2 + 1;
    int count = (len + 1) / 2;
    real t = tanNode(k, len);
    real2 s = (real2)(1, t);
    real2 r[4];
    cauchySums(w, v, h, modes, hh * modes, 2 * t, r);
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

// Pass 2: transposed Cauchy sums per mode (added in blocks of SUM_BLOCK nodes); gamma and the lag-0
// gradient per channel. Global (M, H).
__kernel void cauchyBackwardModes(__global const real2* w, __global const real2* v, __global const real2* gr,
                                  __global const real2* gspec, __global real2* gv, __global real2* gw,
                                  __global real* gamma, __global real* lag0Grad, const int modes, const int len,
                                  const int hh) {
    int m = get_global_id(0);
    int h = get_global_id(1);
    if (m >= modes) return;
    int bins = len / 2 + 1;
    int count = (len + 1) / 2;
    int hm = hh * modes;
    size_t i = (size_t) h * modes + m;
    real2 wm = w[i];
    real ar[4] = {0, 0, 0, 0}, ai[4] = {0, 0, 0, 0}, br[4] = {0, 0, 0, 0}, bi[4] = {0, 0, 0, 0};
    for (int k0 = 0; k0 < count; k0 += SUM_BLOCK) {
        real pr[4] = {0, 0, 0, 0}, pi[4] = {0, 0, 0, 0}, qr[4] = {0, 0, 0, 0}, qi[4] = {0, 0, 0, 0};
        int k1 = min(count, k0 + SUM_BLOCK);
        for (int k = k0; k < k1; k++) {
            real zi = 2 * tanNode(k, len);
            real2 c = conj2(cdiv((real2)(1, 0), (real2)(-wm.x, zi - wm.y)));
            real2 q = cdiv((real2)(1, 0), (real2)(-wm.x, zi + wm.y));
            real2 c2 = cmul(c, c);
            real2 q2 = cmul(q, q);
            for (int x = 0; x < 4; x++) {
                real2 g = gr[((size_t) h * count + k) * 4 + x];
                real2 t = cmul(g, c) + cmul(conj2(g), q);
                real2 u = cmul(g, c2) + cmul(conj2(g), q2);
                pr[x] += t.x; pi[x] += t.y; qr[x] += u.x; qi[x] += u.y;
            }
        }
        for (int x = 0; x < 4; x++) {
            ar[x] += pr[x]; ai[x] += pi[x]; br[x] += qr[x]; bi[x] += qi[x];
        }
    }
    real accr = 0, acci = 0;
    for (int x = 0; x < 4; x++) {
        gv[(size_t) x * hm + i] = (real2)(ar[x], ai[x]);
        real2 vv = v[(size_t) x * hm + i];
        accr += vv.x * br[x] + vv.y * bi[x];
        acci += vv.x * bi[x] - vv.y * br[x];
    }
    gw[i] = (real2)(accr, acci);
    if (m == 0) {
        gamma[h] = (len & 1) == 0 ? gspec[(size_t) h * bins + len / 2].x / (real) len : (real) 0;
        real x0 = 0;
        for (int k0 = 0; k0 < bins; k0 += SUM_BLOCK) {
            real part = 0;
            int k1 = min(bins, k0 + SUM_BLOCK);
            for (int k = k0; k < k1; k++) part += ((k == 0 || 2 * k == len) ? 1 : 2) * gspec[(size_t) h * bins + k].x;
            x0 += part;
        }
        lag0Grad[h] = x0 / (real) len;
    }
}

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
