package org.rtf4j.kernels.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_mem;
import org.rtf4j.kernels.backend.Precision;

/**
 * The device buffers of one runtime: allocation within the device's largest allocation, accounting, the
 * grow-only scratch buffers per role, the one-element dummies, and the report of caller buffers still
 * open at close. Every buffer not yet freed is in one set; caller buffers are counted in
 * {@link #liveBuffers()}, scratch and tables are not, and all are in {@link #liveBytes()}. Used under the
 * runtime's lock.
 */
final class ClMemory {
    private static final System.Logger LOG = System.getLogger("org.rtf4j.backend");
    private static final StackWalker WALKER = StackWalker.getInstance();
    /** Most open buffers listed one by one in the report of {@link #freeAll()}. */
    static final int LISTED = 8;

    private final ClRuntime rt;
    private final cl_context context;
    private final Set<ClBuffer> buffers = new LinkedHashSet<>();
    private final Map<String, ClBuffer> scratch = new HashMap<>();
    private final Map<Precision, ClBuffer> dummies = new EnumMap<>(Precision.class);
    private int liveBuffers;
    private long liveBytes;

    ClMemory(ClRuntime rt, cl_context context) {
        this.rt = rt;
        this.context = context;
    }

    int liveBuffers() {
        return liveBuffers;
    }

    long liveBytes() {
        return liveBytes;
    }

    /** A caller's buffer (counted, its allocating method recorded), not yet zeroed. */
    ClBuffer caller(Precision p, int length) {
        return create(p, length, true, callerOrigin());
    }

    /** A buffer of the backend's own (scratch, tables): not counted as a caller buffer, freed at close. */
    ClBuffer internal(Precision p, int length) {
        return create(p, length, false, null);
    }

    private ClBuffer create(Precision p, int length, boolean counted, String origin) {
        DeviceInfo info = rt.info();
        long bytes = ClBuffer.bytes(p, length);
        if (bytes > info.maxAllocBytes()) {
            throw new IllegalStateException(String.format("device out of memory: a buffer of %d bytes exceeds the largest "
                + "allocation %d of %s", bytes, info.maxAllocBytes(), info.name()));
        }
        cl_mem mem;
        try {
            mem = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
        } catch (CLException e) {
            throw rt.translate(e, "allocating " + bytes + " bytes");
        }
        ClBuffer b = new ClBuffer(rt, p, length, counted, origin, mem);
        buffers.add(b);
        if (counted) {
            liveBuffers++;
        }
        liveBytes += bytes;
        return b;
    }

    /** Frees a buffer; nothing if it is freed already. */
    void free(ClBuffer b) {
        if (b.mem != null) {
            CL.clReleaseMemObject(b.mem);
            b.mem = null;
            if (b.counted) {
                liveBuffers--;
            }
            liveBytes -= b.bytes();
        }
        buffers.remove(b);
    }

    /** The caller of {@link OpenClBackend#allocate}, as class.method:line (one short stack walk). */
    private static String callerOrigin() {
        return WALKER.walk(s -> s.filter(f -> !f.getClassName().equals(ClMemory.class.getName())
                && !f.getClassName().equals(ClRuntime.class.getName()) && !f.getClassName().equals(OpenClBackend.class.getName()))
            .findFirst().map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber()).orElse("?"));
    }

    /** A grow-only scratch buffer of at least {@code elements} for one role. */
    ClBuffer scratch(Precision p, String role, long elements) {
        if (elements > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("device out of memory: scratch '" + role + "' needs " + elements + " elements");
        }
        String key = p + ":" + role;
        ClBuffer b = scratch.get(key);
        if (b == null || b.length < elements) {
            if (b != null) {
                free(b);
            }
            b = internal(p, (int) Math.max(1, elements));
            scratch.put(key, b);
        }
        return b;
    }

    /** A one-element buffer for optional buffer arguments that a kernel does not read. */
    ClBuffer dummy(Precision p) {
        return dummies.computeIfAbsent(p, q -> internal(q, 1));
    }

    /**
     * Reports the caller buffers still open (one warning on {@code org.rtf4j.backend}: count, bytes, and the
     * size and origin of the first {@value #LISTED}) and frees every buffer.
     */
    void freeAll() {
        report();
        for (ClBuffer b : new ArrayList<>(buffers)) {
            free(b);
        }
        scratch.clear();
        dummies.clear();
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
