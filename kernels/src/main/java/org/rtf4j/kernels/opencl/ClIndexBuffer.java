package org.rtf4j.kernels.opencl;

import org.rtf4j.kernels.backend.IndexBuffer;

/**
 * An {@link IndexBuffer} of one {@link ClRuntime}: 32-bit integers in device memory of 4 bytes an element,
 * held as a caller buffer of that size ({@link #storage}), so allocation, accounting, the leak report and
 * freeing are the runtime's as for any buffer. Kernels take {@code storage.mem} as an {@code int*}.
 */
final class ClIndexBuffer implements IndexBuffer {
    /** The device memory, a 4-byte-element buffer; never handed out as a {@link org.rtf4j.kernels.backend.DeviceBuffer}. */
    final ClBuffer storage;

    ClIndexBuffer(ClBuffer storage) {
        this.storage = storage;
    }

    @Override
    public int length() {
        return storage.length;
    }

    @Override
    public void close() {
        storage.close();
    }

    @Override
    public String toString() {
        return "ClIndexBuffer[" + storage.length + "]";
    }
}
