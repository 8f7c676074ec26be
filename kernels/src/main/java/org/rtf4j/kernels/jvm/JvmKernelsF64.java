package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.fft.ComplexFftPlan;
import org.rtf4j.kernels.fft.FftF64;
import org.rtf4j.kernels.fft.FourStepF64;
import org.rtf4j.kernels.fft.FourStepPlan;
import org.rtf4j.kernels.fft.RealFftPlan;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * JVM kernel drivers and bodies in float64 (template of the generated {@code JvmKernelsF32}). Each
 * driver spreads independent rows over the executor; each worker uses only its own scratch. Sizes and
 * precisions were validated by {@link JvmBackend}; layouts are those of
 * {@link org.rtf4j.kernels.backend.Backend}.
 *
 * <p>One instance per backend. Each kernel is a {@link KernelTask} held here and reused: a driver puts
 * its arguments into the task's fields and runs it, so a steady-state call allocates nothing. Drivers
 * are synchronized because the fields belong to one call at a time.
 */
final class JvmKernelsF64 {
    private final JvmExecutor ex;
    private final JvmScratch sc;
    private final FftComplex fftComplex = new FftComplex();
    private final FftRealForward fftRealForward = new FftRealForward();
    private final FftRealInverse fftRealInverse = new FftRealInverse();
    private final RationalSpectrum rationalSpectrum = new RationalSpectrum();
    private final RationalSpectrumBackward rationalSpectrumBackward = new RationalSpectrumBackward();
    private final FftConv fftConv = new FftConv();
    private final FftConvBackward fftConvBackward = new FftConvBackward();

    JvmKernelsF64(JvmExecutor ex, JvmScratch sc) {
        this.ex = ex;
        this.sc = sc;
    }

    synchronized void fftComplex(int n, int rows, double[] data, boolean inverse) {
        FftComplex t = fftComplex;
        t.plan = ComplexFftPlan.of(n);
        t.count = rows;
        t.data = data;
        t.inverse = inverse;
        t.call(ex);
    }

    private final class FftComplex extends KernelTask {
        ComplexFftPlan plan;
        int count;
        double[] data;
        boolean inverse;

        @Override
        int rowCount(int phase) {
            return count;
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int n = plan.length();
            if (n >= FourStepPlan.COMPLEX_MIN_LENGTH && FourStepPlan.supports(n)) {
                FourStepPlan fp = FourStepPlan.of(n);
                FourStepF64.Work wk = sc.fourStepF64(w, fp);
                for (int r = from; r < to; r++) {
                    FourStepF64.complex(fp, wk, data, 2 * n * r, inverse);
                }
                return;
            }
            double[] s = sc.bufferF64(w, plan.scratchLength());
            for (int r = from; r < to; r++) {
                if (inverse) {
                    FftF64.inverse(plan, data, 2 * n * r, s, 0);
                } else {
                    FftF64.forward(plan, data, 2 * n * r, s, 0);
                }
            }
        }

        @Override
        void clear() {
            plan = null;
            data = null;
        }
    }

    synchronized void fftRealForward(int n, int rows, double[] in, int inStride, int inLength, double[] out) {
        FftRealForward t = fftRealForward;
        t.plan = RealFftPlan.of(n);
        t.count = rows;
        t.in = in;
        t.inStride = inStride;
        t.inLength = inLength;
        t.out = out;
        t.call(ex);
    }

    private final class FftRealForward extends KernelTask {
        RealFftPlan plan;
        int count;
        double[] in;
        int inStride;
        int inLength;
        double[] out;

        @Override
        int rowCount(int phase) {
            return count;
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int rowOut = 2 * plan.bins();
            double[] s = sc.bufferF64(w, plan.scratchLength());
            int r = from;
            FourStepPlan pp = plan.fourStep();
            if (pp != null) {
                FourStepF64.Work wk = sc.fourStepF64(w, pp);
                for (; r + 1 < to; r += 2) {
                    FourStepF64.realForward(pp, wk, in, r * inStride, in, (r + 1) * inStride, inLength,
                        out, r * rowOut, out, (r + 1) * rowOut);
                }
            }
            for (; r < to; r++) {
                FftF64.realForward(plan, in, r * inStride, inLength, out, r * rowOut, s, 0);
            }
        }

