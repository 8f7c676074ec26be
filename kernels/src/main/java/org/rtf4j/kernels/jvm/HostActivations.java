package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.dense.ActivationShape;

/**
 * The JVM backend's activation kernels ({@link org.rtf4j.kernels.backend.KernelId#GELU}, {@code GELU_BACKWARD},
 * {@code GLU}, {@code GLU_BACKWARD}) on host arrays, for host code that runs on a {@link JvmExecutor} without a
 * backend (the float64 host model of {@code train}). Same arithmetic and accuracy as the backend's methods
 * (see {@code Backend.gelu}, {@code Backend.glu}): every element by the same expression, so the result does
 * not depend on the executor's thread count. The kernels' reusable loop tasks are kept per executor (weakly:
 * they go with the executor); calls on one executor are serialised. Arguments are checked as the backend
 * checks its buffers, with the same one-line messages.
 */
public final class HostActivations {
    private static final PerExecutor<JvmActivationsF64> F64 = new PerExecutor<>(h -> new JvmActivationsF64());
    private static final PerExecutor<JvmActivationsF32> F32 = new PerExecutor<>(h -> new JvmActivationsF32());

    private HostActivations() {
    }

    /** {@code y = gelu(x)} over {@code shape.count()} elements; {@code y} may be {@code x}. */
    public static void gelu(JvmExecutor host, ActivationShape shape, double[] x, double[] y) {
        checkGelu(host, shape, length(x), length(y), 0, false);
        f64(host).gelu(host, shape, x, y);
    }

    /** {@code dx = dy·gelu'(x)} over {@code shape.count()} elements; any of the arrays may be the same. */
    public static void geluBackward(JvmExecutor host, ActivationShape shape, double[] x, double[] dy, double[] dx) {
        checkGelu(host, shape, length(x), length(dx), length(dy), true);
        f64(host).geluBackward(host, shape, x, dy, dx);
    }

    /** GLU over the channel axis, {@code x} (B, C, ℓ) to {@code y} (B, C/2, ℓ); {@code y} must not be {@code x}. */
    public static void glu(JvmExecutor host, ActivationShape shape, double[] x, double[] y) {
        checkGlu(host, shape, length(x), length(y), 0, false, y == x, false);
        f64(host).glu(host, shape, x, y);
    }

    /** GLU's input gradient {@code dx} (B, C, ℓ) from {@code x} and {@code dy} (B, C/2, ℓ); dx is neither. */
    public static void gluBackward(JvmExecutor host, ActivationShape shape, double[] x, double[] dy, double[] dx) {
        checkGlu(host, shape, length(x), length(dx), length(dy), true, dx == x, dx == dy);
        f64(host).gluBackward(host, shape, x, dy, dx);
    }

    /** As {@link #gelu(JvmExecutor, ActivationShape, double[], double[])}, in float32. */
    public static void gelu(JvmExecutor host, ActivationShape shape, float[] x, float[] y) {
        checkGelu(host, shape, length(x), length(y), 0, false);
        f32(host).gelu(host, shape, x, y);
    }

    /** As {@link #geluBackward(JvmExecutor, ActivationShape, double[], double[], double[])}, in float32. */
    public static void geluBackward(JvmExecutor host, ActivationShape shape, float[] x, float[] dy, float[] dx) {
        checkGelu(host, shape, length(x), length(dx), length(dy), true);
        f32(host).geluBackward(host, shape, x, dy, dx);
    }

    /** As {@link #glu(JvmExecutor, ActivationShape, double[], double[])}, in float32. */
    public static void glu(JvmExecutor host, ActivationShape shape, float[] x, float[] y) {
        checkGlu(host, shape, length(x), length(y), 0, false, y == x, false);
        f32(host).glu(host, shape, x, y);
    }

    /** As {@link #gluBackward(JvmExecutor, ActivationShape, double[], double[], double[])}, in float32. */
    public static void gluBackward(JvmExecutor host, ActivationShape shape, float[] x, float[] dy, float[] dx) {
        checkGlu(host, shape, length(x), length(dx), length(dy), true, dx == x, dx == dy);
        f32(host).gluBackward(host, shape, x, dy, dx);
    }

    private static JvmActivationsF64 f64(JvmExecutor host) {
        return F64.get(host);
    }

    private static JvmActivationsF32 f32(JvmExecutor host) {
        return F32.get(host);
    }

    private static int length(double[] a) {
        return a == null ? -1 : a.length;
    }

    private static int length(float[] a) {
        return a == null ? -1 : a.length;
    }

    /** x and out of count elements (and dy when backward). */
    private static void checkGelu(JvmExecutor host, ActivationShape shape, int x, int out, int dy, boolean backward) {
        common(host, shape);
        int n = shape.count();
        need("x", x, n);
        if (backward) {
            need("dy", dy, n);
            need("dx", out, n);
        } else {
            need("y", out, n);
        }
    }

    /** x of count elements, the output half (forward y) or count (backward dx), dy half. */
    private static void checkGlu(JvmExecutor host, ActivationShape shape, int x, int out, int dy, boolean backward,
                                 boolean outIsX, boolean outIsDy) {
        common(host, shape);
        shape.requireEvenChannels();
        need("x", x, shape.count());
        if (backward) {
            need("dy", dy, shape.gluOutputCount());
            need("dx", out, shape.count());
            if (outIsX || outIsDy) {
                throw new IllegalArgumentException("dx must be an array other than " + (outIsX ? "x" : "dy")
                    + " (the GLU backward does not work in place)");
            }
        } else {
            need("y", out, shape.gluOutputCount());
            if (outIsX) {
                throw new IllegalArgumentException("y must be an array other than x (GLU does not work in place)");
            }
        }
    }

    private static void common(JvmExecutor host, ActivationShape shape) {
        if (host == null) {
            throw new IllegalArgumentException("host executor must not be null");
        }
        if (shape == null) {
            throw new IllegalArgumentException("shape must not be null");
        }
    }

    private static void need(String name, int actual, int needed) {
        if (actual < 0) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (actual < needed) {
            throw new IllegalArgumentException(name + " has " + actual + " elements, expected at least " + needed);
        }
    }
}
