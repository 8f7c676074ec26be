package org.rtf4j.kernels.opencl;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.OpenClTesting;

/**
 * The float32 accuracy of the modal kernels, as documented ({@code OpenClBackend}, {@link Check},
 * {@code device-config/README.md}): each backend against float64 on the same float32 inputs, for
 * S4D-Lin-like modes (log z = dt·(−1/2 + iπm), |log z| up to 10), decaying random modes and modes next to
 * the unit circle, L up to 16384. The float32 program computes in float32 on every device, so the device
 * opened as if it had no cl_khr_fp64 must give bit for bit the same results as the device itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModalAccuracyTest {
    private static final int[] LENGTHS = {64, 1024, 16384};
    private static final int REGIMES = 3;
    private JvmBackend jvm;
    private OpenClBackend cl;
    private OpenClBackend withoutFp64;

    @BeforeAll
    void up() {
        jvm = JvmBackend.withThreads(2);
        cl = OpenClTesting.backend();
        withoutFp64 = OpenClBackend.create(OpenClTesting.platform(), OpenClTesting.device(),
            OpenClTesting.profile().buildOptions() + " " + OpenClTesting.options(), DeviceProfile.named("no-fp64"));
    }

    @AfterAll
    void down() {
        for (Backend be : new Backend[] {jvm, cl, withoutFp64}) {
            if (be != null) {
                be.close();
            }
        }
    }

    /** Inputs of one case: logZ, chat, gk (Vandermonde); w, v, gradSpectrum (Cauchy); all rounded to float32. */
    private record Case(ModalShape shape, double maxLogZ, double[] logZ, double[] chat, double[] gk, double[] w, double[] v,
                        double[] gs) {
    }

    private static Case make(int regime, int len) {
        SplittableRandom r = new SplittableRandom(31L * len + regime);
        int modes = regime == 0 ? 32 : regime == 1 ? 5 : 8;
        ModalShape s = new ModalShape(4, modes, len);
        double[] logZ = new double[s.modalLength()];
        double[] w = new double[s.modalLength()];
        double max = 0;
        for (int i = 0; i < logZ.length; i += 2) {
            if (regime == 0) {
                double dt = Math.exp(r.nextDouble(Math.log(1e-3), Math.log(0.1)));
                logZ[i] = -0.5 * dt;
                logZ[i + 1] = Math.PI * ((i / 2) % modes) * dt;
                w[i] = logZ[i];
                w[i + 1] = logZ[i + 1];
            } else {
                logZ[i] = regime == 1 ? -r.nextDouble(1e-3, 0.1) : -r.nextDouble(1e-5, 1e-4);
                logZ[i + 1] = r.nextDouble(-3, 3);
                w[i] = -r.nextDouble(0.01, 0.2);
                w[i + 1] = r.nextDouble(-2, 2);
            }
            max = Math.max(max, Math.hypot(logZ[i], logZ[i + 1]));
        }
        double[] v = random(r, 4 * s.modalLength(), 0.01);
        return new Case(s, max, f32(logZ), f32(random(r, s.modalLength(), 1)), f32(random(r, s.kernelLength(), 1)), f32(w), f32(v),
            f32(random(r, s.spectrumLength(), 1)));
    }

    private static double[] random(SplittableRandom r, int n, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = scale * r.nextDouble(-1, 1);
        }
        return x;
    }

    private static double[] f32(double[] x) {
        return Host.round(Precision.F32, x);
    }

    /** K, sums, weighted sums (Vandermonde); kHat, gv, gw (Cauchy). */
    private static double[][] run(Backend be, Precision p, Case c) {
        ModalShape s = c.shape();
        try (DeviceBuffer z = Host.put(be, p, c.logZ()); DeviceBuffer ch = Host.put(be, p, c.chat());
             DeviceBuffer k = be.allocate(p, s.kernelLength()); DeviceBuffer g = Host.put(be, p, c.gk());
             DeviceBuffer s0 = be.allocate(p, s.modalLength()); DeviceBuffer s1 = be.allocate(p, s.modalLength());
             DeviceBuffer g0 = be.allocate(p, s.channels()); DeviceBuffer w = Host.put(be, p, c.w());
             DeviceBuffer v = Host.put(be, p, c.v()); DeviceBuffer kh = be.allocate(p, s.spectrumLength());
             DeviceBuffer gs = Host.put(be, p, c.gs()); DeviceBuffer gv = be.allocate(p, 4 * s.modalLength());
             DeviceBuffer gw = be.allocate(p, s.modalLength()); DeviceBuffer gam = be.allocate(p, s.channels());
             DeviceBuffer l0 = be.allocate(p, s.channels())) {
            be.vandermonde(s, z, ch, null, k);
            be.vandermondeBackward(s, z, g, s0, s1, g0);
            be.cauchy(s, w, v, null, kh);
            be.cauchyBackward(s, w, v, gs, gv, gw, gam, l0);
            return new double[][] {Host.get(be, k), Host.get(be, s0), Host.get(be, s1), Host.get(be, kh), Host.get(be, gv),
                Host.get(be, gw)};
        }
    }

    /** The backends whose float32 modal kernels are measured. */
    enum Kind { JVM, OPENCL, OPENCL_WITHOUT_FP64 }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void float32ModalKernelsMeetTheirBudget(Kind kind) {
        Backend be = switch (kind) {
            case JVM -> jvm;
            case OPENCL -> cl;
            case OPENCL_WITHOUT_FP64 -> withoutFp64;
        };
        String[] names = {"K", "sums", "weightedSums", "kHat", "gv", "gw"};
        double[] worst = new double[2];
        for (int regime = 0; regime < REGIMES; regime++) {
            for (int len : LENGTHS) {
                Case c = make(regime, len);
                double[][] ref = run(jvm, Precision.F64, c);
                double[][] got = run(be, Precision.F32, c);
                for (int i = 0; i < names.length; i++) {
                    double tol = i < 3 ? Check.F32_VANDERMONDE : Check.F32_CAUCHY;
                    double e = Check.close(kind + " " + names[i] + " regime " + regime + " L=" + len, got[i], ref[i], tol);
                    worst[i / 3] = Math.max(worst[i / 3], e);
                }
            }
        }
        System.out.printf("float32 modal kernels on %s: worst error Vandermonde %.1e, Cauchy %.1e%n", kind, worst[0], worst[1]);
    }

    @org.junit.jupiter.api.Test
    void float32IsTheSameProgramWithAndWithoutFp64() {
        for (int regime = 0; regime < REGIMES; regime++) {
            Case c = make(regime, 4096);
            double[][] with = run(cl, Precision.F32, c);
            double[][] without = run(withoutFp64, Precision.F32, c);
            for (int i = 0; i < with.length; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(with[i], without[i], 0.0,
                    "output " + i + " of regime " + regime + ": float32 results depend on the device's fp64 support");
            }
        }
    }
}
