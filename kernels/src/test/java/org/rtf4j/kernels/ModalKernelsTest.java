package org.rtf4j.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.Golden;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.WithJvmBackend;

/** Vandermonde (S4D) and Cauchy (S4) kernels and their backwards. */
class ModalKernelsTest extends WithJvmBackend {

    static List<Arguments> s4dCases() {
        List<Arguments> out = new ArrayList<>();
        for (String n : Golden.names("s4d_kernel_")) {
            for (Precision p : Precision.values()) {
                out.add(Arguments.of(n, p));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("s4dCases")
    void vandermondeMatchesGoldenKernel(String name, Precision p) {
        Golden g = Golden.load(name);
        int h = g.integer("params.H");
        int modes = g.integer("params.M");
        int len = g.integer("params.L");
        ModalShape s = new ModalShape(h, modes, len);
        double[] dA = g.complex("outputs.dA");
        double[] logZ = new double[dA.length];
        for (int i = 0; i < dA.length; i += 2) {
            logZ[i] = Math.log(Math.hypot(dA[i], dA[i + 1]));
            logZ[i + 1] = Math.atan2(dA[i + 1], dA[i]);
        }
        double[] chat = g.complex("outputs.Chat");
        try (DeviceBuffer z = Host.put(be, p, logZ); DeviceBuffer c = Host.put(be, p, chat);
             DeviceBuffer k = be.allocate(p, s.kernelLength())) {
            be.vandermonde(s, z, c, null, k);
            Check.close(name + " K " + p, Host.get(be, k), g.real("outputs.K"), Check.values(p, len));
        }
    }

    private static double[] random(SplittableRandom r, int n, double lo, double hi) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble(lo, hi);
        }
        return x;
    }

    @Test
    void vandermondeAndBackwardAgainstDirectSumsAtLongLengths() {
        int h = 3;
        int modes = 7;
        SplittableRandom r = new SplittableRandom(4);
        int block = ModalShape.VANDERMONDE_BLOCK;
        for (int len : new int[] {1, 2, block - 1, block, block + 1, 2 * block + 1, 1000, 8191}) {
            ModalShape s = new ModalShape(h, modes, len);
            double[] logZ = new double[2 * h * modes];
            for (int i = 0; i < logZ.length; i += 2) {
                logZ[i] = -r.nextDouble(1e-4, 0.05);
                logZ[i + 1] = r.nextDouble(-3, 3);
            }
            double[] chat = random(r, 2 * h * modes, -1, 1);
            double[] lag0 = random(r, h, -1, 1);
            double[] gk = random(r, h * len, -1, 1);
            double[] kRef = new double[h * len];
            double[] sRef = new double[2 * h * modes];
            double[] s1Ref = new double[2 * h * modes];
            for (int c = 0; c < h; c++) {
                kRef[c * len] += lag0[c];
                for (int m = 0; m < modes; m++) {
                    int i = 2 * (c * modes + m);
                    for (int l = 0; l < len; l++) {
                        double mag = Math.exp(l * logZ[i]);
                        double zr = mag * Math.cos(l * logZ[i + 1]);
                        double zi = mag * Math.sin(l * logZ[i + 1]);
                        kRef[c * len + l] += 2 * (chat[i] * zr - chat[i + 1] * zi);
                        sRef[i] += gk[c * len + l] * zr;
                        sRef[i + 1] += gk[c * len + l] * zi;
                        s1Ref[i] += l * gk[c * len + l] * zr;
                        s1Ref[i + 1] += l * gk[c * len + l] * zi;
                    }
                }
            }
            for (Precision p : Precision.values()) {
                double[] lz = Host.round(p, logZ);
                try (DeviceBuffer z = Host.put(be, p, lz); DeviceBuffer c = Host.put(be, p, chat);
                     DeviceBuffer d = Host.put(be, p, lag0); DeviceBuffer k = be.allocate(p, s.kernelLength());
                     DeviceBuffer g = Host.put(be, p, gk); DeviceBuffer s0 = be.allocate(p, s.modalLength());
                     DeviceBuffer s1 = be.allocate(p, s.modalLength()); DeviceBuffer g0 = be.allocate(p, h)) {
                    be.vandermonde(s, z, c, d, k);
                    // float32: rounding of log z itself moves z^l by l*eps*|log z|; the reference uses the
                    // rounded log z, so the budget only covers the kernel's own arithmetic
                    double tolK = p == Precision.F64 ? 1e-10 : 2e-5 * modes;
                    Check.close("K len=" + len + " " + p, Host.get(be, k), p == Precision.F64 ? kRef : kRef(lz, chat, lag0, h, modes, len), tolK);
                    be.vandermondeBackward(s, z, g, s0, s1, g0);
                    Check.close("S len=" + len + " " + p, Host.get(be, s0), p == Precision.F64 ? sRef : sums(lz, gk, h, modes, len, false),
                        p == Precision.F64 ? 1e-10 : 1e-4 * Math.sqrt(len));
                    Check.close("S1 len=" + len + " " + p, Host.get(be, s1), p == Precision.F64 ? s1Ref : sums(lz, gk, h, modes, len, true),
                        p == Precision.F64 ? 1e-10 * len : 1e-4 * len * Math.sqrt(len));
                    double[] w0 = new double[h];
                    for (int c2 = 0; c2 < h; c2++) {
                        w0[c2] = gk[c2 * len];
                    }
                    Check.close("lag0Grad " + p, Host.get(be, g0), Host.round(p, w0), 0.0);
                }
            }
        }
    }

    private static double[] kRef(double[] logZ, double[] chat, double[] lag0, int h, int modes, int len) {
        double[] k = new double[h * len];
        for (int c = 0; c < h; c++) {
            k[c * len] += (float) lag0[c];
            for (int m = 0; m < modes; m++) {
                int i = 2 * (c * modes + m);
                double cr = (float) chat[i];
                double ci = (float) chat[i + 1];
                for (int l = 0; l < len; l++) {
                    double mag = Math.exp(l * logZ[i]);
                    k[c * len + l] += 2 * (cr * mag * Math.cos(l * logZ[i + 1]) - ci * mag * Math.sin(l * logZ[i + 1]));
                }
            }
        }
        return k;
    }

    private static double[] sums(double[] logZ, double[] gk, int h, int modes, int len, boolean weighted) {
        double[] s = new double[2 * h * modes];
        for (int c = 0; c < h; c++) {
            for (int m = 0; m < modes; m++) {
                int i = 2 * (c * modes + m);
                for (int l = 0; l < len; l++) {
                    double mag = Math.exp(l * logZ[i]);
                    double f = (weighted ? l : 1) * (double) (float) gk[c * len + l];
                    s[i] += f * mag * Math.cos(l * logZ[i + 1]);
                    s[i + 1] += f * mag * Math.sin(l * logZ[i + 1]);
                }
            }
        }
        return s;
    }

    /** v (4, H, M) and w (H, M) of the golden S4 case: v = Δ·(C̃B, C̃P, QB, QP), w = ΔΛ. */
    private static double[][] s4Inputs(Golden g) {
        double dt = Math.exp(g.real("params.log_dt")[0]);
        double[] lam = g.complex("params.Lambda");
        double[] pp = g.complex("params.P");
        double[] b = g.complex("params.B");
        double[] c = g.complex("params.C_tilde");
        int modes = lam.length / 2;
        double[] w = new double[2 * modes];
        double[] v = new double[8 * modes];
        for (int m = 0; m < modes; m++) {
            int i = 2 * m;
            w[i] = dt * lam[i];
            w[i + 1] = dt * lam[i + 1];
            double[][] xy = {
                {c[i], c[i + 1], b[i], b[i + 1]},
                {c[i], c[i + 1], pp[i], pp[i + 1]},
                {pp[i], -pp[i + 1], b[i], b[i + 1]},
                {pp[i], -pp[i + 1], pp[i], pp[i + 1]}};
            for (int j = 0; j < 4; j++) {
                double[] q = xy[j];
                v[2 * modes * j + i] = dt * (q[0] * q[2] - q[1] * q[3]);
                v[2 * modes * j + i + 1] = dt * (q[0] * q[3] + q[1] * q[2]);
            }
        }
        return new double[][] {w, v};
    }

    @Test
    void cauchyMatchesGoldenSpectrumAndKernel() {
        Golden g = Golden.load("s4_kernel_legs_bilinear");
        int len = g.integer("params.L");
        double[][] in = s4Inputs(g);
        ModalShape s = new ModalShape(1, in[0].length / 2, len);
        for (Precision p : Precision.values()) {
            try (DeviceBuffer w = Host.put(be, p, in[0]); DeviceBuffer v = Host.put(be, p, in[1]);
                 DeviceBuffer kh = be.allocate(p, s.spectrumLength()); DeviceBuffer k = be.allocate(p, len)) {
                be.cauchy(s, w, v, null, kh);
                Check.close("K_hat " + p, Host.get(be, kh), g.complex("outputs.K_hat"), Check.values(p, len));
                be.fftRealInverse(len, 1, kh, k, len, len);
                Check.close("K " + p, Host.get(be, k), g.real("outputs.K"), Check.values(p, len));
                Check.close("K_dense " + p, Host.get(be, k), g.real("outputs.K_dense"), Check.values(p, len));
            }
        }
    }

    @Test
    void cauchyBackwardMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(8);
        for (int len : new int[] {16, 17, 2}) {
            int h = 2;
            int modes = 3;
            ModalShape s = new ModalShape(h, modes, len);
            double[] w = new double[2 * h * modes];
            for (int i = 0; i < w.length; i += 2) {
                w[i] = -r.nextDouble(0.01, 0.2);
                w[i + 1] = r.nextDouble(-2, 2);
            }
            double[] v = random(r, 8 * h * modes, -0.3, 0.3);
            double[] lag0 = random(r, h, -1, 1);
            double[] gk = random(r, h * len, -1, 1);
            try (DeviceBuffer bw = Host.put(be, Precision.F64, w); DeviceBuffer bv = Host.put(be, Precision.F64, v);
                 DeviceBuffer d = Host.put(be, Precision.F64, lag0); DeviceBuffer g = Host.put(be, Precision.F64, gk);
                 DeviceBuffer gs = be.allocate(Precision.F64, s.spectrumLength());
                 DeviceBuffer gv = be.allocate(Precision.F64, 4 * s.modalLength());
                 DeviceBuffer gw = be.allocate(Precision.F64, s.modalLength());
                 DeviceBuffer gam = be.allocate(Precision.F64, h); DeviceBuffer g0 = be.allocate(Precision.F64, h)) {
                be.fftRealForward(len, h, g, len, len, gs);
                be.cauchyBackward(s, bw, bv, gs, gv, gw, gam, g0);
                // the Nyquist term enters through gamma: add it to d/dv_0 as the layer does (v_0 = ΔC̃B)
                double[] gvv = Host.get(be, gv);
                double[] gamma = Host.get(be, gam);
                for (int c = 0; c < h; c++) {
                    for (int m = 0; m < modes; m++) {
                        gvv[2 * (c * modes + m)] += gamma[c];
                    }
                }
                Check.close("gv len=" + len, gvv, differences(s, w, v, lag0, gk, v), 1e-7);
                Check.close("gw len=" + len, Host.get(be, gw), differences(s, w, v, lag0, gk, w), 1e-7);
                Check.close("lag0 len=" + len, Host.get(be, g0), differences(s, w, v, lag0, gk, lag0), 1e-7);
            }
        }
    }

