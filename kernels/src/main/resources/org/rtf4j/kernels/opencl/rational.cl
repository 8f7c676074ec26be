// RTF4J device kernels: the RTF rational spectrum (built after common.cl; see ClSource).

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

// sin(pi num / den), den > 0: the integer ratio reduced to [0, 1/2] before the division, so a sine near 0 keeps
// its relative accuracy.
inline real sinPiRatio(long num, long den) {
    long t = num % (2 * den);
    if (t < 0) t += 2 * den;
    real sign = 1;
    if (t >= den) { t -= den; sign = -1; }
    if (2 * t > den) t = den - t;
    return sign * sinpi((real) t / (real) den);
}

// For a denominator with margin m = 1 - sum |a| >= 0, the bins where the transform gave |A| < refine * (1 + sum |a|),
// evaluated again directly as A = m + sum_n (|a_n| + a_n e^{-2 pi i k n / P}): the real part is m plus the
// non-negative terms 2|a_n| sin^2(pi j / P) (a_n < 0) or 2 a_n cos^2(pi j / P) (a_n >= 0), j = nk mod P, a sum
// without cancellation (the JVM twin is JvmKernelsF64.denominatorAt). ab holds the denominators' spectra
// in its first numA rows. Global (bins, numA).
__kernel void refineDenominators(__global real2* ab, __global const real* a, __global const real* margin,
                                 const int bins, const int order, const int p, const real refine) {
    int k = get_global_id(0);
    int g = get_global_id(1);
    if (k >= bins) return;
    size_t i = (size_t) g * bins + k;
    real re = margin[g];
    if (!(re >= 0)) return;
    real2 v = ab[i];
    real norm = 1;
    for (int n = 0; n < order; n++) norm += fabs(a[(size_t) g * order + n]);
    if (!(sqrt(v.x * v.x + v.y * v.y) < refine * norm)) return;
    real im = 0;
    for (int n = 1; n <= order; n++) {
        real an = a[(size_t) g * order + n - 1];
        long j = ((long) n * k) % p;
        real hs = an < 0 ? sinPiRatio(j, p) : sinPiRatio(p / 2 - j, p);
        re += 2 * fabs(an) * hs * hs;
        im -= an * sinPiRatio(2 * j, p);
    }
    ab[i] = (real2)(re, im);
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
