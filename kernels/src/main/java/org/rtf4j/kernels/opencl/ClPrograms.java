package org.rtf4j.kernels.opencl;

import static org.jocl.CL.CL_KERNEL_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE;
import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.spectral.ModalShape;

/**
 * The OpenCL programs of one runtime, one per precision built from {@link ClSource} on first use (with
 * {@code -DUSE_DOUBLE} for float64, {@code -DVBLOCK}, the profile's and the caller's options), their kernel
 * objects, and each kernel's own limits (CL_KERNEL_WORK_GROUP_SIZE capped by the {@link DeviceProfile},
 * the preferred multiple, the kernel's own local memory) for {@link LaunchPlanner}. Used under the
 * runtime's lock.
 */
final class ClPrograms {
    /** A finished program build, for the profile: precision and host nanoTime interval. */
    interface BuildListener {
        void built(Precision p, long t0, long t1);
    }

    private final DeviceInfo info;
    private final DeviceProfile profile;
    private final cl_context context;
    private final cl_device_id device;
    private final String buildOptions;
    private final BuildListener listener;
    private final Map<Precision, cl_program> programs = new EnumMap<>(Precision.class);
    private final Map<Precision, Map<ClKernel, cl_kernel>> kernels = new EnumMap<>(Precision.class);
    private final Map<Precision, Map<ClKernel, LaunchPlanner.KernelLimits>> limits = new EnumMap<>(Precision.class);

    ClPrograms(DeviceInfo info, DeviceProfile profile, cl_context context, cl_device_id device, String buildOptions,
               BuildListener listener) {
        this.info = info;
        this.profile = profile;
        this.context = context;
        this.device = device;
        this.buildOptions = buildOptions;
        this.listener = listener;
    }

    /** The program for precision p, built on first use. Throws with the build log on failure. */
    cl_program program(Precision p) {
        cl_program prog = programs.get(p);
        if (prog != null) {
            return prog;
        }
        requirePrecision(p);
        String opts = (p == Precision.F64 ? "-DUSE_DOUBLE " : "") + "-DVBLOCK=" + ModalShape.VANDERMONDE_BLOCK + " " + buildOptions;
        long t0 = System.nanoTime();
        prog = CL.clCreateProgramWithSource(context, 1, new String[] {ClSource.text()}, null, null);
        try {
            CL.clBuildProgram(prog, 1, new cl_device_id[] {device}, opts, null, null);
        } catch (CLException e) {
            String log = buildLog(prog);
            CL.clReleaseProgram(prog);
            throw new IllegalStateException("OpenCL program build failed for " + p + " on " + info.name() + " with options '"
                + opts.trim() + "':\n" + log, e);
        }
        listener.built(p, t0, System.nanoTime());
        programs.put(p, prog);
        return prog;
    }

    /** Throws when float64 is asked of a device without cl_khr_fp64. */
    void requirePrecision(Precision p) {
        if (p == Precision.F64 && !info.fp64()) {
            throw new IllegalArgumentException("device " + info.name() + " has no cl_khr_fp64: float64 is not available there");
        }
    }

    private String buildLog(cl_program prog) {
        long[] size = new long[1];
        CL.clGetProgramBuildInfo(prog, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(prog, device, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
        return new String(buf, StandardCharsets.UTF_8).trim();
    }

    /** Kernel k of precision p, created (and its program built) on first use. */
    cl_kernel kernel(Precision p, ClKernel k) {
        Map<ClKernel, cl_kernel> ks = kernels.computeIfAbsent(p, q -> new EnumMap<>(ClKernel.class));
        cl_kernel ck = ks.get(k);
        if (ck == null) {
            ck = CL.clCreateKernel(program(p), k.functionName(), null);
            ks.put(k, ck);
            limits.computeIfAbsent(p, q -> new EnumMap<>(ClKernel.class)).put(k, queryLimits(ck));
        }
        return ck;
    }

    /** Kernel k's own limits (building it if needed). */
    LaunchPlanner.KernelLimits limits(Precision p, ClKernel k) {
        kernel(p, k);
        return limits.get(p).get(k);
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

    /** Releases every kernel object and program. */
    void release() {
        for (Map<ClKernel, cl_kernel> ks : kernels.values()) {
            for (cl_kernel k : ks.values()) {
                CL.clReleaseKernel(k);
            }
        }
        kernels.clear();
        limits.clear();
        for (cl_program p : programs.values()) {
            CL.clReleaseProgram(p);
        }
        programs.clear();
    }
}
