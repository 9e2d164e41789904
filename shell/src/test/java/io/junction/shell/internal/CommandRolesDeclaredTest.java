package io.junction.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.security.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every command function of the shell declares, next to it in its component's properties, the role
 * a remote caller needs: read from the component descriptions bnd generated, as SCR registers them.
 */
class CommandRolesDeclaredTest {
    private static final Pattern ENTRY = Pattern.compile("([^=]+)=(.+)");

    @Test
    void everyFunctionDeclaresAValidRole() throws Exception {
        Map<String, Role> all = new TreeMap<>();
        for (Path xml : descriptions()) {
            Map<String, List<String>> props = properties(xml);
            List<String> functions = props.getOrDefault("osgi.command.function", List.of());
            if (functions.isEmpty()) {
                continue;
            }
            String scope = props.get("osgi.command.scope").get(0);
            Map<String, Role> roles = new HashMap<>();
            for (String entry : props.getOrDefault(Role.COMMAND_PROPERTY, List.of())) {
                Matcher m = ENTRY.matcher(entry);
                assertTrue(m.matches(), xml + ": " + entry);
                assertTrue(functions.contains(m.group(1)), xml + ": role for a function it does not have: " + entry);
                roles.put(m.group(1), Role.parse(m.group(2)));
            }
            for (String f : functions) {
                assertTrue(roles.containsKey(f), xml + ": no role declared for " + scope + ":" + f);
                all.put(scope + ":" + f, roles.get(f));
            }
        }
        // the policy, spot-checked
        assertEquals(Role.VIEWER, all.get("ems:list"));
        assertEquals(Role.VIEWER, all.get("ems:events"));
        assertEquals(Role.OPERATOR, all.get("ems:power"));
        assertEquals(Role.OPERATOR, all.get("ems:refresh"));
        assertEquals(Role.ADMIN, all.get("ems:credential"));
        assertEquals(Role.ADMIN, all.get("user:add"));
        assertFalse(all.isEmpty());
    }

    private static List<Path> descriptions() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target/classes/OSGI-INF"))) {
            return files.filter(p -> p.toString().endsWith(".xml")).toList();
        }
    }

    /** The component's properties, multi-valued ones (bnd writes them as element text, one per line) as lists. */
    private static Map<String, List<String>> properties(Path xml) throws Exception {
        Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile()).getDocumentElement();
        NodeList nodes = root.getElementsByTagName("property");
        Map<String, List<String>> props = new HashMap<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element p = (Element) nodes.item(i);
            List<String> values = new ArrayList<>();
            if (p.hasAttribute("value")) {
                values.add(p.getAttribute("value"));
            } else {
                p.getTextContent().lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(values::add);
            }
            props.put(p.getAttribute("name"), values);
        }
        return props;
    }
}
