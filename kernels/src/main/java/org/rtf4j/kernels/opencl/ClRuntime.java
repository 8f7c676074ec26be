package org.rtf4j.kernels.opencl;

import static org.jocl.CL.CL_KERNEL_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE;
import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_PROFILING_COMMAND_END;
import static org.jocl.CL.CL_PROFILING_COMMAND_QUEUED;
import static org.jocl.CL.CL_PROFILING_COMMAND_START;
import static org.jocl.CL.CL_PROFILING_COMMAND_SUBMIT;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_QUEUE_PROFILING_ENABLE;
import static org.jocl.CL.CL_QUEUE_PROPERTIES;
import static org.jocl.CL.CL_TRUE;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.KernelId;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.profile.ProfileRecord;
import org.rtf4j.kernels.profile.Profiler;
import org.rtf4j.kernels.spectral.ModalShape;

/**
 * The OpenCL runtime of one backend: context and in-order profiling queue, the program per precision,
 * kernel objects, events, buffers (allocation, accounting, transfers, scratch) and the launcher.
 *
 * <p><b>One lock.</b> Every entry point of {@link OpenClBackend} and {@link ClBuffer#close()} holds
 * {@link #lock}, so concurrent calls are serialised as the {@code Backend} contract promises: kernel
 * objects carry their arguments between {@code clSetKernelArg} and the enqueue, and the pending events,
 * scratch buffers and counters are shared. Methods below that touch that state expect the lock held.
 *
 * <p><b>Buffers.</b> Every buffer not yet freed is in one set; caller buffers are counted in
 * {@link #liveBuffers()}, scratch and tables are not, and all are in {@link #liveBytes()}. {@link #close()}
 * reports the caller buffers still open (count, bytes, and each one's size and origin) in one log line
 * and frees them with everything else.
 */
final class ClRuntime implements ClQueue {
    private static final System.Logger LOG = System.getLogger("org.rtf4j.backend");
    private static final StackWalker WALKER = StackWalker.getInstance();
    /** Most open buffers listed one by one in the report of {@link #close()}. */
    private static final int LISTED = 8;
    static final String SOURCE_PATH = "/org/rtf4j/kernels/opencl/rtf4j.cl";
    private static final String SOURCE = loadSource();

    /** The device, with its limits as the profile caps them: what every launch is planned for. */
    final DeviceInfo info;
    private final DeviceProfile profile;
    final Profiler profiler = new Profiler();
    final ReentrantLock lock = new ReentrantLock();
    private final cl_device_id device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final String buildOptions;
    private final Map<Precision, cl_program> programs = new EnumMap<>(Precision.class);
    private final Map<Precision, Map<ClKernel, cl_kernel>> kernels = new EnumMap<>(Precision.class);
    private final Map<Precision, Map<ClKernel, LaunchPlanner.KernelLimits>> kernelLimits = new EnumMap<>(Precision.class);
    private final Set<ClBuffer> buffers = new LinkedHashSet<>();
    private final Map<String, ClBuffer> scratch = new HashMap<>();
    private final Map<Precision, ClBuffer> dummies = new EnumMap<>(Precision.class);
    private final List<cl_event> pending = new ArrayList<>();
    private final List<String> pendingNames = new ArrayList<>();
    private final List<String> pendingOps = new ArrayList<>();
    private String op = "";
    private int liveBuffers;
    private long liveBytes;
    private boolean closed;

    /** A local-memory argument of a launch, {@code bytes} per work-group. */
    record Local(long bytes) {
    }

