package org.rtf4j.kernels.opencl;

import static org.jocl.CL.CL_FALSE;
import static org.jocl.CL.CL_TRUE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_event;
import org.rtf4j.kernels.backend.PendingRead;
import org.rtf4j.kernels.backend.Precision;

/**
 * The host transfers of one runtime: queued writes from host arrays, blocking reads and deferred reads
 * ({@link ClRead}), all but the blocking reads through direct, native-order host staging buffers (JOCL
 * queues a non-blocking transfer only from direct memory) of at most {@link #STAGING_CHUNK} bytes each, so
 * longer transfers are queued in pieces. A write's staging buffer stays referenced by its pending command
 * and is kept for reuse once the runtime collected it; a deferred read's pieces once delivered. The commands'
 * events are the runtime's ({@link ClRuntime#queued}, {@link ClRuntime#blocked}). Used under the runtime's lock.
 */
final class ClTransfers {
    /** Bytes of one host staging buffer at most, by default; longer transfers are queued in pieces. */
    static final int STAGING_CHUNK = 1 << 26;
    /** Bytes of staging buffers kept for reuse at most. */
    private static final long STAGING_KEPT = 1L << 28;

    private final ClRuntime rt;
    private final cl_command_queue queue;
    private final Map<Integer, ArrayDeque<ByteBuffer>> staging = new HashMap<>();
    private long stagedBytes;
    private int stagingChunk = STAGING_CHUNK;

    ClTransfers(ClRuntime rt, cl_command_queue queue) {
        this.rt = rt;
        this.queue = queue;
    }

    /** Sets the bytes of one staging piece (a multiple of 8, at most {@link #STAGING_CHUNK}; for the tests). */
    void setStagingChunk(int bytes) {
        if (bytes < 8 || bytes % 8 != 0 || bytes > STAGING_CHUNK) {
            throw new IllegalArgumentException("staging chunk must be a multiple of 8 in [8, " + STAGING_CHUNK + "], got "
                + bytes);
        }
        stagingChunk = bytes;
    }

    /** Drops the staging buffers kept for reuse (at close). */
    void release() {
        staging.clear();
        stagedBytes = 0;
    }

