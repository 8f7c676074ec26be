package org.rtf4j.kernels.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * Denominators close to the unit circle under the l1-Montel constraint, a = θ/Z with
 * Z = Σ|θ| + |s| + 1e-6 and margin m = 1 − Σ|a| = (|s| + 1e-6)/Z, and a check of the rational spectrum
 * kernel on any backend against the exact spectrum: A and B summed term by term in float64 at every bin
 * (A's real part as m plus non-negative terms, the sines of exactly reduced ratios, so the reference
 * itself has no cancellation), the kernel
 * by a float64 inverse transform of B/A + h0.
 */
public final class MarginCases {
    /** float32: largest relative error of A at any bin, and of the minimum magnitude (about 70 ulps). */
    public static final double F32_RELATIVE = 4e-6;
    /** float64: the same. */
    public static final double F64_RELATIVE = 1e-13;

    private MarginCases() {
    }

    /**
     * One case.
     *
     * @param name   what it is
     * @param a      denominator (one row, N values)
     * @param margin 1 − Σ|a|, exactly as the normaliser defines it
     * @param length L
     */
    public record Case(String name, double[] a, double margin, int length) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * θ all negative (a pole near z = 1, bin 0; the ListOps failure), alternating signs (near z = −1, bin
     * P/2) and only θ_N (N = 3: near the three cube roots of unity, which are no bins of P = 2^k), each with
     * s = 5e-6, 1e-7 and 0; N = 4 and 64; L = 512, 1024, 2048. Margins from 3.6e-6 down to 2.5e-8.
     */
    public static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (int len : new int[] {512, 1024, 2048}) {
            for (double s : new double[] {5e-6, 1e-7, 0}) {
                for (int order : new int[] {4, 64}) {
                    SplittableRandom r = new SplittableRandom(order * 7L + len);
                    double[] neg = new double[order];
                    double[] alt = new double[order];
                    for (int n = 0; n < order; n++) {
                        neg[n] = -r.nextDouble(0.05, 1);
                        // a_n (−1)^n < 0 for n = 1..N: every term of A(−1) is |a_n| + a_n (−1)^n = 0
                        alt[n] = (n % 2 == 0 ? 1 : -1) * r.nextDouble(0.05, 1);
                    }
                    out.add(montel("negative N=" + order + " L=" + len + " s=" + s, neg, s, len));
                    out.add(montel("alternating N=" + order + " L=" + len + " s=" + s, alt, s, len));
                }
                out.add(montel("only a_3 L=" + len + " s=" + s, new double[] {0, 0, -0.7}, s, len));
            }
        }
        return out;
    }

    private static Case montel(String name, double[] theta, double s, int len) {
        double z = Math.abs(s) + 1e-6;
        for (double t : theta) {
            z += Math.abs(t);
        }
        double[] a = new double[theta.length];
        for (int n = 0; n < a.length; n++) {
            a[n] = theta[n] / z;
        }
        return new Case(name, a, (Math.abs(s) + 1e-6) / z, len);
    }

    /** A(z_k), k = 0..P/2, in float64 without cancellation: m + Σ 2|a_n| sin² or cos² of πnk/P, − i Σ a_n sin(2πnk/P). */
    public static double[] exactDenominator(double[] a, double margin, int p) {
        double[] out = new double[2 * (p / 2 + 1)];
        for (int k = 0; k <= p / 2; k++) {
            double re = margin;
            double im = 0;
            for (int n = 1; n <= a.length; n++) {
                long j = (long) n * k % p;
                double v = a[n - 1];
                double half = v < 0 ? sinPi(j, p) : sinPi(p / 2 - j, p);
                re += 2 * Math.abs(v) * half * half;
                im -= v * sinPi(2 * j, p);
            }
            out[2 * k] = re;
            out[2 * k + 1] = im;
        }
        return out;
    }

    /** sin(π·num/den) in float64, num reduced exactly to [0, den/2] first (sin(π) is 0 here, not 1.2e-16). */
    static double sinPi(long num, long den) {
        long t = Math.floorMod(num, 2 * den);
        double sign = 1;
        if (t >= den) {
            t -= den;
            sign = -1;
        }
        if (2 * t > den) {
            t = den - t;
        }
        return sign * Math.sin(Math.PI * t / den);
    }

    /** B(z_k), k = 0..P/2, of the strictly proper numerator b, term by term in float64. */
    public static double[] exactNumerator(double[] b, int p) {
        double[] out = new double[2 * (p / 2 + 1)];
        for (int k = 0; k <= p / 2; k++) {
            for (int n = 1; n <= b.length; n++) {
                double w = 2 * Math.PI * (double) ((long) n * k % p) / p;
                out[2 * k] += b[n - 1] * Math.cos(w);
                out[2 * k + 1] -= b[n - 1] * Math.sin(w);
            }
        }
        return out;
    }

    /**
     * Runs {@code rationalSpectrum} (one denominator, one channel) and the kernel's inverse transform on
     * {@code be} in precision p and asserts: A at every bin within {@link #F32_RELATIVE} /
     * {@link #F64_RELATIVE} of the exact value relative to |A| there; the minimum magnitude likewise, at the
     * exact minimum's bin; the kernel within the values budget {@link Check#values} of the exact kernel.
     * Returns the three errors (A, minimum, kernel).
     */
    public static double[] check(Backend be, Precision p, Case c) {
        int order = c.a().length;
        RationalShape sh = new RationalShape(1, 1, order, c.length());
        int pp = sh.fftLength();
        int bins = sh.bins();
        SplittableRandom r = new SplittableRandom(order + 31L * c.length());
        double[] b = new double[order];
        for (int n = 0; n < order; n++) {
            b[n] = r.nextDouble(-1, 1);
        }
        double[] h0 = {0.5};
        double[] aRef = exactDenominator(c.a(), c.margin(), pp);
        double[] bRef = exactNumerator(b, pp);
        double[] kSpec = new double[2 * bins];
        double norm = 1;
        for (double v : c.a()) {
            norm += Math.abs(v);
        }
        double minRef = Double.POSITIVE_INFINITY;
        int argRef = -1;
        for (int k = 0; k < bins; k++) {
            double ar = aRef[2 * k];
            double ai = aRef[2 * k + 1];
            double d = ar * ar + ai * ai;
            kSpec[2 * k] = (bRef[2 * k] * ar + bRef[2 * k + 1] * ai) / d + h0[0];
            kSpec[2 * k + 1] = (bRef[2 * k + 1] * ar - bRef[2 * k] * ai) / d;
            if (Math.sqrt(d) < minRef) {
                minRef = Math.sqrt(d);
                argRef = k;
            }
        }
        minRef /= norm;
        double[] kRef = ExactKernel.inverse(kSpec, pp, c.length());
        try (DeviceBuffer ba = Host.put(be, p, c.a()); DeviceBuffer bm = Host.put(be, p, new double[] {c.margin()});
             DeviceBuffer bb = Host.put(be, p, b); DeviceBuffer bh = Host.put(be, p, h0);
             DeviceBuffer sa = be.allocate(p, 2 * bins); DeviceBuffer sb = be.allocate(p, 2 * bins);
             DeviceBuffer sk = be.allocate(p, 2 * bins); DeviceBuffer mm = be.allocate(p, 2);
             DeviceBuffer k = be.allocate(p, c.length())) {
            be.rationalSpectrum(sh, ba, bm, bb, bh, sa, sb, sk, mm);
            be.fftRealInverse(pp, 1, sk, k, c.length(), c.length());
            double[] spec = Host.get(be, sa);
            double[] mag = Host.get(be, mm);
            double tol = p == Precision.F64 ? F64_RELATIVE : F32_RELATIVE;
            double worst = 0;
            int at = 0;
            for (int i = 0; i < bins; i++) {
                double e = Math.hypot(spec[2 * i] - aRef[2 * i], spec[2 * i + 1] - aRef[2 * i + 1])
                    / Math.hypot(aRef[2 * i], aRef[2 * i + 1]);
                if (!(e <= worst)) {
                    worst = e;
                    at = i;
                }
            }
            if (!(worst <= tol)) {
                fail(String.format("%s %s: A at bin %d has relative error %.3e > %.1e (|A| = %.3e, margin %.3e)",
                    c, p, at, worst, tol, Math.hypot(aRef[2 * at], aRef[2 * at + 1]), c.margin()));
            }
            double minErr = Math.abs(mag[0] - minRef) / minRef;
            if (!(minErr <= tol)) {
                fail(String.format("%s %s: minimum magnitude %.6e, exact %.6e (relative error %.3e > %.1e)", c, p, mag[0],
                    minRef, minErr, tol));
            }
            assertEquals(argRef, (int) mag[1], c + " " + p + ": bin of the minimum magnitude");
            double kErr = Check.close(c + " " + p + " kernel", Host.get(be, k), kRef, Check.values(p, pp));
            return new double[] {worst, minErr, kErr};
        }
    }

    /** Inverse real DFT in float64 by direct summation: fine for the few cases here, and independent of the FFTs. */
    private static final class ExactKernel {
        static double[] inverse(double[] spec, int p, int len) {
            double[] out = new double[len];
            int bins = p / 2 + 1;
            for (int t = 0; t < len; t++) {
                double acc = spec[0] + ((p & 1) == 0 ? spec[2 * (bins - 1)] * ((t & 1) == 0 ? 1 : -1) : 0);
                for (int k = 1; k < bins - 1; k++) {
                    double w = 2 * Math.PI * (double) ((long) k * t % p) / p;
                    acc += 2 * (spec[2 * k] * Math.cos(w) - spec[2 * k + 1] * Math.sin(w));
                }
                out[t] = acc / p;
            }
            return out;
        }
    }
}