        @Override
        void clear() {
            plan = null;
            in = null;
            out = null;
        }
    }

    synchronized void fftRealInverse(int n, int rows, double[] in, double[] out, int outStride, int outLength) {
        FftRealInverse t = fftRealInverse;
        t.plan = RealFftPlan.of(n);
        t.count = rows;
        t.in = in;
        t.out = out;
        t.outStride = outStride;
        t.outLength = outLength;
        t.call(ex);
    }

    private final class FftRealInverse extends KernelTask {
        RealFftPlan plan;
        int count;
        double[] in;
        double[] out;
        int outStride;
        int outLength;

        @Override
        int rowCount(int phase) {
            return count;
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int rowIn = 2 * plan.bins();
            double[] s = sc.bufferF64(w, plan.scratchLength());
            int r = from;
            FourStepPlan pp = plan.fourStep();
            if (pp != null) {
                FourStepF64.Work wk = sc.fourStepF64(w, pp);
                for (; r + 1 < to; r += 2) {
                    FourStepF64.realInverse(pp, wk, in, r * rowIn, in, (r + 1) * rowIn, out, r * outStride,
                        out, (r + 1) * outStride, outLength);
                }
            }
            for (; r < to; r++) {
                FftF64.realInverse(plan, in, r * rowIn, out, r * outStride, outLength, s, 0);
            }
        }

        @Override
        void clear() {
            plan = null;
            in = null;
            out = null;
        }
    }

    synchronized void rationalSpectrum(RationalShape shape, double[] a, double[] margin, double[] b, double[] h0,
                                       double[] specA, double[] specB, double[] specK, double[] minMag) {
        RationalSpectrum t = rationalSpectrum;
        t.shape = shape;
        t.plan = RealFftPlan.of(shape.fftLength());
        t.a = a;
        t.margin = margin;
        t.b = b;
        t.h0 = h0;
        t.specA = specA;
        t.specB = specB;
        t.specK = specK;
        t.minMag = minMag;
        t.call(ex);
    }

    /**
     * Phase 0: spectra of the denominators (for a margin m ≥ 0, bins with |A| below
     * {@link RationalShape#REFINE_BELOW} of 1 + Σ|a| evaluated again directly, {@link #denominatorAt}) and
     * their smallest magnitude; phase 1: numerators and K = B/A + h0.
     */
    private final class RationalSpectrum extends KernelTask {
        RationalShape shape;
        RealFftPlan plan;
        double[] a;
        double[] margin;
        double[] b;
        double[] h0;
        double[] specA;
        double[] specB;
        double[] specK;
        double[] minMag;

        @Override
        int phases() {
            return 2;
        }

        @Override
        int rowCount(int phase) {
            return phase == 0 ? shape.numA() : shape.channels();
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            if (phase == 0) {
                denominators(w, from, to);
            } else {
                numerators(w, from, to);
            }
        }

        private void denominators(int w, int from, int to) {
            int order = shape.order();
            int bins = shape.bins();
            int pad = order + 1;
            double[] s = sc.bufferF64(w, pad + plan.scratchLength());
            int p = shape.fftLength();
            for (int g = from; g < to; g++) {
                // row (1, a_1 .. a_N), zero-padded to P by the transform
                s[0] = 1.0;
                double norm = 1.0;
                for (int j = 1; j <= order; j++) {
                    double v = a[g * order + j - 1];
                    s[j] = v;
                    norm += Math.abs(v);
                }
                double m = margin[g];
                // only a margin m ≥ 0 makes the direct form free of cancellation (0 refines nothing)
                double refine = m >= 0 ? norm * (double) RationalShape.REFINE_BELOW : 0.0;
                int o = 2 * bins * g;
                FftF64.realForward(plan, s, 0, pad, specA, o, s, pad);
                double best = Double.POSITIVE_INFINITY;
                int arg = 0;
                for (int k = 0; k < bins; k++) {
                    double re = specA[o + 2 * k];
                    double im = specA[o + 2 * k + 1];
                    double mag = (double) Math.sqrt(re * re + im * im);
                    if (mag < refine) {
                        // the transform's error is about eps·norm·log2 P: small |A| is evaluated again
                        denominatorAt(a, g * order, order, m, k, p, specA, o + 2 * k);
                        re = specA[o + 2 * k];
                        im = specA[o + 2 * k + 1];
                        mag = (double) Math.sqrt(re * re + im * im);
                    }
                    if (mag < best || mag != mag) {
                        best = mag;
                        arg = k;
                    }
                }
                minMag[2 * g] = best / norm;
                minMag[2 * g + 1] = arg;
            }
        }

