package org.rtf4j.train.nn;

import org.rtf4j.kernels.profile.ProfileRecord;
import org.rtf4j.kernels.profile.Profiler;

/**
 * Wall-clock times of a training run's host work, recorded into the backend's kernel-level {@link Profiler}
 * as records of kind {@value #KIND}, so that one profile table shows each host op's share next to the
 * model's kernels (every op of the model is a backend kernel, recorded by the backend under its kernel
 * name: {@code gemm}, {@code layerNorm}, {@code fftConv}, …). The host records are the trainer's (the batch,
 * the loss scalars' read, the checks, the optimiser's host part) and the SSM layers' host remainder (the
 * names are the constants below); the trainer and the model's blocks time them through the instance
 * {@link SequenceModel#hostProfile()} returns.
 *
 * <p><b>Off by default, and free when off:</b> {@link #start()} then reads one field and returns 0, and
 * {@link #stop} returns at once; no clock is read and nothing is allocated. On, each timed op costs two
 * {@link System#nanoTime()} calls and one small record.
 *
 * <p><b>What the times mean.</b> Host timers never enclose a backend call, so host and kernel records do not
 * overlap. On the JVM backend (kernels timed by the wall clock, synchronously), the SSM layer's own host work
 * around its kernels (parameter transforms, copies into and out of its buffers) is recorded as
 * {@value #SSM_FORWARD_OTHER} and {@value #SSM_BACKWARD_OTHER}: the wall time of the layer call minus the kernel
 * time recorded during it. Then the records partition the step, and a share in {@link Profiler#table()} is a
 * share of the whole step. On a device backend (kernel times are device event times, overlapping the host's)
 * those two are not recorded, and the shares mix host wall time with device time. Evaluation passes are
 * timed too (forward ops only), as their kernels are.
 *
 * <p>Used by the one thread that trains: {@link #attach} before the run, {@link #detach} after.
 */
public final class HostProfile {
    /** The kind of a host-op record. */
    public static final String KIND = "HOST";

    /** Building the padded batch from the examples and writing it to the backend (trainer). */
    public static final String BATCH = "batch";
    /** Setting every gradient to zero (trainer). */
    public static final String ZERO_GRAD = "zero_grad";
    /** Reading the loss scalars and the squared gradient norms back (trainer; on a device, the wait for the step). */
    public static final String LOSS = "loss";
    /** The finiteness checks of the loss, the gradient norms and the SSM parameters (trainer). */
    public static final String FINITE_CHECKS = "finite_checks";
    /** The AdamW update's host work: the SSM parameters' update and the kernels' calls, less their time (trainer). */
    public static final String ADAMW = "adamw";
    /** The SSM layer's host work around its kernels in the forward pass (JVM backend only). */
    public static final String SSM_FORWARD_OTHER = "ssm.forward.other";
    /** The SSM layer's host work around its kernels in the backward pass (JVM backend only). */
    public static final String SSM_BACKWARD_OTHER = "ssm.backward.other";

    private Profiler profiler;
    private boolean kernelsOnHostClock;

    /**
     * Records host ops into {@code profiler} from now on. {@code kernelsOnHostClock}: the backend times its
     * kernels synchronously by the wall clock (the JVM backend), so the SSM layers' host remainder can be
     * recorded (see the class comment).
     *
     * @throws IllegalArgumentException when {@code profiler} is null
     */
    public void attach(Profiler profiler, boolean kernelsOnHostClock) {
        if (profiler == null) {
            throw new IllegalArgumentException("host profile: the profiler must not be null");
        }
        this.profiler = profiler;
        this.kernelsOnHostClock = kernelsOnHostClock;
    }

    /** Stops recording. */
    public void detach() {
        profiler = null;
    }

    /** True while attached. */
    public boolean on() {
        return profiler != null;
    }

    /** The start of a timed op: the clock when on, else 0 (no clock read). */
    public long start() {
        return profiler == null ? 0L : System.nanoTime();
    }

    /** Records op {@code name} from {@code t0} (from {@link #start()}) to now; nothing when off or t0 is 0. */
    public void stop(String name, long t0) {
        Profiler p = profiler;
        if (p != null && t0 != 0L) {
            long t1 = System.nanoTime();
            p.record(new ProfileRecord(KIND, name, name, t0, t0, t0, t1, 0));
        }
    }

    /**
     * Kernel time recorded so far (every record that is not a host op), for {@link #stopOutside}; 0 when off
     * or when the backend's kernels are not timed on the host clock.
     */
    public long kernelNanos() {
        Profiler p = profiler;
        if (p == null || !kernelsOnHostClock) {
            return 0L;
        }
        long s = 0;
        for (Profiler.Entry e : p.summary()) {
            if (!e.kind().equals(KIND)) {
                s += e.totalNanos();
            }
        }
        return s;
    }

    /**
     * Records op {@code name} as the time from {@code t0} to now minus the kernel time recorded since
     * {@code kernels0} (from {@link #kernelNanos()} at {@code t0}): the host work of a layer call around its
     * kernels. Nothing when off or when the kernels are not on the host clock. In a trace its bar starts
     * with the call and lasts the remainder, so it overlaps the call's kernels there.
     */
    public void stopOutside(String name, long t0, long kernels0) {
        Profiler p = profiler;
        if (p != null && t0 != 0L && kernelsOnHostClock) {
            long t1 = System.nanoTime();
            long inKernels = kernelNanos() - kernels0;
            long end = Math.max(t0, t1 - inKernels);
            p.record(new ProfileRecord(KIND, name, name, t0, t0, t0, end, 0));
        }
    }
}
