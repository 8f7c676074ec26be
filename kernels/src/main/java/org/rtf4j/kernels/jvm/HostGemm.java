package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.dense.GemmShape;

/**
 * The JVM backend's GEMM kernel ({@link org.rtf4j.kernels.backend.KernelId#GEMM}) on host arrays, for host
 * code that runs on a {@link JvmExecutor} without a backend (the float64 host model of {@code train}). Same
 * arithmetic as {@code JvmBackend.gemm}: each element of C is one running sum over the batches and the
 * contracted index in order, then α·s + β·c, so the result is bit-identical to a plain loop and independent
 * of the executor's thread count. The kernel's per-worker scratch is kept per executor (weakly: it goes with
 * the executor) and shared by every caller of that executor; calls on one executor are serialised.
 */
public final class HostGemm {
    private static final PerExecutor<JvmGemmF64> F64 = new PerExecutor<>(h -> new JvmGemmF64(h.threads()));
    private static final PerExecutor<JvmGemmF32> F32 = new PerExecutor<>(h -> new JvmGemmF32(h.threads()));

    private HostGemm() {
    }

    /**
     * C = α·op(A)·op(B) + β·C as {@code shape} describes (see {@link GemmShape}), on {@code host}'s workers.
     *
     * @throws IllegalArgumentException when an argument is null, an array is shorter than the shape needs, or
     *                                  {@code c} is {@code a} or {@code b}
     * @throws IllegalStateException    when called from inside a task of {@code host} (see {@link JvmExecutor})
     */
    public static void gemm(JvmExecutor host, GemmShape shape, double[] a, double[] b, double[] c) {
        check(host, shape, a == null ? -1 : a.length, b == null ? -1 : b.length, c == null ? -1 : c.length, c == a || c == b);
        F64.get(host).gemm(host, shape, a, b, c);
    }

    /** As {@link #gemm(JvmExecutor, GemmShape, double[], double[], double[])}, in float32. */
    public static void gemm(JvmExecutor host, GemmShape shape, float[] a, float[] b, float[] c) {
        check(host, shape, a == null ? -1 : a.length, b == null ? -1 : b.length, c == null ? -1 : c.length, c == a || c == b);
        F32.get(host).gemm(host, shape, a, b, c);
    }

    private static void check(JvmExecutor host, GemmShape shape, int a, int b, int c, boolean alias) {
        if (host == null) {
            throw new IllegalArgumentException("host executor must not be null");
        }
        if (shape == null) {
            throw new IllegalArgumentException("shape must not be null");
        }
        length("a", a, shape.aLength());
        length("b", b, shape.bLength());
        length("c", c, shape.cLength());
        if (alias) {
            throw new IllegalArgumentException("c must be an array other than a and b (the product does not work in place)");
        }
    }

    private static void length(String name, int actual, long needed) {
        if (actual < 0) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (actual < needed) {
            throw new IllegalArgumentException(name + " has " + actual + " elements, expected at least " + needed);
        }
    }
}