        private void numerators(int w, int from, int to) {
            int order = shape.order();
            int bins = shape.bins();
            int pad = order + 1;
            double[] s = sc.bufferF64(w, pad + plan.scratchLength());
            for (int c = from; c < to; c++) {
                s[0] = 0.0;
                for (int j = 1; j <= order; j++) {
                    s[j] = b[c * order + j - 1];
                }
                int o = 2 * bins * c;
                FftF64.realForward(plan, s, 0, pad, specB, o, s, pad);
                int oa = 2 * bins * shape.denominatorOf(c);
                double d = h0[c];
                for (int k = 0; k < bins; k++) {
                    double ar = specA[oa + 2 * k];
                    double ai = specA[oa + 2 * k + 1];
                    double br = specB[o + 2 * k];
                    double bi = specB[o + 2 * k + 1];
                    double inv = 1.0 / (ar * ar + ai * ai);
                    specK[o + 2 * k] = (br * ar + bi * ai) * inv + d;
                    specK[o + 2 * k + 1] = (bi * ar - br * ai) * inv;
                }
            }
        }

        @Override
        void clear() {
            shape = null;
            plan = null;
            a = null;
            margin = null;
            b = null;
            h0 = null;
            specA = null;
            specB = null;
            specK = null;
            minMag = null;
        }
    }

    /**
     * {@code A(z_k) = m + Σ_n (|a_n| + a_n e^{−2πikn/P})} into {@code spec[o]} (re) and {@code spec[o+1]}
     * (im), with {@code a_n = a[off + n − 1]}, n = 1..N. The real part is m plus the non-negative terms
     * {@code 2|a_n| sin²(πj/P)} (a_n &lt; 0) or {@code 2 a_n cos²(πj/P)} (a_n ≥ 0), j = nk mod P, so for
     * m ≥ 0 it is a sum without cancellation, accurate to a few ulps relative whatever its size; the
     * imaginary part {@code −Σ a_n sin(2πj/P)} has an absolute error of a few ulps of Σ|a_n sin(2πj/P)|,
     * at most about eps·sqrt(2·Re A) when Σ|a_n| ≤ 1. The sines are of integer ratios reduced exactly
     * before the division ({@link #sinPi}).
     */
    private static void denominatorAt(double[] a, int off, int order, double m, int k, int p, double[] spec, int o) {
        double re = m;
        double im = 0.0;
        for (int n = 1; n <= order; n++) {
            double v = a[off + n - 1];
            int j = (int) ((long) n * k % p);
            double half = v < 0 ? sinPi(j, p) : sinPi(p / 2 - j, p);
            re += 2 * Math.abs(v) * half * half;
            im -= v * sinPi(2 * j, p);
        }
        spec[o] = re;
        spec[o + 1] = im;
    }

    /**
     * sin(π·num/den), den &gt; 0: the integer ratio reduced to [0, 1/2] before it is divided, so a sine
     * near 0 keeps its relative accuracy (the sine itself is evaluated in float64, then rounded).
     */
    private static double sinPi(int num, int den) {
        long t = Math.floorMod((long) num, 2L * den);
        double sign = 1.0;
        if (t >= den) {
            t -= den;
            sign = -1.0;
        }
        if (2 * t > den) {
            t = den - t;
        }
        return sign * (double) Math.sin(Math.PI * t / den);
    }

    synchronized void rationalSpectrumBackward(RationalShape shape, double[] gk, int ell, double[] specA, double[] specB,
                                               double[] da, double[] db, double[] dh0, double[] work) {
        RationalSpectrumBackward t = rationalSpectrumBackward;
        t.shape = shape;
        t.plan = RealFftPlan.of(shape.fftLength());
        t.gk = gk;
        t.ell = ell;
        t.specA = specA;
        t.specB = specB;
        t.da = da;
        t.db = db;
        t.dh0 = dh0;
        t.work = work;
        t.call(ex);
    }

