package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.fft.FftF64;
import org.rtf4j.kernels.fft.RealFftPlan;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * The rational spectrum in float64 (template of the generated {@code JvmRationalF32}): its one job is the
 * forward (denominator and numerator spectra, K = B/A + h0, with the Montel margin refinement
 * {@link #denominatorAt} of small |A|) and its backward. Like {@code JvmKernelsF64}, each driver spreads
 * independent rows over the executor, each worker uses only its own scratch, sizes and precisions were
 * validated by {@link JvmBackend}, and each kernel is a reusable {@link KernelTask} held here, so a
 * steady-state call allocates nothing; drivers are synchronized because the fields belong to one call at a time.
 */
final class JvmRationalF64 {
    private final JvmExecutor ex;
    private final JvmScratch sc;
    private final RationalSpectrum rationalSpectrum = new RationalSpectrum();
    private final RationalSpectrumBackward rationalSpectrumBackward = new RationalSpectrumBackward();

    JvmRationalF64(JvmExecutor ex, JvmScratch sc) {
        this.ex = ex;
        this.sc = sc;
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
}