    /** Central differences of ℒ = Σ gk · irfft_L(cauchy(w, v, lag0)) with respect to each entry of x. */
    private double[] differences(ModalShape s, double[] w, double[] v, double[] lag0, double[] gk, double[] x) {
        double[] out = new double[x.length];
        double step = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + step;
            double lp = loss(s, w, v, lag0, gk);
            x[i] = keep - step;
            double lm = loss(s, w, v, lag0, gk);
            x[i] = keep;
            out[i] = (lp - lm) / (2 * step);
        }
        return out;
    }

    private double loss(ModalShape s, double[] w, double[] v, double[] lag0, double[] gk) {
        int len = s.length();
        try (DeviceBuffer bw = Host.put(be, Precision.F64, w); DeviceBuffer bv = Host.put(be, Precision.F64, v);
             DeviceBuffer d = Host.put(be, Precision.F64, lag0); DeviceBuffer kh = be.allocate(Precision.F64, s.spectrumLength());
             DeviceBuffer k = be.allocate(Precision.F64, s.kernelLength())) {
            be.cauchy(s, bw, bv, d, kh);
            be.fftRealInverse(len, s.channels(), kh, k, len, len);
            double[] kk = Host.get(be, k);
            double acc = 0;
            for (int i = 0; i < kk.length; i++) {
                acc += kk[i] * gk[i];
            }
            return acc;
        }
    }
}