    /** Phase 0: per channel, db, dh0 and the channel's share of the denominator gradient in work; phase 1: da. */
    private final class RationalSpectrumBackward extends KernelTask {
        RationalShape shape;
        RealFftPlan plan;
        double[] gk;
        int ell;
        double[] specA;
        double[] specB;
        double[] da;
        double[] db;
        double[] dh0;
        double[] work;

        @Override
        int phases() {
            return 2;
        }

        @Override
        int rowCount(int phase) {
            return phase == 0 ? shape.channels() : shape.numA();
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int order = shape.order();
            int bins = shape.bins();
            int p = shape.fftLength();
            int spec = 2 * bins;
            double[] s = sc.bufferF64(w, spec + p + plan.scratchLength());
            int tmp = spec;
            int fs = spec + p;
            if (phase == 0) {
                for (int c = from; c < to; c++) {
                    // Gamma = rfft_P(g_k zero-extended)
                    FftF64.realForward(plan, gk, c * ell, ell, s, 0, s, fs);
                    dh0[c] = gk[c * ell];
                    int oa = 2 * bins * shape.denominatorOf(c);
                    int ob = 2 * bins * c;
                    for (int k = 0; k < bins; k++) {
                        double gr = s[2 * k];
                        double gi = s[2 * k + 1];
                        double ar = specA[oa + 2 * k];
                        double ai = specA[oa + 2 * k + 1];
                        double br = specB[ob + 2 * k];
                        double bi = specB[ob + 2 * k + 1];
                        double inv = 1.0 / (ar * ar + ai * ai);
                        // q = B/A, then r = q/A = B/A^2
                        double qr = (br * ar + bi * ai) * inv;
                        double qi = (bi * ar - br * ai) * inv;
                        double rr = (qr * ar + qi * ai) * inv;
                        double ri = (qi * ar - qr * ai) * inv;
                        // work_c = -Gamma * conj(B/A^2)
                        work[ob + 2 * k] = -(gr * rr + gi * ri);
                        work[ob + 2 * k + 1] = -(gi * rr - gr * ri);
                        // Gamma / conj(A) = Gamma * A / |A|^2
                        s[2 * k] = (gr * ar - gi * ai) * inv;
                        s[2 * k + 1] = (gr * ai + gi * ar) * inv;
                    }
                    FftF64.realInverse(plan, s, 0, s, tmp, order + 1, s, fs);
                    for (int j = 1; j <= order; j++) {
                        db[c * order + j - 1] = s[tmp + j];
                    }
                }
            } else {
                int per = shape.channelsPerDenominator();
                for (int g = from; g < to; g++) {
                    for (int i = 0; i < spec; i++) {
                        s[i] = 0.0;
                    }
                    for (int c = g * per; c < (g + 1) * per; c++) {
                        int o = 2 * bins * c;
                        for (int i = 0; i < spec; i++) {
                            s[i] += work[o + i];
                        }
                    }
                    FftF64.realInverse(plan, s, 0, s, tmp, order + 1, s, fs);
                    for (int j = 1; j <= order; j++) {
                        da[g * order + j - 1] = s[tmp + j];
                    }
                }
            }
        }

        @Override
        void clear() {
            shape = null;
            plan = null;
            gk = null;
            specA = null;
            specB = null;
            da = null;
            db = null;
            dh0 = null;
            work = null;
        }
    }

    synchronized void fftConv(ConvShape shape, double[] kf, double[] kb, double[] u, double[] y, double[] kSpec,
                              double[] uSpec) {
        FftConv t = fftConv;
        t.shape = shape;
        t.plan = RealFftPlan.of(shape.fftLength());
        t.kf = kf;
        t.kb = kb;
        t.u = u;
        t.y = y;
        t.kSpec = kSpec;
        t.uSpec = uSpec;
        t.call(ex);
    }

    /**
     * Phase 0: kernel spectra per channel; phase 1: per (batch, channel) row, U = rfft(u) kept in uSpec for
     * the backward, y = irfft(U K).
     */
    private final class FftConv extends KernelTask {
        ConvShape shape;
        RealFftPlan plan;
        double[] kf;
        double[] kb;
        double[] u;
        double[] y;
        double[] kSpec;
        double[] uSpec;

