package org.rtf4j.kernels.opencl;

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
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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
import org.rtf4j.kernels.backend.AbstractBackend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.KernelId;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.fft.ComplexFftPlan;
import org.rtf4j.kernels.fft.FftF64;
import org.rtf4j.kernels.profile.ProfileRecord;
import org.rtf4j.kernels.profile.Profiler;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * The OpenCL backend (JOCL): every {@link KernelId} as a sequence of OpenCL C kernels from
 * {@code rtf4j.cl}, built once per precision (float64 only on devices with {@code cl_khr_fp64}).
 * Intermediates stay in device buffers; only what the caller writes and reads crosses the bus, and the
 * {@link Profiler} counts those bytes. Every command is profiled with OpenCL events.
 *
 * <p>FFTs: power-of-two lengths by a radix-2 Stockham transform, in local memory (one work-group per row)
 * when twice the row fits in half the device's local memory, else by one global pass per stage; other
 * lengths by Bluestein on power-of-two transforms; real transforms by packing into half-length complex
 * transforms (even n) or full complex transforms (odd n), as the JVM backend.
 *
 * <p>Device selection is explicit and logged once; there is no fallback to another device or backend:
 * a missing platform, a failed build (its log included) or device out-of-memory throws.
 */
public final class OpenClBackend extends AbstractBackend<OpenClBackend.ClBuffer> {
    private static final System.Logger LOG = System.getLogger("org.rtf4j.backend");
    private static final Set<KernelId> KERNELS = Collections.unmodifiableSet(EnumSet.allOf(KernelId.class));
    private static final String SOURCE = loadSource();
    /** Lags per work item of the Vandermonde kernels (VBLOCK in rtf4j.cl, passed at build time). */
    private static final int VANDERMONDE_LAGS = 32;

    private final DeviceInfo info;
    private final cl_device_id device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final String buildOptions;
    private final Profiler profiler = new Profiler();
    private final Map<Precision, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final Map<String, ClBuffer> scratch = new HashMap<>();
    private final Map<String, Plan> plans = new HashMap<>();
    private final Map<Precision, ClBuffer> dummies = new HashMap<>();
    private final java.util.List<cl_event> pending = new java.util.ArrayList<>();
    private final java.util.List<String> pendingNames = new java.util.ArrayList<>();
    private final java.util.List<String> pendingOps = new java.util.ArrayList<>();
    private String op = "";
    private long localFftLimit;
    private int liveBuffers;
    private long liveBytes;
    private boolean closed;

