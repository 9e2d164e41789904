package io.junction.provider.microsoft.internal.powershell;

import io.junction.api.InvalidInputException;
import io.junction.api.ShownText;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A PowerShell script made of a fixed body (code written here, never text from a user or a
 * server) and named values assigned before it as {@code $name='value';}. Values reach the script
 * only through {@link #literal(String)}, the one function that turns text into PowerShell source,
 * so no value can become code.
 */
public final class PowerShellScript {
    /** The Windows command line limit (cmd.exe and CreateProcess's practical limit with WinRM). */
    public static final int MAX_COMMAND_LINE = 8191;
    static final String PREFIX = "powershell -NoProfile -NonInteractive -EncodedCommand ";

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,31}");
    private static final Pattern GUID = Pattern.compile(
            "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");

    private final Map<String, String> values = new LinkedHashMap<>();
    private final String body;

    private PowerShellScript(String body) {
        this.body = body;
    }

    /** A script with this body; the body is code and must be a constant of this bundle. */
    public static PowerShellScript of(String body) {
        return new PowerShellScript(body);
    }

    /** Assigns {@code $name} the value as a string before the body runs. */
    public PowerShellScript with(String name, String value) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a variable name: " + name);
        }
        values.put(name, value);
        return this;
    }

    /** The script text: the assignments, then the body. */
    public String text() {
        StringBuilder b = new StringBuilder();
        values.forEach((name, value) -> b.append('$').append(name).append('=').append(literal(value)).append(';'));
        return b.append(body).toString();
    }

    /**
     * The command line that runs the script: {@code powershell -NoProfile -NonInteractive
     * -EncodedCommand <base64 of UTF-16LE>}.
     *
     * @throws IllegalStateException when it would exceed the command line limit
     */
    public String commandLine() {
        String line = PREFIX + Base64.getEncoder().encodeToString(text().getBytes(StandardCharsets.UTF_16LE));
        if (line.length() > MAX_COMMAND_LINE) {
            throw new IllegalStateException("script too long for one command line: " + line.length() + " > " + MAX_COMMAND_LINE);
        }
        return line;
    }

    /**
     * A single-quoted PowerShell string literal holding exactly the text. Inside single quotes
     * PowerShell expands nothing; the only special characters are the quote characters, which
     * are doubled. PowerShell treats the typographic single quotes (U+2018, U+2019, U+201A,
     * U+201B) like {@code '}, so they are doubled as well. NUL and other control characters
     * are refused: nothing legitimate carries them.
     */
    public static String literal(String text) {
        if (text == null) {
            throw new IllegalArgumentException("null value");
        }
        StringBuilder b = new StringBuilder(text.length() + 2).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B') {
                b.append(c);
            } else if (Character.isISOControl(c)) {
                throw new InvalidInputException("control character U+" + String.format(Locale.ROOT, "%04X", (int) c)
                        + " is not allowed in a value sent to PowerShell");
            }
            b.append(c);
        }
        return b.append('\'').toString();
    }

    /**
     * Checks a VM (or other SCVMM object) id: a GUID, nothing else.
     *
     * @return the GUID in lower case
     * @throws InvalidInputException when it is not a GUID
     */
    public static String guid(String id) {
        String s = id == null ? "" : id.strip();
        if (s.startsWith("{") && s.endsWith("}")) {
            s = s.substring(1, s.length() - 1);
        }
        if (!GUID.matcher(s).matches()) {
            throw new InvalidInputException(ShownText.quote(id == null ? "" : id)
                    + " is not an SCVMM id (a GUID such as 8f1e6a57-0c1d-4d0e-9a42-1b7c2f3e4d5a)");
        }
        return s.toLowerCase(Locale.ROOT);
    }
}
