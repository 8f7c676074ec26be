package org.rtf4j.layer;

import java.util.List;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;

/**
 * Contract of a convolutional state-space sequence layer mapping (B, H, ℓ) signals to (B, H, ℓ) signals,
 * ℓ ≤ {@link #maxLength()}, with time contiguous: element {@code u[(b*H + h)*ℓ + t]}.
 *
 * <p>{@link #forward} computes y and keeps what {@link #backward} needs; {@code backward} must follow
 * the forward pass it differentiates with the parameters unchanged; it writes ∂ℒ/∂u and
 * <em>accumulates</em> parameter gradients into {@link Parameter#grad()}. Host arrays of either precision
 * are accepted; they are rounded to the layer's {@link #precision()}.
 *
 * <p>Failures are of two kinds (see {@link NumericalFailureException} for the line between them). Bad
 * input — a wrong shape, or NaN or ±Inf in an input, output gradient or parameter value — is refused with
 * {@link IllegalArgumentException} before anything is computed. A computation that fails on accepted input
 * — a denominator on or near the unit circle, a singular system, a non-finite output or parameter
 * gradient — throws {@link NumericalFailureException}.
 */
public interface SequenceLayer extends AutoCloseable {

    /** Layer kind. */
    LayerKind kind();

    /** Channels H. */
    int channels();

    /** State size N (the real state dimension). */
    int stateSize();

    /** Largest input length L. */
    int maxLength();

    /** True for a two-sided (non-causal) layer. */
    boolean bidirectional();

    /** Compute precision. */
    Precision precision();

    /** Trainable parameters, in a fixed order. */
    List<Parameter> parameters();

    /** Sets every parameter gradient to zero. */
    default void zeroGrad() {
        for (Parameter p : parameters()) {
            java.util.Arrays.fill(p.grad(), 0.0);
        }
    }

    /** y = layer(u) for u of shape (batch, H, length). */
    void forward(double[] u, int batch, int length, double[] y);

    /** y = layer(u) for u of shape (batch, H, length). */
    void forward(float[] u, int batch, int length, float[] y);

    /** du = ∂ℒ/∂u from gy = ∂ℒ/∂y of the last forward pass; accumulates parameter gradients. */
    void backward(double[] gy, double[] du);

    /** du = ∂ℒ/∂u from gy = ∂ℒ/∂y of the last forward pass; accumulates parameter gradients. */
    void backward(float[] gy, float[] du);

    /**
     * y = layer(u) with u and y in buffers of the layer's backend and {@link #precision()}, shape
     * (batch, H, length): the path of a model whose activations stay on the backend. The signals are not
     * checked for NaN or ±Inf (that would read them back): a non-finite input gives a non-finite output,
     * which the model's loss reports. Parameters are checked as in the host-array forms.
     */
    void forward(DeviceBuffer u, int batch, int length, DeviceBuffer y);

    /**
     * du = ∂ℒ/∂u from gy = ∂ℒ/∂y of the last forward pass, both in backend buffers as in
     * {@link #forward(DeviceBuffer, int, int, DeviceBuffer)}; accumulates parameter gradients.
     */
    void backward(DeviceBuffer gy, DeviceBuffer du);

    /** A recurrent stepper for {@code batch} sequences that reproduces the causal convolution exactly. */
    Recurrence recurrent(int batch);

    /** Releases backend buffers. */
    @Override
    void close();
}