    private OpenClBackend(OpenClDevices.Found found, String buildOptions) {
        this.info = found.info();
        this.device = found.device();
        this.buildOptions = buildOptions == null ? "" : buildOptions.trim();
        CL.setExceptionsEnabled(true);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, found.platform());
        this.context = CL.clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
        cl_queue_properties qp = new cl_queue_properties();
        qp.addProperty(CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE);
        this.queue = CL.clCreateCommandQueueWithProperties(context, device, qp, null);
        this.localFftLimit = info.localMemBytes() / 2;
        LOG.log(System.Logger.Level.INFO, "backend opencl: " + info.describe()
            + (this.buildOptions.isEmpty() ? "" : ", build options " + this.buildOptions));
    }

    /**
     * Opens a device: {@code platform}, {@code device} each an index or a name substring (null = first);
     * {@code buildOptions} are passed to the OpenCL compiler (e.g. {@code -cl-fast-relaxed-math}).
     */
    public static OpenClBackend create(String platform, String device, String buildOptions) {
        return new OpenClBackend(OpenClDevices.select(platform, device), buildOptions);
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String deviceDescription() {
        return info.describe();
    }

    @Override
    public boolean timesDeviceEvents() {
        return true;
    }

    /** The device. */
    public DeviceInfo device() {
        return info;
    }

    /** The kernel-level profile. */
    @Override
    public Profiler profiler() {
        return profiler;
    }

    @Override
    public Set<KernelId> kernels() {
        return KERNELS;
    }

    /**
     * Largest local memory (bytes) a power-of-two FFT row may use before the global-pass path takes over;
     * default half the device's local memory. Lower it to exercise the global passes.
     */
    public void setLocalFftLimit(long bytes) {
        this.localFftLimit = bytes;
    }

    @Override
    public long liveBytes() {
        return liveBytes;
    }

    /** Buffers allocated by callers and not yet closed (scratch excluded). */
    public int liveBuffers() {
        return liveBuffers;
    }

    // ------------------------------------------------------------------------------------ buffers

    /** A device buffer. */
    final class ClBuffer implements DeviceBuffer {
        final Precision precision;
        final int length;
        final boolean counted;
        cl_mem mem;

        ClBuffer(Precision precision, int length, boolean counted) {
            this.precision = precision;
            this.length = length;
            this.counted = counted;
            long bytes = Math.max(1L, (long) length) * precision.bytes();
            if (bytes > info.maxAllocBytes()) {
                throw new IllegalStateException(String.format("device out of memory: a buffer of %d bytes exceeds the largest "
                    + "allocation %d of %s", bytes, info.maxAllocBytes(), info.name()));
            }
            try {
                mem = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
            } catch (CLException e) {
                throw translate(e, "allocating " + bytes + " bytes");
            }
            if (counted) {
                liveBuffers++;
            }
            liveBytes += bytes;
        }

        @Override
        public Precision precision() {
            return precision;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public void close() {
            if (mem != null) {
                CL.clReleaseMemObject(mem);
                mem = null;
                if (counted) {
                    liveBuffers--;
                }
                liveBytes -= Math.max(1L, (long) length) * precision.bytes();
            }
        }

        OpenClBackend owner() {
            return OpenClBackend.this;
        }

        @Override
        public String toString() {
            return "ClBuffer[" + precision + " x " + length + "]";
        }
    }

    @Override
    public DeviceBuffer allocate(Precision precision, int length) {
        open();
        if (precision == null || length < 0) {
            throw new IllegalArgumentException("precision must not be null and length must be ≥ 0, got " + precision + ", " + length);
        }
        requirePrecision(precision);
        ClBuffer b = new ClBuffer(precision, length, true);
        zero(b);
        return b;
    }

    private IllegalStateException translate(CLException e, String what) {
        String m = e.getMessage();
        if (m != null && (m.contains("CL_MEM_OBJECT_ALLOCATION_FAILURE") || m.contains("CL_OUT_OF_RESOURCES")
            || m.contains("CL_OUT_OF_HOST_MEMORY") || m.contains("CL_INVALID_BUFFER_SIZE"))) {
            return new IllegalStateException("device out of memory on " + info.name() + " " + what + ": " + m, e);
        }
        return new IllegalStateException("OpenCL error on " + info.name() + " " + what + ": " + m, e);
    }

    private void requirePrecision(Precision p) {
        if (p == Precision.F64 && !info.fp64()) {
            throw new IllegalArgumentException("device " + info.name() + " has no cl_khr_fp64: float64 is not available there");
        }
    }

    @Override
    public void write(DeviceBuffer dst, int dstOffset, double[] src, int srcOffset, int length) {
        ClBuffer d = transfer(dst, "dst", dstOffset, src.length, srcOffset, length);
        if (d == null) {
            return;
        }
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
        copyIn(d, dstOffset, length, ptr);
    }

    @Override
    public void write(DeviceBuffer dst, int dstOffset, float[] src, int srcOffset, int length) {
        ClBuffer d = transfer(dst, "dst", dstOffset, src.length, srcOffset, length);
        if (d == null) {
            return;
        }
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
        copyIn(d, dstOffset, length, ptr);
    }

    /**
     * Checks a host transfer of {@code length} elements between {@code buffer[offset ..]} and a host array
     * of {@code hostLength} at {@code hostOffset}; null when there is nothing to move.
     */
    private ClBuffer transfer(DeviceBuffer buffer, String name, int offset, int hostLength, int hostOffset, int length) {
        ClBuffer b = own(buffer, name);
        range(name, b.length, offset, length);
        range("host array", hostLength, hostOffset, length);
        return length == 0 ? null : b;
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

    @Override
    public void read(DeviceBuffer src, int srcOffset, double[] dst, int dstOffset, int length) {
        ClBuffer s = transfer(src, "src", srcOffset, dst.length, dstOffset, length);
        if (s == null) {
            return;
        }
        if (s.precision == Precision.F64) {
            copyOut(s, srcOffset, length, Pointer.to(dst).withByteOffset(8L * dstOffset));
        } else {
            float[] f = new float[length];
            copyOut(s, srcOffset, length, Pointer.to(f));
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = f[i];
            }
        }
    }

    @Override
    public void read(DeviceBuffer src, int srcOffset, float[] dst, int dstOffset, int length) {
        ClBuffer s = transfer(src, "src", srcOffset, dst.length, dstOffset, length);
        if (s == null) {
            return;
        }
        if (s.precision == Precision.F32) {
            copyOut(s, srcOffset, length, Pointer.to(dst).withByteOffset(4L * dstOffset));
        } else {
            double[] f = new double[length];
            copyOut(s, srcOffset, length, Pointer.to(f));
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = (float) f[i];
            }
        }
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

    @Override
    public void zero(DeviceBuffer buffer) {
        ClBuffer b = own(buffer, "buffer");
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

    // -------------------------------------------------------------------------- programs, launches

    private static String loadSource() {
        try (InputStream in = OpenClBackend.class.getResourceAsStream("/org/rtf4j/kernels/opencl/rtf4j.cl")) {
            if (in == null) {
                throw new IllegalStateException("kernel source org/rtf4j/kernels/opencl/rtf4j.cl is missing from the jar");
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
        String opts = (p == Precision.F64 ? "-DUSE_DOUBLE " : "") + (info.fp64() ? "-DHAS_FP64 " : "")
            + "-DVBLOCK=" + VANDERMONDE_LAGS + " " + buildOptions;
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

    /** Builds both precisions' programs now (where available), e.g. to separate build time from run time. */
    @Override
    public void build() {
        program(Precision.F32);
        if (info.fp64()) {
            program(Precision.F64);
        }
    }

    private cl_kernel kernel(Precision p, String name) {
        String key = p + ":" + name;
        cl_kernel k = kernels.get(key);
        if (k == null) {
            k = CL.clCreateKernel(program(p), name, null);
            kernels.put(key, k);
        }
        return k;
    }

    /** Local memory argument of a launch. */
    private record Local(long bytes) {
    }

    private void launch(Precision p, String name, long[] global, long[] local, Object... args) {
        for (long g : global) {
            if (g == 0) {
                return;
            }
        }
        cl_kernel k = kernel(p, name);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof ClBuffer) {
                CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(((ClBuffer) a).mem));
            } else if (a instanceof Integer) {
                CL.clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {(Integer) a}));
            } else if (a instanceof Double) {
                if (p == Precision.F64) {
                    CL.clSetKernelArg(k, i, Sizeof.cl_double, Pointer.to(new double[] {(Double) a}));
                } else {
                    CL.clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {((Double) a).floatValue()}));
                }
            } else if (a instanceof Local) {
                CL.clSetKernelArg(k, i, ((Local) a).bytes(), null);
            } else {
                throw new IllegalStateException("kernel " + name + ": unsupported argument " + a);
            }
        }
        cl_event ev = new cl_event();
        try {
            CL.clEnqueueNDRangeKernel(queue, k, global.length, null, global, local, 0, null, ev);
        } catch (CLException e) {
            throw translate(e, "launching " + name);
        }
        // the queue is in order: wait once per operation (flushEvents), not per launch
        pending.add(ev);
        pendingNames.add(name);
        pendingOps.add(op);
    }

    /** Waits for every pending launch and records its event times. */
    private void flushEvents() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            CL.clWaitForEvents(pending.size(), pending.toArray(new cl_event[0]));
        } catch (CLException e) {
            throw translate(e, "waiting for " + pendingNames);
        }
        String saved = op;
        for (int i = 0; i < pending.size(); i++) {
            op = pendingOps.get(i);
            finish(pending.get(i), "KERNEL", pendingNames.get(i), 0);
        }
        op = saved;
        pending.clear();
        pendingNames.clear();
        pendingOps.clear();
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

    private void copyOnDevice(ClBuffer src, ClBuffer dst, long elements) {
        flushEvents();
        long bytes = elements * src.precision.bytes();
        cl_event ev = new cl_event();
        CL.clEnqueueCopyBuffer(queue, src.mem, dst.mem, 0, 0, bytes, 0, null, ev);
        finish(ev, "COPY_ON_DEVICE", "copy", bytes);
    }

    /** A grow-only scratch buffer of at least {@code elements} for one role. */
    private ClBuffer scratch(Precision p, String role, long elements) {
        if (elements > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("device out of memory: scratch '" + role + "' needs " + elements + " elements");
        }
        String key = p + ":" + role;
        ClBuffer b = scratch.get(key);
        if (b == null || b.length < elements) {
            if (b != null) {
                b.close();
            }
            b = new ClBuffer(p, (int) Math.max(1, elements), false);
            scratch.put(key, b);
        }
        return b;
    }

    private ClBuffer dummy(Precision p) {
        return dummies.computeIfAbsent(p, q -> new ClBuffer(q, 1, false));
    }

    // ------------------------------------------------------------------------------------------ FFT

    /** Device tables of one length and precision. */
    private static final class Plan {
        ClBuffer tw;        // power of two: exp(-2 pi i j/n), j < n/2
        ClBuffer chirp;     // Bluestein: exp(-i pi t^2/n), t < n
        ClBuffer chirpSpec; // Bluestein: fft_m(conj chirp, wrapped) / m
        int m;
        ClBuffer split;     // real transforms of even length n: exp(-2 pi i k/n), k <= n/4
    }

    private Plan plan(Precision p, int n) {
        String key = p + ":" + n;
        Plan pl = plans.get(key);
        if (pl != null) {
            return pl;
        }
        pl = new Plan();
        if (Integer.bitCount(n) == 1) {
            double[] tw = new double[Math.max(2, n)];
            for (int j = 0; j < n / 2; j++) {
                double a = -2 * Math.PI * j / n;
                tw[2 * j] = Math.cos(a);
                tw[2 * j + 1] = Math.sin(a);
            }
            pl.tw = table(p, tw);
        } else {
            int m = Integer.highestOneBit(2 * n - 1);
            if (m < 2 * n - 1) {
                m <<= 1;
            }
            pl.m = m;
            double[] c = new double[2 * n];
            long twoN = 2L * n;
            for (int t = 0; t < n; t++) {
                double a = -Math.PI * (((long) t * t) % twoN) / n;
                c[2 * t] = Math.cos(a);
                c[2 * t + 1] = Math.sin(a);
            }
            double[] b = new double[2 * m];
            b[0] = c[0];
            b[1] = -c[1];
            for (int j = 1; j < n; j++) {
                b[2 * j] = c[2 * j];
                b[2 * j + 1] = -c[2 * j + 1];
                b[2 * (m - j)] = c[2 * j];
                b[2 * (m - j) + 1] = -c[2 * j + 1];
            }
            ComplexFftPlan mp = ComplexFftPlan.of(m);
            FftF64.forward(mp, b, 0, new double[mp.scratchLength()], 0);
            for (int i = 0; i < b.length; i++) {
                b[i] /= m;
            }
            pl.chirp = table(p, c);
            pl.chirpSpec = table(p, b);
        }
        if (n % 2 == 0) {
            int h = n / 2;
            double[] s = new double[2 * (h / 2 + 1)];
            for (int k = 0; k <= h / 2; k++) {
                double a = -2 * Math.PI * k / n;
                s[2 * k] = Math.cos(a);
                s[2 * k + 1] = Math.sin(a);
            }
            pl.split = table(p, s);
        }
        plans.put(key, pl);
        return pl;
    }

    private ClBuffer table(Precision p, double[] values) {
        ClBuffer b = new ClBuffer(p, values.length, false);
        String saved = op;
        op = "plan";
        write(b, 0, values, 0, values.length);
        op = saved;
        return b;
    }

    /** In-place complex transforms of {@code rows} rows of n; sign −1 forward, +1 inverse unscaled. */
    private void fftRows(Precision p, ClBuffer data, int rows, int n, int sign) {
        if (n == 1 || rows == 0) {
            return;
        }
        Plan pl = plan(p, n);
        if (pl.tw != null) {
            long localBytes = 2L * n * 2 * p.bytes();
            if (localBytes <= localFftLimit) {
                long gs = Math.min(n / 2, Math.min(info.maxWorkGroup(), 256));
                launch(p, "fftLocalPow2", new long[] {gs, rows}, new long[] {gs, 1}, data, pl.tw, n, sign, new Local(localBytes));
            } else {
                ClBuffer t = scratch(p, "pingpong", 2L * rows * n);
                ClBuffer src = data;
                ClBuffer dst = t;
                for (int blk = 1; blk < n; blk <<= 1) {
                    launch(p, "fftRadix2Pass", new long[] {n / 2, rows}, null, src, dst, pl.tw, n, blk, sign);
                    ClBuffer x = src;
                    src = dst;
                    dst = x;
                }
                if (src != data) {
                    copyOnDevice(src, data, 2L * rows * n);
                }
            }
            return;
        }
        if (sign > 0) {
            launch(p, "conjugate", new long[] {n, rows}, null, data, n);
        }
        int m = pl.m;
        ClBuffer w = scratch(p, "bluestein", 2L * rows * m);
        launch(p, "bluesteinPre", new long[] {m, rows}, null, data, w, pl.chirp, n, m);
        fftRows(p, w, rows, m, -1);
        launch(p, "mulTable", new long[] {m, rows}, null, w, pl.chirpSpec, m);
        fftRows(p, w, rows, m, 1);
        launch(p, "bluesteinPost", new long[] {n, rows}, null, w, data, pl.chirp, n, m);
        if (sign > 0) {
            launch(p, "conjugate", new long[] {n, rows}, null, data, n);
        }
    }

    private void rfft(Precision p, int n, int rows, ClBuffer in, int inStride, int inLen, ClBuffer out) {
        if (n % 2 == 0) {
            int h = n / 2;
            ClBuffer z = scratch(p, "realz", 2L * rows * h);
            launch(p, "packEven", new long[] {h, rows}, null, in, 0, inStride, inLen, z, h);
            fftRows(p, z, rows, h, -1);
            launch(p, "splitForward", new long[] {h / 2 + 1, rows}, null, z, out, plan(p, n).split, h);
        } else {
            ClBuffer z = scratch(p, "realz", 2L * rows * n);
            launch(p, "packOdd", new long[] {n, rows}, null, in, 0, inStride, inLen, z, n);
            fftRows(p, z, rows, n, -1);
            launch(p, "copyBins", new long[] {n / 2 + 1, rows}, null, z, n, out, n / 2 + 1);
        }
    }

    private void irfft(Precision p, int n, int rows, ClBuffer in, ClBuffer out, int outStride, int outLen) {
        if (n % 2 == 0) {
            int h = n / 2;
            ClBuffer z = scratch(p, "realz", 2L * rows * h);
            launch(p, "mergeInverse", new long[] {h / 2 + 1, rows}, null, in, z, plan(p, n).split, h);
            fftRows(p, z, rows, h, 1);
            launch(p, "unpackEven", new long[] {h, rows}, null, z, h, out, 0, outStride, outLen, 1.0 / h);
        } else {
            ClBuffer z = scratch(p, "realz", 2L * rows * n);
            launch(p, "hermitianFull", new long[] {n, rows}, null, in, n / 2 + 1, z, n);
            fftRows(p, z, rows, n, 1);
            launch(p, "unpackOdd", new long[] {n, rows}, null, z, n, out, 0, outStride, outLen, 1.0 / n);
        }
    }

    @Override
    protected void runFftComplex(int n, int rows, ClBuffer d, boolean inverse) {
        within(KernelId.FFT_COMPLEX, () -> {
            fftRows(d.precision, d, rows, n, inverse ? 1 : -1);
            if (inverse) {
                launch(d.precision, "scaleComplex", new long[] {n, rows}, null, d, n, 1.0 / n);
            }
        });
    }

    @Override
    protected void runFftRealForward(int n, int rows, ClBuffer i, int inStride, int inLength, ClBuffer o) {
        Precision p = i.precision;
        within(KernelId.FFT_REAL_FORWARD, () -> {
            rfft(p, n, rows, i, inStride, inLength, o);
        });
    }

    @Override
    protected void runFftRealInverse(int n, int rows, ClBuffer i, ClBuffer o, int outStride, int outLength) {
        Precision p = i.precision;
        within(KernelId.FFT_REAL_INVERSE, () -> {
            irfft(p, n, rows, i, o, outStride, outLength);
        });
    }

    // ---------------------------------------------------------------------------- composite kernels

    @Override
    protected void runRationalSpectrum(RationalShape shape, ClBuffer ba, ClBuffer bb, ClBuffer bh, ClBuffer sa,
                                       ClBuffer sb, ClBuffer sk, ClBuffer mm) {
        Precision p = ba.precision;
        int bins = shape.bins();
        int numA = shape.numA();
        int h = shape.channels();
        int order = shape.order();
        within(KernelId.RATIONAL_SPECTRUM, () -> {
            int rows = numA + h;
            ClBuffer padded = scratch(p, "rationalRows", (long) rows * (order + 1));
            launch(p, "padRational", new long[] {order + 1, rows}, null, ba, bb, padded, order, numA);
            ClBuffer ab = scratch(p, "rationalSpectra", 2L * rows * bins);
            rfft(p, shape.fftLength(), rows, padded, order + 1, order + 1, ab);
            launch(p, "rationalDivide", new long[] {bins, rows}, null, ab, bh, sa, sb, sk, bins, numA,
                shape.channelsPerDenominator());
            launch(p, "minMagnitude", new long[] {numA}, null, sa, ba, mm, bins, order);
        });
    }

    @Override
    protected void runRationalSpectrumBackward(RationalShape shape, ClBuffer g, int ell, ClBuffer sa, ClBuffer sb,
                                               ClBuffer ga, ClBuffer gb, ClBuffer gh, ClBuffer wk) {
        Precision p = g.precision;
        int bins = shape.bins();
        int numA = shape.numA();
        int h = shape.channels();
        int order = shape.order();
        int pp = shape.fftLength();
        within(KernelId.RATIONAL_SPECTRUM_BACKWARD, () -> {
            ClBuffer gam = scratch(p, "gamma", 2L * h * bins);
            rfft(p, pp, h, g, ell, ell, gam);
            ClBuffer xb = scratch(p, "numeratorSpectra", 2L * h * bins);
            launch(p, "rationalBackwardSpectra", new long[] {bins, h}, null, gam, sa, sb, xb, wk, bins,
                shape.channelsPerDenominator());
            ClBuffer tmp = scratch(p, "coefficients", (long) Math.max(h, numA) * (order + 1));
            irfft(p, pp, h, xb, tmp, order + 1, order + 1);
            launch(p, "dropLag0", new long[] {order, h}, null, tmp, gb, order);
            ClBuffer s = scratch(p, "groupSums", 2L * numA * bins);
            launch(p, "groupSum", new long[] {bins, numA}, null, wk, s, bins, shape.channelsPerDenominator());
            irfft(p, pp, numA, s, tmp, order + 1, order + 1);
            launch(p, "dropLag0", new long[] {order, numA}, null, tmp, ga, order);
            launch(p, "takeLag0", new long[] {h}, null, g, gh, ell);
        });
    }

    @Override
    protected void runFftConv(ConvShape shape, ClBuffer f, ClBuffer bk, ClBuffer bu, ClBuffer by, ClBuffer ks,
                              ClBuffer us) {
        Precision p = bu.precision;
        int n = shape.fftLength();
        int ell = shape.length();
        int h = shape.channels();
        int rows = shape.batch() * h;
        int bins = shape.bins();
        within(KernelId.FFT_CONV, () -> {
            if (bk == null) {
                rfft(p, n, h, f, ell, ell, ks);
            } else {
                ClBuffer kappa = scratch(p, "twoSided", (long) h * n);
                launch(p, "twoSidedKernel", new long[] {n, h}, null, f, bk, kappa, ell, n);
                rfft(p, n, h, kappa, n, n, ks);
            }
            rfft(p, n, rows, bu, ell, ell, us);
            ClBuffer prod = scratch(p, "rowSpectra", 2L * rows * bins);
            launch(p, "spectralMul", new long[] {bins, rows}, null, us, ks, prod, bins, h);
            irfft(p, n, rows, prod, by, ell, ell);
        });
    }

    @Override
    protected void runFftConvBackward(ConvShape shape, ClBuffer ks, ClBuffer us, ClBuffer bg, ClBuffer bd, ClBuffer df,
                                      ClBuffer dbk) {
        Precision p = bg.precision;
        int n = shape.fftLength();
        int ell = shape.length();
        int h = shape.channels();
        int rows = shape.batch() * h;
        int bins = shape.bins();
        within(KernelId.FFT_CONV_BACKWARD, () -> {
            // the forward's product spectra and these are never live together: one scratch buffer
            ClBuffer gs = scratch(p, "rowSpectra", 2L * rows * bins);
            rfft(p, n, rows, bg, ell, ell, gs);
            ClBuffer acc = scratch(p, "kernelGradientSpectra", 2L * h * bins);
            launch(p, "convBackwardSpectra", new long[] {bins, h}, null, gs, us, ks, acc, bins, h, shape.batch());
            irfft(p, n, rows, gs, bd, ell, ell);
            ClBuffer g = scratch(p, "kernelGradientFull", (long) h * n);
            irfft(p, n, h, acc, g, n, n);
            launch(p, "kernelGrads", new long[] {ell, h}, null, g, df, dbk == null ? dummy(p) : dbk, ell, n,
                dbk == null ? 0 : 1);
        });
    }

    @Override
    protected void runVandermonde(ModalShape shape, ClBuffer z, ClBuffer c, ClBuffer d, ClBuffer out) {
        Precision p = out.precision;
        within(KernelId.VANDERMONDE, () -> {
            int items = (shape.length() + VANDERMONDE_LAGS - 1) / VANDERMONDE_LAGS;
            launch(p, "vandermonde", new long[] {items, shape.channels()}, null, z, c, d == null ? dummy(p) : d,
                d == null ? 0 : 1, out, shape.modes(), shape.length());
        });
    }

    @Override
    protected void runVandermondeBackward(ModalShape shape, ClBuffer z, ClBuffer g, ClBuffer s0, ClBuffer s1, ClBuffer d) {
        Precision p = g.precision;
        within(KernelId.VANDERMONDE_BACKWARD, () -> {
            launch(p, "vandermondeBackward", new long[] {shape.modes(), shape.channels()}, null, z, g, s0, s1,
                shape.modes(), shape.length());
            launch(p, "takeLag0", new long[] {shape.channels()}, null, g, d, shape.length());
        });
    }

    @Override
    protected void runCauchy(ModalShape shape, ClBuffer bw, ClBuffer bv, ClBuffer d, ClBuffer out) {
        Precision p = out.precision;
        within(KernelId.CAUCHY, () -> {
            launch(p, "cauchy", new long[] {shape.bins(), shape.channels()}, null, bw, bv, d == null ? dummy(p) : d,
                d == null ? 0 : 1, out, shape.modes(), shape.length(), shape.channels());
        });
    }

    @Override
    protected void runCauchyBackward(ModalShape shape, ClBuffer bw, ClBuffer bv, ClBuffer gs, ClBuffer ov, ClBuffer ow,
                                     ClBuffer og, ClBuffer od) {
        Precision p = gs.precision;
        int count = (shape.length() + 1) / 2;
        within(KernelId.CAUCHY_BACKWARD, () -> {
            ClBuffer gr = scratch(p, "cauchyNodes", 8L * shape.channels() * count);
            launch(p, "cauchyBackwardNodes", new long[] {count, shape.channels()}, null, bw, bv, gs, gr, shape.modes(),
                shape.length(), shape.channels());
            launch(p, "cauchyBackwardModes", new long[] {shape.modes(), shape.channels()}, null, bw, bv, gr, gs, ov, ow, og,
                od, shape.modes(), shape.length(), shape.channels());
        });
    }

    // --------------------------------------------------------------------------------------- checks

    /** Runs one backend operation: its launches are attributed to {@code id} and waited for at the end. */
    private void within(KernelId id, Runnable body) {
        op = id.kernelName();
        try {
            body.run();
        } finally {
            flushEvents();
            op = "";
        }
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("backend opencl is closed");
        }
    }

    @Override
    protected ClBuffer own(DeviceBuffer b, String name) {
        open();
        if (b == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (!(b instanceof ClBuffer) || ((ClBuffer) b).owner() != this) {
            throw new IllegalArgumentException(name + " is a " + b.getClass().getSimpleName()
                + ", not a buffer of this opencl backend");
        }
        ClBuffer c = (ClBuffer) b;
        if (c.mem == null) {
            throw new IllegalStateException(name + " is closed");
        }
        return c;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        flushEvents();
        closed = true;
        for (ClBuffer b : scratch.values()) {
            b.close();
        }
        for (ClBuffer b : dummies.values()) {
            b.close();
        }
        for (Plan pl : plans.values()) {
            for (ClBuffer b : new ClBuffer[] {pl.tw, pl.chirp, pl.chirpSpec, pl.split}) {
                if (b != null) {
                    b.close();
                }
            }
        }
        for (cl_kernel k : kernels.values()) {
            CL.clReleaseKernel(k);
        }
        for (cl_program p : programs.values()) {
            CL.clReleaseProgram(p);
        }
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseContext(context);
    }
}
