package org.rtf4j.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headers that the reference readers refuse (huggingface/safetensors and its format notes; numpy's
 * {@code lib/format.py}) are refused here too, one class of fault per test, each with one line naming the
 * file, the tensor or key, and what is wrong; and what the reference readers accept (within the dtypes we
 * support) is still accepted. The npy cases were checked against numpy 2.4's {@code np.load}.
 */
class HostileFormatsTest {
    @TempDir
    Path dir;

    private static final String X8 = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    // ---- safetensors ----

    private Path st(String name, byte[] header, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).put(data);
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    private Path st(String name, String json, int dataBytes) throws IOException {
        return st(name, json.getBytes(StandardCharsets.UTF_8), new byte[dataBytes]);
    }

    private static String refused(Path f, Function<Path, ?> reader, String... fragments) {
        FileFormatException e = assertThrows(FileFormatException.class, () -> reader.apply(f));
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString()), m);
        assertFalse(m.contains("\n") || m.contains("\r"), "not one line: " + m);
        for (String s : fragments) {
            assertTrue(m.contains(s), "'" + m + "' lacks '" + s + "'");
        }
        return m;
    }

    private static String refusedSt(Path f, String... fragments) {
        return refused(f, SafeTensors::read, fragments);
    }

    @Test
    void safetensorsDuplicateTensorWithTheSameOffsetsIsRefusedByName() throws IOException {
        // last-wins before: the file read as one tensor
        refusedSt(st("same.safetensors", "{\"x\":" + X8 + ",\"x\":" + X8 + "}", 8), "tensor 'x' appears twice");
    }

    @Test
    void safetensorsDuplicateTensorAtOtherOffsetsIsRefusedByNameNotAsAGap() throws IOException {
        String json = "{\"x\":" + X8 + ",\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        String m = refusedSt(st("moved.safetensors", json, 16), "tensor 'x' appears twice");
        assertFalse(m.contains("gap"), m);
    }

    @Test
    void safetensorsDuplicateKeysInsideEntriesAndMetadataAreRefused() throws IOException {
        refusedSt(st("dtype2.safetensors", "{\"x\":{\"dtype\":\"F64\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
            "tensor 'x'", "'dtype' appears twice");
        refusedSt(st("meta2.safetensors", "{\"__metadata__\":{\"format\":\"pt\",\"format\":\"tf\"},\"x\":" + X8 + "}", 8),
            "__metadata__ key 'format' appears twice");
        refusedSt(st("metatwice.safetensors", "{\"__metadata__\":{},\"x\":" + X8 + ",\"__metadata__\":{\"a\":\"b\"}}", 8),
            "__metadata__ appears twice");
    }

    @Test
    void safetensorsEntryWithAKeyBeyondDtypeShapeOffsetsIsRefused() throws IOException {
        refusedSt(st("extra.safetensors", "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"offsets\":[0,8]}}", 8),
            "tensor 'x'", "unexpected key 'offsets'");
        refusedSt(st("missing.safetensors", "{\"x\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8), "tensor 'x'", "shape is missing");
    }

    @Test
    void safetensorsTextAfterTheHeaderObjectIsRefusedButSpacePaddingIsNot() throws IOException {
        refusedSt(st("junk.safetensors", "{\"x\":" + X8 + "} junk", 8), "after");
        refusedSt(st("two.safetensors", "{\"x\":" + X8 + "}{}", 8), "after");
        SafeTensors.Contents c = SafeTensors.read(st("padded.safetensors", "{\"x\":" + X8 + "}   \n\t ", 8));
        assertArrayEquals(new long[] {2}, c.tensors().get("x").shape());
    }

    @Test
    void safetensorsHeaderMustBeginWithABrace() throws IOException {
        refusedSt(st("lead.safetensors", " {\"x\":" + X8 + "}", 8), "begin with '{'");
        refusedSt(st("array.safetensors", "[1, 2]  ", 8), "begin with '{'");
    }

    @Test
    void safetensorsHeaderThatIsNotUnicodeIsRefused() throws IOException {
        byte[] h = ("{\"x\u00ff\":" + X8 + "}").getBytes(StandardCharsets.ISO_8859_1);
        refusedSt(st("latin1.safetensors", h, new byte[8]), "not valid UTF-8 at byte offset 3");
        refusedSt(st("surrogate.safetensors", "{\"x\\ud800\":" + X8 + "}", 8), "tensor name", "unpaired surrogate");
        refusedSt(st("msurrogate.safetensors", "{\"__metadata__\":{\"a\":\"\\udc00\"},\"x\":" + X8 + "}", 8),
            "__metadata__ value of 'a'", "unpaired surrogate");
    }

    @Test
    void safetensorsDimensionBeyondWhatATensorHoldsIsRefusedEvenWithZeroElements() throws IOException {
        refusedSt(st("zero.safetensors", "{\"x\":{\"dtype\":\"F32\",\"shape\":[0,3000000000],\"data_offsets\":[0,0]}}", 0),
            "tensor 'x'", "shape entry 1 is 3000000000", "2147483647");
        refusedSt(st("bigint.safetensors", "{\"x\":{\"dtype\":\"F32\",\"shape\":[0,99999999999999999999],\"data_offsets\":[0,0]}}", 0),
            "tensor 'x'", "shape entry 1 is 99999999999999999999");
    }

    @Test
    void safetensorsOffsetsThatEndBeforeTheyBeginSaySo() throws IOException {
        refusedSt(st("backwards.safetensors", "{\"x\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8),
            "tensor 'x'", "data_offsets [8, 0] end before they begin");
    }

    @Test
    void safetensorsNullMetadataIsAcceptedAsTheReferenceDoes() throws IOException {
        SafeTensors.Contents c = SafeTensors.read(st("nullmeta.safetensors", "{\"__metadata__\":null,\"x\":" + X8 + "}", 8));
        assertEquals(Map.of(), c.metadata());
        assertEquals(1, c.tensors().size());
    }

    @Test
    void safetensorsHostileNamesCannotBreakTheOneLineMessage() throws IOException {
        String m = refusedSt(st("nl.safetensors", "{\"a\\nb\\u001b[31m\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8),
            "tensor 'a\\nb\\u001b[31m'", "unsupported dtype 'I64'");
        assertFalse(m.contains("\u001b"), m);
        String longName = "w".repeat(5000);
        m = refusedSt(st("long.safetensors", "{\"" + longName + "\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8),
            "unsupported dtype");
        assertTrue(m.length() < 400, m);
    }

    // ---- npy ----

    private Path npy(String name, int major, int minor, byte[] header, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, (byte) minor});
        ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            len.putShort((short) header.length);
        } else {
            len.putInt(header.length);
        }
        b.write(len.array());
        b.write(header);
        b.write(data);
        Path f = dir.resolve(name);
        Files.write(f, b.toByteArray());
        return f;
    }

    private static final byte[] TWO = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.25).putDouble(-3).array();

    private Path npy(int major, String header) throws IOException {
        return npy("bad.npy", major, 0, header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1), TWO);
    }

    private static String refusedNpy(Path f, String... fragments) {
        return refused(f, Npy::read, fragments);
    }

    /** The header with the given dict body (v1), refused with these fragments. */
    private void npyRefused(String header, String... fragments) throws IOException {
        refusedNpy(npy(1, header), fragments);
    }

    @Test
    void npyKeyBeyondTheThreeNumpyAllowsIsRefused() throws IOException {
        npyRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 1}\n", "key 'extra'", "descr, fortran_order, shape");
        npyRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'meta': {'shape': (9,)}}\n", "key 'meta'");
        npyRefused("{'descr': '<f8', 'shape': (2,), }\n", "lacks the key 'fortran_order'");
    }

    @Test
    void npyDuplicateKeyIsRefusedByName() throws IOException {
        // numpy keeps the last (shape (1, 2)); we used to read the first
        npyRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'shape': (1, 2)}\n", "key 'shape' appears twice");
    }

    @Test
    void npyShapeMustBeATupleOfNonNegativeIntegers() throws IOException {
        npyRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (2)}\n", "shape must be a tuple", "got 2");
        npyRefused("{'descr': '<f8', 'fortran_order': False, 'shape': [2]}\n", "shape must be a tuple", "got [2]");
        npyRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (True, 2)}\n", "shape entry 0 is True, not an integer");
        npyRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (2.0,)}\n", "shape entry 0 is 2.0, not an integer");
        npyRefused("{'descr': '<f8', 'fortran_order': False, 'shape': ('2',)}\n", "shape entry 0 is '2', not an integer");
        npyRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (- 2,)}\n", "shape entry 0 is -2", "negative");
    }

    @Test
    void npyFortranOrderMustBeTrueOrFalse() throws IOException {
        npyRefused("{'descr': '<f8', 'fortran_order': Falsey, 'shape': (2,)}\n", "Falsey");
        npyRefused("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,)}\n", "fortran_order must be True or False, got 0");
    }

    @Test
    void npyDescrMustBeAString() throws IOException {
        npyRefused("{'descr': ('<f8', (1,)), 'fortran_order': False, 'shape': (2,)}\n", "descr must be a string", "('<f8', (1,))");
        npyRefused("{'descr': b'<f8', 'fortran_order': False, 'shape': (2,)}\n", "descr must be a string", "b'<f8'");
    }

    @Test
    void npyHeaderThatIsNotOnePythonLiteralIsRefused() throws IOException {
        npyRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } junk\n", "after");
        String junk = "{'descr': '<f8'x, 'fortran_order': False, 'shape': (2,)}\n";
        npyRefused(junk, "character " + (junk.indexOf('x') + 1));
        String comma = "{'descr': '<f8', 'fortran_order': False, 'shape': (,)}\n";
        npyRefused(comma, "character " + (comma.indexOf("(,") + 2));
        npyRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (02,)}\n", "'02'");
        npyRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (--2,)}\n", "sign");
        npyRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\0\0\n", "NUL");
        npyRefused("\n   {'descr': '<f8', 'fortran_order': False, 'shape': (2,)}\n", "indented");
        npyRefused("{'descr': '<f8\n', 'fortran_order': False, 'shape': (2,)}\n", "line break inside a string");
        npyRefused("dict(descr='<f8', fortran_order=False, shape=(2,))\n", "dict");
        npyRefused("", "empty");
    }

    @Test
    void npyHeadersNumpyAcceptsAreStillAccepted() throws IOException {
        String[] ok = {
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n",
            "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2,)}",
            "{'shape':(2,),'fortran_order':False,'descr':'<f8'}",
            "  {'descr': '<f8', # a comment\n 'fortran_order': False,\r\n 'shape': (0x2,)}   \n",
            "{'descr': '\\x3cf8', 'fortran_order': False, 'shape': (0b10,)}\n",
            "{'descr': '<' \"f8\", 'fortran_order': False, 'shape': (0o2, )}\n",
            "{'descr': u'<f8', 'fortran_order': (False), 'shape': ((2),)}\n",
            "{'descr': r'<f8', 'fortran_order': False, \\\n 'shape': (+2,)}\f\n",
            "{'descr': '''<f8''', 'fortran_order': False, 'shape': (2L,)}\n",
            "{'descr': '\\N{LESS-THAN SIGN}f8', 'fortran_order': False, 'shape': (1, 2 L)}\n",
            "  \n# leading comment\n{'descr': '\\74f8', 'fortran_order': False, 'shape': (2,)}\n",
        };
        for (String h : ok) {
            Tensor t = Npy.read(npy("ok.npy", 1, 0, h.getBytes(StandardCharsets.ISO_8859_1), TWO));
            assertArrayEquals(new double[] {1.25, -3}, t.data(), 0.0, h);
        }
        Tensor ten = Npy.read(npy("ten.npy", 1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (1_0,)}"
            .getBytes(StandardCharsets.ISO_8859_1), new byte[40]));
        assertArrayEquals(new long[] {10}, ten.shape());
        byte[] one = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(7).array();
        Tensor scalar = Npy.read(npy("scalar.npy", 2, 0, "{'descr': '<f8', 'fortran_order': False, 'shape': ()}"
            .getBytes(StandardCharsets.ISO_8859_1), one));
        assertArrayEquals(new long[0], scalar.shape());
        Tensor empty = Npy.read(npy("empty.npy", 3, 0, "{'descr': '<f8', 'fortran_order': False, 'shape': (-0, 3)} # é\n"
            .getBytes(StandardCharsets.UTF_8), new byte[0]));
        assertArrayEquals(new long[] {0, 3}, empty.shape());
    }

    @Test
    void npyVersionMustBeOneOfNumpysAndThePython2SuffixOnlyBeforeThree() throws IOException {
        byte[] h = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n".getBytes(StandardCharsets.ISO_8859_1);
        refusedNpy(npy("v11.npy", 1, 1, h, TWO), "version 1.1");
        refusedNpy(npy("v31.npy", 3, 1, h, TWO), "version 3.1");
        refusedNpy(npy(3, "{'descr': '<f8', 'fortran_order': False, 'shape': (2L,)}\n"), "'2L'");
        assertArrayEquals(new long[] {2}, Npy.read(npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (2L,)}\n")).shape());
    }

    @Test
    void npyVersion3HeaderThatIsNotUtf8IsRefused() throws IOException {
        byte[] h = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } \u00ff\n".getBytes(StandardCharsets.ISO_8859_1);
        refusedNpy(npy("v3.npy", 3, 0, h, TWO), "not valid UTF-8 at byte offset " + (h.length - 2));
    }

    @Test
    void npyHeaderLongerThanNumpysLimitIsRefused() throws IOException {
        String h = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }" + " ".repeat(20000) + "\n";
        refusedNpy(npy(2, h), h.length() + " characters", "numpy's limit of 10000");
    }

    @Test
    void npyDimensionBeyondWhatATensorHoldsIsRefusedEvenWithZeroElements() throws IOException {
        refusedNpy(npy("z.npy", 1, 0, "{'descr': '<f8', 'fortran_order': False, 'shape': (3000000000, 0)}\n"
            .getBytes(StandardCharsets.ISO_8859_1), new byte[0]), "shape entry 0 is 3000000000", "2147483647");
        npyRefused("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}\n", "shape entry 0 is 99999999999999999999");
    }

    @Test
    void npyHostileKeysCannotBreakTheOneLineMessage() throws IOException {
        String m = refusedNpy(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'a\\nb\\x1b': 1}\n"), "key 'a\\nb\\u001b'");
        assertFalse(m.contains("\u001b"), m);
        m = refusedNpy(npy(1, "{'descr': '" + "x".repeat(5000) + "', 'fortran_order': False, 'shape': (2,)}\n"), "unsupported dtype");
        assertTrue(m.length() < 400, m);
    }
}
