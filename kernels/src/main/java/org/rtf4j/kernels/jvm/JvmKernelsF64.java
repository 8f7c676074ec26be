package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.fft.ComplexFftPlan;
import org.rtf4j.kernels.fft.FftF64;
import org.rtf4j.kernels.fft.FourStepF64;
import org.rtf4j.kernels.fft.FourStepPlan;
import org.rtf4j.kernels.fft.RealFftPlan;
import org.rtf4j.kernels.spectral.ConvShape;

/**
 * JVM kernel drivers and bodies in float64 (template of the generated {@code JvmKernelsF32}): the FFTs
 * (complex, real forward and inverse) and the FFT convolution with its backward; the rational spectrum is
 * {@code JvmRationalF64}'s. Each driver spreads independent rows over the executor; each worker uses only its
 * own scratch. Sizes and precisions were validated by {@link JvmBackend}; layouts are those of
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
