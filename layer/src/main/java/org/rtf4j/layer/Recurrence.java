package org.rtf4j.layer;

/**
 * Step-by-step (autoregressive) form of a causal layer over (B, H): each call consumes one time step
 * {@code u[b*H + h]} and produces {@code y[b*H + h]}. The state starts at zero.
 */
public interface Recurrence {
    /** Batch size B. */
    int batch();

    /** Channels H. */
    int channels();

    /** State elements per (b, h). */
    int stateSize();

    /** One step. */
    void step(double[] u, double[] y);

    /** Sets the state to zero. */
    void reset();

    /** Copies the state, shape (B, H, stateSize), into {@code out}. */
    void getState(double[] out);

    /** Replaces the state, shape (B, H, stateSize). */
    void setState(double[] in);

    /**
     * Steps through a whole (B, H, length) input (time contiguous, as the convolution's layout) from the
     * current state and returns the (B, H, length) outputs; the state advances by {@code length} steps.
     */
    default double[] run(double[] u, int length) {
        int bh = batch() * channels();
        if (u == null || length < 0 || u.length != (long) bh * length) {
            throw new IllegalArgumentException("u must have B*H*length = " + batch() + "*" + channels() + "*" + length
                + " elements, got " + (u == null ? "null" : u.length));
        }
        double[] y = new double[u.length];
        double[] ut = new double[bh];
        double[] yt = new double[bh];
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < bh; i++) {
                ut[i] = u[i * length + t];
            }
            step(ut, yt);
            for (int i = 0; i < bh; i++) {
                y[i * length + t] = yt[i];
            }
        }
        return y;
    }
}
