package org.rtf4j.models;

import org.rtf4j.baselines.S4Layer;
import org.rtf4j.baselines.S4dLayer;
import org.rtf4j.baselines.SsmConfig;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.layer.ConvolutionalLayer;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.SequenceLayer;
import org.rtf4j.rtf.RtfLayer;

/** Typed factory of every layer kind behind the {@link SequenceLayer} contract. */
public final class SequenceLayers {
    private SequenceLayers() {
    }

    /** A new layer of {@code spec.kind()} on the backend. */
    public static SequenceLayer create(LayerSpec spec, Backend backend) {
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null");
        }
        switch (spec.kind()) {
            case RTF:
                return new RtfLayer(spec.rtf(), backend);
            case S4D:
                return new S4dLayer(spec.ssm(), backend);
            case S4:
                return new S4Layer(spec.ssm(), backend);
            default:
                throw new IllegalArgumentException("unknown layer kind " + spec.kind());
        }
    }

    /**
     * Heap bytes of the host arrays of a layer of {@code spec} (parameters with their gradients, host work
     * arrays, initialisation tables): {@link RtfLayer#hostBytes}, {@link S4dLayer#hostBytes} or
     * {@link S4Layer#hostBytes}. Validates the spec as building it would.
     */
    public static long hostBytes(LayerSpec spec) {
        switch (spec.kind()) {
            case RTF:
                return RtfLayer.hostBytes(spec.rtf());
            case S4D:
                return S4dLayer.hostBytes(spec.ssm());
            default:
                return S4Layer.hostBytes(spec.ssm());
        }
    }

    /**
     * Bytes of the backend buffers of a layer of {@code spec} after a forward and backward pass at
     * ({@code batch}, {@code length}) (batch 0: before any pass, {@code fftLength} ignored): the kind's own
     * buffers and the convolution's ({@link ConvolutionalLayer#convolutionBytes}) at {@code fftLength}, the FFT
     * length of the backend that runs the layer ({@link Backend#convolutionFftLength}(length), or before a
     * backend exists its class's rule, e.g. {@link org.rtf4j.kernels.jvm.JvmBackend#smoothFftLength}). On the
     * JVM backend they are heap arrays, to which the backend adds its workspace
     * ({@link org.rtf4j.kernels.jvm.JvmBackend#workspaceBytes}).
     */
    public static long bufferBytes(LayerSpec spec, long batch, long length, long fftLength) {
        long own;
        switch (spec.kind()) {
            case RTF:
                own = RtfLayer.bufferBytes(spec.rtf());
                break;
            case S4D:
                own = S4dLayer.bufferBytes(spec.ssm());
                break;
            default:
                own = S4Layer.bufferBytes(spec.ssm());
                break;
        }
        return batch == 0 ? own : MemoryCheck.plus(own, ConvolutionalLayer.convolutionBytes(batch, spec.channels(),
            length, fftLength, spec.bidirectional(), spec.precision()));
    }

    /** A new S4D or S4 layer from its full configuration. */
    public static SequenceLayer create(SsmConfig config, Backend backend) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        return config.kind() == org.rtf4j.layer.LayerKind.S4 ? new S4Layer(config, backend) : new S4dLayer(config, backend);
    }
}
