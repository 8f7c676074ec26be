package org.rtf4j.kernels.backend;

/**
 * A handle to a flat array of {@link #length()} 32-bit signed integers owned by the backend that allocated
 * it: token ids, class targets and sequence lengths, the integer part of a batch. Callers write it through
 * {@link Backend#writeIndices} and read it through {@link Backend#readIndices}, so it may live on a device;
 * the kernels that take one name it in their contract. It is a type of its own, not a {@link DeviceBuffer}
 * of some precision, so that an index array can never be passed where real values are expected.
 */
public interface IndexBuffer extends AutoCloseable {
    /** Number of integers. */
    int length();

    /** Releases the storage; the handle must not be used afterwards. Idempotent. */
    @Override
    void close();
}
