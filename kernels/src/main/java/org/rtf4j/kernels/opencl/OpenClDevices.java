package org.rtf4j.kernels.opencl;

import static org.jocl.CL.CL_DEVICE_EXTENSIONS;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_TYPE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_ITEM_SIZES;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_SINGLE_FP_CONFIG;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_LOCAL;
import static org.jocl.CL.CL_PLATFORM_NAME;

import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** Lists OpenCL platforms and devices and selects one by index or name. */
public final class OpenClDevices {
    private OpenClDevices() {
    }

    /** A listed device with its handles, and how it was chosen (for the backend's one log line). */
    record Found(DeviceInfo info, cl_platform_id platform, cl_device_id device, String choice) {
    }

    /**
     * Every device of every platform; an empty list when no OpenCL platform is installed (or the ICD
     * loader library is missing), never an exception.
     */
    public static List<DeviceInfo> list() {
        List<DeviceInfo> out = new ArrayList<>();
        for (Found f : find()) {
            out.add(f.info());
        }
        return out;
    }

    /** Why no platform is available, or null if one is. */
    public static String unavailableReason() {
        try {
            CL.setExceptionsEnabled(true);
            int[] n = new int[1];
            CL.clGetPlatformIDs(0, null, n);
            return n[0] == 0 ? "no OpenCL platform is installed (ICD loader found none)" : null;
        } catch (UnsatisfiedLinkError | CLException | NoClassDefFoundError e) {
            return "OpenCL is not available: " + e.getMessage();
        }
    }

    static List<Found> find() {
        List<Found> out = new ArrayList<>();
        if (unavailableReason() != null) {
            return out;
        }
        int[] n = new int[1];
        CL.clGetPlatformIDs(0, null, n);
        cl_platform_id[] platforms = new cl_platform_id[n[0]];
        CL.clGetPlatformIDs(platforms.length, platforms, null);
        for (int pi = 0; pi < platforms.length; pi++) {
            String pname = string(platforms[pi]);
            int[] nd = new int[1];
            try {
                CL.clGetDeviceIDs(platforms[pi], CL_DEVICE_TYPE_ALL, 0, null, nd);
            } catch (CLException e) {
                continue;
            }
            cl_device_id[] devices = new cl_device_id[nd[0]];
            CL.clGetDeviceIDs(platforms[pi], CL_DEVICE_TYPE_ALL, devices.length, devices, null);
            for (int di = 0; di < devices.length; di++) {
                cl_device_id d = devices[di];
                long type = longInfo(d, CL_DEVICE_TYPE);
                String t = (type & CL_DEVICE_TYPE_GPU) != 0 ? "GPU" : (type & CL_DEVICE_TYPE_CPU) != 0 ? "CPU"
                    : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "ACCELERATOR" : "OTHER";
                DeviceInfo info = new DeviceInfo(pi, pname, di, string(d, CL_DEVICE_NAME).trim(),
                    string(d, CL_DEVICE_VENDOR).trim(), string(d, CL_DEVICE_VERSION).trim(), t,
                    (int) intInfo(d, CL_DEVICE_MAX_COMPUTE_UNITS), longInfo(d, CL_DEVICE_GLOBAL_MEM_SIZE), limits(d));
                out.add(new Found(info, platforms[pi], d, ""));
            }
        }
        return out;
    }

    /**
     * Selects a device: {@code platform} and {@code device} are each an index or a case-insensitive name
     * substring, or null for "any" (see {@link #choose}). Throws naming what was asked and what exists.
     */
    static Found select(String platform, String device) {
        String why = unavailableReason();
        if (why != null) {
            throw new IllegalStateException(why);
        }
        List<Found> all = find();
        List<DeviceInfo> infos = new ArrayList<>();
        for (Found f : all) {
            infos.add(f.info());
        }
        Found f = all.get(choose(infos, platform, device));
        boolean open = (platform == null || platform.isEmpty()) && (device == null || device.isEmpty());
        String choice = open && all.size() > 1 ? "chosen as the first " + f.info().type() + " of " + all.size()
            + " devices (a GPU is preferred; --platform/--device choose another)" : "";
        return new Found(f.info(), f.platform(), f.device(), choice);
    }

