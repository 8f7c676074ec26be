package org.rtf4j.kernels.jvm;

import java.util.concurrent.atomic.AtomicLong;
import org.rtf4j.kernels.backend.IndexBuffer;

/** An {@link IndexBuffer} on the JVM heap: an {@code int[]}, counted in its backend's live bytes. */
public final class JvmIndexBuffer implements IndexBuffer {
    private final int length;
    private final AtomicLong live;
    private int[] values;

    JvmIndexBuffer(int length, AtomicLong live) {
        if (length < 0) {
            throw new IllegalArgumentException("index buffer length must be ≥ 0, got " + length);
        }
        this.length = length;
        this.values = new int[length];
        this.live = live;
        live.addAndGet(4L * length);
    }

    @Override
    public int length() {
        return length;
    }

    /** Backing array. */
    int[] values() {
        if (values == null) {
            throw new IllegalStateException("index buffer is closed");
        }
        return values;
    }

    @Override
    public void close() {
        if (values != null) {
            live.addAndGet(-4L * length);
        }
        values = null;
    }

    @Override
    public String toString() {
        return "JvmIndexBuffer[" + length + "]";
    }
}
