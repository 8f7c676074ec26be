package org.rtf4j.baselines;

import org.rtf4j.layer.Recurrence;
import org.rtf4j.layer.RecurrenceChecks;

/**
 * A recurrence over (B, H) whose state per (b, h) is M complex modes stored interleaved, i.e. N = 2M
 * reals; {@link #getState}/{@link #setState} expose exactly that layout. Subclasses implement one step of
 * one (b, h) row.
 */
abstract class ComplexStateRecurrence implements Recurrence {
    protected final int batch;
    protected final int h;
    protected final int modes;
    protected final double[] state;

    ComplexStateRecurrence(int batch, int h, int modes) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be ≥ 1, got " + batch);
        }
        this.batch = batch;
        this.h = h;
        this.modes = modes;
        this.state = new double[org.rtf4j.kernels.backend.MemoryCheck.arrayLength("recurrent state of batch " + batch
            + " × channels " + h + " × 2 × modes " + modes, org.rtf4j.kernels.backend.MemoryCheck.times(2, batch, h, modes))];
    }

    /** One step of row i = b*H + channel; the row's state starts at {@code so}; returns y. */
    protected abstract double stepRow(int channel, int so, double u);

    @Override
    public final void step(double[] u, double[] y) {
        RecurrenceChecks.stepArrays(u, y, batch, h);
        for (int i = 0; i < batch * h; i++) {
            y[i] = stepRow(i % h, 2 * i * modes, u[i]);
        }
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public int channels() {
        return h;
    }

    @Override
    public int stateSize() {
        return 2 * modes;
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(state, 0.0);
    }

    @Override
    public void getState(double[] out) {
        RecurrenceChecks.state(out, state.length, batch, h, 2 * modes);
        System.arraycopy(state, 0, out, 0, state.length);
    }

    @Override
    public void setState(double[] in) {
        RecurrenceChecks.state(in, state.length, batch, h, 2 * modes);
        RecurrenceChecks.finite(in);
        System.arraycopy(in, 0, state, 0, state.length);
    }
}
