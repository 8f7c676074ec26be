package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.fft.FourStepF32;
import org.rtf4j.kernels.fft.FourStepF64;
import org.rtf4j.kernels.fft.FourStepPlan;

/**
 * Per-worker scratch arrays, grown on demand and then reused: after the first call at a shape, kernels
 * allocate nothing. Owned by one {@link JvmBackend}; worker w only ever touches its own arrays.
 */
public final class JvmScratch {
    private final double[][] f64;
    private final float[][] f32;
    private final double[][] wide;
    /** Per worker, the paired transforms' rows by log2 of their length (created once, then reused). */
    private final FourStepF64.Work[][] fourStepF64;
    private final FourStepF32.Work[][] fourStepF32;

    JvmScratch(int workers) {
        this.f64 = new double[workers][];
        this.f32 = new float[workers][];
        this.wide = new double[workers][];
        this.fourStepF64 = new FourStepF64.Work[workers][32];
        this.fourStepF32 = new FourStepF32.Work[workers][32];
        for (int w = 0; w < workers; w++) {
            f64[w] = new double[0];
            f32[w] = new float[0];
            wide[w] = new double[0];
        }
    }

    /**
     * Worker w's float64 scratch for values that stay float64 in both precisions' kernels (anchors,
     * accumulators); distinct from {@link #bufferF64}.
     */
    public double[] wide(int worker, int size) {
        double[] s = wide[worker];
        if (s.length < size) {
            s = new double[size];
            wide[worker] = s;
        }
        return s;
    }

    /** Worker w's float64 scratch, at least {@code size} elements. */
    public double[] bufferF64(int worker, int size) {
        double[] s = f64[worker];
        if (s.length < size) {
            s = new double[size];
            f64[worker] = s;
        }
        return s;
    }

    /** Worker w's float32 scratch, at least {@code size} elements. */
    public float[] bufferF32(int worker, int size) {
        float[] s = f32[worker];
        if (s.length < size) {
            s = new float[size];
            f32[worker] = s;
        }
        return s;
    }

    /** Worker w's rows for paired float64 transforms through {@code plan}. */
    public FourStepF64.Work fourStepF64(int worker, FourStepPlan plan) {
        int k = Integer.numberOfTrailingZeros(plan.length());
        FourStepF64.Work r = fourStepF64[worker][k];
        if (r == null) {
            r = new FourStepF64.Work(plan);
            fourStepF64[worker][k] = r;
        }
        return r;
    }

    /** Worker w's rows for paired float32 transforms through {@code plan}. */
    public FourStepF32.Work fourStepF32(int worker, FourStepPlan plan) {
        int k = Integer.numberOfTrailingZeros(plan.length());
        FourStepF32.Work r = fourStepF32[worker][k];
        if (r == null) {
            r = new FourStepF32.Work(plan);
            fourStepF32[worker][k] = r;
        }
        return r;
    }

    /** Bytes currently held. */
    public long bytes() {
        long b = 0;
        for (int w = 0; w < f64.length; w++) {
            b += 8L * f64[w].length + 4L * f32[w].length + 8L * wide[w].length;
            for (int k = 0; k < 32; k++) {
                b += fourStepF64[w][k] == null ? 0 : 8L * 4 * fourStepF64[w][k].length();
                b += fourStepF32[w][k] == null ? 0 : 4L * 4 * fourStepF32[w][k].length();
            }
        }
        return b;
    }
}
