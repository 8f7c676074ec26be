package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.spectral.ModalShape;

/**
 * JVM drivers and bodies of the modal SSM kernels in float64 (template of {@code JvmModalKernelsF32}):
 * Vandermonde (S4D) and Cauchy (S4) with their backwards, multi-threaded over channels. Complex arrays
 * are interleaved; (H, M) arrays index {@code 2*(h*M + m)}.
 *
 * <p>Powers {@code z^l} run by complex multiplication inside blocks of {@value #BLOCK} lags from float64
 * anchors {@code z^{l0}} (themselves advanced by the float64 factor {@code z^BLOCK}), so the float32
 * twin's error does not grow with L.
 *
 * <p>One instance per backend; each kernel is a reused {@link KernelTask} whose fields hold the call's
 * arguments, so a steady-state call allocates nothing. Drivers are synchronized because those fields
 * belong to one call at a time.
 */
final class JvmModalKernelsF64 {
    static final int BLOCK = ModalShape.VANDERMONDE_BLOCK;
    private static final int GROUP = 4;

    private final JvmExecutor ex;
    private final JvmScratch sc;
    private final Vandermonde vandermonde = new Vandermonde();
    private final VandermondeBackward vandermondeBackward = new VandermondeBackward();
    private final Cauchy cauchy = new Cauchy();
    private final CauchyBackward cauchyBackward = new CauchyBackward();

    JvmModalKernelsF64(JvmExecutor ex, JvmScratch sc) {
        this.ex = ex;
        this.sc = sc;
    }

    synchronized void vandermonde(ModalShape shape, double[] logZ, double[] chat, double[] lag0, double[] k) {
        Vandermonde t = vandermonde;
        t.shape = shape;
        t.logZ = logZ;
        t.chat = chat;
        t.lag0 = lag0;
        t.k = k;
        t.call(ex);
    }

    private final class Vandermonde extends KernelTask {
        ModalShape shape;
        double[] logZ;
        double[] chat;
        double[] lag0;
        double[] k;

        @Override
        int rowCount(int phase) {
            return shape.channels();
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int modes = shape.modes();
            int len = shape.length();
            // per mode g of a group: z at st[2g..2g+1]; float64 anchor chat*z^l0 at an[4g..4g+1], z^BLOCK at an[4g+2..4g+3]
            double[] st = sc.bufferF64(w, 2 * GROUP);
            double /*keep*/[] an = sc.wide(w, 4 * GROUP);
            for (int h = from; h < to; h++) {
                int ko = h * len;
                for (int l = 0; l < len; l++) {
                    k[ko + l] = 0.0;
                }
                for (int m0 = 0; m0 < modes; m0 += GROUP) {
                    for (int g = 0; g < GROUP; g++) {
                        int m = m0 + g;
                        if (m < modes) {
                            int i = 2 * (h * modes + m);
                            double /*keep*/ lr = logZ[i];
                            double /*keep*/ li = logZ[i + 1];
                            double /*keep*/ e = Math.exp(lr);
                            st[2 * g] = (double) (e * Math.cos(li));
                            st[2 * g + 1] = (double) (e * Math.sin(li));
                            an[4 * g] = chat[i];
                            an[4 * g + 1] = chat[i + 1];
                            double /*keep*/ eb = Math.exp(BLOCK * lr);
                            an[4 * g + 2] = eb * Math.cos(BLOCK * li);
                            an[4 * g + 3] = eb * Math.sin(BLOCK * li);
                        } else {
                            st[2 * g] = 0.0;
                            st[2 * g + 1] = 0.0;
                            for (int j = 0; j < 4; j++) {
                                an[4 * g + j] = 0.0;
                            }
                        }
                    }
                    double z0r = st[0];
                    double z0i = st[1];
                    double z1r = st[2];
                    double z1i = st[3];
                    double z2r = st[4];
                    double z2i = st[5];
                    double z3r = st[6];
                    double z3i = st[7];
                    for (int l0 = 0; l0 < len; l0 += BLOCK) {
                        int l1 = Math.min(len, l0 + BLOCK);
                        double p0r = (double) an[0];
                        double p0i = (double) an[1];
                        double p1r = (double) an[4];
                        double p1i = (double) an[5];
                        double p2r = (double) an[8];
                        double p2i = (double) an[9];
                        double p3r = (double) an[12];
                        double p3i = (double) an[13];
                        for (int l = l0; l < l1; l++) {
                            k[ko + l] += 2.0 * (p0r + p1r + p2r + p3r);
                            double t;
                            t = p0r * z0r - p0i * z0i;
                            p0i = p0r * z0i + p0i * z0r;
                            p0r = t;
                            t = p1r * z1r - p1i * z1i;
                            p1i = p1r * z1i + p1i * z1r;
                            p1r = t;
                            t = p2r * z2r - p2i * z2i;
                            p2i = p2r * z2i + p2i * z2r;
                            p2r = t;
                            t = p3r * z3r - p3i * z3i;
                            p3i = p3r * z3i + p3i * z3r;
                            p3r = t;
                        }
                        // next anchors in float64: a <- a * z^BLOCK
                        for (int g = 0; g < GROUP; g++) {
                            int o = 4 * g;
                            double /*keep*/ ar = an[o];
                            double /*keep*/ ai = an[o + 1];
                            an[o] = ar * an[o + 2] - ai * an[o + 3];
                            an[o + 1] = ar * an[o + 3] + ai * an[o + 2];
                        }
                    }
                }
                if (lag0 != null) {
                    k[ko] += lag0[h];
                }
            }
        }

