package org.rtf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The module graph as the poms declare it: plain formats depend on no model module, the layer contract sits
 * below both layer families, which are peers, and dependencies point one way. A new arrow that breaks the
 * cut fails here, naming it.
 */
class ModuleGraphTest {
    private static final Path ROOT = Paths.get(System.getProperty("rtf4j.root", "..")).toAbsolutePath().normalize();

    /** Every module's compile-scope rtf4j dependencies, exactly. */
    private static final Map<String, Set<String>> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("formats", Set.of());
        EXPECTED.put("kernels", Set.of());
        EXPECTED.put("layer", Set.of("kernels"));
        EXPECTED.put("rtf", Set.of("layer"));
        EXPECTED.put("baselines", Set.of("layer"));
        EXPECTED.put("models", Set.of("rtf", "baselines", "formats"));
        EXPECTED.put("train", Set.of("models", "formats"));
        EXPECTED.put("cli", Set.of("train", "models", "formats"));
        EXPECTED.put("bench", Set.of("models", "train"));
    }

    private static Document pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static List<String> modules() throws Exception {
        NodeList ms = pom(ROOT.resolve("pom.xml")).getElementsByTagName("module");
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < ms.getLength(); i++) {
            out.add(ms.item(i).getTextContent().trim());
        }
        return out;
    }

    /** The rtf4j modules a module depends on outside test scope. */
    private static Set<String> dependencies(String module) throws Exception {
        Document d = pom(ROOT.resolve(module).resolve("pom.xml"));
        Element deps = (Element) d.getDocumentElement().getElementsByTagName("dependencies").item(0);
        Set<String> out = new TreeSet<>();
        if (deps == null) {
            return out;
        }
        NodeList list = deps.getElementsByTagName("dependency");
        for (int i = 0; i < list.getLength(); i++) {
            Element e = (Element) list.item(i);
            String group = text(e, "groupId");
            String scope = text(e, "scope");
            if ("org.rtf4j".equals(group) && !"test".equals(scope)) {
                out.add(text(e, "artifactId").replaceFirst("^rtf4j-", ""));
            }
        }
        return out;
    }

    private static String text(Element e, String tag) {
        NodeList n = e.getElementsByTagName(tag);
        return n.getLength() == 0 ? null : n.item(0).getTextContent().trim();
    }

    @Test
    void everyModuleDependsOnExactlyItsLayerBelow() throws Exception {
        assertEquals(EXPECTED.keySet(), new java.util.LinkedHashSet<>(modules()), "the modules of the root pom");
        for (String m : EXPECTED.keySet()) {
            assertTrue(Files.isRegularFile(ROOT.resolve(m).resolve("pom.xml")), m);
            assertEquals(new TreeSet<>(EXPECTED.get(m)), dependencies(m), "rtf4j dependencies of " + m);
        }
    }

    @Test
    void dependenciesPointOneWay() throws Exception {
        List<String> order = modules();
        for (String m : order) {
            for (String d : dependencies(m)) {
                assertTrue(order.indexOf(d) < order.indexOf(m), m + " depends on " + d + ", which the root pom lists after it");
            }
        }
        assertTrue(dependencies("formats").isEmpty(), "formats must not depend on a model module");
    }
}
