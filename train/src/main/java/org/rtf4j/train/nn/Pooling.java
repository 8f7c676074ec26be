package org.rtf4j.train.nn;

import org.rtf4j.kernels.dense.PoolShape;

/** Pooling over the valid positions of each sequence: (B, H, ℓ) → (B, H), or none (the backend's pool kernel). */
public enum Pooling {
    /** Mean over t < length[b]. */
    MEAN,
    /** The value at t = length[b] − 1. */
    LAST,
    /** No pooling: per-position outputs. */
    NONE;

    /** The kernel's mode; NONE has none. */
    PoolShape.Mode mode() {
        if (this == NONE) {
            throw new IllegalStateException("pooling none has no kernel");
        }
        return this == MEAN ? PoolShape.Mode.MEAN : PoolShape.Mode.LAST;
    }
}
