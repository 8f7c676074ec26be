package org.rtf4j.kernels.opencl;

import java.util.List;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.rtf4j.kernels.backend.Precision;

/**
 * The arguments of one launch against its kernel's parameters ({@link ClKernel#params()}): checked by
 * {@link ClKernel.Kind} (count, type, a buffer's owner, openness and precision) before anything is set,
 * a mismatch throwing {@link IllegalStateException} naming the kernel and parameter; then set on the kernel
 * object. Used by {@link ClRuntime#launch} under the runtime's lock.
 */
final class ClLaunchArgs {
    private ClLaunchArgs() {
    }

    /** Checks every argument of a launch of k (precision p) on runtime rt; returns their local memory in bytes. */
    static long check(ClRuntime rt, ClKernel k, Precision p, Object[] args) {
        List<ClKernel.Param> params = k.params();
        if (args.length != params.size()) {
            throw new IllegalStateException("kernel " + k.functionName() + " takes " + params.size() + " arguments "
                + params + ", got " + args.length);
        }
        long localBytes = 0;
        for (int i = 0; i < args.length; i++) {
            check(rt, k, p, params.get(i), args[i]);
            if (args[i] instanceof ClRuntime.Local) {
                localBytes += ((ClRuntime.Local) args[i]).bytes();
            }
        }
        return localBytes;
    }

    /** Sets the checked arguments on kernel object ck (a REAL as p's floating type). */
    static void set(cl_kernel ck, ClKernel k, Precision p, Object[] args) {
        List<ClKernel.Param> params = k.params();
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            switch (params.get(i).kind()) {
                case BUFFER -> CL.clSetKernelArg(ck, i, Sizeof.cl_mem, Pointer.to(((ClBuffer) a).mem));
                case INDICES -> CL.clSetKernelArg(ck, i, Sizeof.cl_mem, Pointer.to(((ClBuffer) a).mem));
                case INT -> CL.clSetKernelArg(ck, i, Sizeof.cl_int, Pointer.to(new int[] {(Integer) a}));
                case REAL -> {
                    if (p == Precision.F64) {
                        CL.clSetKernelArg(ck, i, Sizeof.cl_double, Pointer.to(new double[] {(Double) a}));
                    } else {
                        CL.clSetKernelArg(ck, i, Sizeof.cl_float, Pointer.to(new float[] {((Double) a).floatValue()}));
                    }
                }
                case LOCAL -> CL.clSetKernelArg(ck, i, ((ClRuntime.Local) a).bytes(), null);
                default -> throw new IllegalStateException("unknown parameter kind " + params.get(i));
            }
        }
    }

    private static void check(ClRuntime rt, ClKernel k, Precision p, ClKernel.Param param, Object a) {
        String bad = null;
        switch (param.kind()) {
            case BUFFER -> {
                if (!(a instanceof ClBuffer)) {
                    bad = "is " + describe(a);
                } else {
                    ClBuffer b = (ClBuffer) a;
                    if (b.runtime != rt) {
                        bad = "is a buffer of another backend";
                    } else if (b.mem == null) {
                        bad = "is a closed buffer";
                    } else if (b.precision != p) {
                        bad = "is a " + b.precision + " buffer in a " + p + " launch";
                    }
                }
            }
            case INDICES -> {
                if (!(a instanceof ClBuffer)) {
                    bad = "is " + describe(a);
                } else {
                    ClBuffer b = (ClBuffer) a;
                    bad = b.runtime != rt ? "is a buffer of another backend" : b.mem == null ? "is a closed buffer"
                        : b.precision.bytes() != 4 ? "has " + b.precision.bytes() + "-byte elements, not 4-byte integers" : null;
                }
            }
            case INT -> bad = a instanceof Integer ? null : "is " + describe(a);
            case REAL -> bad = a instanceof Double ? null : "is " + describe(a);
            case LOCAL -> bad = a instanceof ClRuntime.Local ? null : "is " + describe(a);
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
}
