package org.rtf4j.kernels.testing;

import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;

/** Moves double arrays in and out of backend buffers in either precision. */
public final class Host {
    private Host() {
    }

    /** A new buffer of precision p holding {@code values} (rounded to p). */
    public static DeviceBuffer put(Backend be, Precision p, double[] values) {
        DeviceBuffer b = be.allocate(p, values.length);
        be.write(b, 0, values, 0, values.length);
        return b;
    }

    /** The whole buffer as doubles. */
    public static double[] get(Backend be, DeviceBuffer b) {
        double[] out = new double[b.length()];
        be.read(b, 0, out, 0, out.length);
        return out;
    }

    /** The first {@code length} elements as doubles. */
    public static double[] get(Backend be, DeviceBuffer b, int length) {
        double[] out = new double[length];
        be.read(b, 0, out, 0, length);
        return out;
    }

    /** Values rounded to precision p (what the kernel actually sees). */
    public static double[] round(Precision p, double[] v) {
        if (p == Precision.F64) {
            return v.clone();
        }
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (float) v[i];
        }
        return r;
    }
}