        @Override
        void clear() {
            shape = null;
            logZ = null;
            chat = null;
            lag0 = null;
            k = null;
        }
    }

    synchronized void vandermondeBackward(ModalShape shape, double[] logZ, double[] wt, double[] sums,
                                     double[] weighted, double[] lag0Grad) {
        VandermondeBackward t = vandermondeBackward;
        t.shape = shape;
        t.logZ = logZ;
        t.wt = wt;
        t.sums = sums;
        t.weighted = weighted;
        t.lag0Grad = lag0Grad;
        t.call(ex);
    }

    private final class VandermondeBackward extends KernelTask {
        ModalShape shape;
        double[] logZ;
        double[] wt;
        double[] sums;
        double[] weighted;
        double[] lag0Grad;

        @Override
        int rowCount(int phase) {
            return shape.channels();
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int modes = shape.modes();
            int len = shape.length();
            for (int h = from; h < to; h++) {
                int wo = h * len;
                lag0Grad[h] = wt[wo];
                for (int m = 0; m < modes; m++) {
                    int i = 2 * (h * modes + m);
                    double /*keep*/ lr = logZ[i];
                    double /*keep*/ li = logZ[i + 1];
                    double /*keep*/ e = Math.exp(lr);
                    double zr = (double) (e * Math.cos(li));
                    double zi = (double) (e * Math.sin(li));
                    double /*keep*/ eb = Math.exp(BLOCK * lr);
                    double /*keep*/ br = eb * Math.cos(BLOCK * li);
                    double /*keep*/ bi = eb * Math.sin(BLOCK * li);
                    double /*keep*/ ar = 1.0;
                    double /*keep*/ ai = 0.0;
                    double /*keep*/ s0r = 0.0;
                    double /*keep*/ s0i = 0.0;
                    double /*keep*/ s1r = 0.0;
                    double /*keep*/ s1i = 0.0;
                    for (int l0 = 0; l0 < len; l0 += BLOCK) {
                        int l1 = Math.min(len, l0 + BLOCK);
                        double pr = (double) ar;
                        double pi = (double) ai;
                        double a0r = 0.0;
                        double a0i = 0.0;
                        double a1r = 0.0;
                        double a1i = 0.0;
                        for (int l = l0; l < l1; l++) {
                            double wl = wt[wo + l];
                            double lw = (l - l0) * wl;
                            a0r += wl * pr;
                            a0i += wl * pi;
                            a1r += lw * pr;
                            a1i += lw * pi;
                            double t = pr * zr - pi * zi;
                            pi = pr * zi + pi * zr;
                            pr = t;
                        }
                        // sum_l l w_l p_l = sum (l - l0) w_l p_l + l0 * sum w_l p_l
                        s0r += a0r;
                        s0i += a0i;
                        s1r += a1r + (double /*keep*/) l0 * a0r;
                        s1i += a1i + (double /*keep*/) l0 * a0i;
                        double /*keep*/ t = ar * br - ai * bi;
                        ai = ar * bi + ai * br;
                        ar = t;
                    }
                    sums[i] = (double) s0r;
                    sums[i + 1] = (double) s0i;
                    weighted[i] = (double) s1r;
                    weighted[i + 1] = (double) s1i;
                }
            }
        }

