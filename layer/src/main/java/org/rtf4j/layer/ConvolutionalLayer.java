package org.rtf4j.layer;

import java.util.List;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.spectral.ConvShape;

/**
 * The part every convolutional SSM layer shares: input checks, per-shape backend buffers and the FFT
 * convolution (causal or two-sided) with its backward. A subclass generates the kernels (H, ℓ) of each
 * direction into {@code kf}/{@code kb} and turns their gradients {@code dkf}/{@code dkb} into parameter
 * gradients; everything stays in backend buffers between the two. The convolution runs at the backend's
 * FFT length ({@link Backend#convolutionFftLength}), so its transforms take that backend's fast path.
 *
 * <p><b>One host wait per call.</b> A device backend queues its work without waiting; a call of this class
 * blocks on the device once, on the read of its result. The forward queues the kernels
 * ({@link #generateKernels}), the input and the convolution, reads y, and only then lets the subclass check
 * what the kernels' generation read back ({@link #checkKernels}). The backward queues the convolution's
 * backward and the kernels' ({@link #enqueueKernelBackward}), reads du, and only then lets the subclass turn
 * what it read into parameter gradients ({@link #collectKernelBackward}). What a hook reads mid-call it reads
 * with {@code Backend.readLater} (or {@code readAddLater}) and awaits in the hook that follows the final
 * read, which has completed it.
 */
public abstract class ConvolutionalLayer implements SequenceLayer {
    protected final Backend be;
    protected final Precision p;
    protected final int h;
    protected final int maxLength;
    protected final boolean bidirectional;

    /** Current shape and its buffers; null until the first forward pass. */
    protected ConvShape conv;
    protected DeviceBuffer kf;
    protected DeviceBuffer kb;
    private DeviceBuffer u;
    private DeviceBuffer y;
    private DeviceBuffer kSpec;
    private DeviceBuffer uSpec;
    private DeviceBuffer gy;
    private DeviceBuffer du;
    protected DeviceBuffer dkf;
    protected DeviceBuffer dkb;
    private boolean forwardDone;
    private boolean closed;

    protected ConvolutionalLayer(Backend backend, Precision precision, int channels, int maxLength, boolean bidirectional) {
        if (backend == null || precision == null) {
            throw new IllegalArgumentException("backend and precision must not be null");
        }
        this.be = backend;
        this.p = precision;
        this.h = channels;
        this.maxLength = maxLength;
        this.bidirectional = bidirectional;
    }

    /**
     * Queues the kernels of every direction, (H, length) each, into {@link #kf} and {@link #kb}. Reads what
     * it needs to check with {@code Backend.readLater}, to be awaited in {@link #checkKernels}.
     */
    protected abstract void generateKernels(int length);

    /**
     * Runs once the kernels of the last {@link #generateKernels} are complete (after the call's final read):
     * awaits its deferred reads and throws {@link NumericalFailureException} if the kernels cannot be trusted.
     * Nothing by default.
     */
    protected void checkKernels() {
    }

    /**
     * Queues the parameter gradients' work from {@link #dkf} and {@link #dkb} (the kernels' gradients) and
     * reads the results with {@code Backend.readLater}/{@code readAddLater}, to be awaited in
     * {@link #collectKernelBackward}.
     */
    protected abstract void enqueueKernelBackward(int length);

    /** Awaits the reads of {@link #enqueueKernelBackward} and accumulates the parameter gradients from them. */
    protected abstract void collectKernelBackward();

    /** Releases the subclass's own buffers. */
    protected abstract void closeKernelResources();

