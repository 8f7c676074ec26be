package org.rtf4j.kernels.opencl;

import static org.jocl.CL.CL_COMPLETE;
import static org.jocl.CL.CL_EVENT_COMMAND_EXECUTION_STATUS;
import static org.jocl.CL.CL_PROFILING_COMMAND_END;
import static org.jocl.CL.CL_PROFILING_COMMAND_QUEUED;
import static org.jocl.CL.CL_PROFILING_COMMAND_START;
import static org.jocl.CL.CL_PROFILING_COMMAND_SUBMIT;
import static org.jocl.CL.CL_QUEUE_PROFILING_ENABLE;
import static org.jocl.CL.CL_QUEUE_PROPERTIES;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_queue_properties;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.KernelId;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.profile.ProfileRecord;
import org.rtf4j.kernels.profile.Profiler;

/**
 * The OpenCL runtime of one backend: context and in-order profiling queue, and every command on it: the
 * launcher, device copies and fills, the events of all commands, host waits and the errors they surface.
 * Its parts have their own classes: {@link ClPrograms} (the program per precision, kernel objects and their
 * limits), {@link ClMemory} (buffers, their accounting, scratch, the report at close), {@link ClTransfers}
 * (the host transfers through staging buffers, owned here as {@link #transfers}; their commands are recorded
 * here) and {@link ClLaunchArgs} (a launch's arguments, checked and set).
 *
 * <p><b>Queued, not waited.</b> Launches, host-to-device writes, device copies, fills and deferred reads
 * are queued without waiting; the in-order queue runs them in order. A queued command stays in a pending
 * list (event, kind, name, operation) until it is known complete, then its profiling times are recorded.
 * The host blocks on the device (a <em>host wait</em>, counted in the profiler as a record of kind
 * {@code WAIT} with the time blocked) only in a blocking read ({@link #blocked}), in {@link #waitAll} (an
 * awaited deferred read that is not yet complete, the profile read by {@link OpenClBackend#profiler()},
 * {@link #close()}, more than {@value #MAX_PENDING} commands pending), and in the error path. After a
 * blocking read returned, every earlier command has completed (in-order queue), so the pending list is
 * collected without a further wait. Writes and deferred reads go through host staging buffers
 * ({@link ClTransfers}), kept referenced by their pending command and reused once it completed. A device
 * error of a queued command surfaces at the next wait as one line naming the failed commands (or, when
 * none can be told, the operations queued since the last wait).
 *
 * <p><b>One lock.</b> Every entry point of {@link OpenClBackend} and {@link ClBuffer#close()} holds
 * {@link #lock}, so concurrent calls are serialised as the {@code Backend} contract promises: kernel
 * objects carry their arguments between {@code clSetKernelArg} and the enqueue, and the pending events,
 * scratch buffers and counters are shared. Methods below that touch that state expect the lock held.
 *
 * <p><b>Closing</b> waits for pending work, then {@link ClMemory#freeAll()} reports the caller buffers still
 * open (count, bytes, and each one's size and origin) in one log line and frees every buffer, and the
 * programs, queue and context are released.
 */
final class ClRuntime implements ClQueue {
    private static final System.Logger LOG = System.getLogger("org.rtf4j.backend");

    /** Commands pending beyond which the completed ones are collected, and all waited for if that is not enough. */
    static final int MAX_PENDING = 4096;
    /** Failed commands named one by one in an error message at most. */
    private static final int NAMED_FAILURES = 6;

    /** The device, with its limits as the profile caps them: what every launch is planned for. */
    final DeviceInfo info;
    final Profiler profiler = new Profiler();
    final ReentrantLock lock = new ReentrantLock();
    /** The host transfers: queued writes, blocking reads and deferred reads (for {@link OpenClBackend}). */
    final ClTransfers transfers;
    private final cl_device_id device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final String buildOptions;
    private final ClPrograms programs;
    private final ClMemory memory;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private String op = "";
    private boolean closed;

