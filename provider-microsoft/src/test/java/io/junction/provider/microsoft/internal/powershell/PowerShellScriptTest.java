package io.junction.provider.microsoft.internal.powershell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.junction.api.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PowerShellScriptTest {

    @Test
    void literalDoublesEverySingleQuoteKindAndExpandsNothing() {
        assertEquals("'plain'", PowerShellScript.literal("plain"));
        assertEquals("'it''s'", PowerShellScript.literal("it's"));
        assertEquals("'a\u2019\u2019b\u2018\u2018c\u201A\u201Ad\u201B\u201B'", PowerShellScript.literal("a\u2019b\u2018c\u201Ad\u201B"));
        // $(), backticks, double quotes and semicolons are inert inside single quotes
        assertEquals("'$(Remove-Item C:\\ -Recurse); `\"x\"'", PowerShellScript.literal("$(Remove-Item C:\\ -Recurse); `\"x\""));
    }

    @Test
    void literalRefusesControlCharacters() {
        assertThrows(InvalidInputException.class, () -> PowerShellScript.literal("a\nb"));
        assertThrows(InvalidInputException.class, () -> PowerShellScript.literal("a\u0000b"));
    }

    /** Whatever the value, the quoted literal stays one token: it ends at its last character, and every quote inside is doubled. */
    @ParameterizedTest
    @ValueSource(strings = {"'", "''", "x';Stop-Computer;'", "\u2019;Stop-Computer;\u2018", "'+(Get-Date)+'", "end'"})
    void hostileValuesStayData(String value) {
        String lit = PowerShellScript.literal(value);
        assertTrue(lit.startsWith("'") && lit.endsWith("'"));
        String inner = lit.substring(1, lit.length() - 1);
        // read the literal back the way PowerShell's tokenizer does
        StringBuilder back = new StringBuilder();
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (isQuote(c)) {
                assertTrue(i + 1 < inner.length() && isQuote(inner.charAt(i + 1)), "unpaired quote in " + lit);
                back.append(c);
                i++;
            } else {
                back.append(c);
            }
        }
        assertEquals(value, back.toString());
    }

    private static boolean isQuote(char c) {
        return c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B';
    }

    @Test
    void guidsAreCheckedAndNormalised() {
        assertEquals("8f1e6a57-0c1d-4d0e-9a42-1b7c2f3e4d5a", PowerShellScript.guid("8F1E6A57-0C1D-4D0E-9A42-1B7C2F3E4D5A"));
        assertEquals("8f1e6a57-0c1d-4d0e-9a42-1b7c2f3e4d5a", PowerShellScript.guid("{8f1e6a57-0c1d-4d0e-9a42-1b7c2f3e4d5a}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "web01", "8f1e6a57-0c1d-4d0e-9a42-1b7c2f3e4d5", "8f1e6a57-0c1d-4d0e-9a42-1b7c2f3e4d5a'",
            "8f1e6a57-0c1d-4d0e-9a42-1b7c2f3e4d5a;Stop-Computer", "'; Stop-Computer; '", "8f1e6a570c1d4d0e9a421b7c2f3e4d5a",
            "8f1e6a57-0c1d-4d0e-9a42-1b7c2f3e4d5a\n"})
    void nonGuidsAreRefused(String id) {
        if (id.endsWith("\n")) {
            // surrounding blanks are trimmed, like a value typed in the shell
            assertEquals(id.strip(), PowerShellScript.guid(id));
            return;
        }
        assertThrows(InvalidInputException.class, () -> PowerShellScript.guid(id));
    }

    @Test
    void valuesAreAssignedBeforeTheBody() {
        PowerShellScript s = PowerShellScript.of("Get-SCVirtualMachine -ID $id").with("id", "8f1e6a57-0c1d-4d0e-9a42-1b7c2f3e4d5a");
        assertEquals("$id='8f1e6a57-0c1d-4d0e-9a42-1b7c2f3e4d5a';Get-SCVirtualMachine -ID $id", s.text());
        assertThrows(IllegalArgumentException.class, () -> PowerShellScript.of("x").with("id;x", "1"));
        assertThrows(IllegalArgumentException.class, () -> PowerShellScript.of("x").with("$id", "1"));
    }

    @Test
    void commandLineIsEncodedUtf16() {
        PowerShellScript s = PowerShellScript.of("Write-Output 'Grüße'");
        String line = s.commandLine();
        assertTrue(line.startsWith("powershell -NoProfile -NonInteractive -EncodedCommand "));
        String b64 = line.substring(line.lastIndexOf(' ') + 1);
        assertEquals("Write-Output 'Grüße'", new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_16LE));
    }

    @Test
    void tooLongScriptsAreRefused() {
        assertThrows(IllegalStateException.class, () -> PowerShellScript.of("#" + "x".repeat(3100)).commandLine());
        PowerShellScript.of("#" + "x".repeat(3000)).commandLine();
    }
}