        @Override
        int phases() {
            return 2;
        }

        @Override
        int rowCount(int phase) {
            if (phase == 0) {
                return shape.channels();
            }
            // with four-step transforms, one unit is a channel's batch rows 2j and 2j+1 (transformed together)
            return plan.fourStep() != null ? shape.channels() * ((shape.batch() + 1) / 2)
                : shape.batch() * shape.channels();
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int n = shape.fftLength();
            int ell = shape.length();
            int h = shape.channels();
            int spec = 2 * shape.bins();
            int sl = plan.scratchLength();
            if (phase == 0) {
                boolean bi = shape.bidirectional();
                double[] s = sc.bufferF64(w, n + sl);
                for (int c = from; c < to; c++) {
                    if (!bi) {
                        FftF64.realForward(plan, kf, c * ell, ell, kSpec, c * spec, s, 0);
                    } else {
                        // kappa[t] = kf[t] (t < ell), kappa[n-1-j] = kb[j] (lag -(j+1)); zero elsewhere
                        for (int t = 0; t < n; t++) {
                            s[t] = 0.0;
                        }
                        System.arraycopy(kf, c * ell, s, 0, ell);
                        for (int j = 0; j < ell && n - 1 - j >= ell; j++) {
                            s[n - 1 - j] = kb[c * ell + j];
                        }
                        FftF64.realForward(plan, s, 0, n, kSpec, c * spec, s, n);
                    }
                }
            } else {
                double[] s = sc.bufferF64(w, 2 * spec + sl);
                FourStepPlan fp = plan.fourStep();
                if (fp == null) {
                    for (int r = from; r < to; r++) {
                        single(r, s, spec);
                    }
                    return;
                }
                // unit q: channel c, batch rows 2j and 2j+1 as one complex row (same channel, so rounding
                // errors scale with rows of the same signal); U of both, their products in s[0, spec) and
                // s[spec, 2 spec); an odd batch's last row alone
                FourStepF64.Work wk = sc.fourStepF64(w, fp);
                int batch = shape.batch();
                for (int q = from; q < to; q++) {
                    int c = q % h;
                    int b = 2 * (q / h);
                    int r0 = b * h + c;
                    if (b + 1 == batch) {
                        single(r0, s, spec);
                        continue;
                    }
                    int r1 = r0 + h;
                    FourStepF64.realForward(fp, wk, u, r0 * ell, u, r1 * ell, ell, uSpec, r0 * spec, uSpec, r1 * spec);
                    spectralProduct(uSpec, r0 * spec, kSpec, c * spec, s, 0, spec);
                    spectralProduct(uSpec, r1 * spec, kSpec, c * spec, s, spec, spec);
                    FourStepF64.realInverse(fp, wk, s, 0, s, spec, y, r0 * ell, y, r1 * ell, ell);
                }
            }
        }

        /** Row r (batch b, channel r mod H) on its own: U = rfft(u) into uSpec, y = irfft(U K). */
        private void single(int r, double[] s, int spec) {
            int ell = shape.length();
            int uo = r * spec;
            FftF64.realForward(plan, u, r * ell, ell, uSpec, uo, s, spec);
            spectralProduct(uSpec, uo, kSpec, (r % shape.channels()) * spec, s, 0, spec);
            FftF64.realInverse(plan, s, 0, y, r * ell, ell, s, spec);
        }

        @Override
        void clear() {
            shape = null;
            plan = null;
            kf = null;
            kb = null;
            u = null;
            y = null;
            kSpec = null;
            uSpec = null;
        }
    }

    /** {@code p[po + k] = x[xo + k] * y[yo + k]} for {@code len/2} interleaved complex numbers. */
    private static void spectralProduct(double[] x, int xo, double[] y, int yo, double[] p, int po, int len) {
        for (int k = 0; k < len; k += 2) {
            double xr = x[xo + k];
            double xi = x[xo + k + 1];
            double yr = y[yo + k];
            double yi = y[yo + k + 1];
            p[po + k] = xr * yr - xi * yi;
            p[po + k + 1] = xr * yi + xi * yr;
        }
    }

