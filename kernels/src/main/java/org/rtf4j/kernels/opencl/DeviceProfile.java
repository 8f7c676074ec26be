package org.rtf4j.kernels.opencl;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Limits to emulate on the device actually present: local memory and work-group size capped below what
 * it reports, float64 switched off, and build options added. Launch planning then sees the smaller device,
 * so a CPU device such as PoCL exercises the launches a GPU would get (the test suite runs the device tests
 * under {@link #named the named profiles}). A profile only lowers limits; a device below a cap keeps its own.
 *
 * @param name          the profile's name, shown in the backend's log line
 * @param localMemBytes local memory cap in bytes
 * @param maxWorkGroup  work-group size cap, for the device and for every kernel
 * @param fp64          false to treat the device as one without cl_khr_fp64
 * @param buildOptions  options added to the OpenCL compiler's (e.g. {@code -cl-single-precision-constant})
 */
public record DeviceProfile(String name, long localMemBytes, long maxWorkGroup, boolean fp64, String buildOptions) {

    /** No emulation: the device as it is. */
    public static final DeviceProfile NONE = new DeviceProfile("none", Long.MAX_VALUE, Long.MAX_VALUE, true, "");

    private static final Map<String, DeviceProfile> NAMED = new LinkedHashMap<>();

    static {
        for (DeviceProfile p : new DeviceProfile[] {
            NONE,
            // an NVIDIA data-centre GPU: 48 KiB of local memory per work-group (without opt-in), work-groups up to 1024
            new DeviceProfile("nvidia-48k", 48 << 10, 1024, true, ""),
            // an AMD Instinct GPU: 64 KiB local memory (LDS), work-groups up to 256
            new DeviceProfile("amd-64k", 64 << 10, 256, true, ""),
            // a GPU without float64 (Intel Arc): float32 only, double literals compiled as float
            new DeviceProfile("no-fp64", Long.MAX_VALUE, Long.MAX_VALUE, false, "-cl-single-precision-constant"),
            // the fast-math preset: finite-math-only and unsafe optimisations allowed
            new DeviceProfile("fast-math", Long.MAX_VALUE, Long.MAX_VALUE, true, "-cl-fast-relaxed-math")}) {
            NAMED.put(p.name(), p);
        }
    }

    /** Validates the caps. */
    public DeviceProfile {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("device profile name must not be empty");
        }
        if (localMemBytes < 0 || maxWorkGroup < 1) {
            throw new IllegalArgumentException("device profile " + name + ": local memory must be ≥ 0 and work-group ≥ 1, got "
                + localMemBytes + " bytes, " + maxWorkGroup);
        }
        buildOptions = buildOptions == null ? "" : buildOptions.trim();
    }

    /**
     * A named profile: {@code none}, {@code nvidia-48k} (48 KiB local, work-group ≤ 1024), {@code amd-64k}
     * (64 KiB, ≤ 256), {@code no-fp64} (float32 only, {@code -cl-single-precision-constant}) or
     * {@code fast-math} ({@code -cl-fast-relaxed-math}). Null or empty is {@link #NONE}.
     */
    public static DeviceProfile named(String name) {
        if (name == null || name.isBlank()) {
            return NONE;
        }
        DeviceProfile p = NAMED.get(name.trim().toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new IllegalArgumentException("device profile must be one of " + String.join(", ", NAMED.keySet())
                + ", got '" + name + "'");
        }
        return p;
    }

    /** The names of the named profiles. */
    public static Iterable<String> names() {
        return NAMED.keySet();
    }

    /** The device's limits under this profile. */
    public DeviceLimits apply(DeviceLimits d) {
        return new DeviceLimits(Math.min(d.maxWorkGroup(), maxWorkGroup), Math.min(d.maxWorkItemSizeX(), maxWorkGroup),
            Math.min(d.localMemBytes(), localMemBytes), d.localMemDedicated(), d.maxAllocBytes(), d.fp64() && fp64,
            d.singleFpConfig());
    }

    /** Whether this profile changes anything. */
    public boolean emulates() {
        return !equals(NONE);
    }

    /** What the profile caps, for the backend's log line. */
    public String describe() {
        StringBuilder b = new StringBuilder("emulating ").append(name).append(':');
        if (localMemBytes != Long.MAX_VALUE) {
            b.append(" local memory ≤ ").append(localMemBytes >> 10).append(" KiB,");
        }
        if (maxWorkGroup != Long.MAX_VALUE) {
            b.append(" work-group ≤ ").append(maxWorkGroup).append(',');
        }
        if (!fp64) {
            b.append(" no fp64,");
        }
        if (!buildOptions.isEmpty()) {
            b.append(" build options ").append(buildOptions).append(',');
        }
        b.setLength(b.length() - 1);
        return b.toString();
    }
}
