package org.rtf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.fft.ComplexFftPlan;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.WithJvmBackend;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/** Our FFTs against JTransforms 3.1 (float64) on every length 1..4100 and on batches. */
class FftJTransformsTest extends WithJvmBackend {

    @BeforeAll
    static void singleThreadedReference() {
        ConcurrencyUtils.setNumberOfThreads(1);
    }

    @AfterAll
    static void stopReferencePool() throws InterruptedException {
        ConcurrencyUtils.shutdownThreadPoolAndAwaitTermination();
    }

    private static double[] reference(double[] interleaved) {
        double[] a = interleaved.clone();
        new DoubleFFT_1D(a.length / 2).complexForward(a);
        return a;
    }

    private static double[] random(SplittableRandom r, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = r.nextDouble(-1, 1);
        }
        return x;
    }

    @Test
    void everyLengthUpTo4100Float64() {
        SplittableRandom r = new SplittableRandom(20261123L);
        double worst = 0;
        for (int n = 1; n <= 4100; n++) {
            double[] xc = random(r, 2 * n);
            double[] ref = reference(xc);
            try (DeviceBuffer d = Host.put(be, Precision.F64, xc)) {
                be.fftComplex(n, 1, d, false);
                worst = Math.max(worst, Check.close("complex n=" + n, Host.get(be, d), ref, 1e-11));
                be.fftComplex(n, 1, d, true);
                Check.close("complex round trip n=" + n, Host.get(be, d), xc, 1e-12);
            }
            double[] xr = random(r, n);
            double[] full = new double[2 * n];
            for (int t = 0; t < n; t++) {
                full[2 * t] = xr[t];
            }
            double[] refFull = reference(full);
            double[] refHalf = java.util.Arrays.copyOf(refFull, 2 * (n / 2 + 1));
            try (DeviceBuffer in = Host.put(be, Precision.F64, xr);
                 DeviceBuffer spec = be.allocate(Precision.F64, 2 * (n / 2 + 1));
                 DeviceBuffer back = be.allocate(Precision.F64, n)) {
                be.fftRealForward(n, 1, in, n, n, spec);
                worst = Math.max(worst, Check.close("real n=" + n, Host.get(be, spec), refHalf, 1e-11));
                be.fftRealInverse(n, 1, spec, back, n, n);
                Check.close("real round trip n=" + n, Host.get(be, back), xr, 1e-12);
            }
        }
        System.out.printf("FFT vs JTransforms, n = 1..4100, float64: worst error %.2e%n", worst);
    }

    @Test
    void sampledLengthsFloat32() {
        SplittableRandom r = new SplittableRandom(7L);
        int[] lengths = {1, 2, 3, 5, 7, 11, 17, 64, 97, 127, 128, 1000, 1024, 1047, 2048, 4096, 4097};
        for (int n : lengths) {
            double[] xc = random(r, 2 * n);
            double[] ref = reference(Host.round(Precision.F32, xc));
            try (DeviceBuffer d = Host.put(be, Precision.F32, xc)) {
                be.fftComplex(n, 1, d, false);
                Check.close("complex f32 n=" + n, Host.get(be, d), ref, Check.values(Precision.F32, n));
            }
        }
    }

    @Test
    void batchedRowsWithStrideAndPadding() {
        SplittableRandom r = new SplittableRandom(11L);
        int n = 30;
        int rows = 7;
        int stride = 13;
        int len = 11;
        double[] x = random(r, rows * stride);
        for (Precision p : Precision.values()) {
            try (DeviceBuffer in = Host.put(be, p, x); DeviceBuffer spec = be.allocate(p, rows * 2 * (n / 2 + 1));
                 DeviceBuffer back = be.allocate(p, rows * 20)) {
                be.fftRealForward(n, rows, in, stride, len, spec);
                double[] got = Host.get(be, spec);
                for (int row = 0; row < rows; row++) {
                    double[] full = new double[2 * n];
                    for (int t = 0; t < len; t++) {
                        full[2 * t] = (p == Precision.F32) ? (float) x[row * stride + t] : x[row * stride + t];
                    }
                    double[] ref = java.util.Arrays.copyOf(reference(full), 2 * (n / 2 + 1));
                    double[] mine = java.util.Arrays.copyOfRange(got, row * 2 * (n / 2 + 1), (row + 1) * 2 * (n / 2 + 1));
                    Check.close("batched row " + row + " " + p, mine, ref, Check.values(p, n) * 4);
                }
                be.fftRealInverse(n, rows, spec, back, 20, len);
                double[] b = Host.get(be, back);
                for (int row = 0; row < rows; row++) {
                    for (int t = 0; t < len; t++) {
                        assertEquals(x[row * stride + t], b[row * 20 + t], Check.values(p, n), "round trip row " + row + " t " + t);
                    }
                }
            }
        }
    }

    @Test
    void planAlgorithms() {
        assertEquals(ComplexFftPlan.Algorithm.STOCKHAM_POW2, ComplexFftPlan.of(1024).algorithm());
        assertEquals(ComplexFftPlan.Algorithm.STOCKHAM_MIXED, ComplexFftPlan.of(2100).algorithm());
        assertEquals(ComplexFftPlan.Algorithm.BLUESTEIN, ComplexFftPlan.of(2093).algorithm());
        assertEquals(8192, ComplexFftPlan.of(2093).bluesteinLength()); // m >= 2n-1 = 4185
        assertEquals(2100, ComplexFftPlan.nextSmooth(2094, 2));
    }
}