    ClRuntime(OpenClDevices.Found found, DeviceProfile profile, String buildOptions) {
        this.info = found.info().withLimits(profile.apply(found.info().limits()));
        this.profile = profile;
        this.device = found.device();
        this.buildOptions = (profile.buildOptions() + " " + (buildOptions == null ? "" : buildOptions)).trim();
        CL.setExceptionsEnabled(true);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, found.platform());
        this.context = CL.clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
        cl_queue_properties qp = new cl_queue_properties();
        qp.addProperty(CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE);
        this.queue = CL.clCreateCommandQueueWithProperties(context, device, qp, null);
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
     * Runs one backend operation under the lock: its launches are attributed to {@code id} in the
     * profile and waited for at the end.
     */
    void within(KernelId id, Runnable body) {
        lock.lock();
        try {
            requireOpen();
            op = id.kernelName();
            try {
                body.run();
            } finally {
                flushEvents();
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
        if (p == Precision.F64 && !info.fp64()) {
            throw new IllegalArgumentException("device " + info.name() + " has no cl_khr_fp64: float64 is not available there");
        }
    }

    int liveBuffers() {
        return liveBuffers;
    }

    long liveBytes() {
        return liveBytes;
    }

    // ------------------------------------------------------------------------------------ buffers

    /** A zero-filled caller buffer, counted in {@link #liveBuffers()} and reported if still open at close. */
    ClBuffer allocate(Precision p, int length) {
        requireOpen();
        requirePrecision(p);
        ClBuffer b = create(p, length, true, caller());
        zero(b);
        return b;
    }

    /** A buffer of the backend's own (scratch, tables): not counted as a caller buffer, freed at close. */
    ClBuffer internal(Precision p, int length) {
        return create(p, length, false, null);
    }

    private ClBuffer create(Precision p, int length, boolean counted, String origin) {
        long bytes = ClBuffer.bytes(p, length);
        if (bytes > info.maxAllocBytes()) {
            throw new IllegalStateException(String.format("device out of memory: a buffer of %d bytes exceeds the largest "
                + "allocation %d of %s", bytes, info.maxAllocBytes(), info.name()));
        }
        cl_mem mem;
        try {
            mem = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
        } catch (CLException e) {
            throw translate(e, "allocating " + bytes + " bytes");
        }
        ClBuffer b = new ClBuffer(this, p, length, counted, origin, mem);
        buffers.add(b);
        if (counted) {
            liveBuffers++;
        }
        liveBytes += bytes;
        return b;
    }

    /** Frees a buffer (under the lock); nothing if it is freed already. */
    void release(ClBuffer b) {
        lock.lock();
        try {
            free(b);
            buffers.remove(b);
        } finally {
            lock.unlock();
        }
    }

    private void free(ClBuffer b) {
        if (b.mem != null) {
            CL.clReleaseMemObject(b.mem);
            b.mem = null;
            if (b.counted) {
                liveBuffers--;
            }
            liveBytes -= b.bytes();
        }
    }

    /** The caller of {@link OpenClBackend#allocate}, as class.method:line (one short stack walk). */
    private static String caller() {
        return WALKER.walk(s -> s.filter(f -> !f.getClassName().equals(ClRuntime.class.getName())
                && !f.getClassName().equals(OpenClBackend.class.getName()))
            .findFirst().map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber()).orElse("?"));
    }

    /** A grow-only scratch buffer of at least {@code elements} for one role. */
    @Override
    public ClBuffer scratch(Precision p, String role, long elements) {
        if (elements > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("device out of memory: scratch '" + role + "' needs " + elements + " elements");
        }
        String key = p + ":" + role;
        ClBuffer b = scratch.get(key);
        if (b == null || b.length < elements) {
            if (b != null) {
                release(b);
            }
            b = internal(p, (int) Math.max(1, elements));
            scratch.put(key, b);
        }
        return b;
    }

    /** A one-element buffer for optional buffer arguments that a kernel does not read. */
    @Override
    public ClBuffer dummy(Precision p) {
        return dummies.computeIfAbsent(p, q -> internal(q, 1));
    }

    /** A new device table holding {@code values} (rounded to p); its upload is attributed to "plan". */
    @Override
    public ClBuffer table(Precision p, double[] values) {
        ClBuffer b = internal(p, values.length);
        String saved = op;
        op = "plan";
        try {
            write(b, 0, values, 0, values.length);
        } finally {
            op = saved;
        }
        return b;
    }

    // ---------------------------------------------------------------------------------- transfers

    void write(ClBuffer d, int offset, double[] src, int srcOffset, int length) {
        Pointer ptr;
        if (d.precision == Precision.F64) {
            ptr = Pointer.to(src).withByteOffset(8L * srcOffset);
        } else {
            float[] f = new float[length];
            for (int i = 0; i < length; i++) {
                f[i] = (float) src[srcOffset + i];
            }
            ptr = Pointer.to(f);
        }
        copyIn(d, offset, length, ptr);
    }

    void write(ClBuffer d, int offset, float[] src, int srcOffset, int length) {
        Pointer ptr;
        if (d.precision == Precision.F32) {
            ptr = Pointer.to(src).withByteOffset(4L * srcOffset);
        } else {
            double[] f = new double[length];
            for (int i = 0; i < length; i++) {
                f[i] = src[srcOffset + i];
            }
            ptr = Pointer.to(f);
        }
        copyIn(d, offset, length, ptr);
    }

    void read(ClBuffer s, int offset, double[] dst, int dstOffset, int length) {
        if (s.precision == Precision.F64) {
            copyOut(s, offset, length, Pointer.to(dst).withByteOffset(8L * dstOffset));
        } else {
            float[] f = new float[length];
            copyOut(s, offset, length, Pointer.to(f));
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = f[i];
            }
        }
    }