    /**
     * One row of the convolution's backward in the frequency domain: {@code acc += G conj(U)}, then
     * {@code G <- G conj(K)}; G at {@code s[g ..]}, the forward's U (left as it is) and K given.
     */
    private static void backwardSpectra(double[] s, int g, double[] uSpec, int uo, double[] kSpec, int ko, int acc,
                                        int len) {
        for (int k = 0; k < len; k += 2) {
            double gr = s[g + k];
            double gi = s[g + k + 1];
            double ur = uSpec[uo + k];
            double ui = uSpec[uo + k + 1];
            s[acc + k] += gr * ur + gi * ui;
            s[acc + k + 1] += gi * ur - gr * ui;
            double kr = kSpec[ko + k];
            double ki = kSpec[ko + k + 1];
            s[g + k] = gr * kr + gi * ki;
            s[g + k + 1] = gi * kr - gr * ki;
        }
    }

    synchronized void fftConvBackward(ConvShape shape, double[] kSpec, double[] uSpec, double[] gy, double[] du,
                                      double[] dkf, double[] dkb) {
        FftConvBackward t = fftConvBackward;
        t.shape = shape;
        t.plan = RealFftPlan.of(shape.fftLength());
        t.kSpec = kSpec;
        t.uSpec = uSpec;
        t.gy = gy;
        t.du = du;
        t.dkf = dkf;
        t.dkb = dkb;
        t.call(ex);
    }

    private final class FftConvBackward extends KernelTask {
        ConvShape shape;
        RealFftPlan plan;
        double[] kSpec;
        double[] uSpec;
        double[] gy;
        double[] du;
        double[] dkf;
        double[] dkb;

        @Override
        int rowCount(int phase) {
            return shape.channels();
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int n = shape.fftLength();
            int ell = shape.length();
            int h = shape.channels();
            int spec = 2 * shape.bins();
            boolean bi = shape.bidirectional();
            int batch = shape.batch();
            double[] s = sc.bufferF64(w, 3 * spec + n + plan.scratchLength());
            int g0 = 0;
            int g1 = spec;
            int acc = 2 * spec;
            int tmp = 3 * spec;
            int fs = 3 * spec + n;
            FourStepPlan pp = plan.fourStep();
            for (int c = from; c < to; c++) {
                int ko = c * spec;
                for (int i = acc; i < acc + spec; i++) {
                    s[i] = 0.0;
                }
                int b = 0;
                if (pp != null) {
                    // batch rows b and b+1 of channel c together
                    FourStepF64.Work wk = sc.fourStepF64(w, pp);
                    for (; b + 1 < batch; b += 2) {
                        int r0 = b * h + c;
                        int r1 = r0 + h;
                        FourStepF64.realForward(pp, wk, gy, r0 * ell, gy, r1 * ell, ell, s, g0, s, g1);
                        backwardSpectra(s, g0, uSpec, r0 * spec, kSpec, ko, acc, spec);
                        backwardSpectra(s, g1, uSpec, r1 * spec, kSpec, ko, acc, spec);
                        FourStepF64.realInverse(pp, wk, s, g0, s, g1, du, r0 * ell, du, r1 * ell, ell);
                    }
                }
                for (; b < batch; b++) {
                    int r = b * h + c;
                    FftF64.realForward(plan, gy, r * ell, ell, s, g0, s, fs);
                    backwardSpectra(s, g0, uSpec, r * spec, kSpec, ko, acc, spec);
                    FftF64.realInverse(plan, s, g0, du, r * ell, ell, s, fs);
                }
                FftF64.realInverse(plan, s, acc, s, tmp, n, s, fs);
                System.arraycopy(s, tmp, dkf, c * ell, ell);
                if (bi) {
                    for (int j = 0; j < ell; j++) {
                        dkb[c * ell + j] = n - 1 - j >= ell ? s[tmp + n - 1 - j] : 0.0;
                    }
                }
            }
        }

        @Override
        void clear() {
            shape = null;
            plan = null;
            kSpec = null;
            uSpec = null;
            gy = null;
            du = null;
            dkf = null;
            dkb = null;
        }
    }
}
