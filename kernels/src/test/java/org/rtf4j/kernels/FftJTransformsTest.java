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

    /** Powers of two from 4096 run the four-step transform: long lengths, several rows, both precisions. */
    @Test
    void fourStepComplexLengths() {
        SplittableRandom r = new SplittableRandom(13L);
        for (int n : new int[] {4096, 8192, 32768, 65536}) {
            int rows = 3;
            double[] x = random(r, rows * 2 * n);
            for (Precision p : Precision.values()) {
                double[] xp = Host.round(p, x);
                double[] ref = new double[xp.length];
                for (int row = 0; row < rows; row++) {
                    double[] one = reference(java.util.Arrays.copyOfRange(xp, row * 2 * n, (row + 1) * 2 * n));
                    System.arraycopy(one, 0, ref, row * 2 * n, 2 * n);
                }
                try (DeviceBuffer d = Host.put(be, p, xp)) {
                    be.fftComplex(n, rows, d, false);
                    Check.close("four-step complex " + p + " n=" + n, Host.get(be, d), ref, Check.values(p, n));
                    be.fftComplex(n, rows, d, true);
                    Check.close("four-step round trip " + p + " n=" + n, Host.get(be, d), xp, Check.values(p, n));
                }
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

    /**
     * The convolution's transforms: input zero-padded from xLen to n, output truncated to xLen, on 5 rows.
     * Up to xLen = n/2 power-of-two lengths read only the lower input half (straight from the row when
     * xLen = n/2), and from n = 2048 on rows run in pairs; the
     * input past xLen is NaN and must not be read, the output past xLen holds a sentinel and must not be
     * written.
     */
    @Test
    void zeroPaddedInputAndTruncatedOutput() {
        SplittableRandom r = new SplittableRandom(5L);
        int rows = 5; // odd: powers of two from 2048 run in pairs (FourStepPlan) plus one single row per call
        int[] lengths = {2, 4, 6, 8, 16, 30, 32, 64, 128, 256, 512, 1000, 1024, 1047, 2048, 4096, 8192, 16384, 32768};
        for (Precision p : Precision.values()) {
            for (int n : lengths) {
                int[] xLens = {0, 1, n / 2 - 1, n / 2, n / 2 + 1, n - 1, 1 + r.nextInt(Math.max(1, n / 2))};
                for (int xLen : xLens) {
                    if (xLen < 0 || xLen > n) {
                        continue;
                    }
                    int stride = xLen + 3;
                    String what = p + " n=" + n + " xLen=" + xLen;
                    double[] x = new double[rows * stride];
                    java.util.Arrays.fill(x, Double.NaN);
                    double[] spec = new double[rows * 2 * (n / 2 + 1)];
                    for (int row = 0; row < rows; row++) {
                        double[] full = new double[2 * n];
                        for (int t = 0; t < xLen; t++) {
                            double v = p == Precision.F32 ? (float) r.nextDouble(-1, 1) : r.nextDouble(-1, 1);
                            x[row * stride + t] = v;
                            full[2 * t] = v;
                        }
                        System.arraycopy(reference(full), 0, spec, row * 2 * (n / 2 + 1), 2 * (n / 2 + 1));
                    }
                    try (DeviceBuffer in = Host.put(be, p, x); DeviceBuffer out = be.allocate(p, spec.length)) {
                        be.fftRealForward(n, rows, in, stride, xLen, out);
                        Check.close("padded forward " + what, Host.get(be, out), spec, Check.values(p, n));
                    }
                    // inverse: the spectra of full random rows, truncated to xLen
                    double[] rowData = new double[rows * n];
                    double[] specFull = new double[rows * 2 * (n / 2 + 1)];
                    for (int row = 0; row < rows; row++) {
                        double[] full = new double[2 * n];
                        for (int t = 0; t < n; t++) {
                            double v = r.nextDouble(-1, 1);
                            rowData[row * n + t] = v;
                            full[2 * t] = v;
                        }
                        double[] ref = reference(full);
                        for (int i = 0; i < 2 * (n / 2 + 1); i++) {
                            double v = ref[i];
                            specFull[row * 2 * (n / 2 + 1) + i] = p == Precision.F32 ? (float) v : v;
                        }
                    }
                    double[] sentinel = new double[rows * stride];
                    java.util.Arrays.fill(sentinel, 7.0);
                    try (DeviceBuffer sp = Host.put(be, p, specFull); DeviceBuffer back = Host.put(be, p, sentinel)) {
                        be.fftRealInverse(n, rows, sp, back, stride, xLen);
                        double[] got = Host.get(be, back);
                        double[] want = sentinel.clone();
                        for (int row = 0; row < rows; row++) {
                            System.arraycopy(rowData, row * n, want, row * stride, xLen);
                        }
                        Check.close("truncated inverse " + what, got, want, Check.values(p, n) * 4);
                        for (int row = 0; row < rows; row++) {
                            for (int t = xLen; t < stride; t++) {
                                assertEquals(7.0, got[row * stride + t], 0.0, "written past xLen: " + what + " t=" + t);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Rows transformed as a pair share their rounding: each row's float32 error stays within the usual
     * budget relative to the larger row of its pair (FourStepF64's documented bound), here 1e4 apart.
     */
    @Test
    void pairedRowsOfDifferentScale() {
        int n = 4096;
        int rows = 4; // two threads, two rows each: pairs (0, 1) and (2, 3)
        SplittableRandom r = new SplittableRandom(17L);
        double[] x = random(r, rows * n);
        double[] scale = {1.0, 1e-4, 1e-4, 1.0};
        for (int row = 0; row < rows; row++) {
            for (int t = 0; t < n; t++) {
                x[row * n + t] = (float) (x[row * n + t] * scale[row]);
            }
        }
        int bins = 2 * (n / 2 + 1);
        try (DeviceBuffer in = Host.put(be, Precision.F32, x); DeviceBuffer spec = be.allocate(Precision.F32, rows * bins)) {
            be.fftRealForward(n, rows, in, n, n, spec);
            double[] got = Host.get(be, spec);
            for (int row = 0; row < rows; row++) {
                double[] full = new double[2 * n];
                for (int t = 0; t < n; t++) {
                    full[2 * t] = x[row * n + t];
                }
                double[] ref = java.util.Arrays.copyOf(reference(full), bins);
                double[] mine = java.util.Arrays.copyOfRange(got, row * bins, (row + 1) * bins);
                double partner = scale[row ^ 1] / scale[row];
                double e = Check.error(mine, ref) * Math.max(1.0, maxAbs(ref)) / maxAbs(ref);
                org.junit.jupiter.api.Assertions.assertTrue(e <= Check.values(Precision.F32, n) * Math.max(1.0, partner),
                    "row " + row + ": relative error " + e + " above the pair's budget");
            }
        }
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
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