    /**
     * A queued command not yet collected: its event, what it is ({@link ProfileRecord} kind and name, the
     * operation it belongs to), the staging buffer of a write (reused once complete) or the deferred read it
     * is a piece of.
     */
    private record Pending(cl_event event, String kind, String name, String op, long bytes, ByteBuffer stage,
                           ClTransfers.ClRead read) {
        String label() {
            return op.isEmpty() ? name : op + "/" + name;
        }
    }

    /** A local-memory argument of a launch, {@code bytes} per work-group. */
    record Local(long bytes) {
    }

    ClRuntime(OpenClDevices.Found found, DeviceProfile profile, String buildOptions) {
        this.info = found.info().withLimits(profile.apply(found.info().limits()));
        this.device = found.device();
        this.buildOptions = (profile.buildOptions() + " " + (buildOptions == null ? "" : buildOptions)).trim();
        CL.setExceptionsEnabled(true);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, found.platform());
        this.context = CL.clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
        cl_queue_properties qp = new cl_queue_properties();
        qp.addProperty(CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE);
        this.queue = CL.clCreateCommandQueueWithProperties(context, device, qp, null);
        this.memory = new ClMemory(this, context);
        this.transfers = new ClTransfers(this, queue);
        this.programs = new ClPrograms(info, profile, context, device, this.buildOptions,
            (p, t0, t1) -> profiler.record(new ProfileRecord("BUILD", "program " + p, op, t0, t0, t0, t1, 0)));
        LOG.log(System.Logger.Level.INFO, "backend opencl: " + info.describe()
            + (this.buildOptions.isEmpty() ? "" : ", build options " + this.buildOptions)
            + (found.choice().isEmpty() ? "" : "; " + found.choice()) + (profile.emulates() ? "; " + profile.describe() : ""));
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    // ------------------------------------------------------------------------------ lock, state

