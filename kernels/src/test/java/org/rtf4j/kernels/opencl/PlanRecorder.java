package org.rtf4j.kernels.opencl;

import java.util.ArrayList;
import java.util.List;
import org.rtf4j.kernels.backend.Precision;

/**
 * A {@link ClQueue} without a device: plans every launch for a device described by its limits (as the
 * runtime would, through {@link LaunchPlanner}, which throws on a plan outside them) and records the plans,
 * device copies and the size of every buffer the backend would allocate. No OpenCL call.
 */
final class PlanRecorder implements ClQueue {
    /** One recorded launch: kernel, the extents asked for and the plan. */
    record Launch(ClKernel kernel, long[] extents, LaunchPlanner.Plan plan) {
    }

    private final DeviceInfo info;
    private final LaunchPlanner.KernelLimits kernelLimits;
    final List<Launch> launches = new ArrayList<>();
    final List<Long> bufferBytes = new ArrayList<>();
    int copies;

    PlanRecorder(GpuTable gpu) {
        this.info = new DeviceInfo(0, "table", 0, gpu.name(), "vendor", "OpenCL 3.0", "GPU", 64, 16L << 30, gpu.limits());
        this.kernelLimits = gpu.kernel();
    }

    /** A caller buffer of {@code length} elements, as a layer would allocate it. */
    ClBuffer caller(Precision p, long length) {
        return buffer(p, length);
    }

    private ClBuffer buffer(Precision p, long length) {
        bufferBytes.add(ClBuffer.bytes(p, length));
        return new ClBuffer(null, p, (int) Math.min(Integer.MAX_VALUE, length), false, "plan", null);
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public LaunchPlanner.KernelLimits limits(Precision p, ClKernel k) {
        return kernelLimits;
    }

    @Override
    public void launch(ClKernel k, Precision p, long[] extents, long[] local, Object... args) {
        if (args.length != k.params().size()) {
            throw new IllegalStateException("kernel " + k.functionName() + " takes " + k.params().size() + " arguments, got "
                + args.length);
        }
        long localBytes = 0;
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof ClRuntime.Local) {
                localBytes += ((ClRuntime.Local) a).bytes();
            }
            if (k.params().get(i).kind() == ClKernel.Kind.INDICES) {
                if (!(a instanceof ClBuffer) || ((ClBuffer) a).precision.bytes() != 4) {
                    throw new IllegalStateException("kernel " + k.functionName() + " gets " + a + " for 4-byte indices");
                }
                continue;
            }
            if (a instanceof ClBuffer && ((ClBuffer) a).precision != p) {
                throw new IllegalStateException("kernel " + k.functionName() + " gets a " + ((ClBuffer) a).precision
                    + " buffer in a " + p + " launch");
            }
        }
        for (long e : extents) {
            if (e == 0) {
                return;
            }
        }
        LaunchPlanner.Plan plan = local == null ? LaunchPlanner.free(k.functionName(), info.limits(), kernelLimits, extents, localBytes)
            : LaunchPlanner.fixed(k.functionName(), info.limits(), kernelLimits, extents, local, localBytes);
        launches.add(new Launch(k, extents.clone(), plan));
    }

    @Override
    public ClBuffer scratch(Precision p, String role, long elements) {
        return buffer(p, Math.max(1, elements));
    }

    @Override
    public ClBuffer dummy(Precision p) {
        return buffer(p, 1);
    }

    @Override
    public ClBuffer table(Precision p, double[] values) {
        return buffer(p, values.length);
    }

    @Override
    public void copy(ClBuffer src, ClBuffer dst, long elements) {
        copies++;
    }

    /** Forgets what was recorded. */
    void clear() {
        launches.clear();
        bufferBytes.clear();
        copies = 0;
    }
}
