package org.rtf4j.layer;

import java.util.Arrays;
import org.rtf4j.kernels.backend.MemoryCheck;

/**
 * A named trainable tensor of a layer with its gradient, both float64 host arrays in row-major order.
 * Optimisers update {@link #value()} in place; layers accumulate into {@link #grad()} on backward.
 * {@link #ssm()} tags the parameters of the state-space part (they may get their own learning rate and
 * weight decay).
 */
public final class Parameter {
    private final String name;
    private final int[] shape;
    private final double[] value;
    private final double[] grad;
    private final boolean ssm;

    public Parameter(String name, int[] shape, boolean ssm) {
        this.name = name;
        this.shape = shape.clone();
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("parameter " + name + ": dimensions must be ≥ 0, got "
                    + Arrays.toString(shape));
            }
            n = MemoryCheck.times(n, s);
        }
        int length = MemoryCheck.arrayLength("parameter " + name + " of shape " + Arrays.toString(shape), n);
        this.value = new double[length];
        this.grad = new double[length];
        this.ssm = ssm;
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public int size() {
        return value.length;
    }

    /** The values (live array). */
    public double[] value() {
        return value;
    }

    /** The accumulated gradient (live array). */
    public double[] grad() {
        return grad;
    }

    public boolean ssm() {
        return ssm;
    }

    /** Copies {@code v} into the values after checking its length. */
    public void set(double[] v) {
        if (v.length != value.length) {
            throw new IllegalArgumentException("parameter " + name + " expects " + value.length + " values "
                + Arrays.toString(shape) + ", got " + v.length);
        }
        System.arraycopy(v, 0, value, 0, v.length);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (ssm ? " (ssm)" : "");
    }
}
