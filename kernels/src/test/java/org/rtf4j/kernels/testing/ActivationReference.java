package org.rtf4j.kernels.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rtf4j.kernels.dense.ActivationShape;

/**
 * The textbook float64 formulas of GELU (tanh form, with {@code Math.tanh}) and GLU, as the host model of
 * {@code train} computed them before they ran on the activation kernels, the scales the kernels' error bounds
 * are stated against, and the test inputs: awkward sizes, large |x| (up to ±40) and tiny ones.
 */
public final class ActivationReference {
    private static final double C = Math.sqrt(2.0 / Math.PI);

    private ActivationReference() {
    }

    /** {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}. */
    public static double gelu(double v) {
        return 0.5 * v * (1.0 + Math.tanh(C * (v + 0.044715 * v * v * v)));
    }

    /** The textbook derivative of {@link #gelu}. */
    public static double geluDerivative(double v) {
        double th = Math.tanh(C * (v + 0.044715 * v * v * v));
        return 0.5 * (1.0 + th) + 0.5 * v * (1.0 - th * th) * C * (1.0 + 3.0 * 0.044715 * v * v);
    }

    /** The scale of the derivative's terms, {@code 1 + |x|·(1 + 3·0.044715·x²)}. */
    public static double geluDerivativeScale(double v) {
        return 1.0 + Math.abs(v) * (1.0 + 3.0 * 0.044715 * v * v);
    }

    /** σ as the host model computed it. */
    public static double sigmoid(double v) {
        return v >= 0 ? 1.0 / (1.0 + Math.exp(-v)) : Math.exp(v) / (1.0 + Math.exp(v));
    }

    /** GLU forward: x (B, C, ℓ) to (B, C/2, ℓ). */
    public static double[] glu(ActivationShape s, double[] x) {
        int half = s.half();
        int ell = s.length();
        double[] y = new double[s.gluOutputCount()];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < half; h++) {
                int ia = (b * 2 * half + h) * ell;
                int ig = ia + half * ell;
                int iy = (b * half + h) * ell;
                for (int t = 0; t < ell; t++) {
                    y[iy + t] = x[ia + t] * sigmoid(x[ig + t]);
                }
            }
        }
        return y;
    }

    /** GLU backward: dx (B, C, ℓ) from x and dy (B, C/2, ℓ). */
    public static double[] gluBackward(ActivationShape s, double[] x, double[] dy) {
        int half = s.half();
        int ell = s.length();
        double[] dx = new double[s.count()];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < half; h++) {
                int ia = (b * 2 * half + h) * ell;
                int ig = ia + half * ell;
                int iy = (b * half + h) * ell;
                for (int t = 0; t < ell; t++) {
                    double sg = sigmoid(x[ig + t]);
                    dx[ia + t] = dy[iy + t] * sg;
                    dx[ig + t] = dy[iy + t] * x[ia + t] * sg * (1.0 - sg);
                }
            }
        }
        return dx;
    }

    /**
     * For each element of GLU's input, the scale of its input gradient's error bound: |dy| for the a half,
     * |dy·a| for the g half.
     */
    public static double[] gluBackwardScale(ActivationShape s, double[] x, double[] dy) {
        int half = s.half();
        int ell = s.length();
        double[] m = new double[s.count()];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < half; h++) {
                int ia = (b * 2 * half + h) * ell;
                int ig = ia + half * ell;
                int iy = (b * half + h) * ell;
                for (int t = 0; t < ell; t++) {
                    m[ia + t] = Math.abs(dy[iy + t]);
                    m[ig + t] = Math.abs(dy[iy + t] * x[ia + t]);
                }
            }
        }
        return m;
    }

    /** For each element of GLU's output, |a|, the scale of its error bound. */
    public static double[] gluForwardScale(ActivationShape s, double[] x) {
        int half = s.half();
        int ell = s.length();
        double[] m = new double[s.gluOutputCount()];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < half; h++) {
                int ia = (b * 2 * half + h) * ell;
                int iy = (b * half + h) * ell;
                for (int t = 0; t < ell; t++) {
                    m[iy + t] = Math.abs(x[ia + t]);
                }
            }
        }
        return m;
    }

    /** Values that probe the formulas' edges: zeros, tiny, the steep region, large |x| up to ±40. */
    public static final double[] SPECIAL = {0.0, -0.0, 1e-300, -1e-300, Double.MIN_VALUE, 1e-8, -1e-8, 0.5, -0.5, 1, -1,
        2, -2, 3, -3, 4.5, -4.5, 6, -6, 9.5, -9.5, 15, -15, 19, -19, 25, -25, 40, -40};

    /**
     * {@code n} inputs: the special values first (as many as fit), then uniform in [−6, 6] with every
     * seventh uniform in [−40, 40].
     */
    public static double[] inputs(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            if (i < SPECIAL.length) {
                x[i] = SPECIAL[i];
            } else {
                x[i] = i % 7 == 0 ? r.nextDouble(-40, 40) : r.nextDouble(-6, 6);
            }
        }
        return x;
    }

    /** Uniform in [−1, 1]. */
    public static double[] gradients(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = r.nextDouble(-1, 1);
        }
        return g;
    }

    /** Element counts of the GELU cases: awkward small sizes, one of several work units. */
    public static final int[] COUNTS = {1, 3, 17, 1000, 3 * 4096 + 5};

    /** GLU shapes (batch, channels, length): single elements, odd lengths, many short rows, long rows. */
    public static List<ActivationShape> gluShapes() {
        List<ActivationShape> out = new ArrayList<>();
        out.add(new ActivationShape(1, 2, 1));
        out.add(new ActivationShape(1, 2, 3));
        out.add(new ActivationShape(3, 6, 17));
        out.add(new ActivationShape(2, 4, 1000));
        out.add(new ActivationShape(5, 8, 1));
        out.add(new ActivationShape(3, 64, 100));
        out.add(new ActivationShape(2, 2, 9000));
        return out;
    }
}
