package org.rtf4j.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Sequential MNIST ({@code smnist}) and permuted sequential MNIST ({@code psmnist}) from the cache of
 * {@code ./rtf4j setup-data mnist}: each image is a sequence of 784 real inputs (pixel/255, one channel) and its
 * label 0–9. sMNIST reads pixels row by row; psMNIST reads them in the order {@link #permutation()}. Splits are
 * the official ones (60,000 training and 10,000 test images), in the files' order. The cache is verified
 * (sizes and SHA-256) when the task is opened. When the config has no data directory,
 * {@link DataSetup#defaultDataDir()} is used.
 */
public final class MnistTask implements Dataset {

    static final TaskOptions SEQUENTIAL_OPTIONS = new TaskOptions("smnist");
    static final TaskOptions PERMUTED_OPTIONS = new TaskOptions("psmnist");

    private final TaskSpec spec;
    private final int[] order;
    private final Map<Split, byte[]> images = new EnumMap<>(Split.class);
    private final Map<Split, byte[]> labels = new EnumMap<>(Split.class);

    /** Opens the task from the cache. */
    public static MnistTask open(TaskConfig config, boolean permuted) {
        (permuted ? PERMUTED_OPTIONS : SEQUENTIAL_OPTIONS).parse(config.options());
        Path dataDir = config.dataDir() != null ? config.dataDir() : DataSetup.defaultDataDir();
        return new MnistTask(dataDir, permuted);
    }

    MnistTask(Path dataDir, boolean permuted) {
        String name = permuted ? "psmnist" : "smnist";
        this.spec = new TaskSpec(name, 0, 1, 10, TaskSpec.Target.SEQUENCE_CLASS, MnistFormat.PIXELS);
        this.order = permuted ? permutation() : null;
        Path dir = DataCache.dir(dataDir, "mnist");
        try {
            DataCache.Manifest m = DataCache.verify(dataDir, "mnist", true);
            for (Split s : Split.values()) {
                byte[] img = Files.readAllBytes(dir.resolve(MnistFormat.imagesFile(s)));
                byte[] lab = Files.readAllBytes(dir.resolve(MnistFormat.labelsFile(s)));
                Integer count = m.counts().get(s.label());
                if (count == null || lab.length != count || img.length != (long) count * MnistFormat.PIXELS) {
                    throw new IOException(dir + ": " + s.label() + " expected " + count + " images and labels, got "
                        + img.length / MnistFormat.PIXELS + " and " + lab.length);
                }
                images.put(s, img);
                labels.put(s, lab);
            }
        } catch (IOException e) {
            throw new IllegalStateException(name + ": the MNIST cache in " + dir + " is missing or invalid ("
                + org.rtf4j.formats.IoMessages.describe(e) + "); run ./rtf4j setup-data mnist", e);
        }
    }

    /**
     * The psMNIST pixel order: the 10-bit bit reversal of 0…1023, keeping the values below 784, in that order;
     * a permutation of 0…783 (time step t reads pixel {@code permutation()[t]}).
     */
    public static int[] permutation() {
        int[] p = new int[MnistFormat.PIXELS];
        int n = 0;
        for (int i = 0; i < 1024; i++) {
            int r = Integer.reverse(i) >>> 22;
            if (r < MnistFormat.PIXELS) {
                p[n++] = r;
            }
        }
        return p;
    }

    @Override
    public TaskSpec spec() {
        return spec;
    }

    @Override
    public int size(Split split) {
        return labels.get(split).length;
    }

    @Override
    public Example get(Split split, long index) {
        byte[] lab = labels.get(split);
        if (index < 0 || index >= lab.length) {
            throw new IndexOutOfBoundsException(spec.name() + ": " + split.label() + " index expected in [0, "
                + lab.length + "), got " + index);
        }
        byte[] img = images.get(split);
        int base = (int) index * MnistFormat.PIXELS;
        float[] f = new float[MnistFormat.PIXELS];
        for (int t = 0; t < f.length; t++) {
            int pixel = order == null ? t : order[t];
            f[t] = (img[base + pixel] & 0xff) / 255f;
        }
        return Example.features(f, 1, lab[(int) index]);
    }
}
