package org.rtf4j.train.nn;

import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.layer.Parameter;

/**
 * A trainable tensor of the model held on the backend: its value and gradient (and, once the optimiser
 * attached them, its AdamW moments) are buffers of the model's precision, which the ops and the optimiser
 * read and write in place for the whole run. The {@link Parameter} is its host view, with the name and shape
 * checkpoints and the weights interchange use: its arrays are current only after {@link #pull} (values read
 * back) and take effect only after {@link #push} (values written).
 */
public final class Weight implements AutoCloseable {
    private final Parameter host;
    private final Backend be;
    private final DeviceBuffer value;
    private final DeviceBuffer grad;
    private DeviceBuffer first;
    private DeviceBuffer second;

    /** A weight whose device value is the host view's current value (the caller initialised it). */
    Weight(Parameter host, Backend be, Precision p) {
        this.host = host;
        this.be = be;
        this.value = be.allocate(p, host.size());
        try {
            this.grad = be.allocate(p, host.size());
        } catch (RuntimeException e) {
            value.close();
            throw e;
        }
        try {
            push();
        } catch (RuntimeException e) {
            value.close();
            grad.close();
            throw e;
        }
    }

    /** The host view: name, shape and the values of the last {@link #pull}. */
    public Parameter parameter() {
        return host;
    }

    public String name() {
        return host.name();
    }

    /** Number of elements. */
    public int size() {
        return host.size();
    }

    /** The value buffer. */
    public DeviceBuffer value() {
        return value;
    }

    /** The gradient buffer; backward passes accumulate into it. */
    public DeviceBuffer grad() {
        return grad;
    }

    /** The AdamW first moment, or null before {@link #moments}. */
    public DeviceBuffer firstMoment() {
        return first;
    }

    /** The AdamW second moment, or null before {@link #moments}. */
    public DeviceBuffer secondMoment() {
        return second;
    }

    /** Allocates the two zero moments (once). */
    public void moments() {
        if (first == null) {
            DeviceBuffer m = be.allocate(value.precision(), host.size());
            try {
                second = be.allocate(value.precision(), host.size());
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
            first = m;
        }
    }

    /** Writes the host view's values to the device. */
    public void push() {
        be.write(value, 0, host.value(), 0, host.size());
    }

    /** Reads the device values into the host view. */
    public void pull() {
        be.read(value, 0, host.value(), 0, host.size());
    }

    /** Reads the device gradient into the host view's gradient. */
    public void pullGradient() {
        be.read(grad, 0, host.grad(), 0, host.size());
    }

    @Override
    public void close() {
        value.close();
        grad.close();
        if (first != null) {
            first.close();
            second.close();
        }
    }
}
