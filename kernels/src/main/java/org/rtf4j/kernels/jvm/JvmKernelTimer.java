package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.backend.KernelId;
import org.rtf4j.kernels.profile.ProfileRecord;
import org.rtf4j.kernels.profile.Profiler;

/**
 * The JVM backend's kernel timing, its one job: while profiling is on, the wall clock around each kernel
 * call (synchronous here) goes into the backend's {@link Profiler} as a KERNEL record named by
 * {@link KernelId#kernelName()}. Off, {@link #tic} and {@link #toc} read no clock and allocate nothing.
 */
final class JvmKernelTimer {
    private final Profiler profiler = new Profiler();
    private volatile boolean profiling;

    void setProfiling(boolean on) {
        profiling = on;
    }

    Profiler profiler() {
        return profiler;
    }

    long tic() {
        return profiling ? System.nanoTime() : 0L;
    }

    void toc(KernelId id, long t0) {
        // t0 == 0: profiling was switched on during the call, which is then not counted
        if (profiling && t0 != 0L) {
            long t1 = System.nanoTime();
            profiler.record(new ProfileRecord("KERNEL", id.kernelName(), id.kernelName(), t0, t0, t0, t1, 0));
        }
    }
}
