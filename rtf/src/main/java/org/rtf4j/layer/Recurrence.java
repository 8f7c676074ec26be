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
}
