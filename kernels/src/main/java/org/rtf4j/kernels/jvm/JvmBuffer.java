package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;

/** A {@link DeviceBuffer} on the JVM heap: a {@code double[]} or a {@code float[]}. */
public final class JvmBuffer implements DeviceBuffer {
    private final Precision precision;
    private final int length;
    private double[] f64;
    private float[] f32;
    private final java.util.concurrent.atomic.AtomicLong live;

    JvmBuffer(Precision precision, int length, java.util.concurrent.atomic.AtomicLong live) {
        if (length < 0) {
            throw new IllegalArgumentException("buffer length must be ≥ 0, got " + length);
        }
        this.precision = precision;
        this.length = length;
        if (precision == Precision.F64) {
            f64 = new double[length];
        } else {
            f32 = new float[length];
        }
        this.live = live;
        live.addAndGet((long) length * precision.bytes());
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public int length() {
        return length;
    }

    /** Backing float64 array. */
    double[] f64() {
        if (f64 == null) {
            throw new IllegalStateException(precision == Precision.F64 ? "buffer is closed" : "buffer is " + precision);
        }
        return f64;
    }

    /** Backing float32 array. */
    float[] f32() {
        if (f32 == null) {
            throw new IllegalStateException(precision == Precision.F32 ? "buffer is closed" : "buffer is " + precision);
        }
        return f32;
    }

    @Override
    public void close() {
        if (f64 != null || f32 != null) {
            live.addAndGet(-(long) length * precision.bytes());
        }
        f64 = null;
        f32 = null;
    }

    @Override
    public String toString() {
        return "JvmBuffer[" + precision + " x " + length + "]";
    }
}