        @Override
        void clear() {
            shape = null;
            logZ = null;
            wt = null;
            sums = null;
            weighted = null;
            lag0Grad = null;
        }
    }

    /** Nodes: zImag[k] = 2 tan(pi k / L) (z_k is purely imaginary) and s_k = 2/(1 + omega_k), k < L/2. */
    private static int nodes(int len, double[] st, int o) {
        int count = (len + 1) / 2;
        for (int k = 0; k < count; k++) {
            double /*keep*/ phi = 2.0 * Math.PI * k / len;
            st[o + 3 * k] = (double) (2.0 * Math.tan(0.5 * phi));
            double /*keep*/ dr = 1.0 + Math.cos(phi);
            double /*keep*/ di = -Math.sin(phi);
            double /*keep*/ inv = 2.0 / (dr * dr + di * di);
            st[o + 3 * k + 1] = (double) (dr * inv);
            st[o + 3 * k + 2] = (double) (-di * inv);
        }
        return count;
    }

    synchronized void cauchy(ModalShape shape, double[] wv, double[] v, double[] lag0, double[] kHat) {
        Cauchy t = cauchy;
        t.shape = shape;
        t.wv = wv;
        t.v = v;
        t.lag0 = lag0;
        t.kHat = kHat;
        t.call(ex);
    }

    private final class Cauchy extends KernelTask {
        ModalShape shape;
        double[] wv;
        double[] v;
        double[] lag0;
        double[] kHat;

        @Override
        int rowCount(int phase) {
            return shape.channels();
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int modes = shape.modes();
            int len = shape.length();
            int hh = shape.channels();
            int bins = shape.bins();
            int count = (len + 1) / 2;
            double[] st = sc.bufferF64(w, 3 * count);
            nodes(len, st, 0);
            for (int h = from; h < to; h++) {
                int ko = 2 * bins * h;
                // a lag-0 term d adds d to every bin
                double d0 = lag0 == null ? 0.0 : lag0[h];
                for (int k = 0; k < count; k++) {
                    double zi = st[3 * k];
                    double cbr = 0.0;
                    double cbi = 0.0;
                    double cpr = 0.0;
                    double cpi = 0.0;
                    double qbr = 0.0;
                    double qbi = 0.0;
                    double qpr = 0.0;
                    double qpi = 0.0;
                    for (int m = 0; m < modes; m++) {
                        int i = 2 * (h * modes + m);
                        double wr = wv[i];
                        double wi = wv[i + 1];
                        // R = 1/(z - w), R2 = 1/(z - conj w), z = i zi
                        double ar = -wr;
                        double ai = zi - wi;
                        double ia = 1.0 / (ar * ar + ai * ai);
                        double rr = ar * ia;
                        double ri = -ai * ia;
                        double bi = zi + wi;
                        double ib = 1.0 / (ar * ar + bi * bi);
                        double qr = ar * ib;
                        double qi = -bi * ib;
                        int j = i;
                        int step = 2 * hh * modes;
                        // sum v R + conj(v) R2 for the four products
                        double vr = v[j];
                        double vi = v[j + 1];
                        cbr += vr * rr - vi * ri + vr * qr + vi * qi;
                        cbi += vr * ri + vi * rr + vr * qi - vi * qr;
                        vr = v[j + step];
                        vi = v[j + step + 1];
                        cpr += vr * rr - vi * ri + vr * qr + vi * qi;
                        cpi += vr * ri + vi * rr + vr * qi - vi * qr;
                        vr = v[j + 2 * step];
                        vi = v[j + 2 * step + 1];
                        qbr += vr * rr - vi * ri + vr * qr + vi * qi;
                        qbi += vr * ri + vi * rr + vr * qi - vi * qr;
                        vr = v[j + 3 * step];
                        vi = v[j + 3 * step + 1];
                        qpr += vr * rr - vi * ri + vr * qr + vi * qi;
                        qpi += vr * ri + vi * rr + vr * qi - vi * qr;
                    }
                    // K = s (r_CB - r_CP r_QB / (1 + r_QP))
                    double dr = 1.0 + qpr;
                    double di = qpi;
                    double nr = cpr * qbr - cpi * qbi;
                    double ni = cpr * qbi + cpi * qbr;
                    double id = 1.0 / (dr * dr + di * di);
                    double fr = (nr * dr + ni * di) * id;
                    double fi = (ni * dr - nr * di) * id;
                    double xr = cbr - fr;
                    double xi = cbi - fi;
                    double sr = st[3 * k + 1];
                    double si = st[3 * k + 2];
                    kHat[ko + 2 * k] = sr * xr - si * xi + d0;
                    kHat[ko + 2 * k + 1] = sr * xi + si * xr;
                }
                if (len % 2 == 0) {
                    double acc = 0.0;
                    for (int m = 0; m < modes; m++) {
                        acc += v[2 * (h * modes + m)];
                    }
                    kHat[ko + 2 * (len / 2)] = acc + d0;
                    kHat[ko + 2 * (len / 2) + 1] = 0.0;
                }
            }
        }

