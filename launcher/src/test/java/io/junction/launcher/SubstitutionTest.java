package io.junction.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubstitutionTest {

    private static final Map<String, String> SYSTEM = Map.of("junction.home", "/opt/my junction", "user", "me");

    @Test
    void substitutesKnownNames() {
        assertEquals("/opt/my junction/etc", Substitution.substitute("${junction.home}/etc", SYSTEM::get));
        assertEquals("me@/opt/my junction:me", Substitution.substitute("${user}@${junction.home}:${user}", SYSTEM::get));
    }

    @Test
    void leavesUnknownAndMalformedReferencesAlone() {
        assertEquals("${nope}/x", Substitution.substitute("${nope}/x", SYSTEM::get));
        assertEquals("${}", Substitution.substitute("${}", SYSTEM::get));
        assertEquals("a ${junction.home", Substitution.substitute("a ${junction.home", SYSTEM::get));
        assertEquals("$junction.home", Substitution.substitute("$junction.home", SYSTEM::get));
        assertEquals("plain", Substitution.substitute("plain", SYSTEM::get));
        assertEquals("", Substitution.substitute("", SYSTEM::get));
    }

    @Test
    void doesNotResubstituteReplacementText() {
        Map<String, String> system = Map.of("a", "${b}", "b", "x");
        assertEquals("${b}", Substitution.substitute("${a}", system::get));
    }

    @Test
    void resolvesReferencesToOtherFileProperties() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("log.dir", "${data.dir}/log");
        raw.put("data.dir", "${junction.home}/data");
        raw.put("user", "file value loses to system");
        raw.put("ref", "${user}");
        Map<String, String> resolved = Substitution.resolve(raw, SYSTEM::get);
        assertEquals("/opt/my junction/data/log", resolved.get("log.dir"));
        assertEquals("/opt/my junction/data", resolved.get("data.dir"));
        assertEquals("me", resolved.get("ref"));
        assertEquals(List.of("log.dir", "data.dir", "user", "ref"), List.copyOf(resolved.keySet()));
    }

    @Test
    void cyclesStayUnresolved() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("a", "${b}");
        raw.put("b", "${a}");
        raw.put("self", "x${self}");
        raw.put("x", "${a}-${ok}");
        raw.put("ok", "fine");
        Map<String, String> resolved = Substitution.resolve(raw, name -> null);
        assertEquals("${b}", resolved.get("a"));
        assertEquals("${a}", resolved.get("b"));
        assertEquals("x${self}", resolved.get("self"));
        assertEquals("${a}-fine", resolved.get("x"));
    }

    @Test
    void frameworkPropertiesReadTheFileAndAddDefaults(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/config.properties"),
                "# comment\nfelix.cm.dir=${junction.home}/data/config\nplain = value\n"
                        + "org.osgi.framework.storage.clean=none\n");
        String previous = System.getProperty("junction.home");
        System.setProperty("junction.home", home.toString());
        try {
            Map<String, String> config = Main.frameworkProperties(home);
            assertEquals(home + "/data/config", config.get("felix.cm.dir"));
            assertEquals("value", config.get("plain"));
            assertEquals(home.toString(), config.get("junction.home"));
            assertEquals(home.resolve("data/cache").toString(), config.get("org.osgi.framework.storage"));
            assertEquals("none", config.get("org.osgi.framework.storage.clean"));
        } finally {
            if (previous == null) {
                System.clearProperty("junction.home");
            } else {
                System.setProperty("junction.home", previous);
            }
        }
    }

    @Test
    void systemPropertyOverridesAKeyOfTheFile(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/config.properties"), "junction.test.override=file\n");
        System.setProperty("junction.test.override", "system");
        try {
            assertEquals("system", Main.frameworkProperties(home).get("junction.test.override"));
        } finally {
            System.clearProperty("junction.test.override");
        }
    }

    @Test
    void readyFiltersSplitOnWhitespaceOutsideParentheses() {
        assertEquals(List.of("(objectClass=a.B)", "(&(x=1)(name=with space))"),
                Main.splitFilters("  (objectClass=a.B)\n\t(&(x=1)(name=with space)) "));
        assertEquals(List.of(), Main.splitFilters(" "));
    }

    @Test
    void readyFiltersMayFollowEachOtherWithoutBlanks() {
        assertEquals(List.of("(objectClass=a.B)", "(&(x=1)(y=2))", "(z=3)"), Main.splitFilters("(objectClass=a.B)(&(x=1)(y=2)) (z=3)"));
    }

    @Test
    void errorTextIsTheFirstLineOfTheInnermostMessage() {
        Exception wrapped = new java.lang.reflect.InvocationTargetException(
                new RuntimeException(new IllegalStateException("broken\nsecond line")));
        // RuntimeException(cause) has the cause's toString as its message
        assertEquals("java.lang.IllegalStateException: broken", GogoSession.describe(wrapped));
        assertEquals("broken", GogoSession.describe(
                new java.lang.reflect.InvocationTargetException(new IllegalStateException("broken\nx"))));
        assertEquals("NullPointerException", GogoSession.describe(
                new java.lang.reflect.InvocationTargetException(new NullPointerException())));
    }
}
