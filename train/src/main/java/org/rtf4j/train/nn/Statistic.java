package org.rtf4j.train.nn;

import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;

/**
 * Non-trained state of the model kept on the backend (BatchNorm's running statistics): a buffer the kernels
 * update in place and a host array checkpoints read after {@link #pull} and write before {@link #push}.
 */
final class Statistic implements AutoCloseable {
    private final Backend be;
    private final double[] host;
    private final DeviceBuffer value;

    Statistic(Backend be, Precision p, double[] initial) {
        this.be = be;
        this.host = initial;
        this.value = be.allocate(p, initial.length);
        try {
            push();
        } catch (RuntimeException e) {
            value.close();
            throw e;
        }
    }

    double[] host() {
        return host;
    }

    DeviceBuffer value() {
        return value;
    }

    void push() {
        be.write(value, 0, host, 0, host.length);
    }

    void pull() {
        be.read(value, 0, host, 0, host.length);
    }

    @Override
    public void close() {
        value.close();
    }
}
