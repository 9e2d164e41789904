package io.junction.provider.microsoft.internal.powershell;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * PowerShell's error output. Run non-interactively, powershell.exe writes its error stream to
 * stderr as CLIXML ({@code #< CLIXML} then {@code <Objs>} with {@code <S S="Error">} lines);
 * this turns it into the one line an operator needs.
 */
public final class Clixml {
    static final String MARKER = "#< CLIXML";
    private static final Pattern ESCAPE = Pattern.compile("_x([0-9A-Fa-f]{4})_");
    private static final int MAX_LINE = 400;

    private Clixml() {
    }

    /** The error lines of stderr (CLIXML or plain), decoded; empty when there is no error. */
    public static List<String> errors(String stderr) {
        List<String> lines = new ArrayList<>();
        if (stderr == null || stderr.isBlank()) {
            return lines;
        }
        int at = stderr.indexOf(MARKER);
        if (at < 0) {
            for (String line : stderr.split("\\R")) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
            return lines;
        }
        // there may be several documents, one per marker
        for (String part : stderr.substring(at).split(Pattern.quote(MARKER))) {
            String xml = part.strip();
            if (xml.isEmpty()) {
                continue;
            }
            lines.addAll(errorStrings(xml));
        }
        return lines;
    }

    private static List<String> errorStrings(String xml) {
        List<String> out = new ArrayList<>();
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        try {
            XMLStreamReader r = factory.createXMLStreamReader(new StringReader(xml));
            StringBuilder current = null;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT && "S".equals(r.getLocalName())
                        && "Error".equals(r.getAttributeValue(null, "S"))) {
                    current = new StringBuilder();
                } else if (current != null && (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)) {
                    current.append(r.getText());
                } else if (current != null && event == XMLStreamConstants.END_ELEMENT && "S".equals(r.getLocalName())) {
                    out.add(decode(current.toString()));
                    current = null;
                }
            }
        } catch (XMLStreamException e) {
            out.add("unreadable PowerShell error output: " + e.getMessage());
        }
        return out;
    }

    /** Undoes CLIXML's {@code _xHHHH_} escapes. */
    static String decode(String s) {
        Matcher m = ESCAPE.matcher(s);
        StringBuilder b = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        m.appendTail(b);
        return b.toString();
    }

    /**
     * One readable line for the first error: the message before PowerShell's position report
     * ({@code At line:1 char:…}, {@code + CategoryInfo …}), whitespace folded.
     *
     * @return the line, or {@code null} when stderr holds no error
     */
    public static String errorLine(String stderr) {
        List<String> errors = errors(stderr);
        if (errors.isEmpty()) {
            return null;
        }
        String all = String.join("", errors);
        StringBuilder message = new StringBuilder();
        for (String line : all.split("\\R")) {
            String t = line.strip();
            if (t.startsWith("At line:") || t.startsWith("At ") && t.contains(" char:") || t.startsWith("+ ")
                    || t.startsWith("+~") || t.startsWith("~")) {
                if (message.length() > 0) {
                    break;
                }
                continue;
            }
            if (!t.isEmpty()) {
                if (message.length() > 0) {
                    message.append(' ');
                }
                message.append(t);
            }
        }
        String s = message.toString().replaceAll("\\s+", " ").strip();
        if (s.isEmpty()) {
            s = all.replaceAll("\\s+", " ").strip();
        }
        return s.length() > MAX_LINE ? s.substring(0, MAX_LINE) + "…" : s;
    }
}
