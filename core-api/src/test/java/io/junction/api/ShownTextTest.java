package io.junction.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShownTextTest {

    /** A right-to-left override, isolates, zero-width characters, a BOM, a soft hyphen, C0 and C1 controls. */
    @ParameterizedTest
    @ValueSource(strings = {"name\u202E", "\u2066x\u2069", "a\u200Bb", "a\u200Db", "\uFEFFsc1", "soft\u00ADhyphen", "a\u0007b", "a\u0085b",
            "tag\uDB40\uDC01"})
    void refusesControlAndFormatCharactersInEveryName(String value) {
        InvalidInputException ems = assertThrows(InvalidInputException.class, () -> Ems.checkName(value));
        assertTrue(ems.getMessage().startsWith("EMS name must not contain control or format characters (found \\"), ems.getMessage());
        assertTrue(value.codePoints().noneMatch(c -> ems.getMessage().indexOf(Character.toString(c)) >= 0 && ShownText.isHidden(c)),
                "the error line spells the character out: " + ems.getMessage());
        assertThrows(InvalidInputException.class, () -> new CredentialSpec(CredentialKind.TOKEN, value, Secret.of("t".toCharArray())));
        InvalidInputException host = assertThrows(InvalidInputException.class, () -> ConnectionSpec.checkHost("vmm" + value + ".example"));
        assertTrue(host.getMessage().startsWith("host must not contain control or format characters"), host.getMessage());
        assertThrows(InvalidInputException.class, () -> new ConnectionSpec("scvmm", "h.example", null, null, "/wsman" + value, true, null,
                false, false));
    }

    @Test
    void acceptsNamesInAnyScript() {
        assertEquals("Центр обработки", Ems.checkName("Центр обработки"));
        assertEquals("مركز", Ems.checkName("مركز"));
        assertEquals("xn--bcher-kva.example", ConnectionSpec.checkHost("bücher.example"));
    }

    @Test
    void quotesAtMostEightyCharactersOnOneLine() {
        assertEquals("'abc'", ShownText.quote("abc"));
        assertEquals("'a\\u000Ab\\u202E'", ShownText.quote("a\nb\u202E"));
        String quoted = ShownText.quote("h".repeat(10_000));
        assertEquals("'" + "h".repeat(80) + "…'", quoted);
        assertEquals("'" + "h".repeat(80) + "'", ShownText.quote("h".repeat(80)));
    }

    @Test
    void errorLinesQuoteALongValueShortened() {
        String host = "h".repeat(10_000);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConnectionSpec.checkHost(host));
        assertTrue(e.getMessage().length() < 200, e.getMessage());
        char[] name = new char[5_000];
        Arrays.fill(name, 'n');
        InvalidInputException tooLong = assertThrows(InvalidInputException.class, () -> Ems.checkName(new String(name)));
        assertTrue(tooLong.getMessage().length() < 200, tooLong.getMessage());
        InvalidInputException user = assertThrows(InvalidInputException.class,
                () -> new CredentialSpec(CredentialKind.PASSWORD, "u".repeat(10_000), Secret.of("p".toCharArray())));
        assertTrue(user.getMessage().length() < 200, user.getMessage());
    }

    @Test
    void visibleSpellsOutOnlyHiddenCharacters() {
        assertEquals("web01", ShownText.visible("web01"));
        assertEquals("evil\\u202Etxt.exe", ShownText.visible("evil\u202Etxt.exe"));
        assertFalse(ShownText.visible("a\u200Bb").contains("\u200B"));
    }
}