    /**
     * The device to use among {@code devices} (in the ICD loader's order): of those matching
     * {@code platform} and {@code device} (each an index or a case-insensitive name substring; null or empty
     * matches all), the first GPU, else the first accelerator, else the first CPU, else the first device. So
     * with no choice given a GPU is preferred over a CPU device such as PoCL installed beside it, whatever
     * the platforms' order; a choice that names one device gets exactly that device.
     *
     * @return the index of the chosen device in {@code devices}
     * @throws IllegalArgumentException naming what was asked and every device there is, when none matches
     */
    public static int choose(List<DeviceInfo> devices, String platform, String device) {
        int best = -1;
        int bestRank = Integer.MAX_VALUE;
        for (int i = 0; i < devices.size(); i++) {
            DeviceInfo d = devices.get(i);
            if (matches(platform, d.platformIndex(), d.platformName()) && matches(device, d.deviceIndex(), d.name())) {
                int rank = rank(d.type());
                if (rank < bestRank) {
                    best = i;
                    bestRank = rank;
                }
            }
        }
        if (best < 0) {
            StringBuilder b = new StringBuilder("no OpenCL device matches --platform " + platform + " --device " + device
                + "; available: ");
            if (devices.isEmpty()) {
                b.append("none");
            }
            for (int i = 0; i < devices.size(); i++) {
                b.append(i == 0 ? "" : "; ").append(devices.get(i).describe());
            }
            throw new IllegalArgumentException(b.toString());
        }
        return best;
    }

    /** Preference of a device type when nothing narrower is asked: GPU, accelerator, CPU, other. */
    private static int rank(String type) {
        switch (type) {
            case "GPU":
                return 0;
            case "ACCELERATOR":
                return 1;
            case "CPU":
                return 2;
            default:
                return 3;
        }
    }

    private static boolean matches(String want, int index, String name) {
        if (want == null || want.isEmpty()) {
            return true;
        }
        if (want.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(want) == index;
        }
        return name.toLowerCase(java.util.Locale.ROOT).contains(want.toLowerCase(java.util.Locale.ROOT));
    }

    /** The device's launch limits, from its info queries. */
    private static DeviceLimits limits(cl_device_id d) {
        long[] items = new long[(int) Math.min(64, Math.max(1, intInfo(d, CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS)))];
        CL.clGetDeviceInfo(d, CL_DEVICE_MAX_WORK_ITEM_SIZES, (long) items.length * Sizeof.size_t, Pointer.to(items), null);
        return new DeviceLimits(sizeInfo(d, CL_DEVICE_MAX_WORK_GROUP_SIZE), items[0], longInfo(d, CL_DEVICE_LOCAL_MEM_SIZE),
            intInfo(d, CL_DEVICE_LOCAL_MEM_TYPE) == CL_LOCAL, longInfo(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
            string(d, CL_DEVICE_EXTENSIONS).contains("cl_khr_fp64"), longInfo(d, CL_DEVICE_SINGLE_FP_CONFIG));
    }

    private static String string(cl_platform_id p) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(p, CL_PLATFORM_NAME, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetPlatformInfo(p, CL_PLATFORM_NAME, buf.length, Pointer.to(buf), null);
        return new String(buf, 0, Math.max(0, buf.length - 1), java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    static String string(cl_device_id d, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return new String(buf, 0, Math.max(0, buf.length - 1), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long longInfo(cl_device_id d, int param) {
        long[] v = new long[1];
        CL.clGetDeviceInfo(d, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    private static long intInfo(cl_device_id d, int param) {
        int[] v = new int[1];
        CL.clGetDeviceInfo(d, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0];
    }

    private static long sizeInfo(cl_device_id d, int param) {
        long[] v = new long[1];
        CL.clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }
}