    /** Queues a write of {@code length} values (rounded to d's precision) from a host array; no wait. */
    void write(ClBuffer d, int offset, double[] src, int srcOffset, int length) {
        int chunk = stagingChunk / d.precision.bytes();
        for (int done = 0; done < length; done += Math.min(chunk, length - done)) {
            int n = Math.min(chunk, length - done);
            ByteBuffer b = stage((long) n * d.precision.bytes());
            if (d.precision == Precision.F64) {
                b.asDoubleBuffer().put(src, srcOffset + done, n);
            } else {
                FloatBuffer f = b.asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    f.put(i, (float) src[srcOffset + done + i]);
                }
            }
            copyIn(d, offset + done, n, b);
        }
    }

    /** Queues a write of {@code length} values from a host array; no wait. */
    void write(ClBuffer d, int offset, float[] src, int srcOffset, int length) {
        int chunk = stagingChunk / d.precision.bytes();
        for (int done = 0; done < length; done += Math.min(chunk, length - done)) {
            int n = Math.min(chunk, length - done);
            ByteBuffer b = stage((long) n * d.precision.bytes());
            if (d.precision == Precision.F32) {
                b.asFloatBuffer().put(src, srcOffset + done, n);
            } else {
                DoubleBuffer f = b.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    f.put(i, src[srcOffset + done + i]);
                }
            }
            copyIn(d, offset + done, n, b);
        }
    }

    /** Queues a write of {@code length} integers into a 4-byte-element buffer; no wait. */
    void writeInts(ClBuffer d, int offset, int[] src, int srcOffset, int length) {
        int chunk = stagingChunk / 4;
        for (int done = 0; done < length; done += Math.min(chunk, length - done)) {
            int n = Math.min(chunk, length - done);
            ByteBuffer b = stage(4L * n);
            b.asIntBuffer().put(src, srcOffset + done, n);
            copyIn(d, offset + done, n, b);
        }
    }

    /** A blocking read of integers from a 4-byte-element buffer. */
    void readInts(ClBuffer s, int offset, int[] dst, int dstOffset, int length) {
        copyOut(s, offset, length, Pointer.to(dst).withByteOffset(4L * dstOffset));
    }

    /** A blocking read: the one kind of host wait of normal operation. */
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

    /** A blocking read: the one kind of host wait of normal operation. */
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

    /**
     * Queues a read of {@code length ≥ 1} values into staging buffers and returns its handle; the values
     * reach {@code dst} (copied, or added when {@code add}) in {@link PendingRead#await()}. No wait.
     */
    PendingRead readLater(ClBuffer s, int offset, double[] dst, int dstOffset, int length, boolean add) {
        int per = s.precision.bytes();
        int chunk = stagingChunk / per;
        ClRead r = new ClRead(s.precision, dst, dstOffset, length, add, (int) ((length + (long) chunk - 1) / chunk), chunk);
        for (int k = 0; k < r.stages.length; k++) {
            int n = (int) Math.min(chunk, length - (long) k * chunk);
            long bytes = (long) n * per;
            ByteBuffer b = stage(bytes);
            cl_event ev = new cl_event();
            try {
                CL.clEnqueueReadBuffer(queue, s.mem, CL_FALSE, (offset + (long) k * chunk) * per, bytes, Pointer.to(b), 0,
                    null, ev);
            } catch (CLException e) {
                throw rt.translate(e, "reading " + bytes + " bytes");
            }
            r.stages[k] = b;
            rt.queued(ev, "COPY_TO_HOST", "readLater", bytes, null, r);
        }
        rt.flush();
        return r;
    }

    private void copyIn(ClBuffer d, int offset, int length, ByteBuffer b) {
        long bytes = (long) length * d.precision.bytes();
        cl_event ev = new cl_event();
        try {
            CL.clEnqueueWriteBuffer(queue, d.mem, CL_FALSE, (long) offset * d.precision.bytes(), bytes, Pointer.to(b), 0,
                null, ev);
        } catch (CLException e) {
            unstage(b);
            throw rt.translate(e, "writing " + bytes + " bytes");
        }
        rt.queued(ev, "COPY_TO_DEVICE", "write", bytes, b, null);
    }

    private void copyOut(ClBuffer s, int offset, int length, Pointer ptr) {
        long bytes = (long) length * s.precision.bytes();
        String what = "reading " + bytes + " bytes";
        cl_event ev = new cl_event();
        long t0 = System.nanoTime();
        try {
            CL.clEnqueueReadBuffer(queue, s.mem, CL_TRUE, (long) offset * s.precision.bytes(), bytes, ptr, 0, null, ev);
        } catch (CLException e) {
            throw rt.failure(what, e);
        }
        rt.blocked(ev, "COPY_TO_HOST", "read", bytes, what, t0, System.nanoTime());
    }

    /** A direct, native-order staging buffer of at least {@code bytes} (≤ {@link #STAGING_CHUNK}), reused if one is kept. */
    private ByteBuffer stage(long bytes) {
        int capacity = Math.max(256, Integer.highestOneBit((int) bytes - 1) << 1);
        ArrayDeque<ByteBuffer> kept = staging.get(capacity);
        ByteBuffer b = kept == null ? null : kept.pollFirst();
        if (b == null) {
            return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
        }
        stagedBytes -= capacity;
        return b;
    }

    /** Keeps a staging buffer whose command completed for reuse, up to {@link #STAGING_KEPT} bytes in all. */
    void unstage(ByteBuffer b) {
        if (rt.isClosed() || stagedBytes + b.capacity() > STAGING_KEPT) {
            return;
        }
        staging.computeIfAbsent(b.capacity(), c -> new ArrayDeque<>()).addFirst(b);
        stagedBytes += b.capacity();
    }

    /**
     * A deferred read of {@link #readLater}: one or more staging pieces, each a pending command; complete
     * when every piece was collected; delivered (copied or added into the host array, staging reused) once,
     * in {@link #await()}. Its fields are guarded by the runtime's lock; the runtime's
     * event bookkeeping counts its collected pieces and sets its failure.
     */
    final class ClRead implements PendingRead {
        final Precision precision;
        final double[] dst;
        final int dstOffset;
        final int length;
        final boolean add;
        final int chunk;
        final ByteBuffer[] stages;
        int collected;
        String failure;
        boolean delivered;

        ClRead(Precision precision, double[] dst, int dstOffset, int length, boolean add, int pieces, int chunk) {
            this.precision = precision;
            this.dst = dst;
            this.dstOffset = dstOffset;
            this.length = length;
            this.add = add;
            this.chunk = chunk;
            this.stages = new ByteBuffer[pieces];
        }

        @Override
        public void await() {
            rt.lock.lock();
            try {
                if (delivered) {
                    return;
                }
                if (failure == null && collected < stages.length) {
                    rt.requireOpen();
                    rt.waitAll("readLater");
                }
                if (failure != null) {
                    throw new IllegalStateException(failure);
                }
                deliver();
            } finally {
                rt.lock.unlock();
            }
        }

        @Override
        public boolean complete() {
            rt.lock.lock();
            try {
                return delivered || failure != null || collected == stages.length;
            } finally {
                rt.lock.unlock();
            }
        }

        private void deliver() {
            for (int k = 0; k < stages.length; k++) {
                int n = (int) Math.min(chunk, length - (long) k * chunk);
                int o = dstOffset + k * chunk;
                if (precision == Precision.F64) {
                    DoubleBuffer v = stages[k].asDoubleBuffer();
                    if (add) {
                        for (int i = 0; i < n; i++) {
                            dst[o + i] += v.get(i);
                        }
                    } else {
                        v.get(dst, o, n);
                    }
                } else {
                    FloatBuffer v = stages[k].asFloatBuffer();
                    if (add) {
                        for (int i = 0; i < n; i++) {
                            dst[o + i] += v.get(i);
                        }
                    } else {
                        for (int i = 0; i < n; i++) {
                            dst[o + i] = v.get(i);
                        }
                    }
                }
                unstage(stages[k]);
                stages[k] = null;
            }
            delivered = true;
        }
    }
}