    void read(ClBuffer s, int offset, float[] dst, int dstOffset, int length) {
        if (s.precision == Precision.F32) {
            copyOut(s, offset, length, Pointer.to(dst).withByteOffset(4L * dstOffset));
        } else {
            double[] f = new double[length];
            copyOut(s, offset, length, Pointer.to(f));
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = (float) f[i];
            }
        }
    }

    private void copyIn(ClBuffer d, int offset, int length, Pointer ptr) {
        flushEvents();
        long bytes = (long) length * d.precision.bytes();
        cl_event ev = new cl_event();
        try {
            CL.clEnqueueWriteBuffer(queue, d.mem, CL_TRUE, (long) offset * d.precision.bytes(), bytes, ptr, 0, null, ev);
        } catch (CLException e) {
            throw translate(e, "writing " + bytes + " bytes");
        }
        finish(ev, "COPY_TO_DEVICE", "write", bytes);
    }

    private void copyOut(ClBuffer s, int offset, int length, Pointer ptr) {
        flushEvents();
        long bytes = (long) length * s.precision.bytes();
        cl_event ev = new cl_event();
        try {
            CL.clEnqueueReadBuffer(queue, s.mem, CL_TRUE, (long) offset * s.precision.bytes(), bytes, ptr, 0, null, ev);
        } catch (CLException e) {
            throw translate(e, "reading " + bytes + " bytes");
        }
        finish(ev, "COPY_TO_HOST", "read", bytes);
    }

    /** Sets every element to zero. */
    void zero(ClBuffer b) {
        flushEvents();
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
        finish(ev, "KERNEL", "fill", 0);
    }

    /** Copies the first {@code elements} of src into dst on the device. */
    @Override
    public void copy(ClBuffer src, ClBuffer dst, long elements) {
        flushEvents();
        long bytes = elements * src.precision.bytes();
        cl_event ev = new cl_event();
        CL.clEnqueueCopyBuffer(queue, src.mem, dst.mem, 0, 0, bytes, 0, null, ev);
        finish(ev, "COPY_ON_DEVICE", "copy", bytes);
    }

    // -------------------------------------------------------------------------- programs, launches

    private static String loadSource() {
        try (InputStream in = ClRuntime.class.getResourceAsStream(SOURCE_PATH)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + SOURCE_PATH.substring(1) + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the kernel source: " + e, e);
        }
    }

    /** The program for precision p, built on first use. Throws with the build log on failure. */
    private cl_program program(Precision p) {
        cl_program prog = programs.get(p);
        if (prog != null) {
            return prog;
        }
        requirePrecision(p);
        String opts = (p == Precision.F64 ? "-DUSE_DOUBLE " : "") + "-DVBLOCK=" + ModalShape.VANDERMONDE_BLOCK + " " + buildOptions;
        long t0 = System.nanoTime();
        prog = CL.clCreateProgramWithSource(context, 1, new String[] {SOURCE}, null, null);
        try {
            CL.clBuildProgram(prog, 1, new cl_device_id[] {device}, opts, null, null);
        } catch (CLException e) {
            String log = buildLog(prog);
            CL.clReleaseProgram(prog);
            throw new IllegalStateException("OpenCL program build failed for " + p + " on " + info.name() + " with options '"
                + opts.trim() + "':\n" + log, e);
        }
        long t1 = System.nanoTime();
        profiler.record(new ProfileRecord("BUILD", "rtf4j.cl " + p, op, t0, t0, t0, t1, 0));
        programs.put(p, prog);
        return prog;
    }

    private String buildLog(cl_program prog) {
        long[] size = new long[1];
        CL.clGetProgramBuildInfo(prog, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(prog, device, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
        return new String(buf, StandardCharsets.UTF_8).trim();
    }

    /** Builds both precisions' programs now (float64 where available). */
    void build() {
        requireOpen();
        program(Precision.F32);
        if (info.fp64()) {
            program(Precision.F64);
        }
    }

    private cl_kernel kernel(Precision p, ClKernel k) {
        Map<ClKernel, cl_kernel> ks = kernels.computeIfAbsent(p, q -> new EnumMap<>(ClKernel.class));
        cl_kernel ck = ks.get(k);
        if (ck == null) {
            ck = CL.clCreateKernel(program(p), k.functionName(), null);
            ks.put(k, ck);
            kernelLimits.computeIfAbsent(p, q -> new EnumMap<>(ClKernel.class)).put(k, queryLimits(ck));
        }
        return ck;
    }

    /** A kernel's own limits on this device, its work-group capped by the profile. */
    private LaunchPlanner.KernelLimits queryLimits(cl_kernel ck) {
        long[] v = new long[1];
        CL.clGetKernelWorkGroupInfo(ck, device, CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t, Pointer.to(v), null);
        long group = Math.min(v[0], profile.maxWorkGroup());
        CL.clGetKernelWorkGroupInfo(ck, device, CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE, Sizeof.size_t, Pointer.to(v), null);
        long multiple = Math.max(1, v[0]);
        CL.clGetKernelWorkGroupInfo(ck, device, CL_KERNEL_LOCAL_MEM_SIZE, Sizeof.cl_ulong, Pointer.to(v), null);
        return new LaunchPlanner.KernelLimits(Math.max(1, group), multiple, v[0]);
    }

    /** Kernel k's own limits (building it if needed): for callers that choose a work-group themselves. */
    @Override
    public LaunchPlanner.KernelLimits limits(Precision p, ClKernel k) {
        kernel(p, k);
        return kernelLimits.get(p).get(k);
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
        List<ClKernel.Param> params = k.params();
        if (args.length != params.size()) {
            throw new IllegalStateException("kernel " + k.functionName() + " takes " + params.size() + " arguments "
                + params + ", got " + args.length);
        }
        long localBytes = 0;
        for (int i = 0; i < args.length; i++) {
            check(k, p, params.get(i), args[i]);
            if (args[i] instanceof Local) {
                localBytes += ((Local) args[i]).bytes();
            }
        }
        for (long g : extents) {
            if (g == 0) {
                return;
            }
        }
        LaunchPlanner.KernelLimits kl = limits(p, k);
        LaunchPlanner.Plan plan = local == null ? LaunchPlanner.free(k.functionName(), info.limits(), kl, extents, localBytes)
            : LaunchPlanner.fixed(k.functionName(), info.limits(), kl, extents, local, localBytes);
        cl_kernel ck = kernel(p, k);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            switch (params.get(i).kind()) {
                case BUFFER -> CL.clSetKernelArg(ck, i, Sizeof.cl_mem, Pointer.to(((ClBuffer) a).mem));
                case INT -> CL.clSetKernelArg(ck, i, Sizeof.cl_int, Pointer.to(new int[] {(Integer) a}));
                case REAL -> {
                    if (p == Precision.F64) {
                        CL.clSetKernelArg(ck, i, Sizeof.cl_double, Pointer.to(new double[] {(Double) a}));
                    } else {
                        CL.clSetKernelArg(ck, i, Sizeof.cl_float, Pointer.to(new float[] {((Double) a).floatValue()}));
                    }
                }
                case LOCAL -> CL.clSetKernelArg(ck, i, ((Local) a).bytes(), null);
                default -> throw new IllegalStateException("unknown parameter kind " + params.get(i));
            }
        }
        cl_event ev = new cl_event();
        try {
            CL.clEnqueueNDRangeKernel(queue, ck, plan.global().length, null, plan.global(), plan.local(), 0, null, ev);
        } catch (CLException e) {
            throw translate(e, "launching " + k.functionName());
        }
        // the queue is in order: wait once per operation (flushEvents), not per launch
        pending.add(ev);
        pendingNames.add(k.functionName());
        pendingOps.add(op);
    }

    private void check(ClKernel k, Precision p, ClKernel.Param param, Object a) {
        String bad = null;
        switch (param.kind()) {
            case BUFFER -> {
                if (!(a instanceof ClBuffer)) {
                    bad = "is " + describe(a);
                } else {
                    ClBuffer b = (ClBuffer) a;
                    if (b.runtime != this) {
                        bad = "is a buffer of another backend";
                    } else if (b.mem == null) {
                        bad = "is a closed buffer";
                    } else if (b.precision != p) {
                        bad = "is a " + b.precision + " buffer in a " + p + " launch";
                    }
                }
            }
            case INT -> bad = a instanceof Integer ? null : "is " + describe(a);
            case REAL -> bad = a instanceof Double ? null : "is " + describe(a);
            case LOCAL -> bad = a instanceof Local ? null : "is " + describe(a);
            default -> bad = "has an unknown kind";
        }
        if (bad != null) {
            throw new IllegalStateException("kernel " + k.functionName() + " parameter " + param.name() + " ("
                + param.kind() + ") " + bad);
        }
    }

    private static String describe(Object a) {
        return a == null ? "null" : "a " + a.getClass().getSimpleName() + " " + a;
    }

    /** Waits for every pending launch and records its event times. */
    void flushEvents() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            CL.clWaitForEvents(pending.size(), pending.toArray(new cl_event[0]));
        } catch (CLException e) {
            throw translate(e, "waiting for " + pendingNames);
        }
        String saved = op;
        try {
            for (int i = 0; i < pending.size(); i++) {
                op = pendingOps.get(i);
                finish(pending.get(i), "KERNEL", pendingNames.get(i), 0);
            }
        } finally {
            op = saved;
            pending.clear();
            pendingNames.clear();
            pendingOps.clear();
        }
    }

    private void finish(cl_event ev, String kind, String name, long bytes) {
        try {
            CL.clWaitForEvents(1, new cl_event[] {ev});
            long[] t = new long[4];
            int[] params = {CL_PROFILING_COMMAND_QUEUED, CL_PROFILING_COMMAND_SUBMIT, CL_PROFILING_COMMAND_START,
                CL_PROFILING_COMMAND_END};
            long[] v = new long[1];
            for (int i = 0; i < 4; i++) {
                CL.clGetEventProfilingInfo(ev, params[i], Sizeof.cl_ulong, Pointer.to(v), null);
                t[i] = v[0];
            }
            profiler.record(new ProfileRecord(kind, name, op, t[0], t[1], t[2], t[3], bytes));
        } catch (CLException e) {
            throw translate(e, "waiting for " + name);
        } finally {
            CL.clReleaseEvent(ev);
        }
    }

    IllegalStateException translate(CLException e, String what) {
        String m = e.getMessage();
        if (m != null && (m.contains("CL_MEM_OBJECT_ALLOCATION_FAILURE") || m.contains("CL_OUT_OF_RESOURCES")
            || m.contains("CL_OUT_OF_HOST_MEMORY") || m.contains("CL_INVALID_BUFFER_SIZE"))) {
            return new IllegalStateException("device out of memory on " + info.name() + " " + what + ": " + m, e);
        }
        return new IllegalStateException("OpenCL error on " + info.name() + " " + what + ": " + m, e);
    }

    // -------------------------------------------------------------------------------------- close

    /**
     * Waits for pending work, reports the caller buffers still open (one warning: count, bytes, and the
     * size and origin of the first {@value #LISTED}), frees every buffer, kernel, program, the queue and
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
                flushEvents();
            } finally {
                report();
                for (ClBuffer b : buffers) {
                    free(b);
                }
                buffers.clear();
                scratch.clear();
                dummies.clear();
                for (Map<ClKernel, cl_kernel> ks : kernels.values()) {
                    for (cl_kernel k : ks.values()) {
                        CL.clReleaseKernel(k);
                    }
                }
                for (cl_program p : programs.values()) {
                    CL.clReleaseProgram(p);
                }
                CL.clReleaseCommandQueue(queue);
                CL.clReleaseContext(context);
            }
        } finally {
            lock.unlock();
        }
    }

    private void report() {
        List<ClBuffer> open = new ArrayList<>();
        long bytes = 0;
        for (ClBuffer b : buffers) {
            if (b.counted && b.mem != null) {
                open.add(b);
                bytes += b.bytes();
            }
        }
        if (open.isEmpty()) {
            return;
        }
        StringBuilder s = new StringBuilder("backend opencl closed with ").append(open.size())
            .append(open.size() == 1 ? " buffer" : " buffers").append(" still open (").append(bytes)
            .append(" bytes), freed now:");
        for (int i = 0; i < Math.min(LISTED, open.size()); i++) {
            ClBuffer b = open.get(i);
            s.append(i == 0 ? " " : "; ").append(b.precision).append(" x ").append(b.length).append(" from ").append(b.origin);
        }
        if (open.size() > LISTED) {
            s.append("; and ").append(open.size() - LISTED).append(" more");
        }
        LOG.log(System.Logger.Level.WARNING, s.toString());
    }
}