        @Override
        void clear() {
            shape = null;
            wv = null;
            v = null;
            lag0 = null;
            kHat = null;
        }
    }

    synchronized void cauchyBackward(ModalShape shape, double[] wv, double[] v, double[] gSpec, double[] gv,
                                double[] gw, double[] gamma, double[] lag0Grad) {
        CauchyBackward t = cauchyBackward;
        t.shape = shape;
        t.wv = wv;
        t.v = v;
        t.gSpec = gSpec;
        t.gv = gv;
        t.gw = gw;
        t.gamma = gamma;
        t.lag0Grad = lag0Grad;
        t.call(ex);
    }

    private final class CauchyBackward extends KernelTask {
        ModalShape shape;
        double[] wv;
        double[] v;
        double[] gSpec;
        double[] gv;
        double[] gw;
        double[] gamma;
        double[] lag0Grad;

        @Override
        int rowCount(int phase) {
            return shape.channels();
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int modes = shape.modes();
            int len = shape.length();
            int hh = shape.channels();
            int bins = shape.bins();
            int count = (len + 1) / 2;
            int step = 2 * hh * modes;
            double[] st = sc.bufferF64(w, 3 * count + 8 * count);
            int go = 3 * count;
            nodes(len, st, 0);
            for (int h = from; h < to; h++) {
                int ko = 2 * bins * h;
                // pass 1: per node, gK = (c_k/L) rfft(w)_k and the four conj(dK/dr) * gK
                for (int k = 0; k < count; k++) {
                    double zi = st[3 * k];
                    double cbr = 0.0;
                    double cbi = 0.0;
                    double cpr = 0.0;
                    double cpi = 0.0;
                    double qbr = 0.0;
                    double qbi = 0.0;
                    double qpr = 0.0;
                    double qpi = 0.0;
                    for (int m = 0; m < modes; m++) {
                        int i = 2 * (h * modes + m);
                        double ar = -wv[i];
                        double ai = zi - wv[i + 1];
                        double ia = 1.0 / (ar * ar + ai * ai);
                        double rr = ar * ia;
                        double ri = -ai * ia;
                        double bi = zi + wv[i + 1];
                        double ib = 1.0 / (ar * ar + bi * bi);
                        double qr = ar * ib;
                        double qi = -bi * ib;
                        double vr = v[i];
                        double vi = v[i + 1];
                        cbr += vr * rr - vi * ri + vr * qr + vi * qi;
                        cbi += vr * ri + vi * rr + vr * qi - vi * qr;
                        vr = v[i + step];
                        vi = v[i + step + 1];
                        cpr += vr * rr - vi * ri + vr * qr + vi * qi;
                        cpi += vr * ri + vi * rr + vr * qi - vi * qr;
                        vr = v[i + 2 * step];
                        vi = v[i + 2 * step + 1];
                        qbr += vr * rr - vi * ri + vr * qr + vi * qi;
                        qbi += vr * ri + vi * rr + vr * qi - vi * qr;
                        vr = v[i + 3 * step];
                        vi = v[i + 3 * step + 1];
                        qpr += vr * rr - vi * ri + vr * qr + vi * qi;
                        qpi += vr * ri + vi * rr + vr * qi - vi * qr;
                    }
                    double ck = (k == 0 ? 1.0 : 2.0) / len;
                    double gr = ck * gSpec[ko + 2 * k];
                    double gi = ck * gSpec[ko + 2 * k + 1];
                    double sr = st[3 * k + 1];
                    double si = st[3 * k + 2];
                    // t = s * gK-independent factors; d = 1 + r_QP
                    double dr = 1.0 + qpr;
                    double di = qpi;
                    double id = 1.0 / (dr * dr + di * di);
                    // a = r_QB / d, b = r_CP / d
                    double ar = (qbr * dr + qbi * di) * id;
                    double ai = (qbi * dr - qbr * di) * id;
                    double br = (cpr * dr + cpi * di) * id;
                    double bi = (cpi * dr - cpr * di) * id;
                    // derivatives: s, -s a, -s b, s a b
                    double d0r = sr;
                    double d0i = si;
                    double d1r = -(sr * ar - si * ai);
                    double d1i = -(sr * ai + si * ar);
                    double d2r = -(sr * br - si * bi);
                    double d2i = -(sr * bi + si * br);
                    double abr = ar * br - ai * bi;
                    double abi = ar * bi + ai * br;
                    double d3r = sr * abr - si * abi;
                    double d3i = sr * abi + si * abr;
                    int o = go + 8 * k;
                    // conj(d) * g
                    st[o] = d0r * gr + d0i * gi;
                    st[o + 1] = d0r * gi - d0i * gr;
                    st[o + 2] = d1r * gr + d1i * gi;
                    st[o + 3] = d1r * gi - d1i * gr;
                    st[o + 4] = d2r * gr + d2i * gi;
                    st[o + 5] = d2r * gi - d2i * gr;
                    st[o + 6] = d3r * gr + d3i * gi;
                    st[o + 7] = d3r * gi - d3i * gr;
                }
                gamma[h] = len % 2 == 0 ? gSpec[ko + 2 * (len / 2)] / len : 0.0;
                // gradient of a lag-0 term: x_0 = sum_k (c_k/L) Re X_k
                double /*keep*/ x0 = 0.0;
                for (int k = 0; k < bins; k++) {
                    x0 += (k == 0 || 2 * k == len ? 1.0 : 2.0) * gSpec[ko + 2 * k];
                }
                lag0Grad[h] = (double) (x0 / len);
                // pass 2: transposed Cauchy sums per mode
                for (int m = 0; m < modes; m++) {
                    int i = 2 * (h * modes + m);
                    double wr = wv[i];
                    double wi = wv[i + 1];
                    double /*keep*/ a0r = 0.0;
                    double /*keep*/ a0i = 0.0;
                    double /*keep*/ a1r = 0.0;
                    double /*keep*/ a1i = 0.0;
                    double /*keep*/ a2r = 0.0;
                    double /*keep*/ a2i = 0.0;
                    double /*keep*/ a3r = 0.0;
                    double /*keep*/ a3i = 0.0;
                    double /*keep*/ b0r = 0.0;
                    double /*keep*/ b0i = 0.0;
                    double /*keep*/ b1r = 0.0;
                    double /*keep*/ b1i = 0.0;
                    double /*keep*/ b2r = 0.0;
                    double /*keep*/ b2i = 0.0;
                    double /*keep*/ b3r = 0.0;
                    double /*keep*/ b3i = 0.0;
                    for (int k = 0; k < count; k++) {
                        double zi = st[3 * k];
                        double ar = -wr;
                        double ai = zi - wi;
                        double ia = 1.0 / (ar * ar + ai * ai);
                        // conj(R) = conj(1/(z-w)) = (ar + i ai)/|.|^2
                        double cr = ar * ia;
                        double ci = ai * ia;
                        double bi = zi + wi;
                        double ib = 1.0 / (ar * ar + bi * bi);
                        double qr = ar * ib;
                        double qi = -bi * ib;
                        double c2r = cr * cr - ci * ci;
                        double c2i = 2.0 * cr * ci;
                        double q2r = qr * qr - qi * qi;
                        double q2i = 2.0 * qr * qi;
                        int o = go + 8 * k;
                        double gr;
                        double gi;
                        // A += g conj(R) + conj(g) R2 ; B += g conj(R)^2 + conj(g) R2^2
                        gr = st[o];
                        gi = st[o + 1];
                        a0r += gr * cr - gi * ci + gr * qr + gi * qi;
                        a0i += gr * ci + gi * cr + gr * qi - gi * qr;
                        b0r += gr * c2r - gi * c2i + gr * q2r + gi * q2i;
                        b0i += gr * c2i + gi * c2r + gr * q2i - gi * q2r;
                        gr = st[o + 2];
                        gi = st[o + 3];
                        a1r += gr * cr - gi * ci + gr * qr + gi * qi;
                        a1i += gr * ci + gi * cr + gr * qi - gi * qr;
                        b1r += gr * c2r - gi * c2i + gr * q2r + gi * q2i;
                        b1i += gr * c2i + gi * c2r + gr * q2i - gi * q2r;
                        gr = st[o + 4];
                        gi = st[o + 5];
                        a2r += gr * cr - gi * ci + gr * qr + gi * qi;
                        a2i += gr * ci + gi * cr + gr * qi - gi * qr;
                        b2r += gr * c2r - gi * c2i + gr * q2r + gi * q2i;
                        b2i += gr * c2i + gi * c2r + gr * q2i - gi * q2r;
                        gr = st[o + 6];
                        gi = st[o + 7];
                        a3r += gr * cr - gi * ci + gr * qr + gi * qi;
                        a3i += gr * ci + gi * cr + gr * qi - gi * qr;
                        b3r += gr * c2r - gi * c2i + gr * q2r + gi * q2i;
                        b3i += gr * c2i + gi * c2r + gr * q2i - gi * q2r;
                    }
                    gv[i] = (double) a0r;
                    gv[i + 1] = (double) a0i;
                    gv[i + step] = (double) a1r;
                    gv[i + step + 1] = (double) a1i;
                    gv[i + 2 * step] = (double) a2r;
                    gv[i + 2 * step + 1] = (double) a2i;
                    gv[i + 3 * step] = (double) a3r;
                    gv[i + 3 * step + 1] = (double) a3i;
                    // gw = sum_XY conj(v_XY) B_XY
                    double /*keep*/ accr = 0.0;
                    double /*keep*/ acci = 0.0;
                    double /*keep*/ vr;
                    double /*keep*/ vi;
                    vr = v[i];
                    vi = -v[i + 1];
                    accr += vr * b0r - vi * b0i;
                    acci += vr * b0i + vi * b0r;
                    vr = v[i + step];
                    vi = -v[i + step + 1];
                    accr += vr * b1r - vi * b1i;
                    acci += vr * b1i + vi * b1r;
                    vr = v[i + 2 * step];
                    vi = -v[i + 2 * step + 1];
                    accr += vr * b2r - vi * b2i;
                    acci += vr * b2i + vi * b2r;
                    vr = v[i + 3 * step];
                    vi = -v[i + 3 * step + 1];
                    accr += vr * b3r - vi * b3i;
                    acci += vr * b3i + vi * b3r;
                    gw[i] = (double) accr;
                    gw[i + 1] = (double) acci;
                }
            }
        }

        @Override
        void clear() {
            shape = null;
            wv = null;
            v = null;
            gSpec = null;
            gv = null;
            gw = null;
            gamma = null;
            lag0Grad = null;
        }
    }
}
