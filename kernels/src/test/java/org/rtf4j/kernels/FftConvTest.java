package org.rtf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.kernels.testing.Host;

/** The FFT convolution and its backward against the direct O(ℓ²) sums, at awkward lengths. */
class FftConvTest extends WithJvmBackend {

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int ell : new int[] {1, 2, 3, 5, 17, 127, 1000, 1047}) {
            for (boolean bi : new boolean[] {false, true}) {
                for (Precision p : Precision.values()) {
                    out.add(Arguments.of(ell, bi, p, 0));
                }
                // explicit FFT sizes: the minimal odd one and an odd Bluestein-sized one
                out.add(Arguments.of(ell, bi, Precision.F64, 2 * ell - 1));
                out.add(Arguments.of(ell, bi, Precision.F64, 2 * ell + 9));
            }
        }
        // powers of two from 2048 run two rows at a time (FourStepPlan): an odd batch leaves one row single
        for (int ell : new int[] {1024, 2048}) {
            for (boolean bi : new boolean[] {false, true}) {
                for (Precision p : Precision.values()) {
                    out.add(Arguments.of(ell, bi, p, 0));
                }
            }
        }
        return out;
    }

    private static double[] random(SplittableRandom r, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = r.nextDouble(-1, 1);
        }
        return x;
    }

    @ParameterizedTest(name = "ell={0} bi={1} {2} n={3}")
    @MethodSource("cases")
    void matchesDirectSums(int ell, boolean bi, Precision p, int nExplicit) {
        int batch = ell >= 1024 ? 3 : 2;
        int h = 3;
        ConvShape s = nExplicit == 0 ? ConvShape.of(batch, h, ell, bi, be) : new ConvShape(batch, h, ell, bi, nExplicit);
        SplittableRandom r = new SplittableRandom(31L * ell + (bi ? 1 : 0));
        double[] kf = Host.round(p, random(r, h * ell));
        double[] kb = Host.round(p, random(r, h * ell));
        double[] u = Host.round(p, random(r, batch * h * ell));
        double[] gy = Host.round(p, random(r, batch * h * ell));

        double[] y = new double[batch * h * ell];
        double[] du = new double[batch * h * ell];
        double[] dkf = new double[h * ell];
        double[] dkb = new double[h * ell];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < h; c++) {
                int o = (b * h + c) * ell;
                for (int t = 0; t < ell; t++) {
                    double acc = 0;
                    for (int j = 0; j <= t; j++) {
                        acc += kf[c * ell + t - j] * u[o + j];
                        du[o + j] += gy[o + t] * kf[c * ell + t - j];
                        dkf[c * ell + t - j] += gy[o + t] * u[o + j];
                    }
                    if (bi) {
                        for (int j = t + 1; j < ell; j++) {
                            acc += kb[c * ell + j - t - 1] * u[o + j];
                            du[o + j] += gy[o + t] * kb[c * ell + j - t - 1];
                            dkb[c * ell + j - t - 1] += gy[o + t] * u[o + j];
                        }
                    }
                    y[o + t] = acc;
                }
            }
        }
        int n = s.fftLength();
        try (DeviceBuffer bkf = Host.put(be, p, kf); DeviceBuffer bkb = Host.put(be, p, kb);
             DeviceBuffer bu = Host.put(be, p, u); DeviceBuffer bg = Host.put(be, p, gy);
             DeviceBuffer by = be.allocate(p, s.signalLength()); DeviceBuffer ks = be.allocate(p, s.kernelSpectrumLength());
             DeviceBuffer bdu = be.allocate(p, s.signalLength()); DeviceBuffer bdkf = be.allocate(p, s.kernelLength());
             DeviceBuffer bdkb = be.allocate(p, s.kernelLength()); DeviceBuffer us = be.allocate(p, s.signalSpectrumLength())) {
            be.fftConv(s, bkf, bkb, bu, by, ks, us);
            String tag = "ell=" + ell + " bi=" + bi + " " + p + " n=" + n;
            // sums of ell products of O(1) terms: scale the budget by sqrt(ell) for float32
            double scale = p == Precision.F64 ? 1 : Math.sqrt(ell);
            Check.close("y " + tag, Host.get(be, by), y, Check.values(p, n) * scale);
            double[] uSpec = Host.get(be, us);
            Check.close("uSpec " + tag, uSpec, directSpectra(u, batch * h, ell, n), Check.values(p, n) * scale);
            be.fftConvBackward(s, ks, us, bg, bdu, bdkf, bdkb);
            Check.close("du " + tag, Host.get(be, bdu), du, Check.gradients(p, n) * scale);
            org.junit.jupiter.api.Assertions.assertArrayEquals(uSpec, Host.get(be, us), "the backward leaves uSpec as it is " + tag);
            Check.close("dkf " + tag, Host.get(be, bdkf), dkf, Check.gradients(p, n) * scale);
            if (bi) {
                Check.close("dkb " + tag, Host.get(be, bdkb), dkb, Check.gradients(p, n) * scale);
            }
        }
    }

    @Test
    void adjointIdentity() {
        // <conv(k, u), w> = <u, du(w)> = <kf, dkf(w)> + <kb, dkb(w)>: bilinearity checked in float64
        for (int c = 0; c < 4; c++) {
            boolean bi = c % 2 == 1;
            int batch = 3;
            int h = 2;
            int ell = c < 2 ? 1047 : 2048;
            ConvShape s = ConvShape.of(batch, h, ell, bi, be);
            SplittableRandom r = new SplittableRandom(5);
            double[] kf = random(r, h * ell);
            double[] kb = random(r, h * ell);
            double[] u = random(r, batch * h * ell);
            double[] w = random(r, batch * h * ell);
            try (DeviceBuffer bkf = Host.put(be, Precision.F64, kf); DeviceBuffer bkb = Host.put(be, Precision.F64, kb);
                 DeviceBuffer bu = Host.put(be, Precision.F64, u); DeviceBuffer bw = Host.put(be, Precision.F64, w);
                 DeviceBuffer by = be.allocate(Precision.F64, s.signalLength());
                 DeviceBuffer ks = be.allocate(Precision.F64, s.kernelSpectrumLength());
                 DeviceBuffer bdu = be.allocate(Precision.F64, s.signalLength());
                 DeviceBuffer bdkf = be.allocate(Precision.F64, s.kernelLength());
                 DeviceBuffer bdkb = be.allocate(Precision.F64, s.kernelLength());
                 DeviceBuffer us = be.allocate(Precision.F64, s.signalSpectrumLength())) {
                be.fftConv(s, bkf, bkb, bu, by, ks, us);
                be.fftConvBackward(s, ks, us, bw, bdu, bdkf, bdkb);
                double lhs = dot(Host.get(be, by), w);
                double viaU = dot(u, Host.get(be, bdu));
                double viaK = dot(kf, Host.get(be, bdkf)) + (bi ? dot(kb, Host.get(be, bdkb)) : 0);
                double tol = 1e-11 * Math.max(1, Math.abs(lhs)) * Math.sqrt(s.signalLength());
                assertEquals(lhs, viaU, tol, "<Ju, w> = <u, J^T w> bi=" + bi);
                assertEquals(lhs, viaK, tol, "<Jk, w> = <k, J^T w> bi=" + bi);
            }
        }
    }

    @Test
    void refusesBadShapesAndBuffers() {
        assertThrows(IllegalArgumentException.class, () -> ConvShape.of(0, 1, 4, false, be));
        assertThrows(IllegalArgumentException.class, () -> new ConvShape(1, 1, 8, false, 14));
        ConvShape s = ConvShape.of(1, 2, 8, false, be);
        try (DeviceBuffer small = be.allocate(Precision.F64, 3); DeviceBuffer ok = be.allocate(Precision.F64, 16);
             DeviceBuffer f32 = be.allocate(Precision.F32, 16); DeviceBuffer ks = be.allocate(Precision.F64, s.kernelSpectrumLength());
             DeviceBuffer us = be.allocate(Precision.F64, s.signalSpectrumLength())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.fftConv(s, small, null, ok, ok, ks, us));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("kf has 3 elements, expected at least 16"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> be.fftConv(s, ok, null, ok, f32, ks, us));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("y is F32, expected F64"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> be.fftConv(s, ok, null, ok, ok, ks, ok));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("uSpec has 16 elements, expected at least "
                + s.signalSpectrumLength()), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> be.fftConvBackward(s, ks, null, ok, ok, ok, null));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("uSpec must not be null"), e.getMessage());
        }
    }

    /** rfft_n of each zero-padded row of length ell by the direct O(n·ell) sum, (rows, n/2+1) complex. */
    private static double[] directSpectra(double[] u, int rows, int ell, int n) {
        int bins = n / 2 + 1;
        double[] out = new double[2 * bins * rows];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < bins; k++) {
                double re = 0;
                double im = 0;
                for (int t = 0; t < ell; t++) {
                    double ang = -2 * Math.PI * (double) ((long) k * t % n) / n;
                    re += u[r * ell + t] * Math.cos(ang);
                    im += u[r * ell + t] * Math.sin(ang);
                }
                out[2 * (r * bins + k)] = re;
                out[2 * (r * bins + k) + 1] = im;
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
