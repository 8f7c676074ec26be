package org.rtf4j.train.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * IMDB sentiment as byte-level text classification (LRA Text) from the cache of {@code ./rtf4j setup-data imdb}:
 * the tokens are the review's UTF-8 bytes plus one ({@code id = byte + 1}, 1–256; 0 is reserved for padding, so
 * the vocabulary is 257), truncated to {@code max-length}; label 0 = negative, 1 = positive. Splits are the
 * official 25,000/25,000, each with its negatives first (see {@link ImdbFormat}); the text is the package's
 * as is (HTML line breaks {@code <br />} included, as in LRA). The cache is verified (sizes and
 * SHA-256) when the task is opened. When the config has no data directory, {@link DataSetup#defaultDataDir()} is
 * used.
 */
public final class ImdbTask implements Dataset {

    /** Token ids: byte + 1, and 0 for padding. */
    public static final int VOCABULARY = 257;

    static final TaskOptions OPTIONS = new TaskOptions("imdb")
        .add("max-length", 4096, "bytes kept from the start of each review");

    private final TaskSpec spec;
    private final Map<Split, byte[]> text = new EnumMap<>(Split.class);
    private final Map<Split, long[]> offsets = new EnumMap<>(Split.class);
    private final Map<Split, byte[]> labels = new EnumMap<>(Split.class);

    /** Opens the task from the cache. */
    public static ImdbTask open(TaskConfig config) {
        TaskOptions.Values v = OPTIONS.parse(config.options());
        int maxLength = v.integer("max-length", 1, 1 << 24);
        Path dataDir = config.dataDir() != null ? config.dataDir() : DataSetup.defaultDataDir();
        return new ImdbTask(dataDir, maxLength);
    }

    ImdbTask(Path dataDir, int maxLength) {
        this.spec = new TaskSpec("imdb", VOCABULARY, 0, 2, TaskSpec.Target.SEQUENCE_CLASS, maxLength);
        Path dir = DataCache.dir(dataDir, "imdb");
        try {
            DataCache.Manifest m = DataCache.verify(dataDir, "imdb", true);
            for (Split s : Split.values()) {
                byte[] t = Files.readAllBytes(dir.resolve(ImdbFormat.textFile(s)));
                byte[] l = Files.readAllBytes(dir.resolve(ImdbFormat.labelsFile(s)));
                ByteBuffer ob = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(ImdbFormat.offsetsFile(s))))
                    .order(ByteOrder.LITTLE_ENDIAN);
                long[] o = new long[ob.remaining() / 8];
                ob.asLongBuffer().get(o);
                Integer count = m.counts().get(s.label());
                if (count == null || l.length != count || o.length != count + 1 || o[0] != 0 || o[count] != t.length) {
                    throw new IOException(dir + ": " + s.label() + " expected " + count + " reviews with " + (count == null
                        ? "?" : count + 1) + " offsets ending at " + t.length + ", got " + l.length + " labels and "
                        + o.length + " offsets");
                }
                for (int i = 0; i < count; i++) {
                    if (o[i + 1] <= o[i] || l[i] < 0 || l[i] > 1) {
                        throw new IOException(dir + ": " + s.label() + " review " + i + " has an empty text or a label"
                            + " other than 0/1");
                    }
                }
                text.put(s, t);
                offsets.put(s, o);
                labels.put(s, l);
            }
        } catch (IOException e) {
            throw new IllegalStateException("imdb: the IMDB cache in " + dir + " is missing or invalid ("
                + org.rtf4j.formats.IoMessages.describe(e) + "); run ./rtf4j setup-data imdb", e);
        }
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
            throw new IndexOutOfBoundsException("imdb: " + split.label() + " index expected in [0, " + lab.length
                + "), got " + index);
        }
        long[] o = offsets.get(split);
        int from = (int) o[(int) index];
        int n = (int) Math.min(o[(int) index + 1] - from, spec.maxLength());
        byte[] t = text.get(split);
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = (t[from + i] & 0xff) + 1;
        }
        return Example.tokens(tokens, lab[(int) index]);
    }
}