    /** Throws when the backend is closed. */
    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("backend opencl is closed");
        }
    }

    /**
     * Runs one backend operation under the lock: its launches are attributed to {@code id} in the profile
     * and queued; the queue is flushed (submitted to the device, not waited for) at the end.
     */
    void within(KernelId id, Runnable body) {
        lock.lock();
        try {
            requireOpen();
            op = id.kernelName();
            try {
                body.run();
                flush();
            } finally {
                op = "";
            }
        } finally {
            lock.unlock();
        }
    }

    /** Our open buffer behind a handle; throws naming {@code name} otherwise. Expects the lock held. */
    ClBuffer own(DeviceBuffer b, String name) {
        requireOpen();
        if (b == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (!(b instanceof ClBuffer) || ((ClBuffer) b).runtime != this) {
            throw new IllegalArgumentException(name + " is a " + b.getClass().getSimpleName()
                + ", not a buffer of this opencl backend");
        }
        ClBuffer c = (ClBuffer) b;
        if (c.mem == null) {
            throw new IllegalStateException(name + " is closed");
        }
        return c;
    }

    /** Throws when float64 is asked of a device without cl_khr_fp64. */
    void requirePrecision(Precision p) {
        programs.requirePrecision(p);
    }

    /** Commands queued and not yet collected (for the tests). */
    int pendingCommands() {
        return pending.size();
    }

    /** The context (for the tests, which create user events in it). */
    cl_context context() {
        return context;
    }

    boolean isClosed() {
        return closed;
    }

    int liveBuffers() {
        return memory.liveBuffers();
    }

    long liveBytes() {
        return memory.liveBytes();
    }

    // ------------------------------------------------------------------------------------ buffers

    /** A zero-filled caller buffer, counted in {@link #liveBuffers()} and reported if still open at close. */
    ClBuffer allocate(Precision p, int length) {
        requireOpen();
        requirePrecision(p);
        ClBuffer b = memory.caller(p, length);
        zero(b);
        return b;
    }

    /** Frees a buffer (under the lock); nothing if it is freed already. */
    void release(ClBuffer b) {
        lock.lock();
        try {
            memory.free(b);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ClBuffer scratch(Precision p, String role, long elements) {
        return memory.scratch(p, role, elements);
    }

    @Override
    public ClBuffer dummy(Precision p) {
        return memory.dummy(p);
    }

    /** A new device table holding {@code values} (rounded to p); its upload is attributed to "plan". */
    @Override
    public ClBuffer table(Precision p, double[] values) {
        ClBuffer b = memory.internal(p, values.length);
        String saved = op;
        op = "plan";
        try {
            transfers.write(b, 0, values, 0, values.length);
        } finally {
            op = saved;
        }
        return b;
    }

    // ------------------------------------------------------------------------ device copies, fills

    /** Queues setting every element to zero; no wait. */
    void zero(ClBuffer b) {
        if (b.length == 0) {
            return;
        }
        cl_event ev = new cl_event();
        byte[] pattern = new byte[b.precision.bytes()];
        try {
            CL.clEnqueueFillBuffer(queue, b.mem, Pointer.to(pattern), pattern.length, 0,
                (long) b.length * b.precision.bytes(), 0, null, ev);
        } catch (CLException e) {
            throw translate(e, "zeroing a buffer");
        }
        queued(ev, "KERNEL", "fill", 0, null, null);
    }

    /** Queues copying the first {@code elements} of src into dst on the device; no wait. */
    @Override
    public void copy(ClBuffer src, ClBuffer dst, long elements) {
        long bytes = elements * src.precision.bytes();
        cl_event ev = new cl_event();
        try {
            CL.clEnqueueCopyBuffer(queue, src.mem, dst.mem, 0, 0, bytes, 0, null, ev);
        } catch (CLException e) {
            throw translate(e, "copying " + bytes + " bytes on the device");
        }
        queued(ev, "COPY_ON_DEVICE", "copy", bytes, null, null);
    }

    // -------------------------------------------------------------------------- programs, launches

    /** Builds both precisions' programs now (float64 where available). */
    void build() {
        requireOpen();
        programs.program(Precision.F32);
        if (info.fp64()) {
            programs.program(Precision.F64);
        }
    }

    /** Kernel k's own limits (building it if needed): for callers that choose a work-group themselves. */
    @Override
    public LaunchPlanner.KernelLimits limits(Precision p, ClKernel k) {
        return programs.limits(p, k);
    }

    /**
     * Enqueues kernel {@code k} of precision p over {@code extents} work items with {@code args} in its
     * parameter order. With {@code local} null the launch is planned by {@link LaunchPlanner#free} (global
     * rounded up to a multiple of the planned work-group; the kernel guards its dimension 0); with
     * {@code local} given, {@code extents} is the exact global size and {@link LaunchPlanner#fixed} checks
     * both against the device's and the kernel's limits. Each argument is checked against its
     * {@link ClKernel.Kind} (count, type, a buffer's owner, openness and precision) before anything is set;
     * a mismatch or a plan outside the limits is a bug of the backend and throws
     * {@link IllegalStateException} naming the kernel. An extent of zero launches nothing.
     */
    @Override
    public void launch(ClKernel k, Precision p, long[] extents, long[] local, Object... args) {
        long localBytes = ClLaunchArgs.check(this, k, p, args);
        for (long g : extents) {
            if (g == 0) {
                return;
            }
        }
        LaunchPlanner.KernelLimits kl = limits(p, k);
        LaunchPlanner.Plan plan = local == null ? LaunchPlanner.free(k.functionName(), info.limits(), kl, extents, localBytes)
            : LaunchPlanner.fixed(k.functionName(), info.limits(), kl, extents, local, localBytes);
        cl_kernel ck = programs.kernel(p, k);
        ClLaunchArgs.set(ck, k, p, args);
        cl_event ev = new cl_event();
        try {
            CL.clEnqueueNDRangeKernel(queue, ck, plan.global().length, null, plan.global(), plan.local(), 0, null, ev);
        } catch (CLException e) {
            throw translate(e, "launching " + k.functionName());
        }
        queued(ev, "KERNEL", k.functionName(), 0, null, null);
    }

    // ------------------------------------------------------------------------------ events, waits

    /**
     * Records a queued command as pending (package-private for the tests, which add a user event to see how
     * a failed command surfaces). Past {@value #MAX_PENDING} pending commands the completed ones are
     * collected, and if that is not enough all are waited for, so a long run without reads stays bounded.
     */
    void queued(cl_event ev, String kind, String name, long bytes, ByteBuffer stage, ClTransfers.ClRead read) {
        pending.add(new Pending(ev, kind, name, op, bytes, stage, read));
        if (pending.size() > MAX_PENDING) {
            while (!pending.isEmpty() && status(pending.peekFirst(), "collecting completed commands") == CL_COMPLETE) {
                collect(pending.pollFirst());
            }
            if (pending.size() > MAX_PENDING) {
                waitAll("pending limit");
            }
        }
    }

    /** Submits the queued commands to the device without waiting for them. */
    void flush() {
        if (!pending.isEmpty()) {
            try {
                CL.clFlush(queue);
            } catch (CLException e) {
                throw translate(e, "submitting queued commands");
            }
        }
    }

    /**
     * Records a blocking command that returned (the host blocked from t0 to t1) as a host wait named after
     * the command: every earlier command completed with it (in-order queue), so all pending commands are
     * collected without a further wait ({@code what} names them in an error).
     */
    void blocked(cl_event ev, String kind, String name, long bytes, String what, long t0, long t1) {
        pending.add(new Pending(ev, kind, name, op, bytes, null, null));
        recordWait(name, t0, t1, collectAll(what));
    }

    /**
     * Waits for every pending command (a host wait named {@code what}, when any is pending) and records their
     * times. Throws, naming the failed commands, if any failed.
     */
    void waitAll(String what) {
        if (pending.isEmpty()) {
            return;
        }
        String doing = "waiting for queued commands (" + what + ")";
        cl_event[] events = new cl_event[pending.size()];
        int i = 0;
        for (Pending q : pending) {
            events[i++] = q.event();
        }
        long t0 = System.nanoTime();
        try {
            CL.clWaitForEvents(events.length, events);
        } catch (CLException e) {
            throw failure(doing, e);
        }
        long t1 = System.nanoTime();
        recordWait(what, t0, t1, collectAll(doing));
    }

    /**
     * Collects every pending command after a wait that completed them all (the in-order queue finished every
     * command before the last one waited for); returns the latest end time, on the device clock.
     */
    private long collectAll(String what) {
        long end = 0;
        while (!pending.isEmpty()) {
            Pending q = pending.peekFirst();
            if (status(q, what) != CL_COMPLETE) {
                // a driver that reports completion late: wait for the command (counted as any wait)
                long t0 = System.nanoTime();
                try {
                    CL.clWaitForEvents(1, new cl_event[] {q.event()});
                } catch (CLException e) {
                    throw failure(what, e);
                }
                recordWait("status late", t0, System.nanoTime(), 0);
            }
            end = Math.max(end, collect(pending.pollFirst()));
        }
        return end;
    }

    /** The execution status of a pending command; throws the failure of the pending commands if it failed. */
    private int status(Pending q, String what) {
        int s = status(q.event());
        if (s < 0) {
            throw failure(what, null);
        }
        return s;
    }

    private static int status(cl_event ev) {
        int[] v = new int[1];
        try {
            CL.clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, Sizeof.cl_int, Pointer.to(v), null);
        } catch (CLException e) {
            return e.getStatus() < 0 ? e.getStatus() : -1;
        }
        return v[0];
    }

    /**
     * Records the profiling times of a completed command, releases its event and frees what it held (a
     * write's staging buffer; a piece of a deferred read counts as collected). Returns its end time.
     */
    private long collect(Pending q) {
        try {
            long[] t = new long[4];
            int[] params = {CL_PROFILING_COMMAND_QUEUED, CL_PROFILING_COMMAND_SUBMIT, CL_PROFILING_COMMAND_START,
                CL_PROFILING_COMMAND_END};
            long[] v = new long[1];
            for (int i = 0; i < 4; i++) {
                CL.clGetEventProfilingInfo(q.event(), params[i], Sizeof.cl_ulong, Pointer.to(v), null);
                t[i] = v[0];
            }
            profiler.record(new ProfileRecord(q.kind(), q.name(), q.op(), t[0], t[1], t[2], t[3], q.bytes()));
            return t[3];
        } catch (CLException e) {
            throw translate(e, "reading the profile of " + q.label());
        } finally {
            CL.clReleaseEvent(q.event());
            if (q.stage() != null) {
                transfers.unstage(q.stage());
            }
            if (q.read() != null) {
                q.read().collected++;
            }
        }
    }

    /**
     * Records a host wait: blocked from host time t0 to t1, placed to end at {@code deviceEnd} (the end of the
     * last command waited for, on the device clock, as the commands' records) or at t1 when unknown.
     */
    private void recordWait(String name, long t0, long t1, long deviceEnd) {
        long end = deviceEnd > 0 ? deviceEnd : t1;
        long start = end - (t1 - t0);
        profiler.record(new ProfileRecord(ProfileRecord.WAIT, name, op, start, start, start, end, 0));
    }

    /**
     * The error of a wait: names the failed pending commands with their status (or, when no command reports
     * a failure, the operations queued since the last wait), then finishes the queue so no staging memory is
     * still in use, fails the pending deferred reads with the same message and drops every pending command.
     * One line; device out-of-memory is worded as {@link #translate} words it.
     */
    IllegalStateException failure(String what, CLException cause) {
        List<String> failed = new ArrayList<>();
        Set<String> ops = new LinkedHashSet<>();
        String status = null;
        for (Pending q : pending) {
            ops.add(q.op().isEmpty() ? q.name() : q.op());
            int s = status(q.event());
            if (s < 0) {
                String code = CL.stringFor_errorCode(s);
                status = status == null ? code : status;
                if (failed.size() < NAMED_FAILURES) {
                    failed.add(q.label() + " " + code);
                } else if (failed.size() == NAMED_FAILURES) {
                    failed.add("…");
                }
            }
        }
        String m = cause != null ? cause.getMessage() : status;
        String message = (outOfMemory(m) || outOfMemory(status) ? "device out of memory on " : "OpenCL error on ")
            + info.name() + " " + what + ": " + m
            + (!failed.isEmpty() ? "; failed: " + String.join(", ", failed)
                : ops.isEmpty() ? "" : "; queued since the last wait: " + String.join(", ", ops));
        long t0 = System.nanoTime();
        try {
            CL.clFinish(queue);
        } catch (CLException ignored) {
            // the queue is broken: the message above is the error
        }
        recordWait("error", t0, System.nanoTime(), 0);
        for (Pending q : pending) {
            if (q.read() != null) {
                if (status(q.event()) == CL_COMPLETE) {
                    q.read().collected++;
                } else {
                    q.read().failure = message;
                }
            }
            CL.clReleaseEvent(q.event());
        }
        pending.clear();
        return new IllegalStateException(message, cause);
    }

    private static boolean outOfMemory(String m) {
        return m != null && (m.contains("CL_MEM_OBJECT_ALLOCATION_FAILURE") || m.contains("CL_OUT_OF_RESOURCES")
            || m.contains("CL_OUT_OF_HOST_MEMORY") || m.contains("CL_INVALID_BUFFER_SIZE"));
    }

    IllegalStateException translate(CLException e, String what) {
        String m = e.getMessage();
        if (outOfMemory(m)) {
            return new IllegalStateException("device out of memory on " + info.name() + " " + what + ": " + m, e);
        }
        return new IllegalStateException("OpenCL error on " + info.name() + " " + what + ": " + m, e);
    }

    // -------------------------------------------------------------------------------------- close

    /**
     * Waits for pending work (a counted host wait when any is pending), reports the caller buffers still open (one warning: count, bytes, and the
     * size and origin of the first {@value ClMemory#LISTED}), frees every buffer, kernel, program, the queue and
     * the context. Idempotent. Handles of freed buffers stay safe to close.
     */
    void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                waitAll("close");
            } finally {
                memory.freeAll();
                transfers.release();
                programs.release();
                CL.clReleaseCommandQueue(queue);
                CL.clReleaseContext(context);
            }
        } finally {
            lock.unlock();
        }
    }
}
