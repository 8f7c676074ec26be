package org.rtf4j.kernels.jvm;

/**
 * Per-worker scratch arrays, grown on demand and then reused: after the first call at a shape, kernels
 * allocate nothing. Owned by one {@link JvmBackend}; worker w only ever touches its own arrays.
 */
public final class JvmScratch {
    private final double[][] f64;
    private final float[][] f32;
    private final double[][] wide;

    JvmScratch(int workers) {
        this.f64 = new double[workers][];
        this.f32 = new float[workers][];
        this.wide = new double[workers][];
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

    /** Bytes currently held. */
    public long bytes() {
        long b = 0;
        for (int w = 0; w < f64.length; w++) {
            b += 8L * f64[w].length + 4L * f32[w].length + 8L * wide[w].length;
        }
        return b;
    }
}
