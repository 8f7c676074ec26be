// RTF4J device kernels: S4D Vandermonde and S4 Cauchy kernels (built after common.cl; see ClSource).

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