    @Override
    public int channels() {
        return h;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public boolean bidirectional() {
        return bidirectional;
    }

    @Override
    public Precision precision() {
        return p;
    }

    /** The backend this layer runs on. */
    public Backend backend() {
        return be;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Blocks on the backend once, reading y. The kernels are checked after that read
     * ({@link #checkKernels}), so when this throws {@link NumericalFailureException} the contents of
     * {@code output} are unspecified (the convolution with the rejected kernels may have been written there).
     */
    @Override
    public void forward(double[] input, int batch, int length, double[] output) {
        beginForward(input == null ? -1 : input.length, output == null ? -1 : output.length, batch, length);
        finite("u", input);
        generateKernels(length);
        be.write(u, 0, input, 0, conv.signalLength());
        be.fftConv(conv, kf, kb, u, y, kSpec, uSpec);
        be.read(y, 0, output, 0, conv.signalLength());
        checkKernels();
        outputFinite(output);
        forwardDone = true;
    }

    /** As {@link #forward(double[], int, int, double[])}, in float32 host arrays. */
    @Override
    public void forward(float[] input, int batch, int length, float[] output) {
        beginForward(input == null ? -1 : input.length, output == null ? -1 : output.length, batch, length);
        finite("u", input);
        generateKernels(length);
        be.write(u, 0, input, 0, conv.signalLength());
        be.fftConv(conv, kf, kb, u, y, kSpec, uSpec);
        be.read(y, 0, output, 0, conv.signalLength());
        checkKernels();
        outputFinite(output);
        forwardDone = true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Queues the kernels' generation and the convolution from {@code input} into {@code output} without
     * reading either back; blocks once, on what {@link #checkKernels} reads (RTF's denominator magnitudes),
     * which runs before this returns. When that throws {@link NumericalFailureException} the contents of
     * {@code output} are unspecified. {@code input} may be overwritten after this returns (the backward pass
     * keeps its spectrum, not the buffer); it must not be {@code output}.
     */
    @Override
    public void forward(DeviceBuffer input, int batch, int length, DeviceBuffer output) {
        forwardDone = false;
        checkSignal("u", input, batch, length);
        checkSignal("y", output, batch, length);
        if (input == output) {
            throw new IllegalArgumentException("u and y must be different buffers");
        }
        checkParameters();
        prepare(batch, length);
        generateKernels(length);
        be.fftConv(conv, kf, kb, input, output, kSpec, uSpec);
        checkKernels();
        forwardDone = true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Queues the convolution's backward from {@code gradOut} into {@code gradIn} and the kernels'; blocks
     * once, on the parameter gradients' reads ({@link #collectKernelBackward}). {@code gradIn} may be
     * {@code gradOut}'s buffer only if the backend's convolution backward allows it (neither does): pass two.
     */
    @Override
    public void backward(DeviceBuffer gradOut, DeviceBuffer gradIn) {
        open();
        if (!forwardDone) {
            throw new IllegalStateException("backward needs a preceding forward pass");
        }
        checkSignal("gy", gradOut, conv.batch(), conv.length());
        checkSignal("du", gradIn, conv.batch(), conv.length());
        if (gradOut == gradIn) {
            throw new IllegalArgumentException("gy and du must be different buffers");
        }
        be.fftConvBackward(conv, kSpec, uSpec, gradOut, gradIn, dkf, dkb);
        enqueueKernelBackward(conv.length());
        collectBackward(false);
    }

    /** Convenience: a new output array. */
    public double[] forward(double[] input, int batch, int length) {
        double[] out = new double[MemoryCheck.arrayLength(kind().id() + " layer output (batch " + batch + " × channels "
            + h + " × length " + length + ")", MemoryCheck.times(Math.max(0, batch), h, Math.max(0, length)))];
        forward(input, batch, length, out);
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Blocks on the backend once, reading du; the parameter gradients are accumulated after that read.
     */
    @Override
    public void backward(double[] gradOut, double[] gradIn) {
        beginBackward(gradOut == null ? -1 : gradOut.length, gradIn == null ? -1 : gradIn.length);
        finite("gy", gradOut);
        be.write(gy, 0, gradOut, 0, conv.signalLength());
        enqueueBackward();
        be.read(du, 0, gradIn, 0, conv.signalLength());
        collectBackward(true);
    }

    /** As {@link #backward(double[], double[])}, in float32 host arrays. */
    @Override
    public void backward(float[] gradOut, float[] gradIn) {
        beginBackward(gradOut == null ? -1 : gradOut.length, gradIn == null ? -1 : gradIn.length);
        finite("gy", gradOut);
        be.write(gy, 0, gradOut, 0, conv.signalLength());
        enqueueBackward();
        be.read(du, 0, gradIn, 0, conv.signalLength());
        collectBackward(true);
    }

    private void beginForward(int inLength, int outLength, int batch, int length) {
        checkSignal("u", inLength, batch, length);
        checkSignal("y", outLength, batch, length);
        forwardDone = false;
        checkParameters();
        prepare(batch, length);
        hostSignals();
    }

    private void beginBackward(int gyLength, int duLength) {
        open();
        if (!forwardDone) {
            throw new IllegalStateException("backward needs a preceding forward pass");
        }
        checkSignal("gy", gyLength, conv.batch(), conv.length());
        checkSignal("du", duLength, conv.batch(), conv.length());
        hostSignals();
    }

    private void enqueueBackward() {
        be.fftConvBackward(conv, kSpec, uSpec, gy, du, dkf, dkb);
        enqueueKernelBackward(conv.length());
    }

    /** {@code checkedInput}: the output gradient was checked finite (the host-array paths). */
    private void collectBackward(boolean checkedInput) {
        collectKernelBackward();
        List<Parameter> ps = parameters();
        for (int i = 0; i < ps.size(); i++) {
            gradientFinite(ps.get(i), checkedInput);
        }
    }

    /**
     * Kernel generation and its gradient at {@code length}, as a forward+backward pass runs them but
     * without the convolution: what kernel benchmarks and speed-up studies time. The kernel gradient is
     * whatever the gradient buffers hold (zero until a backward pass wrote them); parameter gradients
     * accumulate. Blocks on the backend once: the kernels are checked ({@link #checkKernels}) after the
     * gradients' work was queued, so when this throws {@link NumericalFailureException} the parameter
     * gradients are unspecified. Invalidates the cached forward state.
     */
    public void kernelAndGradient(int length) {
        open();
        if (length < 1 || length > maxLength) {
            throw new IllegalArgumentException("length must be in [1, L = " + maxLength + "], got " + length);
        }
        checkParameters();
        forwardDone = false;
        prepare(conv == null ? 1 : conv.batch(), length);
        generateKernels(length);
        enqueueKernelBackward(length);
        checkKernels();
        collectKernelBackward();
    }

    /**
     * The kernel of direction d (0 forward/causal, 1 backward), shape (H, length), exactly as the
     * convolution uses it (for S4/S4D including the skip D at lag 0 of the forward kernel). Reuses the
     * layer's buffers, so call it outside a forward/backward pair.
     */
    public double[] kernel(int direction, int length) {
        open();
        if (direction < 0 || direction >= (bidirectional ? 2 : 1)) {
            throw new IllegalArgumentException("direction must be in [0, " + (bidirectional ? 2 : 1) + "), got " + direction);
        }
        if (length < 1 || length > maxLength) {
            throw new IllegalArgumentException("length must be in [1, L = " + maxLength + "], got " + length);
        }
        checkParameters();
        forwardDone = false;
        int batch = conv == null ? 1 : conv.batch();
        prepare(batch, length);
        generateKernels(length);
        double[] out = new double[h * length];
        be.read(direction == 0 ? kf : kb, 0, out, 0, out.length);
        checkKernels();
        return out;
    }

    /**
     * Bytes of the per-shape backend buffers of one convolution shape: the kernels and their gradients (2, or 4
     * when bidirectional, × H·ℓ), the signals u, y, gy and du (4 × B·H·ℓ; the host-array forms' only) and the
     * kernel and input spectra (2·(n/2 + 1)·H·(B + 1)), in the precision's bytes: an upper bound. n is the FFT length of the
     * backend that runs the layer, {@link Backend#convolutionFftLength}(ℓ) (before a backend exists, the
     * backend class's own rule, e.g. {@code JvmBackend.smoothFftLength}); on the JVM backend the buffers are
     * heap arrays. Saturates instead of overflowing.
     */
    public static long convolutionBytes(long batch, long channels, long length, long fftLength, boolean bidirectional,
                                        Precision precision) {
        if (fftLength < 2 * Math.min(length, Long.MAX_VALUE / 2) - 1) {
            throw new IllegalArgumentException("convolution FFT length n must be ≥ 2ℓ−1 for ℓ = " + length + ", got "
                + fftLength);
        }
        long bins = fftLength / 2 + 1;
        long kernels = MemoryCheck.times(bidirectional ? 4 : 2, channels, length);
        long signals = MemoryCheck.times(4, batch, channels, length);
        long spectra = MemoryCheck.times(2, bins, channels, MemoryCheck.plus(batch, 1));
        return MemoryCheck.times(MemoryCheck.plus(kernels, signals, spectra), precision.bytes());
    }

    private void prepare(int batch, int length) {
        if (conv != null && conv.batch() == batch && conv.length() == length) {
            return;
        }
        releaseShapeBuffers();
        ConvShape shape = ConvShape.of(batch, h, length, bidirectional, be);
        if (be.buffersOnHeap()) {
            MemoryCheck.require(kind().id() + " layer: batch " + batch + " × channels " + h + " × length " + length,
                convolutionBytes(batch, h, length, shape.fftLength(), bidirectional, p));
        }
        conv = shape;
        kf = be.allocate(p, conv.kernelLength());
        kb = bidirectional ? be.allocate(p, conv.kernelLength()) : null;
        kSpec = be.allocate(p, conv.kernelSpectrumLength());
        uSpec = be.allocate(p, conv.signalSpectrumLength());
        dkf = be.allocate(p, conv.kernelLength());
        dkb = bidirectional ? be.allocate(p, conv.kernelLength()) : null;
    }

    /**
     * The backend copies of the signals for the host-array forms (u, y, gy, du at the current shape), made on
     * their first use: the device-buffer forms never need them.
     */
    private void hostSignals() {
        if (u == null) {
            u = be.allocate(p, conv.signalLength());
            y = be.allocate(p, conv.signalLength());
            gy = be.allocate(p, conv.signalLength());
            du = be.allocate(p, conv.signalLength());
        }
    }

    private void releaseShapeBuffers() {
        for (DeviceBuffer b : new DeviceBuffer[] {kf, kb, u, y, kSpec, uSpec, gy, du, dkf, dkb}) {
            if (b != null) {
                b.close();
            }
        }
        conv = null;
        kf = kb = u = y = kSpec = uSpec = gy = du = dkf = dkb = null;
    }

    /** Throws if the layer is closed. */
    protected void open() {
        if (closed) {
            throw new IllegalStateException(kind().id() + " layer is closed");
        }
    }

    /** A signal buffer of the layer's precision with at least batch·H·length elements, else one line naming it. */
    private void checkSignal(String name, DeviceBuffer b, int batch, int length) {
        if (b == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        checkSignal(name, (int) Math.min(Integer.MAX_VALUE, (long) batch * h * Math.max(0, length)), batch, length);
        if (b.precision() != p) {
            throw new IllegalArgumentException(name + " is " + b.precision() + ", expected the layer's " + p);
        }
        long expected = (long) batch * h * length;
        if (b.length() < expected) {
            throw new IllegalArgumentException(name + " has " + b.length() + " elements, expected at least B*H*ell = "
                + batch + "*" + h + "*" + length + " = " + expected);
        }
    }

    private void checkSignal(String name, int actual, int batch, int length) {
        open();
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be ≥ 1, got " + batch);
        }
        if (length < 1 || length > maxLength) {
            throw new IllegalArgumentException("input length ℓ must be in [1, L = " + maxLength + "], got " + length);
        }
        long expected = (long) batch * h * length;
        if (actual != expected) {
            throw new IllegalArgumentException(name + " has " + (actual < 0 ? "no array" : actual + " elements")
                + ", expected B*H*ell = " + batch + "*" + h + "*" + length + " = " + expected);
        }
    }

    /** Every parameter finite, else IllegalArgumentException naming it (parameters are the caller's input). */
    protected void checkParameters() {
        List<Parameter> ps = parameters();
        for (int i = 0; i < ps.size(); i++) {
            finite("parameter ", ps.get(i).name(), ps.get(i).value());
        }
    }

    /** An input array of the caller finite, else IllegalArgumentException naming it. */
    protected static void finite(String name, double[] a) {
        finite("", name, a);
    }

    /**
     * As {@link #finite(String, double[])} for the array named {@code prefix + name}, the name joined only
     * when the check fails: these checks run on every pass, and a steady-state pass allocates nothing.
     */
    private static void finite(String prefix, String name, double[] a) {
        int i = Finite.firstNonFinite(a);
        if (i >= 0) {
            throw new IllegalArgumentException(prefix + name + " has a non-finite value " + a[i] + " at index " + i);
        }
    }

    /** An input array of the caller finite, else IllegalArgumentException naming it. */
    protected static void finite(String name, float[] a) {
        int i = Finite.firstNonFinite(a);
        if (i >= 0) {
            throw new IllegalArgumentException(name + " has a non-finite value " + a[i] + " at index " + i);
        }
    }

    /** The output computed from finite input and parameters finite, else a numerical failure. */
    private static void outputFinite(double[] a) {
        int i = Finite.firstNonFinite(a);
        if (i >= 0) {
            throw NumericalFailureException.nonFinite("output y overflowed to " + a[i] + " at index " + i
                + " (finite inputs and parameters; the kernel or the input is too large for the precision)",
                "output y", i, a[i]);
        }
    }

    /** The output computed from finite input and parameters finite, else a numerical failure. */
    private static void outputFinite(float[] a) {
        int i = Finite.firstNonFinite(a);
        if (i >= 0) {
            throw NumericalFailureException.nonFinite("output y overflowed to " + a[i] + " at index " + i
                + " (finite inputs and parameters; the kernel or the input is too large for float32)",
                "output y", i, a[i]);
        }
    }

    /**
     * The accumulated gradient of {@code p}, computed from a finite output gradient, finite, else a numerical
     * failure naming the parameter (the name is joined only then: a steady-state pass allocates nothing).
     */
    private static void gradientFinite(Parameter p, boolean checkedInput) {
        double[] g = p.grad();
        int i = Finite.firstNonFinite(g);
        if (i >= 0) {
            throw NumericalFailureException.nonFinite("gradient of " + p.name() + " has a non-finite value " + g[i]
                + " at index " + i + (checkedInput ? " (finite output gradient and parameters)"
                : " (finite parameters; the output gradient on the backend is not checked)"), "gradient of " + p.name(), i,
                g[i]);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        releaseShapeBuffers();
        closeKernelResources();
        closed = true;
    }
}
