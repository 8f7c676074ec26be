package org.rtf4j.train.nn;

import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;

/**
 * One activation or gradient of an op, kept on the backend between steps: a buffer that grows to the
 * largest (batch, channels, length) asked for and is reused for smaller ones (the tensor is its prefix), so
 * a run allocates its activations once. Growing drops the old contents.
 */
final class Slot implements AutoCloseable {
    private final Backend be;
    private final Precision p;
    private DeviceBuffer buffer;

    Slot(Backend be, Precision p) {
        this.be = be;
        this.p = p;
    }

    /** A buffer of at least {@code elements} values (zero-filled when new). */
    DeviceBuffer get(long elements) {
        if (elements > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("activation of " + elements + " values exceeds " + Integer.MAX_VALUE);
        }
        if (buffer == null || buffer.length() < elements) {
            if (buffer != null) {
                buffer.close();
                buffer = null;
            }
            buffer = be.allocate(p, (int) elements);
        }
        return buffer;
    }

    /** The current buffer (null before the first {@link #get}). */
    DeviceBuffer current() {
        return buffer;
    }

    @Override
    public void close() {
        if (buffer != null) {
            buffer.close();
            buffer = null;
        }
    }
}
