package org.rtf4j.kernels.backend;

/**
 * A handle to a flat array of {@link #length()} elements of one {@link Precision}, owned by the backend
 * that allocated it. Layers never touch the storage directly: they write and read it through
 * {@link Backend#write} and {@link Backend#read}, so the storage may live on a device.
 */
public interface DeviceBuffer extends AutoCloseable {
    /** Element precision. */
    Precision precision();

    /** Number of elements. */
    int length();

    /** Releases the storage; the handle must not be used afterwards. Idempotent. */
    @Override
    void close();
}
