package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.spectral.RationalShape;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.Golden;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.Margins;
import org.rtf4j.kernels.testing.OpenClTesting;

/**
 * Every device kernel against its JVM twin on the same inputs (float32 and, with cl_khr_fp64, float64;
 * without it the float64 cases are skipped, visibly), plus the golden FFT files on the device. Each test
 * asserts that its work ran on the device. float32 budgets: {@link Check#values}/{@link Check#gradients}
 * of the longest FFT, ×√ℓ for convolution outputs (as the JVM tests); for the modal kernels the sum of the
 * two backends' budgets ({@link Check#F32_VANDERMONDE}, {@link Check#F32_CAUCHY}). The build runs these
 * twins again under every emulated device profile ({@code OpenClTesting.profile()}), among them one
 * without fp64.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenClKernelsTest {
    OpenClBackend cl;
    JvmBackend jvm;

    @BeforeAll
    void up() {
        cl = OpenClTesting.backend();
        jvm = JvmBackend.withThreads(2);
    }

    @AfterAll
    void down() {
        if (cl != null) {
            cl.close();
        }
        if (jvm != null) {
            jvm.close();
        }
    }

    static double[] random(SplittableRandom r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble(-1, 1);
        }
        return x;
    }

    /** Runs {@code op} on both backends with buffers made from {@code inputs}; compares the outputs. */
    private void twin(String what, Precision p, double tol, double[][] inputs, int[] outputLengths,
                             BiConsumer<Backend, DeviceBuffer[]> op) {
        long before = cl.profiler().kernelLaunches();
        double[][][] results = new double[2][][];
        Backend[] bes = {jvm, cl};
        for (int bi = 0; bi < 2; bi++) {
            Backend be = bes[bi];
            DeviceBuffer[] bufs = new DeviceBuffer[inputs.length + outputLengths.length];
            for (int i = 0; i < inputs.length; i++) {
                bufs[i] = Host.put(be, p, inputs[i]);
            }
            for (int i = 0; i < outputLengths.length; i++) {
                bufs[inputs.length + i] = be.allocate(p, outputLengths[i]);
            }
            op.accept(be, bufs);
            results[bi] = new double[bufs.length][];
            for (int i = 0; i < bufs.length; i++) {
                results[bi][i] = Host.get(be, bufs[i]);
                bufs[i].close();
            }
        }
        for (int i = 0; i < results[0].length; i++) {
            Check.close(what + " buffer " + i + " " + p, results[1][i], results[0][i], tol);
        }
        OpenClTesting.assertRanOnDevice(cl, before);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void fftTwins(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        SplittableRandom r = new SplittableRandom(1);
        for (boolean globalPasses : new boolean[] {false, true}) {
            cl.setLocalFftLimit(globalPasses ? 0 : cl.device().localMemBytes() / 2);
            for (int n : new int[] {1, 2, 3, 5, 8, 16, 17, 64, 100, 1000, 1024, 1047, 4096}) {
                int rows = 3;
                double tol = Check.values(p, n);
                twin("complex fft n=" + n, p, tol, new double[][] {random(r, 2 * n * rows)}, new int[0],
                    (be, b) -> be.fftComplex(n, rows, b[0], false));
                twin("complex ifft n=" + n, p, tol, new double[][] {random(r, 2 * n * rows)}, new int[0],
                    (be, b) -> be.fftComplex(n, rows, b[0], true));
                int stride = n + 2;
                int len = Math.max(0, n - 1);
                twin("rfft n=" + n, p, tol, new double[][] {random(r, stride * rows)}, new int[] {2 * (n / 2 + 1) * rows},
                    (be, b) -> be.fftRealForward(n, rows, b[0], stride, len, b[1]));
                twin("irfft n=" + n, p, tol, new double[][] {random(r, 2 * (n / 2 + 1) * rows)}, new int[] {stride * rows},
                    (be, b) -> be.fftRealInverse(n, rows, b[0], b[1], stride, Math.max(1, n - 1)));
            }
        }
        cl.setLocalFftLimit(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void rationalSpectrumTwins(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        SplittableRandom r = new SplittableRandom(2);
        int[][] shapes = {{1, 4, 3, 37}, {2, 4, 8, 64}, {3, 3, 1, 2}, {1, 2, 63, 64}};
        for (int[] sh : shapes) {
            RationalShape s = new RationalShape(sh[0], sh[1], sh[2], sh[3]);
            int bins = s.bins();
            int ell = Math.max(1, sh[3] - 3);
            double[] a = random(r, sh[0] * sh[2]);
            for (int i = 0; i < a.length; i++) {
                a[i] *= 0.5 / sh[2];
            }
            double tol = Check.gradients(p, s.fftLength());
            double[] m = Margins.of(a, sh[2]);
            twin("rationalSpectrum " + s, p, tol, new double[][] {a, m, random(r, sh[1] * sh[2]), random(r, sh[1])},
                new int[] {2 * bins * sh[0], 2 * bins * sh[1], 2 * bins * sh[1], 2 * sh[0]},
                (be, b) -> be.rationalSpectrum(s, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]));
            // backward needs the forward spectra: compute them inside the op on each backend
            twin("rationalSpectrumBackward " + s, p, tol, new double[][] {a, m, random(r, sh[1] * sh[2]), random(r, sh[1]),
                    random(r, sh[1] * ell)},
                new int[] {2 * bins * sh[0], 2 * bins * sh[1], 2 * bins * sh[1], 2 * sh[0], sh[0] * sh[2], sh[1] * sh[2], sh[1],
                    s.backwardWorkLength()},
                (be, b) -> {
                    be.rationalSpectrum(s, b[0], b[1], b[2], b[3], b[5], b[6], b[7], b[8]);
                    be.rationalSpectrumBackward(s, b[4], ell, b[5], b[6], b[9], b[10], b[11], b[12]);
                });
        }
    }

    /**
     * A denominator whose spectrum is not finite (a NaN coefficient, or float32 overflow from finite ones)
     * is reported as NaN magnitude, which the host check refuses; its neighbours keep their finite minimum.
     * Run under every device profile, among them -cl-fast-relaxed-math, where isnan may be folded away.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void nonFiniteDenominatorsAreReportedUnderEveryBuildOption(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        RationalShape s = new RationalShape(3, 3, 2, 16);
        double huge = p == Precision.F32 ? 3e38 : 1.7e308;
        double[] a = {0.1, 0.2, Double.NaN, 0.3, huge, huge};
        try (DeviceBuffer ba = Host.put(cl, p, a); DeviceBuffer bm = Host.put(cl, p, Margins.of(a, 2));
             DeviceBuffer bb = Host.put(cl, p, new double[6]);
             DeviceBuffer bh = Host.put(cl, p, new double[3]); DeviceBuffer sa = cl.allocate(p, 2 * s.bins() * 3);
             DeviceBuffer sb = cl.allocate(p, 2 * s.bins() * 3); DeviceBuffer sk = cl.allocate(p, 2 * s.bins() * 3);
             DeviceBuffer mm = cl.allocate(p, 6)) {
            cl.rationalSpectrum(s, ba, bm, bb, bh, sa, sb, sk, mm);
            double[] m = Host.get(cl, mm);
            assertTrue(m[0] > 0 && Double.isFinite(m[0]), "finite row: " + m[0]);
            assertTrue(Double.isNaN(m[2]), "NaN coefficient: minimum magnitude " + m[2]);
            assertTrue(Double.isNaN(m[4]), "overflowing row: minimum magnitude " + m[4]);
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void convTwins(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        SplittableRandom r = new SplittableRandom(3);
        for (int ell : new int[] {1, 2, 5, 17, 127, 1000}) {
            for (boolean bi : new boolean[] {false, true}) {
                // each backend's own length (7-smooth, power of two) and the minimal odd one, on both backends
                long[] lengths = {jvm.convolutionFftLength(ell), cl.convolutionFftLength(ell), 2 * ell - 1};
                for (long n : java.util.stream.LongStream.of(lengths).distinct().toArray()) {
                    ConvShape s = new ConvShape(2, 3, ell, bi, (int) n);
                    double tol = Check.gradients(p, s.fftLength()) * (p == Precision.F64 ? 1 : Math.sqrt(ell));
                    double[] kf = random(r, s.kernelLength());
                    double[] kb = random(r, s.kernelLength());
                    double[] u = random(r, s.signalLength());
                    double[] gy = random(r, s.signalLength());
                    twin("fftConv ell=" + ell + " bi=" + bi + " n=" + s.fftLength(), p, tol, new double[][] {kf, kb, u, gy},
                        new int[] {s.signalLength(), s.kernelSpectrumLength(), s.signalLength(), s.kernelLength(), s.kernelLength(),
                            s.signalSpectrumLength()},
                        (be, b) -> {
                            be.fftConv(s, b[0], b[1], b[2], b[4], b[5], b[9]);
                            be.fftConvBackward(s, b[5], b[9], b[3], b[6], b[7], b[8]);
                        });
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void modalTwins(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        SplittableRandom r = new SplittableRandom(4);
        // both backends work in blocks of VANDERMONDE_BLOCK lags (the OpenCL forward one block per work
        // item): lengths below, at and past a block, with a partial last block
        int block = ModalShape.VANDERMONDE_BLOCK;
        for (int len : new int[] {1, 2, 17, block + 1, 2 * block, 1000}) {
            ModalShape s = new ModalShape(3, 5, len);
            double[] logZ = new double[s.modalLength()];
            for (int i = 0; i < logZ.length; i += 2) {
                logZ[i] = -r.nextDouble(1e-3, 0.1);
                logZ[i + 1] = r.nextDouble(-3, 3);
            }
            double tolV = p == Precision.F64 ? 1e-10 * Math.sqrt(len) : 2 * Check.F32_VANDERMONDE;
            double tolC = p == Precision.F64 ? 1e-9 : 2 * Check.F32_CAUCHY;
            twin("vandermonde L=" + len, p, tolV, new double[][] {logZ, random(r, s.modalLength()), random(r, 3),
                    random(r, s.kernelLength())},
                new int[] {s.kernelLength(), s.modalLength(), s.modalLength(), 3},
                (be, b) -> {
                    be.vandermonde(s, b[0], b[1], b[2], b[4]);
                    be.vandermondeBackward(s, b[0], b[3], b[5], b[6], b[7]);
                });
            double[] w = new double[s.modalLength()];
            for (int i = 0; i < w.length; i += 2) {
                w[i] = -r.nextDouble(0.01, 0.2);
                w[i + 1] = r.nextDouble(-2, 2);
            }
            twin("cauchy L=" + len, p, tolC, new double[][] {w, random(r, 4 * s.modalLength()), random(r, 3),
                    random(r, s.spectrumLength())},
                new int[] {s.spectrumLength(), 4 * s.modalLength(), s.modalLength(), 3, 3},
                (be, b) -> {
                    be.cauchy(s, b[0], b[1], b[2], b[4]);
                    be.cauchyBackward(s, b[0], b[1], b[3], b[5], b[6], b[7], b[8]);
                });
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void goldenFftOnTheDevice(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        long before = cl.profiler().kernelLaunches();
        for (String name : Golden.names("fft_")) {
            Golden g = Golden.load(name);
            int n = g.integer("params.n");
            try (DeviceBuffer d = Host.put(cl, p, g.complex("inputs.x_complex"))) {
                cl.fftComplex(n, 1, d, false);
                Check.close(name + " device fft " + p, Host.get(cl, d), g.complex("outputs.fft_x_complex"), Check.values(p, n));
            }
            try (DeviceBuffer in = Host.put(cl, p, g.real("inputs.x_real")); DeviceBuffer out = cl.allocate(p, 2 * (n / 2 + 1))) {
                cl.fftRealForward(n, 1, in, n, n, out);
                Check.close(name + " device rfft " + p, Host.get(cl, out), g.complex("outputs.rfft_x_real"), Check.values(p, n));
            }
            try (DeviceBuffer in = Host.put(cl, p, g.complex("inputs.X_half")); DeviceBuffer out = cl.allocate(p, n)) {
                cl.fftRealInverse(n, 1, in, out, n, n);
                Check.close(name + " device irfft " + p, Host.get(cl, out), g.real("outputs.irfft_X_half"), Check.values(p, n));
            }
        }
        OpenClTesting.assertRanOnDevice(cl, before);
    }

    @Test
    void aFailedProgramBuildThrowsWithItsLog() {
        try (OpenClBackend bad = OpenClBackend.create(OpenClTesting.platform(), OpenClTesting.device(), "-Dcmul=1");
             DeviceBuffer d = bad.allocate(Precision.F32, 8)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> bad.fftComplex(4, 1, d, false));
            assertTrue(e.getMessage().contains("OpenCL program build failed")
                && e.getMessage().contains("error"), e.getMessage());
        }
    }

    @Test
    void badBuffersAndFloat64AvailabilityAreClear() {
        try (DeviceBuffer j = jvm.allocate(Precision.F32, 8)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cl.fftComplex(4, 1, j, false));
            assertTrue(e.getMessage().contains("not a buffer of this opencl backend"), e.getMessage());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cl.allocate(Precision.F32, Integer.MAX_VALUE - 16));
        assertTrue(e.getMessage().contains("device out of memory"), e.getMessage());
    }
}
