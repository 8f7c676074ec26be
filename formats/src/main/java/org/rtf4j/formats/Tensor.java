package org.rtf4j.formats;

import java.util.Arrays;

/**
 * A named tensor read from or written to a file: row-major (C order) values widened to float64, the
 * shape, and the element type of the file.
 */
public record Tensor(String name, DType dtype, long[] shape, double[] data) {

    /** Validates that the shape's element count equals the data length. */
    public Tensor {
        if (shape == null || data == null || dtype == null) {
            throw new IllegalArgumentException("tensor " + name + ": dtype, shape and data must not be null");
        }
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("tensor " + name + ": negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, s);
        }
        if (n != data.length) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape) + " has " + n
                + " elements, data has " + data.length);
        }
        shape = shape.clone();
    }

    /** A tensor with int dimensions. */
    public static Tensor of(String name, DType dtype, double[] data, int... shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = shape[i];
        }
        return new Tensor(name, dtype, s, data);
    }

    /** The shape (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Dimension i as an int. */
    public int dim(int i) {
        return (int) shape[i];
    }

    /** The shape as text, e.g. (2, 3). */
    public String shapeText() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** Same values and shape under another name. */
    public Tensor renamed(String newName) {
        return new Tensor(newName, dtype, shape, data);
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeText();
    }
}
